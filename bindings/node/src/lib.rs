//! Node addon for libivs: a translator between JavaScript and `libivs_core`.
//!
//! JavaScript hands inputs over as JSON text (`JSON.stringify` turns `Date`s into ISO strings)
//! and gets outputs back as JSON text plus the exchange's metadata; `index.js` turns those into
//! the `@aws-sdk/client-ivs` shapes (timestamps as `Date`, `$metadata`, error classes). Nothing
//! here knows one operation from another: the core resolves names against its model.
//!
//! Every call runs on the core's shared tokio runtime and settles a promise created here
//! through the environment's completion channel (`settle.rs`), so the event loop never blocks, a pending call keeps the
//! process alive only while it is pending, and a worker thread torn down mid-call drops the
//! settlement instead of touching a dead environment. No panic reaches JavaScript: every entry
//! point catches unwinds and answers an `InternalError` instead.

use napi_derive::napi;
use serde_json::Value;

mod client;
mod convert;
mod emulator;
mod error;
mod log;
mod paginator;
mod playback;
mod settle;

// The exported classes and functions (registered by `#[napi]`).
pub use client::NativeClient;
pub use emulator::NativeEmulator;
pub use paginator::NativePaginator;
pub use playback::*;

use error::guarded;
#[cfg(feature = "test-hooks")]
use {
    libivs_core::Error,
    napi::{bindgen_prelude::Object, Env},
    settle::{spawn_outcome, start_promise},
};

/// napi-rs starts a Tokio runtime of its own (a worker per core) for `#[napi] async fn`s, which
/// this addon does not use: every call runs on the core's shared runtime. A current-thread
/// runtime in its place spawns no threads.
#[napi_derive::module_init]
fn init() {
    libivs_core::log::init_from_env();
    if let Ok(idle) = tokio::runtime::Builder::new_current_thread().build() {
        napi::bindgen_prelude::create_custom_tokio_runtime(idle);
    }
}

/// The core's operation table as JSON (`[{name, snakeName, inputShape, outputShape,
/// paginator}]`), so tests can check the generated JavaScript table against it.
#[napi]
pub fn operations() -> napi::Result<String> {
    guarded(|| {
        let table: Vec<Value> = libivs_core::OPERATIONS
            .iter()
            .map(|op| {
                serde_json::json!({
                    "name": op.name,
                    "snakeName": op.snake_name,
                    "inputShape": op.input_shape,
                    "outputShape": op.output_shape,
                    "errors": op.errors,
                    "paginator": op.paginator.map(|p| serde_json::json!({
                        "inputToken": p.input_token, "outputToken": p.output_token,
                        "limitKey": p.limit_key, "resultKey": p.result_key,
                    })),
                })
            })
            .collect();
        Ok(Value::Array(table).to_string())
    })
}

/// Test hook (feature `test-hooks`): a panic inside an entry point must come back as an `InternalError`, whether it
/// happens in a task (`"task"`), while a promise-returning call starts (`"start"`) or in a
/// synchronous function (`"sync"`, thrown).
#[cfg(feature = "test-hooks")]
#[napi(ts_return_type = "Promise<Outcome>")]
pub fn panic_for_test<'env>(env: &'env Env, place: String) -> napi::Result<Object<'env>> {
    match place.as_str() {
        "task" => spawn_outcome(env, async { panic!("deliberate test panic") }),
        "start" => Ok(start_promise(env, |_settle| -> Option<()> {
            panic!("deliberate test panic")
        })?
        .0),
        _ => guarded(|| -> Result<Object<'_>, Error> { panic!("deliberate test panic") }),
    }
}
