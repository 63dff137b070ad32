//! libivs errors as Python exceptions. The classes live in `libivs/exceptions.py`; the factory
//! that `libivs/__init__.py` registers picks the class from the kind and code.

use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;

use libivs_core::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

static FACTORY: OnceLock<Py<PyAny>> = OnceLock::new();

pub fn set_factory(_py: Python<'_>, factory: Py<PyAny>) -> PyResult<()> {
    // A second registration (a reloaded package) keeps the first factory, which is equivalent.
    let _ = FACTORY.set(factory);
    Ok(())
}

/// The Python exception for a libivs error raised by `operation` (the wire name, if any).
pub fn to_pyerr(py: Python<'_>, error: &Error, operation: Option<&str>) -> PyErr {
    let Some(factory) = FACTORY.get() else {
        return PyRuntimeError::new_err(error.to_string());
    };
    let built = (|| -> PyResult<Bound<'_, PyAny>> {
        let metadata = crate::output::json_to_py(py, &error.metadata().to_json())?;
        let members = pyo3::types::PyDict::new(py);
        for (member, value) in error.header_members() {
            members.set_item(member, value)?;
        }
        factory.bind(py).call1((
            error.kind().as_str(),
            error.code(),
            error.message(),
            error.http_status(),
            error.request_id(),
            error.retryable(),
            metadata,
            operation,
            error.metadata().attempts,
            members,
        ))
    })();
    match built {
        Ok(exception) => PyErr::from_value(exception),
        Err(failure) => failure,
    }
}

/// The core's errors raised as Python exceptions (with no operation named), for `?`.
pub trait OrRaise<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|error| to_pyerr(py, &error, None))
    }
}

/// Runs the body of a Python entry point, turning a Rust panic into `libivs.InternalError`
/// rather than pyo3's `PanicException` (a `BaseException` that `except Exception` misses).
/// On its way out, it hands the log records made meanwhile to `logging` (see `log.rs`).
pub fn guard<T>(py: Python<'_>, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    let result = match std::panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        // The payload is never shown: it may quote request data (the core's panic policy).
        Err(_) => Err(to_pyerr(py, &Error::panicked(), None)),
    };
    crate::log::flush(py);
    result
}
