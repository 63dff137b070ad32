//! `ivs_paginator`: pages or items of the 9 paginated operations.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::Mutex;

use libivs_core::{runtime, Error, ItemPaginator, PaginationConfig, Paginator};

use crate::client::client_arg;
use crate::convert::{json_arg, kept_c_string, out_arg, owned_c_string, text_arg};
use crate::error::quietly;
use crate::error::IvsError;
use crate::ffi::{guard, IvsStatus};

enum Walk {
    Pages(Paginator),
    Items(ItemPaginator<String>),
    /// Only while switching from pages to items.
    Switching,
}

struct State {
    walk: Walk,
    resume_token: Option<CString>,
}

/// Pages (or items) of one paginated operation. Thread-safe (calls are serialized); free it
/// with `ivs_paginator_free`.
pub struct IvsPaginator {
    state: Mutex<State>,
    result_key: CString,
}

/// Starts paginating `operation` (one of the paginated operations listed at
/// `IVS_PAGINATED_OPERATION_COUNT`) with `request_json` (NULL: `{}`) and
/// `pagination_config_json` as boto3's `PaginationConfig` (NULL, or `{"PageSize": n,
/// "MaxItems": n, "StartingToken": "..."}`). Nothing is sent until the first `next` call.
/// The paginator keeps no reference to `client` beyond what it shares internally: the client
/// may be freed first.
#[no_mangle]
pub unsafe extern "C" fn ivs_paginator_new(
    client: *const crate::client::IvsClient,
    operation: *const c_char,
    request_json: *const c_char,
    pagination_config_json: *const c_char,
    paginator: *mut *mut IvsPaginator,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_paginator_new", error, || {
        out_arg(paginator, "paginator")?;
        let client = client_arg(client)?;
        let operation = text_arg(operation, "operation")?;
        let input = json_arg(request_json, "request_json")?;
        let config = PaginationConfig::from_json(&json_arg(
            pagination_config_json,
            "pagination_config_json",
        )?)?;
        let pages = Paginator::new(&client.client, operation, input, config)?;
        let created = IvsPaginator {
            result_key: kept_c_string(pages.result_key()),
            state: Mutex::new(State {
                walk: Walk::Pages(pages),
                resume_token: None,
            }),
        };
        paginator.write(Box::into_raw(Box::new(created)));
        Ok(IvsStatus::IVS_OK)
    })
}

unsafe fn paginator_arg<'a>(paginator: *const IvsPaginator) -> Result<&'a IvsPaginator, Error> {
    paginator
        .as_ref()
        .ok_or_else(|| Error::invalid_argument("paginator is NULL"))
}

fn keep_resume(state: &mut State, token: Option<&str>) {
    state.resume_token = token.map(kept_c_string);
}

/// The next page: `IVS_OK` and `*page_json` (the operation's output as `ivs_call` gives it,
/// free with `ivs_string_free`), `IVS_DONE` when there are no more pages (`*page_json` NULL),
/// or `IVS_ERROR` (the paginator is then done). Not after `ivs_paginator_next_item` on the
/// same paginator. Blocks: not from a callback thread.
#[no_mangle]
pub unsafe extern "C" fn ivs_paginator_next_page(
    paginator: *mut IvsPaginator,
    page_json: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_paginator_next_page", error, || {
        out_arg(page_json, "page_json")?;
        let paginator = paginator_arg(paginator)?;
        let mut state = paginator.state.lock().unwrap_or_else(|p| p.into_inner());
        let Walk::Pages(pages) = &mut state.walk else {
            return Err(Error::invalid_argument(
                "ivs_paginator_next_page after ivs_paginator_next_item: a paginator gives pages or items, not both",
            ));
        };
        // Each page is one task on the shared runtime; this thread waits once.
        let next = runtime::block_on(pages.next_answer())?;
        let token = pages.resume_token().map(str::to_owned);
        keep_resume(&mut state, token.as_deref());
        match next {
            None => Ok(IvsStatus::IVS_DONE),
            Some(Err(failure)) => Err(failure),
            Some(Ok(page)) => {
                page_json.write(owned_c_string(page.into_response_text()?)?);
                Ok(IvsStatus::IVS_OK)
            }
        }
    })
}

/// The next item (a channel summary, a stream key summary...): `IVS_OK` and `*item_json` (free
/// with `ivs_string_free`), `IVS_DONE` when there are no more, or `IVS_ERROR` (the paginator is
/// then done). May follow `ivs_paginator_next_page` calls: items start at the next page.
/// Blocks: not from a callback thread.
#[no_mangle]
pub unsafe extern "C" fn ivs_paginator_next_item(
    paginator: *mut IvsPaginator,
    item_json: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_paginator_next_item", error, || {
        out_arg(item_json, "item_json")?;
        let paginator = paginator_arg(paginator)?;
        let mut state = paginator.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Walk::Pages(_) = state.walk {
            let Walk::Pages(pages) = std::mem::replace(&mut state.walk, Walk::Switching) else {
                unreachable!("checked above")
            };
            state.walk = Walk::Items(pages.into_item_texts());
        }
        let Walk::Items(items) = &mut state.walk else {
            return Err(Error::internal(
                "a paginator was left between pages and items",
            ));
        };
        let next = runtime::block_on(items.next_item())?;
        let token = items.resume_token().map(str::to_owned);
        keep_resume(&mut state, token.as_deref());
        match next {
            None => Ok(IvsStatus::IVS_DONE),
            Some(Err(failure)) => Err(failure),
            Some(Ok(item)) => {
                item_json.write(owned_c_string(item)?);
                Ok(IvsStatus::IVS_OK)
            }
        }
    })
}

/// Once `MaxItems` has cut the results: the token to pass as `StartingToken` to continue
/// exactly there (botocore's format, so it passes between boto3 and libivs); otherwise NULL.
/// Owned by the paginator, valid until its next call.
#[no_mangle]
pub unsafe extern "C" fn ivs_paginator_resume_token(
    paginator: *const IvsPaginator,
) -> *const c_char {
    quietly(ptr::null(), || {
        let Some(paginator) = paginator.as_ref() else {
            return ptr::null();
        };
        let state = paginator.state.lock().unwrap_or_else(|p| p.into_inner());
        state
            .resume_token
            .as_ref()
            .map_or(ptr::null(), |token| token.as_ptr())
    })
}

/// The output member that holds the items (`"channels"`, `"streamKeys"`...). Owned by the
/// paginator; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_paginator_result_key(paginator: *const IvsPaginator) -> *const c_char {
    quietly(c"".as_ptr(), || {
        paginator
            .as_ref()
            .map_or(c"".as_ptr(), |p| p.result_key.as_ptr())
    })
}

/// Frees a paginator. NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn ivs_paginator_free(paginator: *mut IvsPaginator) {
    if !paginator.is_null() {
        quietly((), || drop(Box::from_raw(paginator)));
    }
}
