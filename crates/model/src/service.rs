//! The embedded service model and the lookups over it and over the operation table.

use once_cell::sync::Lazy;
use serde_json::Value;

use crate::operations::OPERATIONS;
use crate::spec::OperationSpec;

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
        for (index, op) in OPERATIONS.iter().enumerate() {
            // The core's dispatch matches on `index`: it must be the entry's position.
            assert_eq!(op.index, index, "{}", op.name);
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
