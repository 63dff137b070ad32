//! Playback tokens for private channels (the core's `sign_playback_token` & co.).

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{py_to_json, Purpose};
use crate::errors::{guard, OrRaise};
use crate::output::json_to_py;

/// Signs an ES384 playback token; `claims` is a dict of the core's claim keys.
#[pyfunction]
#[pyo3(signature = (private_key_pem, claims: "dict[str, Any]"))]
pub fn sign_playback_token(
    py: Python<'_>,
    private_key_pem: &str,
    claims: &Bound<'_, PyDict>,
) -> PyResult<String> {
    guard(py, || {
        let claims = py_to_json(py, claims.as_any(), "claims", Purpose::Other)?;
        libivs_core::sign_playback_token(private_key_pem, &claims).or_raise(py)
    })
}

/// Verifies a playback token's signature and expiry; answers its claims.
#[pyfunction]
#[pyo3(signature = (public_key_pem, token) -> "dict[str, Any]")]
pub fn verify_playback_token<'py>(
    py: Python<'py>,
    public_key_pem: &str,
    token: &str,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let claims = libivs_core::verify_playback_token(public_key_pem, token).or_raise(py)?;
        json_to_py(py, &claims)
    })
}

/// A new P-384 key pair as `(private_key_pem, public_key_pem)`.
#[pyfunction]
pub fn generate_playback_key_pair(py: Python<'_>) -> PyResult<(String, String)> {
    guard(py, || {
        let pair = libivs_core::generate_playback_key_pair();
        Ok((pair.private_key_pem.clone(), pair.public_key_pem.clone()))
    })
}
