//! libivs's log records handed to a C callback (`ivs_set_logger`).

use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

use libivs_core::log::{self, Level, LogSink, Record};

use crate::convert::kept_c_string;
use crate::error::quietly;

/// A log record's severity, most severe first.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IvsLogLevel {
    IVS_LOG_ERROR = 1,
    IVS_LOG_WARN = 2,
    IVS_LOG_INFO = 3,
    IVS_LOG_DEBUG = 4,
    IVS_LOG_TRACE = 5,
}

impl From<Level> for IvsLogLevel {
    fn from(level: Level) -> Self {
        match level {
            Level::Error => IvsLogLevel::IVS_LOG_ERROR,
            Level::Warn => IvsLogLevel::IVS_LOG_WARN,
            Level::Info => IvsLogLevel::IVS_LOG_INFO,
            Level::Debug => IvsLogLevel::IVS_LOG_DEBUG,
            Level::Trace => IvsLogLevel::IVS_LOG_TRACE,
        }
    }
}

/// Receives one log record: its level, its logger (`"libivs.client"`, `"libivs.http"`,
/// `"libivs.retry"`, `"libivs.sdk"`, `"libivs.sdk.http"`) and its text, both borrowed for the
/// duration of the call (copy them to keep them), and the `user_data` given to `ivs_set_logger`.
pub type IvsLogCallback = Option<
    unsafe extern "C" fn(
        level: IvsLogLevel,
        target: *const c_char,
        message: *const c_char,
        user_data: *mut c_void,
    ),
>;

struct CallbackSink {
    callback: unsafe extern "C" fn(IvsLogLevel, *const c_char, *const c_char, *mut c_void),
    // The caller's pointer, handed back untouched; the caller vouches for it across threads.
    user_data: usize,
}

impl LogSink for CallbackSink {
    fn log(&self, record: Record) {
        // Lent to the callback for the duration of the call.
        let target = kept_c_string(record.logger);
        let message = kept_c_string(&record.text());
        unsafe {
            (self.callback)(
                record.level.into(),
                target.as_ptr(),
                message.as_ptr(),
                self.user_data as *mut c_void,
            )
        };
    }
}

/// Sends libivs's log records up to `min_level` (an `ivs_log_level`; below `IVS_LOG_ERROR`
/// turns logging off, above `IVS_LOG_TRACE` means `IVS_LOG_TRACE`) to `callback`, with
/// `user_data`; a NULL `callback` turns logging off. Records are what libivs does per call (each
/// attempt's HTTP status and request id, each retry and its delay, each call's outcome and error
/// code) and what the AWS SDK underneath logs; no record ever holds a secret (credentials,
/// stream-key values, SRT passphrases, metadata are cut out, TRACE included).
///
/// The callback may be called from any thread, libivs's runtime threads included, and from
/// several at once: it must be thread-safe (it may call `ivs_set_logger`). Calls made after
/// `ivs_set_logger` returns use the new setting. `LIBIVS_LOG=debug` (`RUST_LOG` syntax) in the
/// environment also writes records to stderr, with or without a callback.
#[no_mangle]
pub unsafe extern "C" fn ivs_set_logger(
    min_level: c_int,
    callback: IvsLogCallback,
    user_data: *mut c_void,
) {
    quietly((), || {
        let level = match min_level {
            i if i < 1 => None,
            i => Level::from_u8(i.min(Level::Trace as c_int) as u8),
        };
        match (callback, level) {
            (Some(callback), Some(level)) => log::set_sink(
                Some(Arc::new(CallbackSink {
                    callback,
                    user_data: user_data as usize,
                })),
                Some(level),
            ),
            _ => log::set_sink(None, None),
        }
    })
}
