//! `NativeEmulator`: the embedded IVS emulator.

use libivs_core::{EmbeddedEmulator, Error};
use napi_derive::napi;

use crate::convert::parse_json;
use crate::error::guarded;

/// The embedded IVS emulator (its own thread and runtime), for tests and demos.
#[napi]
pub struct NativeEmulator {
    emulator: EmbeddedEmulator,
}

#[napi]
impl NativeEmulator {
    /// `config` is JSON `{host, port, rtmpPort, rtmpsPort, region, accountId, accessKeyId,
    /// secretAccessKey, streamEndDelayMs, recordingConfigurationDelayMs, quotas,
    /// eventsWebhookUrl}`.
    #[napi(constructor)]
    pub fn new(config: String) -> napi::Result<Self> {
        guarded(|| {
            let options = parse_json(&config, "the emulator options")?;
            let emulator = EmbeddedEmulator::start(&options)?;
            Ok(NativeEmulator { emulator })
        })
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.emulator.info().url.clone()
    }

    #[napi(getter)]
    pub fn rtmp_url(&self) -> String {
        self.emulator.info().rtmp_url.clone()
    }

    #[napi(getter)]
    pub fn rtmps_url(&self) -> String {
        self.emulator.info().rtmps_url.clone()
    }

    #[napi(getter)]
    pub fn region(&self) -> String {
        self.emulator.info().region.clone()
    }

    #[napi(getter)]
    pub fn account_id(&self) -> String {
        self.emulator.info().account_id.clone()
    }

    #[napi(getter)]
    pub fn access_key_id(&self) -> String {
        self.emulator.info().access_key_id.clone()
    }

    #[napi(getter)]
    pub fn secret_access_key(&self) -> String {
        self.emulator.info().secret_access_key.clone()
    }

    /// The EventBridge events from cursor `since` on, as JSON `{"events": [...], "cursor": n}`.
    #[napi]
    pub fn events(&self, since: f64) -> napi::Result<String> {
        guarded(|| {
            if !(since.is_finite() && since >= 0.0 && since.fract() == 0.0) {
                return Err(Error::invalid_argument(
                    "since must be a cursor (a whole number) from an earlier answer",
                ));
            }
            Ok(self.emulator.events(since as u64)?.to_string())
        })
    }

    /// A broadcaster connects with the stream key: answers `{"channelArn","streamId"}` as JSON.
    #[napi]
    pub fn start_stream(&self, stream_key: String) -> napi::Result<String> {
        guarded(|| Ok(self.emulator.start_stream(&stream_key)?.to_string()))
    }

    /// The channel's playback URL as this emulator serves it (scheme and host replaced).
    #[napi]
    pub fn local_playback_url(&self, playback_url: String) -> napi::Result<String> {
        guarded(|| self.emulator.local_playback_url(&playback_url))
    }

    /// The broadcaster of a live channel disconnects.
    #[napi]
    pub fn stop_stream(&self, channel_arn: String) -> napi::Result<()> {
        guarded(|| self.emulator.stop_stream(&channel_arn))
    }

    /// `fault` is JSON `{operation, count, status | delayMs | reset}`, as the HTTP control API.
    #[napi]
    pub fn inject_fault(&self, fault: String) -> napi::Result<()> {
        guarded(|| {
            let fault = parse_json(&fault, "the fault")?;
            self.emulator.inject_fault(&fault)
        })
    }

    /// Forgets every resource, stream and fault.
    #[napi]
    pub fn reset(&self) -> napi::Result<()> {
        guarded(|| self.emulator.reset())
    }

    /// Stops serving; later calls to the emulator's methods fail. Stopping twice is harmless.
    #[napi]
    pub fn stop(&self) -> napi::Result<()> {
        guarded(|| {
            self.emulator.stop();
            Ok(())
        })
    }
}
