//! How an aws-sdk-ivs client is built from a `ClientConfig`: statically (region and
//! credentials given) or from the AWS environment and profile files, with libivs's retry and
//! timeout settings and the metadata recorder.

use std::sync::{Arc, OnceLock};

use aws_config::BehaviorVersion;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_ivs::config::retry::RetryConfig;
use aws_sdk_ivs::config::timeout::TimeoutConfig;
use aws_sdk_ivs::config::StalledStreamProtectionConfig;
use aws_sdk_ivs::config::{Credentials, Region};

use crate::config::{
    ClientConfig, RetryMode, DEFAULT_CONNECT_TIMEOUT, DEFAULT_OPERATION_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
};
use crate::error::{Error, ErrorKind};
use crate::metadata::MetadataRecorder;

/// An aws-sdk-ivs client's configuration, the client itself made from it at its first use,
/// and the credentials provider it signs with (which the SDK's config no longer hands out, and
/// presigning needs). Making the client is deferred because it validates its HTTP client, which
/// loads the system's TLS roots: ~15 ms at a process's first client (measured with callgrind:
/// 85% of a first `Client::new`), paid at the first call instead — or never, by a client that
/// is only created.
#[derive(Clone)]
pub(crate) struct Built {
    // Shared: a call clones `Built`, and cloning an SDK config copies its layers.
    pub(crate) config: Arc<aws_sdk_ivs::Config>,
    client: Arc<OnceLock<aws_sdk_ivs::Client>>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
}

impl Built {
    fn new(config: aws_sdk_ivs::Config, credentials: Option<SharedCredentialsProvider>) -> Built {
        Built {
            config: Arc::new(config),
            client: Arc::default(),
            credentials,
        }
    }

    /// The aws-sdk-ivs client, made on first use.
    pub(crate) fn sdk(&self) -> aws_sdk_ivs::Client {
        self.client.get_or_init(|| sdk_client(&self.config)).clone()
    }
}

/// The endpoint from the environment and the variable it came from.
pub(crate) fn env_endpoint_named() -> Option<(&'static str, String)> {
    ["AWS_ENDPOINT_URL_IVS", "AWS_ENDPOINT_URL"]
        .into_iter()
        .find_map(|name| Some((name, std::env::var(name).ok().filter(|v| !v.is_empty())?)))
}

pub(crate) fn env_endpoint() -> Option<String> {
    env_endpoint_named().map(|(_, endpoint)| endpoint)
}

/// Everything a client can be built from without reading the environment's files: nothing to
/// await, nothing to look up.
pub(crate) fn is_static(config: &ClientConfig) -> bool {
    config.region.is_some() && config.credentials.is_some() && config.profile.is_none()
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
        // A stalled response is the read timeout's to end (always set, as boto3's and the JS
        // SDK's); the SDK's throughput floor on top wraps every body and polls the clock.
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .build();
    Ok(Built::new(sdk_config, credentials))
}

/// aws-sdk-ivs's default HTTP client (hyper 1, rustls with the system's roots, the proxy from
/// `HTTPS_PROXY` / `NO_PROXY`, the SDK's connect and read timeouts), built as aws-smithy-runtime
/// builds it but with ring as rustls's crypto provider: the SDK's `default-https-client` feature
/// would link aws-lc, 2.5 MB of every binary's code for a TLS client ring serves as well.
/// Public so that benchmarks give a raw aws-sdk-ivs client the same one.
pub fn sdk_http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// An aws-sdk-ivs client of `config` with an HTTP client of its own, so a connection pool of its
/// own: a pooled connection belongs to the runtime that opened it (the shared runtime, or a
/// calling thread's driver), so the clients of different runtimes must not share one (as with
/// the SDK's default HTTP client, which is made per SDK client).
pub(crate) fn sdk_client(config: &aws_sdk_ivs::Config) -> aws_sdk_ivs::Client {
    aws_sdk_ivs::Client::from_conf(config.to_builder().http_client(sdk_http_client()).build())
}

/// Region and credentials given: nothing to read from the environment, nothing to await.
pub(crate) fn build_static(config: &ClientConfig) -> Result<Built, Error> {
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

pub(crate) async fn build_from_environment(config: ClientConfig) -> Result<Built, Error> {
    check_profile_exists(&config).await?;
    // The credential chain's own clients (STS, SSO, IMDS) use this one; each aws-sdk-ivs client
    // gets its own (`sdk_client`).
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(sdk_http_client());
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
