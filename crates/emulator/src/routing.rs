//! Which IVS operation a request is, and the input members its URI carries, both as the model's
//! `http.requestUri` and member locations say: `POST /CreateChannel`, or a path with a label such
//! as `/tags/{resourceArn}` (TagResource, UntagResource and ListTagsForResource, told apart by
//! method) and query members such as UntagResource's `tagKeys`.

use std::collections::HashMap;

use http::{Method, Uri};
use libivs_model::OperationSpec;
use serde_json::Value;

use crate::auth::{percent_decode, percent_decode_path};
use crate::error::EmulatorError;

/// The routes of every operation, built once from the operation table.
pub struct Router {
    /// Operations by path, for the routes without a label (`POST /OperationName`).
    fixed: HashMap<&'static str, &'static OperationSpec>,
    /// Operations whose path ends in a label, with the path's fixed prefix (`/tags/`).
    labeled: Vec<(&'static str, &'static OperationSpec)>,
}

impl Router {
    pub fn new() -> Self {
        let operations = libivs_model::OPERATIONS.iter();
        Router {
            fixed: operations
                .clone()
                .filter(|op| path_label(op).is_none())
                .map(|op| (op.request_uri, op))
                .collect(),
            labeled: operations
                .filter_map(|op| Some((path_label(op)?.0, op)))
                .collect(),
        }
    }

    /// Finds the operation for a method and path, or the error IVS's front end answers with.
    pub fn route(
        &self,
        method: &Method,
        path: &str,
    ) -> Result<&'static OperationSpec, EmulatorError> {
        let mut labeled = self
            .labeled
            .iter()
            .filter(|(prefix, _)| path.starts_with(prefix))
            .peekable();
        let operation = match labeled.peek() {
            Some((prefix, _)) => {
                let label = &path[prefix.len()..];
                let Some((_, operation)) =
                    labeled.find(|(_, op)| op.http_method == method.as_str())
                else {
                    return Err(method_not_allowed(method, path));
                };
                if label.is_empty() {
                    return Err(unknown_operation(method, path));
                }
                Some(*operation)
            }
            None => self.fixed.get(path).copied(),
        };
        let operation = operation.ok_or_else(|| unknown_operation(method, path))?;
        if operation.http_method != method.as_str() {
            return Err(method_not_allowed(method, path));
        }
        Ok(operation)
    }
}

/// The fixed prefix and the label of a path that ends in one (`/tags/` and `resourceArn` of
/// `/tags/{resourceArn}`); None for a path without a label.
fn path_label(operation: &OperationSpec) -> Option<(&'static str, &'static str)> {
    let (prefix, rest) = operation.request_uri.split_once('{')?;
    Some((prefix, rest.strip_suffix('}')?))
}

/// The input members the model binds to the request's path label (`location: uri`) and query
/// string (`location: querystring`), decoded. A query member that is absent is left out, so that
/// the model check names it when it is required.
pub fn uri_members(operation: &OperationSpec, uri: &Uri) -> Vec<(String, Value)> {
    let Some(shape) = operation.input_shape.and_then(libivs_model::shape) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (member, spec) in shape["members"].as_object().into_iter().flatten() {
        let name = spec["locationName"].as_str().unwrap_or(member);
        match spec["location"].as_str() {
            Some("uri") => {
                let raw = path_label(operation)
                    .filter(|(_, label)| *label == name)
                    .and_then(|(prefix, _)| uri.path().strip_prefix(prefix));
                if let Some(raw) = raw {
                    let value = percent_decode_path(raw).into_owned();
                    found.push((member.clone(), Value::String(value)));
                }
            }
            Some("querystring") => {
                let values: Vec<Value> = uri
                    .query()
                    .unwrap_or_default()
                    .split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .filter(|(key, _)| percent_decode(key) == name)
                    .map(|(_, value)| Value::String(percent_decode(value).into_owned()))
                    .collect();
                let is_list = spec["shape"]
                    .as_str()
                    .and_then(libivs_model::shape)
                    .is_some_and(|target| target["type"] == "list");
                let Some(last) = values.last().cloned() else {
                    continue;
                };
                let value = if is_list { Value::Array(values) } else { last };
                found.push((member.clone(), value));
            }
            _ => {}
        }
    }
    found
}

fn unknown_operation(method: &Method, path: &str) -> EmulatorError {
    EmulatorError::new(
        404,
        "UnknownOperationException",
        format!("No IVS operation matches {method} {path}"),
    )
}

fn method_not_allowed(method: &Method, path: &str) -> EmulatorError {
    EmulatorError::new(
        405,
        "UnknownOperationException",
        format!("{method} is not the method of the IVS operation at {path}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: Method, path: &str) -> Result<&'static str, u16> {
        Router::new()
            .route(&method, path)
            .map(|op| op.name)
            .map_err(|error| error.status)
    }

    #[test]
    fn routes_follow_the_models_request_uris() {
        assert_eq!(route(Method::POST, "/CreateChannel"), Ok("CreateChannel"));
        assert_eq!(route(Method::GET, "/tags/arn:x"), Ok("ListTagsForResource"));
        assert_eq!(route(Method::POST, "/tags/arn:x"), Ok("TagResource"));
        assert_eq!(route(Method::DELETE, "/tags/arn:x"), Ok("UntagResource"));
        assert_eq!(route(Method::PUT, "/tags/arn:x"), Err(405));
        assert_eq!(route(Method::PUT, "/tags/"), Err(405));
        assert_eq!(route(Method::GET, "/tags/"), Err(404));
        assert_eq!(route(Method::GET, "/CreateChannel"), Err(405));
        assert_eq!(route(Method::POST, "/NoSuchOperation"), Err(404));
    }

    #[test]
    fn uri_members_follow_the_models_locations() {
        let untag = libivs_model::operation("UntagResource").unwrap();
        let uri: Uri = "/tags/arn%3Aaws%3Aivs%3Ax?tagKeys=a&tagKeys=b%20c&other=1"
            .parse()
            .unwrap();
        let members: serde_json::Map<String, Value> =
            uri_members(untag, &uri).into_iter().collect();
        assert_eq!(
            Value::Object(members),
            serde_json::json!({ "resourceArn": "arn:aws:ivs:x", "tagKeys": ["a", "b c"] })
        );
        let without_keys: Uri = "/tags/arn".parse().unwrap();
        assert_eq!(
            uri_members(untag, &without_keys),
            vec![("resourceArn".to_string(), Value::String("arn".into()))]
        );
        let create = libivs_model::operation("CreateChannel").unwrap();
        assert!(uri_members(create, &"/CreateChannel?x=1".parse().unwrap()).is_empty());
    }
}
