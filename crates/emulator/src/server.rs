//! The HTTP side: accepting connections, routing IVS requests, checking signatures, injecting
//! faults and answering (through `response.rs`).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use libivs_model::{OperationSpec, Rules};
use serde_json::{Map, Value};
use tokio::sync::watch;

use crate::error::EmulatorError;
use crate::faults::FaultKind;
use crate::response::{error_response, operation_response, HttpResponse};
use crate::routing::uri_members;
use crate::shared::Shared;
use crate::{control, operations, playback};

/// The largest request body accepted; IVS requests are a few kilobytes at most.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long open connections may finish their requests once the emulator is stopping.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// How often time-driven transitions (streams ending, recording configurations turning ACTIVE)
/// are brought up to date when no request does it, so that their events reach the webhook on
/// time.
const TICK: Duration = Duration::from_millis(100);

pub async fn keep_time(shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            _ = ticks.tick() => drop(shared.state.lock_state()),
            _ = shutdown.changed() => break,
        }
    }
}

/// Marks a request whose connection is to be dropped without an answer (an injected fault).
#[derive(Debug)]
pub struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// Accepts connections until `shutdown` turns true, then gives open ones a short grace period.
pub async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Usually out of file descriptors; pausing lets some close.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let service = service_fn(move |request| handle(Arc::clone(&shared), request));
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<HttpResponse, DropConnection> {
    let (parts, body) = request.into_parts();
    let declared_length = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared_length.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Ok(too_large());
    }
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => return Ok(too_large()),
        // The client went away mid-body; there is nobody to answer.
        Err(_) => return Err(DropConnection),
    };
    let path = parts.uri.path();
    if path == "/_emulator" || path.starts_with("/_emulator/") {
        return Ok(control::handle(&shared, &parts.method, &parts.uri, &body));
    }
    if playback::is_playback_path(path) {
        return Ok(playback::handle(
            &shared,
            &parts.method,
            &parts.uri,
            &parts.headers,
        ));
    }

    let operation = match shared.router.route(&parts.method, path) {
        Ok(operation) => operation,
        Err(error) => return Ok(error_response(&error)),
    };
    if let Err(error) = shared.verifier.verify(
        parts.method.as_str(),
        &parts.uri,
        &parts.headers,
        &body,
        SystemTime::now(),
    ) {
        return Ok(error_response(&error));
    }
    match shared.faults.take(operation.name) {
        None => {}
        Some(FaultKind::Status(status)) => {
            let error = FaultKind::error(status)
                .unwrap_or_else(|| EmulatorError::internal("Injected fault from the IVS emulator"));
            return Ok(error_response(&error));
        }
        Some(FaultKind::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(FaultKind::ResetConnection) => return Err(DropConnection),
    }
    if shared.config.quotas
        && !shared
            .quotas
            .admit(operation.name, std::time::Instant::now())
    {
        let error = EmulatorError::throttling(format!(
            "Request rate exceeds the quota of {} calls per second for {}",
            crate::quotas::calls_per_second(operation.name),
            operation.name
        ));
        return Ok(error_response(&error));
    }
    Ok(match run_operation(&shared, operation, &parts.uri, &body) {
        Ok(response) => response,
        Err(error) => error_response(&error),
    })
}

fn too_large() -> HttpResponse {
    let error = EmulatorError::new(
        413,
        "ValidationException",
        format!("Request body is larger than the {MAX_BODY_BYTES} bytes accepted"),
    );
    error_response(&error)
}

/// Builds the operation's input (body, path and query members), checks it against the model and
/// runs the operation.
fn run_operation(
    shared: &Shared,
    operation: &'static OperationSpec,
    uri: &http::Uri,
    body: &[u8],
) -> Result<HttpResponse, EmulatorError> {
    let mut input = parse_body(body)?;
    input.extend(uri_members(operation, uri));
    let input = Value::Object(input);
    if let Err(issues) = libivs_model::validate_input(operation, &input, Rules::Service) {
        let message = issues
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        return Err(EmulatorError::validation(message));
    }
    let Value::Object(input) = input else {
        unreachable!("the input was built as an object")
    };
    let output = {
        let mut state = shared.state.lock_state();
        operations::dispatch(&mut state, operation.name, &input)?
    };
    let status = StatusCode::from_u16(operation.success_code).unwrap_or(StatusCode::OK);
    let body = if output.is_null() || status == StatusCode::NO_CONTENT {
        Bytes::new()
    } else {
        Bytes::from(serde_json::to_vec(&output).unwrap_or_default())
    };
    Ok(operation_response(operation.name, status, body))
}

/// The request body as a JSON object; an empty body is an empty input.
fn parse_body(body: &[u8]) -> Result<Map<String, Value>, EmulatorError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(members)) => Ok(members),
        Ok(_) => Err(EmulatorError::validation(
            "The request body must be a JSON object",
        )),
        Err(error) => Err(EmulatorError::validation(format!(
            "Unable to parse the request body as JSON: {error}"
        ))),
    }
}
