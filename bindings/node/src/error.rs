//! Synchronous failures thrown to JavaScript, and the landing pad that keeps panics out of it.

use std::panic::{catch_unwind, AssertUnwindSafe};

use libivs_core::Error;
use napi::Status;

/// A synchronous failure, thrown to JavaScript with `code` = `"libivs:<kind>:<code>"` so that
/// `index.js` can rethrow it as the matching `IvsError` subclass.
pub(crate) fn js_error(error: &Error) -> napi::Error {
    napi::Error::new(
        Status::GenericFailure,
        format!(
            "libivs:{}:{}:{}",
            error.kind().as_str(),
            error.code(),
            error.message()
        ),
    )
}

/// Runs a synchronous entry point, turning errors and panics into thrown `IvsError`s.
pub(crate) fn guarded<T>(body: impl FnOnce() -> Result<T, Error>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(js_error(&error)),
        Err(_) => Err(js_error(&Error::panicked())),
    }
}
