//! Viewer session revocations: StartViewerSessionRevocation and its batch form.

use serde_json::{json, Map, Value};

use super::common::{text, Input, Outcome};
use crate::state::{ResourceKind, State, ViewerSessionRevocation};

fn revocation_of(session: &Input) -> ViewerSessionRevocation {
    ViewerSessionRevocation {
        channel_arn: text(session, "channelArn").to_string(),
        viewer_id: text(session, "viewerId").to_string(),
        versions_up_to: session
            .get("viewerSessionVersionsLessThanOrEqualTo")
            .and_then(Value::as_u64)
            .unwrap_or(0),
    }
}

pub fn start_viewer_session_revocation(state: &mut State, input: &Input) -> Outcome {
    let revocation = revocation_of(input);
    state.get(ResourceKind::Channel, &revocation.channel_arn)?;
    state.revocations.push(revocation);
    Ok(json!({}))
}

pub fn batch_start_viewer_session_revocation(state: &mut State, input: &Input) -> Outcome {
    let mut errors = Vec::new();
    for session in input["viewerSessions"].as_array().into_iter().flatten() {
        let revocation = revocation_of(session.as_object().unwrap_or(&Map::new()));
        match state.get(ResourceKind::Channel, &revocation.channel_arn) {
            Ok(_) => state.revocations.push(revocation),
            Err(error) => errors.push(json!({
                "channelArn": revocation.channel_arn,
                "viewerId": revocation.viewer_id,
                "code": error.code,
                "message": error.message,
            })),
        }
    }
    Ok(json!({ "errors": errors }))
}
