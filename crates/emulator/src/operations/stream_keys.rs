//! Stream keys: one per channel, made with the channel or by CreateStreamKey.

use serde_json::{json, Value};

use super::common::{list_resources, tags_of, text, Input, Outcome};
use crate::error::EmulatorError;
use crate::ids;
use crate::state::{ResourceKind, State};

pub fn new_stream_key(state: &mut State, channel_arn: &str, tags: Value) -> Value {
    let body = json!({
        "arn": state.new_arn(ResourceKind::StreamKey),
        "value": ids::stream_key_value(&state.region),
        "channelArn": channel_arn,
        "tags": tags,
    });
    let Value::Object(body) = body else {
        unreachable!("json! of an object literal is an object")
    };
    state.insert(ResourceKind::StreamKey, body)
}

pub fn create_stream_key(state: &mut State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    state.get(ResourceKind::Channel, channel_arn)?;
    if !state.stream_key_of_channel(channel_arn).is_empty() {
        return Err(EmulatorError::quota_exceeded(format!(
            "Channel: {channel_arn} already has a stream key; a channel can have only one"
        )));
    }
    let tags = tags_of(input)?;
    let stream_key = new_stream_key(state, channel_arn, tags);
    Ok(json!({ "streamKey": stream_key }))
}

pub fn list_stream_keys(state: &State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    state.get(ResourceKind::Channel, channel_arn)?;
    list_resources(
        "ListStreamKeys",
        state.stream_key_of_channel(channel_arn),
        input,
    )
}
