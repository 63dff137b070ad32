//! A local Amazon IVS (API 2020-07-14) that speaks the real REST-JSON protocol, checks SigV4
//! signatures and keeps IVS's rules, so the AWS SDKs (boto3, `@aws-sdk/client-ivs`,
//! `aws-sdk-ivs`) work against it unchanged.
//!
//! ```no_run
//! use libivs_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
//! println!("IVS at {}", emulator.url());
//! ```
//!
//! The server runs on its own thread with its own tokio runtime, so it can be started from sync
//! code or from inside another runtime without competing with it.

mod auth;
mod clock;
mod control;
mod error;
mod events;
mod faults;
mod generated;
mod ids;
mod media;
mod operations;
mod pagination;
mod playback;
mod quotas;
mod routing;
mod rtmp;
mod server;
mod state;

use std::fmt;
use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use error::EmulatorError;
pub use faults::{Fault, FaultKind};

/// The emulator's threads never take SIGPIPE: a client closing its connection while a response
/// is written (vectored writes have no `MSG_NOSIGNAL`) must not kill the process hosting an
/// embedded emulator (a C test program keeps the default disposition).
fn block_sigpipe() {
    // SAFETY: an empty set plus SIGPIPE, applied to this thread's mask only.
    unsafe {
        let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
        libc::sigemptyset(set.as_mut_ptr());
        libc::sigaddset(set.as_mut_ptr(), libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, set.as_ptr(), std::ptr::null_mut());
    }
}

/// How to start an emulator. `Default` gives `127.0.0.1`, free ports (API, RTMP and RTMPS),
/// `us-west-2`, account `123456789012`, credentials `test`/`test`, a current-thread runtime,
/// no lifecycle delays, no rate quotas and no events webhook.
#[derive(Clone)]
pub struct EmulatorConfig {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// The plain RTMP ingest port (for channels with `insecureIngest`); 0 picks a free one.
    pub rtmp_port: u16,
    /// The RTMPS ingest port (TLS, self-signed certificate); 0 picks a free one.
    pub rtmps_port: u16,
    /// From StopStream or a publisher leaving to the stream having ended ("Stream End"); until
    /// then the channel is live and cannot be deleted or updated. IVS takes about a second.
    pub stream_end_delay: Duration,
    /// How long a new recording configuration stays CREATING before it is ACTIVE.
    pub recording_configuration_delay: Duration,
    /// Enforce IVS's documented API rate quotas (ThrottlingException beyond them).
    pub quotas: bool,
    /// An `http://` URL each EventBridge event is POSTed to as it happens.
    pub events_webhook_url: Option<String>,
    pub region: String,
    pub account_id: String,
    /// The only access key the emulator accepts; requests signed with another are refused.
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Worker threads of the emulator's runtime; 0 runs it on one current-thread runtime.
    pub worker_threads: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            host: "127.0.0.1".to_string(),
            port: 0,
            rtmp_port: 0,
            rtmps_port: 0,
            stream_end_delay: Duration::ZERO,
            recording_configuration_delay: Duration::ZERO,
            quotas: false,
            events_webhook_url: None,
            region: "us-west-2".to_string(),
            account_id: "123456789012".to_string(),
            access_key_id: "test".to_string(),
            secret_access_key: "test".to_string(),
            worker_threads: 0,
        }
    }
}

/// The keys [`EmulatorConfig::from_json`] reads (each also in camelCase).
pub const EMULATOR_CONFIG_KEYS: &str = "host, port, rtmp_port, rtmps_port, region, account_id, \
     access_key_id, secret_access_key, worker_threads, stream_end_delay_ms, \
     recording_configuration_delay_ms, quotas, events_webhook_url";

impl EmulatorConfig {
    /// Reads the configuration from JSON (`null` gives the defaults); the message of an error
    /// names the key. Shared by the faces so that every language accepts the same options.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        let mut config = EmulatorConfig::default();
        let entries = match value {
            serde_json::Value::Null => return Ok(config),
            serde_json::Value::Object(entries) => entries,
            _ => return Err("the emulator configuration must be a JSON object".into()),
        };
        for (key, value) in entries {
            if value.is_null() {
                continue;
            }
            let text = || {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{key} must be a string"))
            };
            let number = |max: u64| {
                value
                    .as_u64()
                    .filter(|n| *n <= max)
                    .ok_or_else(|| format!("{key} must be an integer from 0 to {max}"))
            };
            match key.as_str() {
                "host" => config.host = text()?,
                "port" => config.port = number(u16::MAX.into())? as u16,
                "rtmp_port" | "rtmpPort" => config.rtmp_port = number(u16::MAX.into())? as u16,
                "rtmps_port" | "rtmpsPort" => config.rtmps_port = number(u16::MAX.into())? as u16,
                "stream_end_delay_ms" | "streamEndDelayMs" => {
                    config.stream_end_delay = Duration::from_millis(number(MAX_DELAY_MS)?)
                }
                "recording_configuration_delay_ms" | "recordingConfigurationDelayMs" => {
                    config.recording_configuration_delay =
                        Duration::from_millis(number(MAX_DELAY_MS)?)
                }
                "quotas" => {
                    config.quotas = value
                        .as_bool()
                        .ok_or_else(|| format!("{key} must be true or false"))?
                }
                "events_webhook_url" | "eventsWebhookUrl" => {
                    config.events_webhook_url = Some(text()?)
                }
                "region" => config.region = text()?,
                "account_id" | "accountId" => config.account_id = text()?,
                "access_key_id" | "accessKeyId" => config.access_key_id = text()?,
                "secret_access_key" | "secretAccessKey" => config.secret_access_key = text()?,
                "worker_threads" | "workerThreads" => config.worker_threads = number(64)? as usize,
                _ => {
                    return Err(format!(
                        "unknown emulator configuration key {key:?}; known keys: {EMULATOR_CONFIG_KEYS}"
                    ))
                }
            }
        }
        Ok(config)
    }
}

/// The longest lifecycle delay accepted: an hour.
const MAX_DELAY_MS: u64 = 3_600_000;

// Written by hand so that the secret access key never reaches a log.
impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("region", &self.region)
            .field("account_id", &self.account_id)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &libivs_model::REDACTED)
            .field("worker_threads", &self.worker_threads)
            .field("rtmp_port", &self.rtmp_port)
            .field("rtmps_port", &self.rtmps_port)
            .field("stream_end_delay", &self.stream_end_delay)
            .field(
                "recording_configuration_delay",
                &self.recording_configuration_delay,
            )
            .field("quotas", &self.quotas)
            .field("events_webhook_url", &self.events_webhook_url)
            .finish()
    }
}

/// A running emulator. Dropping it (or calling [`Emulator::stop`]) shuts the server down.
pub struct Emulator {
    shared: Arc<server::Shared>,
    url: String,
    rtmp_url: String,
    rtmps_url: String,
    shutdown: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url)
            .field("rtmp_url", &self.rtmp_url)
            .field("rtmps_url", &self.rtmps_url)
            .field("config", &self.shared.config)
            .finish()
    }
}

impl Emulator {
    /// Binds the listening socket, then serves on a new thread. The socket is bound when this
    /// returns, so [`Emulator::url`] can be used at once.
    pub fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let bind = |port: u16| -> std::io::Result<(TcpListener, std::net::SocketAddr)> {
            let listener = TcpListener::bind((config.host.as_str(), port))?;
            listener.set_nonblocking(true)?;
            let address = listener.local_addr()?;
            Ok((listener, address))
        };
        let (listener, address) = bind(config.port)?;
        let (rtmp_listener, rtmp_address) = bind(config.rtmp_port)?;
        let (rtmps_listener, rtmps_address) = bind(config.rtmps_port)?;
        let webhook = match &config.events_webhook_url {
            Some(url) => Some(events::parse_webhook_url(url).map_err(|message| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
            })?),
            None => None,
        };
        let tls = rtmp::tls_acceptor(&config.host)?;
        let url = format!("http://{address}");
        let rtmp_url = format!("rtmp://{rtmp_address}/{}/", rtmp::APPLICATION);
        let rtmps_url = format!("rtmps://{rtmps_address}/{}/", rtmp::APPLICATION);
        let runtime = if config.worker_threads == 0 {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(config.worker_threads)
                .thread_name("ivs-emulator-worker")
                .on_thread_start(block_sigpipe)
                .enable_all()
                .build()?
        };
        let (webhook_sender, webhook_receiver) = match webhook {
            Some(url) => {
                let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
                (Some(sender), Some((url, receiver)))
            }
            None => (None, None),
        };
        let shared = Arc::new(server::Shared::new(config, webhook_sender));
        let (shutdown_sender, shutdown_receiver) = tokio::sync::watch::channel(false);
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("ivs-emulator".to_string())
            .spawn(move || {
                block_sigpipe();
                runtime.block_on(async move {
                    if let Some((url, receiver)) = webhook_receiver {
                        tokio::spawn(events::deliver_to_webhook(url, receiver));
                    }
                    tokio::spawn(rtmp::serve(
                        rtmp_listener,
                        Arc::clone(&serving),
                        None,
                        shutdown_receiver.clone(),
                    ));
                    tokio::spawn(rtmp::serve(
                        rtmps_listener,
                        Arc::clone(&serving),
                        Some(tls),
                        shutdown_receiver.clone(),
                    ));
                    tokio::spawn(server::keep_time(
                        Arc::clone(&serving),
                        shutdown_receiver.clone(),
                    ));
                    server::serve(listener, serving, shutdown_receiver).await
                });
                // Connections still open after the grace period are dropped here rather than
                // waited for, so that stopping never hangs.
                runtime.shutdown_timeout(Duration::from_millis(100));
            })?;
        Ok(Emulator {
            shared,
            url,
            rtmp_url,
            rtmps_url,
            shutdown: Some(shutdown_sender),
            thread: Some(thread),
        })
    }

    /// The RTMP ingest URL to publish to, with the stream key's value appended:
    /// `rtmp://127.0.0.1:PORT/app/`. Only channels with `insecureIngest` take plain RTMP.
    pub fn rtmp_url(&self) -> String {
        self.rtmp_url.clone()
    }

    /// The RTMPS ingest URL (TLS with a self-signed certificate): `rtmps://127.0.0.1:PORT/app/`.
    pub fn rtmps_url(&self) -> String {
        self.rtmps_url.clone()
    }

    /// The EventBridge events recorded from cursor `since` on (0 for all), as
    /// `GET /_emulator/events?since=N` answers: `{"events": [...], "cursor": next}`.
    pub fn events(&self, since: u64) -> serde_json::Value {
        self.shared.state.lock_state().events.since(since)
    }

    /// The base URL to give an SDK as its endpoint, e.g. `http://127.0.0.1:4566`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Points a channel's `playbackUrl` at this emulator: the scheme and host are replaced by
    /// [`Emulator::url`], the path and query are kept, so that
    ///
    /// ```text
    /// https://a1b2c3d4e5f6.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.AbCd.m3u8?token=...
    /// ```
    ///
    /// becomes `http://127.0.0.1:PORT/api/video/v1/us-west-2.123456789012.channel.AbCd.m3u8?token=...`,
    /// which the emulator serves (unsigned) while the channel is live.
    pub fn local_playback_url(&self, playback_url: &str) -> String {
        let without_scheme = match playback_url.find("://") {
            Some(at) => &playback_url[at + 3..],
            None => playback_url,
        };
        let path_and_query = if without_scheme.starts_with(['/', '?']) {
            without_scheme
        } else {
            without_scheme
                .find(['/', '?'])
                .map_or("", |at| &without_scheme[at..])
        };
        format!("{}{path_and_query}", self.url)
    }

    pub fn region(&self) -> &str {
        &self.shared.config.region
    }

    pub fn account_id(&self) -> &str {
        &self.shared.config.account_id
    }

    pub fn access_key_id(&self) -> &str {
        &self.shared.config.access_key_id
    }

    pub fn secret_access_key(&self) -> &str {
        &self.shared.config.secret_access_key
    }

    /// Simulates a broadcaster connecting with a stream key: the channel goes live with a new
    /// stream session. Returns `{"channelArn", "streamId"}`, as `POST /_emulator/streams` does.
    pub fn start_stream(&self, stream_key_value: &str) -> Result<serde_json::Value, EmulatorError> {
        self.shared
            .state
            .lock_state()
            .start_stream(stream_key_value)
    }

    /// Simulates the broadcaster disconnecting from a live channel.
    pub fn stop_stream(&self, channel_arn: &str) -> Result<(), EmulatorError> {
        self.shared
            .state
            .lock_state()
            .end_stream(channel_arn, state::StreamEnd::BroadcasterLeft)
    }

    /// Makes the next `fault.count` calls of `fault.operation` fail, stall or lose their
    /// connection.
    pub fn inject_fault(&self, fault: Fault) -> Result<(), EmulatorError> {
        self.shared.faults.inject(fault)
    }

    /// Forgets every resource, stream and fault.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops serving and waits for the server thread; open connections get a short grace period.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shut_down();
    }
}
