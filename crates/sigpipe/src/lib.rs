//! No write of libivs raises SIGPIPE in the host.
//!
//! Writing to a socket the peer has closed raises SIGPIPE in the writing thread, and a C host
//! keeps the default disposition (terminate). Rust's std sends with `MSG_NOSIGNAL`, but
//! vectored writes (`writev`, which hyper uses for request bodies) have no such flag and Linux
//! has no per-socket `SO_NOSIGPIPE`. So, without touching the host's disposition:
//! - libivs's own threads (the shared runtime's) block SIGPIPE for their whole life;
//! - a call made on the caller's thread blocks it for the duration of the call, consumes a
//!   SIGPIPE that the call itself raised (the write then just fails with `EPIPE`), and restores
//!   the thread's mask, as OpenSSL's documentation recommends for libraries.

use std::mem::MaybeUninit;

fn sigpipe_set() -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset initialise the set in place; SIGPIPE is a valid signal.
    unsafe {
        let mut set = MaybeUninit::<libc::sigset_t>::uninit();
        libc::sigemptyset(set.as_mut_ptr());
        libc::sigaddset(set.as_mut_ptr(), libc::SIGPIPE);
        set.assume_init()
    }
}

fn sigpipe_pending() -> bool {
    // SAFETY: sigpending fills the set; sigismember reads it.
    unsafe {
        let mut pending = MaybeUninit::<libc::sigset_t>::uninit();
        libc::sigemptyset(pending.as_mut_ptr());
        libc::sigpending(pending.as_mut_ptr()) == 0
            && libc::sigismember(pending.as_ptr(), libc::SIGPIPE) == 1
    }
}

/// Blocks SIGPIPE on the current thread for good: for threads that libivs owns.
pub fn block_for_this_thread() {
    let set = sigpipe_set();
    // SAFETY: changes only this thread's mask.
    unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// SIGPIPE blocked on the current (caller's) thread until dropped; see the module's comment.
pub struct CallerGuard {
    /// The mask to restore, when this guard changed it.
    restore: Option<libc::sigset_t>,
    /// Whether a SIGPIPE was already pending before the call (then it is the host's to see).
    was_pending: bool,
}

impl CallerGuard {
    pub fn new() -> CallerGuard {
        let set = sigpipe_set();
        let mut previous = MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: changes only this thread's mask; `previous` is filled on success.
        let changed =
            unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, previous.as_mut_ptr()) == 0 };
        if !changed {
            return CallerGuard {
                restore: None,
                was_pending: false,
            };
        }
        // SAFETY: filled by the successful call above.
        let previous = unsafe { previous.assume_init() };
        // SAFETY: reads the set filled above.
        let already_blocked = unsafe { libc::sigismember(&previous, libc::SIGPIPE) == 1 };
        CallerGuard {
            restore: (!already_blocked).then_some(previous),
            was_pending: sigpipe_pending(),
        }
    }
}

impl Default for CallerGuard {
    fn default() -> Self {
        CallerGuard::new()
    }
}

impl Drop for CallerGuard {
    fn drop(&mut self) {
        let Some(previous) = self.restore else { return };
        if !self.was_pending && sigpipe_pending() {
            // Ours: take it off the thread before unblocking, so it is never delivered.
            let set = sigpipe_set();
            let no_wait = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: waits (not at all) for a signal that is pending and blocked.
            unsafe {
                libc::sigtimedwait(&set, std::ptr::null_mut(), &no_wait);
            }
        }
        // SAFETY: restores this thread's own earlier mask.
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sigpipe_raised_inside_the_guard_is_consumed_and_the_mask_restored() {
        std::thread::spawn(|| {
            {
                let _guard = CallerGuard::new();
                // SAFETY: raises SIGPIPE at this thread, where it is blocked.
                unsafe {
                    libc::pthread_kill(libc::pthread_self(), libc::SIGPIPE);
                }
                assert!(sigpipe_pending());
            }
            assert!(!sigpipe_pending());
            let mut now = MaybeUninit::<libc::sigset_t>::uninit();
            // SAFETY: reads this thread's mask.
            unsafe {
                libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), now.as_mut_ptr());
                assert_eq!(libc::sigismember(now.as_ptr(), libc::SIGPIPE), 0);
            }
        })
        .join()
        .unwrap();
    }
}
