//! IVS-shaped HTTP answers: JSON bodies with the headers IVS's front end adds, and errors with
//! `x-amzn-ErrorType`. Used by the IVS routes, the control API and the playback routes alike.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use http_body_util::Full;

use crate::error::EmulatorError;
use crate::generated::MODELED_ERRORS;
use crate::ids;

pub type HttpResponse = Response<Full<Bytes>>;

pub fn json_response(status: StatusCode, body: Bytes) -> HttpResponse {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(request_id) = HeaderValue::from_str(&ids::request_id()) {
        headers.insert("x-amzn-RequestId", request_id);
    }
    for (name, value) in IVS_RESPONSE_HEADERS {
        headers.insert(*name, HeaderValue::from_static(value));
    }
    response
}

/// The headers IVS's front end adds to every answer, which the model binds to members of its
/// error shapes (`accessControlAllowOrigin`, `cacheControl`, `strictTransportSecurity`...).
const IVS_RESPONSE_HEADERS: &[(&str, &str)] = &[
    ("Access-Control-Allow-Origin", "*"),
    (
        "Access-Control-Expose-Headers",
        "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    ),
    ("Cache-Control", "no-store, no-cache, must-revalidate"),
    ("Content-Security-Policy", "upgrade-insecure-requests"),
    (
        "Strict-Transport-Security",
        "max-age=47304000; includeSubDomains",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
];

pub fn error_response(error: &EmulatorError) -> HttpResponse {
    let message_member = if MODELED_ERRORS.contains(&error.code) {
        "exceptionMessage"
    } else {
        "message"
    };
    let body = serde_json::json!({ message_member: error.message });
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = json_response(status, Bytes::from(body.to_string()));
    response
        .headers_mut()
        .insert("x-amzn-ErrorType", HeaderValue::from_static(error.code));
    response
}
