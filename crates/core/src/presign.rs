//! Presigned URLs, as boto3's `generate_presigned_url`: the operation's route with its URI and
//! query members, signed in the query string with SigV4 (by the `aws-sigv4` crate).

use std::time::{Duration, SystemTime};

use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_smithy_runtime_api::client::identity::Identity;
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, ErrorKind};

/// AWS's longest presigned-URL lifetime.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);

const EXPIRY_RANGE: &str = "ExpiresIn must be from 1 second to 7 days (604800 seconds)";

/// A presigned URL's lifetime from a number of seconds, as every face takes it (boto3's
/// `ExpiresIn`, the JS SDK's `expiresIn`): NaN, zero, negative and over 7 days are refused
/// with one error.
pub fn presign_expiry(seconds: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| Error::param_validation(EXPIRY_RANGE))
        .and_then(checked_expiry)
}

/// The one range check of a presigned URL's lifetime (`presign` and [`presign_expiry`]).
fn checked_expiry(expires_in: Duration) -> Result<Duration, Error> {
    if expires_in.is_zero() || expires_in > MAX_PRESIGN_EXPIRY {
        return Err(Error::param_validation(EXPIRY_RANGE));
    }
    Ok(expires_in)
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (as SigV4 wants).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl Client {
    /// A URL that performs `operation` with `input` when requested, valid for `expires_in`.
    /// Members bound to the URI and query string are in the URL; body members are not (as with
    /// boto3). `http_method` overrides the model's method.
    pub async fn presign(
        &self,
        operation_name: &str,
        input: Value,
        expires_in: Duration,
        http_method: Option<&str>,
    ) -> Result<String, Error> {
        let expires_in = checked_expiry(expires_in)?;
        let op = self.check(operation_name, &input)?;
        let mut path = op.request_uri.to_string();
        let mut query: Vec<(String, String)> = Vec::new();
        if let Some(shape_name) = op.input_shape {
            let shape = libivs_model::shape(shape_name).expect("input shapes are in the model");
            for (member, spec) in shape["members"].as_object().into_iter().flatten() {
                let Some(value) = input.get(member).filter(|v| !v.is_null()) else {
                    continue;
                };
                let wire_name = spec["locationName"].as_str().unwrap_or(member);
                let texts: Vec<String> = match value {
                    Value::Array(items) => items.iter().map(scalar_text).collect(),
                    other => vec![scalar_text(other)],
                };
                match spec["location"].as_str() {
                    Some("uri") => {
                        path = path.replace(&format!("{{{wire_name}}}"), &percent_encode(&texts[0]))
                    }
                    Some("querystring") => {
                        query.extend(texts.into_iter().map(|t| (wire_name.to_owned(), t)))
                    }
                    _ => {}
                }
            }
        }
        let endpoint = self
            .endpoint_url()
            .map(|e| e.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("https://ivs.{}.amazonaws.com", self.region()));
        let mut url = format!("{endpoint}{path}");
        if !query.is_empty() {
            let encoded: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
                .collect();
            url = format!("{url}?{}", encoded.join("&"));
        }
        let provider = self.built().await?.credentials.ok_or_else(|| {
            Error::new(
                ErrorKind::Credentials,
                "NoCredentialsError",
                "Unable to locate credentials",
            )
        })?;
        let credentials = provider.provide_credentials().await.map_err(|e| {
            Error::new(
                ErrorKind::Credentials,
                "NoCredentialsError",
                format!("Unable to locate credentials: {e}"),
            )
        })?;
        let identity = Identity::from(credentials);
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires_in);
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region())
            .name("ivs")
            .time(SystemTime::now())
            .settings(settings)
            .build()
            .map_err(|e| Error::config(format!("cannot presign: {e}")))?
            .into();
        let method = http_method.unwrap_or(op.http_method).to_ascii_uppercase();
        let host_header = url_host(&url)?;
        let signable = SignableRequest::new(
            &method,
            &url,
            std::iter::once(("host", host_header.as_str())),
            SignableBody::UnsignedPayload,
        )
        .map_err(|e| Error::invalid_argument(format!("cannot presign {url}: {e}")))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| Error::config(format!("cannot presign: {e}")))?
            .into_parts();
        let mut request = http::Request::builder()
            .method(method.as_str())
            .uri(&url)
            .body(())
            .map_err(|e| Error::invalid_argument(format!("cannot presign {url}: {e}")))?;
        instructions.apply_to_request_http1x(&mut request);
        Ok(request.uri().to_string())
    }

    /// [`Client::presign`] for synchronous code.
    pub fn presign_blocking(
        &self,
        operation_name: &str,
        input: Value,
        expires_in: Duration,
        http_method: Option<&str>,
    ) -> Result<String, Error> {
        crate::runtime::block_on(self.presign(operation_name, input, expires_in, http_method))?
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn url_host(url: &str) -> Result<String, Error> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e| Error::config(format!("endpoint URL {url:?} is not a URL: {e}")))?;
    let authority = uri
        .authority()
        .ok_or_else(|| Error::config(format!("endpoint URL {url:?} has no host")))?;
    Ok(authority.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::{percent_encode, presign_expiry, MAX_PRESIGN_EXPIRY};
    use std::time::Duration;

    #[test]
    fn a_lifetime_in_seconds_is_checked_once_for_every_face() {
        assert_eq!(presign_expiry(60.0).unwrap(), Duration::from_secs(60));
        assert_eq!(presign_expiry(604800.0).unwrap(), MAX_PRESIGN_EXPIRY);
        for refused in [0.0, -0.0, -1.0, 604800.5, f64::NAN, f64::INFINITY, 1e300] {
            let error = presign_expiry(refused).unwrap_err();
            assert_eq!(error.code(), "ParamValidationError", "{refused}");
        }
    }

    #[test]
    fn percent_encodes_like_sigv4() {
        assert_eq!(
            percent_encode("arn:aws:ivs:us-west-2:1:channel/a b"),
            "arn%3Aaws%3Aivs%3Aus-west-2%3A1%3Achannel%2Fa%20b"
        );
    }
}
