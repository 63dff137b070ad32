//! The emulator as every face embeds it: started from the options all faces share (JSON), its
//! refusals turned into the core's errors in one place, and stoppable while other threads still
//! hold it (a face's later calls then fail with "the emulator has been stopped").

use std::sync::Mutex;

use serde_json::{json, Value};

use libivs_emulator::{Emulator, EmulatorConfig, EmulatorInfo, Fault};

use crate::error::Error;

/// A started emulator, shared by a face's handle. Its [`EmulatorInfo`] outlives `stop()`.
pub struct EmbeddedEmulator {
    running: Mutex<Option<Emulator>>,
    info: EmulatorInfo,
}

impl std::fmt::Debug for EmbeddedEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedEmulator")
            .field("info", &self.info)
            .field("running", &self.is_running())
            .finish()
    }
}

impl EmbeddedEmulator {
    /// Starts an emulator from [`EmulatorConfig::from_json`]'s options (`null`: defaults). A bad
    /// option is a `ConfigError`; a port it cannot listen on, a network `EmulatorError`.
    pub fn start(options: &Value) -> Result<Self, Error> {
        let config = EmulatorConfig::from_json(options).map_err(Error::config)?;
        let emulator = Emulator::start(config).map_err(|e| Error::emulator_cannot_listen(&e))?;
        Ok(EmbeddedEmulator {
            info: emulator.info(),
            running: Mutex::new(Some(emulator)),
        })
    }

    /// Where it listens and the credentials it accepts (also after `stop()`).
    pub fn info(&self) -> &EmulatorInfo {
        &self.info
    }

    pub fn is_running(&self) -> bool {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// What `Client::new` needs to reach it: region, endpoint and its credentials.
    pub fn client_config(&self) -> Value {
        json!({
            "region": self.info.region,
            "endpoint_url": self.info.url,
            "access_key_id": self.info.access_key_id,
            "secret_access_key": self.info.secret_access_key,
        })
    }

    fn with<T>(&self, body: impl FnOnce(&Emulator) -> T) -> Result<T, Error> {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        running
            .as_ref()
            .map(body)
            .ok_or_else(|| Error::emulator("the emulator has been stopped"))
    }

    /// The EventBridge events from cursor `since` on: `{"events": [...], "cursor": n}`.
    pub fn events(&self, since: u64) -> Result<Value, Error> {
        self.with(|emulator| emulator.events(since))
    }

    /// A broadcaster connects with a stream key's value: `{"channelArn", "streamId"}`.
    pub fn start_stream(&self, stream_key: &str) -> Result<Value, Error> {
        self.with(|emulator| emulator.start_stream(stream_key))?
            .map_err(Error::emulator)
    }

    /// The broadcaster of a live channel disconnects.
    pub fn stop_stream(&self, channel_arn: &str) -> Result<(), Error> {
        self.with(|emulator| emulator.stop_stream(channel_arn))?
            .map_err(Error::emulator)
    }

    /// Arms a fault given as [`Fault::from_json`] reads it (the body of `POST /_emulator/faults`).
    pub fn inject_fault(&self, fault: &Value) -> Result<(), Error> {
        let fault = Fault::from_json(fault).map_err(Error::emulator)?;
        self.with(|emulator| emulator.inject_fault(fault))?
            .map_err(Error::emulator)
    }

    /// A channel's playback URL as this emulator serves it (scheme and host replaced).
    pub fn local_playback_url(&self, playback_url: &str) -> Result<String, Error> {
        self.with(|emulator| emulator.local_playback_url(playback_url))
    }

    /// Forgets every resource, stream and fault.
    pub fn reset(&self) -> Result<(), Error> {
        self.with(Emulator::reset)
    }

    /// Stops serving (open connections get a short grace period); a second stop does nothing.
    pub fn stop(&self) {
        let emulator = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(emulator) = emulator {
            emulator.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_faults_are_checked_and_a_stopped_emulator_refuses() {
        for bad in [json!({"prot": 1}), json!({"port": 70000}), json!([1])] {
            assert_eq!(
                EmbeddedEmulator::start(&bad).unwrap_err().code(),
                "ConfigError"
            );
        }
        let emulator = EmbeddedEmulator::start(&json!({"region": "eu-west-1"})).unwrap();
        assert_eq!(emulator.client_config()["region"], "eu-west-1");
        let bad_fault = emulator.inject_fault(&json!({"status": 200})).unwrap_err();
        assert_eq!(bad_fault.code(), "EmulatorError");
        emulator
            .inject_fault(&json!({"operation": "get_channel", "delay": 0.01}))
            .unwrap();
        emulator.stop();
        emulator.stop();
        assert!(!emulator.is_running());
        assert_eq!(emulator.info().region, "eu-west-1");
        let stopped = emulator.reset().unwrap_err();
        assert!(stopped.message().contains("stopped"), "{stopped:?}");
    }
}
