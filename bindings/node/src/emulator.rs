//! `NativeEmulator`: the embedded IVS emulator.

use std::sync::Mutex;

use libivs_core::{Emulator, EmulatorConfig, EmulatorInfo, Error, Fault};
use napi_derive::napi;

use crate::convert::parse_json;
use crate::error::guarded;

/// The embedded IVS emulator (its own thread and runtime), for tests and demos.
#[napi]
pub struct NativeEmulator {
    emulator: Mutex<Option<Emulator>>,
    /// Kept for the getters, which answer after `stop()` too.
    info: EmulatorInfo,
}

impl NativeEmulator {
    fn with<T>(&self, body: impl FnOnce(&Emulator) -> Result<T, Error>) -> napi::Result<T> {
        guarded(|| {
            let slot = self.emulator.lock().unwrap_or_else(|p| p.into_inner());
            let emulator = slot
                .as_ref()
                .ok_or_else(|| Error::emulator("the emulator has been stopped"))?;
            body(emulator)
        })
    }
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
            let config = EmulatorConfig::from_json(&options).map_err(Error::config)?;
            let emulator =
                Emulator::start(config).map_err(|e| Error::emulator_cannot_listen(&e))?;
            Ok(NativeEmulator {
                info: emulator.info(),
                emulator: Mutex::new(Some(emulator)),
            })
        })
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.info.url.clone()
    }

    #[napi(getter)]
    pub fn rtmp_url(&self) -> String {
        self.info.rtmp_url.clone()
    }

    #[napi(getter)]
    pub fn rtmps_url(&self) -> String {
        self.info.rtmps_url.clone()
    }

    /// The EventBridge events from cursor `since` on, as JSON `{"events": [...], "cursor": n}`.
    #[napi]
    pub fn events(&self, since: f64) -> napi::Result<String> {
        self.with(|emulator| {
            if !(since.is_finite() && since >= 0.0 && since.fract() == 0.0) {
                return Err(Error::invalid_argument(
                    "since must be a cursor (a whole number) from an earlier answer",
                ));
            }
            Ok(emulator.events(since as u64).to_string())
        })
    }

    #[napi(getter)]
    pub fn region(&self) -> String {
        self.info.region.clone()
    }

    #[napi(getter)]
    pub fn account_id(&self) -> String {
        self.info.account_id.clone()
    }

    #[napi(getter)]
    pub fn access_key_id(&self) -> String {
        self.info.access_key_id.clone()
    }

    #[napi(getter)]
    pub fn secret_access_key(&self) -> String {
        self.info.secret_access_key.clone()
    }

    /// A broadcaster connects with the stream key: answers `{"channelArn","streamId"}` as JSON.
    #[napi]
    pub fn start_stream(&self, stream_key: String) -> napi::Result<String> {
        self.with(|emulator| {
            emulator
                .start_stream(&stream_key)
                .map(|v| v.to_string())
                .map_err(Error::emulator)
        })
    }

    /// The channel's playback URL as this emulator serves it (scheme and host replaced).
    #[napi]
    pub fn local_playback_url(&self, playback_url: String) -> napi::Result<String> {
        self.with(|emulator| Ok(emulator.local_playback_url(&playback_url)))
    }

    /// The broadcaster of a live channel disconnects.
    #[napi]
    pub fn stop_stream(&self, channel_arn: String) -> napi::Result<()> {
        self.with(|emulator| emulator.stop_stream(&channel_arn).map_err(Error::emulator))
    }

    /// `fault` is JSON `{operation, count, status | delayMs | reset}`, as the HTTP control API.
    #[napi]
    pub fn inject_fault(&self, fault: String) -> napi::Result<()> {
        self.with(|emulator| {
            let fault = parse_json(&fault, "the fault")?;
            let fault = Fault::from_json(&fault).map_err(Error::emulator)?;
            emulator.inject_fault(fault).map_err(Error::emulator)
        })
    }

    /// Forgets every resource, stream and fault.
    #[napi]
    pub fn reset(&self) -> napi::Result<()> {
        self.with(|emulator| {
            emulator.reset();
            Ok(())
        })
    }

    /// Stops serving; later calls to the emulator's methods fail. Stopping twice is harmless.
    #[napi]
    pub fn stop(&self) -> napi::Result<()> {
        guarded(|| {
            let emulator = self
                .emulator
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            if let Some(emulator) = emulator {
                emulator.stop();
            }
            Ok(())
        })
    }
}
