//! The one tokio runtime that every libivs client shares.
//!
//! Sized by measurement, not by core count: on a 2-core machine one worker costs ~150 µs of CPU
//! per sequential aws-sdk-ivs call against ~200 µs with two (each extra worker adds context
//! switches) at the same throughput with 64 calls in flight. `LIBIVS_WORKER_THREADS` overrides it.
//! One worker is a current-thread runtime driven by a thread of its own rather than a one-worker
//! multi-thread runtime: the latter queues a task woken by its own IO driver as if from another
//! thread and wakes itself for it (an eventfd write and one more `epoll_wait` each; three per
//! GetChannel call under `strace`), the former runs it next.
//! After `fork()` the child gets a new runtime: the parent's worker threads do not exist there.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use tokio::runtime::Runtime;

use crate::error::Error;

struct Shared {
    pid: u32,
    runtime: Arc<Runtime>,
}

static SHARED: RwLock<Option<Shared>> = RwLock::new(None);

thread_local! {
    static ON_WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread is one of the shared runtime's workers, where a call can run
/// in place instead of being handed to the runtime.
pub(crate) fn on_worker() -> bool {
    ON_WORKER.with(|flag| flag.get())
}

fn worker_threads() -> usize {
    std::env::var("LIBIVS_WORKER_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

/// This process's id, cached: `getpid` is a system call, and blocking calls ask for it every
/// time. A `pthread_atfork` child handler clears the cache, so a forked child asks again.
pub(crate) fn process_id() -> u32 {
    static PID: AtomicU32 = AtomicU32::new(0);
    /// Whether the child handler is registered; without it (ENOMEM) nothing is cached.
    static CACHEABLE: OnceLock<bool> = OnceLock::new();
    extern "C" fn forgotten_in_child() {
        PID.store(0, Ordering::Relaxed);
    }
    let cached = PID.load(Ordering::Relaxed);
    if cached != 0 {
        return cached;
    }
    let cacheable = *CACHEABLE.get_or_init(|| {
        // SAFETY: registers a plain function that only stores to an atomic (async-signal-safe).
        unsafe { libc::pthread_atfork(None, None, Some(forgotten_in_child)) == 0 }
    });
    let pid = std::process::id();
    if cacheable {
        PID.store(pid, Ordering::Relaxed);
    }
    pid
}

/// The shared runtime, created on first use and again in a forked child.
pub fn runtime() -> Arc<Runtime> {
    let pid = process_id();
    {
        // The common case: a shared read of a runtime made in this process.
        let shared = SHARED.read().unwrap_or_else(|p| p.into_inner());
        if let Some(current) = shared.as_ref().filter(|s| s.pid == pid) {
            return current.runtime.clone();
        }
    }
    let mut shared = SHARED.write().unwrap_or_else(|p| p.into_inner());
    if let Some(current) = shared.as_ref().filter(|s| s.pid == pid) {
        return current.runtime.clone();
    }
    if let Some(stale) = shared.take() {
        // The parent's threads are gone in a forked child; dropping would wait for them forever.
        std::mem::forget(stale.runtime);
    }
    let runtime = build();
    *shared = Some(Shared {
        pid,
        runtime: runtime.clone(),
    });
    runtime
}

/// Marks the calling thread as one of the runtime's own.
fn become_worker() {
    crate::sigpipe::block_for_this_thread();
    ON_WORKER.with(|flag| flag.set(true))
}

fn build() -> Arc<Runtime> {
    let workers = worker_threads();
    let mut builder = if workers > 1 {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(workers);
        builder
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = Arc::new(
        builder
            .thread_name("libivs-runtime")
            .on_thread_start(become_worker)
            .enable_all()
            .build()
            .expect("the libivs runtime can start"),
    );
    if workers == 1 {
        // The current-thread runtime's one worker drives every spawned task and the drivers,
        // for good (`Runtime::block_on`: a handle's would drive neither). Other threads'
        // `block_on` poll their own futures meanwhile.
        let driven = runtime.clone();
        std::thread::Builder::new()
            .name("libivs-runtime".into())
            .spawn(move || {
                become_worker();
                driven.block_on(std::future::pending::<()>())
            })
            .expect("the libivs runtime's thread can start");
    }
    runtime
}

/// A number that changes when the process forks, so clients know to rebuild their connections.
pub(crate) fn generation() -> u32 {
    process_id()
}

/// Whether this thread runs inside a tokio runtime: libivs's own (where async callbacks run)
/// or the host's.
pub fn inside_runtime() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

/// Refuses a blocking wait (`what`) inside a tokio runtime, where it would stall the runtime
/// or, on libivs's own worker, deadlock it.
pub fn refuse_blocking_inside_runtime(what: &str) -> Result<(), Error> {
    if inside_runtime() {
        return Err(Error::invalid_argument(format!(
            "{what} blocks and was called from inside an async runtime (a libivs callback thread or the host's); use the async API there"
        )));
    }
    Ok(())
}

/// Runs `future` to completion from synchronous code (not inside a tokio runtime).
pub fn block_on<F: Future>(future: F) -> Result<F::Output, Error> {
    refuse_blocking_inside_runtime("a blocking libivs call")?;
    let _no_sigpipe = crate::sigpipe::CallerGuard::new();
    Ok(runtime().block_on(future))
}

/// Runs `future` on the shared runtime from any executor (an asyncio or libuv loop, another runtime):
/// the returned future resolves with its output, and dropping it cancels the work.
pub fn spawn<F>(future: F) -> impl Future<Output = Result<F::Output, Error>> + Send
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);
    impl<T> Drop for AbortOnDrop<T> {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let mut handle = AbortOnDrop(runtime().spawn(future));
    async move {
        (&mut handle.0).await.map_err(|e| {
            if e.is_panic() {
                Error::panicked()
            } else {
                Error::cancelled()
            }
        })
    }
}
