//! Pages of list results and the opaque `nextToken`s that continue them.
//!
//! A token names the operation and the creation sequence number of the next item, so a page
//! continues where the previous one stopped even if items were created or deleted in between.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::error::EmulatorError;

const TOKEN_PREFIX: &str = "ivs-emulator/v1";

/// In which order a list is returned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Order {
    OldestFirst,
    NewestFirst,
}

/// One page of `items` (each with its creation sequence number, already in `order`), as the
/// request's `nextToken` and `maxResults` ask.
pub fn page<T>(
    operation: &'static str,
    items: Vec<(u64, T)>,
    order: Order,
    input: &Map<String, Value>,
) -> Result<(Vec<T>, Option<String>), EmulatorError> {
    let page_size = match input.get("maxResults").and_then(Value::as_u64) {
        Some(requested) => requested as usize,
        None => default_page_size(operation),
    };
    let resume_at = match input.get("nextToken").and_then(Value::as_str) {
        Some(token) if !token.is_empty() => Some(decode_token(operation, token)?),
        _ => None,
    };
    let mut remaining = items
        .into_iter()
        .filter(|(sequence, _)| match (resume_at, order) {
            (None, _) => true,
            (Some(resume), Order::OldestFirst) => *sequence >= resume,
            (Some(resume), Order::NewestFirst) => *sequence <= resume,
        });
    let page: Vec<T> = remaining
        .by_ref()
        .take(page_size)
        .map(|(_, item)| item)
        .collect();
    let next_token = remaining
        .next()
        .map(|(sequence, _)| encode_token(operation, sequence));
    Ok((page, next_token))
}

/// The model's largest `maxResults` for the operation, which IVS also uses as its default.
fn default_page_size(operation: &str) -> usize {
    libivs_model::operation(operation)
        .and_then(|op| op.input_shape)
        .and_then(libivs_model::shape)
        .and_then(|shape| shape["members"]["maxResults"]["shape"].as_str())
        .and_then(libivs_model::shape)
        .and_then(|limit| limit["max"].as_u64())
        .unwrap_or(100) as usize
}

fn encode_token(operation: &str, sequence: u64) -> String {
    STANDARD.encode(format!("{TOKEN_PREFIX}/{operation}/{sequence}"))
}

fn decode_token(operation: &str, token: &str) -> Result<u64, EmulatorError> {
    let invalid = || EmulatorError::validation("The pagination token is invalid: nextToken");
    let decoded = STANDARD.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(decoded).map_err(|_| invalid())?;
    let rest = text
        .strip_prefix(TOKEN_PREFIX)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|rest| rest.strip_prefix(operation))
        .and_then(|rest| rest.strip_prefix('/'))
        .ok_or_else(invalid)?;
    rest.parse().map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn walks_pages_and_rejects_foreign_tokens() {
        let items: Vec<(u64, u64)> = (1..=5).map(|n| (n, n)).collect();
        let (first, token) = page(
            "ListChannels",
            items.clone(),
            Order::OldestFirst,
            &input(json!({"maxResults": 2})),
        )
        .unwrap();
        assert_eq!(first, vec![1, 2]);
        let token = token.unwrap();
        let (second, _) = page(
            "ListChannels",
            items.clone(),
            Order::OldestFirst,
            &input(json!({"maxResults": 2, "nextToken": token})),
        )
        .unwrap();
        assert_eq!(second, vec![3, 4]);
        let foreign = page(
            "ListStreams",
            items.clone(),
            Order::OldestFirst,
            &input(json!({"nextToken": token})),
        );
        assert_eq!(foreign.unwrap_err().code, "ValidationException");
        let garbage = page(
            "ListChannels",
            items,
            Order::OldestFirst,
            &input(json!({"nextToken": "abc"})),
        );
        assert!(garbage.is_err());
    }
}
