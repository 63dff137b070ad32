//! How promises made on the JavaScript thread are settled from the core's runtime thread.
//!
//! Each JavaScript environment (the main thread, each worker) has one libuv async handle and one
//! queue of finished outcomes. A runtime thread pushes an outcome and pokes the handle; the event
//! loop then settles every queued promise in one pass and runs their reactions once.
//!
//! Why not napi's threadsafe functions (napi-rs's `JsDeferred` makes one per promise): Node
//! holds the threadsafe function's mutex while it wakes the event loop, so on a busy machine the
//! woken JavaScript thread runs first, blocks on that mutex and has to wait for the runtime
//! thread to be scheduled again — measured at four futex calls per call, plus creating and
//! closing a handle and a cleanup hook per promise. Here the runtime thread holds no lock the
//! JavaScript thread needs when it wakes it.
//!
//! The handle keeps the process alive only while a promise of its environment is pending, and
//! an environment's teardown (a worker terminated mid-call) closes it first: outcomes that
//! finish later are dropped, never delivered to a dead environment.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::os::raw::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::{check_status, sys, Env};

use crate::convert::Outcome;
use libivs_core::Error;

// libuv, as exported by the node binary that loads this addon (`napi_get_uv_event_loop` exists
// for this). Handles are sized by `uv_handle_size` and reached through the accessor functions,
// so nothing here depends on libuv's struct layouts.
extern "C" {
    fn uv_handle_size(kind: c_int) -> usize;
    fn uv_async_init(
        event_loop: *mut sys::uv_loop_s,
        handle: *mut c_void,
        callback: unsafe extern "C" fn(*mut c_void),
    ) -> c_int;
    fn uv_async_send(handle: *mut c_void) -> c_int;
    fn uv_close(handle: *mut c_void, callback: unsafe extern "C" fn(*mut c_void));
    fn uv_ref(handle: *mut c_void);
    fn uv_unref(handle: *mut c_void);
    fn uv_handle_set_data(handle: *mut c_void, data: *mut c_void);
    fn uv_handle_get_data(handle: *const c_void) -> *mut c_void;
}

/// `UV_ASYNC` in libuv's `uv_handle_type` (the first entry of `UV_HANDLE_TYPE_MAP`).
const UV_ASYNC: c_int = 1;

/// The part of an environment's completion channel that runtime threads use.
struct Sink {
    /// False once the environment is tearing down; read-locked around every wake-up so the
    /// handle cannot be closed under one.
    open: RwLock<bool>,
    queue: Mutex<Vec<(u64, Outcome)>>,
    /// The uv async handle (a pointer), valid while `open`.
    handle: usize,
}

// SAFETY: `handle` is only used for `uv_async_send`, which libuv allows from any thread, and only
// while `open` says the handle has not been closed.
unsafe impl Send for Sink {}
unsafe impl Sync for Sink {}

impl Sink {
    fn send(&self, id: u64, outcome: Outcome) {
        let open = self.open.read().unwrap_or_else(PoisonError::into_inner);
        if !*open {
            return;
        }
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, outcome));
        // SAFETY: the handle is initialized and stays open while the read lock is held.
        unsafe { uv_async_send(self.handle as *mut c_void) };
    }
}

/// An environment's completion channel, owned by its JavaScript thread.
struct Local {
    env: sys::napi_env,
    /// Storage for the uv async handle; never resized, so its address is stable.
    handle: Box<[u64]>,
    sink: Arc<Sink>,
    /// The promises still pending, by id.
    waiting: RefCell<HashMap<u64, sys::napi_deferred>>,
    next_id: Cell<u64>,
    /// The async resource that promise reactions run under (for async_hooks).
    resource: sys::napi_ref,
    context: sys::napi_async_context,
    cleanup: Cell<sys::napi_async_cleanup_hook_handle>,
}

thread_local! {
    /// This thread's environments and their channels (Node runs one environment per thread, but
    /// nothing forbids an addon being loaded into several).
    static CHANNELS: RefCell<Vec<(sys::napi_env, *const Local)>> = const { RefCell::new(Vec::new()) };
}

impl Local {
    fn handle_ptr(&self) -> *mut c_void {
        self.handle.as_ptr() as *mut c_void
    }

    /// This environment's channel, made on first use.
    fn of(env: sys::napi_env) -> napi::Result<&'static Local> {
        let found = CHANNELS.with(|channels| {
            channels
                .borrow()
                .iter()
                .find(|(owner, _)| *owner == env)
                .map(|(_, local)| *local)
        });
        // SAFETY: a registered channel lives until its environment's teardown unregisters it,
        // and it is only used on this (its) thread.
        match found {
            Some(local) => Ok(unsafe { &*local }),
            None => Self::open(env),
        }
    }

    fn open(env: sys::napi_env) -> napi::Result<&'static Local> {
        unsafe {
            let mut event_loop = ptr::null_mut();
            check_status!(sys::napi_get_uv_event_loop(env, &mut event_loop))?;
            let mut resource = ptr::null_mut();
            check_status!(sys::napi_create_object(env, &mut resource))?;
            let mut name = ptr::null_mut();
            check_status!(sys::napi_create_string_utf8(
                env,
                c"libivs".as_ptr(),
                6,
                &mut name
            ))?;
            let mut context = ptr::null_mut();
            check_status!(sys::napi_async_init(env, resource, name, &mut context))?;
            let mut resource_ref = ptr::null_mut();
            check_status!(sys::napi_create_reference(
                env,
                resource,
                1,
                &mut resource_ref
            ))?;
            let words = uv_handle_size(UV_ASYNC).div_ceil(8);
            let handle = vec![0u64; words].into_boxed_slice();
            let handle_address = handle.as_ptr() as usize;
            let local = Box::into_raw(Box::new(Local {
                env,
                handle,
                sink: Arc::new(Sink {
                    open: RwLock::new(true),
                    queue: Mutex::new(Vec::new()),
                    handle: handle_address,
                }),
                waiting: RefCell::new(HashMap::new()),
                next_id: Cell::new(0),
                resource: resource_ref,
                context,
                cleanup: Cell::new(ptr::null_mut()),
            }));
            let handle = (*local).handle_ptr();
            if uv_async_init(event_loop, handle, on_completions) != 0 {
                drop(Box::from_raw(local));
                return Err(napi::Error::from_reason("uv_async_init failed"));
            }
            uv_handle_set_data(handle, local.cast());
            // Idle until a promise is pending.
            uv_unref(handle);
            let mut cleanup = ptr::null_mut();
            let hooked = check_status!(sys::napi_add_async_cleanup_hook(
                env,
                Some(on_teardown),
                local.cast(),
                &mut cleanup
            ));
            if let Err(error) = hooked {
                // Without the hook the handle would outlive a worker's loop: close it now.
                sys::napi_async_destroy(env, context);
                sys::napi_delete_reference(env, resource_ref);
                uv_close(handle, on_closed);
                return Err(error);
            }
            (*local).cleanup.set(cleanup);
            CHANNELS.with(|channels| channels.borrow_mut().push((env, local)));
            Ok(&*local)
        }
    }

    /// Settles every queued promise, then lets their reactions run (one callback scope).
    fn deliver(&self) {
        let env = self.env;
        unsafe {
            let mut handle_scope = ptr::null_mut();
            if sys::napi_open_handle_scope(env, &mut handle_scope) != sys::Status::napi_ok {
                // Nothing is taken from the queue: the outcomes wait for the next wake-up.
                return;
            }
            let ready = std::mem::take(
                &mut *self
                    .sink
                    .queue
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner),
            );
            if ready.is_empty() {
                sys::napi_close_handle_scope(env, handle_scope);
                return;
            }
            let mut resource = ptr::null_mut();
            sys::napi_get_reference_value(env, self.resource, &mut resource);
            let mut callback_scope = ptr::null_mut();
            let scoped =
                sys::napi_open_callback_scope(env, resource, self.context, &mut callback_scope)
                    == sys::Status::napi_ok;
            for (id, outcome) in ready {
                let deferred = self.waiting.borrow_mut().remove(&id);
                if let Some(deferred) = deferred {
                    settle_deferred(env, deferred, outcome);
                }
            }
            if self.waiting.borrow().is_empty() {
                uv_unref(self.handle_ptr());
            }
            // Closing the outermost callback scope runs the promise reactions.
            if scoped {
                sys::napi_close_callback_scope(env, callback_scope);
            }
            sys::napi_close_handle_scope(env, handle_scope);
        }
    }
}

/// Resolves with the outcome's JavaScript value, or with an `InternalError` outcome if that
/// value could not be made; the promise is settled either way.
unsafe fn settle_deferred(env: sys::napi_env, deferred: sys::napi_deferred, outcome: Outcome) {
    let value = Outcome::to_napi_value(env, outcome).or_else(|_| {
        let error = Error::internal("libivs could not convert an outcome to JavaScript");
        Outcome::to_napi_value(env, Outcome::from_error(&error))
    });
    match value {
        Ok(value) => {
            sys::napi_resolve_deferred(env, deferred, value);
        }
        Err(_) => {
            let mut undefined = ptr::null_mut();
            sys::napi_get_undefined(env, &mut undefined);
            sys::napi_reject_deferred(env, deferred, undefined);
        }
    }
}

unsafe extern "C" fn on_completions(handle: *mut c_void) {
    let local = &*(uv_handle_get_data(handle) as *const Local);
    // Nothing may unwind into libuv.
    let _ = catch_unwind(AssertUnwindSafe(|| local.deliver()));
}

/// The environment is going away: stop accepting outcomes, then close the handle; the hook is
/// removed (letting teardown finish) once libuv has closed it.
unsafe extern "C" fn on_teardown(_hook: sys::napi_async_cleanup_hook_handle, data: *mut c_void) {
    let local = &*(data as *const Local);
    *local
        .sink
        .open
        .write()
        .unwrap_or_else(PoisonError::into_inner) = false;
    let env = local.env;
    CHANNELS.with(|channels| channels.borrow_mut().retain(|(owner, _)| *owner != env));
    sys::napi_async_destroy(env, local.context);
    sys::napi_delete_reference(env, local.resource);
    uv_close(local.handle_ptr(), on_closed);
}

unsafe extern "C" fn on_closed(handle: *mut c_void) {
    let local = Box::from_raw(uv_handle_get_data(handle) as *mut Local);
    let hook = local.cleanup.get();
    // The queued outcomes and the pending deferreds go with the environment.
    drop(local);
    if !hook.is_null() {
        sys::napi_remove_async_cleanup_hook(hook);
    }
}

/// The settlement of one promise, which always happens: dropped unused (its task aborted, or
/// unwound by a panic) it settles the promise with the reason, so no promise stays pending and
/// keeps the event loop alive.
pub(crate) struct Settle {
    sink: Arc<Sink>,
    id: u64,
    settled: bool,
}

impl Settle {
    /// A pending promise of `env` and the means to settle it from any thread.
    pub(crate) fn new(env: &Env) -> napi::Result<(Settle, Object<'_>)> {
        let local = Local::of(env.raw())?;
        let mut deferred = ptr::null_mut();
        let mut promise = ptr::null_mut();
        check_status!(unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) })?;
        let id = local.next_id.get();
        local.next_id.set(id + 1);
        let mut waiting = local.waiting.borrow_mut();
        if waiting.is_empty() {
            // SAFETY: the handle is open (its environment is running this call).
            unsafe { uv_ref(local.handle_ptr()) };
        }
        waiting.insert(id, deferred);
        let settle = Settle {
            sink: local.sink.clone(),
            id,
            settled: false,
        };
        Ok((settle, Object::from_raw(env.raw(), promise)))
    }

    pub(crate) fn settle(mut self, outcome: Outcome) {
        self.settled = true;
        self.sink.send(self.id, outcome);
    }
}

impl Drop for Settle {
    fn drop(&mut self) {
        if !self.settled {
            let error = if std::thread::panicking() {
                Error::panicked()
            } else {
                Error::cancelled()
            };
            self.sink.send(self.id, Outcome::from_error(&error));
        }
    }
}

/// Runs `work` as a task on the core's runtime and settles with its outcome.
pub(crate) fn spawn_settling<F>(settle: Settle, work: F) -> tokio::task::AbortHandle
where
    F: Future<Output = Outcome> + Send + 'static,
{
    libivs_core::runtime::runtime()
        .spawn(async move {
            let outcome = work.await;
            settle.settle(outcome);
        })
        .abort_handle()
}

/// Answers a promise that `start` arranges to settle (it never rejects: failures travel in
/// `Outcome::error`). A panic in `start` drops the `Settle`, which settles with an
/// `InternalError`.
pub(crate) fn start_promise<'env, T>(
    env: &'env Env,
    start: impl FnOnce(Settle) -> Option<T>,
) -> napi::Result<(Object<'env>, Option<T>)> {
    let (settle, promise) = Settle::new(env)?;
    let task = catch_unwind(AssertUnwindSafe(move || start(settle))).unwrap_or(None);
    Ok((promise, task))
}

/// Starts `work` on the core's runtime and answers a promise that it settles.
pub(crate) fn spawn_outcome<'env, F>(env: &'env Env, work: F) -> napi::Result<Object<'env>>
where
    F: Future<Output = Outcome> + Send + 'static,
{
    Ok(start_promise(env, move |settle| Some(spawn_settling(settle, work)))?.0)
}
