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
            let seconds = || timeout_from_seconds(raw_key, value.as_f64());
            match key.as_str() {
                "region" => config.region = Some(text()?),
                "endpoint_url" | "endpoint" => config.endpoint_url = Some(text()?),
                "access_key_id" => access_key_id = Some(text()?),
                "secret_access_key" => secret_access_key = Some(text()?),
                "session_token" => session_token = Some(text()?),
                "profile" | "profile_name" => config.profile = Some(text()?),
                "retry_mode" => config.retry_mode = Some(RetryMode::parse(&text()?)?),
                "max_attempts" => {
                    config.max_attempts = Some(attempts_from(raw_key, value)?);
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
        config.validate()?;
        Ok(config)
    }

    /// Checks what `from_json` cannot see in a configuration built by Rust code (or read from the
    /// environment): the region's and endpoint's form, and timeouts and attempts in range. Every
    /// face's client creation goes through it, so a bad value is a `ConfigError` at creation,
    /// never a panic or a network error at the first call.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(region) = &self.region {
            check_region(region)?;
        }
        if let Some(endpoint) = &self.endpoint_url {
            check_endpoint("endpoint_url", endpoint)?;
        }
        for (name, timeout) in [
            ("connect_timeout", self.connect_timeout),
            ("read_timeout", self.read_timeout),
            ("operation_timeout", self.operation_timeout),
        ] {
            if let Some(timeout) = timeout {
                if !(MIN_TIMEOUT..=MAX_TIMEOUT).contains(&timeout) {
                    return Err(timeout_range_error(name));
                }
            }
        }
        app_name(self)?;
        if let Some(attempts) = self.max_attempts {
            if !(1..=MAX_ATTEMPTS).contains(&attempts) {
                return Err(attempts_error("max_attempts"));
            }
        }
        if let Some(credentials) = &self.credentials {
            if credentials.access_key_id.is_empty() || credentials.secret_access_key.is_empty() {
                return Err(Error::config(
                    "access_key_id and secret_access_key must not be empty",
                ));
            }
        }
        Ok(())
    }
}

/// The User-Agent's `app/` part, refusing what a header cannot carry.
pub(crate) fn app_name(
    config: &ClientConfig,
) -> Result<Option<aws_sdk_ivs::config::AppName>, Error> {
    config
        .user_agent_suffix
        .as_ref()
        .map(|suffix| {
            aws_sdk_ivs::config::AppName::new(suffix.clone()).map_err(|_| {
                Error::config(format!(
                    "user_agent_suffix {suffix:?} may only hold letters, digits and !#$%&'*+-.^_`|~"
                ))
            })
        })
        .transpose()
}

/// The shortest timeout accepted: below it a timer would fire before any byte could move.
pub const MIN_TIMEOUT: Duration = Duration::from_millis(1);
/// The longest timeout accepted (one day): longer ones overflow the runtime's timers and mean
/// "never" in practice.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
/// The most attempts a call may take (the first included).
pub const MAX_ATTEMPTS: u32 = 100;

fn timeout_range_error(name: &str) -> Error {
    Error::config(format!(
        "{name} must be a number of seconds from {} to {}",
        MIN_TIMEOUT.as_secs_f64(),
        MAX_TIMEOUT.as_secs()
    ))
}

fn attempts_error(name: &str) -> Error {
    Error::config(format!(
        "{name} must be an integer from 1 to {MAX_ATTEMPTS}"
    ))
}

/// Seconds (maybe fractional) as a timeout, refusing what is not a finite number in range.
fn timeout_from_seconds(name: &str, seconds: Option<f64>) -> Result<Duration, Error> {
    let seconds = seconds
        .filter(|s| s.is_finite())
        .ok_or_else(|| timeout_range_error(name))?;
    if !(MIN_TIMEOUT.as_secs_f64()..=MAX_TIMEOUT.as_secs_f64()).contains(&seconds) {
        return Err(timeout_range_error(name));
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| timeout_range_error(name))
}

/// An attempt count: an integer (JSON `3`, or `3.0` from a language whose numbers are floats)
/// in range.
fn attempts_from(name: &str, value: &Value) -> Result<u32, Error> {
    let whole = match value.as_u64() {
        Some(n) => Some(n),
        None => value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f <= f64::from(MAX_ATTEMPTS))
            .map(|f| f as u64),
    };
    whole
        .filter(|n| (1..=u64::from(MAX_ATTEMPTS)).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| attempts_error(name))
}

/// `AWS_MAX_ATTEMPTS` (text) as an attempt count.
pub(crate) fn attempts_from_env(text: &str) -> Result<u32, Error> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_ATTEMPTS).contains(n))
        .ok_or_else(|| attempts_error("AWS_MAX_ATTEMPTS"))
}

/// A region name as botocore accepts it (`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`):
/// an empty or malformed one is an error, not a silent fall-back to `AWS_REGION`.
pub(crate) fn check_region(region: &str) -> Result<(), Error> {
    let bytes = region.as_bytes();
    let inner_ok = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-');
    let ends_ok = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    if inner_ok && ends_ok && bytes.len() <= 63 {
        Ok(())
    } else {
        Err(Error::config(format!(
            "Invalid region {:?}: a region is letters, digits and hyphens, such as \"us-west-2\"",
            shorten(region)
        )))
    }
}

/// An endpoint as botocore accepts it: an absolute `http`/`https` URL with a host. `source`
/// names where it came from (`endpoint_url`, `AWS_ENDPOINT_URL_IVS`...).
pub(crate) fn check_endpoint(source: &str, endpoint: &str) -> Result<(), Error> {
    let invalid = || {
        Error::config(format!(
            "Invalid endpoint {:?} ({source}): expected an http:// or https:// URL with a host",
            shorten(endpoint)
        ))
    };
    let uri: http::Uri = endpoint.parse().map_err(|_| invalid())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http") | Some("https"));
    let host_ok = uri.host().is_some_and(|host| !host.is_empty());
    if scheme_ok && host_ok && !endpoint.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Configuration text quoted in an error, cut short (it is the caller's own, never a secret,
/// but may be huge).
fn shorten(text: &str) -> String {
    const SHOWN: usize = 100;
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        let head: String = text.chars().take(SHOWN).collect();
        format!("{head}…")
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
        let whole = ClientConfig::from_json(&json!({"maxAttempts": 4.0, "read_timeout": 86400}));
        assert_eq!(whole.unwrap().max_attempts, Some(4));
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
            json!({"connect_timeout": 1e30}),
            json!({"read_timeout": 1e-300}),
            json!({"operation_timeout": 18446744073709551616.0}),
            json!({"max_attempts": 1e30}),
            json!({"max_attempts": 2.5}),
            json!({"endpoint_url": ""}),
            json!({"endpoint_url": "not a url"}),
            json!({"endpoint_url": "ftp://example.com"}),
            json!({"region": ""}),
            json!({"region": "us west"}),
            json!({"access_key_id": "", "secret_access_key": "x"}),
        ] {
            let err = ClientConfig::from_json(&bad).unwrap_err();
            assert_eq!(err.code(), "ConfigError", "{bad}");
        }
    }
}
