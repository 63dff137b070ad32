//! The one call pipeline: a call is prepared once (operation resolved to its table entry, input
//! checked) into a [`PreparedCall`], which runs in whichever way a face waits — awaited, blocked
//! on (interruptibly), or spawned into a [`CallGroup`] — and answers an [`Answer`]: aws-sdk-ivs's
//! output, turned into what the face needs (a JSON value, JSON text, or the face's objects through
//! its own [`OutputSink`]) where it is consumed.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument as _;

use serde_json::Value;

use libivs_model::{validate_input, OperationSpec, Rules};

use crate::calls::{CallGroup, CallHandle, Interrupt};
use crate::client::{Client, Response, TextResponse};
use crate::convert::{OutputSink, PageFacts};
use crate::error::Error;
use crate::log::CallLog;
use crate::metadata::{recorded, ResponseMetadata};
use crate::output::SdkOutput;
use crate::page::PageCut;
use crate::runtime;

/// A call whose operation is known and whose input passed the checks; nothing sent yet.
pub struct PreparedCall {
    client: Client,
    operation: &'static OperationSpec,
    input: Value,
    log: Option<Arc<CallLog>>,
}

impl fmt::Debug for PreparedCall {
    // The input may hold secrets (metadata, private keys): only the operation is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedCall")
            .field("operation", &self.operation.name)
            .finish_non_exhaustive()
    }
}

/// aws-sdk-ivs's answer to a call, not yet converted, and the metadata of the HTTP exchange.
pub struct Answer {
    operation: &'static OperationSpec,
    output: Box<dyn SdkOutput>,
    metadata: ResponseMetadata,
    /// A paginator's edit of the page, applied as the output is converted.
    cut: Option<PageCut>,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("operation", &self.operation.name)
            .field("metadata", &self.metadata)
            .finish_non_exhaustive()
    }
}

impl Answer {
    pub fn operation(&self) -> &'static OperationSpec {
        self.operation
    }

    /// The metadata of the HTTP exchange.
    pub fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    /// Hands the output to `sink`, event by event, straight from aws-sdk-ivs's output: for a
    /// face that builds its own objects.
    pub fn emit(&self, sink: &mut dyn OutputSink) {
        self.output.emit_to(self.cut.as_ref(), sink);
    }

    /// The output as a JSON value (wire member names, ISO-8601 timestamps).
    pub fn into_response(self) -> Response {
        Response {
            operation: self.operation,
            output: self.output.to_value(self.cut.as_ref()),
            metadata: self.metadata,
        }
    }

    /// The output as JSON text, written straight from aws-sdk-ivs's output (no JSON value in
    /// between): for faces that parse JSON text themselves.
    pub fn into_text(self) -> Result<TextResponse, Error> {
        let mut text = Vec::with_capacity(2048);
        self.output.write_json(self.cut.as_ref(), &mut text);
        Ok(TextResponse {
            output: json_text(text)?,
            metadata: self.metadata,
        })
    }

    /// The whole response as boto3 shows it — the output's members, then `ResponseMetadata` —
    /// as JSON text, written straight from aws-sdk-ivs's output: for faces that hand the whole
    /// response on as text.
    pub fn into_response_text(self) -> Result<String, Error> {
        let mut text = Vec::with_capacity(2048);
        self.output.write_json(self.cut.as_ref(), &mut text);
        // Close the output object with one more member: `ResponseMetadata`.
        text.pop();
        if text.len() > 1 {
            text.push(b',');
        }
        text.extend_from_slice(b"\"ResponseMetadata\":");
        serde_json::to_writer(&mut text, &self.metadata)
            .map_err(|e| Error::internal(format!("cannot write JSON: {e}")))?;
        text.push(b'}');
        json_text(text)
    }

    /// The page's next token and item count, if this is a paginated operation's output.
    pub(crate) fn page_facts(&self) -> Option<PageFacts<'_>> {
        self.output.page_facts()
    }

    pub(crate) fn set_cut(&mut self, cut: PageCut) {
        self.cut = Some(cut);
    }
}

/// JSON text written by the JSON text sink (always UTF-8: it copies strings whole and escapes the
/// rest).
pub(crate) fn json_text(bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|_| Error::internal("JSON text was not UTF-8"))
}

impl Client {
    /// Finds `operation_name` (`"CreateChannel"` or `"create_channel"`) and checks `input` (an
    /// object of wire member names, or null) before any network I/O: the depth limit, then the
    /// model's constraints unless `validate_input` is off.
    pub fn check(
        &self,
        operation_name: &str,
        input: &Value,
    ) -> Result<&'static OperationSpec, Error> {
        let operation = libivs_model::operation(operation_name)
            .ok_or_else(|| Error::unknown_operation(operation_name))?;
        if !(input.is_object() || input.is_null()) {
            return Err(Error::param_validation(format!(
                "The input of {} must be an object of parameters",
                operation.name
            )));
        }
        if let Some(path) = libivs_model::too_deep_path(input) {
            return Err(Error::param_validation(libivs_model::too_deep_message(
                &path,
            )));
        }
        if self.config().validate_input {
            validate_input(operation, input, Rules::Client).map_err(|issues| {
                let lines: Vec<String> = issues.into_iter().map(|i| i.message).collect();
                Error::param_validation(lines.join("\n"))
            })?;
        }
        Ok(operation)
    }

    /// [`Client::check`]s a call and keeps it, ready to run.
    pub fn prepare(&self, operation_name: &str, input: Value) -> Result<PreparedCall, Error> {
        let operation = self.check(operation_name, &input)?;
        Ok(PreparedCall {
            client: self.clone(),
            operation,
            input,
            log: None,
        })
    }

    /// Prepares and awaits a call: the output as a JSON value. Runs on the shared runtime, so it
    /// can be awaited from any executor; dropping the future cancels the request.
    pub fn call(
        &self,
        operation_name: &str,
        input: Value,
    ) -> impl std::future::Future<Output = Result<Response, Error>> + Send + 'static {
        let prepared = self.prepare(operation_name, input);
        async move { Ok(prepared?.run().await?.into_response()) }
    }

    /// [`Client::call`] for synchronous code (not from inside an async runtime).
    pub fn call_blocking(&self, operation_name: &str, input: Value) -> Result<Response, Error> {
        Ok(self
            .prepare(operation_name, input)?
            .run_blocking(None)?
            .into_response())
    }
}

impl PreparedCall {
    pub fn operation(&self) -> &'static OperationSpec {
        self.operation
    }

    /// Keeps this call's log records in `log` (for the face to deliver where the call
    /// completes) instead of handing them to the process's sink.
    pub fn with_log(mut self, log: Arc<CallLog>) -> Self {
        self.log = Some(log);
        self
    }

    /// Sends the call and awaits its answer, from any executor (on the shared runtime already,
    /// it runs in place; elsewhere it is handed to the runtime). Dropping the future cancels it.
    pub async fn run(self) -> Result<Answer, Error> {
        // Boxed either way: the futures around this one then move a pointer, not the SDK's
        // state machine (measured: unboxed, ~25k more instructions of memcpy per call).
        let call = self.send_boxed();
        if runtime::on_worker() {
            // Already on the shared runtime (a paginator, a task of ours): no hand-off.
            call.await
        } else {
            runtime::spawn(call).await?
        }
    }

    /// Sends the call and waits on this thread (the client's per-thread driver, see
    /// `local.rs`: no other thread is woken), looking for `interrupt` if given. Must not be
    /// called from inside an async runtime.
    pub fn run_blocking(self, interrupt: Option<Interrupt<'_>>) -> Result<Answer, Error> {
        let client = self.client.clone();
        client.run_blocking(interrupt, move |sdk| async move {
            send_with(&sdk, self.operation, &self.input, self.log).await
        })
    }

    /// Sends the call as a task of `group` and runs `on_done` there with its answer, exactly
    /// once (with [`Error::cancelled`] if cancelled first, [`Error::panicked`] on a panic).
    pub fn spawn<F>(self, group: &CallGroup, on_done: F) -> CallHandle
    where
        F: FnOnce(Result<Answer, Error>) + Send + 'static,
    {
        // The group boxes the future itself.
        group.spawn(self.send(), on_done)
    }

    /// Sends the call; must run on the shared runtime.
    async fn send(self) -> Result<Answer, Error> {
        let sdk = self.client.sdk().await?;
        send_with(&sdk, self.operation, &self.input, self.log).await
    }

    /// The call as one boxed future: moving it into a task then copies a pointer, not the
    /// several kilobytes of the SDK's state machine.
    fn send_boxed(
        self,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Answer, Error>> + Send>> {
        Box::pin(self.send())
    }
}

/// Sends a checked call with `sdk` and answers aws-sdk-ivs's output, not yet converted. Errors
/// other than the service's have every request string cut out of their text. The call is one
/// `ivs.<Operation>` span (OpenTelemetry's RPC conventions, as the AWS SDK instrumentations name
/// theirs) and ends with one `libivs::client` event.
async fn send_with(
    sdk: &aws_sdk_ivs::Client,
    operation: &'static OperationSpec,
    input: &Value,
    log: Option<Arc<CallLog>>,
) -> Result<Answer, Error> {
    let started = Instant::now();
    let span = tracing::info_span!(
        target: "libivs::client",
        "IVS call",
        otel.name = format!("ivs.{}", operation.name),
        otel.kind = "client",
        rpc.system = "aws-api",
        rpc.service = "ivs",
        rpc.method = operation.name,
        aws.request_id = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
        error.type = tracing::field::Empty,
    );
    let dispatch = crate::generated::dispatch(sdk, operation, input);
    let call = recorded(operation.name, dispatch).instrument(span.clone());
    let (result, metadata) = crate::log::scoped(log, operation.input_shape, input, async {
        let done = call.await;
        log_outcome(&span, operation.name, &done, started);
        done
    })
    .await;
    match result {
        Ok(output) => Ok(Answer {
            operation,
            output,
            metadata,
            cut: None,
        }),
        Err(error) => Err(error.with_metadata(metadata).without_request_text(input)),
    }
}

/// The call's closing event and span fields (nothing is formatted when nobody listens).
fn log_outcome<T>(
    span: &tracing::Span,
    operation: &'static str,
    done: &(Result<T, Error>, crate::metadata::ResponseMetadata),
    started: Instant,
) {
    let (result, metadata) = done;
    if let Some(id) = &metadata.request_id {
        span.record("aws.request_id", id.as_str());
    }
    if let Some(status) = metadata.http_status {
        span.record("http.response.status_code", status);
    }
    let error_code = result.as_ref().err().map(Error::code);
    if let Some(code) = error_code {
        span.record("otel.status_code", "ERROR");
        span.record("error.type", code);
    }
    // A call that failed after retries is a warning; every other outcome is a debug record.
    let retried_failure = error_code.is_some() && metadata.attempts > 1;
    let wanted = if retried_failure {
        tracing::enabled!(target: "libivs::client", tracing::Level::WARN)
    } else {
        tracing::enabled!(target: "libivs::client", tracing::Level::DEBUG)
    };
    if !wanted {
        return;
    }
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = metadata.http_status.unwrap_or(0);
    let request_id = metadata.request_id.as_deref().unwrap_or_default();
    let attempts = metadata.attempts;
    let delay_ms = metadata.total_retry_delay_ms();
    let code = error_code.unwrap_or_default();
    // One field list for the three texts (tracing's levels are part of each callsite).
    macro_rules! outcome {
        ($level:ident, $($text:tt)+) => {
            tracing::$level!(
                target: "libivs::client",
                operation,
                status,
                request_id,
                attempts,
                delay_ms,
                duration_ms,
                error_code,
                $($text)+
            )
        };
    }
    if error_code.is_none() {
        outcome!(debug, "{operation} succeeded: HTTP {status}, request id {request_id}, {attempts} attempt(s), {duration_ms:.1} ms");
    } else if retried_failure {
        outcome!(warn, "{operation} failed after {attempts} attempts ({delay_ms} ms of retry delay): {code} (HTTP {status}), request id {request_id}, {duration_ms:.1} ms");
    } else {
        outcome!(debug, "{operation} failed: {code} (HTTP {status}), request id {request_id}, {attempts} attempt(s), {duration_ms:.1} ms");
    }
}
