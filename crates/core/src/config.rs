//! Client configuration: one struct for every face, readable from JSON with documented keys.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::error::Error;

/// How failed calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryMode {
    /// The AWS standard mode: exponential back-off with jitter and a retry quota.
    Standard,
    /// Standard plus client-side rate limiting when throttled.
    Adaptive,
    /// botocore's legacy mode, served by the standard strategy (5 attempts unless told otherwise).
    Legacy,
}

impl RetryMode {
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text.to_ascii_lowercase().as_str() {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            "legacy" => Ok(RetryMode::Legacy),
            other => Err(Error::config(format!(
                "retry_mode must be \"standard\", \"adaptive\" or \"legacy\", not {other:?}"
            ))),
        }
    }
}

/// Static credentials. Never formatted: `Debug` shows only the access key id's first characters.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.access_key_id.chars().take(4).collect();
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &format!("{shown}…"))
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .finish()
    }
}

/// Everything a libivs client can be told. Unset fields fall back to the AWS environment
/// (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_IVS`, the default credential chain...).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub credentials: Option<StaticCredentials>,
    pub profile: Option<String>,
    pub retry_mode: Option<RetryMode>,
    /// Total attempts including the first (boto3's `max_attempts`).
    pub max_attempts: Option<u32>,
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    /// The whole call, retries included. Defaults to [`DEFAULT_OPERATION_TIMEOUT`].
    pub operation_timeout: Option<Duration>,
    /// Appended to the User-Agent as `app/<suffix>`.
    pub user_agent_suffix: Option<String>,
    /// Check inputs against the model before sending (botocore's `parameter_validation`).
    pub validate_input: bool,
}

/// So that nothing hangs forever when the network does.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(120);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            region: None,
            endpoint_url: None,
            credentials: None,
            profile: None,
            retry_mode: None,
            max_attempts: None,
            connect_timeout: None,
            read_timeout: None,
            operation_timeout: None,
            user_agent_suffix: None,
            validate_input: true,
        }
    }
}

/// The keys [`ClientConfig::from_json`] reads, each also accepted in camelCase.
pub const CONFIG_KEYS: &[&str] = &[
    "region",
    "endpoint_url",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "profile",
    "retry_mode",
    "max_attempts",
    "connect_timeout",
    "read_timeout",
    "operation_timeout",
    "user_agent_suffix",
    "validate_input",
];

fn camel_to_snake(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl ClientConfig {
    /// A configuration that talks to `emulator` with the credentials it accepts.
    pub fn for_emulator(emulator: &libivs_emulator::Emulator) -> Self {
        ClientConfig {
            region: Some(emulator.region().to_owned()),
            endpoint_url: Some(emulator.url()),
            credentials: Some(StaticCredentials {
                access_key_id: emulator.access_key_id().to_owned(),
                secret_access_key: emulator.secret_access_key().to_owned(),
                session_token: None,
            }),
            ..ClientConfig::default()
        }
    }

    /// Reads a JSON object with the keys in [`CONFIG_KEYS`] (timeouts in seconds, may be
    /// fractional). Unknown keys and wrong types are a `ConfigError` naming the key.
    pub fn from_json(value: &Value) -> Result<Self, Error> {
        let mut config = ClientConfig::default();
        let entries = match value {
            Value::Null => return Ok(config),
            Value::Object(entries) => entries,
            _ => {
                return Err(Error::config(
                    "the client configuration must be a JSON object",
                ))
            }
        };
        let mut access_key_id = None;
        let mut secret_access_key = None;
        let mut session_token = None;
        for (raw_key, value) in entries {
            let key = camel_to_snake(raw_key);
            if value.is_null() {
                continue;
            }
            let text = || {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Error::config(format!("{raw_key} must be a string")))
            };
            let seconds = || {
                value
                    .as_f64()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| {
                        Error::config(format!("{raw_key} must be a positive number of seconds"))
                    })
            };
            match key.as_str() {
                "region" => config.region = Some(text()?),
                "endpoint_url" | "endpoint" => config.endpoint_url = Some(text()?),
                "access_key_id" => access_key_id = Some(text()?),
                "secret_access_key" => secret_access_key = Some(text()?),
                "session_token" => session_token = Some(text()?),
                "profile" | "profile_name" => config.profile = Some(text()?),
                "retry_mode" => config.retry_mode = Some(RetryMode::parse(&text()?)?),
                "max_attempts" => {
                    let attempts = value
                        .as_u64()
                        .filter(|n| (1..=100).contains(n))
                        .ok_or_else(|| {
                            Error::config(format!("{raw_key} must be an integer from 1 to 100"))
                        })?;
                    config.max_attempts = Some(attempts as u32);
                }
                "connect_timeout" => config.connect_timeout = Some(seconds()?),
                "read_timeout" => config.read_timeout = Some(seconds()?),
                "operation_timeout" => config.operation_timeout = Some(seconds()?),
                "user_agent_suffix" => config.user_agent_suffix = Some(text()?),
                "validate_input" => {
                    config.validate_input = value
                        .as_bool()
                        .ok_or_else(|| Error::config(format!("{raw_key} must be true or false")))?
                }
                _ => {
                    return Err(Error::config(format!(
                        "unknown configuration key {raw_key:?}; known keys: {}",
                        CONFIG_KEYS.join(", ")
                    )))
                }
            }
        }
        config.credentials = match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => Some(StaticCredentials {
                access_key_id,
                secret_access_key,
                session_token,
            }),
            (None, None) if session_token.is_none() => None,
            _ => {
                return Err(Error::config(
                    "access_key_id and secret_access_key must be given together",
                ))
            }
        };
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_snake_and_camel_keys() {
        let config = ClientConfig::from_json(&json!({
            "region": "eu-west-1", "endpointUrl": "http://127.0.0.1:1",
            "access_key_id": "AKIDEXAMPLE", "secretAccessKey": "s3cr3t",
            "maxAttempts": 5, "retry_mode": "adaptive", "connect_timeout": 0.5
        }))
        .unwrap();
        assert_eq!(config.region.as_deref(), Some("eu-west-1"));
        assert_eq!(config.endpoint_url.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(config.max_attempts, Some(5));
        assert_eq!(config.retry_mode, Some(RetryMode::Adaptive));
        assert_eq!(config.connect_timeout, Some(Duration::from_millis(500)));
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        for bad in [
            json!({"regoin": "x"}),
            json!({"max_attempts": 0}),
            json!({"read_timeout": -1}),
            json!({"access_key_id": "only-half"}),
            json!({"retry_mode": "sometimes"}),
            json!([1]),
        ] {
            let err = ClientConfig::from_json(&bad).unwrap_err();
            assert_eq!(err.code(), "ConfigError", "{bad}");
        }
    }
}
