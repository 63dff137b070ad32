//! Playback key pairs: ImportPlaybackKeyPair (P-384 public keys, at most three).

use p384::pkcs8::{DecodePublicKey, EncodePublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::common::{tags_of, text, Input, Outcome};
use crate::error::EmulatorError;
use crate::state::{ResourceKind, State};

const MAX_PLAYBACK_KEY_PAIRS: usize = 3;

pub fn import_playback_key_pair(state: &mut State, input: &Input) -> Outcome {
    let invalid = || {
        EmulatorError::validation(
            "publicKeyMaterial must be a P-384 (secp384r1) public key in PEM format",
        )
    };
    let public_key = p384::PublicKey::from_public_key_pem(text(input, "publicKeyMaterial").trim())
        .map_err(|_| invalid())?;
    let der = public_key.to_public_key_der().map_err(|_| invalid())?;
    // IVS writes fingerprints as colon-separated bytes (`9f:3a:...`).
    let fingerprint = Sha256::digest(der.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    let key_pairs = state.list(ResourceKind::PlaybackKeyPair);
    if key_pairs
        .iter()
        .any(|pair| pair.body["fingerprint"] == fingerprint.as_str())
    {
        return Err(EmulatorError::conflict(
            "A playback key pair with this public key has already been imported",
        ));
    }
    if key_pairs.len() >= MAX_PLAYBACK_KEY_PAIRS {
        return Err(EmulatorError::quota_exceeded(format!(
            "Request would exceed the quota of {MAX_PLAYBACK_KEY_PAIRS} playback key pairs"
        )));
    }
    let tags = tags_of(input)?;
    let arn = state.new_arn(ResourceKind::PlaybackKeyPair);
    state.playback_public_keys.insert(
        arn.clone(),
        text(input, "publicKeyMaterial").trim().to_string(),
    );
    let body = json!({
        "arn": arn,
        "name": text(input, "name"),
        "fingerprint": fingerprint,
        "tags": tags,
    });
    let Value::Object(body) = body else {
        unreachable!("json! of an object literal is an object")
    };
    Ok(json!({ "keyPair": state.insert(ResourceKind::PlaybackKeyPair, body) }))
}
