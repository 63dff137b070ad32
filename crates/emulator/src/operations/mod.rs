//! The 46 IVS operations over the emulator's state, one file a resource, with what they share in
//! `common.rs`. Inputs arrive already checked against the model, so these functions only enforce
//! what the model cannot say: existence, references, quotas, conflicts and stream state.

mod ads;
mod channels;
mod common;
mod failover_slate_configurations;
mod playback_key_pairs;
mod playback_restriction_policies;
mod recording_configurations;
mod stream_keys;
mod streams;
mod tags;
mod viewer_sessions;

use serde_json::json;

use crate::error::EmulatorError;
use crate::state::{ResourceKind, State};
use common::{
    batch_get, delete_resource, get_resource, list_summaries, update_resource, Input, Outcome,
};

/// Runs one operation. `input` holds every input member by its wire name (path and query members
/// included). The `Value` returned is the response body; operations without output return `Null`.
pub fn dispatch(state: &mut State, operation: &'static str, input: &Input) -> Outcome {
    match operation {
        "CreateChannel" => channels::create_channel(state, input),
        "GetChannel" => get_resource(state, input, ResourceKind::Channel, "channel"),
        "BatchGetChannel" => batch_get(state, input, ResourceKind::Channel, "channels"),
        "UpdateChannel" => channels::update_channel(state, input),
        "DeleteChannel" => channels::delete_channel(state, input),
        "ListChannels" => channels::list_channels(state, input),

        "CreateStreamKey" => stream_keys::create_stream_key(state, input),
        "GetStreamKey" => get_resource(state, input, ResourceKind::StreamKey, "streamKey"),
        "BatchGetStreamKey" => batch_get(state, input, ResourceKind::StreamKey, "streamKeys"),
        "DeleteStreamKey" => delete_resource(state, input, ResourceKind::StreamKey),
        "ListStreamKeys" => stream_keys::list_stream_keys(state, input),

        "ImportPlaybackKeyPair" => playback_key_pairs::import_playback_key_pair(state, input),
        "GetPlaybackKeyPair" => {
            get_resource(state, input, ResourceKind::PlaybackKeyPair, "keyPair")
        }
        "DeletePlaybackKeyPair" => {
            delete_resource(state, input, ResourceKind::PlaybackKeyPair).map(|_| json!({}))
        }
        "ListPlaybackKeyPairs" => {
            list_summaries(state, input, operation, ResourceKind::PlaybackKeyPair)
        }

        "CreateRecordingConfiguration" => {
            recording_configurations::create_recording_configuration(state, input)
        }
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

        "CreatePlaybackRestrictionPolicy" => {
            playback_restriction_policies::create_playback_restriction_policy(state, input)
        }
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

        "CreateAdConfiguration" => ads::create_ad_configuration(state, input),
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

        "CreateFailoverSlateConfiguration" => {
            failover_slate_configurations::create_failover_slate_configuration(state, input)
        }
        "GetFailoverSlateConfiguration" => get_resource(
            state,
            input,
            ResourceKind::FailoverSlateConfiguration,
            "failoverSlateConfiguration",
        ),
        "UpdateFailoverSlateConfiguration" => {
            failover_slate_configurations::update_failover_slate_configuration(state, input)
        }
        "DeleteFailoverSlateConfiguration" => {
            delete_resource(state, input, ResourceKind::FailoverSlateConfiguration)
        }
        "ListFailoverSlateConfigurations" => list_summaries(
            state,
            input,
            operation,
            ResourceKind::FailoverSlateConfiguration,
        ),

        "GetStream" => streams::get_stream(state, input),
        "ListStreams" => streams::list_streams(state, input),
        "StopStream" => streams::stop_stream(state, input),
        "GetStreamSession" => streams::get_stream_session(state, input),
        "ListStreamSessions" => streams::list_stream_sessions(state, input),
        "PutMetadata" => streams::put_metadata(state, input),
        "InsertAdBreak" => ads::insert_ad_break(state, input),

        "StartViewerSessionRevocation" => {
            viewer_sessions::start_viewer_session_revocation(state, input)
        }
        "BatchStartViewerSessionRevocation" => {
            viewer_sessions::batch_start_viewer_session_revocation(state, input)
        }

        "ListTagsForResource" => tags::list_tags(state, input),
        "TagResource" => tags::tag_resource(state, input),
        "UntagResource" => tags::untag_resource(state, input),

        other => Err(EmulatorError::new(
            404,
            "UnknownOperationException",
            format!("The emulator does not implement {other}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::{json, Value};

    use super::*;
    use crate::events::EventLog;
    use crate::generated::list_item_members;
    use crate::state::Delays;

    fn state() -> State {
        let delays = Delays {
            stream_end: Duration::ZERO,
            recording_configuration: Duration::ZERO,
        };
        State::new(
            "us-west-2",
            "123456789012",
            delays,
            EventLog::new("us-west-2", "123456789012", None),
        )
    }

    fn run(state: &mut State, operation: &'static str, input: Value) -> Value {
        let Value::Object(input) = input else {
            panic!("inputs are objects")
        };
        dispatch(state, operation, &input).unwrap_or_else(|e| panic!("{operation}: {}", e.message))
    }

    /// Every list answers its items with exactly the members of the model's summary shape (the
    /// members with a value: `endTime` only once a session has ended).
    #[test]
    fn list_items_are_the_models_summaries() {
        let mut state = state();
        let created = run(&mut state, "CreateChannel", json!({ "name": "a" }));
        let channel_arn = created["channel"]["arn"].as_str().unwrap().to_string();
        let key = created["streamKey"]["value"].as_str().unwrap().to_string();
        state.start_stream(&key).unwrap();
        let by_channel = json!({ "channelArn": channel_arn });
        for (operation, input) in [
            ("ListChannels", json!({})),
            ("ListStreamKeys", by_channel.clone()),
            ("ListStreams", json!({})),
            ("ListStreamSessions", by_channel),
        ] {
            let result_key = libivs_model::operation(operation)
                .and_then(|op| op.paginator)
                .unwrap()
                .result_key;
            let output = run(&mut state, operation, input);
            let item = output[result_key][0].as_object().unwrap();
            let mut expected: Vec<&str> = list_item_members(operation)
                .unwrap()
                .iter()
                .copied()
                .filter(|member| *member != "endTime")
                .collect();
            let mut members: Vec<&str> = item.keys().map(String::as_str).collect();
            members.sort_unstable();
            expected.sort_unstable();
            assert_eq!(members, expected, "{operation}");
        }
    }
}
