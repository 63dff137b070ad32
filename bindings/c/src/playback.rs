//! Playback tokens for private channels: sign, verify, and make P-384 key pairs.

use std::ffi::c_char;

use crate::convert::{json_arg, json_text, out_arg, owned_c_string, text_arg};
use crate::error::IvsError;
use crate::ffi::{guard, IvsStatus};

/// Signs an ES384 playback token for a private channel. `private_key_pem` is a P-384 key
/// (PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY`); `claims_json` is
/// `{"channel_arn": "...", "viewer_id", "viewer_session_version", "single_use_uuid",
/// "access_control_allow_origin", "strict_origin_enforcement", "maximum_resolution",
/// "expires_at" (Unix seconds) | "expires_in" (seconds, default 600)}` (IVS's claim names such as
/// `"aws:channel-arn"` and `"exp"` work too). `*token` is freed with `ivs_string_free`.
/// Errors (kind `IVS_ERROR_KIND_INVALID_ARGUMENT`): `InvalidPlaybackKey`, `InvalidPlaybackClaims`.
#[no_mangle]
pub unsafe extern "C" fn ivs_sign_playback_token(
    private_key_pem: *const c_char,
    claims_json: *const c_char,
    token: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_sign_playback_token", error, || {
        out_arg(token, "token")?;
        let key = text_arg(private_key_pem, "private_key_pem")?;
        let claims = json_arg(claims_json, "claims_json")?;
        let signed = libivs_core::sign_playback_token(key, &claims)?;
        token.write(owned_c_string(signed)?);
        Ok(IvsStatus::IVS_OK)
    })
}

/// Verifies a playback token's signature and expiry with a P-384 public key in PEM; `*claims_json`
/// (free with `ivs_string_free`) holds its claims by IVS's names. Errors: `InvalidPlaybackKey`,
/// `MalformedPlaybackToken`, `PlaybackTokenSignatureMismatch`, `PlaybackTokenExpired`.
#[no_mangle]
pub unsafe extern "C" fn ivs_verify_playback_token(
    public_key_pem: *const c_char,
    token: *const c_char,
    claims_json: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_verify_playback_token", error, || {
        out_arg(claims_json, "claims_json")?;
        let key = text_arg(public_key_pem, "public_key_pem")?;
        let token = text_arg(token, "token")?;
        let claims = libivs_core::verify_playback_token(key, token)?;
        claims_json.write(owned_c_string(json_text(&claims))?);
        Ok(IvsStatus::IVS_OK)
    })
}

/// Generates a P-384 key pair: `*private_key_pem` (PKCS#8) signs tokens, `*public_key_pem` goes
/// to ImportPlaybackKeyPair. Free both with `ivs_string_free`.
#[no_mangle]
pub unsafe extern "C" fn ivs_generate_playback_key_pair(
    private_key_pem: *mut *mut c_char,
    public_key_pem: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_generate_playback_key_pair", error, || {
        out_arg(private_key_pem, "private_key_pem")?;
        out_arg(public_key_pem, "public_key_pem")?;
        let pair = libivs_core::generate_playback_key_pair();
        let public = owned_c_string(pair.public_key_pem.clone())?;
        private_key_pem.write(owned_c_string(pair.private_key_pem.clone())?);
        public_key_pem.write(public);
        Ok(IvsStatus::IVS_OK)
    })
}
