//! Playback tokens for private channels, in the core's error model, for every face.
//! The cryptography is `libivs-token` (RustCrypto `p384`); this module maps its errors.

use serde_json::Value;

use libivs_token::TokenErrorKind;
pub use libivs_token::{PlaybackClaims, PlaybackKeyPair};

use crate::error::{Error, ErrorKind};

/// The codes of playback key, claim and token errors (kind `invalid_argument`), which each face
/// raises as its `PlaybackTokenError`: the faces take this list, never a copy.
pub const PLAYBACK_TOKEN_ERROR_CODES: [&str; 5] = [
    "InvalidPlaybackKey",
    "InvalidPlaybackClaims",
    "MalformedPlaybackToken",
    "PlaybackTokenSignatureMismatch",
    "PlaybackTokenExpired",
];

fn token_error(error: libivs_token::TokenError) -> Error {
    let [invalid_key, invalid_claims, malformed, mismatch, expired] = PLAYBACK_TOKEN_ERROR_CODES;
    let code = match error.kind {
        TokenErrorKind::InvalidKey => invalid_key,
        TokenErrorKind::InvalidClaims => invalid_claims,
        TokenErrorKind::MalformedToken => malformed,
        TokenErrorKind::BadSignature => mismatch,
        TokenErrorKind::Expired => expired,
    };
    Error::new(ErrorKind::InvalidArgument, code, error.message)
}

/// Signs an ES384 playback token. `claims` is a JSON object with `channel_arn` (required) and
/// optionally `access_control_allow_origin`, `strict_origin_enforcement`, `single_use_uuid`,
/// `viewer_id`, `viewer_session_version`, `maximum_resolution`, and `expires_at` (Unix seconds)
/// or `expires_in` (seconds; default 600) — or the same claims by IVS's names (`aws:channel-arn`,
/// `exp`...). Errors have kind `invalid_argument` and codes `InvalidPlaybackKey` or
/// `InvalidPlaybackClaims`.
pub fn sign_playback_token(private_key_pem: &str, claims: &Value) -> Result<String, Error> {
    let claims = PlaybackClaims::from_json(claims).map_err(token_error)?;
    libivs_token::sign_playback_token(private_key_pem, &claims).map_err(token_error)
}

/// Verifies a playback token's signature and expiry and answers its claims (by IVS's names).
/// Errors: `InvalidPlaybackKey`, `MalformedPlaybackToken`, `PlaybackTokenSignatureMismatch`,
/// `PlaybackTokenExpired`.
pub fn verify_playback_token(public_key_pem: &str, token: &str) -> Result<Value, Error> {
    libivs_token::verify_playback_token(public_key_pem, token).map_err(token_error)
}

/// A new P-384 key pair: `public_key_pem` is ready for ImportPlaybackKeyPair.
pub fn generate_playback_key_pair() -> PlaybackKeyPair {
    libivs_token::generate_key_pair()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn signs_verifies_and_maps_errors() {
        let pair = generate_playback_key_pair();
        let arn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";
        let token =
            sign_playback_token(&pair.private_key_pem, &json!({"channel_arn": arn})).unwrap();
        let claims = verify_playback_token(&pair.public_key_pem, &token).unwrap();
        assert_eq!(claims["aws:channel-arn"], arn);
        let error = sign_playback_token("not a key", &json!({"channel_arn": arn})).unwrap_err();
        assert_eq!(error.code(), "InvalidPlaybackKey");
        let error = sign_playback_token(&pair.private_key_pem, &json!({})).unwrap_err();
        assert_eq!(error.code(), "InvalidPlaybackClaims");
        let other = generate_playback_key_pair();
        let error = verify_playback_token(&other.public_key_pem, &token).unwrap_err();
        assert_eq!(error.code(), "PlaybackTokenSignatureMismatch");
        assert!(!error.to_string().contains(&token));
    }
}
