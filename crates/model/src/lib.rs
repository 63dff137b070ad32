//! The Amazon IVS service model (API 2020-07-14) as data, shared by the libivs core and emulator.
//!
//! `model/ivs-2020-07-14.json` is embedded; [`OPERATIONS`] is generated from it by
//! `cargo run -p xtask -- codegen`. The input checks in [`validate_input`] interpret the model at
//! run time, so the client (botocore's rules) and the emulator (the service's rules, patterns
//! included) check exactly the same shapes.

mod depth;
mod operations;
mod validate;

use once_cell::sync::Lazy;
use serde_json::Value;

pub use depth::{too_deep_message, too_deep_path, MAX_INPUT_DEPTH};
pub use operations::OPERATIONS;
pub use validate::{redact_sensitive, validate_input, Rules, ValidationIssue};

/// The text that stands in for a secret wherever a value would otherwise be shown.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// One IVS operation as the model describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// The wire name, e.g. `CreateChannel`.
    pub name: &'static str,
    /// The snake_case name that boto3 uses, e.g. `create_channel`.
    pub snake_name: &'static str,
    pub http_method: &'static str,
    /// The route, e.g. `/CreateChannel` or `/tags/{resourceArn}`.
    pub request_uri: &'static str,
    /// The HTTP status of a success (200, or 204 for some deletes).
    pub success_code: u16,
    pub input_shape: Option<&'static str>,
    pub output_shape: Option<&'static str>,
    /// The modeled errors this operation may answer with.
    pub errors: &'static [&'static str],
    pub paginator: Option<PaginatorSpec>,
}

/// How an operation pages: which members carry the token, the page size and the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaginatorSpec {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: &'static str,
    pub result_key: &'static str,
}

/// Finds an operation by its wire name (`GetChannel`) or its snake_case name (`get_channel`).
pub fn operation(name: &str) -> Option<&'static OperationSpec> {
    static BY_NAME: Lazy<std::collections::HashMap<&'static str, &'static OperationSpec>> =
        Lazy::new(|| {
            OPERATIONS
                .iter()
                .flat_map(|op| [(op.name, op), (op.snake_name, op)])
                .collect()
        });
    BY_NAME.get(name).copied()
}

/// The operations that have paginators, in model order.
pub fn paginated_operations() -> impl Iterator<Item = &'static OperationSpec> {
    OPERATIONS.iter().filter(|op| op.paginator.is_some())
}

static MODEL_TEXT: &str = include_str!("../ivs-2020-07-14.json");
static MODEL: Lazy<Value> =
    Lazy::new(|| serde_json::from_str(MODEL_TEXT).expect("the embedded IVS model is valid JSON"));

/// The parsed service model (metadata, operations, shapes, paginators).
pub fn model() -> &'static Value {
    &MODEL
}

/// A shape of the model by name.
pub fn shape(name: &str) -> Option<&'static Value> {
    static SHAPES: Lazy<&'static serde_json::Map<String, Value>> =
        Lazy::new(|| model()["shapes"].as_object().expect("the model has shapes"));
    SHAPES.get(name)
}

/// The modeled error shapes (those marked `exception`), with their HTTP status.
pub fn error_shapes() -> impl Iterator<Item = (&'static str, u16)> {
    model()["shapes"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, s)| s.get("exception").is_some())
        .map(|(name, s)| {
            let status = s["error"]["httpStatusCode"].as_u64().unwrap_or(400) as u16;
            (name.as_str(), status)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_model() {
        let ops = model()["operations"].as_object().unwrap();
        assert_eq!(ops.len(), 46);
        assert_eq!(OPERATIONS.len(), 46);
        for op in OPERATIONS.iter() {
            let m = &ops[op.name];
            assert_eq!(m["http"]["method"], op.http_method);
            assert_eq!(m["http"]["requestUri"], op.request_uri);
        }
        assert_eq!(paginated_operations().count(), 9);
    }

    #[test]
    fn finds_operations_by_either_name() {
        assert_eq!(operation("get_channel").unwrap().name, "GetChannel");
        assert_eq!(
            operation("ListTagsForResource").unwrap().request_uri,
            "/tags/{resourceArn}"
        );
        assert!(operation("NoSuchOperation").is_none());
    }

    #[test]
    fn error_shapes_carry_their_status() {
        let errors: std::collections::HashMap<_, _> = error_shapes().collect();
        assert_eq!(errors["ResourceNotFoundException"], 404);
        assert_eq!(errors["ServiceQuotaExceededException"], 402);
        assert_eq!(errors["ThrottlingException"], 429);
    }
}
