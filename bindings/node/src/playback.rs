//! Playback tokens and key pairs (the core's, in JavaScript's terms).

use napi_derive::napi;

use crate::convert::parse_json;
use crate::error::guarded;

/// The codes of playback key, claim and token errors (the core's list).
#[napi]
pub fn playback_token_error_codes() -> Vec<String> {
    libivs_core::playback::PLAYBACK_TOKEN_ERROR_CODES
        .map(str::to_owned)
        .to_vec()
}

/// Signs an ES384 playback token; `claims` is JSON of the core's claim keys.
#[napi]
pub fn sign_playback_token(private_key_pem: String, claims: String) -> napi::Result<String> {
    guarded(|| {
        let claims = parse_json(&claims, "the claims")?;
        libivs_core::sign_playback_token(&private_key_pem, &claims)
    })
}

/// Verifies a playback token's signature and expiry; answers its claims as JSON.
#[napi]
pub fn verify_playback_token(public_key_pem: String, token: String) -> napi::Result<String> {
    guarded(|| libivs_core::verify_playback_token(&public_key_pem, &token).map(|c| c.to_string()))
}

/// A new P-384 key pair: `[privateKeyPem, publicKeyPem]`.
#[napi]
pub fn generate_playback_key_pair() -> napi::Result<Vec<String>> {
    guarded(|| {
        let pair = libivs_core::generate_playback_key_pair();
        Ok(vec![
            pair.private_key_pem.clone(),
            pair.public_key_pem.clone(),
        ])
    })
}
