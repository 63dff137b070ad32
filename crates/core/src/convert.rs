//! The hand-written half of the JSON ⇄ aws-sdk-ivs conversions: traits for primitives, lists and
//! maps. The generated half (`generated.rs`) implements them for every structure and enum, and
//! never names a primitive type, so it does not depend on how smithy-rs chose `i32`/`i64` or
//! `Option<T>`/`T` for a member.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::DateTime;
use serde_json::{Map, Value};

use crate::error::Error;

/// A value that can be built from JSON; `path` names the member for error messages.
pub(crate) trait FromJson: Sized {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error>;
}

/// A value that can be shown as JSON; `None` means "leave the member out".
pub(crate) trait ToJson {
    fn to_json(&self) -> Option<Value>;
}

/// Turns the result of a smithy builder's `build()` (fallible or not) into our result.
pub(crate) trait Finish<T> {
    fn finish(self, path: &str) -> Result<T, Error>;
}

impl<T> Finish<T> for Result<T, BuildError> {
    fn finish(self, path: &str) -> Result<T, Error> {
        self.map_err(|e| Error::param_validation(format!("{}: {e}", shown_path(path))))
    }
}

fn shown_path(path: &str) -> &str {
    if path.is_empty() {
        "input"
    } else {
        path
    }
}

/// A JSON object being read member by member.
pub(crate) struct Object<'a> {
    members: Option<&'a Map<String, Value>>,
    path: &'a str,
}

impl<'a> Object<'a> {
    pub(crate) fn new(value: &'a Value, path: &'a str) -> Result<Self, Error> {
        match value {
            Value::Object(members) => Ok(Object {
                members: Some(members),
                path,
            }),
            Value::Null => Ok(Object {
                members: None,
                path,
            }),
            other => Err(type_error(path, other, "object")),
        }
    }

    /// The member converted, or `None` when it is absent or null.
    pub(crate) fn member<T: FromJson>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.members.and_then(|m| m.get(name)) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => {
                let path = if self.path.is_empty() {
                    name.to_string()
                } else {
                    format!("{}.{name}", self.path)
                };
                T::from_json(value, &path).map(Some)
            }
        }
    }
}

fn type_error(path: &str, value: &Value, expected: &str) -> Error {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    };
    Error::param_validation(format!(
        "Invalid type for parameter {}, type: {kind}, valid types: {expected}",
        shown_path(path)
    ))
}

/// Reads a primitive member (used by the generated enum conversions).
pub(crate) fn field<T: FromJson>(value: &Value, path: &str) -> Result<T, Error> {
    T::from_json(value, path)
}

impl FromJson for String {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| type_error(path, value, "string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_bool()
            .ok_or_else(|| type_error(path, value, "boolean"))
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_i64()
            .ok_or_else(|| type_error(path, value, "integer"))
    }
}

impl FromJson for i32 {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        let wide = i64::from_json(value, path)?;
        i32::try_from(wide).map_err(|_| {
            Error::param_validation(format!(
                "Invalid value for parameter {}, value: {wide}, does not fit a 32-bit integer",
                shown_path(path)
            ))
        })
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        value
            .as_f64()
            .ok_or_else(|| type_error(path, value, "number"))
    }
}

impl FromJson for DateTime {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        match value {
            Value::Number(n) => n
                .as_f64()
                .map(DateTime::from_secs_f64)
                .ok_or_else(|| type_error(path, value, "timestamp")),
            Value::String(text) => DateTime::from_str(text, Format::DateTime).map_err(|_| {
                Error::param_validation(format!(
                    "Invalid timestamp for parameter {}: expected ISO-8601 like 2026-01-31T12:00:00Z",
                    shown_path(path)
                ))
            }),
            other => Err(type_error(path, other, "timestamp")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        let items = value
            .as_array()
            .ok_or_else(|| type_error(path, value, "list"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_json(item, &format!("{}[{i}]", shown_path(path))))
            .collect()
    }
}

impl<T: FromJson> FromJson for HashMap<String, T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {
        let entries = value
            .as_object()
            .ok_or_else(|| type_error(path, value, "object"))?;
        entries
            .iter()
            .map(|(k, v)| Ok((k.clone(), T::from_json(v, &format!("{path}.{k}"))?)))
            .collect()
    }
}

impl ToJson for String {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.clone()))
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Option<Value> {
        Some(Value::Bool(*self))
    }
}

impl ToJson for i32 {
    fn to_json(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl ToJson for DateTime {
    fn to_json(&self) -> Option<Value> {
        self.fmt(Format::DateTime).ok().map(Value::String)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Option<Value> {
        self.as_ref().and_then(ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::Array(
            self.iter().filter_map(ToJson::to_json).collect(),
        ))
    }
}

impl<T: ToJson> ToJson for HashMap<String, T> {
    fn to_json(&self) -> Option<Value> {
        // Sorted keys so that output is stable from call to call.
        let mut keys: Vec<&String> = self.keys().collect();
        keys.sort();
        Some(Value::Object(
            keys.into_iter()
                .filter_map(|k| Some((k.clone(), self[k].to_json()?)))
                .collect(),
        ))
    }
}

/// Puts a member into an output object unless it is absent.
pub(crate) fn put<T: ToJson>(object: &mut Map<String, Value>, name: &str, value: &T) {
    if let Some(json) = value.to_json() {
        object.insert(name.to_owned(), json);
    }
}

/// Converts what `send()` answered into the JSON output or our error.
pub(crate) fn finish_call<O, E>(
    result: Result<O, aws_sdk_ivs::error::SdkError<E, aws_smithy_runtime_api::http::Response>>,
) -> Result<Value, Error>
where
    O: ToJson,
    E: aws_sdk_ivs::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(output) => Ok(output
            .to_json()
            .unwrap_or_else(|| Value::Object(Map::new()))),
        Err(error) => Err(Error::from_sdk(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ivs::types;
    use serde_json::json;

    #[test]
    fn structures_round_trip_through_json() {
        let input = json!({"s3": {"bucketName": "my-bucket"}});
        let built =
            types::DestinationConfiguration::from_json(&input, "destinationConfiguration").unwrap();
        assert_eq!(built.s3().unwrap().bucket_name(), "my-bucket");
        assert_eq!(built.to_json().unwrap(), input);
    }

    #[test]
    fn fallible_builders_name_the_member() {
        let err =
            types::S3DestinationConfiguration::from_json(&json!({}), "destinationConfiguration.s3")
                .unwrap_err();
        assert!(
            err.message().contains("destinationConfiguration.s3"),
            "{err}"
        );
    }

    #[test]
    fn primitives_check_their_types() {
        assert!(i32::from_json(&json!(5_000_000_000i64), "x").is_err());
        assert!(String::from_json(&json!(1), "x").is_err());
        let when = DateTime::from_json(&json!("2026-11-25T12:00:00Z"), "t").unwrap();
        assert_eq!(when.to_json().unwrap(), json!("2026-11-25T12:00:00Z"));
        assert_eq!(DateTime::from_json(&json!(0), "t").unwrap().secs(), 0);
    }

    #[test]
    fn enums_keep_unknown_values() {
        let mode = types::ChannelLatencyMode::from_json(&json!("LOW"), "latencyMode").unwrap();
        assert_eq!(mode, types::ChannelLatencyMode::LowLatency);
        assert_eq!(mode.to_json().unwrap(), json!("LOW"));
    }
}
