//! Playback restriction policies: CreatePlaybackRestrictionPolicy with IVS's defaults.

use serde_json::json;

use super::common::{create_from_defaults, Input, Outcome};
use crate::state::{ResourceKind, State};

pub fn create_playback_restriction_policy(state: &mut State, input: &Input) -> Outcome {
    let defaults = json!({
        "name": "",
        "allowedCountries": [],
        "allowedOrigins": [],
        "enableStrictOriginEnforcement": false,
    });
    let policy = create_from_defaults(
        state,
        input,
        ResourceKind::PlaybackRestrictionPolicy,
        defaults,
    )?;
    Ok(json!({ "playbackRestrictionPolicy": policy }))
}
