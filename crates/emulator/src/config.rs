//! How to start an emulator: [`EmulatorConfig`], its defaults and the JSON form the faces share.

use std::fmt;
use std::time::Duration;

/// How to start an emulator. `Default` gives `127.0.0.1`, free ports (API, RTMP and RTMPS),
/// `us-west-2`, account `123456789012`, credentials `test`/`test`, a current-thread runtime,
/// no lifecycle delays, no rate quotas and no events webhook.
#[derive(Clone)]
pub struct EmulatorConfig {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// The plain RTMP ingest port (for channels with `insecureIngest`); 0 picks a free one.
    pub rtmp_port: u16,
    /// The RTMPS ingest port (TLS, self-signed certificate); 0 picks a free one.
    pub rtmps_port: u16,
    /// From StopStream or a publisher leaving to the stream having ended ("Stream End"); until
    /// then the channel is live and cannot be deleted or updated. IVS takes about a second.
    pub stream_end_delay: Duration,
    /// How long a new recording configuration stays CREATING before it is ACTIVE.
    pub recording_configuration_delay: Duration,
    /// Enforce IVS's documented API rate quotas (ThrottlingException beyond them).
    pub quotas: bool,
    /// An `http://` URL each EventBridge event is POSTed to as it happens.
    pub events_webhook_url: Option<String>,
    pub region: String,
    pub account_id: String,
    /// The only access key the emulator accepts; requests signed with another are refused.
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Worker threads of the emulator's runtime; 0 runs it on one current-thread runtime.
    pub worker_threads: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            host: "127.0.0.1".to_string(),
            port: 0,
            rtmp_port: 0,
            rtmps_port: 0,
            stream_end_delay: Duration::ZERO,
            recording_configuration_delay: Duration::ZERO,
            quotas: false,
            events_webhook_url: None,
            region: "us-west-2".to_string(),
            account_id: "123456789012".to_string(),
            access_key_id: "test".to_string(),
            secret_access_key: "test".to_string(),
            worker_threads: 0,
        }
    }
}

/// The keys [`EmulatorConfig::from_json`] reads (each also in camelCase).
pub const EMULATOR_CONFIG_KEYS: &str = "host, port, rtmp_port, rtmps_port, region, account_id, \
     access_key_id, secret_access_key, worker_threads, stream_end_delay (seconds) or \
     stream_end_delay_ms, recording_configuration_delay (seconds) or \
     recording_configuration_delay_ms, quotas, events_webhook_url";

impl EmulatorConfig {
    /// Reads the configuration from JSON (`null` gives the defaults); the message of an error
    /// names the key. Shared by the faces so that every language accepts the same options.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        let mut config = EmulatorConfig::default();
        let entries = match value {
            serde_json::Value::Null => return Ok(config),
            serde_json::Value::Object(entries) => entries,
            _ => return Err("the emulator configuration must be a JSON object".into()),
        };
        for (key, value) in entries {
            if value.is_null() {
                continue;
            }
            let text = || {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{key} must be a string"))
            };
            let number = |max: u64| {
                value
                    .as_u64()
                    .filter(|n| *n <= max)
                    .ok_or_else(|| format!("{key} must be an integer from 0 to {max}"))
            };
            // Python gives delays in seconds (as `time.sleep` takes them), C and JS in ms.
            let seconds = || {
                value
                    .as_f64()
                    .filter(|s| (0.0..=MAX_DELAY_MS as f64 / 1000.0).contains(s))
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| {
                        format!("{key} must be from 0 to {} seconds", MAX_DELAY_MS / 1000)
                    })
            };
            match key.as_str() {
                "host" => config.host = text()?,
                "port" => config.port = number(u16::MAX.into())? as u16,
                "rtmp_port" | "rtmpPort" => config.rtmp_port = number(u16::MAX.into())? as u16,
                "rtmps_port" | "rtmpsPort" => config.rtmps_port = number(u16::MAX.into())? as u16,
                "stream_end_delay_ms" | "streamEndDelayMs" => {
                    config.stream_end_delay = Duration::from_millis(number(MAX_DELAY_MS)?)
                }
                "stream_end_delay" | "streamEndDelay" => config.stream_end_delay = seconds()?,
                "recording_configuration_delay" | "recordingConfigurationDelay" => {
                    config.recording_configuration_delay = seconds()?
                }
                "recording_configuration_delay_ms" | "recordingConfigurationDelayMs" => {
                    config.recording_configuration_delay =
                        Duration::from_millis(number(MAX_DELAY_MS)?)
                }
                "quotas" => {
                    config.quotas = value
                        .as_bool()
                        .ok_or_else(|| format!("{key} must be true or false"))?
                }
                "events_webhook_url" | "eventsWebhookUrl" => {
                    config.events_webhook_url = Some(text()?)
                }
                "region" => config.region = text()?,
                "account_id" | "accountId" => config.account_id = text()?,
                "access_key_id" | "accessKeyId" => config.access_key_id = text()?,
                "secret_access_key" | "secretAccessKey" => config.secret_access_key = text()?,
                "worker_threads" | "workerThreads" => config.worker_threads = number(64)? as usize,
                _ => {
                    return Err(format!(
                        "unknown emulator configuration key {key:?}; known keys: {EMULATOR_CONFIG_KEYS}"
                    ))
                }
            }
        }
        Ok(config)
    }
}

/// The longest lifecycle delay accepted: an hour.
const MAX_DELAY_MS: u64 = 3_600_000;

// Written by hand so that the secret access key never reaches a log.
impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("region", &self.region)
            .field("account_id", &self.account_id)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &libivs_model::REDACTED)
            .field("worker_threads", &self.worker_threads)
            .field("rtmp_port", &self.rtmp_port)
            .field("rtmps_port", &self.rtmps_port)
            .field("stream_end_delay", &self.stream_end_delay)
            .field(
                "recording_configuration_delay",
                &self.recording_configuration_delay,
            )
            .field("quotas", &self.quotas)
            .field("events_webhook_url", &self.events_webhook_url)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn delays_are_read_in_seconds_or_milliseconds() {
        let config = EmulatorConfig::from_json(&json!({
            "stream_end_delay": 1.5,
            "recordingConfigurationDelayMs": 200,
        }))
        .unwrap();
        assert_eq!(config.stream_end_delay, Duration::from_millis(1500));
        assert_eq!(
            config.recording_configuration_delay,
            Duration::from_millis(200)
        );
        for bad in [
            json!({"stream_end_delay": -1}),
            json!({"recording_configuration_delay": 3601}),
            json!({"stream_end_delay_ms": 0.5}),
            json!({"streamEndDelay": "1"}),
        ] {
            let error = EmulatorConfig::from_json(&bad).unwrap_err();
            assert!(error.to_lowercase().contains("delay"), "{error}");
        }
    }
}
