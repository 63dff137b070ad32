//! What every export shares: the status codes and the panic landing pad; and the library-wide
//! exports (strings, version, the operation list).

use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use libivs_core::Error;

use crate::convert::{kept_c_string, put};
use crate::error::{quietly, IvsError};

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
    use crate::convert::{json_arg, text_arg};

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
    fn bad_text_and_json_are_typed_errors() {
        let bad = b"\xff\xfe\0";
        let error = unsafe { text_arg(bad.as_ptr().cast(), "x") }.unwrap_err();
        assert_eq!(error.code(), "InvalidArgument");
        let deep = format!("{}{}\0", "[".repeat(10_000), "]".repeat(10_000));
        let error = unsafe { json_arg(deep.as_ptr().cast(), "request_json") }.unwrap_err();
        assert_eq!(
            error.code(),
            "ParamValidationError",
            "too deep: the depth policy"
        );
        assert!(
            error.message().contains("levels deep"),
            "{}",
            error.message()
        );
        let broken = b"{\"a\": \0";
        let error = unsafe { json_arg(broken.as_ptr().cast(), "request_json") }.unwrap_err();
        assert_eq!(error.code(), "InvalidArgument");
    }
}
