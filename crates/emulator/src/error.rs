//! The IVS errors the emulator answers with.

use std::fmt;

/// An IVS error: the HTTP status, the `x-amzn-ErrorType` code and the `exceptionMessage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatorError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl EmulatorError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        EmulatorError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(400, "ValidationException", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "ResourceNotFoundException", message)
    }

    /// IVS's "resource not found" message, naming the ARN.
    pub fn no_such_resource(arn: &str) -> Self {
        Self::not_found(format!("Resource: {arn} not found"))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, "ConflictException", message)
    }

    pub fn quota_exceeded(message: impl Into<String>) -> Self {
        Self::new(402, "ServiceQuotaExceededException", message)
    }

    pub fn not_broadcasting(channel_arn: &str) -> Self {
        Self::new(
            404,
            "ChannelNotBroadcasting",
            format!("Channel: {channel_arn} is not currently online"),
        )
    }

    pub fn throttling(message: impl Into<String>) -> Self {
        Self::new(429, "ThrottlingException", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalServerException", message)
    }

    pub fn service_unavailable(message: impl Into<String>) -> Self {
        Self::new(503, "ServiceUnavailable", message)
    }
}

impl fmt::Display for EmulatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for EmulatorError {}
