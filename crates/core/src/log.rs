//! libivs's logs. The core emits `tracing` events under `libivs::*` targets — one per attempt
//! (`libivs::http`), per retry (`libivs::retry`) and per call (`libivs::client`), inside an
//! `ivs.<Operation>` span — and aws-sdk-ivs emits its own (credentials, retries, connections).
//! Rust programs see them with their own subscriber. A face instead hands them to its ecosystem:
//! a [`LogSink`] takes every record (a callback, a language's logging), and a [`CallLog`] keeps
//! one call's records for the face to deliver where that call completes (for loggers that can
//! only be called on one thread, or only with a lock the runtime's threads must not take).
//! `LIBIVS_LOG` (`RUST_LOG` syntax) also writes them to stderr, in every face.
//!
//! Every record passes one scrubber on its way out, whatever its level (TRACE included): the
//! SDK's dumps of requests, responses and signing inputs are dropped; credentials, the sensitive
//! members of the request (the model's `sensitive` shapes) and anything shaped like a stream
//! key or a security-token header are cut out.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::SystemTime;

use once_cell::sync::Lazy;
use regex::Regex;
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A record's severity, most severe first (1 to 5, as the faces number levels).
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}

impl Level {
    pub fn from_u8(value: u8) -> Option<Level> {
        Some(match value {
            1 => Level::Error,
            2 => Level::Warn,
            3 => Level::Info,
            4 => Level::Debug,
            5 => Level::Trace,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "ERROR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
            Level::Debug => "DEBUG",
            Level::Trace => "TRACE",
        }
    }

    fn of(level: &tracing::Level) -> Level {
        match *level {
            tracing::Level::ERROR => Level::Error,
            tracing::Level::WARN => Level::Warn,
            tracing::Level::INFO => Level::Info,
            tracing::Level::DEBUG => Level::Debug,
            tracing::Level::TRACE => Level::Trace,
        }
    }
}

/// One log record, already scrubbed.
#[derive(Debug, Clone)]
pub struct Record {
    pub level: Level,
    /// Dotted logger name: `libivs.client`, `libivs.http`, `libivs.retry`, `libivs.sdk` (the
    /// SDK's events), `libivs.sdk.http` (connections), `libivs.emulator`.
    pub logger: &'static str,
    /// The event's text; the SDK's events carry their fields as ` name=value` after it.
    pub message: String,
    /// libivs's structured fields (`operation`, `attempt`, `status`, `request_id`, `delay_ms`,
    /// `duration_ms`, `error_code`), and `target` (the Rust module) for the SDK's events.
    pub fields: Vec<(&'static str, String)>,
    pub time: SystemTime,
}

impl Record {
    /// The message with libivs's fields after it as ` name=value`.
    pub fn text(&self) -> String {
        let mut text = self.message.clone();
        for (name, value) in &self.fields {
            let _ = write!(text, " {name}={value}");
        }
        text
    }
}

/// Where a face wants the records that no [`CallLog`] takes.
pub trait LogSink: Send + Sync {
    /// Called on whichever thread the event happened: a runtime thread, or the caller's.
    fn log(&self, record: Record);
}

/// The records of one call, kept for the face to deliver when the call completes.
#[derive(Debug)]
pub struct CallLog {
    level: Level,
    records: Mutex<Vec<Record>>,
}

impl CallLog {
    /// Keeps the call's records up to `level` (and hands them to nobody else).
    pub fn new(level: Level) -> Arc<CallLog> {
        install();
        // Call logs live as long as their calls: the level they need is never lowered.
        if CALL_LOG_LEVEL.fetch_max(level as u8, Ordering::Relaxed) < level as u8 {
            refresh_interest();
        }
        Arc::new(CallLog {
            level,
            records: Mutex::new(Vec::new()),
        })
    }

    pub fn take(&self) -> Vec<Record> {
        std::mem::take(&mut *self.records.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// 0 = off, else the most verbose [`Level`] the sink wants (it may go down again)...
static SINK_LEVEL: AtomicU8 = AtomicU8::new(0);
/// ... and that any call log has wanted (never lowered). What is wanted is the larger.
static CALL_LOG_LEVEL: AtomicU8 = AtomicU8::new(0);
static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
/// Whether libivs's subscriber is the process's (false when the host set its own first).
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Sends every record up to `level` that no call log takes to `sink`; `None` stops.
pub fn set_sink(sink: Option<Arc<dyn LogSink>>, level: Option<Level>) {
    let level = sink.as_ref().and(level);
    *SINK.write().unwrap_or_else(|e| e.into_inner()) = sink;
    set_sink_level(level);
}

/// Changes the level of the sink set by [`set_sink`] (a host's logger levels change at will).
pub fn set_sink_level(level: Option<Level>) {
    if level.is_some() {
        install();
    }
    let level = level.map_or(0, |l| l as u8);
    if SINK_LEVEL.swap(level, Ordering::Relaxed) != level {
        refresh_interest();
    }
}

/// The most verbose level wanted now by the sink or a call log (0: none).
fn wanted() -> u8 {
    SINK_LEVEL
        .load(Ordering::Relaxed)
        .max(CALL_LOG_LEVEL.load(Ordering::Relaxed))
}

/// Whether any record could be wanted now: what a call checks before it prepares to log.
pub(crate) fn active() -> bool {
    wanted() != 0 || stderr_filter().is_some()
}

fn refresh_interest() {
    // Every callsite asks `WantedLevel` again (its `max_level_hint` included).
    tracing::callsite::rebuild_interest_cache();
}

/// `LIBIVS_LOG`'s filter, read once (it installs libivs's subscriber at the first client).
fn stderr_filter() -> Option<&'static str> {
    static DIRECTIVES: Lazy<Option<String>> = Lazy::new(|| {
        std::env::var("LIBIVS_LOG")
            .ok()
            .filter(|v| !v.trim().is_empty())
    });
    DIRECTIVES.as_deref()
}

/// Installs libivs's subscriber where `LIBIVS_LOG` asks for stderr output (called when a client
/// is created, and by each face as it loads; nothing happens otherwise).
pub fn init_from_env() {
    if stderr_filter().is_some() {
        install();
    }
}

/// Makes libivs's subscriber the process's global one, once — unless the host already set one
/// (a Rust program's own), which then gets the raw events instead.
fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        remember_env_secrets();
        let stderr = stderr_filter().map(|directives| {
            StderrLayer.with_filter(
                tracing_subscriber::EnvFilter::builder()
                    .with_default_directive(tracing_subscriber::filter::LevelFilter::OFF.into())
                    .parse_lossy(directives),
            )
        });
        let subscriber = tracing_subscriber::registry()
            .with(FaceLayer.with_filter(WantedLevel))
            .with(stderr);
        tracing::subscriber::set_global_default(subscriber).is_ok()
    })
}

/// The dynamic level of the face destinations: callsites above it cost one atomic load.
struct WantedLevel;

impl WantedLevel {
    fn current() -> tracing_subscriber::filter::LevelFilter {
        use tracing_subscriber::filter::LevelFilter;
        match Level::from_u8(wanted()) {
            None => LevelFilter::OFF,
            Some(Level::Error) => LevelFilter::ERROR,
            Some(Level::Warn) => LevelFilter::WARN,
            Some(Level::Info) => LevelFilter::INFO,
            Some(Level::Debug) => LevelFilter::DEBUG,
            Some(Level::Trace) => LevelFilter::TRACE,
        }
    }
}

impl<S> Filter<S> for WantedLevel {
    fn enabled(&self, meta: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        *meta.level() <= WantedLevel::current()
    }

    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> Interest {
        if *meta.level() <= WantedLevel::current() {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<tracing_subscriber::filter::LevelFilter> {
        Some(WantedLevel::current())
    }
}

tokio::task_local! {
    /// What the call being polled adds to logging: its call log, its request's secrets.
    static CALL_SCOPE: Arc<CallScope>;
}

#[derive(Debug, Default)]
pub(crate) struct CallScope {
    log: Option<Arc<CallLog>>,
    secrets: Vec<String>,
}

/// Runs `call` with its call log and the sensitive strings of `input` (of shape `input_shape`)
/// known to every record it makes; with neither (nothing logging, or an input that cannot hold
/// a secret: most operations'), runs it as it is.
pub(crate) async fn scoped<F: std::future::Future>(
    log: Option<Arc<CallLog>>,
    input_shape: Option<&str>,
    input: &Value,
    call: F,
) -> F::Output {
    let mut secrets = Vec::new();
    if let Some(shape) =
        input_shape.filter(|shape| active() && libivs_model::may_hold_sensitive(shape))
    {
        libivs_model::sensitive_strings(shape, input, &mut secrets);
    }
    if log.is_none() && secrets.is_empty() {
        return call.await;
    }
    CALL_SCOPE
        .scope(Arc::new(CallScope { log, secrets }), call)
        .await
}

/// Credentials known to the process, cut out of every record: static credentials given to a
/// client, and the environment's (read when logging starts).
static SECRETS: Lazy<Mutex<Vec<String>>> = Lazy::new(|| Mutex::new(Vec::new()));
/// Enough for every client a process plausibly makes; the oldest are forgotten first.
const MAX_REMEMBERED_SECRETS: usize = 256;

pub(crate) fn remember_secret(secret: &str) {
    // Shorter strings are not credentials, and would cut ordinary words out of messages.
    if secret.len() < 8 {
        return;
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    if secrets.iter().any(|known| known == secret) {
        return;
    }
    if secrets.len() == MAX_REMEMBERED_SECRETS {
        secrets.remove(0);
    }
    secrets.push(secret.to_owned());
}

fn remember_env_secrets() {
    for name in [
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
    ] {
        if let Ok(value) = std::env::var(name) {
            remember_secret(&value);
        }
    }
}

pub const REDACTED: &str = "** redacted **";

/// Fields of the SDK's events that dump requests, responses, signing inputs or identities.
const DROPPED_FIELDS: &[&str] = &[
    "request",
    "response",
    "params",
    "output_or_error",
    "output",
    "input",
    "canonical_request",
    "string_to_sign",
    "body",
    "headers",
    "identity",
    "credentials",
    "runtime_components",
    "signing_params",
    "auth_scheme_options",
];

/// Stream keys (`sk_<region>_<12>_<30>`), and credential-bearing headers in any dump.
static SECRET_PATTERN: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r#"sk_[a-z0-9-]+_[A-Za-z0-9]{12}_[A-Za-z0-9]{30}|(?i:((?:x-amz-security-token|authorization)"?\s*[:=]\s*"?))[^"\s,}]+"#,
    )
    .expect("a valid pattern")
});

fn scrub(text: &mut String, scope: Option<&CallScope>) {
    let known = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    let call_secrets = scope.map(|s| s.secrets.as_slice()).unwrap_or_default();
    for secret in known.iter().chain(call_secrets) {
        if text.contains(secret.as_str()) {
            *text = text.replace(secret.as_str(), REDACTED);
        }
    }
    drop(known);
    if SECRET_PATTERN.is_match(text) {
        *text = SECRET_PATTERN
            .replace_all(text, |caps: &regex::Captures<'_>| match caps.get(1) {
                Some(name) => format!("{}{REDACTED}", name.as_str()),
                None => REDACTED.to_owned(),
            })
            .into_owned();
    }
}

/// The logger a target belongs to.
fn logger_of(target: &str) -> &'static str {
    const OURS: &[(&str, &str)] = &[
        ("libivs::client", "libivs.client"),
        ("libivs::http", "libivs.http"),
        ("libivs::retry", "libivs.retry"),
        ("libivs_emulator", "libivs.emulator"),
    ];
    if let Some((_, logger)) = OURS.iter().find(|(prefix, _)| target.starts_with(prefix)) {
        return logger;
    }
    if ["hyper", "h2", "rustls", "tower"]
        .iter()
        .any(|prefix| target.starts_with(prefix))
        || target.starts_with("aws_smithy_http_client")
    {
        return "libivs.sdk.http";
    }
    if target.starts_with("libivs") {
        return "libivs.client";
    }
    "libivs.sdk"
}

fn is_ours(target: &str) -> bool {
    target.starts_with("libivs")
}

struct RecordVisitor {
    ours: bool,
    message: String,
    extra: String,
    fields: Vec<(&'static str, String)>,
}

impl RecordVisitor {
    fn add(&mut self, field: &Field, value: String) {
        let name = field.name();
        if name == "message" {
            self.message = value;
        } else if self.ours {
            self.fields.push((name, value));
        } else {
            let shown = if DROPPED_FIELDS.contains(&name) {
                REDACTED
            } else {
                value.as_str()
            };
            let _ = write!(self.extra, " {name}={shown}");
        }
    }
}

impl Visit for RecordVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.add(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // Dropped fields are never formatted: their Debug may be costly as well as secret.
        if !self.ours && DROPPED_FIELDS.contains(&field.name()) {
            self.add(field, String::new());
        } else {
            self.add(field, format!("{value:?}"));
        }
    }
}

fn record_of(event: &Event<'_>, scope: Option<&CallScope>) -> Record {
    let meta = event.metadata();
    let target = meta.target();
    let mut visitor = RecordVisitor {
        ours: is_ours(target),
        message: String::new(),
        extra: String::new(),
        fields: Vec::new(),
    };
    event.record(&mut visitor);
    let mut message = visitor.message;
    message.push_str(&visitor.extra);
    scrub(&mut message, scope);
    let mut fields = visitor.fields;
    for (_, value) in &mut fields {
        scrub(value, scope);
    }
    if !visitor.ours {
        fields.push(("target", target.to_owned()));
    }
    Record {
        level: Level::of(meta.level()),
        logger: logger_of(target),
        message,
        fields,
        time: SystemTime::now(),
    }
}

/// Hands each wanted event to the call's log or the sink.
struct FaceLayer;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for FaceLayer {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let level = Level::of(event.metadata().level()) as u8;
        let scope = CALL_SCOPE.try_with(Arc::clone).ok();
        if let Some(log) = scope.as_ref().and_then(|s| s.log.as_ref()) {
            if level <= log.level as u8 {
                let record = record_of(event, scope.as_deref());
                log.records
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(record);
            }
            return;
        }
        if level > SINK_LEVEL.load(Ordering::Relaxed) {
            return;
        }
        let sink = SINK.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(sink) = sink {
            sink.log(record_of(event, scope.as_deref()));
        }
    }
}

/// `LIBIVS_LOG`'s destination: one line per record on stderr.
struct StderrLayer;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for StderrLayer {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let scope = CALL_SCOPE.try_with(Arc::clone).ok();
        let record = record_of(event, scope.as_deref());
        eprintln!("{}", format_line(&record));
    }
}

/// `2026-12-02T04:05:06.789Z DEBUG libivs.client: GetChannel succeeded ... operation=GetChannel`
pub fn format_line(record: &Record) -> String {
    format!(
        "{} {:5} {}: {}",
        aws_smithy_types::DateTime::from(record.time)
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .unwrap_or_default(),
        record.level.as_str(),
        record.logger,
        record.text()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Discard;

    impl LogSink for Discard {
        fn log(&self, _: Record) {}
    }

    #[test]
    fn a_lowered_sink_level_turns_its_callsites_off_again() {
        let debug_on = || tracing::enabled!(target: "libivs::client", tracing::Level::DEBUG);
        let warn_on = || tracing::enabled!(target: "libivs::client", tracing::Level::WARN);
        set_sink(Some(Arc::new(Discard)), Some(Level::Debug));
        assert!(debug_on() && warn_on());
        // A host's logger going back to WARNING: DEBUG callsites cost nothing again.
        set_sink_level(Some(Level::Warn));
        assert!(!debug_on() && warn_on());
        set_sink(None, None);
        assert!(!warn_on());
    }
}
