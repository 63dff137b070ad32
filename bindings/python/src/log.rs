//! libivs's log records for Python's `logging` (`python/libivs/_logging.py`).
//!
//! Records happen on whichever thread runs a call (the caller's, with the GIL released, or a
//! runtime thread) and are queued without the GIL; every entry point of this module
//! (`errors::guard`) hands the queue to the package's emitter as it returns, on the calling
//! thread with the GIL held — a blocking call's records before it returns, an async call's
//! before the event loop resolves its future. No runtime thread ever waits for the GIL.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use libivs_core::log::{self, Level, LogSink, Record};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// Records waiting for the next entry point to return; beyond this many, the oldest go.
const MAX_PENDING: usize = 10_000;

static PENDING: Mutex<VecDeque<Record>> = Mutex::new(VecDeque::new());
static HAS_PENDING: AtomicBool = AtomicBool::new(false);
static DROPPED: AtomicU64 = AtomicU64::new(0);
static EMITTER: OnceLock<Py<PyAny>> = OnceLock::new();

struct QueueSink;

impl LogSink for QueueSink {
    fn log(&self, record: Record) {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        if pending.len() == MAX_PENDING {
            pending.pop_front();
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
        pending.push_back(record);
        HAS_PENDING.store(true, Ordering::Release);
    }
}

/// Called by `libivs._logging` with the most verbose level any `libivs` logger wants (1 error
/// ... 5 trace, None: none), at import and whenever a logger's level changes.
#[pyfunction]
pub fn _set_log_level(level: Option<u8>) {
    match level.and_then(Level::from_u8) {
        Some(level) => log::set_sink(Some(Arc::new(QueueSink)), Some(level)),
        None => log::set_sink(None, None),
    }
}

/// Called once by `libivs._logging` with the function that hands a batch of records to
/// `logging`: a list of `(level, logger, message, fields, created)` tuples.
#[pyfunction]
pub fn _set_log_emitter(emitter: Py<PyAny>) {
    let _ = EMITTER.set(emitter);
}

/// Hands the queued records to the emitter (nothing to do: one atomic load).
pub fn flush(py: Python<'_>) {
    if !HAS_PENDING.swap(false, Ordering::AcqRel) {
        return;
    }
    let batch = std::mem::take(&mut *PENDING.lock().unwrap_or_else(|e| e.into_inner()));
    let Some(emitter) = EMITTER.get() else { return };
    let built = (|| -> PyResult<()> {
        let records = PyList::empty(py);
        let dropped = DROPPED.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let fields = PyDict::new(py);
            records.append((
                Level::Warn as u8,
                "libivs",
                format!("{dropped} log records were dropped: more than {MAX_PENDING} waited"),
                fields,
                unix_seconds(std::time::SystemTime::now()),
            ))?;
        }
        for record in batch {
            let fields = PyDict::new(py);
            for (name, value) in &record.fields {
                fields.set_item(*name, value)?;
            }
            let created = unix_seconds(record.time);
            let item = PyTuple::new(
                py,
                [
                    (record.level as u8).into_pyobject(py)?.into_any(),
                    record.logger.into_pyobject(py)?.into_any(),
                    record.message.into_pyobject(py)?.into_any(),
                    fields.into_any(),
                    created.into_pyobject(py)?.into_any(),
                ],
            )?;
            records.append(item)?;
        }
        emitter.bind(py).call1((records,))?;
        Ok(())
    })();
    if let Err(failure) = built {
        // A broken handler must not turn a finished call into a failed one.
        failure.write_unraisable(py, None);
    }
}

/// `time.time()`'s reading of `time` (a LogRecord's `created`).
fn unix_seconds(time: std::time::SystemTime) -> f64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}
