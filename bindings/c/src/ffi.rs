//! What every export shares: the status codes, the panic landing pad, and the conversions of
//! C strings and JSON in and out.

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use libivs_core::Error;
use serde_json::Value;

use crate::error::IvsError;

/// What every libivs function returns.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IvsStatus {
    /// Success. For paginators: a page or an item was written, and there may be more.
    IVS_OK = 0,
    /// A paginator has nothing more to give; nothing was written.
    IVS_DONE = 1,
    /// Only given to async callbacks: the call was cancelled (`ivs_client_cancel`,
    /// `ivs_client_free`); the error says so (code `"Cancelled"`).
    IVS_CANCELLED = 2,
    /// Failure: the `ivs_error` written to `*error` (when `error` is not NULL) says why.
    IVS_ERROR = -1,
}

/// Writes `value` to an out-pointer the caller may have left NULL.
pub(crate) unsafe fn put<T>(out: *mut T, value: T) {
    if !out.is_null() {
        out.write(value);
    }
}

pub(crate) fn panic_error(function: &str) -> Error {
    // The panic's own text stays on stderr (the panic hook): it could quote request data.
    Error::internal(format!(
        "libivs panicked in {function}; this is a bug in libivs, please report it"
    ))
}

/// The landing pad around every export that returns a status: clears `*error`, runs `body`,
/// turns an `Err` or a panic into `IVS_ERROR` with a new `ivs_error` in `*error`.
pub(crate) fn guard(
    function: &'static str,
    error: *mut *mut IvsError,
    body: impl FnOnce() -> Result<IvsStatus, Error>,
) -> IvsStatus {
    unsafe { put(error, ptr::null_mut()) };
    let outcome =
        catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err(panic_error(function)));
    match outcome {
        Ok(status) => status,
        Err(failure) => {
            if !error.is_null() {
                unsafe { error.write(IvsError::into_raw(failure)) };
            }
            IvsStatus::IVS_ERROR
        }
    }
}

/// The landing pad of exports that return a value rather than a status (accessors, frees).
pub(crate) fn quietly<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// A NUL-terminated UTF-8 argument.
pub(crate) unsafe fn text_arg<'a>(pointer: *const c_char, name: &str) -> Result<&'a str, Error> {
    if pointer.is_null() {
        return Err(Error::invalid_argument(format!("{name} is NULL")));
    }
    CStr::from_ptr(pointer).to_str().map_err(|e| {
        Error::invalid_argument(format!(
            "{name} is not valid UTF-8 (bad byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// A JSON argument; NULL reads as `null` (an empty request or configuration).
/// Too deep a value is a `ParamValidationError`, bad JSON an `InvalidArgument` (the core's policy).
pub(crate) unsafe fn json_arg(pointer: *const c_char, name: &str) -> Result<Value, Error> {
    if pointer.is_null() {
        return Ok(Value::Null);
    }
    libivs_core::parse_json_arg(text_arg(pointer, name)?, name)
}

/// Checks an out-pointer and clears what it points to.
pub(crate) unsafe fn out_arg<T>(out: *mut *mut T, name: &str) -> Result<(), Error> {
    if out.is_null() {
        return Err(Error::invalid_argument(format!("{name} is NULL")));
    }
    out.write(ptr::null_mut());
    Ok(())
}

/// A string handed to C, to be freed with `ivs_string_free`.
pub(crate) fn owned_c_string(text: String) -> Result<*mut c_char, Error> {
    CString::new(text)
        .map(CString::into_raw)
        .map_err(|_| Error::internal("a libivs string held a NUL byte"))
}

/// A string kept inside a handle and lent to C.
pub(crate) fn kept_c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_default()
}

pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// JSON text handed to C (free with `ivs_string_free`), written straight into one buffer sized
/// for a typical response (a response serializes as boto3's dict: output plus
/// `ResponseMetadata`).
pub(crate) fn owned_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<*mut c_char, Error> {
    let mut text = Vec::with_capacity(2048);
    serde_json::to_writer(&mut text, value)
        .map_err(|e| Error::internal(format!("cannot write JSON: {e}")))?;
    // serde_json escapes NUL, so this only appends the terminator.
    CString::new(text)
        .map(CString::into_raw)
        .map_err(|_| Error::internal("a libivs string held a NUL byte"))
}

/// Frees a string that libivs returned (`char *`). NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn ivs_string_free(string: *mut c_char) {
    if !string.is_null() {
        quietly((), || drop(CString::from_raw(string)));
    }
}

/// The libivs version, e.g. `"0.1.0"`. Static: do not free.
#[no_mangle]
pub extern "C" fn ivs_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// How many IVS operations there are (46).
#[no_mangle]
pub extern "C" fn ivs_operation_count() -> usize {
    libivs_core::OPERATIONS.len()
}

/// The name of operation `index` (`"BatchGetChannel"` ...), sorted; NULL past the end.
/// Static: do not free.
#[no_mangle]
pub extern "C" fn ivs_operation_name(index: usize) -> *const c_char {
    static NAMES: std::sync::OnceLock<Vec<CString>> = std::sync::OnceLock::new();
    quietly(ptr::null(), || {
        let names = NAMES.get_or_init(|| {
            libivs_core::OPERATIONS
                .iter()
                .map(|op| kept_c_string(op.name))
                .collect()
        });
        names.get(index).map_or(ptr::null(), |name| name.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_panic_errors() {
        let mut error: *mut IvsError = ptr::null_mut();
        let status = guard("test", &mut error, || panic!("boom"));
        assert_eq!(status, IvsStatus::IVS_ERROR);
        assert!(!error.is_null());
        let kind = unsafe { crate::ivs_error_kind(error) };
        assert_eq!(kind, crate::IvsErrorKind::IVS_ERROR_KIND_PANIC);
        unsafe { crate::ivs_error_free(error) };
        assert_eq!(quietly(7, || panic!("boom")), 7);
    }

    #[test]
    fn bad_text_and_json_are_invalid_arguments() {
        let bad = b"\xff\xfe\0";
        let error = unsafe { text_arg(bad.as_ptr().cast(), "x") }.unwrap_err();
        assert_eq!(error.code(), "InvalidArgument");
        let deep = format!("{}{}\0", "[".repeat(10_000), "]".repeat(10_000));
        let error = unsafe { json_arg(deep.as_ptr().cast(), "request_json") }.unwrap_err();
        assert_eq!(error.code(), "InvalidArgument");
        assert!(
            error.message().contains("recursion limit"),
            "{}",
            error.message()
        );
    }
}
