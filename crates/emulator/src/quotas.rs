//! IVS's API call rate quotas (per account and region, not adjustable), enforced only in
//! `--quotas` mode: a call beyond its operation's calls-per-second answers ThrottlingException.
//!
//! The rates are those of IVS's "Service Quotas (Low-Latency Streaming)" page: 5 TPS for
//! channel, stream, stream-key and playback-restriction-policy endpoints, 3 TPS for playback key
//! pairs and recording configurations, 2 TPS for viewer-session revocations, 10 TPS for tags and
//! 155 TPS per account for PutMetadata (beside its 5 per channel, always enforced). The page
//! gives none for ad and failover-slate configurations; they get the channels' 5.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

/// An operation's calls per second.
pub fn calls_per_second(operation: &str) -> usize {
    match operation {
        "PutMetadata" => 155,
        "ListTagsForResource" | "TagResource" | "UntagResource" => 10,
        "StartViewerSessionRevocation" | "BatchStartViewerSessionRevocation" => 2,
        _ if operation.contains("PlaybackKeyPair") => 3,
        _ if operation.contains("RecordingConfiguration") => 3,
        _ => 5,
    }
}

/// Recent calls by operation, over a sliding one-second window.
#[derive(Default)]
pub struct RateQuotas {
    calls: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
}

impl RateQuotas {
    /// Counts a call; false when it is over its operation's quota (it is then not counted).
    pub fn admit(&self, operation: &'static str, now: Instant) -> bool {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        let recent = calls.entry(operation).or_default();
        while recent
            .front()
            .is_some_and(|call| now.duration_since(*call) >= WINDOW)
        {
            recent.pop_front();
        }
        if recent.len() >= calls_per_second(operation) {
            return false;
        }
        recent.push_back(now);
        true
    }

    pub fn clear(&self) {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_admits_the_quota_then_refuses_until_it_slides() {
        let quotas = RateQuotas::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(quotas.admit("GetRecordingConfiguration", start));
        }
        assert!(!quotas.admit("GetRecordingConfiguration", start));
        assert!(quotas.admit("GetChannel", start));
        assert!(quotas.admit("GetRecordingConfiguration", start + WINDOW));
    }
}
