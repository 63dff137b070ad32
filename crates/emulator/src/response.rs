//! IVS-shaped HTTP answers: JSON bodies with the headers the model binds to output and error
//! members (with IVS's values), and errors with `x-amzn-ErrorType`. Used by the IVS routes, the control API and the playback routes alike.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use http_body_util::Full;

use crate::error::EmulatorError;
use crate::generated::{output_headers, MODELED_ERRORS};
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
    response
}

/// An operation's answer, with the headers the model binds to members of its output (IVS's
/// CORS and security headers on the batch operations).
pub fn operation_response(operation: &str, status: StatusCode, body: Bytes) -> HttpResponse {
    let mut response = json_response(status, body);
    add_model_headers(&mut response, output_headers(operation).iter().copied(), "");
    response
}

/// Adds the headers `names` (from the model) with IVS's values; `error_code` is the value of
/// `x-amzn-ErrorType`.
fn add_model_headers(
    response: &mut HttpResponse,
    names: impl Iterator<Item = &'static str>,
    error_code: &str,
) {
    let headers = response.headers_mut();
    for name in names {
        let value = if name.eq_ignore_ascii_case("x-amzn-ErrorType") {
            HeaderValue::from_str(error_code).ok()
        } else {
            ivs_header_value(name).map(HeaderValue::from_static)
        };
        if let Some(value) = value {
            headers.insert(name, value);
        }
    }
}

/// What IVS's front end sends in the headers the model binds to members (which headers go on
/// which answer is the model's, in `generated.rs`; only their values are written here).
fn ivs_header_value(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "access-control-allow-origin" => "*",
        "access-control-expose-headers" => {
            "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
        }
        "cache-control" => "no-store, no-cache, must-revalidate",
        "content-security-policy" => "upgrade-insecure-requests",
        "strict-transport-security" => "max-age=47304000; includeSubDomains",
        "x-content-type-options" => "nosniff",
        "x-frame-options" => "DENY",
        _ => return None,
    })
}

/// The response headers the model binds to members of a modeled error (`x-amzn-ErrorType` among
/// them).
fn error_headers(code: &str) -> impl Iterator<Item = &'static str> {
    libivs_model::error_header_members(code)
        .iter()
        .map(|(_, header)| *header)
}

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
    add_model_headers(&mut response, error_headers(error.code), error.code);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every header the model binds to a member has a value here: a model that adds one fails.
    #[test]
    fn every_model_header_has_a_value() {
        let operations = libivs_model::OPERATIONS.iter().map(|op| op.name);
        let mut names: Vec<&str> = operations.flat_map(output_headers).copied().collect();
        names.extend(MODELED_ERRORS.iter().flat_map(|code| error_headers(code)));
        assert!(names.len() > 7, "{names:?}");
        for name in names {
            assert!(
                name.eq_ignore_ascii_case("x-amzn-ErrorType") || ivs_header_value(name).is_some(),
                "no IVS value for the model's header {name}"
            );
        }
    }

    #[test]
    fn batch_outputs_and_errors_carry_their_headers_and_others_none() {
        let batch = operation_response("BatchGetChannel", StatusCode::OK, Bytes::new());
        assert_eq!(batch.headers()["Access-Control-Allow-Origin"], "*");
        assert_eq!(batch.headers()["X-Frame-Options"], "DENY");
        let plain = operation_response("GetChannel", StatusCode::OK, Bytes::new());
        assert!(plain.headers().get("Access-Control-Allow-Origin").is_none());
        let error = error_response(&EmulatorError::not_found("gone"));
        assert_eq!(
            error.headers()["Cache-Control"],
            "no-store, no-cache, must-revalidate"
        );
        assert_eq!(
            error.headers()["x-amzn-ErrorType"],
            "ResourceNotFoundException"
        );
    }
}
