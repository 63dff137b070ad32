//! The embedded IVS emulator, for tests and demos.

use std::sync::Mutex;
use std::time::Duration;

use libivs_core::{Emulator, EmulatorConfig, EmulatorInfo, Error, Fault, FaultKind};
use pyo3::prelude::*;

use crate::errors::{guard, to_pyerr};
use crate::output::json_to_py;

#[pyclass(frozen, module = "libivs._libivs")]
pub struct NativeEmulator {
    inner: Mutex<Option<Emulator>>,
    /// Kept for the getters, which answer after `stop()` too.
    info: EmulatorInfo,
}

fn emulator_error(py: Python<'_>, problem: impl std::fmt::Display) -> PyErr {
    to_pyerr(py, &Error::emulator(problem), None)
}

impl NativeEmulator {
    fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&Emulator) -> PyResult<T>) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(emulator) => f(emulator),
            None => Err(emulator_error(py, "the emulator has been stopped")),
        }
    }
}

#[pymethods]
impl NativeEmulator {
    #[new]
    #[pyo3(signature = (host="127.0.0.1", port=0, region="us-west-2", account_id="123456789012", access_key_id="test", secret_access_key="test", worker_threads=0, rtmp_port=0, rtmps_port=0, stream_end_delay=0.0, recording_configuration_delay=0.0, quotas=false, events_webhook_url=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        host: &str,
        port: u16,
        region: &str,
        account_id: &str,
        access_key_id: &str,
        secret_access_key: &str,
        worker_threads: usize,
        rtmp_port: u16,
        rtmps_port: u16,
        stream_end_delay: f64,
        recording_configuration_delay: f64,
        quotas: bool,
        events_webhook_url: Option<String>,
    ) -> PyResult<Self> {
        guard(py, || {
            let seconds = |value: f64, name: &str| {
                if value.is_finite() && (0.0..=3600.0).contains(&value) {
                    Ok(Duration::from_secs_f64(value))
                } else {
                    Err(emulator_error(
                        py,
                        format!("{name} must be from 0 to 3600 seconds"),
                    ))
                }
            };
            let config = EmulatorConfig {
                host: host.to_owned(),
                port,
                region: region.to_owned(),
                account_id: account_id.to_owned(),
                access_key_id: access_key_id.to_owned(),
                secret_access_key: secret_access_key.to_owned(),
                worker_threads,
                rtmp_port,
                rtmps_port,
                stream_end_delay: seconds(stream_end_delay, "stream_end_delay")?,
                recording_configuration_delay: seconds(
                    recording_configuration_delay,
                    "recording_configuration_delay",
                )?,
                quotas,
                events_webhook_url,
            };
            let emulator = py
                .detach(|| Emulator::start(config))
                .map_err(|e| to_pyerr(py, &Error::emulator_cannot_listen(&e), None))?;
            Ok(NativeEmulator {
                info: emulator.info(),
                inner: Mutex::new(Some(emulator)),
            })
        })
    }

    #[getter]
    fn url(&self) -> &str {
        &self.info.url
    }
    #[getter]
    fn rtmp_url(&self) -> &str {
        &self.info.rtmp_url
    }
    #[getter]
    fn rtmps_url(&self) -> &str {
        &self.info.rtmps_url
    }

    /// The EventBridge events from cursor `since` on: `{"events": [...], "cursor": n}`.
    fn events<'py>(&self, py: Python<'py>, since: u64) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let events = self.with(py, |e| Ok(e.events(since)))?;
            json_to_py(py, &events, None)
        })
    }

    #[getter]
    fn region(&self) -> &str {
        &self.info.region
    }
    #[getter]
    fn account_id(&self) -> &str {
        &self.info.account_id
    }
    #[getter]
    fn access_key_id(&self) -> &str {
        &self.info.access_key_id
    }
    #[getter]
    fn secret_access_key(&self) -> &str {
        &self.info.secret_access_key
    }
    #[getter]
    fn running(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// The channel's playback URL as this emulator serves it (scheme and host replaced).
    fn local_playback_url(&self, py: Python<'_>, playback_url: &str) -> PyResult<String> {
        guard(py, || {
            self.with(py, |e| Ok(e.local_playback_url(playback_url)))
        })
    }

    /// Simulates a broadcaster: `{"channelArn", "streamId"}`.
    fn start_stream<'py>(&self, py: Python<'py>, stream_key: &str) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let started = self.with(py, |e| {
                e.start_stream(stream_key)
                    .map_err(|err| emulator_error(py, err))
            })?;
            json_to_py(py, &started, None)
        })
    }

    fn stop_stream(&self, py: Python<'_>, channel_arn: &str) -> PyResult<()> {
        guard(py, || {
            self.with(py, |e| {
                e.stop_stream(channel_arn)
                    .map_err(|err| emulator_error(py, err))
            })
        })
    }

    /// Arms a fault: `status` (429, 500, 503), `delay` (seconds) or `reset` (drop the connection).
    #[pyo3(signature = (operation="*", count=1, status=None, delay=None, reset=false))]
    fn inject_fault(
        &self,
        py: Python<'_>,
        operation: &str,
        count: u32,
        status: Option<u16>,
        delay: Option<f64>,
        reset: bool,
    ) -> PyResult<()> {
        guard(py, || {
            let kind = match (status, delay, reset) {
                (Some(status), None, false) => FaultKind::Status(status),
                (None, Some(seconds), false) if seconds.is_finite() && seconds >= 0.0 => {
                    FaultKind::Delay(Duration::from_secs_f64(seconds))
                }
                (None, None, true) => FaultKind::ResetConnection,
                _ => {
                    return Err(emulator_error(
                        py,
                        "give exactly one of status=, delay= (seconds) or reset=True",
                    ))
                }
            };
            // The emulator normalises the name (`list_channels`) and refuses unknown ones.
            let fault = Fault {
                operation: operation.to_owned(),
                count,
                kind,
            };
            self.with(py, |e| {
                e.inject_fault(fault).map_err(|err| emulator_error(py, err))
            })
        })
    }

    /// Forgets every resource, stream and fault.
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, || {
            self.with(py, |e| {
                e.reset();
                Ok(())
            })
        })
    }

    /// Stops serving; idempotent.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        guard(py, || {
            let emulator = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(emulator) = emulator {
                py.detach(move || emulator.stop());
            }
            Ok(())
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Emulator(url={:?}, region={:?})",
            self.info.url, self.info.region
        )
    }
}
