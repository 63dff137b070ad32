//! One error model for every face: a kind, a code, a message, and what the HTTP exchange said.

use std::fmt;

use aws_sdk_ivs::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response as HttpResponse;

use crate::metadata::ResponseMetadata;

/// The code of a cancelled (or interrupted) call's error.
const CANCELLED: &str = "Cancelled";

/// What went wrong, in the terms a caller acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The service answered with an error (`ResourceNotFoundException`, ...).
    Service,
    /// The input failed the model's checks before any request was sent.
    Validation,
    /// No credentials, or the credential provider failed.
    Credentials,
    /// A connect, read or operation timeout.
    Timeout,
    /// The connection failed or the response could not be read.
    Network,
    /// The client configuration is invalid.
    Config,
    /// An argument to a libivs function itself is invalid (unknown operation, bad JSON, NULL).
    InvalidArgument,
    /// A bug in libivs (a caught panic); please report it.
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Service => "service",
            ErrorKind::Validation => "validation",
            ErrorKind::Credentials => "credentials",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Config => "config",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Internal => "internal",
        }
    }
}

/// A libivs error. Its text never contains secrets: service messages are the service's,
/// validation messages redact sensitive members, and credentials are never formatted.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    code: String,
    message: String,
    retryable: bool,
    metadata: ResponseMetadata,
}

impl Error {
    pub fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind,
            code: code.into(),
            message: message.into(),
            retryable: matches!(kind, ErrorKind::Timeout | ErrorKind::Network),
            metadata: ResponseMetadata::default(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The error code: the service's (`ConflictException`) or libivs's own
    /// (`ParamValidationError`, `NoCredentialsError`, `TimeoutError`, `EndpointConnectionError`,
    /// `ConfigError`, `InvalidArgument`, `InternalError`).
    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether trying the same call again later may succeed.
    pub fn retryable(&self) -> bool {
        self.retryable
    }

    /// The HTTP status, when a response arrived.
    pub fn http_status(&self) -> Option<u16> {
        self.metadata.http_status
    }

    pub fn request_id(&self) -> Option<&str> {
        self.metadata.request_id.as_deref()
    }

    /// The members of a modeled service error's shape that the model binds to response headers
    /// (`accessControlAllowOrigin`, `cacheControl`, ..., `xAmznErrorType`), as (member, value)
    /// for those IVS sent: boto3's `ClientError.response` and the JS SDK's error objects carry
    /// them. Empty for other errors.
    pub fn header_members(&self) -> Vec<(&'static str, &str)> {
        // Read from the response headers the error keeps (no copy in every error).
        if self.kind != ErrorKind::Service {
            return Vec::new();
        }
        libivs_model::error_header_members(&self.code)
            .iter()
            .filter_map(|(member, name)| Some((*member, self.metadata.header(name)?)))
            .collect()
    }

    /// Status, headers, request id and attempts of the failed exchange.
    pub fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    pub(crate) fn with_metadata(mut self, metadata: ResponseMetadata) -> Self {
        if self.metadata.http_status.is_none() {
            self.metadata.http_status = metadata.http_status;
        }
        if self.metadata.request_id.is_none() {
            self.metadata.request_id = metadata.request_id.clone();
        }
        if self.metadata.raw_headers.0.is_none() {
            self.metadata.raw_headers = metadata.raw_headers;
        }
        self.metadata.attempts = metadata.attempts;
        self.metadata.total_retry_delay = metadata.total_retry_delay;
        self
    }

    /// The error-text policy for what did not come from the service or the input checks:
    /// libivs's text and the HTTP stack's may quote what was being sent (a URL, a body), so any
    /// string of the request (`input`) is cut out of the message, and the message is kept
    /// short. Service messages are the service's and validation messages redact sensitive
    /// members already.
    pub(crate) fn without_request_text(mut self, input: &serde_json::Value) -> Self {
        if matches!(self.kind, ErrorKind::Service | ErrorKind::Validation) {
            return self;
        }
        let mut strings = Vec::new();
        collect_strings(input, &mut strings);
        // Longest first, so that a value containing another is cut whole.
        strings.sort_by_key(|text| std::cmp::Reverse(text.len()));
        for text in strings {
            if self.message.contains(text) {
                self.message = self.message.replace(text, REQUEST_DATA);
            }
        }
        self.message = shortened(&self.message);
        self
    }

    /// A caught panic. Its payload is never shown: it may quote request data. (The panic
    /// itself is a bug in libivs: please report it with what the call did.)
    pub fn panicked() -> Self {
        Error::internal(
            "libivs hit an internal error (a caught panic) and the call was abandoned; \
             this is a bug in libivs, please report it",
        )
    }

    /// What the embedded emulator refused (an unknown stream key, a bad fault, a stopped
    /// emulator), in every face: code `EmulatorError`; an IVS error's code and status lead the
    /// text (`ResourceNotFoundException (404): ...`).
    pub fn emulator(problem: impl std::fmt::Display) -> Self {
        Error::new(
            ErrorKind::InvalidArgument,
            "EmulatorError",
            problem.to_string(),
        )
    }

    /// The embedded emulator could not listen (its port taken, no permission).
    pub fn emulator_cannot_listen(cause: &std::io::Error) -> Self {
        Error::new(
            ErrorKind::Network,
            "EmulatorError",
            format!("the emulator could not listen: {cause}"),
        )
    }

    /// A call cancelled (or interrupted) before it completed; its request was dropped.
    pub fn cancelled() -> Self {
        Error::new(
            ErrorKind::InvalidArgument,
            CANCELLED,
            "the call was cancelled before it completed",
        )
    }

    /// Whether this is [`Error::cancelled`]'s error.
    pub fn is_cancelled(&self) -> bool {
        self.code() == CANCELLED
    }

    pub fn param_validation(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Validation, "ParamValidationError", message)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, "InvalidArgument", message)
    }

    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, "ConfigError", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, "InternalError", message)
    }

    pub fn unknown_operation(name: &str) -> Self {
        Error::invalid_argument(format!(
            "Unknown operation {name:?}: expected an IVS operation name such as \"GetChannel\" or \"get_channel\""
        ))
    }

    /// Classifies an aws-sdk-ivs error, keeping IVS's `exceptionMessage` that the SDK drops.
    pub(crate) fn from_sdk<E>(error: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        if let Some(credentials) = find_credentials_error(&error) {
            return Error::new(ErrorKind::Credentials, "NoCredentialsError", credentials);
        }
        match &error {
            SdkError::ServiceError(context) => {
                let raw = context.raw();
                let code = context
                    .err()
                    .code()
                    .map(str::to_owned)
                    .or_else(|| header(raw, "x-amzn-errortype").map(error_type_name))
                    .unwrap_or_else(|| format!("HTTP{}", raw.status().as_u16()));
                let message = service_message(raw)
                    .or_else(|| context.err().message().map(str::to_owned))
                    .unwrap_or_default();
                let status = raw.status().as_u16();
                let retryable =
                    matches!(status, 429 | 500 | 502 | 503 | 504) || code.contains("Throttl");
                let mut error = Error::new(ErrorKind::Service, code, message);
                error.retryable = retryable;
                error.metadata = ResponseMetadata::from_response(raw);
                error
            }
            SdkError::TimeoutError(_) => Error::new(
                ErrorKind::Timeout,
                "TimeoutError",
                "The operation timed out (operation_timeout)",
            ),
            SdkError::DispatchFailure(failure) => {
                let detail = source_chain(&error);
                if failure.is_timeout() {
                    Error::new(
                        ErrorKind::Timeout,
                        "TimeoutError",
                        format!("Timed out: {detail}"),
                    )
                } else if failure.is_user() {
                    Error::config(detail)
                } else {
                    Error::new(
                        ErrorKind::Network,
                        "EndpointConnectionError",
                        format!("Could not connect to the endpoint: {detail}"),
                    )
                }
            }
            SdkError::ResponseError(context) => {
                let mut error = Error::new(
                    ErrorKind::Network,
                    "ResponseParserError",
                    format!("Could not read the response: {}", source_chain(&error)),
                );
                error.metadata = ResponseMetadata::from_response(context.raw());
                error
            }
            // The configuration is checked at creation, so what fails here is the input (with
            // input checks off): a member the request's URI needs is missing or empty.
            SdkError::ConstructionFailure(_) => Error::param_validation(format!(
                "The request cannot be built: {}",
                source_chain(&error)
            )),
            _ => Error::new(ErrorKind::Network, "UnknownError", source_chain(&error)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Service => write!(f, "{}: {}", self.code, self.message),
            ErrorKind::Validation => write!(f, "Parameter validation failed:\n{}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// What stands in for request text cut out of an error message.
pub(crate) const REQUEST_DATA: &str = "<request data>";

/// Error messages longer than this are cut (an HTTP stack's text may hold a whole request).
const MAX_MESSAGE_CHARS: usize = 1000;

fn shortened(message: &str) -> String {
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message.to_owned();
    }
    let head: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{head}… (cut)")
}

/// The request's strings worth cutting out of a message (very short ones would cut ordinary
/// words: they carry nothing secret anyway). Iterative: inputs may be deep.
fn collect_strings<'a>(input: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    let mut pending = vec![input];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::String(text) if text.len() >= 4 => out.push(text),
            serde_json::Value::Array(items) => pending.extend(items),
            serde_json::Value::Object(members) => pending.extend(members.values()),
            _ => {}
        }
    }
}

fn header<'a>(raw: &'a HttpResponse, name: &str) -> Option<&'a str> {
    raw.headers().get(name)
}

/// `x-amzn-ErrorType` may carry a URI suffix (`Code:http://...`).
fn error_type_name(value: &str) -> String {
    value.split(':').next().unwrap_or(value).to_string()
}

/// IVS sends its text as `exceptionMessage`; other AWS services use `message` or `Message`.
fn service_message(raw: &HttpResponse) -> Option<String> {
    let body = raw.body().bytes()?;
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    ["exceptionMessage", "message", "Message"]
        .iter()
        .find_map(|key| json.get(key)?.as_str().map(str::to_owned))
}

fn source_chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut current = error.source();
    while let Some(cause) = current {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = cause.source();
    }
    parts.join(": ")
}

fn find_credentials_error(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = current {
        if cause
            .downcast_ref::<aws_credential_types::provider::error::CredentialsError>()
            .is_some()
        {
            return Some(format!(
                "Unable to locate credentials: {}",
                source_chain(cause)
            ));
        }
        current = cause.source();
    }
    None
}
