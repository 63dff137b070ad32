//! `ivs_client`: a libivs client with blocking, async and presigning calls, and the in-flight
//! bookkeeping that lets C wait for or cancel its async calls.

use std::ffi::{c_char, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::time::Duration;

use libivs_core::runtime::{inside_runtime, refuse_blocking_inside_runtime};
use libivs_core::{Answer, CallGroup, Client, ClientConfig, Error, ErrorKind};

use crate::convert::{json_arg, kept_c_string, out_arg, owned_c_string, text_arg};
use crate::error::quietly;
use crate::error::IvsError;
use crate::ffi::{guard, panic_error, IvsStatus};

/// A client for Amazon IVS. Thread-safe: one client may be used from any number of threads at
/// once. Free it with `ivs_client_free`.
pub struct IvsClient {
    pub(crate) client: Client,
    /// The `ivs_call_async` calls in flight (the core's call group).
    calls: CallGroup,
    region: CString,
    endpoint_url: Option<CString>,
}

pub(crate) unsafe fn client_arg<'a>(client: *const IvsClient) -> Result<&'a IvsClient, Error> {
    client
        .as_ref()
        .ok_or_else(|| Error::invalid_argument("client is NULL"))
}

/// Creates a client from a JSON configuration (NULL or `"{}"`: everything from the AWS
/// environment, as boto3 does). Keys, in snake_case or camelCase, all optional:
/// `region`, `endpoint_url` (or `endpoint`), `access_key_id` + `secret_access_key` (+
/// `session_token`), `profile`, `retry_mode` (`"standard"`, `"adaptive"`, `"legacy"`),
/// `max_attempts` (1-100, first attempt included), `connect_timeout`, `read_timeout`,
/// `operation_timeout` (seconds, fractions allowed), `user_agent_suffix`, `validate_input`
/// (default true). An unknown key is an `IVS_ERROR_KIND_CONFIG` error.
///
/// Returns the client, or NULL with `*error` set. Reads profile files when region or
/// credentials are not given.
#[no_mangle]
pub unsafe extern "C" fn ivs_client_new(
    config_json: *const c_char,
    error: *mut *mut IvsError,
) -> *mut IvsClient {
    let mut created = ptr::null_mut();
    guard("ivs_client_new", error, || {
        let config = ClientConfig::from_json(&json_arg(config_json, "config_json")?)?;
        refuse_blocking_inside_runtime("ivs_client_new")?;
        let client = Client::new(config)?;
        created = Box::into_raw(Box::new(IvsClient {
            region: kept_c_string(client.region()),
            endpoint_url: client.endpoint_url().map(kept_c_string),
            client,
            calls: CallGroup::new(),
        }));
        Ok(IvsStatus::IVS_OK)
    });
    created
}

/// Frees a client. Its async calls still in flight are cancelled and, unless this is called
/// from a libivs callback thread, waited for: their callbacks have all run when it returns
/// (call `ivs_client_wait` first to let them finish instead). NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn ivs_client_free(client: *mut IvsClient) {
    if client.is_null() {
        return;
    }
    quietly((), || {
        let client = Box::from_raw(client);
        client.calls.cancel_all();
        if !inside_runtime() {
            client.calls.wait(None);
        }
        // From a callback thread, the calls' tasks keep what they use alive until they end.
        drop(client);
    })
}

/// The client's region (`"us-west-2"`). Owned by the client; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_client_region(client: *const IvsClient) -> *const c_char {
    quietly(c"".as_ptr(), || {
        client.as_ref().map_or(c"".as_ptr(), |c| c.region.as_ptr())
    })
}

/// The endpoint the client was pointed at, or NULL for the AWS default. Owned by the client.
#[no_mangle]
pub unsafe extern "C" fn ivs_client_endpoint_url(client: *const IvsClient) -> *const c_char {
    quietly(ptr::null(), || {
        client
            .as_ref()
            .and_then(|c| c.endpoint_url.as_ref())
            .map_or(ptr::null(), |url| url.as_ptr())
    })
}

/// Calls `operation` (`"CreateChannel"` or `"create_channel"`) with a JSON request of wire
/// member names (NULL: `{}`) and waits for it. On `IVS_OK`, `*response_json` is the output as
/// boto3 returns it (wire names, ISO-8601 timestamps, plus `"ResponseMetadata"`); free it with
/// `ivs_string_free`. Must not be called from a callback thread (that is an
/// `IVS_ERROR_KIND_INVALID_ARGUMENT` error; use `ivs_call_async` there).
#[no_mangle]
pub unsafe extern "C" fn ivs_call(
    client: *const IvsClient,
    operation: *const c_char,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_call", error, || {
        out_arg(response_json, "response_json")?;
        let client = client_arg(client)?;
        let operation = text_arg(operation, "operation")?;
        let input = json_arg(request_json, "request_json")?;
        // Runs on this very thread (the core's per-thread driver: no other thread is woken), and
        // is written straight from aws-sdk-ivs's output, with no JSON value in between.
        let text = client
            .client
            .prepare(operation, input)?
            .run_blocking(None)?
            .into_response_text()?;
        response_json.write(owned_c_string(text)?);
        Ok(IvsStatus::IVS_OK)
    })
}

/// The callback of `ivs_call_async`. It runs exactly once per call that `ivs_call_async`
/// accepted, on a libivs runtime thread, with `status` `IVS_OK` and `response_json` (as
/// `ivs_call` gives it), or `IVS_ERROR` / `IVS_CANCELLED` and `error`. The callback owns both:
/// free them with `ivs_string_free` / `ivs_error_free` (the other one is NULL).
///
/// Keep it short (it holds up other calls' completions). It may call `ivs_call_async` (to
/// chain calls) and any non-blocking function; the blocking ones (`ivs_call`,
/// `ivs_paginator_next_*`, `ivs_presign`, `ivs_client_wait`, `ivs_client_new`) answer an
/// `IVS_ERROR_KIND_INVALID_ARGUMENT` error there instead of deadlocking. It must not unwind
/// (no C++ exception or longjmp may leave it).
pub type IvsCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        status: IvsStatus,
        response_json: *mut c_char,
        error: *mut IvsError,
    ),
>;

/// `user_data` travels to the callback's thread; what it points to is the caller's business.
struct UserData(*mut c_void);
unsafe impl Send for UserData {}

fn deliver(
    callback: unsafe extern "C" fn(*mut c_void, IvsStatus, *mut c_char, *mut IvsError),
    user_data: UserData,
    result: Result<Answer, Error>,
) {
    let converted = catch_unwind(AssertUnwindSafe(|| {
        result.and_then(|answer| owned_c_string(answer.into_response_text()?))
    }))
    .unwrap_or_else(|_| Err(panic_error("ivs_call_async")));
    let (status, json, error) = match converted {
        Ok(json) => (IvsStatus::IVS_OK, json, ptr::null_mut()),
        Err(error) => {
            let status = if error.is_cancelled() {
                IvsStatus::IVS_CANCELLED
            } else {
                IvsStatus::IVS_ERROR
            };
            (status, ptr::null_mut(), IvsError::into_raw(error))
        }
    };
    unsafe { callback(user_data.0, status, json, error) };
}

/// Starts `operation` and returns at once; `callback(user_data, ...)` runs exactly once, on a
/// libivs thread, when it completes, fails or is cancelled (see `ivs_callback`). Errors in the
/// arguments (a bad operation name, malformed JSON, validation) also arrive through the
/// callback. Returns `IVS_ERROR` (and never calls back) only when `client` or `callback` is
/// NULL. Use `ivs_client_wait` / `ivs_client_cancel` before `ivs_client_free` to settle the
/// calls in flight.
#[no_mangle]
pub unsafe extern "C" fn ivs_call_async(
    client: *const IvsClient,
    operation: *const c_char,
    request_json: *const c_char,
    callback: IvsCallback,
    user_data: *mut c_void,
) -> IvsStatus {
    let (Some(client), Some(callback)) = (client.as_ref(), callback) else {
        return IvsStatus::IVS_ERROR;
    };
    let user_data = UserData(user_data);
    let started = catch_unwind(AssertUnwindSafe(|| {
        let prepared = text_arg(operation, "operation").and_then(|operation| {
            client
                .client
                .prepare(operation, json_arg(request_json, "request_json")?)
        });
        // An argument error is delivered through the callback too, on a runtime thread.
        client
            .calls
            .spawn(async move { prepared?.run().await }, move |result| {
                deliver(callback, user_data, result)
            });
    }));
    match started {
        Ok(()) => IvsStatus::IVS_OK,
        Err(_) => IvsStatus::IVS_ERROR,
    }
}

/// How many `ivs_call_async` calls of `client` have not finished their callback yet.
#[no_mangle]
pub unsafe extern "C" fn ivs_client_in_flight(client: *const IvsClient) -> usize {
    quietly(0, || client.as_ref().map_or(0, |c| c.calls.in_flight()))
}

/// Waits until every async call of `client` has run its callback. `timeout_ms` < 0 waits
/// without limit; when it runs out first: `IVS_ERROR` with an `IVS_ERROR_KIND_TIMEOUT` error.
/// Not from a callback thread (`IVS_ERROR_KIND_INVALID_ARGUMENT`).
#[no_mangle]
pub unsafe extern "C" fn ivs_client_wait(
    client: *const IvsClient,
    timeout_ms: i64,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_client_wait", error, || {
        let client = client_arg(client)?;
        refuse_blocking_inside_runtime("ivs_client_wait")?;
        let timeout = u64::try_from(timeout_ms).ok().map(Duration::from_millis);
        if client.calls.wait(timeout) {
            Ok(IvsStatus::IVS_OK)
        } else {
            Err(Error::new(
                ErrorKind::Timeout,
                "TimeoutError",
                format!(
                    "{} async calls were still in flight after {timeout_ms} ms",
                    client.calls.in_flight()
                ),
            ))
        }
    })
}

/// Cancels every async call of `client` in flight: their requests are dropped and their
/// callbacks run with `IVS_CANCELLED`. Returns at once (`ivs_client_wait` waits for the
/// callbacks). Calls started afterwards are not affected.
#[no_mangle]
pub unsafe extern "C" fn ivs_client_cancel(
    client: *const IvsClient,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_client_cancel", error, || {
        client_arg(client)?.calls.cancel_all();
        Ok(IvsStatus::IVS_OK)
    })
}

/// A presigned URL that performs `operation` with `request_json` (its URI and query members)
/// when requested, valid for `expires_in_seconds` (1 to 604800), as boto3's
/// `generate_presigned_url`. Free `*url` with `ivs_string_free`.
#[no_mangle]
pub unsafe extern "C" fn ivs_presign(
    client: *const IvsClient,
    operation: *const c_char,
    request_json: *const c_char,
    expires_in_seconds: i64,
    url: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_presign", error, || {
        out_arg(url, "url")?;
        let client = client_arg(client)?;
        let operation = text_arg(operation, "operation")?;
        let input = json_arg(request_json, "request_json")?;
        let expires_in = libivs_core::presign_expiry(expires_in_seconds as f64)?;
        let signed = client
            .client
            .presign_blocking(operation, input, expires_in, None)?;
        url.write(owned_c_string(signed)?);
        Ok(IvsStatus::IVS_OK)
    })
}

#[allow(dead_code)]
fn assert_send_sync() {
    fn both<T: Send + Sync>() {}
    both::<IvsClient>();
    both::<IvsError>();
}
