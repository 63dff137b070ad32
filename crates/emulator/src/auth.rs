//! SigV4 verification. The emulator does not compute signatures itself: it rebuilds the request
//! exactly as the client signed it (method, URI, the `SignedHeaders` set, the payload hash) and
//! asks `aws-sigv4`, the SDK's own signer, to sign it again with the accepted credentials, then
//! compares the two signatures.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, SessionTokenMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::{HeaderMap, Uri};
use sha2::{Digest, Sha256};

use crate::clock::{distance, parse_amz_date};
use crate::error::EmulatorError;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const SERVICE: &str = "ivs";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// How far a request's time may be from the emulator's clock, as in AWS.
const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);
/// The longest validity a presigned URL may ask for (7 days), as in AWS.
const MAX_PRESIGNED_EXPIRY: u64 = 7 * 24 * 3600;

/// The headers the signer adds itself from its settings and credentials; passing them in as
/// request headers would make them appear twice.
const SIGNER_ADDED_HEADERS: &[&str] =
    &["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

/// The query parameters of a presigned request that the signer adds itself.
const PRESIGN_PARAMETERS: &[&str] = &[
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
];

fn missing_token() -> EmulatorError {
    EmulatorError::new(
        403,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    )
}

fn incomplete(message: impl Into<String>) -> EmulatorError {
    EmulatorError::new(400, "IncompleteSignatureException", message)
}

fn invalid_signature(message: impl Into<String>) -> EmulatorError {
    EmulatorError::new(403, "InvalidSignatureException", message)
}

fn signature_mismatch() -> EmulatorError {
    invalid_signature(
        "The request signature we calculated does not match the signature you provided. \
         Check your AWS Secret Access Key and signing method. Consult the service documentation \
         for details.",
    )
}

/// The parts of a signature that the client sent, from the header or the query.
struct PresentedSignature<'a> {
    access_key_id: &'a str,
    scope_date: &'a str,
    scope_region: &'a str,
    scope_service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
    request_time: &'a str,
}

/// Splits `AKID/20261125/us-west-2/ivs/aws4_request`.
fn parse_credential(credential: &str) -> Option<(&str, &str, &str, &str)> {
    let mut parts = credential.rsplitn(5, '/');
    let terminator = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let date = parts.next()?;
    let access_key_id = parts.next()?;
    (terminator == "aws4_request").then_some((access_key_id, date, region, service))
}

pub struct SignatureVerifier {
    region: String,
    access_key_id: String,
    secret_access_key: String,
    /// The accepted credentials without a session token, built once.
    identity: Identity,
}

impl SignatureVerifier {
    pub fn new(region: &str, access_key_id: &str, secret_access_key: &str) -> Self {
        SignatureVerifier {
            region: region.to_string(),
            access_key_id: access_key_id.to_string(),
            secret_access_key: secret_access_key.to_string(),
            identity: Credentials::new(
                access_key_id,
                secret_access_key,
                None,
                None,
                "ivs-emulator",
            )
            .into(),
        }
    }

    /// Checks the request's signature, whether in the `Authorization` header or presigned in the
    /// query string.
    pub fn verify(
        &self,
        method: &str,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), EmulatorError> {
        if let Some(authorization) = headers.get(http::header::AUTHORIZATION) {
            let authorization = authorization
                .to_str()
                .map_err(|_| incomplete("The Authorization header is not valid text"))?;
            return self.verify_header_signature(method, uri, headers, body, now, authorization);
        }
        let query = uri.query().unwrap_or_default();
        if query.contains("X-Amz-Signature=") {
            return self.verify_presigned(method, uri, headers, body, now, query);
        }
        Err(missing_token())
    }

    fn verify_header_signature(
        &self,
        method: &str,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
        authorization: &str,
    ) -> Result<(), EmulatorError> {
        let fields = authorization
            .strip_prefix(ALGORITHM)
            .filter(|rest| rest.starts_with(' '))
            .ok_or_else(|| {
                incomplete(format!(
                    "Authorization header must use the {ALGORITHM} algorithm"
                ))
            })?;
        let mut credential = None;
        let mut signed_headers = None;
        let mut signature = None;
        for field in fields.split(',') {
            let (name, value) = field.trim().split_once('=').unwrap_or_default();
            match name {
                "Credential" => credential = Some(value),
                "SignedHeaders" => signed_headers = Some(value),
                "Signature" => signature = Some(value),
                _ => {}
            }
        }
        let (Some(credential), Some(signed_headers), Some(signature)) =
            (credential, signed_headers, signature)
        else {
            return Err(incomplete(
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters",
            ));
        };
        let (access_key_id, scope_date, scope_region, scope_service) = parse_credential(credential)
            .ok_or_else(|| incomplete("Authorization header has a malformed Credential"))?;
        let request_time = headers
            .get("x-amz-date")
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| {
                incomplete("Authorization header requires existence of a 'X-Amz-Date' header")
            })?;
        let presented = PresentedSignature {
            access_key_id,
            scope_date,
            scope_region,
            scope_service,
            signed_headers: signed_headers.split(';').collect(),
            signature,
            request_time,
        };
        let time = self.check_presented(&presented, now)?;
        if distance(time, now) > MAX_CLOCK_SKEW {
            return Err(invalid_signature(format!(
                "Signature expired: {request_time} is now earlier or later than the allowed \
                 15 minutes from the server time"
            )));
        }

        let signs_payload_hash = presented.signed_headers.contains(&"x-amz-content-sha256");
        let body_hash = if signs_payload_hash {
            let claimed = header_text(headers, "x-amz-content-sha256");
            if claimed != UNSIGNED_PAYLOAD && claimed != hex::encode(Sha256::digest(body)) {
                return Err(signature_mismatch());
            }
            SignableBody::Precomputed(claimed.to_string())
        } else {
            SignableBody::Bytes(body)
        };
        let session_token = presented
            .signed_headers
            .contains(&"x-amz-security-token")
            .then(|| header_text(headers, "x-amz-security-token"));

        let mut settings = SigningSettings::default();
        // Exactly the headers the client listed are given to the signer, so none is excluded.
        settings.excluded_headers = Some(Vec::new());
        settings.signature_location = SignatureLocation::Headers;
        if signs_payload_hash {
            settings.payload_checksum_kind =
                aws_sigv4::http_request::PayloadChecksumKind::XAmzSha256;
        }
        let path_and_query = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
        let computed = self.sign_again(
            method,
            path_and_query,
            headers,
            &presented.signed_headers,
            body_hash,
            session_token,
            settings,
            time,
        )?;
        if constant_time_equal(computed.as_bytes(), presented.signature.as_bytes()) {
            Ok(())
        } else {
            Err(signature_mismatch())
        }
    }

    fn verify_presigned(
        &self,
        method: &str,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
        query: &str,
    ) -> Result<(), EmulatorError> {
        let mut signing_values: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
        let mut remaining_pairs = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (raw_name, _) = pair.split_once('=').unwrap_or((pair, ""));
            let name = percent_decode(raw_name);
            if PRESIGN_PARAMETERS.contains(&name.as_ref()) {
                signing_values.extend(form_pairs(pair));
            } else {
                remaining_pairs.push(pair);
            }
        }
        let value = |name: &str| -> Option<&str> {
            signing_values
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_ref())
        };
        let (
            Some(algorithm),
            Some(credential),
            Some(request_time),
            Some(signed_headers),
            Some(signature),
        ) = (
            value("X-Amz-Algorithm"),
            value("X-Amz-Credential"),
            value("X-Amz-Date"),
            value("X-Amz-SignedHeaders"),
            value("X-Amz-Signature"),
        )
        else {
            return Err(incomplete(
                "A presigned request requires X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, \
                 X-Amz-SignedHeaders and X-Amz-Signature",
            ));
        };
        if algorithm != ALGORITHM {
            return Err(incomplete(format!("X-Amz-Algorithm must be {ALGORITHM}")));
        }
        let expires_in = value("X-Amz-Expires")
            .unwrap_or("900")
            .parse::<u64>()
            .ok()
            .filter(|seconds| *seconds <= MAX_PRESIGNED_EXPIRY)
            .ok_or_else(|| {
                incomplete("X-Amz-Expires must be a number of seconds of at most 604800")
            })?;
        let (access_key_id, scope_date, scope_region, scope_service) = parse_credential(credential)
            .ok_or_else(|| incomplete("X-Amz-Credential is malformed"))?;
        let presented = PresentedSignature {
            access_key_id,
            scope_date,
            scope_region,
            scope_service,
            signed_headers: signed_headers.split(';').collect(),
            signature,
            request_time,
        };
        let time = self.check_presented(&presented, now)?;
        if time > now + MAX_CLOCK_SKEW {
            return Err(invalid_signature("Signature not yet current"));
        }
        if now > time + Duration::from_secs(expires_in) {
            return Err(invalid_signature(format!(
                "Signature expired: the presigned request from {request_time} was valid for {expires_in} seconds"
            )));
        }
        let session_token = value("X-Amz-Security-Token");
        let path_and_query = if remaining_pairs.is_empty() {
            uri.path().to_string()
        } else {
            format!("{}?{}", uri.path(), remaining_pairs.join("&"))
        };
        let mut settings = SigningSettings::default();
        settings.excluded_headers = Some(Vec::new());
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(expires_in));
        // Presigners hash "UNSIGNED-PAYLOAD" since the body is unknown when the URL is made;
        // a presigned request whose signer hashed the actual body is accepted too.
        for body_hash in [SignableBody::UnsignedPayload, SignableBody::Bytes(body)] {
            let computed = self.sign_again(
                method,
                &path_and_query,
                headers,
                &presented.signed_headers,
                body_hash,
                session_token,
                settings.clone(),
                time,
            )?;
            if constant_time_equal(computed.as_bytes(), presented.signature.as_bytes()) {
                return Ok(());
            }
        }
        Err(signature_mismatch())
    }

    /// Checks who signed, for which scope and when; returns the signing time.
    fn check_presented(
        &self,
        presented: &PresentedSignature<'_>,
        _now: SystemTime,
    ) -> Result<SystemTime, EmulatorError> {
        if presented.access_key_id != self.access_key_id {
            return Err(EmulatorError::new(
                403,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            ));
        }
        let time = parse_amz_date(presented.request_time).ok_or_else(|| {
            incomplete(format!(
                "Date must be in ISO-8601 'basic format'. Got '{}'",
                presented.request_time
            ))
        })?;
        if presented.scope_service != SERVICE {
            return Err(invalid_signature(format!(
                "Credential should be scoped to correct service: '{SERVICE}'."
            )));
        }
        if presented.scope_region != self.region {
            return Err(invalid_signature(format!(
                "Credential should be scoped to a valid region, not '{}'. The emulator serves '{}'.",
                presented.scope_region, self.region
            )));
        }
        if !presented.request_time.starts_with(presented.scope_date)
            || presented.scope_date.len() != 8
        {
            return Err(invalid_signature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
            ));
        }
        Ok(time)
    }

    /// Signs the rebuilt request with `aws-sigv4` and returns the hex signature.
    #[allow(clippy::too_many_arguments)]
    fn sign_again(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &HeaderMap,
        signed_headers: &[&str],
        body: SignableBody<'_>,
        session_token: Option<&str>,
        mut settings: SigningSettings,
        time: SystemTime,
    ) -> Result<String, EmulatorError> {
        let with_token;
        let identity = match session_token {
            Some(token) => {
                settings.session_token_mode = SessionTokenMode::Include;
                with_token = Identity::from(Credentials::new(
                    &self.access_key_id,
                    &self.secret_access_key,
                    Some(token.to_string()),
                    None,
                    "ivs-emulator",
                ));
                &with_token
            }
            None => &self.identity,
        };
        let mut request_headers = Vec::with_capacity(signed_headers.len());
        for name in signed_headers {
            if SIGNER_ADDED_HEADERS.contains(name) {
                continue;
            }
            let mut values = headers.get_all(*name).iter().peekable();
            if values.peek().is_none() {
                // A header that was signed but did not arrive cannot match.
                return Err(signature_mismatch());
            }
            for value in values {
                let value = value.to_str().map_err(|_| signature_mismatch())?;
                request_headers.push((*name, value));
            }
        }
        let signable =
            SignableRequest::new(method, path_and_query, request_headers.into_iter(), body)
                .map_err(|_| signature_mismatch())?;
        let params = v4::SigningParams::builder()
            .identity(identity)
            .region(&self.region)
            .name(SERVICE)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|error| EmulatorError::internal(error.to_string()))?
            .into();
        let output = sign(signable, &params).map_err(|_| signature_mismatch())?;
        Ok(output.signature().to_string())
    }
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// Compares without stopping at the first difference, so timing does not reveal how much of a
/// forged signature was right.
fn constant_time_equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn form_pairs(pair: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
    std::iter::once((percent_decode(name), percent_decode(value)))
}

/// Decodes `%XX` escapes and `+` (as a space), as query strings are written.
pub fn percent_decode(text: &str) -> Cow<'_, str> {
    decode_escapes(text, true)
}

/// Decodes `%XX` escapes in a path segment, where `+` is itself.
pub fn percent_decode_path(text: &str) -> Cow<'_, str> {
    decode_escapes(text, false)
}

fn decode_escapes(text: &str, plus_is_space: bool) -> Cow<'_, str> {
    let needs_decoding = text.contains('%') || (plus_is_space && text.contains('+'));
    if !needs_decoding {
        return Cow::Borrowed(text);
    }
    let hex_value = |byte: u8| (byte as char).to_digit(16).map(|digit| digit as u8);
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escaped = (byte == b'%')
            .then(|| {
                Some((
                    hex_value(*bytes.get(index + 1)?)?,
                    hex_value(*bytes.get(index + 2)?)?,
                ))
            })
            .flatten();
        match escaped {
            Some((high, low)) => {
                decoded.push(high << 4 | low);
                index += 3;
            }
            None => {
                decoded.push(if plus_is_space && byte == b'+' {
                    b' '
                } else {
                    byte
                });
                index += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&decoded).into_owned())
}
