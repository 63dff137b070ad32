//! What native calls answer JavaScript: an `Outcome` (output JSON text, metadata, or an error's
//! terms for `index.js`'s classes), and JSON text read as the core's values.

use libivs_core::{Error, ResponseMetadata, TextResponse};
use napi_derive::napi;
use serde_json::Value;

/// What a native call settles with: `output` or `error` (neither after a paginator's last page).
#[napi(object)]
pub struct Outcome {
    /// The output as JSON text (wire member names, ISO-8601 timestamps); for a presign, the URL.
    pub output: Option<String>,
    pub status: Option<u32>,
    pub request_id: Option<String>,
    pub attempts: u32,
    /// Milliseconds waited between attempts (`$metadata.totalRetryDelay`).
    pub total_retry_delay: f64,
    pub error: Option<ErrorInfo>,
    /// The response headers of a failed call (the JS SDK's `error.$response.headers`); only
    /// errors carry them, so a successful call copies none.
    pub headers: Option<std::collections::HashMap<String, String>>,
    /// The call's log records, when the client has a `logger`.
    pub logs: Option<Vec<crate::log::LogRecord>>,
}

/// A core error, in the terms `index.js` builds its error classes from.
#[napi(object)]
pub struct ErrorInfo {
    /// `service`, `validation`, `credentials`, `timeout`, `network`, `config`,
    /// `invalid_argument` or `internal`.
    pub kind: String,
    pub code: String,
    pub message: String,
    pub retryable: bool,
}

impl Outcome {
    pub(crate) fn from_text(result: Result<TextResponse, Error>) -> Outcome {
        match result {
            Ok(response) => Outcome::answered(response.output, response.metadata),
            Err(error) => Outcome::from_error(&error),
        }
    }

    pub(crate) fn answered(output: String, metadata: ResponseMetadata) -> Outcome {
        let total_retry_delay = metadata.total_retry_delay_ms() as f64;
        Outcome {
            output: Some(output),
            status: metadata.http_status.map(u32::from),
            request_id: metadata.request_id,
            attempts: metadata.attempts,
            total_retry_delay,
            error: None,
            headers: None,
            logs: None,
        }
    }

    pub(crate) fn from_error(error: &Error) -> Outcome {
        let metadata = error.metadata();
        Outcome {
            output: None,
            status: metadata.http_status.map(u32::from),
            request_id: metadata.request_id.clone(),
            attempts: metadata.attempts,
            total_retry_delay: metadata.total_retry_delay_ms() as f64,
            error: Some(ErrorInfo {
                kind: error.kind().as_str().to_owned(),
                code: error.code().to_owned(),
                message: error.message().to_owned(),
                retryable: error.retryable(),
            }),
            headers: metadata
                .http_status
                .map(|_| metadata.headers().into_iter().collect()),
            logs: None,
        }
    }

    /// No more pages.
    pub(crate) fn end() -> Outcome {
        Outcome {
            output: None,
            status: None,
            request_id: None,
            attempts: 0,
            total_retry_delay: 0.0,
            error: None,
            headers: None,
            logs: None,
        }
    }

    /// The outcome with the records `log` kept.
    pub(crate) fn with_logs(
        mut self,
        log: Option<&std::sync::Arc<libivs_core::log::CallLog>>,
    ) -> Outcome {
        self.logs = crate::log::records(log);
        self
    }

    pub(crate) fn text(text: String) -> Outcome {
        Outcome {
            output: Some(text),
            ..Outcome::end()
        }
    }
}

pub(crate) fn parse_json(text: &str, what: &str) -> Result<Value, Error> {
    libivs_core::parse_json_arg(text, what)
}
