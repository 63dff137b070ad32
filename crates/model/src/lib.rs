//! The Amazon IVS service model (API 2020-07-14) as data, shared by the libivs core and emulator.
//!
//! `model/ivs-2020-07-14.json` is embedded; [`OPERATIONS`] is generated from it by
//! `cargo run -p xtask -- codegen`. The input checks in [`validate_input`] interpret the model at
//! run time, so the client (botocore's rules) and the emulator (the service's rules, patterns
//! included) check exactly the same shapes.

pub mod calendar;
mod depth;
mod operations;
mod service;
mod spec;
mod validate;

pub use depth::{too_deep_message, too_deep_path, MAX_INPUT_DEPTH};
pub use operations::{error_header_members, OPERATIONS};
pub use service::{error_shapes, model, operation, paginated_operations, shape};
pub use spec::{OperationSpec, PaginatorSpec};
pub use validate::{
    may_hold_sensitive, redact_sensitive, sensitive_strings, validate_input, Rules,
    ValidationIssue, REDACTED,
};
