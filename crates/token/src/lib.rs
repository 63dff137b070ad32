//! IVS playback tokens for private (`authorized`) channels: ES384 JWTs whose claims IVS reads
//! (`aws:channel-arn`, `exp` in seconds, ...), signed and verified with RustCrypto's `p384`
//! (ECDSA over P-384 with SHA-384, RFC 6979 nonces). Only the JWT framing (base64url of two JSON
//! objects and the fixed-size `r‖s` signature) is written here.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p384::ecdsa::signature::{Signer, Verifier};
use p384::ecdsa::{Signature, SigningKey, VerifyingKey};
use p384::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use serde_json::{json, Map, Value};

/// IVS refuses `aws:viewer-id` and `aws:single-use-uuid` tokens that expire later than this.
pub const MAX_VIEWER_TOKEN_LIFETIME: Duration = Duration::from_secs(600);
/// The lifetime of a token when neither `expires_at` nor `expires_in` is given.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(600);
pub const MAX_VIEWER_ID_CHARS: usize = 40;
const HEADER: &str = r#"{"alg":"ES384","typ":"JWT"}"#;

/// What went wrong with a key, claims or token. Never carries key material or token text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub kind: TokenErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenErrorKind {
    /// The PEM is not a P-384 key of the expected kind.
    InvalidKey,
    /// The claims break IVS's rules (missing channel ARN, viewer id too long, ...).
    InvalidClaims,
    /// Not a well-formed ES384 JWT.
    MalformedToken,
    /// The signature does not verify with the key.
    BadSignature,
    /// `exp` is in the past.
    Expired,
}

impl TokenError {
    fn new(kind: TokenErrorKind, message: impl Into<String>) -> Self {
        TokenError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {}

/// The claims of a playback token, by IVS's names: `aws:channel-arn`,
/// `aws:access-control-allow-origin`, `aws:strict-origin-enforcement`, `aws:single-use-uuid`,
/// `aws:viewer-id`, `aws:viewer-session-version`, `aws:maximum-resolution`, `exp`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaybackClaims {
    pub channel_arn: String,
    pub access_control_allow_origin: Option<String>,
    pub strict_origin_enforcement: Option<bool>,
    pub single_use_uuid: Option<String>,
    pub viewer_id: Option<String>,
    pub viewer_session_version: Option<i64>,
    /// `SD`, `HD` or `FULL_HD`.
    pub maximum_resolution: Option<String>,
    /// Expiry as seconds since the Unix epoch; wins over `expires_in`.
    pub expires_at: Option<u64>,
    /// Expiry as a lifetime from now.
    pub expires_in: Option<Duration>,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn claim_error(message: impl Into<String>) -> TokenError {
    TokenError::new(TokenErrorKind::InvalidClaims, message)
}

impl PlaybackClaims {
    /// Reads claims from JSON. Each key may be given as IVS names it (`aws:channel-arn`, `exp`),
    /// in snake_case (`channel_arn`, `expires_at`, `expires_in`) or camelCase (`channelArn`).
    pub fn from_json(value: &Value) -> Result<Self, TokenError> {
        let entries = value
            .as_object()
            .ok_or_else(|| claim_error("the claims must be an object"))?;
        let mut claims = PlaybackClaims::default();
        let mut channel_arn = None;
        for (key, value) in entries {
            if value.is_null() {
                continue;
            }
            let text = || {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| claim_error(format!("claim {key} must be a string")))
            };
            let integer = || {
                value
                    .as_i64()
                    .ok_or_else(|| claim_error(format!("claim {key} must be an integer")))
            };
            match key.as_str() {
                "aws:channel-arn" | "channel_arn" | "channelArn" => channel_arn = Some(text()?),
                "aws:access-control-allow-origin"
                | "access_control_allow_origin"
                | "accessControlAllowOrigin" => claims.access_control_allow_origin = Some(text()?),
                "aws:strict-origin-enforcement"
                | "strict_origin_enforcement"
                | "strictOriginEnforcement" => {
                    claims.strict_origin_enforcement =
                        Some(value.as_bool().ok_or_else(|| {
                            claim_error(format!("claim {key} must be true or false"))
                        })?)
                }
                "aws:single-use-uuid" | "single_use_uuid" | "singleUseUuid" => {
                    claims.single_use_uuid = Some(text()?)
                }
                "aws:viewer-id" | "viewer_id" | "viewerId" => claims.viewer_id = Some(text()?),
                "aws:viewer-session-version"
                | "viewer_session_version"
                | "viewerSessionVersion" => claims.viewer_session_version = Some(integer()?),
                "aws:maximum-resolution" | "maximum_resolution" | "maximumResolution" => {
                    claims.maximum_resolution = Some(text()?)
                }
                "exp" | "expires_at" | "expiresAt" => {
                    let at = integer()?;
                    claims.expires_at = Some(u64::try_from(at).map_err(|_| {
                        claim_error(format!(
                            "claim {key} must be seconds since 1970, not negative"
                        ))
                    })?)
                }
                "expires_in" | "expiresIn" => {
                    let seconds = value
                        .as_f64()
                        .filter(|s| s.is_finite() && *s > 0.0)
                        .ok_or_else(|| {
                            claim_error(format!("{key} must be a positive number of seconds"))
                        })?;
                    claims.expires_in = Some(Duration::from_secs_f64(seconds))
                }
                other => {
                    return Err(claim_error(format!(
                        "unknown playback token claim {other:?}"
                    )))
                }
            }
        }
        claims.channel_arn =
            channel_arn.ok_or_else(|| claim_error("aws:channel-arn is required"))?;
        Ok(claims)
    }

    /// The JWT payload, checked against IVS's rules.
    pub fn to_payload(&self) -> Result<Value, TokenError> {
        if !self.channel_arn.starts_with("arn:aws") || !self.channel_arn.contains(":channel/") {
            return Err(claim_error(
                "aws:channel-arn must be a channel ARN (arn:aws:ivs:<region>:<account>:channel/<id>)",
            ));
        }
        let now = unix_now();
        let exp = match (self.expires_at, self.expires_in) {
            (Some(at), _) => at,
            (None, Some(lifetime)) => now + lifetime.as_secs().max(1),
            (None, None) => now + DEFAULT_TOKEN_LIFETIME.as_secs(),
        };
        let mut payload = Map::new();
        payload.insert("aws:channel-arn".into(), json!(self.channel_arn));
        if let Some(origin) = &self.access_control_allow_origin {
            payload.insert("aws:access-control-allow-origin".into(), json!(origin));
        }
        if let Some(strict) = self.strict_origin_enforcement {
            payload.insert("aws:strict-origin-enforcement".into(), json!(strict));
        }
        if let Some(uuid) = &self.single_use_uuid {
            payload.insert("aws:single-use-uuid".into(), json!(uuid));
        }
        if let Some(viewer_id) = &self.viewer_id {
            let length = viewer_id.chars().count();
            if length == 0 || length > MAX_VIEWER_ID_CHARS {
                return Err(claim_error(format!(
                    "aws:viewer-id must be 1 to {MAX_VIEWER_ID_CHARS} characters, not {length}"
                )));
            }
            payload.insert("aws:viewer-id".into(), json!(viewer_id));
        }
        if let Some(version) = self.viewer_session_version {
            if self.viewer_id.is_none() {
                return Err(claim_error(
                    "aws:viewer-session-version needs aws:viewer-id",
                ));
            }
            payload.insert("aws:viewer-session-version".into(), json!(version));
        }
        if let Some(resolution) = &self.maximum_resolution {
            if !matches!(resolution.as_str(), "SD" | "HD" | "FULL_HD") {
                return Err(claim_error(format!(
                    "aws:maximum-resolution must be SD, HD or FULL_HD, not {resolution:?}"
                )));
            }
            payload.insert("aws:maximum-resolution".into(), json!(resolution));
        }
        if (self.viewer_id.is_some() || self.single_use_uuid.is_some())
            && exp > now + MAX_VIEWER_TOKEN_LIFETIME.as_secs()
        {
            return Err(claim_error(
                "tokens with aws:viewer-id or aws:single-use-uuid must expire within 10 minutes",
            ));
        }
        payload.insert("exp".into(), json!(exp));
        Ok(Value::Object(payload))
    }
}

fn signing_key(private_key_pem: &str) -> Result<SigningKey, TokenError> {
    let secret = if private_key_pem.contains("BEGIN EC PRIVATE KEY") {
        p384::SecretKey::from_sec1_pem(private_key_pem).ok()
    } else {
        p384::SecretKey::from_pkcs8_pem(private_key_pem).ok()
    };
    secret.map(SigningKey::from).ok_or_else(|| {
        TokenError::new(
            TokenErrorKind::InvalidKey,
            "the private key must be a P-384 (secp384r1) EC key in PEM, PKCS#8 (BEGIN PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY)",
        )
    })
}

fn verifying_key(public_key_pem: &str) -> Result<VerifyingKey, TokenError> {
    VerifyingKey::from_public_key_pem(public_key_pem.trim()).map_err(|_| {
        TokenError::new(
            TokenErrorKind::InvalidKey,
            "the public key must be a P-384 (secp384r1) EC public key in PEM (BEGIN PUBLIC KEY)",
        )
    })
}

/// Signs a playback token for `claims` with a P-384 private key in PEM.
pub fn sign_playback_token(
    private_key_pem: &str,
    claims: &PlaybackClaims,
) -> Result<String, TokenError> {
    let key = signing_key(private_key_pem)?;
    let payload = claims.to_payload()?;
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let signature: Signature = key.sign(signing_input.as_bytes());
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

fn malformed(message: &str) -> TokenError {
    TokenError::new(TokenErrorKind::MalformedToken, message)
}

/// Checks the token's form and signature and answers its claims, without looking at `exp`.
pub fn decode_verified(public_key_pem: &str, token: &str) -> Result<Value, TokenError> {
    let key = verifying_key(public_key_pem)?;
    let mut parts = token.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("a playback token has three dot-separated parts"));
    };
    let decode_json = |part: &str| -> Result<Value, TokenError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| malformed("a token part is not base64url"))?;
        serde_json::from_slice(&bytes).map_err(|_| malformed("a token part is not JSON"))
    };
    let header_json = decode_json(header)?;
    if header_json["alg"] != "ES384" {
        return Err(malformed("the token's alg must be ES384"));
    }
    let claims = decode_json(payload)?;
    if !claims.is_object() {
        return Err(malformed("the token's claims must be an object"));
    }
    let signature_bytes = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| malformed("the token's signature is not base64url"))?;
    let signature = Signature::from_slice(&signature_bytes)
        .map_err(|_| malformed("the token's signature is not a P-384 r‖s signature"))?;
    let signing_input = &token.trim()[..header.len() + 1 + payload.len()];
    key.verify(signing_input.as_bytes(), &signature)
        .map_err(|_| {
            TokenError::new(
                TokenErrorKind::BadSignature,
                "the token's signature does not verify with this key",
            )
        })?;
    Ok(claims)
}

/// Verifies a playback token with a P-384 public key in PEM and answers its claims; a token
/// whose `exp` has passed is an `Expired` error.
pub fn verify_playback_token(public_key_pem: &str, token: &str) -> Result<Value, TokenError> {
    let claims = decode_verified(public_key_pem, token)?;
    match claims["exp"].as_u64() {
        Some(exp) if exp > unix_now() => Ok(claims),
        Some(_) => Err(TokenError::new(
            TokenErrorKind::Expired,
            "the token has expired",
        )),
        None => Err(malformed("the token has no numeric exp claim")),
    }
}

/// A P-384 key pair: the private key as PKCS#8 PEM, the public key as PEM ready for
/// ImportPlaybackKeyPair. `Debug` never shows the private key.
#[derive(Clone)]
pub struct PlaybackKeyPair {
    pub private_key_pem: String,
    pub public_key_pem: String,
}

impl fmt::Debug for PlaybackKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlaybackKeyPair")
            .field("private_key_pem", &"*** Sensitive Data Redacted ***")
            .field("public_key_pem", &self.public_key_pem)
            .finish()
    }
}

/// Generates a new P-384 key pair from the operating system's random source.
pub fn generate_key_pair() -> PlaybackKeyPair {
    let secret = p384::SecretKey::random(&mut rand_core::OsRng);
    let private_key_pem = secret
        .to_pkcs8_pem(LineEnding::LF)
        .expect("a fresh P-384 key encodes")
        .to_string();
    let public_key_pem = secret
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("a P-384 public key encodes");
    PlaybackKeyPair {
        private_key_pem,
        public_key_pem,
    }
}

/// IVS-style fingerprint of a public key: hex SHA-256 of its DER SubjectPublicKeyInfo.
pub fn public_key_fingerprint(public_key_pem: &str) -> Result<String, TokenError> {
    use sha2::Digest;
    let key = verifying_key(public_key_pem)?;
    let der = key.to_public_key_der().map_err(|_| {
        TokenError::new(
            TokenErrorKind::InvalidKey,
            "the public key cannot be encoded",
        )
    })?;
    Ok(hex::encode(sha2::Sha256::digest(der.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";

    fn claims() -> PlaybackClaims {
        PlaybackClaims {
            channel_arn: ARN.into(),
            ..Default::default()
        }
    }

    #[test]
    fn signs_and_verifies() {
        let pair = generate_key_pair();
        let token = sign_playback_token(&pair.private_key_pem, &claims()).unwrap();
        let verified = verify_playback_token(&pair.public_key_pem, &token).unwrap();
        assert_eq!(verified["aws:channel-arn"], ARN);
        let exp = verified["exp"].as_u64().unwrap();
        assert!(
            exp > unix_now() && exp <= unix_now() + 601,
            "exp is in seconds"
        );
        let header = URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap();
        assert_eq!(header, HEADER.as_bytes());
    }

    #[test]
    fn rejects_other_keys_tampering_and_expiry() {
        let pair = generate_key_pair();
        let other = generate_key_pair();
        let token = sign_playback_token(&pair.private_key_pem, &claims()).unwrap();
        let err = verify_playback_token(&other.public_key_pem, &token).unwrap_err();
        assert_eq!(err.kind, TokenErrorKind::BadSignature);
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(r#"{"aws:channel-arn":"x","exp":99999999999}"#);
        parts[1] = &forged;
        let err = verify_playback_token(&pair.public_key_pem, &parts.join(".")).unwrap_err();
        assert_eq!(err.kind, TokenErrorKind::BadSignature);
        let expired = PlaybackClaims {
            expires_at: Some(unix_now() - 5),
            ..claims()
        };
        let token = sign_playback_token(&pair.private_key_pem, &expired).unwrap();
        let err = verify_playback_token(&pair.public_key_pem, &token).unwrap_err();
        assert_eq!(err.kind, TokenErrorKind::Expired);
        assert_eq!(
            verify_playback_token(&pair.public_key_pem, "a.b")
                .unwrap_err()
                .kind,
            TokenErrorKind::MalformedToken
        );
    }

    #[test]
    fn enforces_ivs_claim_rules() {
        let pair = generate_key_pair();
        let long_viewer = PlaybackClaims {
            viewer_id: Some("v".repeat(41)),
            ..claims()
        };
        assert_eq!(
            sign_playback_token(&pair.private_key_pem, &long_viewer)
                .unwrap_err()
                .kind,
            TokenErrorKind::InvalidClaims
        );
        let far_viewer = PlaybackClaims {
            viewer_id: Some("viewer".into()),
            expires_in: Some(Duration::from_secs(3600)),
            ..claims()
        };
        assert!(sign_playback_token(&pair.private_key_pem, &far_viewer).is_err());
        let bad_resolution = PlaybackClaims {
            maximum_resolution: Some("4K".into()),
            ..claims()
        };
        assert!(sign_playback_token(&pair.private_key_pem, &bad_resolution).is_err());
        let from_json = PlaybackClaims::from_json(&json!({
            "channelArn": ARN, "aws:viewer-id": "v1", "viewer_session_version": 2, "expiresIn": 60
        }))
        .unwrap();
        let token = sign_playback_token(&pair.private_key_pem, &from_json).unwrap();
        let verified = verify_playback_token(&pair.public_key_pem, &token).unwrap();
        assert_eq!(verified["aws:viewer-session-version"], 2);
        assert!(PlaybackClaims::from_json(&json!({"viewer_id": "x"})).is_err());
        assert!(PlaybackClaims::from_json(&json!({"channel_arn": ARN, "nope": 1})).is_err());
    }

    #[test]
    fn accepts_sec1_keys_and_refuses_other_curves() {
        let secret = p384::SecretKey::random(&mut rand_core::OsRng);
        let sec1 = secret.to_sec1_pem(LineEnding::LF).unwrap();
        let token = sign_playback_token(&sec1, &claims()).unwrap();
        let public = secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        assert!(verify_playback_token(&public, &token).is_ok());
        let err = sign_playback_token(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
            &claims(),
        )
        .unwrap_err();
        assert_eq!(err.kind, TokenErrorKind::InvalidKey);
        assert!(!format!("{:?}", generate_key_pair()).contains("PRIVATE KEY"));
    }

    #[test]
    fn fingerprints_are_stable() {
        let pair = generate_key_pair();
        let a = public_key_fingerprint(&pair.public_key_pem).unwrap();
        assert_eq!(a, public_key_fingerprint(&pair.public_key_pem).unwrap());
        assert_eq!(a.len(), 64);
    }
}
