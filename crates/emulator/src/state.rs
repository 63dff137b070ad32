//! What the emulator remembers: resources by ARN, live streams, stream sessions and viewer
//! session revocations.
//!
//! Resources are kept in their wire form (a JSON object with the model's member names), which is
//! what every operation returns; the few facts the rules need beyond that (creation order, live
//! streams) sit beside them. Nothing here derives `Debug`: stream-key values and SRT passphrases
//! live in these objects.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Instant, SystemTime};

use serde_json::{json, Map, Value};

use crate::clock::iso8601;
use crate::error::EmulatorError;
use crate::ids;

/// The kinds of IVS resources, each with the word its ARNs carry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResourceKind {
    Channel,
    StreamKey,
    PlaybackKeyPair,
    RecordingConfiguration,
    PlaybackRestrictionPolicy,
    AdConfiguration,
    FailoverSlateConfiguration,
}

impl ResourceKind {
    pub fn arn_segment(self) -> &'static str {
        match self {
            ResourceKind::Channel => "channel",
            ResourceKind::StreamKey => "stream-key",
            ResourceKind::PlaybackKeyPair => "playback-key",
            ResourceKind::RecordingConfiguration => "recording-configuration",
            ResourceKind::PlaybackRestrictionPolicy => "playback-restriction-policy",
            ResourceKind::AdConfiguration => "ad-configuration",
            ResourceKind::FailoverSlateConfiguration => "failover-slate-configuration",
        }
    }

    /// The channel member that refers to a resource of this kind, for the kinds a channel uses.
    pub fn channel_reference(self) -> Option<&'static str> {
        match self {
            ResourceKind::RecordingConfiguration => Some("recordingConfigurationArn"),
            ResourceKind::PlaybackRestrictionPolicy => Some("playbackRestrictionPolicyArn"),
            ResourceKind::AdConfiguration => Some("adConfigurationArn"),
            ResourceKind::FailoverSlateConfiguration => Some("failoverSlateConfigurationArn"),
            _ => None,
        }
    }
}

pub struct Resource {
    /// Creation order, which lists follow and pagination tokens point into.
    pub sequence: u64,
    pub kind: ResourceKind,
    /// The resource as IVS returns it, `arn` and `tags` included.
    pub body: Map<String, Value>,
}

/// A channel that a (simulated) broadcaster is sending to.
pub struct LiveStream {
    pub stream_id: String,
    pub start_time: SystemTime,
    pub sequence: u64,
    /// When recent PutMetadata calls arrived, for the 5-per-second limit.
    pub metadata_calls: VecDeque<Instant>,
}

pub struct StreamSession {
    pub sequence: u64,
    pub stream_id: String,
    pub start_time: SystemTime,
    pub end_time: Option<SystemTime>,
    /// The channel, recording and failover-slate configurations as they were when it started.
    pub channel: Value,
    pub recording_configuration: Option<Value>,
    pub failover_slate_configuration: Option<Value>,
    pub events: Vec<Value>,
}

/// A StartViewerSessionRevocation request, kept for playback authorization to honour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewerSessionRevocation {
    pub channel_arn: String,
    pub viewer_id: String,
    pub versions_up_to: u64,
}

/// Why a stream ended.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    BroadcasterLeft,
    StoppedByApi,
}

pub struct State {
    pub region: String,
    pub account_id: String,
    next_sequence: u64,
    pub resources: HashMap<String, Resource>,
    /// Live streams by channel ARN.
    pub live: HashMap<String, LiveStream>,
    /// Stream sessions by channel ARN, oldest first.
    pub sessions: HashMap<String, Vec<StreamSession>>,
    pub revocations: Vec<ViewerSessionRevocation>,
    /// The public key PEM of each imported playback key pair, by key pair ARN. IVS never returns
    /// it, so it is kept beside the resource rather than in its wire form.
    pub playback_public_keys: HashMap<String, String>,
    /// The `aws:single-use-uuid`s of playback tokens that have been used.
    pub used_single_use_uuids: HashSet<String>,
}

impl State {
    pub fn new(region: &str, account_id: &str) -> Self {
        State {
            region: region.to_string(),
            account_id: account_id.to_string(),
            next_sequence: 1,
            resources: HashMap::new(),
            live: HashMap::new(),
            sessions: HashMap::new(),
            revocations: Vec::new(),
            playback_public_keys: HashMap::new(),
            used_single_use_uuids: HashSet::new(),
        }
    }

    pub fn next_sequence(&mut self) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        sequence
    }

    pub fn new_arn(&self, kind: ResourceKind) -> String {
        format!(
            "arn:aws:ivs:{}:{}:{}/{}",
            self.region,
            self.account_id,
            kind.arn_segment(),
            ids::resource_id()
        )
    }

    pub fn insert(&mut self, kind: ResourceKind, body: Map<String, Value>) -> Value {
        let sequence = self.next_sequence();
        let arn = body["arn"].as_str().unwrap_or_default().to_string();
        let wire = Value::Object(body.clone());
        self.resources.insert(
            arn,
            Resource {
                sequence,
                kind,
                body,
            },
        );
        wire
    }

    pub fn get(&self, kind: ResourceKind, arn: &str) -> Result<&Resource, EmulatorError> {
        match self.resources.get(arn) {
            Some(resource) if resource.kind == kind => Ok(resource),
            _ => Err(EmulatorError::no_such_resource(arn)),
        }
    }

    pub fn get_mut(
        &mut self,
        kind: ResourceKind,
        arn: &str,
    ) -> Result<&mut Resource, EmulatorError> {
        match self.resources.get_mut(arn) {
            Some(resource) if resource.kind == kind => Ok(resource),
            _ => Err(EmulatorError::no_such_resource(arn)),
        }
    }

    /// The resources of one kind in creation order.
    pub fn list(&self, kind: ResourceKind) -> Vec<&Resource> {
        let mut found: Vec<&Resource> = self
            .resources
            .values()
            .filter(|resource| resource.kind == kind)
            .collect();
        found.sort_by_key(|resource| resource.sequence);
        found
    }

    pub fn stream_key_of_channel(&self, channel_arn: &str) -> Vec<&Resource> {
        self.list(ResourceKind::StreamKey)
            .into_iter()
            .filter(|key| key.body["channelArn"] == channel_arn)
            .collect()
    }

    /// Simulates a broadcaster connecting with a stream key value.
    pub fn start_stream(&mut self, stream_key_value: &str) -> Result<Value, EmulatorError> {
        let channel_arn = self
            .resources
            .values()
            .find(|resource| {
                resource.kind == ResourceKind::StreamKey
                    && resource.body["value"] == stream_key_value
            })
            .and_then(|key| key.body["channelArn"].as_str())
            .map(str::to_string)
            // The value is a secret, so the message does not repeat it.
            .ok_or_else(|| EmulatorError::not_found("No stream key has this value"))?;
        if self.live.contains_key(&channel_arn) {
            return Err(EmulatorError::conflict(format!(
                "Channel: {channel_arn} is already live"
            )));
        }
        let channel = Value::Object(self.get(ResourceKind::Channel, &channel_arn)?.body.clone());
        let referenced = |member: &str, kind: ResourceKind| -> Option<Value> {
            let arn = channel[member].as_str().filter(|arn| !arn.is_empty())?;
            self.get(kind, arn)
                .ok()
                .map(|resource| Value::Object(resource.body.clone()))
        };
        let recording_configuration = referenced(
            "recordingConfigurationArn",
            ResourceKind::RecordingConfiguration,
        );
        let failover_slate_configuration = referenced(
            "failoverSlateConfigurationArn",
            ResourceKind::FailoverSlateConfiguration,
        );
        let now = SystemTime::now();
        let stream_id = ids::stream_id();
        let sequence = self.next_sequence();
        let session = StreamSession {
            sequence,
            stream_id: stream_id.clone(),
            start_time: now,
            end_time: None,
            channel,
            recording_configuration,
            failover_slate_configuration,
            events: vec![
                stream_event("Session Created", now),
                stream_event("Broadcast Start", now),
            ],
        };
        self.sessions
            .entry(channel_arn.clone())
            .or_default()
            .push(session);
        self.live.insert(
            channel_arn.clone(),
            LiveStream {
                stream_id: stream_id.clone(),
                start_time: now,
                sequence,
                metadata_calls: VecDeque::new(),
            },
        );
        Ok(json!({ "channelArn": channel_arn, "streamId": stream_id }))
    }

    /// Ends the live stream of a channel; its session gets an end time and closing events.
    pub fn end_stream(&mut self, channel_arn: &str, why: StreamEnd) -> Result<(), EmulatorError> {
        self.get(ResourceKind::Channel, channel_arn)?;
        let live = self
            .live
            .remove(channel_arn)
            .ok_or_else(|| EmulatorError::not_broadcasting(channel_arn))?;
        let now = SystemTime::now();
        if let Some(session) = self
            .sessions
            .get_mut(channel_arn)
            .and_then(|sessions| sessions.iter_mut().find(|s| s.stream_id == live.stream_id))
        {
            session.end_time = Some(now);
            if why == StreamEnd::BroadcasterLeft {
                session.events.push(stream_event("Broadcast End", now));
            }
            session.events.push(stream_event("Session Ended", now));
        }
        Ok(())
    }
}

/// A stream-state event as IVS lists it in a session's `truncatedEvents`.
fn stream_event(name: &str, time: SystemTime) -> Value {
    json!({ "name": name, "type": "IVS Stream State Change", "eventTime": iso8601(time) })
}

/// The state behind its lock.
pub struct SharedState {
    state: Mutex<State>,
}

impl SharedState {
    pub fn new(region: &str, account_id: &str) -> Self {
        SharedState {
            state: Mutex::new(State::new(region, account_id)),
        }
    }

    pub fn lock_state(&self) -> MutexGuard<'_, State> {
        // Handlers do not panic by design; if one ever did, the state is still consistent enough
        // to keep serving rather than failing every later request.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn reset(&self) {
        let mut state = self.lock_state();
        let fresh = State::new(&state.region, &state.account_id);
        *state = fresh;
    }
}
