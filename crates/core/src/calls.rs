//! A call group: the async calls one face object has in flight, spawned on the shared runtime,
//! which it can count, cancel (one or all) and wait for: one mechanism for every face's waits
//! for all calls, cancellations of one call (an abort signal, a cancelled task) and of all.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use futures::FutureExt;
use tokio::sync::{watch, Notify};

use crate::{runtime, Error};

/// How a blocking call looks for an interruption (Ctrl-C in an interpreter): `interrupted` is
/// asked every `every`; when it answers true the call is dropped, with its request, and answers
/// [`Error::cancelled`].
pub struct Interrupt<'a> {
    pub every: Duration,
    pub interrupted: &'a mut dyn FnMut() -> bool,
}

/// Async calls in flight, cancellable one by one ([`CallHandle::cancel`]) or all at once.
/// Cloning shares the group.
#[derive(Clone)]
pub struct CallGroup {
    state: Arc<GroupState>,
}

struct GroupState {
    /// Atomic, not under `idle_lock`: a call's end (on the runtime, just after its `on_done` woke
    /// the caller's thread) and the next call's start (on that thread) would otherwise meet on
    /// the lock at every sequential call (measured: two futex calls and a context switch each).
    in_flight: AtomicUsize,
    /// Held by `wait` while it checks the count, and by the call that brings it to zero while
    /// it notifies, so that no wake-up is lost.
    idle_lock: Mutex<()>,
    idle: Condvar,
    /// Bumped by `cancel_all`; every call watches it.
    cancel_all: watch::Sender<u64>,
}

impl GroupState {
    fn count(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    fn idle_lock(&self) -> MutexGuard<'_, ()> {
        self.idle_lock.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Ends one call's bookkeeping however its task ends (a panic or the runtime's shutdown too).
struct InFlight(Arc<GroupState>);

impl InFlight {
    fn begin(state: &Arc<GroupState>) -> InFlight {
        state.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(state.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            let _checked = self.0.idle_lock();
            self.0.idle.notify_all();
        }
    }
}

/// Cancels one call of a group. Cancelling a finished call does nothing.
#[derive(Clone)]
pub struct CallHandle {
    cancel: Arc<Notify>,
}

impl CallHandle {
    /// Drops the call's request; its `on_done` runs with [`Error::cancelled`].
    pub fn cancel(&self) {
        // A stored permit: a cancel that comes before the task first polls still counts.
        self.cancel.notify_one();
    }
}

impl Default for CallGroup {
    fn default() -> Self {
        CallGroup {
            state: Arc::new(GroupState {
                in_flight: AtomicUsize::new(0),
                idle_lock: Mutex::new(()),
                idle: Condvar::new(),
                cancel_all: watch::channel(0).0,
            }),
        }
    }
}

impl CallGroup {
    pub fn new() -> CallGroup {
        CallGroup::default()
    }

    /// Runs `work` on the shared runtime, then `on_done` there with its result: exactly once,
    /// with [`Error::cancelled`] if the call was cancelled first and [`Error::panicked`] if
    /// `work` panicked.
    pub fn spawn<T, W, F>(&self, work: W, on_done: F) -> CallHandle
    where
        T: Send + 'static,
        W: Future<Output = Result<T, Error>> + Send + 'static,
        F: FnOnce(Result<T, Error>) + Send + 'static,
    {
        let handle = CallHandle {
            cancel: Arc::new(Notify::new()),
        };
        let cancel_one = handle.cancel.clone();
        let mut cancel_all = self.state.cancel_all.subscribe();
        let in_flight = InFlight::begin(&self.state);
        // Boxed: moving the task then copies a pointer, not the SDK's whole state machine.
        let work = Box::pin(AssertUnwindSafe(work).catch_unwind());
        runtime::runtime().spawn(async move {
            let _in_flight = in_flight;
            let result = tokio::select! {
                biased;
                // The sender lives in the group state this task holds: `changed` only fires.
                _ = cancel_all.changed() => Err(Error::cancelled()),
                _ = cancel_one.notified() => Err(Error::cancelled()),
                result = work => result.unwrap_or_else(|_| Err(Error::panicked())),
            };
            on_done(result);
        });
        handle
    }

    /// Runs `work` as a call of the group and waits for its result on this thread (not from
    /// the shared runtime), looking for `interrupt` if given: when it answers true the call is
    /// cancelled and this answers [`Error::cancelled`]. For blocking faces that hand work to the
    /// runtime (presigning, paginator pages) rather than run it on their own thread.
    pub fn run_blocking<T, W>(&self, work: W, interrupt: Option<Interrupt<'_>>) -> Result<T, Error>
    where
        T: Send + 'static,
        W: Future<Output = Result<T, Error>> + Send + 'static,
    {
        if runtime::on_worker() {
            return Err(Error::invalid_argument(
                "a blocking libivs call was made from a libivs runtime thread",
            ));
        }
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        let handle = self.spawn(work, move |result| {
            let _ = sender.send(result);
        });
        let Some(Interrupt { every, interrupted }) = interrupt else {
            return receiver.recv().unwrap_or_else(|_| Err(Error::panicked()));
        };
        loop {
            match receiver.recv_timeout(every) {
                Ok(result) => return result,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if interrupted() {
                        // The request is dropped with the task.
                        handle.cancel();
                        return Err(Error::cancelled());
                    }
                }
                // `on_done` runs exactly once, even on a panic: unreachable in practice.
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Error::panicked())
                }
            }
        }
    }

    /// How many calls have not finished their `on_done` yet.
    pub fn in_flight(&self) -> usize {
        self.state.count()
    }

    /// Cancels every call in flight (calls spawned afterwards are not affected).
    pub fn cancel_all(&self) {
        self.state
            .cancel_all
            .send_modify(|generation| *generation += 1);
    }

    /// Blocks until no call is in flight; false if `timeout` ran out first. Must not be called
    /// from the shared runtime (a call's `on_done` could then never run).
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut checked = self.state.idle_lock();
        while self.state.count() > 0 {
            let Some(deadline) = deadline else {
                checked = self
                    .state
                    .idle
                    .wait(checked)
                    .unwrap_or_else(|p| p.into_inner());
                continue;
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            checked = self
                .state
                .idle
                .wait_timeout(checked, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_blocking_answers_the_work_a_panic_or_an_interruption() {
        let group = CallGroup::new();
        assert_eq!(group.run_blocking(async { Ok(7) }, None).unwrap(), 7);
        let panicked = group
            .run_blocking::<(), _>(async { panic!("test panic") }, None)
            .unwrap_err();
        assert_eq!(panicked.code(), Error::panicked().code());
        // Interrupted on the third look: the never-ending work is cancelled, not waited for.
        let mut looks = 0;
        let started = Instant::now();
        let interrupted = group
            .run_blocking::<(), _>(
                std::future::pending(),
                Some(Interrupt {
                    every: Duration::from_millis(10),
                    interrupted: &mut || {
                        looks += 1;
                        looks == 3
                    },
                }),
            )
            .unwrap_err();
        assert!(interrupted.is_cancelled());
        assert_eq!(looks, 3);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(
            group.wait(Some(Duration::from_secs(5))),
            "the cancelled task ended"
        );
    }
}
