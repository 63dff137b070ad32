//! Paginators as Python iterators: pages or items, blocking or through the asyncio bridge.

use std::sync::Arc;

use libivs_core::{ItemPaginator, OperationSpec, Paginator};
use pyo3::prelude::*;
use tokio::sync::Mutex;

use crate::bridge::{wait, Bridge, Done, PendingCall};
use crate::errors::guard;
use crate::output::{item_shape, json_to_py, response_to_py};

enum State {
    Pages(Paginator),
    Items(ItemPaginator),
    /// `build_full_result` consumed the paginator.
    Spent,
}

#[pyclass(frozen, module = "libivs._libivs")]
pub struct NativePaginator {
    operation: &'static OperationSpec,
    state: Arc<Mutex<State>>,
    /// The resume token of a finished run (boto3's `resume_token`).
    resume: Arc<std::sync::Mutex<Option<String>>>,
}

impl NativePaginator {
    pub fn new(paginator: Paginator, items: bool) -> Self {
        let operation = paginator.operation();
        let state = if items {
            State::Items(paginator.into_items())
        } else {
            State::Pages(paginator)
        };
        NativePaginator {
            operation,
            state: Arc::new(Mutex::new(state)),
            resume: Arc::new(std::sync::Mutex::new(None)),
        }
    }

    /// The next page or item (`None` at the end) as a `Done`, for either waiting style.
    fn step(
        &self,
    ) -> impl std::future::Future<Output = Result<Done, libivs_core::Error>> + Send + 'static {
        let state = Arc::clone(&self.state);
        let resume = Arc::clone(&self.resume);
        let shape = item_shape(self.operation);
        async move {
            let mut state = state.lock().await;
            let (done, token) = match &mut *state {
                State::Pages(pages) => {
                    let page = pages.next_page().await.transpose()?;
                    (Done::Page(page), pages.resume_token().map(str::to_owned))
                }
                State::Items(items) => {
                    let item = items.next_item().await.transpose()?;
                    (
                        Done::Item(item, shape),
                        items.resume_token().map(str::to_owned),
                    )
                }
                State::Spent => (Done::Page(None), None),
            };
            if token.is_some() {
                *resume.lock().unwrap_or_else(|p| p.into_inner()) = token;
            }
            Ok(done)
        }
    }

    fn full(
        &self,
    ) -> impl std::future::Future<Output = Result<Done, libivs_core::Error>> + Send + 'static {
        let state = Arc::clone(&self.state);
        let shape = self.operation.output_shape;
        async move {
            let mut state = state.lock().await;
            match std::mem::replace(&mut *state, State::Spent) {
                State::Pages(pages) => Ok(Done::Value(pages.build_full_result().await?, shape)),
                State::Items(_) | State::Spent => Err(libivs_core::Error::invalid_argument(
                    "build_full_result() needs a fresh paginator",
                )),
            }
        }
    }
}

#[pymethods]
impl NativePaginator {
    /// The next page (or item) or `None` after the last; blocks without the GIL.
    fn next<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let done = wait(py, self.step(), Some(self.operation.name))?;
            match done {
                Done::Page(Some(page)) => response_to_py(py, &page),
                Done::Item(Some(item), shape) => json_to_py(py, &item, shape),
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

    /// Every item in one dict (`{"channels": [...], "NextToken": ...}`).
    fn build_full_result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            match wait(py, self.full(), Some(self.operation.name))? {
                Done::Value(value, shape) => json_to_py(py, &value, shape),
                _ => Ok(py.None().into_bound(py)),
            }
        })
    }

    fn build_full_result_async(
        &self,
        py: Python<'_>,
        bridge: &Bridge,
        future: Py<PyAny>,
    ) -> PyResult<PendingCall> {
        guard(py, || {
            Ok(bridge.submit(future, Some(self.operation.name), self.full()))
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
