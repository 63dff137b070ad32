//! The conversions of C strings and JSON in and out of the exports.

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use libivs_core::Error;
use serde_json::Value;

/// Writes `value` to an out-pointer the caller may have left NULL.
pub(crate) unsafe fn put<T>(out: *mut T, value: T) {
    if !out.is_null() {
        out.write(value);
    }
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

/// A string kept inside a handle (or for a callback's duration) and lent to C; NUL bytes dropped.
pub(crate) fn kept_c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_default()
}

pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
