//! Channels: CreateChannel (with its stream key), UpdateChannel, DeleteChannel, ListChannels.

use serde_json::{json, Map, Value};

use super::common::{list_resources, merge_update, tags_of, text, Input, Outcome};
use super::stream_keys::new_stream_key;
use crate::error::EmulatorError;
use crate::ids;
use crate::state::{ResourceKind, State};

/// Checks that every configuration a channel refers to exists.
fn check_channel_references(state: &State, input: &Input) -> Result<(), EmulatorError> {
    for kind in [
        ResourceKind::RecordingConfiguration,
        ResourceKind::PlaybackRestrictionPolicy,
        ResourceKind::AdConfiguration,
        ResourceKind::FailoverSlateConfiguration,
    ] {
        let member = kind.channel_reference().unwrap_or_default();
        let arn = text(input, member);
        if !arn.is_empty() {
            state.get(kind, arn)?;
        }
    }
    Ok(())
}

/// Rules between channel members that the model cannot express.
fn check_channel_settings(channel: &Map<String, Value>) -> Result<(), EmulatorError> {
    let multitrack_enabled = channel["multitrackInputConfiguration"]["enabled"] == true;
    if multitrack_enabled && channel["containerFormat"] != "FRAGMENTED_MP4" {
        return Err(EmulatorError::validation(
            "multitrackInputConfiguration requires containerFormat FRAGMENTED_MP4",
        ));
    }
    if multitrack_enabled && channel["type"] != "STANDARD" {
        return Err(EmulatorError::validation(
            "multitrackInputConfiguration requires a STANDARD channel type",
        ));
    }
    Ok(())
}

/// A preset only applies to ADVANCED channels; other types carry an empty one.
fn settle_preset(channel: &mut Map<String, Value>) {
    let advanced = channel["type"]
        .as_str()
        .is_some_and(|kind| kind.starts_with("ADVANCED"));
    if !advanced {
        channel.insert("preset".into(), json!(""));
    } else if channel["preset"] == "" {
        channel.insert("preset".into(), json!("HIGHER_BANDWIDTH_DELIVERY"));
    }
}

pub fn create_channel(state: &mut State, input: &Input) -> Outcome {
    check_channel_references(state, input)?;
    let arn = state.new_arn(ResourceKind::Channel);
    let channel_id = arn.rsplit('/').next().unwrap_or_default().to_string();
    let region = state.region.clone();
    // IVS gives every channel of an account the same host prefix.
    let host_prefix = state.host_prefix.clone();
    let mut channel = json!({
        "arn": arn,
        "name": "",
        "latencyMode": "LOW",
        "type": "STANDARD",
        "recordingConfigurationArn": "",
        "ingestEndpoint": format!("{host_prefix}.global-contribute.live-video.net"),
        "playbackUrl": format!(
            "https://{host_prefix}.{region}.playback.live-video.net/api/video/v1/{region}.{}.channel.{channel_id}.m3u8",
            state.account_id
        ),
        "authorized": false,
        "tags": {},
        "insecureIngest": false,
        "preset": "",
        "srt": {
            "endpoint": format!("{host_prefix}.srt.live-video.net"),
            "passphrase": ids::srt_passphrase(),
        },
        "playbackRestrictionPolicyArn": "",
        "multitrackInputConfiguration": {"enabled": false, "policy": "ALLOW", "maximumResolution": "FULL_HD"},
        "containerFormat": "TS",
        "adConfigurationArn": "",
        "failoverSlateConfigurationArn": "",
    });
    let Value::Object(ref mut body) = channel else {
        unreachable!("json! of an object literal is an object")
    };
    merge_update(body, input);
    body.insert("tags".into(), tags_of(input)?);
    settle_preset(body);
    check_channel_settings(body)?;
    let channel = state.insert(ResourceKind::Channel, body.clone());
    let stream_key = new_stream_key(state, &arn, json!({}));
    Ok(json!({ "channel": channel, "streamKey": stream_key }))
}

pub fn update_channel(state: &mut State, input: &Input) -> Outcome {
    let arn = text(input, "arn");
    state.get(ResourceKind::Channel, arn)?;
    check_channel_references(state, input)?;
    if state.live.contains_key(arn) {
        return Err(EmulatorError::conflict(format!(
            "Channel: {arn} is live; stop the stream before updating the channel"
        )));
    }
    let channel = state.get_mut(ResourceKind::Channel, arn)?;
    let mut updated = channel.body.clone();
    merge_update(&mut updated, input);
    settle_preset(&mut updated);
    check_channel_settings(&updated)?;
    channel.body = updated;
    Ok(json!({ "channel": Value::Object(channel.body.clone()) }))
}

pub fn delete_channel(state: &mut State, input: &Input) -> Outcome {
    let arn = text(input, "arn");
    state.get(ResourceKind::Channel, arn)?;
    if state.live.contains_key(arn) {
        return Err(EmulatorError::conflict(format!(
            "Channel: {arn} is live; stop the stream before deleting the channel"
        )));
    }
    let keys: Vec<String> = state
        .stream_key_of_channel(arn)
        .iter()
        .map(|key| key.body["arn"].as_str().unwrap_or_default().to_string())
        .collect();
    for key in keys {
        state.resources.remove(&key);
    }
    state.resources.remove(arn);
    state.sessions.remove(arn);
    Ok(Value::Null)
}

pub fn list_channels(state: &State, input: &Input) -> Outcome {
    const REFERENCE_FILTERS: &[(&str, &str)] = &[
        (
            "filterByRecordingConfigurationArn",
            "recordingConfigurationArn",
        ),
        (
            "filterByPlaybackRestrictionPolicyArn",
            "playbackRestrictionPolicyArn",
        ),
        ("filterByAdConfigurationArn", "adConfigurationArn"),
        (
            "filterByFailoverSlateConfigurationArn",
            "failoverSlateConfigurationArn",
        ),
    ];
    let name_filter = input.get("filterByName").and_then(Value::as_str);
    let reference_filters: Vec<(&str, &str)> = REFERENCE_FILTERS
        .iter()
        .filter_map(|(filter, member)| Some((*member, input.get(*filter)?.as_str()?)))
        .collect();
    if usize::from(name_filter.is_some()) + reference_filters.len() > 1 {
        return Err(EmulatorError::conflict("Only one filter can be used"));
    }
    let channels = state
        .list(ResourceKind::Channel)
        .into_iter()
        .filter(|channel| {
            // IVS documents filterByName as matching the name; the emulator matches a prefix.
            let name_matches = name_filter.is_none_or(|prefix| {
                channel.body["name"]
                    .as_str()
                    .is_some_and(|name| name.starts_with(prefix))
            });
            name_matches
                && reference_filters
                    .iter()
                    .all(|(member, arn)| channel.body[*member] == *arn)
        })
        .collect();
    list_resources("ListChannels", channels, input)
}
