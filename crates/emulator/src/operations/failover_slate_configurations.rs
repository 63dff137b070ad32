//! Failover slate configurations: create and update, with the display bounds checked.

use serde_json::{json, Map, Value};

use super::common::{create_from_defaults, merge_update, text, Input, Outcome};
use crate::error::EmulatorError;
use crate::state::{ResourceKind, State};

fn check_slate_display_bounds(configuration: &Map<String, Value>) -> Result<(), EmulatorError> {
    let min = configuration["minSlateDisplaySeconds"].as_i64();
    let max = configuration["maxSlateDisplaySeconds"].as_i64();
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(EmulatorError::validation(
                "minSlateDisplaySeconds must not be greater than maxSlateDisplaySeconds",
            ));
        }
    }
    Ok(())
}

pub fn create_failover_slate_configuration(state: &mut State, input: &Input) -> Outcome {
    // IVS does not document its defaults; these are the model's minimums.
    let defaults = json!({
        "name": "",
        "activationThresholdSeconds": 3,
        "minSlateDisplaySeconds": 3,
        "maxSlateDisplaySeconds": 60,
        "state": "CREATED",
    });
    let mut merged = defaults.as_object().cloned().unwrap_or_default();
    merge_update(&mut merged, input);
    check_slate_display_bounds(&merged)?;
    let configuration = create_from_defaults(
        state,
        input,
        ResourceKind::FailoverSlateConfiguration,
        defaults,
    )?;
    Ok(json!({ "failoverSlateConfiguration": configuration }))
}

pub fn update_failover_slate_configuration(state: &mut State, input: &Input) -> Outcome {
    let configuration =
        state.get_mut(ResourceKind::FailoverSlateConfiguration, text(input, "arn"))?;
    let mut updated = configuration.body.clone();
    merge_update(&mut updated, input);
    check_slate_display_bounds(&updated)?;
    configuration.body = updated;
    Ok(json!({ "failoverSlateConfiguration": Value::Object(configuration.body.clone()) }))
}
