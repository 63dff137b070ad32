//! What the emulator remembers: resources by ARN, live streams, stream sessions and viewer
//! session revocations.
//!
//! Resources are kept in their wire form (a JSON object with the model's member names), which is
//! what every operation returns; the few facts the rules need beyond that (creation order, live
//! streams) sit beside them. Nothing here derives `Debug`: stream-key values and SRT passphrases
//! live in these objects.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Map, Value};

use crate::clock::iso8601;
use crate::error::EmulatorError;
use crate::events::{EventLog, Recording, RECORDING_STATE_CHANGE, STREAM_STATE_CHANGE};
use crate::ids;
use crate::media::IngestMedia;

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

/// Where a live stream's media comes from.
pub enum Source {
    /// `start_stream` / `POST /_emulator/streams`: no media, always healthy.
    Control,
    /// A publisher on the RTMP(S) port. `disconnect` asks its connection to close (StopStream).
    Rtmp {
        disconnect: Arc<tokio::sync::Notify>,
        media: IngestMedia,
    },
}

/// A channel that a broadcaster is sending to.
pub struct LiveStream {
    pub stream_id: String,
    pub start_time: SystemTime,
    pub sequence: u64,
    /// When recent PutMetadata calls arrived, for the 5-per-second limit.
    pub metadata_calls: VecDeque<Instant>,
    pub source: Source,
    /// Set once the stream is ending (StopStream, or the publisher left): when it will have
    /// ended. Until then the channel stays live and cannot be deleted or updated.
    pub ending_at: Option<Instant>,
    /// When recent playlists were served, for viewerCount.
    pub views: VecDeque<Instant>,
}

/// How long a served playlist counts as a viewer.
pub const VIEWER_WINDOW: Duration = Duration::from_secs(30);
/// How long without media before a connected stream is STARVING.
pub const STARVING_AFTER: Duration = Duration::from_secs(2);

impl LiveStream {
    pub fn record_view(&mut self, now: Instant) {
        self.views.push_back(now);
        self.forget_old_views(now);
    }

    fn forget_old_views(&mut self, now: Instant) {
        while self
            .views
            .front()
            .is_some_and(|view| now.duration_since(*view) >= VIEWER_WINDOW)
        {
            self.views.pop_front();
        }
    }

    pub fn viewer_count(&self, now: Instant) -> usize {
        self.views
            .iter()
            .filter(|view| now.duration_since(**view) < VIEWER_WINDOW)
            .count()
    }

    /// HEALTHY, or STARVING when a publisher is connected but media has stopped arriving.
    pub fn health(&self, now: Instant) -> &'static str {
        match &self.source {
            Source::Rtmp { media, .. }
                if now.duration_since(media.last_media_at) >= STARVING_AFTER =>
            {
                "STARVING"
            }
            _ => "HEALTHY",
        }
    }
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
    /// Oldest first; GetStreamSession lists them most recent first, as IVS does.
    pub events: Vec<Value>,
    /// The ingest configuration as the API returns it: `(ingestConfiguration,
    /// ingestConfigurations)`. Updated while an RTMP publisher sends.
    pub ingest: (Value, Value),
    pub recording: Option<Recording>,
}

/// A StartViewerSessionRevocation request, kept for playback authorization to honour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewerSessionRevocation {
    pub channel_arn: String,
    pub viewer_id: String,
    pub versions_up_to: u64,
}

/// Why a stream ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    BroadcasterLeft,
    StoppedByApi,
}

/// The delays of IVS's lifecycles, from the emulator's configuration.
#[derive(Clone, Copy, Default)]
pub struct Delays {
    /// From StopStream or a publisher leaving to the stream having ended.
    pub stream_end: Duration,
    /// From CreateRecordingConfiguration (CREATING) to ACTIVE.
    pub recording_configuration: Duration,
}

pub struct State {
    pub region: String,
    pub account_id: String,
    /// The account's host prefix, shared by every channel's ingest, playback and SRT hosts.
    pub host_prefix: String,
    pub delays: Delays,
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
    /// Recording configurations still CREATING, with when they become ACTIVE.
    pub creating_recording_configurations: HashMap<String, Instant>,
    /// The EventBridge events IVS would have sent.
    pub events: EventLog,
}

impl State {
    pub fn new(region: &str, account_id: &str, delays: Delays, events: EventLog) -> Self {
        State {
            region: region.to_string(),
            account_id: account_id.to_string(),
            host_prefix: ids::hex(12),
            delays,
            next_sequence: 1,
            resources: HashMap::new(),
            live: HashMap::new(),
            sessions: HashMap::new(),
            revocations: Vec::new(),
            playback_public_keys: HashMap::new(),
            used_single_use_uuids: HashSet::new(),
            creating_recording_configurations: HashMap::new(),
            events,
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

    /// The channel a stream key value belongs to.
    pub fn channel_of_stream_key(&self, stream_key_value: &str) -> Result<String, EmulatorError> {
        self.resources
            .values()
            .find(|resource| {
                resource.kind == ResourceKind::StreamKey
                    && resource.body["value"] == stream_key_value
            })
            .and_then(|key| key.body["channelArn"].as_str())
            .map(str::to_string)
            // The value is a secret, so the message does not repeat it.
            .ok_or_else(|| EmulatorError::not_found("No stream key has this value"))
    }

    /// Simulates a broadcaster connecting with a stream key value (no media).
    pub fn start_stream(&mut self, stream_key_value: &str) -> Result<Value, EmulatorError> {
        let channel_arn = self.channel_of_stream_key(stream_key_value)?;
        self.go_live(&channel_arn, Source::Control)
    }

    /// Starts a stream session on a channel: "Session Created", "Stream Start" and, with an
    /// ACTIVE recording configuration, "Recording Start".
    pub fn go_live(&mut self, channel_arn: &str, source: Source) -> Result<Value, EmulatorError> {
        if self.live.contains_key(channel_arn) {
            return Err(EmulatorError::conflict(format!(
                "Channel: {channel_arn} is already live"
            )));
        }
        let channel = Value::Object(self.get(ResourceKind::Channel, channel_arn)?.body.clone());
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
        let channel_name = channel["name"].as_str().unwrap_or_default().to_string();
        let recording = recording_configuration
            .as_ref()
            .filter(|configuration| configuration["state"] == "ACTIVE")
            .map(|configuration| {
                let channel_id = channel_arn.rsplit('/').next().unwrap_or_default();
                let session_id = ids::alphanumeric(12);
                // IVS's layout: ivs/v1/<account>/<channel id>/<y>/<m>/<d>/<h>/<mm>/<session>.
                let (year, month, day, hour, minute, _) = crate::clock::utc_fields(now);
                let key_prefix = format!(
                    "ivs/v1/{}/{channel_id}/{year}/{month}/{day}/{hour}/{minute}/{session_id}",
                    self.account_id
                );
                Recording {
                    session_id,
                    bucket: configuration["destinationConfiguration"]["s3"]["bucketName"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    key_prefix,
                    started: Instant::now(),
                }
            });
        let mut session = StreamSession {
            sequence,
            stream_id: stream_id.clone(),
            start_time: now,
            end_time: None,
            channel,
            recording_configuration,
            failover_slate_configuration,
            events: Vec::new(),
            ingest: match &source {
                Source::Control => crate::media::simulated_ingest(),
                Source::Rtmp { media, .. } => crate::media::ingest_configuration(media),
            },
            recording: None,
        };
        for name in ["Session Created", "Stream Start"] {
            session
                .events
                .push(session_event(name, STREAM_STATE_CHANGE, now));
            self.events
                .stream_state_change(channel_arn, &channel_name, &stream_id, name, now);
        }
        if let Some(recording) = &recording {
            session.events.push(session_event(
                "Recording Start",
                RECORDING_STATE_CHANGE,
                now,
            ));
            self.events.recording_state_change(
                channel_arn,
                &channel_name,
                &stream_id,
                "Recording Start",
                recording,
                now,
            );
        }
        session.recording = recording;
        self.sessions
            .entry(channel_arn.to_string())
            .or_default()
            .push(session);
        self.live.insert(
            channel_arn.to_string(),
            LiveStream {
                stream_id: stream_id.clone(),
                start_time: now,
                sequence,
                metadata_calls: VecDeque::new(),
                source,
                ending_at: None,
                views: VecDeque::new(),
            },
        );
        Ok(json!({ "channelArn": channel_arn, "streamId": stream_id }))
    }

    /// Starts ending the live stream of a channel: it ends after the stream-end delay (at once
    /// when that is 0). StopStream also disconnects an RTMP publisher. Ending an ending stream
    /// again changes nothing.
    pub fn end_stream(&mut self, channel_arn: &str, why: StreamEnd) -> Result<(), EmulatorError> {
        self.get(ResourceKind::Channel, channel_arn)?;
        let delay = self.delays.stream_end;
        let live = self
            .live
            .get_mut(channel_arn)
            .ok_or_else(|| EmulatorError::not_broadcasting(channel_arn))?;
        if why == StreamEnd::StoppedByApi {
            if let Source::Rtmp { disconnect, .. } = &live.source {
                disconnect.notify_one();
            }
        }
        if live.ending_at.is_none() {
            live.ending_at = Some(Instant::now() + delay);
        }
        self.settle(Instant::now());
        Ok(())
    }

    /// Ends an RTMP publisher's stream when its connection closes, if that stream is still the
    /// channel's live one (a refused or replaced connection ends nothing).
    pub fn publisher_left(&mut self, channel_arn: &str, stream_id: &str) {
        let current = self
            .live
            .get(channel_arn)
            .is_some_and(|live| live.stream_id == stream_id);
        if current {
            let _ = self.end_stream(channel_arn, StreamEnd::BroadcasterLeft);
        }
    }

    /// Brings time-driven transitions up to `now`: ending streams end ("Stream End",
    /// "Recording End", "Session Ended") and CREATING recording configurations become ACTIVE.
    pub fn settle(&mut self, now: Instant) {
        let ended: Vec<String> = self
            .live
            .iter()
            .filter(|(_, live)| live.ending_at.is_some_and(|at| at <= now))
            .map(|(arn, _)| arn.clone())
            .collect();
        for channel_arn in ended {
            self.finish_stream(&channel_arn);
        }
        if !self.creating_recording_configurations.is_empty() {
            let ready: Vec<String> = self
                .creating_recording_configurations
                .iter()
                .filter(|(_, at)| **at <= now)
                .map(|(arn, _)| arn.clone())
                .collect();
            for arn in ready {
                self.creating_recording_configurations.remove(&arn);
                if let Ok(resource) = self.get_mut(ResourceKind::RecordingConfiguration, &arn) {
                    resource.body.insert("state".into(), json!("ACTIVE"));
                }
            }
        }
        for live in self.live.values_mut() {
            live.forget_old_views(now);
        }
    }

    fn finish_stream(&mut self, channel_arn: &str) {
        let Some(live) = self.live.remove(channel_arn) else {
            return;
        };
        let now = SystemTime::now();
        let Some(session) = self
            .sessions
            .get_mut(channel_arn)
            .and_then(|sessions| sessions.iter_mut().find(|s| s.stream_id == live.stream_id))
        else {
            return;
        };
        if let Source::Rtmp { media, .. } = &live.source {
            session.ingest = crate::media::ingest_configuration(media);
        }
        session.end_time = Some(now);
        let channel_name = session.channel["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        session
            .events
            .push(session_event("Stream End", STREAM_STATE_CHANGE, now));
        self.events.stream_state_change(
            channel_arn,
            &channel_name,
            &live.stream_id,
            "Stream End",
            now,
        );
        if let Some(recording) = &session.recording {
            session
                .events
                .push(session_event("Recording End", RECORDING_STATE_CHANGE, now));
            self.events.recording_state_change(
                channel_arn,
                &channel_name,
                &live.stream_id,
                "Recording End",
                recording,
                now,
            );
        }
        session
            .events
            .push(session_event("Session Ended", STREAM_STATE_CHANGE, now));
        self.events.stream_state_change(
            channel_arn,
            &channel_name,
            &live.stream_id,
            "Session Ended",
            now,
        );
    }
}

/// An event as IVS lists it in a session's `truncatedEvents`.
fn session_event(name: &str, kind: &str, time: SystemTime) -> Value {
    json!({ "name": name, "type": kind, "eventTime": iso8601(time) })
}

/// The state behind its lock.
pub struct SharedState {
    state: Mutex<State>,
}

impl SharedState {
    pub fn new(state: State) -> Self {
        SharedState {
            state: Mutex::new(state),
        }
    }

    /// The state, with its time-driven transitions brought up to now.
    pub fn lock_state(&self) -> MutexGuard<'_, State> {
        // Handlers do not panic by design; if one ever did, the state is still consistent enough
        // to keep serving rather than failing every later request.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.settle(Instant::now());
        state
    }

    /// Forgets every resource, stream and event (the account's host prefix stays).
    pub fn reset(&self) {
        let mut state = self.lock_state();
        for live in state.live.values() {
            if let Source::Rtmp { disconnect, .. } = &live.source {
                disconnect.notify_one();
            }
        }
        let mut fresh = State::new(
            &state.region,
            &state.account_id,
            state.delays,
            state.events.emptied(),
        );
        fresh.host_prefix = state.host_prefix.clone();
        *state = fresh;
    }
}
