//! `ivs_error`: the core's error with its strings kept NUL-terminated for C.

use std::ffi::{c_char, c_int, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use libivs_core::{Error, ErrorKind};
use serde_json::json;

use crate::convert::{json_text, kept_c_string, owned_c_string};

/// The landing pad of exports that return a value rather than a status (accessors, frees).
pub(crate) fn quietly<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// What went wrong, in the terms a caller acts on.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IvsErrorKind {
    /// IVS answered with an error (`ResourceNotFoundException`, `ConflictException`...).
    IVS_ERROR_KIND_SERVICE = 1,
    /// The request failed the model's checks before anything was sent (`ParamValidationError`).
    IVS_ERROR_KIND_VALIDATION = 2,
    /// No credentials could be found, or the credential provider failed (`NoCredentialsError`).
    IVS_ERROR_KIND_CREDENTIALS = 3,
    /// A connect, read or operation timeout (`TimeoutError`), or `ivs_client_wait` ran out.
    IVS_ERROR_KIND_TIMEOUT = 4,
    /// The connection failed or the response could not be read (`EndpointConnectionError`...).
    IVS_ERROR_KIND_NETWORK = 5,
    /// The client or emulator configuration is invalid (`ConfigError`, `NoRegionError`).
    IVS_ERROR_KIND_CONFIG = 6,
    /// A bug in libivs was caught at the boundary (`InternalError`); please report it.
    IVS_ERROR_KIND_PANIC = 7,
    /// An argument is invalid: NULL, not UTF-8, malformed or too deeply nested JSON, an unknown
    /// operation, a blocking call from a callback (`InvalidArgument`), or a cancelled call
    /// (`Cancelled`).
    IVS_ERROR_KIND_INVALID_ARGUMENT = 8,
}

impl From<ErrorKind> for IvsErrorKind {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::Service => IvsErrorKind::IVS_ERROR_KIND_SERVICE,
            ErrorKind::Validation => IvsErrorKind::IVS_ERROR_KIND_VALIDATION,
            ErrorKind::Credentials => IvsErrorKind::IVS_ERROR_KIND_CREDENTIALS,
            ErrorKind::Timeout => IvsErrorKind::IVS_ERROR_KIND_TIMEOUT,
            ErrorKind::Network => IvsErrorKind::IVS_ERROR_KIND_NETWORK,
            ErrorKind::Config => IvsErrorKind::IVS_ERROR_KIND_CONFIG,
            ErrorKind::Internal => IvsErrorKind::IVS_ERROR_KIND_PANIC,
            ErrorKind::InvalidArgument => IvsErrorKind::IVS_ERROR_KIND_INVALID_ARGUMENT,
        }
    }
}

/// An error: kind, code, message, HTTP status and request id. Immutable; free it with
/// `ivs_error_free`. The strings its accessors return live as long as it does.
pub struct IvsError {
    error: Error,
    code: CString,
    message: CString,
    request_id: Option<CString>,
}

impl IvsError {
    pub(crate) fn new(error: Error) -> IvsError {
        IvsError {
            code: kept_c_string(error.code()),
            message: kept_c_string(error.message()),
            request_id: error.request_id().map(kept_c_string),
            error,
        }
    }

    pub(crate) fn into_raw(error: Error) -> *mut IvsError {
        Box::into_raw(Box::new(IvsError::new(error)))
    }
}

unsafe fn borrow<'a>(error: *const IvsError) -> Option<&'a IvsError> {
    error.as_ref()
}

/// The kind of `error` (`IVS_ERROR_KIND_INVALID_ARGUMENT` for NULL).
#[no_mangle]
pub unsafe extern "C" fn ivs_error_kind(error: *const IvsError) -> IvsErrorKind {
    quietly(IvsErrorKind::IVS_ERROR_KIND_PANIC, || {
        borrow(error).map_or(IvsErrorKind::IVS_ERROR_KIND_INVALID_ARGUMENT, |e| {
            e.error.kind().into()
        })
    })
}

/// The kind's name: `"service"`, `"validation"`, `"credentials"`, `"timeout"`, `"network"`,
/// `"config"`, `"panic"` or `"invalid_argument"` (`""` for a value that is no kind). Takes an
/// `int` so that any value is safe to pass. Static: do not free.
#[no_mangle]
pub extern "C" fn ivs_error_kind_name(kind: c_int) -> *const c_char {
    let name: &'static std::ffi::CStr = match kind {
        1 => c"service",
        2 => c"validation",
        3 => c"credentials",
        4 => c"timeout",
        5 => c"network",
        6 => c"config",
        7 => c"panic",
        8 => c"invalid_argument",
        _ => c"",
    };
    name.as_ptr()
}

/// The error code: IVS's (`"ResourceNotFoundException"`) or libivs's own
/// (`"ParamValidationError"`, `"NoCredentialsError"`, `"TimeoutError"`,
/// `"EndpointConnectionError"`, `"ConfigError"`, `"InvalidArgument"`, `"Cancelled"`,
/// `"InternalError"`). Owned by `error`; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_error_code(error: *const IvsError) -> *const c_char {
    quietly(c"".as_ptr(), || {
        borrow(error).map_or(c"".as_ptr(), |e| e.code.as_ptr())
    })
}

/// The message (IVS's `exceptionMessage` for service errors). Owned by `error`; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_error_message(error: *const IvsError) -> *const c_char {
    quietly(c"".as_ptr(), || {
        borrow(error).map_or(c"".as_ptr(), |e| e.message.as_ptr())
    })
}

/// The HTTP status of the failed exchange (404...), or 0 when no response arrived.
#[no_mangle]
pub unsafe extern "C" fn ivs_error_http_status(error: *const IvsError) -> u16 {
    quietly(0, || {
        borrow(error)
            .and_then(|e| e.error.http_status())
            .unwrap_or(0)
    })
}

/// The request id IVS gave the failed call, or NULL. Owned by `error`.
#[no_mangle]
pub unsafe extern "C" fn ivs_error_request_id(error: *const IvsError) -> *const c_char {
    quietly(ptr::null(), || {
        borrow(error)
            .and_then(|e| e.request_id.as_ref())
            .map_or(ptr::null(), |id| id.as_ptr())
    })
}

/// Whether the same call may succeed if tried again later (throttling, timeouts, network).
#[no_mangle]
pub unsafe extern "C" fn ivs_error_retryable(error: *const IvsError) -> bool {
    quietly(false, || borrow(error).is_some_and(|e| e.error.retryable()))
}

/// The error as boto3's `ClientError.response`: `{"Error": {"Code", "Message", "Kind",
/// "Retryable"}, "ResponseMetadata": {"RequestId", "HTTPStatusCode", "HTTPHeaders",
/// "RetryAttempts"}}`, and for a modeled IVS error the members its shape binds to response
/// headers (`"accessControlAllowOrigin": "*"`, ..., `"xAmznErrorType"`). Free the result with
/// `ivs_string_free`; NULL for a NULL `error`.
#[no_mangle]
pub unsafe extern "C" fn ivs_error_json(error: *const IvsError) -> *mut c_char {
    quietly(ptr::null_mut(), || {
        let Some(e) = borrow(error) else {
            return ptr::null_mut();
        };
        let mut value = json!({
            "Error": {
                "Code": e.error.code(),
                "Message": e.error.message(),
                "Kind": e.error.kind().as_str(),
                "Retryable": e.error.retryable(),
            },
            "ResponseMetadata": e.error.metadata().to_json(),
        });
        for (member, text) in e.error.header_members() {
            value[member] = text.into();
        }
        owned_c_string(json_text(&value)).unwrap_or(ptr::null_mut())
    })
}

/// Frees an error. NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn ivs_error_free(error: *mut IvsError) {
    if !error.is_null() {
        quietly((), || drop(Box::from_raw(error)));
    }
}
