//! The libivs client: one `aws_sdk_ivs::Client` behind a JSON-shaped `call`.

use std::fmt;
use std::sync::{Arc, Mutex};

use aws_config::BehaviorVersion;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_ivs::config::retry::RetryConfig;
use aws_sdk_ivs::config::timeout::TimeoutConfig;
use aws_sdk_ivs::config::{Credentials, Region};
use serde_json::Value;

use libivs_model::{operation, validate_input, OperationSpec, Rules};

use crate::calls::{CallGroup, CallHandle};
use crate::config::{
    ClientConfig, RetryMode, DEFAULT_CONNECT_TIMEOUT, DEFAULT_OPERATION_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
};
use crate::convert::SdkOutput;
use crate::error::{Error, ErrorKind};
use crate::local::LocalDrivers;
use crate::metadata::{recorded, MetadataRecorder, ResponseMetadata};
use crate::runtime;

/// What a call answers: the output as boto3 would show it (wire member names, timestamps as
/// ISO-8601 strings) and the metadata of the HTTP exchange.
#[derive(Clone)]
pub struct Response {
    pub operation: &'static OperationSpec,
    pub output: Value,
    pub metadata: ResponseMetadata,
}

/// What [`Client::call_with_text`] answers: the output as JSON text (the text of
/// [`Response::output`]) and the metadata of the HTTP exchange.
pub struct TextResponse {
    pub output: String,
    pub metadata: ResponseMetadata,
}

impl fmt::Debug for TextResponse {
    // The output may hold secrets (stream-key values): only its length is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextResponse")
            .field(
                "output",
                &format_args!("<{} bytes of JSON>", self.output.len()),
            )
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl Response {
    /// The output with sensitive members (stream-key values, SRT passphrases) replaced.
    pub fn redacted_output(&self) -> Value {
        match self.operation.output_shape {
            Some(shape) => libivs_model::redact_sensitive(shape, &self.output),
            None => self.output.clone(),
        }
    }
}

/// A response as boto3 shows it: the output's members, then `ResponseMetadata`. Serialized
/// directly (the C face's JSON text), without building a combined JSON value first.
impl serde::Serialize for Response {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let members = self.output.as_object();
        let mut map = serializer.serialize_map(Some(members.map_or(0, |m| m.len()) + 1))?;
        for (name, value) in members.into_iter().flatten() {
            map.serialize_entry(name, value)?;
        }
        map.serialize_entry("ResponseMetadata", &self.metadata)?;
        map.end()
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation.name)
            .field("output", &self.redacted_output())
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// aws-sdk-ivs's output of a call, not yet turned into JSON, and the exchange's metadata.
type SdkAnswer = (Box<dyn SdkOutput>, ResponseMetadata);

/// What [`Client::spawn_call`] makes of a call's output.
type Finish<R> =
    fn(&'static OperationSpec, Box<dyn SdkOutput>, ResponseMetadata) -> Result<R, Error>;

/// A client for Amazon IVS. Cheap to clone; clones share connections. Safe from many threads.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    region: String,
    endpoint_url: Option<String>,
    /// The SDK client and the process generation it was built in (rebuilt after `fork`).
    sdk: Mutex<Option<(u32, Built)>>,
    /// Per-thread drivers of blocking calls.
    local: LocalDrivers,
}

/// An aws-sdk-ivs client and the credentials provider it signs with (which the SDK's config no
/// longer hands out, and presigning needs).
#[derive(Clone)]
pub(crate) struct Built {
    pub(crate) sdk: aws_sdk_ivs::Client,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.inner.region)
            .field("endpoint_url", &self.inner.endpoint_url)
            .finish_non_exhaustive()
    }
}

/// The endpoint from the environment and the variable it came from.
fn env_endpoint_named() -> Option<(&'static str, String)> {
    ["AWS_ENDPOINT_URL_IVS", "AWS_ENDPOINT_URL"]
        .into_iter()
        .find_map(|name| Some((name, std::env::var(name).ok().filter(|v| !v.is_empty())?)))
}

fn env_endpoint() -> Option<String> {
    env_endpoint_named().map(|(_, endpoint)| endpoint)
}

/// Everything a client can be built from without reading the environment's files: nothing to
/// await, nothing to look up.
fn is_static(config: &ClientConfig) -> bool {
    config.region.is_some() && config.credentials.is_some() && config.profile.is_none()
}

/// The configuration checks made at creation, so that what is wrong with it is a `ConfigError`
/// then, not a network error (or worse) at the first call.
fn check_config(config: &ClientConfig) -> Result<(), Error> {
    config.validate()?;
    if config.endpoint_url.is_none() {
        if let Some((variable, endpoint)) = env_endpoint_named() {
            crate::config::check_endpoint(variable, &endpoint)?;
        }
    }
    Ok(())
}

impl Client {
    /// Builds a client. Where region or credentials are not given, the AWS environment and
    /// profile files are read (on the shared runtime), as boto3 and the AWS SDKs do.
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        check_config(&config)?;
        if is_static(&config) {
            let sdk = build_static(&config)?;
            return Ok(Client::from_parts(config, sdk));
        }
        let sdk = runtime::block_on(build_from_environment(config.clone()))??;
        Ok(Client::from_parts(config, sdk))
    }

    /// [`Client::new`] for async code (it must not block its executor).
    pub async fn new_async(config: ClientConfig) -> Result<Client, Error> {
        check_config(&config)?;
        if is_static(&config) {
            let sdk = build_static(&config)?;
            return Ok(Client::from_parts(config, sdk));
        }
        let sdk = runtime::spawn(build_from_environment(config.clone())).await??;
        Ok(Client::from_parts(config, sdk))
    }

    fn from_parts(config: ClientConfig, built: Built) -> Client {
        let region = built
            .sdk
            .config()
            .region()
            .map(|r| r.to_string())
            .unwrap_or_default();
        let endpoint_url = config.endpoint_url.clone().or_else(env_endpoint);
        Client {
            inner: Arc::new(Inner {
                config,
                region,
                endpoint_url,
                sdk: Mutex::new(Some((runtime::generation(), built))),
                local: LocalDrivers::default(),
            }),
        }
    }

    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The endpoint this client was pointed at, if not the AWS default for its region.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.inner.endpoint_url.as_deref()
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The aws-sdk-ivs client, rebuilt once in a forked child (its connections belong to the
    /// parent's runtime).
    pub(crate) async fn sdk(&self) -> Result<aws_sdk_ivs::Client, Error> {
        Ok(self.built().await?.sdk)
    }

    /// The SDK client if it is built for this process already.
    fn built_now(&self) -> Option<Built> {
        let slot = self.inner.sdk.lock().unwrap_or_else(|p| p.into_inner());
        slot.as_ref()
            .filter(|(built_in, _)| *built_in == runtime::generation())
            .map(|(_, built)| built.clone())
    }

    pub(crate) async fn built(&self) -> Result<Built, Error> {
        if let Some(built) = self.built_now() {
            return Ok(built);
        }
        let generation = runtime::generation();
        let config = &self.inner.config;
        let built = if is_static(config) {
            build_static(config)?
        } else {
            build_from_environment(config.clone()).await?
        };
        *self.inner.sdk.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((generation, built.clone()));
        Ok(built)
    }

    /// Drops the shared runtime's pooled connections; the client stays usable and reconnects
    /// when called again. (Each calling thread's blocking-call pool lives until the client is
    /// dropped.)
    pub fn close(&self) {
        self.inner
            .sdk
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
    }

    /// Calls `operation` (`"CreateChannel"` or `"create_channel"`) with a JSON input of wire
    /// member names. Runs on the shared runtime, so it can be awaited from any executor;
    /// dropping the future cancels the request.
    pub fn call(
        &self,
        operation_name: &str,
        input: Value,
    ) -> impl std::future::Future<Output = Result<Response, Error>> + Send + 'static {
        let client = self.clone();
        let prepared = self.prepare(operation_name, &input);
        async move {
            let op = prepared?;
            if runtime::on_worker() {
                // Already on the shared runtime (a paginator, a task of ours): no hand-off.
                client.send(op, input).await
            } else {
                runtime::spawn(client.send_owned(op, input)).await?
            }
        }
    }

    /// [`Client::call`] for synchronous code. Must not be called from inside an async runtime.
    pub fn call_blocking(&self, operation_name: &str, input: Value) -> Result<Response, Error> {
        self.call_blocking_interruptible(operation_name, input, None, &mut || false)
    }

    /// [`Client::call_blocking`] that asks `interrupted` every `poll_every` whether to give up
    /// (for Ctrl-C in an interpreter); a call given up on is dropped, with its request, and
    /// answers an error with code `Cancelled`. The call runs on this thread (see `local.rs`).
    pub fn call_blocking_interruptible(
        &self,
        operation_name: &str,
        input: Value,
        poll_every: Option<std::time::Duration>,
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Result<Response, Error> {
        let op = self.prepare(operation_name, &input)?;
        self.run_blocking(poll_every, interrupted, |sdk| async move {
            Self::send_with(&sdk, op, input).await
        })
    }

    /// [`Client::call_blocking`] answering JSON text: the response as boto3 shows it (the output's
    /// members, then `ResponseMetadata`), written straight from aws-sdk-ivs's output without a
    /// JSON value in between (the C face's path).
    pub fn call_blocking_json(&self, operation_name: &str, input: Value) -> Result<String, Error> {
        let op = self.prepare(operation_name, &input)?;
        self.run_blocking(None, &mut || false, |sdk| async move {
            let (output, metadata) = Self::send_output(&sdk, op, &input).await?;
            let mut text = Vec::with_capacity(2048);
            output.write_json(&mut text);
            // Close the output object with one more member: `ResponseMetadata`.
            text.pop();
            if text.len() > 1 {
                text.push(b',');
            }
            text.extend_from_slice(b"\"ResponseMetadata\":");
            serde_json::to_writer(&mut text, &metadata)
                .map_err(|e| Error::internal(format!("cannot write JSON: {e}")))?;
            text.push(b'}');
            json_text(text)
        })
    }

    /// Runs a call made by `make` on this thread's driver (see `local.rs`).
    fn run_blocking<T, Fut>(
        &self,
        poll_every: Option<std::time::Duration>,
        interrupted: &mut dyn FnMut() -> bool,
        make: impl FnOnce(aws_sdk_ivs::Client) -> Fut,
    ) -> Result<T, Error>
    where
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::invalid_argument(
                "a blocking libivs call was made from inside an async runtime; use the async API there",
            ));
        }
        let shared = match self.built_now() {
            Some(built) => built.sdk,
            None => runtime::block_on(self.sdk())??,
        };
        self.inner.local.run(&shared, make, poll_every, interrupted)
    }

    /// Starts `operation` in `group` (one task on the shared runtime) and calls `on_done` there
    /// with its result, exactly once: the shape for callers with their own completion mechanism
    /// (C callbacks, Node promises, an asyncio completion queue). Input errors, a cancellation
    /// through the returned handle or the group ([`Error::cancelled`]) and panics
    /// ([`Error::panicked`]) are reported through `on_done` too.
    pub fn call_with<F>(
        &self,
        group: &CallGroup,
        operation_name: &str,
        input: Value,
        on_done: F,
    ) -> CallHandle
    where
        F: FnOnce(Result<Response, Error>) + Send + 'static,
    {
        self.spawn_call(
            group,
            operation_name,
            input,
            |operation, output, metadata| {
                Ok(Response {
                    operation,
                    output: output.into_value(),
                    metadata,
                })
            },
            on_done,
        )
    }

    /// [`Client::call_with`] answering the output as JSON text (wire member names, ISO-8601
    /// timestamps), written on the runtime thread straight from aws-sdk-ivs's output: for faces
    /// that parse JSON text themselves (Node), it saves building and dropping a JSON value.
    pub fn call_with_text<F>(
        &self,
        group: &CallGroup,
        operation_name: &str,
        input: Value,
        on_done: F,
    ) -> CallHandle
    where
        F: FnOnce(Result<TextResponse, Error>) + Send + 'static,
    {
        self.spawn_call(
            group,
            operation_name,
            input,
            |_, output, metadata| {
                let mut text = Vec::with_capacity(2048);
                output.write_json(&mut text);
                Ok(TextResponse {
                    output: json_text(text)?,
                    metadata,
                })
            },
            on_done,
        )
    }

    /// One task on the shared runtime: the call, `finish` on its output, then `on_done`.
    fn spawn_call<R, F>(
        &self,
        group: &CallGroup,
        operation_name: &str,
        input: Value,
        finish: Finish<R>,
        on_done: F,
    ) -> CallHandle
    where
        R: Send + 'static,
        F: FnOnce(Result<R, Error>) + Send + 'static,
    {
        let prepared = self.prepare(operation_name, &input);
        let client = self.clone();
        let work = async move {
            let op = prepared?;
            let (output, metadata) = client.send_output_owned(op, input).await?;
            finish(op, output, metadata)
        };
        group.spawn(work, on_done)
    }

    /// The call as one boxed future: moving it into a task then copies a pointer, not the
    /// several kilobytes of the SDK's state machine.
    fn send_owned(
        self,
        op: &'static OperationSpec,
        input: Value,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response, Error>> + Send>> {
        Box::pin(async move { self.send(op, input).await })
    }

    /// [`Client::send_owned`] answering aws-sdk-ivs's output, not yet turned into JSON.
    fn send_output_owned(
        self,
        op: &'static OperationSpec,
        input: Value,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<SdkAnswer, Error>> + Send>> {
        Box::pin(async move {
            let sdk = self.sdk().await?;
            Self::send_output(&sdk, op, &input).await
        })
    }

    /// Finds the operation and checks the input, before any network I/O.
    pub fn prepare(
        &self,
        operation_name: &str,
        input: &Value,
    ) -> Result<&'static OperationSpec, Error> {
        let op =
            operation(operation_name).ok_or_else(|| Error::unknown_operation(operation_name))?;
        if !(input.is_object() || input.is_null()) {
            return Err(Error::param_validation(format!(
                "The input of {} must be an object of parameters",
                op.name
            )));
        }
        if let Some(path) = libivs_model::too_deep_path(input) {
            return Err(Error::param_validation(libivs_model::too_deep_message(
                &path,
            )));
        }
        if self.inner.config.validate_input {
            validate_input(op, input, Rules::Client).map_err(|issues| {
                let lines: Vec<String> = issues.into_iter().map(|i| i.message).collect();
                Error::param_validation(lines.join("\n"))
            })?;
        }
        Ok(op)
    }

    /// Sends a prepared call; must run on the shared runtime.
    pub(crate) async fn send(
        &self,
        op: &'static OperationSpec,
        input: Value,
    ) -> Result<Response, Error> {
        let sdk = self.sdk().await?;
        Self::send_with(&sdk, op, input).await
    }

    async fn send_with(
        sdk: &aws_sdk_ivs::Client,
        op: &'static OperationSpec,
        input: Value,
    ) -> Result<Response, Error> {
        let (output, metadata) = Self::send_output(sdk, op, &input).await?;
        Ok(Response {
            operation: op,
            output: output.into_value(),
            metadata,
        })
    }

    /// Sends a prepared call and answers aws-sdk-ivs's output, not yet turned into JSON.
    async fn send_output(
        sdk: &aws_sdk_ivs::Client,
        op: &'static OperationSpec,
        input: &Value,
    ) -> Result<SdkAnswer, Error> {
        let (result, metadata) = recorded(crate::generated::dispatch(sdk, op.name, input)).await;
        match result {
            Ok(output) => Ok((output, metadata)),
            Err(error) => Err(error.with_metadata(metadata).without_request_text(input)),
        }
    }
}

/// JSON text written by `WriteJson` (always UTF-8: it copies strings whole and escapes the rest).
fn json_text(bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|_| Error::internal("JSON text was not UTF-8"))
}

/// The aws-sdk-ivs retry settings libivs uses for `config`: its own, else `AWS_RETRY_MODE` /
/// `AWS_MAX_ATTEMPTS` (as boto3 and the AWS SDKs read them), else standard mode with 3 attempts.
/// Public so that benchmarks can give a raw aws-sdk-ivs client the same settings.
pub fn sdk_retry_config(config: &ClientConfig) -> Result<RetryConfig, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let mode = match (config.retry_mode, env("AWS_RETRY_MODE")) {
        (Some(mode), _) => mode,
        (None, Some(text)) => RetryMode::parse(text.trim())?,
        (None, None) => RetryMode::Standard,
    };
    let max_attempts = match (config.max_attempts, env("AWS_MAX_ATTEMPTS")) {
        (Some(attempts), _) => Some(attempts),
        (None, Some(text)) => Some(crate::config::attempts_from_env(&text)?),
        (None, None) => None,
    };
    let base = match mode {
        RetryMode::Adaptive => RetryConfig::adaptive(),
        RetryMode::Standard | RetryMode::Legacy => RetryConfig::standard(),
    };
    let default_attempts = if mode == RetryMode::Legacy { 5 } else { 3 };
    Ok(base.with_max_attempts(max_attempts.unwrap_or(default_attempts)))
}

/// The aws-sdk-ivs timeouts libivs uses for `config` (its own, else the defaults, so that nothing
/// waits forever). Public so that benchmarks can give a raw aws-sdk-ivs client the same settings.
pub fn sdk_timeout_config(config: &ClientConfig) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(config.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
        .read_timeout(config.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT))
        .operation_timeout(
            config
                .operation_timeout
                .unwrap_or(DEFAULT_OPERATION_TIMEOUT),
        )
        .build()
}

fn finish_builder(
    mut builder: aws_sdk_ivs::config::Builder,
    config: &ClientConfig,
    credentials: Option<SharedCredentialsProvider>,
) -> Result<Built, Error> {
    if let Some(endpoint) = config.endpoint_url.clone().or_else(env_endpoint) {
        builder = builder.endpoint_url(endpoint);
    }
    if let Some(name) = crate::config::app_name(config)? {
        builder = builder.app_name(name);
    }
    builder.push_interceptor(MetadataRecorder::shared());
    let sdk_config = builder
        .retry_config(sdk_retry_config(config)?)
        .timeout_config(sdk_timeout_config(config))
        .build();
    Ok(Built {
        sdk: aws_sdk_ivs::Client::from_conf(sdk_config),
        credentials,
    })
}

/// Region and credentials given: nothing to read from the environment, nothing to await.
fn build_static(config: &ClientConfig) -> Result<Built, Error> {
    let credentials = config.credentials.as_ref().expect("checked by the caller");
    let provider = SharedCredentialsProvider::new(Credentials::new(
        credentials.access_key_id.clone(),
        credentials.secret_access_key.clone(),
        credentials.session_token.clone(),
        None,
        "libivs-static",
    ));
    let builder = aws_sdk_ivs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(config.region.clone().unwrap_or_default()))
        .credentials_provider(provider.clone());
    finish_builder(builder, config, Some(provider))
}

/// boto3's `ProfileNotFound`, at creation: a named profile (given, or `AWS_PROFILE`) that no
/// shared config or credentials file holds. aws-config would otherwise fall back silently and
/// fail only at the first call, with a credentials error that does not name the profile.
async fn check_profile_exists(config: &ClientConfig) -> Result<(), Error> {
    let named = config.profile.clone().or_else(|| {
        std::env::var("AWS_PROFILE")
            .ok()
            .filter(|name| !name.is_empty() && config.credentials.is_none())
    });
    let Some(name) = named else { return Ok(()) };
    let fs = aws_types::os_shim_internal::Fs::real();
    let env = aws_types::os_shim_internal::Env::real();
    // aws-config's own alias of aws-runtime's type: one fewer direct dependency.
    #[allow(deprecated)]
    let files = aws_config::profile::profile_file::ProfileFiles::default();
    let found = match aws_config::profile::load(&fs, &env, &files, Some(name.clone().into())).await
    {
        Ok(profiles) => profiles.get_profile(&name).is_some(),
        // An unreadable or malformed file: let aws-config report it as it does.
        Err(_) => return Ok(()),
    };
    if found {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Config,
            "ProfileNotFound",
            format!("The config profile ({name}) could not be found"),
        ))
    }
}

async fn build_from_environment(config: ClientConfig) -> Result<Built, Error> {
    check_profile_exists(&config).await?;
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &config.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &config.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(credentials) = &config.credentials {
        loader = loader.credentials_provider(Credentials::new(
            credentials.access_key_id.clone(),
            credentials.secret_access_key.clone(),
            credentials.session_token.clone(),
            None,
            "libivs-static",
        ));
    }
    let shared = loader.load().await;
    if shared.region().is_none() {
        return Err(Error::new(
            ErrorKind::Config,
            "NoRegionError",
            "You must specify a region (region, AWS_REGION or a profile's region).",
        ));
    }
    finish_builder(
        aws_sdk_ivs::config::Builder::from(&shared),
        &config,
        shared.credentials_provider(),
    )
}
