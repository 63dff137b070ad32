//! The hand-written half of the conversions between JSON and aws-sdk-ivs's types: inputs read
//! from JSON (`FromJson`), outputs emitted to a sink (`Emit`, [`OutputSink`]) for primitives,
//! lists and maps, and the core's two sinks (JSON text, JSON values). The generated half
//! (`generated.rs`) implements them for every structure and enum, and never names a primitive
//! type, so it does not depend on how smithy-rs chose `i32`/`i64` or `Option<T>`/`T` for a
//! member.

use std::borrow::BorrowMut;
use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::DateTime;
use serde_json::{Map, Value};

use crate::error::Error;

/// A value that can be built from JSON; `path` names the member for error messages.
pub(crate) trait FromJson: Sized {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error>;
}

/// Turns the result of a smithy builder's `build()` (fallible or not) into our result.
pub(crate) trait Finish<T> {
    fn finish(self, path: &str) -> Result<T, Error>;
}

impl<T> Finish<T> for Result<T, BuildError> {
    fn finish(self, path: &str) -> Result<T, Error> {
        self.map_err(|e| Error::param_validation(format!("{}: {e}", shown_path(path))))
    }
}

fn shown_path(path: &str) -> &str {
    if path.is_empty() {
        "input"
    } else {
        path
    }
}

/// A JSON object being read member by member.
pub(crate) struct Object<'a> {
    members: Option<&'a Map<String, Value>>,
    path: &'a str,
}

impl<'a> Object<'a> {
    pub(crate) fn new(value: &'a Value, path: &'a str) -> Result<Self, Error> {
        match value {
            Value::Object(members) => Ok(Object {
                members: Some(members),
                path,
            }),
            Value::Null => Ok(Object {
                members: None,
                path,
            }),
            other => Err(type_error(path, other, "object")),
        }
    }

    /// The member converted, or `None` when it is absent or null.
    pub(crate) fn member<T: FromJson>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.members.and_then(|m| m.get(name)) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => {
                let path = if self.path.is_empty() {
                    name.to_string()
                } else {
                    format!("{}.{name}", self.path)
                };
                T::from_json(value, &path).map(Some)
            }
        }
    }
}

fn type_error(path: &str, value: &Value, expected: &str) -> Error {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    };
    Error::param_validation(format!(
        "Invalid type for parameter {}, type: {kind}, valid types: {expected}",
        shown_path(path)
    ))
}

/// Reads a primitive member (used by the generated enum conversions).
pub(crate) fn field<T: FromJson>(value: &Value, path: &str) -> Result<T, Error> {
    T::from_json(value, path)
}

impl FromJson for String {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| type_error(path, value, "string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_bool()
            .ok_or_else(|| type_error(path, value, "boolean"))
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_i64()
            .ok_or_else(|| type_error(path, value, "integer"))
    }
}

impl FromJson for i32 {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        let wide = i64::from_json(value, path)?;
        i32::try_from(wide).map_err(|_| {
            Error::param_validation(format!(
                "Invalid value for parameter {}, value: {wide}, does not fit a 32-bit integer",
                shown_path(path)
            ))
        })
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_f64()
            .ok_or_else(|| type_error(path, value, "number"))
    }
}

impl FromJson for DateTime {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        match value {
            Value::Number(n) => n
                .as_f64()
                .map(DateTime::from_secs_f64)
                .ok_or_else(|| type_error(path, value, "timestamp")),
            Value::String(text) => DateTime::from_str(text, Format::DateTime).map_err(|_| {
                Error::param_validation(format!(
                    "Invalid timestamp for parameter {}: expected ISO-8601 like 2026-01-31T12:00:00Z",
                    shown_path(path)
                ))
            }),
            other => Err(type_error(path, other, "timestamp")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        let items = value
            .as_array()
            .ok_or_else(|| type_error(path, value, "list"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_json(item, &format!("{}[{i}]", shown_path(path))))
            .collect()
    }
}

impl<T: FromJson> FromJson for HashMap<String, T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        let entries = value
            .as_object()
            .ok_or_else(|| type_error(path, value, "object"))?;
        entries
            .iter()
            .map(|(k, v)| Ok((k.clone(), T::from_json(v, &format!("{path}.{k}"))?)))
            .collect()
    }
}

/// Where an operation's output goes, one event at a time, from the one generated emitter of
/// every output and structure shape (`generated.rs`). The core's own sinks make JSON text and
/// JSON values; a face can bring its own (one that builds its language's objects) through
/// [`crate::Answer::emit`]. Absent members never reach a sink; map keys come sorted.
pub trait OutputSink {
    /// An object of at most `members` members (fewer when some are absent) follows: a
    /// [`OutputSink::key`] and its value for each, then [`OutputSink::end_object`].
    fn begin_object(&mut self, members: usize);
    /// The name of the member whose value comes next.
    fn key(&mut self, name: &str);
    fn end_object(&mut self);
    /// A list of at most `items` items follows, then [`OutputSink::end_list`].
    fn begin_list(&mut self, items: usize);
    fn end_list(&mut self);
    fn string(&mut self, value: &str);
    fn boolean(&mut self, value: bool);
    fn integer(&mut self, value: i64);
    /// A double; JSON shows a non-finite one as null (as serde_json does).
    fn float(&mut self, value: f64);
    /// A timestamp as seconds since the Unix epoch and nanoseconds past them (< 10⁹), always
    /// within the years 1 to 9999 (JSON's ISO-8601 text cannot show others: they are left out).
    fn timestamp(&mut self, seconds: i64, nanos: u32);
}

/// A value of aws-sdk-ivs's types that the emitter walks into a sink (generic, so that the
/// core's sinks are monomorphized; `dyn` for a face's).
pub(crate) trait Emit {
    /// Whether there is anything to emit (an absent optional member is left out).
    fn present(&self) -> bool {
        true
    }
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S);
    /// A paginated operation's output: its next token and how many items its list holds
    /// (generated for those outputs; read from the SDK's fields, without a walk).
    fn page_facts(&self) -> Option<PageFacts<'_>> {
        None
    }
}

/// What a paginator reads of a page before a face converts it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PageFacts<'a> {
    pub token: Option<&'a str>,
    pub items: usize,
}

/// One member of an output object, left out when absent (the generated emitters use it).
pub(crate) fn member<S: OutputSink + ?Sized, T: Emit>(sink: &mut S, name: &str, value: &T) {
    if value.present() {
        sink.key(name);
        value.emit(sink);
    }
}

impl Emit for String {
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        sink.string(self);
    }
}

impl Emit for bool {
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        sink.boolean(*self);
    }
}

impl Emit for i32 {
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        sink.integer(i64::from(*self));
    }
}

impl Emit for i64 {
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        sink.integer(*self);
    }
}

impl Emit for f64 {
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        sink.float(*self);
    }
}

/// The seconds of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59Z: the timestamps that
/// `DateTime::fmt(Format::DateTime)` can format (RFC 3339's years).
const FORMATTABLE_SECONDS: std::ops::RangeInclusive<i64> = -62_135_596_800..=253_402_300_799;

impl Emit for DateTime {
    fn present(&self) -> bool {
        FORMATTABLE_SECONDS.contains(&self.secs())
    }

    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        sink.timestamp(self.secs(), self.subsec_nanos());
    }
}

impl<T: Emit> Emit for Option<T> {
    fn present(&self) -> bool {
        self.as_ref().is_some_and(Emit::present)
    }

    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        // Only reached when present.
        if let Some(value) = self {
            value.emit(sink);
        }
    }
}

impl<T: Emit> Emit for Vec<T> {
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        sink.begin_list(self.len());
        for item in self.iter().filter(|item| item.present()) {
            item.emit(sink);
        }
        sink.end_list();
    }
}

impl<T: Emit> Emit for HashMap<String, T> {
    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {
        // Sorted keys, so that output is stable from call to call.
        let mut entries: Vec<(&String, &T)> = self.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        sink.begin_object(entries.len());
        for (key, value) in entries {
            member(sink, key, value);
        }
        sink.end_object();
    }
}

/// JSON text written straight from the SDK's types: answers given as text skip building (and
/// dropping) a JSON value, measured at ~6% of a GetChannel call.
pub(crate) struct JsonText<B> {
    /// Where the text goes: a borrowed buffer, or one of its own (`JsonText<Vec<u8>>`).
    out: B,
    /// Whether the next key or value needs a comma before it.
    separate: bool,
}

impl<B: BorrowMut<Vec<u8>>> JsonText<B> {
    pub(crate) fn new(out: B) -> Self {
        JsonText {
            out,
            separate: false,
        }
    }

    fn open(&mut self, bracket: u8) {
        let separate = self.separate;
        let out = self.out.borrow_mut();
        if separate {
            out.push(b',');
        }
        out.push(bracket);
        self.separate = false;
    }

    /// Starts a scalar value: its comma if it follows another.
    fn scalar(&mut self) -> &mut Vec<u8> {
        let separate = std::mem::replace(&mut self.separate, true);
        let out = self.out.borrow_mut();
        if separate {
            out.push(b',');
        }
        out
    }

    fn close(&mut self, bracket: u8) {
        self.out.borrow_mut().push(bracket);
        self.separate = true;
    }
}

impl JsonText<Vec<u8>> {
    /// The text written so far, leaving the writer empty for the next value.
    pub(crate) fn take(&mut self) -> Vec<u8> {
        self.separate = false;
        std::mem::take(&mut self.out)
    }
}

impl<B: BorrowMut<Vec<u8>>> OutputSink for JsonText<B> {
    fn begin_object(&mut self, _members: usize) {
        self.open(b'{');
    }

    fn key(&mut self, name: &str) {
        let out = self.scalar();
        write_str(out, name);
        out.push(b':');
        self.separate = false;
    }

    fn end_object(&mut self) {
        self.close(b'}');
    }

    fn begin_list(&mut self, _items: usize) {
        self.open(b'[');
    }

    fn end_list(&mut self) {
        self.close(b']');
    }

    fn string(&mut self, value: &str) {
        write_str(self.scalar(), value);
    }

    fn boolean(&mut self, value: bool) {
        let out = self.scalar();
        out.extend_from_slice(if value { b"true" } else { b"false" });
    }

    // Numbers as serde_json writes them (so that both outputs agree; non-finite floats are
    // null). Writing to a Vec cannot fail.
    fn integer(&mut self, value: i64) {
        let _ = serde_json::to_writer(self.scalar(), &value);
    }

    fn float(&mut self, value: f64) {
        let _ = serde_json::to_writer(self.scalar(), &value);
    }

    fn timestamp(&mut self, seconds: i64, nanos: u32) {
        match DateTime::from_secs_and_nanos(seconds, nanos).fmt(Format::DateTime) {
            Ok(text) => write_str(self.scalar(), &text),
            // Not reached: the emitter leaves out what cannot be formatted.
            Err(_) => self.scalar().extend_from_slice(b"null"),
        }
    }
}

/// A JSON string. Most strings need no escaping: one pass that the compiler vectorizes finds
/// that out, and they are copied whole; the rest go through serde_json's escaping.
fn write_str(out: &mut Vec<u8>, text: &str) {
    let plain = text.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    });
    if plain {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

/// A JSON value built from the emitter's events (the core's [`crate::Response`]): ISO-8601
/// timestamps, numbers as serde_json makes them.
#[derive(Default)]
pub(crate) struct JsonValue {
    /// The objects (with the key of the member being built) and lists still open.
    open: Vec<(Value, Option<String>)>,
    done: Option<Value>,
}

impl JsonValue {
    pub(crate) fn finish(self) -> Value {
        self.done.unwrap_or_else(|| Value::Object(Map::new()))
    }

    fn put(&mut self, value: Value) {
        match self.open.last_mut() {
            Some((Value::Object(members), key)) => {
                members.insert(key.take().unwrap_or_default(), value);
            }
            Some((Value::Array(items), _)) => items.push(value),
            _ => self.done = Some(value),
        }
    }

    fn close(&mut self) {
        if let Some((value, _)) = self.open.pop() {
            self.put(value);
        }
    }
}

impl OutputSink for JsonValue {
    fn begin_object(&mut self, members: usize) {
        self.open
            .push((Value::Object(Map::with_capacity(members)), None));
    }

    fn key(&mut self, name: &str) {
        if let Some((_, key)) = self.open.last_mut() {
            *key = Some(name.to_owned());
        }
    }

    fn end_object(&mut self) {
        self.close();
    }

    fn begin_list(&mut self, items: usize) {
        self.open
            .push((Value::Array(Vec::with_capacity(items)), None));
    }

    fn end_list(&mut self) {
        self.close();
    }

    fn string(&mut self, value: &str) {
        self.put(Value::String(value.to_owned()));
    }

    fn boolean(&mut self, value: bool) {
        self.put(Value::Bool(value));
    }

    fn integer(&mut self, value: i64) {
        self.put(Value::from(value));
    }

    fn float(&mut self, value: f64) {
        self.put(Value::from(value));
    }

    fn timestamp(&mut self, seconds: i64, nanos: u32) {
        let text = DateTime::from_secs_and_nanos(seconds, nanos).fmt(Format::DateTime);
        self.put(text.map_or(Value::Null, Value::String));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ivs::types;
    use serde_json::json;

    fn to_value<T: Emit>(value: &T) -> Value {
        let mut built = JsonValue::default();
        value.emit(&mut built);
        built.finish()
    }

    fn to_text<T: Emit>(value: &T) -> String {
        let mut text = Vec::new();
        value.emit(&mut JsonText::new(&mut text));
        String::from_utf8(text).unwrap()
    }

    #[test]
    fn structures_round_trip_through_json() {
        let input = json!({"s3": {"bucketName": "my-bucket"}});
        let built =
            types::DestinationConfiguration::from_json(&input, "destinationConfiguration").unwrap();
        assert_eq!(built.s3().unwrap().bucket_name(), "my-bucket");
        assert_eq!(to_value(&built), input);
    }

    #[test]
    fn fallible_builders_name_the_member() {
        let err =
            types::S3DestinationConfiguration::from_json(&json!({}), "destinationConfiguration.s3")
                .unwrap_err();
        assert!(
            err.message().contains("destinationConfiguration.s3"),
            "{err}"
        );
    }

    #[test]
    fn primitives_check_their_types() {
        assert!(i32::from_json(&json!(5_000_000_000i64), "x").is_err());
        assert!(String::from_json(&json!(1), "x").is_err());
        let when = DateTime::from_json(&json!("2026-11-25T12:00:00Z"), "t").unwrap();
        assert_eq!(to_value(&when), json!("2026-11-25T12:00:00Z"));
        assert_eq!(DateTime::from_json(&json!(0), "t").unwrap().secs(), 0);
    }

    /// The JSON text sink's text parses to exactly what the JSON value sink builds, and is that
    /// value's text (same members, order, escapes and numbers).
    fn assert_same_json<T: Emit>(value: T) -> Value {
        let text = to_text(&value);
        let built = to_value(&value);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), built);
        assert_eq!(text, serde_json::to_string(&built).unwrap());
        built
    }

    #[test]
    fn json_text_matches_json_values() {
        use aws_sdk_ivs::operation::{delete_channel, get_stream_session, list_streams};
        let channel = types::Channel::builder()
            .arn("arn:aws:ivs:us-west-2:123456789012:channel/abc")
            .name("needs \"escapes\" \\ \n\t\u{1} and unicode é 🎥")
            .latency_mode(types::ChannelLatencyMode::LowLatency)
            .r#type(types::ChannelType::from("FUTURE_TYPE"))
            .authorized(true)
            .insecure_ingest(false)
            .tags("zeta", "last")
            .tags("alpha", "first")
            .tags("path", "C:\\temp")
            .tags("mid\"dle", "quoted")
            .srt(
                types::Srt::builder()
                    .endpoint("srt.example")
                    .passphrase("secret")
                    .build(),
            )
            .build();
        assert_same_json(channel.clone());
        assert_same_json(
            aws_sdk_ivs::operation::get_channel::GetChannelOutput::builder()
                .channel(channel.clone())
                .build(),
        );
        let session = types::StreamSession::builder()
            .stream_id("st-1")
            .start_time(DateTime::from_secs(1_764_000_000))
            .channel(channel)
            .truncated_events(
                types::StreamEvent::builder()
                    .name("Session Created")
                    .event_time(DateTime::from_secs_f64(1_764_000_000.25))
                    .build(),
            )
            .truncated_events(types::StreamEvent::builder().build())
            .ingest_configuration(
                types::IngestConfiguration::builder()
                    .video(
                        types::VideoConfiguration::builder()
                            .target_bitrate(8_000_000)
                            .video_width(1920)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let shown = assert_same_json(
            get_stream_session::GetStreamSessionOutput::builder()
                .stream_session(session)
                .build(),
        );
        let shown = &shown["streamSession"];
        assert_eq!(shown["startTime"], "2025-11-24T16:00:00Z");
        assert_eq!(
            shown["truncatedEvents"],
            json!([{"name": "Session Created", "eventTime": "2025-11-24T16:00:00.25Z"}, {}])
        );
        assert_eq!(
            shown["channel"]["tags"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["alpha", "mid\"dle", "path", "zeta"]
        );
        assert_same_json(
            list_streams::ListStreamsOutput::builder()
                .streams(
                    types::StreamSummary::builder()
                        .channel_arn("arn:x")
                        .viewer_count(-7)
                        .health(types::StreamHealth::Starving)
                        .build(),
                )
                .streams(types::StreamSummary::builder().build())
                .next_token("token")
                .build()
                .unwrap(),
        );
        assert_eq!(
            assert_same_json(delete_channel::DeleteChannelOutput::builder().build()),
            json!({})
        );
        assert_same_json(
            aws_sdk_ivs::operation::list_recording_configurations::ListRecordingConfigurationsOutput::builder()
                .recording_configurations(
                    types::RecordingConfigurationSummary::builder()
                        .arn("arn:r")
                        .state(types::RecordingConfigurationState::Active)
                        .tags("b", "2")
                        .tags("a", "1")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        );
        // Header-bound members, before the body's (the model's order).
        let shown = assert_same_json(
            aws_sdk_ivs::operation::batch_get_channel::BatchGetChannelOutput::builder()
                .access_control_allow_origin("*")
                .x_frame_options("DENY")
                .errors(
                    types::BatchError::builder()
                        .arn("arn:x")
                        .code("ResourceNotFoundException")
                        .build(),
                )
                .build(),
        );
        assert_eq!(shown["xFrameOptions"], "DENY");
        assert_eq!(shown["errors"][0]["arn"], "arn:x");
    }

    /// What `DateTime::fmt(Format::DateTime)` cannot format (outside the years 1 to 9999) is
    /// left out, in objects and lists alike; its edges are shown.
    #[test]
    fn timestamps_that_cannot_be_formatted_are_left_out() {
        let first = *FORMATTABLE_SECONDS.start();
        let last = *FORMATTABLE_SECONDS.end();
        for (secs, nanos, shown) in [
            (first, 0, Some("0001-01-01T00:00:00Z")),
            (last, 999_999_999, Some("9999-12-31T23:59:59.999999Z")),
            (first - 1, 0, None),
            (last + 1, 0, None),
        ] {
            let when = DateTime::from_secs_and_nanos(secs, nanos);
            assert_eq!(when.fmt(Format::DateTime).ok().as_deref(), shown);
            let event = types::StreamEvent::builder()
                .name("e")
                .event_time(when)
                .build();
            let expected = match shown {
                Some(text) => json!({"name": "e", "eventTime": text}),
                None => json!({"name": "e"}),
            };
            assert_eq!(assert_same_json(event), expected);
            let times = vec![when, DateTime::from_secs(0)];
            let mut listed = vec![json!("1970-01-01T00:00:00Z")];
            if let Some(text) = shown {
                listed.insert(0, json!(text));
            }
            assert_eq!(assert_same_json(times), json!(listed));
        }
    }

    #[test]
    fn enums_keep_unknown_values() {
        let mode = types::ChannelLatencyMode::from_json(&json!("LOW"), "latencyMode").unwrap();
        assert_eq!(mode, types::ChannelLatencyMode::LowLatency);
        assert_eq!(to_value(&mode), json!("LOW"));
    }

    #[test]
    fn pages_give_their_token_and_item_count_and_other_outputs_none() {
        use aws_sdk_ivs::operation::{
            get_channel::GetChannelOutput, list_channels::ListChannelsOutput,
        };
        let summary = |arn: &str| types::ChannelSummary::builder().arn(arn).build();
        let page = ListChannelsOutput::builder()
            .channels(summary("a"))
            .channels(summary("b"))
            .next_token("t2")
            .build()
            .unwrap();
        let facts = PageFacts {
            token: Some("t2"),
            items: 2,
        };
        assert_eq!(page.page_facts(), Some(facts));
        let last = ListChannelsOutput::builder()
            .set_channels(Some(vec![]))
            .build()
            .unwrap();
        assert_eq!(
            last.page_facts(),
            Some(PageFacts {
                token: None,
                items: 0
            })
        );
        assert_eq!(GetChannelOutput::builder().build().page_facts(), None);
    }
}
