//! What the HTTP exchange of a call said: status, headers, request id and attempts, recorded by
//! one client-wide interceptor into a task-local slot that each call opens around itself.

use std::cell::RefCell;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
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

    /// Response headers, names lower-cased, in the order received.
    pub fn headers(&self) -> Vec<(String, String)> {
        self.raw_headers
            .0
            .iter()
            .flat_map(|h| h.iter())
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
            .collect()
    }

    /// The metadata as a JSON object with boto3's keys.
    pub fn to_json(&self) -> serde_json::Value {
        let headers: serde_json::Map<String, serde_json::Value> = self
            .headers()
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        serde_json::json!({
            "RequestId": self.request_id.clone().unwrap_or_default(),
            "HTTPStatusCode": self.http_status.unwrap_or(0),
            "HTTPHeaders": headers,
            "RetryAttempts": self.attempts.saturating_sub(1),
        })
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

/// Installed once on every aws-sdk-ivs client that libivs builds.
#[derive(Debug)]
pub(crate) struct MetadataRecorder;

impl Intercept for MetadataRecorder {
    fn name(&self) -> &'static str {
        "libivs::MetadataRecorder"
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
