//! Streams and stream sessions: GetStream, ListStreams, StopStream, GetStreamSession,
//! ListStreamSessions and PutMetadata.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::common::{item_members, paged_response, summary, text, Input, Outcome};
use crate::clock::iso8601;
use crate::error::EmulatorError;
use crate::pagination::Order;
use crate::state::{LiveStream, ResourceKind, Source, State, StreamEnd, StreamSession};

const MAX_METADATA_BYTES: usize = 1024;

const MAX_METADATA_CALLS_PER_SECOND: usize = 5;

/// A live stream as GetStream answers it.
fn stream(
    channel_arn: &str,
    live: &LiveStream,
    playback_url: &Value,
    now: Instant,
) -> Map<String, Value> {
    let stream = json!({
        "channelArn": channel_arn,
        "streamId": live.stream_id,
        "playbackUrl": playback_url,
        "startTime": iso8601(live.start_time),
        "state": "LIVE",
        "health": live.health(now),
        "viewerCount": live.viewer_count(now),
    });
    let Value::Object(stream) = stream else {
        unreachable!("json! of an object literal is an object")
    };
    stream
}

pub fn get_stream(state: &State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    let channel = state.get(ResourceKind::Channel, channel_arn)?;
    let live = state
        .live
        .get(channel_arn)
        .ok_or_else(|| EmulatorError::not_broadcasting(channel_arn))?;
    let playback_url = &channel.body["playbackUrl"];
    let stream = stream(channel_arn, live, playback_url, Instant::now());
    Ok(json!({ "stream": Value::Object(stream) }))
}

pub fn list_streams(state: &State, input: &Input) -> Outcome {
    let members = item_members("ListStreams")?;
    let health_filter = input
        .get("filterBy")
        .and_then(|filter| filter.get("health"))
        .and_then(Value::as_str);
    let now = Instant::now();
    let mut streams: Vec<(u64, Value)> = state
        .live
        .iter()
        .filter(|(_, live)| health_filter.is_none_or(|health| health == live.health(now)))
        .map(|(channel_arn, live)| {
            let stream = stream(channel_arn, live, &Value::Null, now);
            (live.sequence, summary(&stream, members))
        })
        .collect();
    streams.sort_by_key(|(sequence, _)| *sequence);
    paged_response("ListStreams", streams, Order::OldestFirst, input)
}

pub fn stop_stream(state: &mut State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    state
        .end_stream(channel_arn, StreamEnd::StoppedByApi)
        .map(|_| json!({}))
}

/// The stream sessions of a channel that exists, oldest first.
fn sessions_of<'a>(
    state: &'a State,
    channel_arn: &str,
) -> Result<&'a [StreamSession], EmulatorError> {
    state.get(ResourceKind::Channel, channel_arn)?;
    Ok(state
        .sessions
        .get(channel_arn)
        .map(Vec::as_slice)
        .unwrap_or_default())
}

pub fn get_stream_session(state: &State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    let sessions = sessions_of(state, channel_arn)?;
    let session = match input.get("streamId").and_then(Value::as_str) {
        Some(stream_id) => sessions
            .iter()
            .find(|session| session.stream_id == stream_id)
            .ok_or_else(|| {
                EmulatorError::not_found(format!("Stream session: {stream_id} not found"))
            })?,
        None => sessions.last().ok_or_else(|| {
            EmulatorError::not_found(format!("Channel: {channel_arn} has no stream sessions"))
        })?,
    };
    // A publisher still sending: what it has sent so far.
    let (ingest_configuration, ingest_configurations) = match state.live.get(channel_arn) {
        Some(live) if live.stream_id == session.stream_id => match &live.source {
            Source::Rtmp { media, .. } => crate::media::ingest_configuration(media),
            Source::Control => session.ingest.clone(),
        },
        _ => session.ingest.clone(),
    };
    let events: Vec<&Value> = session.events.iter().rev().collect();
    let mut body = json!({
        "streamId": session.stream_id,
        "startTime": iso8601(session.start_time),
        "channel": session.channel,
        "ingestConfiguration": ingest_configuration,
        "ingestConfigurations": ingest_configurations,
        "truncatedEvents": events,
    });
    if let Some(end_time) = session.end_time {
        body["endTime"] = json!(iso8601(end_time));
    }
    if let Some(configuration) = &session.recording_configuration {
        body["recordingConfiguration"] = configuration.clone();
    }
    if let Some(configuration) = &session.failover_slate_configuration {
        body["failoverSlateConfiguration"] = configuration.clone();
    }
    Ok(json!({ "streamSession": body }))
}

pub fn list_stream_sessions(state: &State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    let sessions = sessions_of(state, channel_arn)?;
    let items = sessions
        .iter()
        .rev()
        .map(|session| {
            let mut summary = json!({
                "streamId": session.stream_id,
                "startTime": iso8601(session.start_time),
                "hasErrorEvent": false,
            });
            if let Some(end_time) = session.end_time {
                summary["endTime"] = json!(iso8601(end_time));
            }
            (session.sequence, summary)
        })
        .collect();
    paged_response("ListStreamSessions", items, Order::NewestFirst, input)
}

pub fn put_metadata(state: &mut State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    state.get(ResourceKind::Channel, channel_arn)?;
    if text(input, "metadata").len() > MAX_METADATA_BYTES {
        return Err(EmulatorError::validation(format!(
            "Invalid length for parameter metadata: at most {MAX_METADATA_BYTES} bytes of UTF-8"
        )));
    }
    let live = state
        .live
        .get_mut(channel_arn)
        .ok_or_else(|| EmulatorError::not_broadcasting(channel_arn))?;
    let now = Instant::now();
    while live
        .metadata_calls
        .front()
        .is_some_and(|call| now.duration_since(*call) >= Duration::from_secs(1))
    {
        live.metadata_calls.pop_front();
    }
    if live.metadata_calls.len() >= MAX_METADATA_CALLS_PER_SECOND {
        return Err(EmulatorError::throttling(format!(
            "PutMetadata is limited to {MAX_METADATA_CALLS_PER_SECOND} calls per second per channel"
        )));
    }
    live.metadata_calls.push_back(now);
    Ok(Value::Null)
}
