//! RTMP and RTMPS ingest: a publisher (ffmpeg, OBS) sends to `rtmp[s]://HOST:PORT/app/<stream
//! key>` and the channel goes live with what it really sends.
//!
//! The protocol (handshake, chunk streams, `connect`/`publish` commands, metadata) is
//! `rml_rtmp`'s; this module is the tokio server loop around it and IVS's rules: the key must be
//! a stream key's value, one publisher per channel, plain RTMP only for channels with
//! `insecureIngest`. RTMPS is TLS (`tokio-rustls`) with a self-signed certificate made at start
//! (`rcgen`), so publishers must not verify it (ffmpeg: `-tls_verify 0`, its default).

use std::sync::Arc;
use std::time::{Duration, Instant};

use rml_rtmp::handshake::{Handshake, HandshakeProcessResult, PeerType};
use rml_rtmp::sessions::{
    ServerSession, ServerSessionConfig, ServerSessionEvent, ServerSessionResult,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{watch, Notify};

use crate::media::{self, IngestMedia};
use crate::shared::Shared;
use crate::state::{ResourceKind, Source};

/// The RTMP application IVS ingests on (`rtmps://<ingest endpoint>:443/app/`).
pub const APPLICATION: &str = "app";
/// A connection that sends nothing for this long is closed, which ends its stream.
const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Makes the RTMPS server's TLS configuration: a fresh self-signed certificate for
/// `localhost` and the emulator's host.
pub fn tls_acceptor(host: &str) -> std::io::Result<tokio_rustls::TlsAcceptor> {
    let invalid = |error: &dyn std::fmt::Display| {
        std::io::Error::other(format!("cannot make the RTMPS certificate: {error}"))
    };
    let names = vec!["localhost".to_string(), host.to_string()];
    let certified = rcgen::generate_simple_self_signed(names).map_err(|e| invalid(&e))?;
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(&e))?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key.into())
        .map_err(|e| invalid(&e))?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Accepts publishers until `shutdown` turns true. With `tls`, each connection is RTMPS.
pub async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            let accepted =
                                tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await;
                            if let Ok(Ok(stream)) = accepted {
                                Publisher::new(shared, true).run(stream).await;
                            }
                        }
                        None => Publisher::new(shared, false).run(stream).await,
                    }
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// Why a connection is closed.
enum Close {
    /// The peer went away or broke the protocol.
    Gone,
    /// The emulator refused it (a wrong key, a busy channel, plain RTMP where not allowed).
    Refused,
}

/// One RTMP connection and, once it publishes, its live stream.
struct Publisher {
    shared: Arc<Shared>,
    secure: bool,
    disconnect: Arc<Notify>,
    /// `(channel ARN, stream id)` once publishing.
    publishing: Option<(String, String)>,
}

impl Publisher {
    fn new(shared: Arc<Shared>, secure: bool) -> Self {
        Publisher {
            shared,
            secure,
            disconnect: Arc::new(Notify::new()),
            publishing: None,
        }
    }

    async fn run<S: AsyncRead + AsyncWrite + Unpin>(mut self, mut io: S) {
        let _ = self.converse(&mut io).await;
        let _ = io.shutdown().await;
        if let Some((channel_arn, stream_id)) = self.publishing.take() {
            self.shared
                .state
                .lock_state()
                .publisher_left(&channel_arn, &stream_id);
        }
    }

    async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        io: &mut S,
    ) -> Result<(), Close> {
        let remaining = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake(io))
            .await
            .map_err(|_| Close::Gone)??;
        let (mut session, results) =
            ServerSession::new(ServerSessionConfig::new()).map_err(|_| Close::Gone)?;
        self.react(io, &mut session, results).await?;
        let results = session.handle_input(&remaining).map_err(|_| Close::Gone)?;
        self.react(io, &mut session, results).await?;
        let mut buffer = vec![0u8; 64 * 1024];
        let disconnect = Arc::clone(&self.disconnect);
        loop {
            let read = tokio::select! {
                read = tokio::time::timeout(IDLE_TIMEOUT, io.read(&mut buffer)) => read,
                _ = disconnect.notified() => return Ok(()),
            };
            let count = match read {
                Ok(Ok(count)) if count > 0 => count,
                _ => return Ok(()),
            };
            let results = session
                .handle_input(&buffer[..count])
                .map_err(|_| Close::Gone)?;
            self.react(io, &mut session, results).await?;
        }
    }

    /// Sends what the session wants sent and acts on what it raised.
    async fn react<S: AsyncWrite + Unpin>(
        &mut self,
        io: &mut S,
        session: &mut ServerSession,
        results: Vec<ServerSessionResult>,
    ) -> Result<(), Close> {
        let mut pending = std::collections::VecDeque::from(results);
        while let Some(result) = pending.pop_front() {
            match result {
                ServerSessionResult::OutboundResponse(packet) => {
                    io.write_all(&packet.bytes).await.map_err(|_| Close::Gone)?;
                }
                ServerSessionResult::RaisedEvent(event) => {
                    let (more, refused) = self.on_event(session, event);
                    pending.extend(more);
                    if refused {
                        // Send the refusal first, so the publisher can say why it stopped.
                        for result in pending.drain(..) {
                            if let ServerSessionResult::OutboundResponse(packet) = result {
                                let _ = io.write_all(&packet.bytes).await;
                            }
                        }
                        let _ = io.flush().await;
                        return Err(Close::Refused);
                    }
                }
                ServerSessionResult::UnhandleableMessageReceived(_) => {}
            }
        }
        io.flush().await.map_err(|_| Close::Gone)
    }

    /// The session's follow-up results, and whether the connection is refused.
    fn on_event(
        &mut self,
        session: &mut ServerSession,
        event: ServerSessionEvent,
    ) -> (Vec<ServerSessionResult>, bool) {
        let refuse = |session: &mut ServerSession, request_id: u32, code: &str, why: &str| {
            (
                session
                    .reject_request(request_id, code, why)
                    .unwrap_or_default(),
                true,
            )
        };
        match event {
            ServerSessionEvent::ConnectionRequested {
                request_id,
                app_name,
            } => {
                if app_name != APPLICATION {
                    let why = format!("Publish to rtmp(s)://HOST:PORT/{APPLICATION}/<stream key>");
                    return refuse(session, request_id, "NetConnection.Connect.Rejected", &why);
                }
                (
                    session.accept_request(request_id).unwrap_or_default(),
                    false,
                )
            }
            ServerSessionEvent::PublishStreamRequested {
                request_id,
                stream_key,
                ..
            } => match self.go_live(&stream_key) {
                Ok(()) => (
                    session.accept_request(request_id).unwrap_or_default(),
                    false,
                ),
                Err(why) => refuse(session, request_id, "NetStream.Publish.BadName", &why),
            },
            ServerSessionEvent::StreamMetadataChanged { metadata, .. } => {
                self.with_media(|media| media::apply_metadata(media, &metadata));
                (Vec::new(), false)
            }
            ServerSessionEvent::VideoDataReceived { data, .. } => {
                self.with_media(|media| media::video_tag(media, &data, Instant::now()));
                (Vec::new(), false)
            }
            ServerSessionEvent::AudioDataReceived { data, .. } => {
                self.with_media(|media| media::audio_tag(media, &data, Instant::now()));
                (Vec::new(), false)
            }
            ServerSessionEvent::PublishStreamFinished { .. } => {
                if let Some((channel_arn, stream_id)) = self.publishing.take() {
                    self.shared
                        .state
                        .lock_state()
                        .publisher_left(&channel_arn, &stream_id);
                }
                (Vec::new(), false)
            }
            _ => (Vec::new(), false),
        }
    }

    /// Applies IVS's rules to a publish request; the error is the refusal's description (it
    /// never repeats the key, which is a secret).
    fn go_live(&mut self, stream_key: &str) -> Result<(), String> {
        if self.publishing.is_some() {
            return Err("This connection is already publishing".into());
        }
        let mut state = self.shared.state.lock_state();
        let channel_arn = state
            .channel_of_stream_key(stream_key)
            .map_err(|_| "No stream key has this value".to_string())?;
        let channel = state
            .get(ResourceKind::Channel, &channel_arn)
            .map_err(|error| error.message)?;
        if !self.secure && channel.body["insecureIngest"] != true {
            return Err(format!(
                "Channel {channel_arn} takes RTMPS only; set insecureIngest to publish over RTMP"
            ));
        }
        let source = Source::Rtmp {
            disconnect: Arc::clone(&self.disconnect),
            media: IngestMedia::new(Instant::now()),
        };
        let started = state
            .go_live(&channel_arn, source)
            .map_err(|error| error.message)?;
        let stream_id = started["streamId"].as_str().unwrap_or_default().to_string();
        self.publishing = Some((channel_arn, stream_id));
        Ok(())
    }

    fn with_media(&self, update: impl FnOnce(&mut IngestMedia)) {
        let Some((channel_arn, stream_id)) = &self.publishing else {
            return;
        };
        let mut state = self.shared.state.lock_state();
        if let Some(live) = state.live.get_mut(channel_arn) {
            if &live.stream_id == stream_id {
                if let Source::Rtmp { media, .. } = &mut live.source {
                    update(media);
                }
            }
        }
    }
}

/// Runs the server side of the RTMP handshake; returns the bytes that followed it.
async fn handshake<S: AsyncRead + AsyncWrite + Unpin>(io: &mut S) -> Result<Vec<u8>, Close> {
    let mut handshake = Handshake::new(PeerType::Server);
    let mut buffer = [0u8; 4096];
    loop {
        let count = io.read(&mut buffer).await.map_err(|_| Close::Gone)?;
        if count == 0 {
            return Err(Close::Gone);
        }
        match handshake
            .process_bytes(&buffer[..count])
            .map_err(|_| Close::Gone)?
        {
            HandshakeProcessResult::InProgress { response_bytes } => {
                io.write_all(&response_bytes)
                    .await
                    .map_err(|_| Close::Gone)?;
            }
            HandshakeProcessResult::Completed {
                response_bytes,
                remaining_bytes,
            } => {
                io.write_all(&response_bytes)
                    .await
                    .map_err(|_| Close::Gone)?;
                return Ok(remaining_bytes);
            }
        }
    }
}
