//! Injected faults: the next N calls of an operation fail, stall or lose their connection.

use std::sync::Mutex;
use std::time::Duration;

use crate::error::EmulatorError;

/// A fault to inject into the next `count` calls of `operation` (an IVS operation name such as
/// `GetChannel`, or `*` for any operation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub operation: String,
    pub count: u32,
    pub kind: FaultKind,
}

impl Fault {
    /// Reads `{"operation" (default "*"), "count" (default 1), "status": 429 | 500 | 503 |
    /// "delayMs": ms | "reset": true}` — the body of `POST /_emulator/faults`, and what every
    /// face accepts.
    pub fn from_json(request: &serde_json::Value) -> Result<Fault, String> {
        use serde_json::Value;
        if !request.is_object() {
            return Err("a fault must be a JSON object".into());
        }
        let operation = request["operation"].as_str().unwrap_or("*").to_string();
        let count = match &request["count"] {
            Value::Null => 1,
            count => count
                .as_u64()
                .and_then(|count| u32::try_from(count).ok())
                .ok_or("count must be a positive integer")?,
        };
        let kind = if let Some(status) = request["status"].as_u64() {
            FaultKind::Status(u16::try_from(status).unwrap_or(0))
        } else if let Some(delay) = request["delayMs"].as_f64() {
            if !delay.is_finite() || delay < 0.0 {
                return Err("delayMs must be a non-negative number of milliseconds".into());
            }
            FaultKind::Delay(Duration::from_secs_f64(delay / 1000.0))
        } else if request["reset"] == true {
            FaultKind::ResetConnection
        } else {
            return Err(
                "A fault needs \"status\" (429, 500 or 503), \"delayMs\" or \"reset\": true".into(),
            );
        };
        Ok(Fault {
            operation,
            count,
            kind,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer with this status and the IVS error that goes with it: 429
    /// `ThrottlingException`, 500 `InternalServerException` or 503 `ServiceUnavailable`.
    Status(u16),
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Close the connection without answering.
    ResetConnection,
}

impl FaultKind {
    /// The error a `Status` fault answers with.
    pub(crate) fn error(status: u16) -> Option<EmulatorError> {
        let message = "Injected fault from the IVS emulator";
        match status {
            429 => Some(EmulatorError::throttling(message)),
            500 => Some(EmulatorError::internal(message)),
            503 => Some(EmulatorError::service_unavailable(message)),
            _ => None,
        }
    }
}

/// The armed faults, consumed in the order they were injected.
#[derive(Default)]
pub(crate) struct FaultRegistry {
    armed: Mutex<Vec<Fault>>,
}

impl FaultRegistry {
    pub fn inject(&self, fault: Fault) -> Result<(), EmulatorError> {
        if fault.count == 0 {
            return Err(EmulatorError::validation(
                "A fault needs a count of at least 1",
            ));
        }
        if fault.operation != "*" && libivs_model::operation(&fault.operation).is_none() {
            return Err(EmulatorError::validation(format!(
                "Unknown operation for a fault: {}",
                fault.operation
            )));
        }
        if let FaultKind::Status(status) = fault.kind {
            if FaultKind::error(status).is_none() {
                return Err(EmulatorError::validation(format!(
                    "A fault status must be 429, 500 or 503, not {status}"
                )));
            }
        }
        self.lock().push(fault);
        Ok(())
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Takes one use of the first fault armed for this operation.
    pub fn take(&self, operation: &str) -> Option<FaultKind> {
        let mut armed = self.lock();
        if armed.is_empty() {
            return None;
        }
        let index = armed
            .iter()
            .position(|fault| fault.operation == "*" || fault.operation == operation)?;
        let fault = &mut armed[index];
        fault.count -= 1;
        let kind = fault.kind.clone();
        if fault.count == 0 {
            armed.remove(index);
        }
        Some(kind)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        // A panic elsewhere while holding the lock leaves a plain Vec that is still usable.
        self.armed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
