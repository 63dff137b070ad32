//! The hand-written half of the JSON ⇄ aws-sdk-ivs conversions: traits for primitives, lists and
//! maps. The generated half (`generated.rs`) implements them for every structure and enum, and
//! never names a primitive type, so it does not depend on how smithy-rs chose `i32`/`i64` or
//! `Option<T>`/`T` for a member.

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

/// A value that becomes JSON, consumed so that its strings move rather than copy; `None` means
/// "leave the member out".
pub(crate) trait IntoJson {
    fn into_json(self) -> Option<Value>;
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

/// Primitives become JSON values as serde_json makes them (non-finite floats become null).
macro_rules! into_json_primitive {
    ($($primitive:ty),*) => {$(
        impl IntoJson for $primitive {
            fn into_json(self) -> Option<Value> {
                Some(Value::from(self))
            }
        }
    )*};
}
into_json_primitive!(String, bool, i32, i64, f64);

impl IntoJson for DateTime {
    fn into_json(self) -> Option<Value> {
        self.fmt(Format::DateTime).ok().map(Value::String)
    }
}

impl<T: IntoJson> IntoJson for Option<T> {
    fn into_json(self) -> Option<Value> {
        self.and_then(IntoJson::into_json)
    }
}

impl<T: IntoJson> IntoJson for Vec<T> {
    fn into_json(self) -> Option<Value> {
        Some(Value::Array(
            self.into_iter().filter_map(IntoJson::into_json).collect(),
        ))
    }
}

impl<T: IntoJson> IntoJson for HashMap<String, T> {
    fn into_json(self) -> Option<Value> {
        // Sorted keys so that output is stable from call to call.
        let mut entries: Vec<(String, T)> = self.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Some(Value::Object(
            entries
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.into_json()?)))
                .collect(),
        ))
    }
}

/// Puts a member into an output object unless it is absent.
pub(crate) fn put<T: IntoJson>(object: &mut Map<String, Value>, name: &str, value: T) {
    if let Some(json) = value.into_json() {
        object.insert(name.to_owned(), json);
    }
}

/// Writes a value as JSON text straight from the SDK's types: the C face's responses skip
/// building (and dropping) a JSON value, measured at ~6% of a GetChannel call.
pub(crate) trait WriteJson {
    /// Whether there is anything to write (an absent optional member is left out).
    fn present(&self) -> bool {
        true
    }
    fn write_json(&self, out: &mut Vec<u8>);
}

/// A JSON string. Most strings need no escaping: one pass that the compiler vectorizes finds
/// that out, and they are copied whole; the rest go through serde_json's escaping.
pub(crate) fn write_str(out: &mut Vec<u8>, text: &str) {
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

/// Writes an object member by member (the generated `WriteJson` impls use it).
pub(crate) struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    pub(crate) fn start(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter { out, empty: true }
    }

    pub(crate) fn member<T: WriteJson>(&mut self, name: &str, value: &T) {
        if !value.present() {
            return;
        }
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        write_str(self.out, name);
        self.out.push(b':');
        value.write_json(self.out);
    }

    pub(crate) fn end(self) {
        self.out.push(b'}');
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_str(out, self);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

/// Numbers as serde_json writes them (so both outputs agree; non-finite floats become null).
macro_rules! write_json_number {
    ($($number:ty),*) => {$(
        impl WriteJson for $number {
            fn write_json(&self, out: &mut Vec<u8>) {
                let _ = serde_json::to_writer(&mut *out, &Value::from(*self));
            }
        }
    )*};
}
write_json_number!(i32, i64, f64);

impl WriteJson for DateTime {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self.fmt(Format::DateTime) {
            Ok(text) => write_str(out, &text),
            Err(_) => out.extend_from_slice(b"null"),
        }
    }

    fn present(&self) -> bool {
        // As `IntoJson`, which leaves out a timestamp it cannot format.
        self.fmt(Format::DateTime).is_ok()
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn present(&self) -> bool {
        self.as_ref().is_some_and(WriteJson::present)
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Some(value) => value.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        let mut first = true;
        for item in self.iter().filter(|item| item.present()) {
            if !first {
                out.push(b',');
            }
            first = false;
            item.write_json(out);
        }
        out.push(b']');
    }
}

impl<T: WriteJson> WriteJson for HashMap<String, T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        // Sorted keys, as `IntoJson` gives them.
        let mut entries: Vec<(&String, &T)> = self.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut object = ObjectWriter::start(out);
        for (key, value) in entries {
            object.member(key, value);
        }
        object.end();
    }
}

/// An operation's output from aws-sdk-ivs, still to be shown: as a JSON value (the core's
/// `Response`, Python, Node) or as JSON text (C).
pub(crate) trait SdkOutput: Send {
    fn into_value(self: Box<Self>) -> Value;
    fn write_json(&self, out: &mut Vec<u8>);
}

impl<T: IntoJson + WriteJson + Send> SdkOutput for T {
    fn into_value(self: Box<Self>) -> Value {
        (*self)
            .into_json()
            .unwrap_or_else(|| Value::Object(Map::new()))
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        WriteJson::write_json(self, out);
    }
}

/// Converts what `send()` answered into the output or our error.
pub(crate) fn finish_call<O, E>(
    result: Result<O, aws_sdk_ivs::error::SdkError<E, aws_smithy_runtime_api::http::Response>>,
) -> Result<Box<dyn SdkOutput>, Error>
where
    O: IntoJson + WriteJson + Send + 'static,
    E: aws_sdk_ivs::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(output) => Ok(Box::new(output)),
        Err(error) => Err(Error::from_sdk(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ivs::types;
    use serde_json::json;

    #[test]
    fn structures_round_trip_through_json() {
        let input = json!({"s3": {"bucketName": "my-bucket"}});
        let built =
            types::DestinationConfiguration::from_json(&input, "destinationConfiguration").unwrap();
        assert_eq!(built.s3().unwrap().bucket_name(), "my-bucket");
        assert_eq!(built.into_json().unwrap(), input);
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
        assert_eq!(when.into_json().unwrap(), json!("2026-11-25T12:00:00Z"));
        assert_eq!(DateTime::from_json(&json!(0), "t").unwrap().secs(), 0);
    }

    /// The JSON text written straight from the SDK's types must be exactly the JSON value's text
    /// (same members, order, escapes and numbers).
    fn assert_same_json<T: IntoJson + WriteJson + Clone>(value: T) {
        let mut text = Vec::new();
        value.write_json(&mut text);
        let text = String::from_utf8(text).unwrap();
        let from_value = serde_json::to_string(&value.into_json().unwrap()).unwrap();
        assert_eq!(text, from_value);
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
        assert_same_json(
            get_stream_session::GetStreamSessionOutput::builder()
                .stream_session(session)
                .build(),
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
        assert_same_json(delete_channel::DeleteChannelOutput::builder().build());
        // Header-bound members, before the body's (the model's order).
        assert_same_json(
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
    }

    #[test]
    fn enums_keep_unknown_values() {
        let mode = types::ChannelLatencyMode::from_json(&json!("LOW"), "latencyMode").unwrap();
        assert_eq!(mode, types::ChannelLatencyMode::LowLatency);
        assert_eq!(mode.into_json().unwrap(), json!("LOW"));
    }
}
