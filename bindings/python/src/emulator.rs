//! The embedded IVS emulator, for tests and demos.

use libivs_core::EmbeddedEmulator;
use pyo3::prelude::*;

use crate::convert::{py_to_json, Purpose};
use crate::errors::{guard, OrRaise};
use crate::output::json_to_py;

#[pyclass(frozen, module = "libivs._libivs")]
pub struct NativeEmulator {
    emulator: EmbeddedEmulator,
}

#[pymethods]
impl NativeEmulator {
    /// `options`: the keyword arguments of `libivs.Emulator` (delays in seconds).
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let options = py_to_json(py, options, "", Purpose::Config)?;
            let emulator = py
                .detach(|| EmbeddedEmulator::start(&options))
                .or_raise(py)?;
            Ok(NativeEmulator { emulator })
        })
    }

    #[getter]
    fn url(&self) -> &str {
        &self.emulator.info().url
    }
    #[getter]
    fn rtmp_url(&self) -> &str {
        &self.emulator.info().rtmp_url
    }
    #[getter]
    fn rtmps_url(&self) -> &str {
        &self.emulator.info().rtmps_url
    }
    #[getter]
    fn region(&self) -> &str {
        &self.emulator.info().region
    }
    #[getter]
    fn account_id(&self) -> &str {
        &self.emulator.info().account_id
    }
    #[getter]
    fn access_key_id(&self) -> &str {
        &self.emulator.info().access_key_id
    }
    #[getter]
    fn secret_access_key(&self) -> &str {
        &self.emulator.info().secret_access_key
    }
    #[getter]
    fn running(&self) -> bool {
        self.emulator.is_running()
    }

    /// The EventBridge events from cursor `since` on: `{"events": [...], "cursor": n}`.
    fn events<'py>(&self, py: Python<'py>, since: u64) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            json_to_py(py, &self.emulator.events(since).or_raise(py)?)
        })
    }

    /// The channel's playback URL as this emulator serves it (scheme and host replaced).
    fn local_playback_url(&self, py: Python<'_>, playback_url: &str) -> PyResult<String> {
        guard(py, || {
            self.emulator.local_playback_url(playback_url).or_raise(py)
        })
    }

    /// Simulates a broadcaster: `{"channelArn", "streamId"}`.
    fn start_stream<'py>(&self, py: Python<'py>, stream_key: &str) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let started = self.emulator.start_stream(stream_key).or_raise(py)?;
            json_to_py(py, &started)
        })
    }

    fn stop_stream(&self, py: Python<'_>, channel_arn: &str) -> PyResult<()> {
        guard(py, || self.emulator.stop_stream(channel_arn).or_raise(py))
    }

    /// Arms a fault: `{"operation", "count", "status" | "delay" (seconds) | "reset"}`.
    fn inject_fault(&self, py: Python<'_>, fault: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || {
            let fault = py_to_json(py, fault, "fault", Purpose::Other)?;
            self.emulator.inject_fault(&fault).or_raise(py)
        })
    }

    /// Forgets every resource, stream and fault.
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, || self.emulator.reset().or_raise(py))
    }

    /// Stops serving; idempotent.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, || {
            py.detach(|| self.emulator.stop());
            Ok(())
        })
    }

    fn __repr__(&self) -> String {
        let info = self.emulator.info();
        format!("Emulator(url={:?}, region={:?})", info.url, info.region)
    }
}
