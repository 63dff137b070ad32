//! What the HTTP exchange of a call said: status, headers, request id and attempts, recorded by
//! one client-wide interceptor into a task-local slot that each call opens around itself.

use std::cell::RefCell;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
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

impl ResponseMetadata {
    pub(crate) fn from_response(raw: &HttpResponse) -> Self {
        let request_id = ["x-amzn-requestid", "x-amz-request-id"]
            .iter()
            .find_map(|name| raw.headers().get(*name).map(str::to_owned));
        ResponseMetadata {
            http_status: Some(raw.status().as_u16()),
            request_id,
            raw_headers: RawHeaders(Some(std::sync::Arc::new(raw.headers().clone()))),
            attempts: 0,
        }
    }

    /// Response headers, names lower-cased (as `http` keeps them), in the order received.
    pub fn headers(&self) -> Vec<(String, String)> {
        self.header_pairs()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn header_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.raw_headers.0.iter().flat_map(|h| h.iter())
    }

    /// The metadata as a JSON object with boto3's keys (see the `Serialize` impl).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// boto3's `ResponseMetadata`: `RequestId`, `HTTPStatusCode`, `HTTPHeaders`, `RetryAttempts`.
/// Serialized straight from the kept header map, without an intermediate JSON value.
impl serde::Serialize for ResponseMetadata {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Headers<'a>(&'a ResponseMetadata);
        impl serde::Serialize for Headers<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.header_pairs())
            }
        }
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("RequestId", self.request_id.as_deref().unwrap_or_default())?;
        map.serialize_entry("HTTPStatusCode", &self.http_status.unwrap_or(0))?;
        map.serialize_entry("HTTPHeaders", &Headers(self))?;
        map.serialize_entry("RetryAttempts", &self.attempts.saturating_sub(1))?;
        map.end()
    }
}

tokio::task_local! {
    static CURRENT_CALL: RefCell<ResponseMetadata>;
}

/// Runs a call with a fresh metadata slot and answers what was recorded with its result.
pub(crate) async fn recorded<F: std::future::Future>(call: F) -> (F::Output, ResponseMetadata) {
    CURRENT_CALL
        .scope(RefCell::new(ResponseMetadata::default()), async move {
            let output = call.await;
            let metadata = CURRENT_CALL.with(|slot| slot.take());
            (output, metadata)
        })
        .await
}

/// Installed once on every aws-sdk-ivs client that libivs builds, with [`MetadataRecorder::shared`].
#[derive(Debug)]
pub(crate) struct MetadataRecorder;

impl MetadataRecorder {
    /// Always on (no per-hook "is it disabled?" lookup in the config bag) and declaring the two
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
        OverriddenHooks::READ_BEFORE_ATTEMPT | OverriddenHooks::READ_BEFORE_DESERIALIZATION
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let _ = CURRENT_CALL.try_with(|slot| slot.borrow_mut().attempts += 1);
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let _ = CURRENT_CALL.try_with(|slot| {
            let mut slot = slot.borrow_mut();
            let attempts = slot.attempts;
            *slot = ResponseMetadata::from_response(context.response());
            slot.attempts = attempts;
        });
        Ok(())
    }
}
