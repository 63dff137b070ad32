//! Shared helpers: an emulator with an `aws-sdk-ivs` client pointed at it, and raw HTTP.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sdk_ivs::config::retry::RetryConfig;
use aws_sdk_ivs::config::{BehaviorVersion, Region};
use aws_sdk_ivs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use libivs_emulator::{Emulator, EmulatorConfig};

pub fn s3_destination(bucket: &str) -> aws_sdk_ivs::types::DestinationConfiguration {
    aws_sdk_ivs::types::DestinationConfiguration::builder()
        .s3(aws_sdk_ivs::types::S3DestinationConfiguration::builder()
            .bucket_name(bucket)
            .build()
            .unwrap())
        .build()
}

/// A new channel: its ARN and its stream key's value.
pub async fn new_channel(
    ivs: &aws_sdk_ivs::Client,
    name: &str,
    insecure_ingest: bool,
) -> (String, String) {
    let created = ivs
        .create_channel()
        .name(name)
        .insecure_ingest(insecure_ingest)
        .send()
        .await
        .unwrap();
    (
        created.channel().unwrap().arn().unwrap().to_string(),
        created.stream_key().unwrap().value().unwrap().to_string(),
    )
}

pub fn start_emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("the emulator starts")
}

/// A client that does not retry, so that each call is one request.
pub fn client(emulator: &Emulator) -> aws_sdk_ivs::Client {
    client_with(emulator, "test", "test", RetryConfig::disabled())
}

pub fn retrying_client(emulator: &Emulator) -> aws_sdk_ivs::Client {
    let retries = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(std::time::Duration::from_millis(10));
    client_with(emulator, "test", "test", retries)
}

pub fn client_with(
    emulator: &Emulator,
    access_key_id: &str,
    secret_access_key: &str,
    retries: RetryConfig,
) -> aws_sdk_ivs::Client {
    let credentials = Credentials::new(access_key_id, secret_access_key, None, None, "tests");
    let config = aws_sdk_ivs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        // Plain HTTP to the emulator (the SDK crates are built without a default client).
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .region(Region::new("us-west-2"))
        .credentials_provider(credentials)
        .endpoint_url(emulator.url())
        .retry_config(retries)
        .build();
    aws_sdk_ivs::Client::from_conf(config)
}

/// The IVS error code of a failed call, and its whole description. IVS writes its message as
/// `exceptionMessage`, which the SDK keeps on the modeled error (shown in its `Display`) rather
/// than in the generic metadata, so the description is the way to reach it for any operation.
pub fn error_of<E, R>(error: SdkError<E, R>) -> (String, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = error.code().unwrap_or_default().to_string();
    let description = DisplayErrorContext(&error).to_string();
    (code, description)
}

pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Sends one HTTP/1.1 request over a fresh connection and reads the whole answer.
pub fn raw_request(
    emulator: &Emulator,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> RawResponse {
    let address = emulator.url().trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&address).expect("connects");
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n");
    let mut has_length = false;
    for (name, value) in headers {
        has_length |= name.eq_ignore_ascii_case("content-length");
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !has_length {
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("writes");
    // The server may answer (e.g. 413) before reading a large body; a broken pipe then is fine.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    RawResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Headers that sign a request with SigV4 (via `aws-sigv4`) as an SDK would.
pub fn signed_headers(
    emulator: &Emulator,
    method: &str,
    path: &str,
    body: &[u8],
    secret_access_key: &str,
    time: SystemTime,
) -> Vec<(String, String)> {
    let host = emulator.url().trim_start_matches("http://").to_string();
    let identity: Identity =
        Credentials::new("test", secret_access_key, None, None, "tests").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-west-2")
        .name("ivs")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let url = format!("http://{host}{path}");
    let content_type = ("content-type", "application/json");
    let request = SignableRequest::new(
        method,
        url.as_str(),
        [("host", host.as_str()), content_type].into_iter(),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
    for (name, value) in instructions.headers() {
        headers.push((name.to_string(), value.to_string()));
    }
    headers
}

/// A presigned path-and-query for a request without body.
pub fn presigned_path(
    emulator: &Emulator,
    method: &str,
    path: &str,
    expires_seconds: u64,
) -> String {
    let host = emulator.url().trim_start_matches("http://").to_string();
    let identity: Identity = Credentials::new("test", "test", None, None, "tests").into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(std::time::Duration::from_secs(expires_seconds));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-west-2")
        .name("ivs")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let url = format!("http://{host}{path}");
    let request = SignableRequest::new(
        method,
        url.as_str(),
        [("host", host.as_str())].into_iter(),
        SignableBody::UnsignedPayload,
    )
    .unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let mut request = http::Request::builder().uri(url).body(()).unwrap();
    instructions.apply_to_request_http1x(&mut request);
    request.uri().path_and_query().unwrap().as_str().to_string()
}

/// The IVS error code of a call that must fail (`assert_eq!(failure_code(call.send()).await, ...)`).
pub async fn failure_code<T, E, R>(
    call: impl std::future::Future<Output = Result<T, SdkError<E, R>>>,
) -> String
where
    T: std::fmt::Debug,
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    error_of(call.await.expect_err("the call fails")).0
}

/// An emulator started with `config`.
pub fn start_emulator_with(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).expect("the emulator starts")
}

/// Whether the channel is live (GetStream answers).
pub async fn is_live(ivs: &aws_sdk_ivs::Client, channel_arn: &str) -> bool {
    ivs.get_stream()
        .channel_arn(channel_arn)
        .send()
        .await
        .is_ok()
}

/// Polls `check` every 100 ms until it gives a value, for at most `limit`.
pub async fn eventually<T, F, Fut>(limit: std::time::Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if let Some(value) = check().await {
            return Some(value);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    None
}
