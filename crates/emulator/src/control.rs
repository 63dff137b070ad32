//! The emulator's own control API under `/_emulator/`: simulated broadcasters, fault injection
//! and reset. It is not part of IVS and is not signed.

use bytes::Bytes;
use http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::auth::percent_decode_path;
use crate::error::EmulatorError;
use crate::faults::Fault;
use crate::response::{error_response, json_response, HttpResponse};
use crate::shared::Shared;
use crate::state::StreamEnd;

pub fn handle(shared: &Shared, method: &Method, uri: &http::Uri, body: &[u8]) -> HttpResponse {
    let path = uri.path();
    if method == Method::GET && path == "/_emulator/events" {
        return match events_since(uri) {
            Ok(since) => {
                let events = shared.state.lock_state().events.since(since);
                json_response(StatusCode::OK, Bytes::from(events.to_string()))
            }
            Err(error) => error_response(&error),
        };
    }
    match route(shared, method, path, body) {
        Ok(output) => json_response(StatusCode::OK, Bytes::from(output.to_string())),
        Err(error) => error_response(&error),
    }
}

fn route(
    shared: &Shared,
    method: &Method,
    path: &str,
    body: &[u8],
) -> Result<Value, EmulatorError> {
    let path = path.strip_prefix("/_emulator").unwrap_or(path);
    match (method, path) {
        (&Method::GET, "/health") => Ok(json!({ "status": "ok" })),
        (&Method::POST, "/reset") => {
            shared.reset();
            Ok(json!({}))
        }
        (&Method::POST, "/streams") => {
            let request = parse(body)?;
            let stream_key = request["streamKey"]
                .as_str()
                .ok_or_else(|| EmulatorError::validation("streamKey is required"))?;
            shared.state.lock_state().start_stream(stream_key)
        }
        (&Method::POST, "/streams/stop") => {
            let request = parse(body)?;
            let channel_arn = request["channelArn"]
                .as_str()
                .ok_or_else(|| EmulatorError::validation("channelArn is required"))?;
            stop_stream(shared, channel_arn)
        }
        (&Method::DELETE, _) if path.starts_with("/streams/") => {
            let channel_arn = percent_decode_path(&path["/streams/".len()..]).into_owned();
            stop_stream(shared, &channel_arn)
        }
        (&Method::POST, "/faults") => {
            shared
                .faults
                .inject(Fault::from_json(&parse(body)?).map_err(EmulatorError::validation)?)?;
            Ok(json!({}))
        }
        (&Method::DELETE, "/faults") => {
            shared.faults.clear();
            Ok(json!({}))
        }
        _ => Err(EmulatorError::new(
            404,
            "UnknownOperationException",
            format!("No emulator control route matches {method} /_emulator{path}"),
        )),
    }
}

fn stop_stream(shared: &Shared, channel_arn: &str) -> Result<Value, EmulatorError> {
    shared
        .state
        .lock_state()
        .end_stream(channel_arn, StreamEnd::BroadcasterLeft)?;
    Ok(json!({}))
}

/// The `since` cursor of `GET /_emulator/events?since=N` (0 when absent).
fn events_since(uri: &http::Uri) -> Result<u64, EmulatorError> {
    let since = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "since");
    match since {
        None => Ok(0),
        Some((_, value)) => value.parse().map_err(|_| {
            EmulatorError::validation(format!(
                "since must be a cursor (a whole number) from an earlier answer, not {value:?}"
            ))
        }),
    }
}

fn parse(body: &[u8]) -> Result<Value, EmulatorError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(EmulatorError::validation(
            "The request body must be a JSON object",
        )),
    }
}
