//! Paginators as Python iterators of pages, blocking or through the asyncio bridge (items and
//! `build_full_result` are walks over the pages, in `libivs/client.py`, as botocore's are).

use std::sync::Arc;

use libivs_core::{OperationSpec, Paginator};
use pyo3::prelude::*;
use tokio::sync::Mutex;

use crate::bridge::{wait, Bridge, Done, PendingCall};
use crate::errors::guard;
use crate::output::answer_to_py;

#[pyclass(frozen, module = "libivs._libivs")]
pub struct NativePaginator {
    operation: &'static OperationSpec,
    pages: Arc<Mutex<Paginator>>,
    /// The resume token of a finished run (boto3's `resume_token`).
    resume: Arc<std::sync::Mutex<Option<String>>>,
}

impl NativePaginator {
    pub fn new(paginator: Paginator) -> Self {
        NativePaginator {
            operation: paginator.operation(),
            pages: Arc::new(Mutex::new(paginator)),
            resume: Arc::new(std::sync::Mutex::new(None)),
        }
    }

    /// The next page (`None` at the end) as a `Done`, for either waiting style.
    fn step(
        &self,
    ) -> impl std::future::Future<Output = Result<Done, libivs_core::Error>> + Send + 'static {
        let pages = Arc::clone(&self.pages);
        let resume = Arc::clone(&self.resume);
        async move {
            let mut pages = pages.lock().await;
            let page = pages.next_answer().await.transpose()?;
            if let Some(token) = pages.resume_token() {
                *resume.lock().unwrap_or_else(|p| p.into_inner()) = Some(token.to_owned());
            }
            Ok(page.map_or(Done::End, Done::Answer))
        }
    }
}

#[pymethods]
impl NativePaginator {
    /// The next page or `None` after the last; blocks without the GIL.
    fn next<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            match wait(py, self.step(), Some(self.operation.name))? {
                Done::Answer(page) => answer_to_py(py, &page),
                _ => Ok(py.None().into_bound(py)),
            }
        })
    }

    /// [`NativePaginator::next`] resolving an asyncio future.
    fn next_async(
        &self,
        py: Python<'_>,
        bridge: &Bridge,
        future: Py<PyAny>,
    ) -> PyResult<PendingCall> {
        guard(py, || {
            Ok(bridge.submit(future, Some(self.operation.name), self.step()))
        })
    }

    #[getter]
    fn resume_token(&self) -> Option<String> {
        self.resume
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    #[getter]
    fn result_key(&self) -> Option<&'static str> {
        self.operation.paginator.map(|p| p.result_key)
    }

    #[getter]
    fn operation_name(&self) -> &'static str {
        self.operation.name
    }
}
