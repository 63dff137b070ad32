//! The 46 IVS operations over the emulator's state. Inputs arrive already checked against the
//! model, so these functions only enforce what the model cannot say: existence, references,
//! quotas, conflicts and stream state.

use std::time::{Duration, Instant, SystemTime};

use p384::pkcs8::{DecodePublicKey, EncodePublicKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::clock::iso8601;
use crate::error::EmulatorError;
use crate::generated;
use crate::ids;
use crate::pagination::{page, Order};
use crate::state::{
    LiveStream, Resource, ResourceKind, Source, State, StreamEnd, ViewerSessionRevocation,
};

type Input = Map<String, Value>;
type Outcome = Result<Value, EmulatorError>;

const MAX_TAGS: usize = 50;
const MAX_PLAYBACK_KEY_PAIRS: usize = 3;
const MAX_METADATA_BYTES: usize = 1024;
const MAX_METADATA_CALLS_PER_SECOND: usize = 5;

/// Runs one operation. `input` holds every input member by its wire name (path and query members
/// included). The `Value` returned is the response body; operations without output return `Null`.
pub fn dispatch(state: &mut State, operation: &'static str, input: &Input) -> Outcome {
    match operation {
        "CreateChannel" => create_channel(state, input),
        "GetChannel" => get_resource(state, input, ResourceKind::Channel, "channel"),
        "BatchGetChannel" => batch_get(state, input, ResourceKind::Channel, "channels"),
        "UpdateChannel" => update_channel(state, input),
        "DeleteChannel" => delete_channel(state, input),
        "ListChannels" => list_channels(state, input),

        "CreateStreamKey" => create_stream_key(state, input),
        "GetStreamKey" => get_resource(state, input, ResourceKind::StreamKey, "streamKey"),
        "BatchGetStreamKey" => batch_get(state, input, ResourceKind::StreamKey, "streamKeys"),
        "DeleteStreamKey" => delete_resource(state, input, ResourceKind::StreamKey),
        "ListStreamKeys" => list_stream_keys(state, input),

        "ImportPlaybackKeyPair" => import_playback_key_pair(state, input),
        "GetPlaybackKeyPair" => {
            get_resource(state, input, ResourceKind::PlaybackKeyPair, "keyPair")
        }
        "DeletePlaybackKeyPair" => {
            delete_resource(state, input, ResourceKind::PlaybackKeyPair).map(|_| json!({}))
        }
        "ListPlaybackKeyPairs" => {
            list_summaries(state, input, operation, ResourceKind::PlaybackKeyPair)
        }

        "CreateRecordingConfiguration" => create_recording_configuration(state, input),
        "GetRecordingConfiguration" => get_resource(
            state,
            input,
            ResourceKind::RecordingConfiguration,
            "recordingConfiguration",
        ),
        "DeleteRecordingConfiguration" => {
            delete_resource(state, input, ResourceKind::RecordingConfiguration)
        }
        "ListRecordingConfigurations" => list_summaries(
            state,
            input,
            operation,
            ResourceKind::RecordingConfiguration,
        ),

        "CreatePlaybackRestrictionPolicy" => create_playback_restriction_policy(state, input),
        "GetPlaybackRestrictionPolicy" => get_resource(
            state,
            input,
            ResourceKind::PlaybackRestrictionPolicy,
            "playbackRestrictionPolicy",
        ),
        "UpdatePlaybackRestrictionPolicy" => update_resource(
            state,
            input,
            ResourceKind::PlaybackRestrictionPolicy,
            "playbackRestrictionPolicy",
        ),
        "DeletePlaybackRestrictionPolicy" => {
            delete_resource(state, input, ResourceKind::PlaybackRestrictionPolicy)
        }
        "ListPlaybackRestrictionPolicies" => list_summaries(
            state,
            input,
            operation,
            ResourceKind::PlaybackRestrictionPolicy,
        ),

        "CreateAdConfiguration" => create_ad_configuration(state, input),
        "GetAdConfiguration" => get_resource(
            state,
            input,
            ResourceKind::AdConfiguration,
            "adConfiguration",
        ),
        "UpdateAdConfiguration" => update_resource(
            state,
            input,
            ResourceKind::AdConfiguration,
            "adConfiguration",
        ),
        "DeleteAdConfiguration" => delete_resource(state, input, ResourceKind::AdConfiguration),
        "ListAdConfigurations" => {
            list_summaries(state, input, operation, ResourceKind::AdConfiguration)
        }

        "CreateFailoverSlateConfiguration" => create_failover_slate_configuration(state, input),
        "GetFailoverSlateConfiguration" => get_resource(
            state,
            input,
            ResourceKind::FailoverSlateConfiguration,
            "failoverSlateConfiguration",
        ),
        "UpdateFailoverSlateConfiguration" => update_failover_slate_configuration(state, input),
        "DeleteFailoverSlateConfiguration" => {
            delete_resource(state, input, ResourceKind::FailoverSlateConfiguration)
        }
        "ListFailoverSlateConfigurations" => list_summaries(
            state,
            input,
            operation,
            ResourceKind::FailoverSlateConfiguration,
        ),

        "GetStream" => get_stream(state, input),
        "ListStreams" => list_streams(state, input),
        "StopStream" => {
            let channel_arn = text(input, "channelArn");
            state
                .end_stream(channel_arn, StreamEnd::StoppedByApi)
                .map(|_| json!({}))
        }
        "GetStreamSession" => get_stream_session(state, input),
        "ListStreamSessions" => list_stream_sessions(state, input),
        "PutMetadata" => put_metadata(state, input),
        "InsertAdBreak" => insert_ad_break(state, input),

        "StartViewerSessionRevocation" => start_viewer_session_revocation(state, input),
        "BatchStartViewerSessionRevocation" => batch_start_viewer_session_revocation(state, input),

        "ListTagsForResource" => list_tags(state, input),
        "TagResource" => tag_resource(state, input),
        "UntagResource" => untag_resource(state, input),

        other => Err(EmulatorError::new(
            404,
            "UnknownOperationException",
            format!("The emulator does not implement {other}"),
        )),
    }
}

/// A string member, or "" when absent (the model check has already enforced required members).
fn text<'a>(input: &'a Input, member: &str) -> &'a str {
    input
        .get(member)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn tags_of(input: &Input) -> Result<Value, EmulatorError> {
    let tags = input
        .get("tags")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    if tags.as_object().map_or(0, Map::len) > MAX_TAGS {
        return Err(EmulatorError::validation(format!(
            "Invalid length for parameter tags: a resource can have at most {MAX_TAGS} tags"
        )));
    }
    Ok(tags)
}

/// Only the listed members of a resource, as its summary in list operations.
fn summary(body: &Map<String, Value>, members: &[&str]) -> Value {
    Value::Object(
        members
            .iter()
            .filter_map(|member| Some((member.to_string(), body.get(*member)?.clone())))
            .collect(),
    )
}

/// Copies the members present in the input over the resource (everything except `arn`).
fn merge_update(body: &mut Map<String, Value>, input: &Input) {
    for (member, value) in input {
        if member != "arn" {
            body.insert(member.clone(), value.clone());
        }
    }
}

fn get_resource(state: &State, input: &Input, kind: ResourceKind, wrapper: &str) -> Outcome {
    let resource = state.get(kind, text(input, "arn"))?;
    Ok(json!({ wrapper: Value::Object(resource.body.clone()) }))
}

fn batch_get(state: &State, input: &Input, kind: ResourceKind, wrapper: &str) -> Outcome {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for arn in input["arns"].as_array().into_iter().flatten() {
        let arn = arn.as_str().unwrap_or_default();
        if !seen.insert(arn) {
            continue;
        }
        match state.get(kind, arn) {
            Ok(resource) => found.push(Value::Object(resource.body.clone())),
            Err(error) => errors.push(json!({
                "arn": arn, "code": error.code, "message": error.message
            })),
        }
    }
    Ok(json!({ wrapper: found, "errors": errors }))
}

fn update_resource(state: &mut State, input: &Input, kind: ResourceKind, wrapper: &str) -> Outcome {
    let resource = state.get_mut(kind, text(input, "arn"))?;
    merge_update(&mut resource.body, input);
    Ok(json!({ wrapper: Value::Object(resource.body.clone()) }))
}

/// Deletes a resource, refusing when a channel still refers to it. Answers with no body.
fn delete_resource(state: &mut State, input: &Input, kind: ResourceKind) -> Outcome {
    let arn = text(input, "arn");
    state.get(kind, arn)?;
    if let Some(member) = kind.channel_reference() {
        let in_use = state
            .list(ResourceKind::Channel)
            .iter()
            .any(|channel| channel.body[member] == arn);
        if in_use {
            return Err(EmulatorError::conflict(format!(
                "Resource: {arn} is in use by a channel and cannot be deleted"
            )));
        }
    }
    state.resources.remove(arn);
    state.playback_public_keys.remove(arn);
    Ok(Value::Null)
}

fn list_summaries(
    state: &State,
    input: &Input,
    operation: &'static str,
    kind: ResourceKind,
) -> Outcome {
    list_resources(operation, state.list(kind), input)
}

/// A page of resources as a list operation's items: each with only the members of the model's
/// summary of it (`ChannelSummary`...), oldest first.
fn list_resources(operation: &'static str, resources: Vec<&Resource>, input: &Input) -> Outcome {
    let members = item_members(operation)?;
    let items = resources
        .into_iter()
        .map(|resource| (resource.sequence, summary(&resource.body, members)))
        .collect();
    paged_response(operation, items, Order::OldestFirst, input)
}

/// The members of a list operation's items (the model's summary shape).
fn item_members(operation: &str) -> Result<&'static [&'static str], EmulatorError> {
    generated::list_item_members(operation).ok_or_else(|| {
        EmulatorError::internal(format!("{operation} is not a list operation of the model"))
    })
}

/// One page of a list operation's `items` under its result key (`channels`...), with the
/// `nextToken` of the next page.
fn paged_response(
    operation: &'static str,
    items: Vec<(u64, Value)>,
    order: Order,
    input: &Input,
) -> Outcome {
    let result_key = libivs_model::operation(operation)
        .and_then(|op| op.paginator)
        .map(|paginator| paginator.result_key)
        .ok_or_else(|| {
            EmulatorError::internal(format!("{operation} is not a paginated operation"))
        })?;
    let (items, next_token) = page(operation, items, order, input)?;
    let mut body = json!({ result_key: items });
    if let Some(token) = next_token {
        body["nextToken"] = Value::String(token);
    }
    Ok(body)
}

// ---- channels and stream keys ----

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

fn new_stream_key(state: &mut State, channel_arn: &str, tags: Value) -> Value {
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

fn create_channel(state: &mut State, input: &Input) -> Outcome {
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

fn update_channel(state: &mut State, input: &Input) -> Outcome {
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

fn delete_channel(state: &mut State, input: &Input) -> Outcome {
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

fn list_channels(state: &State, input: &Input) -> Outcome {
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

fn create_stream_key(state: &mut State, input: &Input) -> Outcome {
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

fn list_stream_keys(state: &State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    state.get(ResourceKind::Channel, channel_arn)?;
    list_resources(
        "ListStreamKeys",
        state.stream_key_of_channel(channel_arn),
        input,
    )
}

// ---- playback key pairs and configurations ----

fn import_playback_key_pair(state: &mut State, input: &Input) -> Outcome {
    let invalid = || {
        EmulatorError::validation(
            "publicKeyMaterial must be a P-384 (secp384r1) public key in PEM format",
        )
    };
    let public_key = p384::PublicKey::from_public_key_pem(text(input, "publicKeyMaterial").trim())
        .map_err(|_| invalid())?;
    let der = public_key.to_public_key_der().map_err(|_| invalid())?;
    // IVS writes fingerprints as colon-separated bytes (`9f:3a:...`).
    let fingerprint = Sha256::digest(der.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    let key_pairs = state.list(ResourceKind::PlaybackKeyPair);
    if key_pairs
        .iter()
        .any(|pair| pair.body["fingerprint"] == fingerprint.as_str())
    {
        return Err(EmulatorError::conflict(
            "A playback key pair with this public key has already been imported",
        ));
    }
    if key_pairs.len() >= MAX_PLAYBACK_KEY_PAIRS {
        return Err(EmulatorError::quota_exceeded(format!(
            "Request would exceed the quota of {MAX_PLAYBACK_KEY_PAIRS} playback key pairs"
        )));
    }
    let tags = tags_of(input)?;
    let arn = state.new_arn(ResourceKind::PlaybackKeyPair);
    state.playback_public_keys.insert(
        arn.clone(),
        text(input, "publicKeyMaterial").trim().to_string(),
    );
    let body = json!({
        "arn": arn,
        "name": text(input, "name"),
        "fingerprint": fingerprint,
        "tags": tags,
    });
    let Value::Object(body) = body else {
        unreachable!("json! of an object literal is an object")
    };
    Ok(json!({ "keyPair": state.insert(ResourceKind::PlaybackKeyPair, body) }))
}

/// Creates a resource from IVS's defaults overlaid with the request's members.
fn create_from_defaults(
    state: &mut State,
    input: &Input,
    kind: ResourceKind,
    defaults: Value,
) -> Result<Value, EmulatorError> {
    let Value::Object(mut body) = defaults else {
        unreachable!("defaults are an object literal")
    };
    body.insert("arn".into(), json!(state.new_arn(kind)));
    merge_update(&mut body, input);
    body.insert("tags".into(), tags_of(input)?);
    Ok(state.insert(kind, body))
}

fn create_recording_configuration(state: &mut State, input: &Input) -> Outcome {
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

fn create_playback_restriction_policy(state: &mut State, input: &Input) -> Outcome {
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

/// IVS's documented default post-roll: disabled, 15 seconds.
fn default_post_roll() -> Value {
    json!({"enabled": false, "durationSeconds": 15})
}

fn create_ad_configuration(state: &mut State, input: &Input) -> Outcome {
    let configuration = create_from_defaults(
        state,
        input,
        ResourceKind::AdConfiguration,
        json!({"name": "", "postRollConfiguration": default_post_roll()}),
    )?;
    Ok(json!({ "adConfiguration": configuration }))
}

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

fn create_failover_slate_configuration(state: &mut State, input: &Input) -> Outcome {
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

fn update_failover_slate_configuration(state: &mut State, input: &Input) -> Outcome {
    let configuration =
        state.get_mut(ResourceKind::FailoverSlateConfiguration, text(input, "arn"))?;
    let mut updated = configuration.body.clone();
    merge_update(&mut updated, input);
    check_slate_display_bounds(&updated)?;
    configuration.body = updated;
    Ok(json!({ "failoverSlateConfiguration": Value::Object(configuration.body.clone()) }))
}

// ---- streams ----

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

fn get_stream(state: &State, input: &Input) -> Outcome {
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

fn list_streams(state: &State, input: &Input) -> Outcome {
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

fn get_stream_session(state: &State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    state.get(ResourceKind::Channel, channel_arn)?;
    let sessions = state
        .sessions
        .get(channel_arn)
        .map(Vec::as_slice)
        .unwrap_or_default();
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

fn list_stream_sessions(state: &State, input: &Input) -> Outcome {
    let channel_arn = text(input, "channelArn");
    state.get(ResourceKind::Channel, channel_arn)?;
    let sessions = state
        .sessions
        .get(channel_arn)
        .map(Vec::as_slice)
        .unwrap_or_default();
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

fn put_metadata(state: &mut State, input: &Input) -> Outcome {
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

fn insert_ad_break(state: &mut State, input: &Input) -> Outcome {
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

// ---- viewer session revocation ----

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

fn start_viewer_session_revocation(state: &mut State, input: &Input) -> Outcome {
    let revocation = revocation_of(input);
    state.get(ResourceKind::Channel, &revocation.channel_arn)?;
    state.revocations.push(revocation);
    Ok(json!({}))
}

fn batch_start_viewer_session_revocation(state: &mut State, input: &Input) -> Outcome {
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

// ---- tags ----

fn tagged_resource<'a>(
    state: &'a mut State,
    input: &Input,
) -> Result<&'a mut Map<String, Value>, EmulatorError> {
    let arn = text(input, "resourceArn");
    let resource = state
        .resources
        .get_mut(arn)
        .ok_or_else(|| EmulatorError::no_such_resource(arn))?;
    let tags = resource
        .body
        .entry("tags")
        .or_insert_with(|| Value::Object(Map::new()));
    if !tags.is_object() {
        *tags = Value::Object(Map::new());
    }
    Ok(tags.as_object_mut().expect("tags were just made an object"))
}

fn list_tags(state: &mut State, input: &Input) -> Outcome {
    let tags = tagged_resource(state, input)?;
    Ok(json!({ "tags": Value::Object(tags.clone()) }))
}

fn tag_resource(state: &mut State, input: &Input) -> Outcome {
    let tags = tagged_resource(state, input)?;
    let mut merged = tags.clone();
    for (key, value) in input["tags"].as_object().into_iter().flatten() {
        merged.insert(key.clone(), value.clone());
    }
    if merged.len() > MAX_TAGS {
        return Err(EmulatorError::validation(format!(
            "Invalid length for parameter tags: a resource can have at most {MAX_TAGS} tags"
        )));
    }
    *tags = merged;
    Ok(json!({}))
}

fn untag_resource(state: &mut State, input: &Input) -> Outcome {
    let tags = tagged_resource(state, input)?;
    for key in input["tagKeys"].as_array().into_iter().flatten() {
        if let Some(key) = key.as_str() {
            tags.remove(key);
        }
    }
    Ok(json!({}))
}
