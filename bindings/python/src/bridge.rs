//! Waiting for the shared runtime from Python: blocking (GIL released, Ctrl-C honoured) and
//! asyncio (a completion queue drained on the event-loop thread).
//!
//! The asyncio bridge: a call spawns its work on the shared runtime and parks the asyncio
//! `Future` in a table keyed by a call id. When the work ends, the runtime task pushes the
//! result onto the queue and, if the queue was not already signalled, writes one byte to a
//! socket pair whose read end the event loop watches (`loop.add_reader(bridge.fileno(),
//! bridge.drain)`). `drain` runs on the loop thread with the GIL it already holds, converts
//! every queued result and resolves the futures in one batch. No runtime thread ever takes the
//! GIL, and no thread is used per call.

use std::collections::HashMap;
use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libivs_core::{Answer, CallGroup, CallHandle, Error, Interrupt};
use pyo3::prelude::*;

use crate::errors::to_pyerr;
use crate::output::answer_to_py;

/// How often a blocking wait wakes to let Python run signal handlers (Ctrl-C).
pub(crate) const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Runs `blocking` (a wait on the core) without the GIL, handing it an [`Interrupt`] that runs
/// Python's signal handlers every 50 ms: an exception one raises (`KeyboardInterrupt`) stops
/// the wait and is the answer. Core errors are raised as libivs exceptions.
pub fn without_gil<T, B>(py: Python<'_>, blocking: B, operation: Option<&str>) -> PyResult<T>
where
    T: Send,
    B: FnOnce(Interrupt<'_>) -> Result<T, Error> + Send,
{
    let mut signal: Option<PyErr> = None;
    let result = py.detach(|| {
        blocking(Interrupt {
            every: SIGNAL_CHECK,
            interrupted: &mut || {
                Python::attach(|py| match py.check_signals() {
                    Ok(()) => false,
                    Err(raised) => {
                        signal = Some(raised);
                        true
                    }
                })
            },
        })
    });
    if let Some(raised) = signal {
        return Err(raised);
    }
    result.map_err(|error| to_pyerr(py, &error, operation))
}

/// The group of Python's blocking waits on the shared runtime (presign, paginator pages).
static WAITS: std::sync::LazyLock<CallGroup> = std::sync::LazyLock::new(CallGroup::new);

/// Runs `future` on the shared runtime and waits for it without the GIL (see [`without_gil`]).
///
/// The future is a task of the runtime (not driven by `block_on` on this thread): measured,
/// handing it to the runtime's worker and parking on a channel costs less CPU per call than
/// entering the runtime from a foreign thread, and the channel's timed wait needs no timer.
pub fn wait<T, F>(py: Python<'_>, future: F, operation: Option<&str>) -> PyResult<T>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    without_gil(
        py,
        |interrupt| WAITS.run_blocking(future, Some(interrupt)),
        operation,
    )
}

/// What an asynchronous piece of work produced, converted to Python on the loop thread.
pub enum Done {
    /// A call's answer, made into its response (output + ResponseMetadata) with the GIL.
    Answer(Answer),
    /// A paginator after its last page: `None`.
    End,
    /// A string (a presigned URL).
    Text(String),
}

impl Done {
    fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        match self {
            Done::Answer(answer) => answer_to_py(py, &answer),
            Done::End => Ok(py.None().into_bound(py)),
            Done::Text(text) => Ok(pyo3::types::PyString::new(py, &text).into_any()),
        }
    }
}

struct Completion {
    id: u64,
    result: Result<Done, Error>,
    operation: Option<&'static str>,
}

struct Shared {
    queue: Mutex<Vec<Completion>>,
    signaled: AtomicBool,
    writer: UnixStream,
    reader: UnixStream,
    /// The asyncio futures waiting, by call id. Touched only with the GIL held.
    waiting: Mutex<HashMap<u64, Py<PyAny>>>,
    next_id: AtomicU64,
    /// The calls' tasks (the core's call group: cancellation, panics caught).
    calls: CallGroup,
}

impl Shared {
    fn complete(&self, completion: Completion) {
        self.queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(completion);
        if !self.signaled.swap(true, Ordering::AcqRel) {
            // A full socket buffer means a wake-up is already pending: nothing is lost.
            let _ = (&self.writer).write(&[1]);
        }
    }
}

/// One event loop's completion queue. Made by `libivs` per loop (and again after `fork`).
#[pyclass(frozen, module = "libivs._libivs")]
pub struct Bridge {
    shared: Arc<Shared>,
}

impl Bridge {
    /// Spawns `work` on the shared runtime; its result resolves `future` on the loop thread.
    pub fn submit<F>(
        &self,
        future: Py<PyAny>,
        operation: Option<&'static str>,
        work: F,
    ) -> PendingCall
    where
        F: Future<Output = Result<Done, Error>> + Send + 'static,
    {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        self.shared
            .waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, future);
        let shared = Arc::clone(&self.shared);
        let handle = self.shared.calls.spawn(work, move |result| {
            shared.complete(Completion {
                id,
                result,
                operation,
            })
        });
        PendingCall {
            shared: Arc::clone(&self.shared),
            id,
            handle,
        }
    }
}

#[pymethods]
impl Bridge {
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        crate::errors::guard(py, || {
            let (reader, writer) = UnixStream::pair()?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            Ok(Bridge {
                shared: Arc::new(Shared {
                    queue: Mutex::new(Vec::new()),
                    signaled: AtomicBool::new(false),
                    writer,
                    reader,
                    waiting: Mutex::new(HashMap::new()),
                    next_id: AtomicU64::new(0),
                    calls: CallGroup::new(),
                }),
            })
        })
    }

    /// The descriptor to register with `loop.add_reader`.
    fn fileno(&self) -> i32 {
        self.shared.reader.as_raw_fd()
    }

    /// How many calls are in flight.
    fn in_flight(&self) -> usize {
        self.shared
            .waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    /// Resolves every finished call's future. Runs on the event-loop thread.
    fn drain(&self, py: Python<'_>) -> PyResult<usize> {
        crate::errors::guard(py, || {
            let mut sink = [0u8; 256];
            while matches!((&self.shared.reader).read(&mut sink), Ok(n) if n > 0) {}
            self.shared.signaled.store(false, Ordering::Release);
            let batch =
                std::mem::take(&mut *self.shared.queue.lock().unwrap_or_else(|p| p.into_inner()));
            let count = batch.len();
            for completion in batch {
                let future = self
                    .shared
                    .waiting
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&completion.id);
                let Some(future) = future else { continue };
                let future = future.bind(py);
                if future
                    .call_method0(pyo3::intern!(py, "done"))?
                    .is_truthy()?
                {
                    continue;
                }
                let outcome = match completion.result {
                    Ok(done) => done.into_py(py),
                    Err(error) => Err(to_pyerr(py, &error, completion.operation)),
                };
                match outcome {
                    Ok(value) => future.call_method1(pyo3::intern!(py, "set_result"), (value,))?,
                    Err(error) => future.call_method1(
                        pyo3::intern!(py, "set_exception"),
                        (error.into_value(py),),
                    )?,
                };
            }
            Ok(count)
        })
    }
}

/// A call in flight; `cancel()` aborts its request (asyncio task cancellation calls it).
#[pyclass(frozen, module = "libivs._libivs")]
pub struct PendingCall {
    shared: Arc<Shared>,
    id: u64,
    handle: CallHandle,
}

#[pymethods]
impl PendingCall {
    fn cancel(&self) {
        // Its completion (Cancelled) finds no future waiting and is dropped.
        self.handle.cancel();
        self.shared
            .waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.id);
    }
}
