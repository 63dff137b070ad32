//! `NativeClient`: the native half of `IvsClient` (a deferred core client, calls in the
//! client's call group, cancellation by id).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use libivs_core::{Answer, CallGroup, CallHandle, Client, ClientConfig};
use napi::bindgen_prelude::Object;
use napi::Env;
use napi_derive::napi;

use crate::convert::{parse_json, Outcome};
use crate::error::guarded;
use crate::paginator::NativePaginator;
use crate::settle::{spawn_outcome, start_promise};

/// The native half of `IvsClient`.
#[napi]
pub struct NativeClient {
    /// Deferred: the AWS environment, where needed, is read at the first call, so that the
    /// constructor never blocks.
    client: Client,
    /// The calls in flight (the core's call group).
    calls: CallGroup,
    /// Calls that an `AbortSignal` may cancel, by the id JavaScript gave them.
    cancels: Arc<Mutex<HashMap<u32, CallHandle>>>,
}

impl NativeClient {
    fn lock_cancels(&self) -> std::sync::MutexGuard<'_, HashMap<u32, CallHandle>> {
        self.cancels.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[napi]
impl NativeClient {
    /// `config` is JSON with the core's configuration keys (`ClientConfig::from_json`).
    #[napi(constructor)]
    pub fn new(config: String) -> napi::Result<Self> {
        guarded(|| {
            let config = ClientConfig::from_json(&parse_json(&config, "the configuration")?)?;
            Ok(NativeClient {
                client: Client::new_deferred(config)?,
                calls: CallGroup::new(),
                cancels: Arc::default(),
            })
        })
    }

    /// Calls an operation (`"GetChannel"`) with a JSON input; settles with an [`Outcome`].
    /// With a `cancel_id`, [`NativeClient::cancel`] stops the call (its request included) and
    /// must be called once the promise has settled, to forget the id. With a `log_level` (1
    /// error ... 5 trace), the outcome carries the call's log records up to it.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        operation: String,
        input: String,
        cancel_id: Option<u32>,
        log_level: Option<u32>,
    ) -> napi::Result<Object<'env>> {
        let client = self.client.clone();
        let calls = self.calls.clone();
        let log = crate::log::call_log(log_level);
        let (promise, task) = start_promise(env, move |settle| {
            let prepared =
                parse_json(&input, "the input").and_then(|input| client.prepare(&operation, input));
            match prepared {
                Ok(call) => {
                    let call = match &log {
                        Some(log) => call.with_log(log.clone()),
                        None => call,
                    };
                    // One task on the core's runtime (which first reads the AWS environment if
                    // this client needs it), settling the promise when done.
                    Some(call.spawn(&calls, move |result| {
                        let outcome = Outcome::from_text(result.and_then(Answer::into_text));
                        settle.settle(outcome.with_logs(log.as_ref()))
                    }))
                }
                Err(error) => {
                    settle.settle(Outcome::from_error(&error));
                    None
                }
            }
        })?;
        if let (Some(id), Some(task)) = (cancel_id, task) {
            self.lock_cancels().insert(id, task);
        }
        Ok(promise)
    }

    /// Cancels the call started with `cancel_id` if it is still running (its promise then
    /// settles with a cancellation), and forgets the id.
    #[napi]
    pub fn cancel(&self, cancel_id: u32) {
        if let Some(call) = self.lock_cancels().remove(&cancel_id) {
            call.cancel();
        }
    }

    /// A presigned URL for the operation, valid for `expires_in` seconds.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn presign<'env>(
        &self,
        env: &'env Env,
        operation: String,
        input: String,
        expires_in: f64,
        method: Option<String>,
    ) -> napi::Result<Object<'env>> {
        let client = self.client.clone();
        spawn_outcome(env, async move {
            let result = async {
                let expires_in = libivs_core::presign_expiry(expires_in)?;
                let input = parse_json(&input, "the input")?;
                client
                    .presign(&operation, input, expires_in, method.as_deref())
                    .await
            }
            .await;
            match result {
                Ok(url) => Outcome::text(url),
                Err(error) => Outcome::from_error(&error),
            }
        })
    }

    /// The region the client resolved (from its configuration or the AWS environment).
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn region<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let client = self.client.clone();
        spawn_outcome(env, async move {
            match client.resolved_region().await {
                Ok(region) => Outcome::text(region),
                Err(error) => Outcome::from_error(&error),
            }
        })
    }

    /// Pages of a paginated operation; `config` is JSON `{pageSize, maxItems, startingToken}`.
    #[napi]
    pub fn paginate(
        &self,
        operation: String,
        input: String,
        config: String,
    ) -> napi::Result<NativePaginator> {
        guarded(|| NativePaginator::new(&self.client, &operation, input, &config))
    }

    /// Drops pooled connections; the client stays usable.
    #[napi]
    pub fn close(&self) -> napi::Result<()> {
        guarded(|| {
            self.client.close();
            Ok(())
        })
    }
}
