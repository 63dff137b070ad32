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

use std::collections::HashMap;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libivs_core::{
    Answer, CallGroup, CallHandle, Client, ClientConfig, Emulator, EmulatorConfig, Error, Fault,
    PaginationConfig, Paginator, Response, ResponseMetadata, TextResponse,
};
use napi::bindgen_prelude::Object;
use napi::{Env, Status};
use napi_derive::napi;
use serde_json::Value;

mod settle;
use settle::Settle;

/// napi-rs starts a Tokio runtime of its own (a worker per core) for `#[napi] async fn`s, which
/// this addon does not use: every call runs on the core's shared runtime. A current-thread
/// runtime in its place spawns no threads.
#[napi_derive::module_init]
fn init() {
    if let Ok(idle) = tokio::runtime::Builder::new_current_thread().build() {
        napi::bindgen_prelude::create_custom_tokio_runtime(idle);
    }
}

/// What a native call settles with: `output` or `error` (neither after a paginator's last page).
#[napi(object)]
pub struct Outcome {
    /// The output as JSON text (wire member names, ISO-8601 timestamps); for a presign, the URL.
    pub output: Option<String>,
    pub status: Option<u32>,
    pub request_id: Option<String>,
    pub attempts: u32,
    pub error: Option<ErrorInfo>,
    /// The response headers of a failed call (the JS SDK's `error.$response.headers`); only
    /// errors carry them, so a successful call copies none.
    pub headers: Option<std::collections::HashMap<String, String>>,
}

/// A core error, in the terms `index.js` builds its error classes from.
#[napi(object)]
pub struct ErrorInfo {
    /// `service`, `validation`, `credentials`, `timeout`, `network`, `config`,
    /// `invalid_argument` or `internal`.
    pub kind: String,
    pub code: String,
    pub message: String,
    pub retryable: bool,
}

impl Outcome {
    fn from_result(result: Result<Response, Error>) -> Outcome {
        match result {
            Ok(response) => Outcome::answered(response.output.to_string(), response.metadata),
            Err(error) => Outcome::from_error(&error),
        }
    }

    fn from_text(result: Result<TextResponse, Error>) -> Outcome {
        match result {
            Ok(response) => Outcome::answered(response.output, response.metadata),
            Err(error) => Outcome::from_error(&error),
        }
    }

    fn answered(output: String, metadata: ResponseMetadata) -> Outcome {
        Outcome {
            output: Some(output),
            status: metadata.http_status.map(u32::from),
            request_id: metadata.request_id,
            attempts: metadata.attempts,
            error: None,
            headers: None,
        }
    }

    fn from_error(error: &Error) -> Outcome {
        let metadata = error.metadata();
        Outcome {
            output: None,
            status: metadata.http_status.map(u32::from),
            request_id: metadata.request_id.clone(),
            attempts: metadata.attempts,
            error: Some(ErrorInfo {
                kind: error.kind().as_str().to_owned(),
                code: error.code().to_owned(),
                message: error.message().to_owned(),
                retryable: error.retryable(),
            }),
            headers: metadata
                .http_status
                .map(|_| metadata.headers().into_iter().collect()),
        }
    }

    /// No more pages.
    fn end() -> Outcome {
        Outcome {
            output: None,
            status: None,
            request_id: None,
            attempts: 0,
            error: None,
            headers: None,
        }
    }

    fn text(text: String) -> Outcome {
        Outcome {
            output: Some(text),
            status: None,
            request_id: None,
            attempts: 0,
            error: None,
            headers: None,
        }
    }
}

/// A synchronous failure, thrown to JavaScript with `code` = `"libivs:<kind>:<code>"` so that
/// `index.js` can rethrow it as the matching `IvsError` subclass.
fn js_error(error: &Error) -> napi::Error {
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
fn guarded<T>(body: impl FnOnce() -> Result<T, Error>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(js_error(&error)),
        Err(_) => Err(js_error(&Error::panicked())),
    }
}

/// Runs `work` as a task on the core's runtime and settles with its outcome.
fn spawn_settling<F>(settle: Settle, work: F) -> tokio::task::AbortHandle
where
    F: Future<Output = Outcome> + Send + 'static,
{
    libivs_core::runtime::runtime()
        .spawn(async move {
            let outcome = work.await;
            settle.settle(outcome);
        })
        .abort_handle()
}

/// Answers a promise that `start` arranges to settle (it never rejects: failures travel in
/// `Outcome::error`). A panic in `start` drops the `Settle`, which settles with an
/// `InternalError`.
fn start_promise<'env, T>(
    env: &'env Env,
    start: impl FnOnce(Settle) -> Option<T>,
) -> napi::Result<(Object<'env>, Option<T>)> {
    let (settle, promise) = Settle::new(env)?;
    let task = catch_unwind(AssertUnwindSafe(move || start(settle))).unwrap_or(None);
    Ok((promise, task))
}

/// Starts `work` on the core's runtime and answers a promise that it settles.
fn spawn_outcome<'env, F>(env: &'env Env, work: F) -> napi::Result<Object<'env>>
where
    F: Future<Output = Outcome> + Send + 'static,
{
    Ok(start_promise(env, move |settle| Some(spawn_settling(settle, work)))?.0)
}

fn parse_json(text: &str, what: &str) -> Result<Value, Error> {
    libivs_core::parse_json_arg(text, what)
}

/// The client's configuration and, once built, the core client. Building is deferred to the
/// first call when the AWS environment must be read, so that the constructor never blocks.
struct Lazy {
    config: ClientConfig,
    client: tokio::sync::OnceCell<Client>,
    /// The calls in flight (the core's call group).
    calls: CallGroup,
    /// Calls that an `AbortSignal` may cancel, by the id JavaScript gave them.
    cancels: Mutex<HashMap<u32, CallHandle>>,
}

impl Lazy {
    async fn client(&self) -> Result<Client, Error> {
        self.client
            .get_or_try_init(|| Client::new_async(self.config.clone()))
            .await
            .cloned()
    }
}

/// The native half of `IvsClient`.
#[napi]
pub struct NativeClient {
    inner: Arc<Lazy>,
}

impl NativeClient {
    fn lock_cancels(&self) -> std::sync::MutexGuard<'_, HashMap<u32, CallHandle>> {
        self.inner.cancels.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[napi]
impl NativeClient {
    /// `config` is JSON with the core's configuration keys (`ClientConfig::from_json`).
    #[napi(constructor)]
    pub fn new(config: String) -> napi::Result<Self> {
        guarded(|| {
            let config = ClientConfig::from_json(&parse_json(&config, "the configuration")?)?;
            let client = tokio::sync::OnceCell::new();
            // Region and credentials given: nothing to read from the environment, no blocking.
            if config.region.is_some() && config.credentials.is_some() && config.profile.is_none() {
                let _ = client.set(Client::new(config.clone())?);
            }
            Ok(NativeClient {
                inner: Arc::new(Lazy {
                    config,
                    client,
                    calls: CallGroup::new(),
                    cancels: Mutex::new(HashMap::new()),
                }),
            })
        })
    }

    /// Calls an operation (`"GetChannel"`) with a JSON input; settles with an [`Outcome`].
    /// With a `cancel_id`, [`NativeClient::cancel`] stops the call (its request included) and
    /// must be called once the promise has settled, to forget the id.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        operation: String,
        input: String,
        cancel_id: Option<u32>,
    ) -> napi::Result<Object<'env>> {
        let inner = self.inner.clone();
        let (promise, task) = start_promise(env, move |settle| {
            match inner.client.get() {
                // The usual case: one task on the core's runtime, settling the promise when done.
                Some(client) => match parse_json(&input, "the input")
                    .and_then(|input| client.prepare(&operation, input))
                {
                    Ok(call) => Some(call.spawn(&inner.calls, move |result| {
                        settle.settle(Outcome::from_text(result.and_then(Answer::into_text)))
                    })),
                    Err(error) => {
                        settle.settle(Outcome::from_error(&error));
                        None
                    }
                },
                // The first call of a client that reads the AWS environment builds it first.
                None => {
                    let group = inner.calls.clone();
                    let work = async move {
                        let input = parse_json(&input, "the input")?;
                        let client = inner.client().await?;
                        client.call(&operation, input).await
                    };
                    Some(group.spawn(work, move |result| {
                        settle.settle(Outcome::from_result(result))
                    }))
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
        let inner = self.inner.clone();
        spawn_outcome(env, async move {
            let result = async {
                if !expires_in.is_finite() || expires_in <= 0.0 {
                    return Err(Error::param_validation(
                        "expiresIn must be from 1 second to 7 days (604800 seconds)",
                    ));
                }
                let input = parse_json(&input, "the input")?;
                let client = inner.client().await?;
                client
                    .presign(
                        &operation,
                        input,
                        Duration::from_secs_f64(expires_in),
                        method.as_deref(),
                    )
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
        let inner = self.inner.clone();
        spawn_outcome(env, async move {
            match inner.client().await {
                Ok(client) => Outcome::text(client.region().to_owned()),
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
        guarded(|| {
            let spec = libivs_core::operation(&operation)
                .ok_or_else(|| Error::unknown_operation(&operation))?;
            let paginator = spec.paginator.ok_or_else(|| {
                Error::invalid_argument(format!("Operation cannot be paginated: {}", spec.name))
            })?;
            let config = PaginationConfig::from_json(&parse_json(&config, "the configuration")?)?;
            Ok(NativePaginator {
                result_key: paginator.result_key.to_owned(),
                state: Arc::new(tokio::sync::Mutex::new(PaginatorState::Pending {
                    client: self.inner.clone(),
                    operation: spec.name,
                    input,
                    config,
                })),
                resume_token: Arc::new(Mutex::new(None)),
            })
        })
    }

    /// Drops pooled connections; the client stays usable.
    #[napi]
    pub fn close(&self) -> napi::Result<()> {
        guarded(|| {
            if let Some(client) = self.inner.client.get() {
                client.close();
            }
            Ok(())
        })
    }
}

enum PaginatorState {
    /// Not started: the client may still have to be built, and the input checked.
    Pending {
        client: Arc<Lazy>,
        operation: &'static str,
        input: String,
        config: PaginationConfig,
    },
    Running(Paginator),
    Done,
}

/// Pages of one paginated operation, fetched one `nextPage()` at a time.
#[napi]
pub struct NativePaginator {
    result_key: String,
    state: Arc<tokio::sync::Mutex<PaginatorState>>,
    resume_token: Arc<Mutex<Option<String>>>,
}

#[napi]
impl NativePaginator {
    /// The output member holding the items (`channels`, `streamKeys`...).
    #[napi(getter)]
    pub fn result_key(&self) -> String {
        self.result_key.clone()
    }

    /// Where a later run can start once `maxItems` has cut the pages.
    #[napi(getter)]
    pub fn resume_token(&self) -> Option<String> {
        self.resume_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The next page; after the last one, an outcome with neither `output` nor `error`.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn next_page<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let state = self.state.clone();
        let resume = self.resume_token.clone();
        spawn_outcome(env, async move {
            let mut state = state.lock().await;
            if let PaginatorState::Pending {
                client,
                operation,
                input,
                config,
            } = &*state
            {
                let started = async {
                    let input = parse_json(input, "the input")?;
                    let client = client.client().await?;
                    Paginator::new(&client, operation, input, config.clone())
                }
                .await;
                match started {
                    Ok(paginator) => *state = PaginatorState::Running(paginator),
                    Err(error) => {
                        *state = PaginatorState::Done;
                        return Outcome::from_error(&error);
                    }
                }
            }
            let PaginatorState::Running(paginator) = &mut *state else {
                return Outcome::end();
            };
            let page = paginator.next_page().await;
            *resume.lock().unwrap_or_else(|p| p.into_inner()) =
                paginator.resume_token().map(str::to_owned);
            match page {
                Some(result) => Outcome::from_result(result),
                None => {
                    *state = PaginatorState::Done;
                    Outcome::end()
                }
            }
        })
    }
}

/// The embedded IVS emulator (its own thread and runtime), for tests and demos.
#[napi]
pub struct NativeEmulator {
    emulator: Mutex<Option<Emulator>>,
    url: String,
    rtmp_url: String,
    rtmps_url: String,
    region: String,
    account_id: String,
    access_key_id: String,
    secret_access_key: String,
}

impl NativeEmulator {
    fn with<T>(&self, body: impl FnOnce(&Emulator) -> Result<T, Error>) -> napi::Result<T> {
        guarded(|| {
            let slot = self.emulator.lock().unwrap_or_else(|p| p.into_inner());
            let emulator = slot
                .as_ref()
                .ok_or_else(|| Error::emulator("the emulator has been stopped"))?;
            body(emulator)
        })
    }
}

#[napi]
impl NativeEmulator {
    /// `config` is JSON `{host, port, rtmpPort, rtmpsPort, region, accountId, accessKeyId,
    /// secretAccessKey, streamEndDelayMs, recordingConfigurationDelayMs, quotas,
    /// eventsWebhookUrl}`.
    #[napi(constructor)]
    pub fn new(config: String) -> napi::Result<Self> {
        guarded(|| {
            let options = parse_json(&config, "the emulator options")?;
            let config = EmulatorConfig::from_json(&options).map_err(Error::config)?;
            let emulator =
                Emulator::start(config).map_err(|e| Error::emulator_cannot_listen(&e))?;
            Ok(NativeEmulator {
                url: emulator.url(),
                rtmp_url: emulator.rtmp_url(),
                rtmps_url: emulator.rtmps_url(),
                region: emulator.region().to_owned(),
                account_id: emulator.account_id().to_owned(),
                access_key_id: emulator.access_key_id().to_owned(),
                secret_access_key: emulator.secret_access_key().to_owned(),
                emulator: Mutex::new(Some(emulator)),
            })
        })
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    #[napi(getter)]
    pub fn rtmp_url(&self) -> String {
        self.rtmp_url.clone()
    }

    #[napi(getter)]
    pub fn rtmps_url(&self) -> String {
        self.rtmps_url.clone()
    }

    /// The EventBridge events from cursor `since` on, as JSON `{"events": [...], "cursor": n}`.
    #[napi]
    pub fn events(&self, since: f64) -> napi::Result<String> {
        self.with(|emulator| {
            if !(since.is_finite() && since >= 0.0 && since.fract() == 0.0) {
                return Err(Error::invalid_argument(
                    "since must be a cursor (a whole number) from an earlier answer",
                ));
            }
            Ok(emulator.events(since as u64).to_string())
        })
    }

    #[napi(getter)]
    pub fn region(&self) -> String {
        self.region.clone()
    }

    #[napi(getter)]
    pub fn account_id(&self) -> String {
        self.account_id.clone()
    }

    #[napi(getter)]
    pub fn access_key_id(&self) -> String {
        self.access_key_id.clone()
    }

    #[napi(getter)]
    pub fn secret_access_key(&self) -> String {
        self.secret_access_key.clone()
    }

    /// A broadcaster connects with the stream key: answers `{"channelArn","streamId"}` as JSON.
    #[napi]
    pub fn start_stream(&self, stream_key: String) -> napi::Result<String> {
        self.with(|emulator| {
            emulator
                .start_stream(&stream_key)
                .map(|v| v.to_string())
                .map_err(Error::emulator)
        })
    }

    /// The channel's playback URL as this emulator serves it (scheme and host replaced).
    #[napi]
    pub fn local_playback_url(&self, playback_url: String) -> napi::Result<String> {
        self.with(|emulator| Ok(emulator.local_playback_url(&playback_url)))
    }

    /// The broadcaster of a live channel disconnects.
    #[napi]
    pub fn stop_stream(&self, channel_arn: String) -> napi::Result<()> {
        self.with(|emulator| emulator.stop_stream(&channel_arn).map_err(Error::emulator))
    }

    /// `fault` is JSON `{operation, count, status | delayMs | reset}`, as the HTTP control API.
    #[napi]
    pub fn inject_fault(&self, fault: String) -> napi::Result<()> {
        self.with(|emulator| {
            let fault = parse_json(&fault, "the fault")?;
            let fault = Fault::from_json(&fault).map_err(Error::emulator)?;
            emulator.inject_fault(fault).map_err(Error::emulator)
        })
    }

    /// Forgets every resource, stream and fault.
    #[napi]
    pub fn reset(&self) -> napi::Result<()> {
        self.with(|emulator| {
            emulator.reset();
            Ok(())
        })
    }

    /// Stops serving; later calls to the emulator's methods fail. Stopping twice is harmless.
    #[napi]
    pub fn stop(&self) -> napi::Result<()> {
        guarded(|| {
            let emulator = self
                .emulator
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            if let Some(emulator) = emulator {
                emulator.stop();
            }
            Ok(())
        })
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

/// Signs an ES384 playback token; `claims` is JSON of the core's claim keys.
#[napi]
pub fn sign_playback_token(private_key_pem: String, claims: String) -> napi::Result<String> {
    guarded(|| {
        let claims = parse_json(&claims, "the claims")?;
        libivs_core::sign_playback_token(&private_key_pem, &claims)
    })
}

/// Verifies a playback token's signature and expiry; answers its claims as JSON.
#[napi]
pub fn verify_playback_token(public_key_pem: String, token: String) -> napi::Result<String> {
    guarded(|| libivs_core::verify_playback_token(&public_key_pem, &token).map(|c| c.to_string()))
}

/// A new P-384 key pair: `[privateKeyPem, publicKeyPem]`.
#[napi]
pub fn generate_playback_key_pair() -> napi::Result<Vec<String>> {
    guarded(|| {
        let pair = libivs_core::generate_playback_key_pair();
        Ok(vec![
            pair.private_key_pem.clone(),
            pair.public_key_pem.clone(),
        ])
    })
}
