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
mod config;
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
mod response;
mod routing;
mod rtmp;
mod server;
mod shared;
mod state;

use std::fmt;
use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use config::{EmulatorConfig, EMULATOR_CONFIG_KEYS};
pub use error::EmulatorError;
pub use faults::{Fault, FaultKind};

/// Where a running emulator listens and what it accepts, kept by a face so that its getters
/// still answer after the emulator stops. `Debug` leaves the secret out.
#[derive(Clone)]
pub struct EmulatorInfo {
    pub url: String,
    pub rtmp_url: String,
    pub rtmps_url: String,
    pub region: String,
    pub account_id: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl fmt::Debug for EmulatorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorInfo")
            .field("url", &self.url)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// A running emulator. Dropping it (or calling [`Emulator::stop`]) shuts the server down.
pub struct Emulator {
    shared: Arc<shared::Shared>,
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
                .on_thread_start(libivs_sigpipe::block_for_this_thread)
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
        let shared = Arc::new(shared::Shared::new(config, webhook_sender));
        let (shutdown_sender, shutdown_receiver) = tokio::sync::watch::channel(false);
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("ivs-emulator".to_string())
            .spawn(move || {
                libivs_sigpipe::block_for_this_thread();
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

    /// Its addresses and accepted credentials, as one value.
    pub fn info(&self) -> EmulatorInfo {
        EmulatorInfo {
            url: self.url(),
            rtmp_url: self.rtmp_url(),
            rtmps_url: self.rtmps_url(),
            region: self.region().to_owned(),
            account_id: self.account_id().to_owned(),
            access_key_id: self.access_key_id().to_owned(),
            secret_access_key: self.secret_access_key().to_owned(),
        }
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
