//! Blocking calls driven on the caller's own thread.
//!
//! Handing a call to the shared runtime and parking until it is done costs two cross-thread
//! wake-ups per call, and on an idle (virtual) machine each wake-up of a sleeping CPU is slow:
//! measured on the 2-core reference machine, ~140 µs of CPU per sequential call that way against
//! ~70 µs when the request runs where it was made. So every thread that makes blocking calls gets,
//! per client, a current-thread runtime and an `aws_sdk_ivs::Client` of its own (built from the
//! same configuration, with its own connection pool: a connection belongs to the runtime that
//! opened it, and this one only runs while its thread is inside a call).

use std::cell::RefCell;
use std::future::Future;
use std::mem::ManuallyDrop;

use crate::calls::Interrupt;
use crate::error::Error;

/// One thread's means to run a client's calls in place.
pub(crate) struct LocalDriver {
    pid: u32,
    runtime: ManuallyDrop<tokio::runtime::Runtime>,
    sdk: aws_sdk_ivs::Client,
}

impl Drop for LocalDriver {
    fn drop(&mut self) {
        // SAFETY: `self.runtime` is taken once, here, and never touched again.
        let runtime = unsafe { ManuallyDrop::take(&mut self.runtime) };
        // In a forked child its state describes the parent's threads: forget it, don't shut it down.
        if self.pid == crate::runtime::process_id() {
            runtime.shutdown_background();
        } else {
            std::mem::forget(runtime);
        }
    }
}

/// The drivers of one client, one per thread that made a blocking call.
#[derive(Default)]
pub(crate) struct LocalDrivers(thread_local::ThreadLocal<RefCell<Option<LocalDriver>>>);

impl LocalDrivers {
    /// Runs `make(sdk)` to completion on this thread's driver (made on first use, and again in a
    /// forked child), looking for `interrupt` if given.
    pub(crate) fn run<F, Fut, T>(
        &self,
        shared: &aws_sdk_ivs::Client,
        make: F,
        interrupt: Option<Interrupt<'_>>,
    ) -> Result<T, Error>
    where
        F: FnOnce(aws_sdk_ivs::Client) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let slot = self.0.get_or(|| RefCell::new(None));
        let mut slot = slot.try_borrow_mut().map_err(|_| {
            Error::invalid_argument("a blocking libivs call was made from inside another one")
        })?;
        let pid = crate::runtime::process_id();
        if slot.as_ref().is_none_or(|driver| driver.pid != pid) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::internal(format!("cannot start a runtime: {e}")))?;
            *slot = Some(LocalDriver {
                pid,
                runtime: ManuallyDrop::new(runtime),
                // A fresh client from the same configuration gets its own connection pool.
                sdk: crate::sdk::sdk_client(shared.config()),
            });
        }
        let driver = slot.as_ref().expect("made above");
        let _no_sigpipe = crate::sigpipe::CallerGuard::new();
        let Some(Interrupt { every, interrupted }) = interrupt else {
            // Pinned in place by `block_on`: no allocation for the call's state.
            return driver.runtime.block_on(make(driver.sdk.clone()));
        };
        let mut call = std::pin::pin!(make(driver.sdk.clone()));
        loop {
            // The timer is made inside: it belongs to the runtime's clock.
            let waited = driver
                .runtime
                .block_on(async { tokio::time::timeout(every, &mut call).await });
            match waited {
                Ok(result) => return result,
                Err(_) if interrupted() => return Err(Error::cancelled()),
                Err(_) => continue,
            }
        }
    }
}
