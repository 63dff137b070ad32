//! The EventBridge events IVS sends: "IVS Stream State Change" and "IVS Recording State
//! Change", in EventBridge's envelope. The emulator keeps them for `GET /_emulator/events` and,
//! when given a webhook URL, POSTs each one there as it happens.
//!
//! Shapes from IVS's "Using Amazon EventBridge with IVS" guide: `detail` carries `event_name`,
//! `channel_name` and `stream_id` for stream events; `recording_status`,
//! `recording_status_reason`, `recording_s3_bucket_name`, `recording_s3_key_prefix`,
//! `recording_duration_ms` (on end), `recording_session_id` and `recording_session_stream_ids`
//! for recording events.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::clock::iso8601;

/// The `detail-type` of the events about a stream and about its recording.
pub const STREAM_STATE_CHANGE: &str = "IVS Stream State Change";
pub const RECORDING_STATE_CHANGE: &str = "IVS Recording State Change";

/// A recording in progress (its channel has an ACTIVE recording configuration).
pub struct Recording {
    pub session_id: String,
    pub bucket: String,
    pub key_prefix: String,
    pub started: Instant,
}

/// How many events are kept; older ones are forgotten (their cursors stay valid, they are just
/// no longer listed).
const KEPT_EVENTS: usize = 10_000;
/// How long one webhook delivery may take before it is given up.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);

pub struct EventLog {
    region: String,
    account_id: String,
    entries: VecDeque<Value>,
    /// The cursor of `entries[0]`: every event ever recorded has the next number.
    first_cursor: u64,
    webhook: Option<UnboundedSender<Value>>,
}

impl EventLog {
    pub fn new(region: &str, account_id: &str, webhook: Option<UnboundedSender<Value>>) -> Self {
        EventLog {
            region: region.to_string(),
            account_id: account_id.to_string(),
            entries: VecDeque::new(),
            first_cursor: 0,
            webhook,
        }
    }

    /// The same log with no events, for a reset; cursors keep counting so that a reader's
    /// `since` never points back into forgotten events.
    pub fn emptied(&self) -> EventLog {
        EventLog {
            region: self.region.clone(),
            account_id: self.account_id.clone(),
            entries: VecDeque::new(),
            first_cursor: self.next_cursor(),
            webhook: self.webhook.clone(),
        }
    }

    fn next_cursor(&self) -> u64 {
        self.first_cursor + self.entries.len() as u64
    }

    pub fn stream_state_change(
        &mut self,
        channel_arn: &str,
        channel_name: &str,
        stream_id: &str,
        event_name: &str,
        time: SystemTime,
    ) {
        let detail = json!({
            "event_name": event_name,
            "channel_name": channel_name,
            "stream_id": stream_id,
        });
        self.push(STREAM_STATE_CHANGE, channel_arn, detail, time);
    }

    pub fn recording_state_change(
        &mut self,
        channel_arn: &str,
        channel_name: &str,
        stream_id: &str,
        recording_status: &str,
        recording: &Recording,
        time: SystemTime,
    ) {
        let mut detail = json!({
            "channel_name": channel_name,
            "stream_id": stream_id,
            "recording_status": recording_status,
            "recording_status_reason": "",
            "recording_s3_bucket_name": recording.bucket,
            "recording_s3_key_prefix": recording.key_prefix,
            "recording_session_id": recording.session_id,
            "recording_session_stream_ids": [stream_id],
        });
        if recording_status == "Recording End" {
            detail["recording_duration_ms"] = json!(recording.started.elapsed().as_millis() as u64);
        }
        self.push(RECORDING_STATE_CHANGE, channel_arn, detail, time);
    }

    fn push(&mut self, detail_type: &str, channel_arn: &str, detail: Value, time: SystemTime) {
        let event = json!({
            "version": "0",
            "id": crate::ids::request_id(),
            "detail-type": detail_type,
            "source": "aws.ivs",
            "account": self.account_id,
            "time": iso8601(time),
            "region": self.region,
            "resources": [channel_arn],
            "detail": detail,
        });
        if let Some(webhook) = &self.webhook {
            let _ = webhook.send(event.clone());
        }
        self.entries.push_back(event);
        if self.entries.len() > KEPT_EVENTS {
            self.entries.pop_front();
            self.first_cursor += 1;
        }
    }

    /// `{"events": [...oldest first], "cursor": N}`: the events from cursor `since` on, and
    /// the cursor to pass next time.
    pub fn since(&self, since: u64) -> Value {
        let skip = since.saturating_sub(self.first_cursor) as usize;
        let events: Vec<Value> = self.entries.iter().skip(skip).cloned().collect();
        json!({ "events": events, "cursor": self.next_cursor() })
    }
}

/// POSTs each event to the webhook, one at a time, in order. Delivery is best effort, as
/// EventBridge's is: a failed POST is not retried.
pub async fn deliver_to_webhook(url: http::Uri, mut events: UnboundedReceiver<Value>) {
    while let Some(event) = events.recv().await {
        let body = Bytes::from(event.to_string());
        let _ = tokio::time::timeout(WEBHOOK_TIMEOUT, post(&url, body)).await;
    }
}

async fn post(
    url: &http::Uri,
    body: Bytes,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let authority = url
        .authority()
        .ok_or("the webhook URL has no host")?
        .clone();
    let port = authority.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((authority.host(), port)).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let path = url.path_and_query().map_or("/", |path| path.as_str());
    let request = http::Request::post(path)
        .header(http::header::HOST, authority.as_str())
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Full::new(body))?;
    sender.send_request(request).await?;
    Ok(())
}

/// Checks a webhook URL: `http://host[:port][/path]` (the emulator speaks plain HTTP to it).
pub fn parse_webhook_url(url: &str) -> Result<http::Uri, String> {
    let uri: http::Uri = url
        .parse()
        .map_err(|_| format!("the events webhook URL {url:?} is not a URL"))?;
    if uri.scheme_str() != Some("http") || uri.authority().is_none() {
        return Err(format!(
            "the events webhook URL {url:?} must be http://host[:port][/path]"
        ));
    }
    Ok(uri)
}
