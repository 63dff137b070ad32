//! The libivs client: one `aws_sdk_ivs::Client` (built as `sdk.rs` says, again after `close`
//! or `fork`) behind JSON-shaped calls (`call.rs`).

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use libivs_model::OperationSpec;

use crate::calls::Interrupt;
use crate::config::ClientConfig;
use crate::error::Error;
use crate::local::LocalDrivers;
use crate::metadata::ResponseMetadata;
use crate::runtime;
use crate::sdk::{
    build_from_environment, build_static, env_endpoint, env_endpoint_named, is_static, Built,
};

/// What a call answers: the output as boto3 would show it (wire member names, timestamps as
/// ISO-8601 strings) and the metadata of the HTTP exchange.
#[derive(Clone)]
pub struct Response {
    pub operation: &'static OperationSpec,
    pub output: Value,
    pub metadata: ResponseMetadata,
}

/// What [`crate::Answer::into_text`] answers: the output as JSON text (the text of
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

/// A response as boto3 returns it: the output's members, then `ResponseMetadata`. Serialized
/// directly, without building a combined JSON value first.
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

/// A client for Amazon IVS. Cheap to clone; clones share connections. Safe from many threads.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    /// The region the SDK configuration resolved (set when it is built).
    region: OnceLock<String>,
    endpoint_url: Option<String>,
    /// The SDK client and the process generation it was built in (rebuilt after `fork`).
    sdk: Mutex<Option<(u32, Built)>>,
    /// Per-thread drivers of blocking calls.
    local: LocalDrivers,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.region())
            .field("endpoint_url", &self.inner.endpoint_url)
            .finish_non_exhaustive()
    }
}

/// The configuration checks made at creation, so that what is wrong with it is a `ConfigError`
/// then, not a network error (or worse) at the first call.
fn check_config(config: &ClientConfig) -> Result<(), Error> {
    config.validate()?;
    crate::log::init_from_env();
    if let Some(credentials) = &config.credentials {
        crate::log::remember_secret(&credentials.secret_access_key);
        if let Some(token) = &credentials.session_token {
            crate::log::remember_secret(token);
        }
    }
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

    /// A client whose SDK configuration is read from the environment (profiles, the credential
    /// chain) at its first call instead of now: creation never blocks nor reads a file (for
    /// constructors that run on an event loop). What only the environment can tell (`ProfileNotFound`, `NoRegionError`)
    /// is then the first call's error.
    pub fn new_deferred(config: ClientConfig) -> Result<Client, Error> {
        check_config(&config)?;
        if is_static(&config) {
            let sdk = build_static(&config)?;
            return Ok(Client::from_parts(config, sdk));
        }
        Ok(Client::unbuilt(config))
    }

    fn from_parts(config: ClientConfig, built: Built) -> Client {
        let client = Client::unbuilt(config);
        client.keep(runtime::generation(), built);
        client
    }

    /// A client whose SDK configuration is made at its first call.
    fn unbuilt(config: ClientConfig) -> Client {
        let endpoint_url = config.endpoint_url.clone().or_else(env_endpoint);
        Client {
            inner: Arc::new(Inner {
                config,
                region: OnceLock::new(),
                endpoint_url,
                sdk: Mutex::new(None),
                local: LocalDrivers::default(),
            }),
        }
    }

    /// Keeps the SDK configuration built in process `generation`, and the region it resolved.
    fn keep(&self, generation: u32, built: Built) {
        let region = built.config.region().map(|r| r.to_string());
        let _ = self.inner.region.set(region.unwrap_or_default());
        *self.inner.sdk.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, built));
    }

    /// The region calls go to: resolved at creation, or, for a [`Client::new_deferred`] client
    /// not called yet, the configured one (empty when the environment will tell).
    pub fn region(&self) -> &str {
        match self.inner.region.get() {
            Some(region) => region,
            None => self.inner.config.region.as_deref().unwrap_or_default(),
        }
    }

    /// The region calls go to, reading the environment first if this client has not yet.
    pub async fn resolved_region(&self) -> Result<String, Error> {
        if self.inner.region.get().is_none() {
            self.built().await?;
        }
        Ok(self.region().to_owned())
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
        Ok(self.built().await?.sdk())
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
        self.keep(generation, built.clone());
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

    /// Runs a call made by `make` on this thread's driver (see `local.rs`).
    pub(crate) fn run_blocking<T, Fut>(
        &self,
        interrupt: Option<Interrupt<'_>>,
        make: impl FnOnce(aws_sdk_ivs::Client) -> Fut,
    ) -> Result<T, Error>
    where
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        runtime::refuse_blocking_inside_runtime("a blocking libivs call")?;
        let shared = match self.built_now() {
            Some(built) => built.sdk(),
            None => runtime::block_on(self.sdk())??,
        };
        self.inner.local.run(&shared, make, interrupt)
    }
}
