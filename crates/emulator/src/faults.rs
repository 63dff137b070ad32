//! Injected faults: the next N calls of an operation fail, stall or lose their connection.

use std::sync::Mutex;
use std::time::Duration;

use crate::error::EmulatorError;

/// The longest delay a fault may hold a call (ten minutes): longer ones would overflow the
/// emulator's timers, and no test waits that long.
pub const MAX_FAULT_DELAY_MS: f64 = 600_000.0;

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
        let operation = match &request["operation"] {
            Value::Null => "*".to_string(),
            Value::String(name) if name == "*" => name.clone(),
            // `get_channel` and `GetChannel` are the same operation; an unknown name would
            // be accepted and never fire, so it is refused.
            Value::String(name) => libivs_model::operation(name)
                .map(|op| op.name.to_string())
                .ok_or_else(|| {
                    format!("unknown operation {name:?} for a fault: expected an IVS operation name such as \"GetChannel\" or \"get_channel\", or \"*\"")
                })?,
            _ => return Err("operation must be a string".into()),
        };
        let count = match &request["count"] {
            Value::Null => 1,
            count => count
                .as_u64()
                .and_then(|count| u32::try_from(count).ok())
                .ok_or("count must be a positive integer")?,
        };
        // Exactly one kind; `delay` (seconds) is the Python face's spelling of `delayMs`.
        let kinds = ["status", "delayMs", "delay", "reset"];
        let given: Vec<&str> = kinds
            .into_iter()
            .filter(|key| !request[*key].is_null() && request[*key] != false)
            .collect();
        let delay = |ms: Option<f64>, key: &str| match ms {
            Some(ms) if ms.is_finite() && (0.0..=MAX_FAULT_DELAY_MS).contains(&ms) => {
                Ok(FaultKind::Delay(Duration::from_secs_f64(ms / 1000.0)))
            }
            _ => Err(if key == "delay" {
                format!(
                    "delay must be a number of seconds from 0 to {}",
                    MAX_FAULT_DELAY_MS / 1000.0
                )
            } else {
                format!("delayMs must be a number of milliseconds from 0 to {MAX_FAULT_DELAY_MS}")
            }),
        };
        let kind = match given.as_slice() {
            ["status"] => {
                let status = request["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (400..=599).contains(s))
                    .ok_or("status must be an HTTP error status from 400 to 599")?;
                FaultKind::Status(status)
            }
            ["delayMs"] => delay(request["delayMs"].as_f64(), "delayMs")?,
            ["delay"] => delay(request["delay"].as_f64().map(|s| s * 1000.0), "delay")?,
            ["reset"] if request["reset"] == true => FaultKind::ResetConnection,
            ["reset"] => return Err("reset must be true or false".into()),
            _ => {
                return Err(
                    "A fault needs exactly one of \"status\" (400, 402, 403, 404, 409, 429, 500, 502, 503 or 504), \"delayMs\" (or \"delay\", in seconds) or \"reset\": true".into(),
                )
            }
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
    /// Answer with this status and the IVS error that goes with it: 400 `ValidationException`,
    /// 402 `ServiceQuotaExceededException`, 403 `AccessDeniedException`, 404
    /// `ResourceNotFoundException`, 409 `ConflictException`, 429 `ThrottlingException`, 500
    /// `InternalServerException`, 502 `BadGateway`, 503 `ServiceUnavailable`, 504
    /// `GatewayTimeout`.
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
            400 => Some(EmulatorError::validation(message)),
            402 => Some(EmulatorError::quota_exceeded(message)),
            403 => Some(EmulatorError::new(403, "AccessDeniedException", message)),
            404 => Some(EmulatorError::not_found(message)),
            409 => Some(EmulatorError::conflict(message)),
            429 => Some(EmulatorError::throttling(message)),
            500 => Some(EmulatorError::internal(message)),
            // What a load balancer in front of the service answers (no IVS error shape).
            502 => Some(EmulatorError::new(502, "BadGateway", message)),
            503 => Some(EmulatorError::service_unavailable(message)),
            504 => Some(EmulatorError::new(504, "GatewayTimeout", message)),
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
        let mut fault = fault;
        if fault.operation != "*" {
            // Stored under the wire name, which is what requests are matched by.
            match libivs_model::operation(&fault.operation) {
                Some(op) => fault.operation = op.name.to_string(),
                None => {
                    return Err(EmulatorError::validation(format!(
                        "Unknown operation for a fault: {}",
                        fault.operation
                    )))
                }
            }
        }
        if let FaultKind::Status(status) = fault.kind {
            if FaultKind::error(status).is_none() {
                return Err(EmulatorError::validation(format!(
                    "A fault status must be one of 400, 402, 403, 404, 409, 429, 500, 502, 503 or 504, not {status}"
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_fault_is_one_kind_with_its_unit() {
        let read = |v| Fault::from_json(&v);
        assert_eq!(
            read(json!({"delay": 1.5})).unwrap().kind,
            FaultKind::Delay(Duration::from_millis(1500))
        );
        assert_eq!(
            read(json!({"delayMs": 20})).unwrap().kind,
            FaultKind::Delay(Duration::from_millis(20))
        );
        let fault = read(json!({"operation": "get_channel", "status": 503, "reset": false}));
        assert_eq!(fault.unwrap().operation, "GetChannel");
        assert!(read(json!({"status": 503, "delay": 1})).is_err());
        assert!(read(json!({"delay": -1})).unwrap_err().contains("seconds"));
        assert!(read(json!({"delayMs": 1e9}))
            .unwrap_err()
            .contains("milliseconds"));
        assert!(read(json!({"reset": "yes"})).is_err());
        assert!(read(json!({})).is_err());
    }
}
