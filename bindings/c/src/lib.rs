//! C ABI for libivs: `libivs.so` / `libivs.a` and `include/ivs.h` (written by cbindgen from this
//! crate through `make codegen`).
//!
//! Every export is `ivs_`-prefixed, takes its handles as opaque pointers, catches panics at the
//! boundary (a panic becomes an `IVS_ERROR_KIND_PANIC` error) and never aborts. The rules that C
//! callers rely on (who frees what, threading) are in the header's preamble, `cbindgen.toml`.

// The C ABI documents its pointer rules once, in the header's preamble, rather than per function.
#![allow(clippy::missing_safety_doc)]

// In this order in the header (each alone, so that rustfmt keeps the order).
mod convert;

mod ffi;

mod error;

mod client;

mod paginator;

mod emulator;

mod playback;

mod log;

mod generated;

pub use client::*;
pub use emulator::*;
pub use error::*;
pub use ffi::*;
pub use generated::*;
pub use log::*;
pub use paginator::*;
pub use playback::*;
