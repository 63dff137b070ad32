//! Recording configurations: CreateRecordingConfiguration with IVS's defaults, CREATING until
//! the configured delay has passed.

use std::time::Instant;

use serde_json::{json, Value};

use super::common::{create_from_defaults, Input, Outcome};
use crate::error::EmulatorError;
use crate::state::{ResourceKind, State};

pub fn create_recording_configuration(state: &mut State, input: &Input) -> Outcome {
    if input["destinationConfiguration"].get("s3").is_none() {
        return Err(EmulatorError::validation(
            "destinationConfiguration must contain an s3 destination",
        ));
    }
    let renditions = input.get("renditionConfiguration").unwrap_or(&Value::Null);
    let no_renditions = renditions["renditions"]
        .as_array()
        .is_none_or(|list| list.is_empty());
    if renditions["renditionSelection"] == "CUSTOM" && no_renditions {
        return Err(EmulatorError::validation(
            "renditionConfiguration.renditions must be specified when renditionSelection is CUSTOM",
        ));
    }
    // IVS checks the bucket first: CREATING, then ACTIVE after the configured delay (a zero
    // delay, the embedded default, answers ACTIVE at once).
    let delay = state.delays.recording_configuration;
    let defaults = json!({
        "name": "",
        "state": if delay.is_zero() { "ACTIVE" } else { "CREATING" },
        "recordingReconnectWindowSeconds": 0,
    });
    let mut input = input.clone();
    // Partial configurations get IVS's documented defaults for the members left out.
    with_defaults(
        &mut input,
        "thumbnailConfiguration",
        json!({
            "recordingMode": "INTERVAL",
            "targetIntervalSeconds": 60,
            "storage": ["SEQUENTIAL"],
        }),
    );
    with_defaults(
        &mut input,
        "renditionConfiguration",
        json!({"renditionSelection": "ALL", "renditions": []}),
    );
    let configuration = create_from_defaults(
        state,
        &input,
        ResourceKind::RecordingConfiguration,
        defaults,
    )?;
    if !delay.is_zero() {
        let arn = configuration["arn"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        state
            .creating_recording_configurations
            .insert(arn, Instant::now() + delay);
    }
    Ok(json!({ "recordingConfiguration": configuration }))
}

/// Fills the members of `input[member]` that the request left out from `defaults` (the
/// whole object when it is absent).
fn with_defaults(input: &mut Input, member: &str, defaults: Value) {
    let Value::Object(mut merged) = defaults else {
        return;
    };
    if let Some(Value::Object(given)) = input.get(member) {
        for (key, value) in given {
            merged.insert(key.clone(), value.clone());
        }
    }
    input.insert(member.to_string(), Value::Object(merged));
}
