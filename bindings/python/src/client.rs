//! The native client: one `libivs_core::Client`, driven by operation name from Python.

use libivs_core::{
    operation, Client, ClientConfig, Error, PaginationConfig, Paginator, PreparedCall,
};
use pyo3::prelude::*;

use crate::bridge::{wait, without_gil, Bridge, Done, PendingCall};
use crate::convert::{params_to_json, py_to_json, Purpose};
use crate::errors::{guard, to_pyerr, OrRaise};
use crate::output::{answer_to_py, json_to_py};
use crate::paginator::NativePaginator;

#[pyclass(frozen, module = "libivs._libivs")]
pub struct NativeClient {
    inner: Client,
}

/// The wire name of an operation (for error text), or a libivs error for an unknown one.
fn wire_name(py: Python<'_>, op: &str) -> PyResult<&'static str> {
    operation(op)
        .map(|spec| spec.name)
        .ok_or_else(|| to_pyerr(py, &Error::unknown_operation(op), None))
}

impl NativeClient {
    /// The core's one preparation of a call; its error raised as the libivs exception.
    fn prepare(
        &self,
        py: Python<'_>,
        op: &str,
        input: serde_json::Value,
    ) -> PyResult<PreparedCall> {
        self.inner
            .prepare(op, input)
            .map_err(|e| to_pyerr(py, &e, operation(op).map(|spec| spec.name)))
    }
}

#[pymethods]
impl NativeClient {
    /// `config` is a dict with the keys of `libivs_core::CONFIG_KEYS`.
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let json = py_to_json(py, config, "config", Purpose::Config)?;
            let config = ClientConfig::from_json(&json).or_raise(py)?;
            // Reading the AWS environment and profile files may block: without the GIL.
            let inner = py.detach(|| Client::new(config)).or_raise(py)?;
            Ok(NativeClient { inner })
        })
    }

    #[getter]
    fn region(&self) -> &str {
        self.inner.region()
    }

    #[getter]
    fn endpoint_url(&self) -> Option<&str> {
        self.inner.endpoint_url()
    }

    /// Calls `op` (wire or snake_case name) with `params` and answers boto3's response dict.
    #[pyo3(signature = (op, params=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        op: &str,
        params: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let input = params_to_json(py, params)?;
            let prepared = self.prepare(py, op, input)?;
            let name = prepared.operation().name;
            // The call runs on this thread with the GIL released (the core's per-thread driver:
            // no hand-off to another thread), looking for Ctrl-C every SIGNAL_CHECK.
            let answer = without_gil(
                py,
                |interrupt| prepared.run_blocking(Some(interrupt)),
                Some(name),
            )?;
            answer_to_py(py, &answer)
        })
    }

    /// Starts `op` on the runtime; its response resolves the asyncio `future` through `bridge`.
    #[pyo3(signature = (op, params, bridge, future))]
    fn call_async(
        &self,
        py: Python<'_>,
        op: &str,
        params: Option<&Bound<'_, PyAny>>,
        bridge: &Bridge,
        future: Py<PyAny>,
    ) -> PyResult<PendingCall> {
        guard(py, || {
            let input = params_to_json(py, params)?;
            // Validation errors are raised here, before anything is spawned.
            let prepared = self.prepare(py, op, input)?;
            let name = prepared.operation().name;
            // The answer is made into Python objects on the loop thread, with the GIL.
            Ok(bridge.submit(future, Some(name), async move {
                Ok(Done::Answer(prepared.run().await?))
            }))
        })
    }

    /// A paginator over `op` (one of the 9 paginated operations).
    #[pyo3(signature = (op, params=None, pagination_config=None))]
    fn paginate(
        &self,
        py: Python<'_>,
        op: &str,
        params: Option<&Bound<'_, PyAny>>,
        pagination_config: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativePaginator> {
        guard(py, || {
            let input = params_to_json(py, params)?;
            // PaginationConfig may hold None for "not given", as botocore's does.
            let config = match pagination_config {
                Some(value) if !value.is_none() => {
                    py_to_json(py, value, "PaginationConfig", Purpose::Other)?
                }
                _ => serde_json::Value::Object(Default::default()),
            };
            let config = PaginationConfig::from_json(&config).or_raise(py)?;
            let paginator = Paginator::new(&self.inner, op, input, config)
                .map_err(|e| to_pyerr(py, &e, operation(op).map(|o| o.name)))?;
            Ok(NativePaginator::new(paginator))
        })
    }

    /// boto3's `generate_presigned_url`.
    #[pyo3(signature = (op, params=None, expires_in=3600.0, http_method=None))]
    fn presign(
        &self,
        py: Python<'_>,
        op: &str,
        params: Option<&Bound<'_, PyAny>>,
        expires_in: f64,
        http_method: Option<String>,
    ) -> PyResult<String> {
        guard(py, || {
            let input = params_to_json(py, params)?;
            let name = wire_name(py, op)?;
            let expires = libivs_core::presign_expiry(expires_in)
                .map_err(|e| to_pyerr(py, &e, Some(name)))?;
            let client = self.inner.clone();
            wait(
                py,
                async move {
                    client
                        .presign(name, input, expires, http_method.as_deref())
                        .await
                },
                Some(name),
            )
        })
    }

    /// Validates `params` for `op` without sending anything (raises ParamValidationError).
    #[pyo3(signature = (op, params=None))]
    fn validate(
        &self,
        py: Python<'_>,
        op: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        guard(py, || {
            let input = params_to_json(py, params)?;
            self.inner
                .check(op, &input)
                .map(|_| ())
                .map_err(|e| to_pyerr(py, &e, operation(op).map(|spec| spec.name)))
        })
    }

    /// The configuration the core client was built with, without secrets.
    fn describe<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let config = self.inner.config();
        let value = serde_json::json!({
            "region": self.inner.region(),
            "endpoint_url": self.inner.endpoint_url(),
            "retry_mode": config.retry_mode.map(|m| format!("{m:?}").to_lowercase()),
            "max_attempts": config.max_attempts,
            "connect_timeout": config.connect_timeout.map(|d| d.as_secs_f64()),
            "read_timeout": config.read_timeout.map(|d| d.as_secs_f64()),
            "operation_timeout": config.operation_timeout.map(|d| d.as_secs_f64()),
            "validate_input": config.validate_input,
        });
        json_to_py(py, &value)
    }

    /// Drops pooled connections; the client stays usable.
    fn close(&self) {
        self.inner.close();
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeClient(region={:?}, endpoint_url={:?})",
            self.inner.region(),
            self.inner.endpoint_url()
        )
    }
}
