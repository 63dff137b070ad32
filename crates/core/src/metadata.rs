//! What the HTTP exchange of a call said: status, headers, request id and attempts, recorded by
//! one client-wide interceptor into a task-local slot that each call opens around itself.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::{Intercept, OverriddenHooks, SharedInterceptor};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::config_bag::ConfigBag;

/// Response metadata in the shape every face shows (boto3's `ResponseMetadata`, the JS SDK's
/// `$metadata`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseMetadata {
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
    /// Response headers as received (read with [`ResponseMetadata::headers`]).
    pub(crate) raw_headers: RawHeaders,
    /// How many HTTP attempts the call made (1 without retries).
    pub attempts: u32,
    /// Time spent waiting between attempts (the JS SDK's `$metadata.totalRetryDelay`).
    pub total_retry_delay: Duration,
}

/// The response's header map, kept as it arrived: cloning it bumps reference counts, where
/// turning it into strings on every call would allocate twice per header (a few µs of a
/// ~100 µs call) for faces that never look at them.
#[derive(Clone, Default)]
pub(crate) struct RawHeaders(
    pub(crate) Option<std::sync::Arc<aws_smithy_runtime_api::http::Headers>>,
);

impl std::fmt::Debug for RawHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.0.iter().flat_map(|h| h.iter()))
            .finish()
    }
}

impl PartialEq for RawHeaders {
    fn eq(&self, other: &Self) -> bool {
        let pairs = |h: &RawHeaders| -> Vec<(String, String)> {
            h.0.iter()
                .flat_map(|h| h.iter())
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        };
        pairs(self) == pairs(other)
    }
}

impl Eq for RawHeaders {}

/// The request id IVS (or the emulator) gave a response.
fn request_id_of(raw: &HttpResponse) -> Option<&str> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| raw.headers().get(*name))
}

impl ResponseMetadata {
    pub(crate) fn from_response(raw: &HttpResponse) -> Self {
        ResponseMetadata {
            http_status: Some(raw.status().as_u16()),
            request_id: request_id_of(raw).map(str::to_owned),
            raw_headers: RawHeaders(Some(std::sync::Arc::new(raw.headers().clone()))),
            attempts: 0,
            total_retry_delay: Duration::ZERO,
        }
    }

    /// Response headers, names lower-cased (as `http` keeps them), in the order received.
    pub fn headers(&self) -> Vec<(String, String)> {
        self.header_pairs()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// A response header's value (names match case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.raw_headers.0.as_ref()?.get(name)
    }

    fn header_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.raw_headers.0.iter().flat_map(|h| h.iter())
    }

    /// [`ResponseMetadata::total_retry_delay`] in whole milliseconds.
    pub fn total_retry_delay_ms(&self) -> u64 {
        u64::try_from(self.total_retry_delay.as_millis()).unwrap_or(u64::MAX)
    }

    /// The metadata as a JSON object with boto3's keys (see the `Serialize` impl).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// boto3's `ResponseMetadata`: `RequestId`, `HTTPStatusCode`, `HTTPHeaders`, `RetryAttempts`,
/// and libivs's `TotalRetryDelay` (milliseconds waited between attempts, as the JS SDK's
/// `totalRetryDelay`). Serialized straight from the kept header map, without an intermediate
/// JSON value.
impl serde::Serialize for ResponseMetadata {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Headers<'a>(&'a ResponseMetadata);
        impl serde::Serialize for Headers<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.header_pairs())
            }
        }
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("RequestId", self.request_id.as_deref().unwrap_or_default())?;
        map.serialize_entry("HTTPStatusCode", &self.http_status.unwrap_or(0))?;
        map.serialize_entry("HTTPHeaders", &Headers(self))?;
        map.serialize_entry("RetryAttempts", &self.attempts.saturating_sub(1))?;
        map.serialize_entry("TotalRetryDelay", &self.total_retry_delay_ms())?;
        map.end()
    }
}

tokio::task_local! {
    static CURRENT_CALL: RefCell<CallState>;
}

/// What the interceptor keeps of the call it runs in.
struct CallState {
    operation: &'static str,
    metadata: ResponseMetadata,
    /// When the last attempt ended: the next one's start tells how long the retry waited.
    last_attempt_end: Option<Instant>,
}

/// Runs a call with a fresh metadata slot and answers what was recorded with its result.
pub(crate) async fn recorded<F: std::future::Future>(
    operation: &'static str,
    call: F,
) -> (F::Output, ResponseMetadata) {
    let state = CallState {
        operation,
        metadata: ResponseMetadata::default(),
        last_attempt_end: None,
    };
    CURRENT_CALL
        .scope(RefCell::new(state), async move {
            let output = call.await;
            let metadata =
                CURRENT_CALL.with(|slot| std::mem::take(&mut slot.borrow_mut().metadata));
            (output, metadata)
        })
        .await
}

/// Installed once on every aws-sdk-ivs client that libivs builds, with [`MetadataRecorder::shared`].
#[derive(Debug)]
pub(crate) struct MetadataRecorder;

impl MetadataRecorder {
    /// Always on (no per-hook "is it disabled?" lookup in the config bag) and declaring the
    /// hooks it uses, so the SDK's interceptor loop skips it everywhere else: measured, the plain
    /// `SharedInterceptor::new` form cost ~5,000 instructions per call (over 1% of a call).
    pub(crate) fn shared() -> SharedInterceptor {
        SharedInterceptor::permanent(MetadataRecorder)
    }
}

impl Intercept for MetadataRecorder {
    fn name(&self) -> &'static str {
        "libivs::MetadataRecorder"
    }

    fn overridden_hooks(&self) -> OverriddenHooks {
        OverriddenHooks::READ_BEFORE_ATTEMPT
            | OverriddenHooks::READ_BEFORE_DESERIALIZATION
            | OverriddenHooks::READ_AFTER_ATTEMPT
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let retry = CURRENT_CALL.try_with(|slot| {
            let mut state = slot.borrow_mut();
            state.metadata.attempts += 1;
            let waited = state.last_attempt_end.map(|end| end.elapsed())?;
            state.metadata.total_retry_delay += waited;
            Some((state.operation, state.metadata.attempts, waited))
        });
        // Logged after the slot is released: a subscriber may look at the call's scope.
        if let Ok(Some((operation, attempt, waited))) = retry {
            tracing::info!(
                target: "libivs::retry",
                operation,
                attempt,
                delay_ms = waited.as_millis() as u64,
                "retrying {operation}: attempt {attempt} after waiting {} ms",
                waited.as_millis()
            );
        }
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let _ = CURRENT_CALL.try_with(|slot| {
            let mut state = slot.borrow_mut();
            let attempts = state.metadata.attempts;
            let total_retry_delay = state.metadata.total_retry_delay;
            state.metadata = ResponseMetadata::from_response(context.response());
            state.metadata.attempts = attempts;
            state.metadata.total_retry_delay = total_retry_delay;
        });
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let ended = CURRENT_CALL.try_with(|slot| {
            let mut state = slot.borrow_mut();
            state.last_attempt_end = Some(Instant::now());
            (state.operation, state.metadata.attempts)
        });
        let Ok((operation, attempt)) = ended else {
            return Ok(());
        };
        if !tracing::enabled!(target: "libivs::http", tracing::Level::DEBUG) {
            return Ok(());
        }
        match context.response() {
            Some(response) => {
                let status = response.status().as_u16();
                let request_id = request_id_of(response).unwrap_or_default();
                tracing::debug!(
                    target: "libivs::http",
                    operation,
                    attempt,
                    status,
                    request_id,
                    "{operation} attempt {attempt}: HTTP {status}, request id {request_id}"
                );
            }
            None => {
                let problem = match context.output_or_error() {
                    Some(Err(error)) => error_chain(error),
                    _ => "no response".to_owned(),
                };
                tracing::debug!(
                    target: "libivs::http",
                    operation,
                    attempt,
                    "{operation} attempt {attempt}: no HTTP response ({problem})"
                );
            }
        }
        Ok(())
    }
}

/// An error and its sources, `outer: inner: innermost`.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
