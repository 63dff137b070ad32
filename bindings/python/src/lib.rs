//! Python extension for libivs: the native half of the `libivs` package (`libivs._libivs`).
//!
//! It is a translator: Python values in, [`libivs_core`] calls, Python values and exceptions out.
//! Nothing here knows an IVS operation by name; the methods per operation are generated Python
//! (`python/libivs/_operations.py`) that call [`client::NativeClient::call`] with the wire name.
//!
//! Threading: every wait on the shared runtime releases the GIL (`py.detach`) and wakes every
//! 50 ms to let Ctrl-C through. The asyncio side never blocks: completions are queued by runtime
//! tasks and drained on the event-loop thread through a socket registered with `loop.add_reader`
//! (see [`bridge`]).

mod bridge;
mod client;
mod convert;
mod emulator;
mod errors;
mod log;
mod output;
mod paginator;
mod playback;

use pyo3::prelude::*;

/// The modeled IVS errors as `(code, http_status)` pairs, in model order.
#[pyfunction]
fn error_shapes() -> Vec<(&'static str, u16)> {
    libivs_core::error_shapes().collect()
}

/// `(snake_name, wire_name, result_key or None)` of every operation, from the core's table.
#[pyfunction]
fn operations() -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    libivs_core::OPERATIONS
        .iter()
        .map(|op| (op.snake_name, op.name, op.paginator.map(|p| p.result_key)))
        .collect()
}

/// Called once by `libivs/__init__.py` with the function that builds exception instances;
/// reads `LIBIVS_LOG` (the module has no init function: its stub is generated from these
/// declarations, which an init function would hide).
#[pyfunction]
fn _init(py: Python<'_>, error_factory: Py<PyAny>) -> PyResult<()> {
    libivs_core::log::init_from_env();
    errors::set_factory(py, error_factory)
}

/// For the test suite (feature `test-hooks`): panics in `place` ("entry", "blocking" or "async", with `bridge` and
/// `future`), to show that a panic reaches Python as `libivs.InternalError`.
#[cfg(feature = "test-hooks")]
#[pyfunction]
#[pyo3(signature = (place, bridge=None, future=None))]
fn _test_panic(
    py: Python<'_>,
    place: &str,
    bridge: Option<&bridge::Bridge>,
    future: Option<Py<PyAny>>,
) -> PyResult<Option<bridge::PendingCall>> {
    errors::guard(py, || match (place, bridge, future) {
        ("blocking", _, _) => {
            bridge::wait::<(), _>(py, async { panic!("test panic on the runtime") }, None)?;
            Ok(None)
        }
        ("async", Some(bridge), Some(future)) => Ok(Some(bridge.submit(future, None, async {
            panic!("test panic in an async task")
        }))),
        _ => panic!("test panic at the entry"),
    })
}

/// The module `libivs._libivs`. Declared inline so that pyo3's `experimental-inspect` sees every
/// export: `_libivs.pyi` is generated from these declarations (`make python-stubs`).
#[pymodule]
mod _libivs {
    #[pymodule_export]
    use super::{_init, error_shapes, operations};

    #[cfg(feature = "test-hooks")]
    #[pymodule_export]
    use super::_test_panic;

    #[pymodule_export]
    use crate::log::{_set_log_emitter, _set_log_level};

    #[pymodule_export]
    use crate::playback::{generate_playback_key_pair, sign_playback_token, verify_playback_token};

    #[pymodule_export]
    use crate::client::NativeClient;

    #[pymodule_export]
    use crate::bridge::{Bridge, PendingCall};

    #[pymodule_export]
    use crate::paginator::NativePaginator;

    #[pymodule_export]
    use crate::emulator::NativeEmulator;

    /// What a secret is replaced with in `repr` and error text.
    #[pymodule_export]
    const REDACTED: &str = libivs_core::REDACTED;

    /// The error codes a playback-token check can answer, from the core.
    #[pymodule_export]
    const PLAYBACK_TOKEN_ERROR_CODES: &[&str] = &libivs_core::playback::PLAYBACK_TOKEN_ERROR_CODES;

    /// The workspace version: libivs.__version__ and the wheel's metadata both come from it.
    #[allow(non_upper_case_globals)]
    #[pymodule_export]
    const __version__: &str = env!("CARGO_PKG_VERSION");
}
