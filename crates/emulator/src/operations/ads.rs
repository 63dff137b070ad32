//! Ad configurations (CreateAdConfiguration) and ad breaks (InsertAdBreak on a live channel).

use std::time::SystemTime;

use serde_json::{json, Value};

use super::common::{create_from_defaults, text, Input, Outcome};
use crate::clock::iso8601;
use crate::error::EmulatorError;
use crate::ids;
use crate::state::{ResourceKind, State};

/// IVS's documented default post-roll: disabled, 15 seconds.
fn default_post_roll() -> Value {
    json!({"enabled": false, "durationSeconds": 15})
}

pub fn create_ad_configuration(state: &mut State, input: &Input) -> Outcome {
    let configuration = create_from_defaults(
        state,
        input,
        ResourceKind::AdConfiguration,
        json!({"name": "", "postRollConfiguration": default_post_roll()}),
    )?;
    Ok(json!({ "adConfiguration": configuration }))
}

pub fn insert_ad_break(state: &mut State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    let channel = state.get(ResourceKind::Channel, channel_arn)?;
    if channel.body["adConfigurationArn"] == "" {
        return Err(EmulatorError::conflict(format!(
            "Channel: {channel_arn} has no ad configuration"
        )));
    }
    if !state.live.contains_key(channel_arn) {
        return Err(EmulatorError::not_broadcasting(channel_arn));
    }
    let ad_break_id = match input.get("adBreakId").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => ids::alphanumeric(12),
    };
    let target_start_at = match input.get("targetStartAt") {
        Some(Value::String(time)) => json!(time),
        _ => json!(iso8601(SystemTime::now())),
    };
    Ok(json!({ "adBreakId": ad_break_id, "targetStartAt": target_start_at }))
}
