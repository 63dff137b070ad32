//! Input checks interpreted from the model: the same rules for the client (before any network I/O,
//! as botocore does) and for the emulator (as the service does, which also enforces patterns).

use std::collections::HashMap;
use std::fmt;

use once_cell::sync::Lazy;
use regex::Regex;
use serde_json::Value;

use crate::service::{model, shape};
use crate::spec::OperationSpec;

/// The text that stands in for a secret wherever a value would otherwise be shown.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Which rule set to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// botocore's client-side checks (required, unknown, types, lengths, ranges) plus enums.
    Client,
    /// The service's checks: the client's plus the model's patterns (fixed where they are wrong).
    Service,
}

/// One thing wrong with an input, naming the member path (`destinationConfiguration.s3.bucketName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationIssue {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Checks `input` (a JSON object of wire member names; `null` counts as `{}`) against the
/// operation's input shape. Every issue found is returned, not only the first.
pub fn validate_input(
    op: &OperationSpec,
    input: &Value,
    rules: Rules,
) -> Result<(), Vec<ValidationIssue>> {
    let empty = Value::Object(Default::default());
    let input = if input.is_null() { &empty } else { input };
    let mut checker = Checker {
        rules,
        issues: Vec::new(),
    };
    match op.input_shape {
        Some(shape_name) => checker.check(shape_name, input, ""),
        None => checker.check_structure(&empty, input, ""),
    }
    if checker.issues.is_empty() {
        Ok(())
    } else {
        Err(checker.issues)
    }
}

struct Checker {
    rules: Rules,
    issues: Vec<ValidationIssue>,
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() {
        "input"
    } else {
        path
    }
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_string()
    } else {
        format!("{path}.{member}")
    }
}

impl Checker {
    fn issue(&mut self, path: &str, message: String) {
        self.issues.push(ValidationIssue {
            path: display_path(path).to_string(),
            message,
        });
    }

    fn check(&mut self, shape_name: &str, value: &Value, path: &str) {
        let Some(spec) = shape(shape_name) else {
            return;
        };
        let sensitive = spec.get("sensitive").and_then(Value::as_bool) == Some(true);
        let shown = |v: &Value| -> String {
            if sensitive {
                REDACTED.to_string()
            } else {
                match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }
            }
        };
        let type_error = |this: &mut Self, valid: &str| {
            let message = format!(
                "Invalid type for parameter {}, value: {}, type: {}, valid types: {valid}",
                display_path(path),
                shown(value),
                json_type(value)
            );
            this.issue(path, message);
        };
        match spec["type"].as_str().unwrap_or_default() {
            "structure" => {
                if value.is_object() {
                    self.check_structure(spec, value, path);
                } else {
                    type_error(self, "object");
                }
            }
            "list" => {
                let Some(items) = value.as_array() else {
                    return type_error(self, "list");
                };
                self.check_length(spec, items.len(), path);
                let member = spec["member"]["shape"].as_str().unwrap_or_default();
                for (i, item) in items.iter().enumerate() {
                    self.check(member, item, &format!("{}[{i}]", display_path(path)));
                }
            }
            "map" => {
                let Some(entries) = value.as_object() else {
                    return type_error(self, "object");
                };
                self.check_length(spec, entries.len(), path);
                let key_shape = spec["key"]["shape"].as_str().unwrap_or_default();
                let value_shape = spec["value"]["shape"].as_str().unwrap_or_default();
                for (key, item) in entries {
                    self.check(key_shape, &Value::String(key.clone()), path);
                    self.check(value_shape, item, &join(path, key));
                }
            }
            "string" => {
                let Some(text) = value.as_str() else {
                    return type_error(self, "string");
                };
                self.check_length(spec, text.chars().count(), path);
                if let Some(allowed) = spec.get("enum").and_then(Value::as_array) {
                    if !allowed.iter().any(|a| a == text) {
                        let valid: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
                        let message = format!(
                            "Invalid value for parameter {}, value: {}, valid values: {}",
                            display_path(path),
                            shown(value),
                            valid.join(", ")
                        );
                        self.issue(path, message);
                    }
                }
                if self.rules == Rules::Service {
                    if let Some(pattern) = PATTERNS.get(shape_name) {
                        if !pattern.is_match(text) {
                            let message = format!(
                                "Invalid value for parameter {}, value: {}, must match pattern: {}",
                                display_path(path),
                                shown(value),
                                pattern.as_str()
                            );
                            self.issue(path, message);
                        }
                    }
                }
            }
            "integer" | "long" => {
                let Some(number) = value.as_i64() else {
                    return type_error(self, "integer");
                };
                let bound = |key: &str| spec.get(key).and_then(Value::as_i64);
                if let Some(min) = bound("min").filter(|min| number < *min) {
                    let message = format!(
                        "Invalid value for parameter {}, value: {number}, valid min value: {min}",
                        display_path(path)
                    );
                    self.issue(path, message);
                }
                if let Some(max) = bound("max").filter(|max| number > *max) {
                    let message = format!(
                        "Invalid value for parameter {}, value: {number}, valid max value: {max}",
                        display_path(path)
                    );
                    self.issue(path, message);
                }
            }
            "boolean" if !value.is_boolean() => type_error(self, "boolean"),
            "timestamp" => match value {
                Value::Number(_) => {}
                Value::String(text) if looks_like_timestamp(text) => {}
                _ => type_error(self, "timestamp (ISO-8601 string or epoch seconds)"),
            },
            _ => {}
        }
    }

    fn check_structure(&mut self, spec: &Value, value: &Value, path: &str) {
        let members = spec.get("members").and_then(Value::as_object);
        let given = value.as_object().expect("checked by the caller");
        if let Some(required) = spec.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if given.get(name).is_none_or(Value::is_null) {
                    let message = format!(
                        "Missing required parameter in {}: \"{name}\"",
                        display_path(path)
                    );
                    self.issue(&join(path, name), message);
                }
            }
        }
        for (name, member_value) in given {
            match members.and_then(|m| m.get(name)) {
                Some(member) => {
                    if !member_value.is_null() {
                        let member_shape = member["shape"].as_str().unwrap_or_default();
                        self.check(member_shape, member_value, &join(path, name));
                    }
                }
                None => {
                    let valid: Vec<&str> = members
                        .map(|m| m.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let message = format!(
                        "Unknown parameter in {}: \"{name}\", must be one of: {}",
                        display_path(path),
                        valid.join(", ")
                    );
                    self.issue(&join(path, name), message);
                }
            }
        }
    }

    fn check_length(&mut self, spec: &Value, length: usize, path: &str) {
        let bound = |key: &str| spec.get(key).and_then(Value::as_u64).map(|b| b as usize);
        if let Some(min) = bound("min").filter(|min| length < *min) {
            let message = format!(
                "Invalid length for parameter {}, value: {length}, valid min length: {min}",
                display_path(path)
            );
            self.issue(path, message);
        }
        if let Some(max) = bound("max").filter(|max| length > *max) {
            let message = format!(
                "Invalid length for parameter {}, value: {length}, valid max length: {max}",
                display_path(path)
            );
            self.issue(path, message);
        }
    }
}

fn looks_like_timestamp(text: &str) -> bool {
    // ISO-8601 date-time; the precise parse happens where the value is converted.
    let bytes = text.as_bytes();
    bytes.len() >= 10 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-'
}

/// Where the model's pattern is wrong or not valid Rust regex syntax, the pattern the service
/// actually enforces.
const PATTERN_FIXES: &[(&str, &str)] = &[
    // ResourceArn allows one letter of resource type; real ARNs have `channel/`, `stream-key/`...
    ("[a-z-]/", "[a-z-]+/"),
    // A `-` after a range is a literal hyphen in Java regex; say so explicitly for Rust.
    ("0-9-_]", "0-9_\\-]"),
];

static PATTERNS: Lazy<HashMap<String, Regex>> = Lazy::new(|| {
    let shapes = model()["shapes"].as_object().expect("model has shapes");
    shapes
        .iter()
        .filter_map(|(name, spec)| {
            let mut pattern = spec.get("pattern")?.as_str()?.to_string();
            for (wrong, right) in PATTERN_FIXES {
                pattern = pattern.replace(wrong, right);
            }
            // Model patterns are matched against the whole value.
            let anchored = format!("^(?:{pattern})$");
            let regex = Regex::new(&anchored).unwrap_or_else(|e| panic!("pattern of {name}: {e}"));
            Some((name.clone(), regex))
        })
        .collect()
});

/// A copy of `value` (of shape `shape_name`) with every sensitive member replaced by [`REDACTED`],
/// for `Debug` output, logs and error text.
pub fn redact_sensitive(shape_name: &str, value: &Value) -> Value {
    let Some(spec) = shape(shape_name) else {
        return value.clone();
    };
    if spec.get("sensitive").and_then(Value::as_bool) == Some(true) {
        return Value::String(REDACTED.to_string());
    }
    match (spec["type"].as_str(), value) {
        (Some("structure"), Value::Object(given)) => {
            let members = spec.get("members");
            Value::Object(
                given
                    .iter()
                    .map(|(name, v)| {
                        let redacted = match members.and_then(|m| m[name]["shape"].as_str()) {
                            Some(member_shape) => redact_sensitive(member_shape, v),
                            None => v.clone(),
                        };
                        (name.clone(), redacted)
                    })
                    .collect(),
            )
        }
        (Some("list"), Value::Array(items)) => {
            let member = spec["member"]["shape"].as_str().unwrap_or_default();
            Value::Array(items.iter().map(|v| redact_sensitive(member, v)).collect())
        }
        (Some("map"), Value::Object(entries)) => {
            let value_shape = spec["value"]["shape"].as_str().unwrap_or_default();
            Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), redact_sensitive(value_shape, v)))
                    .collect(),
            )
        }
        _ => value.clone(),
    }
}

/// The shapes whose values can hold a sensitive member at any depth (the sensitive shapes,
/// and every structure, list or map that leads to one), worked out once from the model.
static HOLDS_SENSITIVE: Lazy<std::collections::HashSet<&'static str>> = Lazy::new(|| {
    let shapes = model()["shapes"].as_object().expect("the model has shapes");
    let mut found: std::collections::HashSet<&'static str> = shapes
        .iter()
        .filter(|(_, spec)| spec.get("sensitive").and_then(Value::as_bool) == Some(true))
        .map(|(name, _)| name.as_str())
        .collect();
    // Grow until nothing new leads to a sensitive shape (the model's shapes may nest deeply).
    loop {
        let before = found.len();
        for (name, spec) in shapes {
            let inner = spec["members"]
                .as_object()
                .into_iter()
                .flat_map(|members| members.values())
                .chain([&spec["member"], &spec["value"]])
                .filter_map(|member| member["shape"].as_str());
            if inner.into_iter().any(|shape| found.contains(shape)) {
                found.insert(name.as_str());
            }
        }
        if found.len() == before {
            return found;
        }
    }
});

/// Whether a value of shape `shape_name` can hold a sensitive member (PutMetadata's input can;
/// most cannot, and then [`sensitive_strings`] has nothing to look for).
pub fn may_hold_sensitive(shape_name: &str) -> bool {
    HOLDS_SENSITIVE.contains(shape_name)
}

/// Every string of `value` (of shape `shape_name`) that [`redact_sensitive`] would hide, for
/// cutting out of text that may quote it (log records).
pub fn sensitive_strings(shape_name: &str, value: &Value, out: &mut Vec<String>) {
    let Some(spec) = shape(shape_name) else {
        return;
    };
    if spec.get("sensitive").and_then(Value::as_bool) == Some(true) {
        collect_strings(value, out);
        return;
    }
    match (spec["type"].as_str(), value) {
        (Some("structure"), Value::Object(given)) => {
            for (name, v) in given {
                if let Some(member_shape) = spec["members"][name]["shape"].as_str() {
                    sensitive_strings(member_shape, v, out);
                }
            }
        }
        (Some("list"), Value::Array(items)) => {
            let member = spec["member"]["shape"].as_str().unwrap_or_default();
            items.iter().for_each(|v| sensitive_strings(member, v, out));
        }
        (Some("map"), Value::Object(entries)) => {
            let value_shape = spec["value"]["shape"].as_str().unwrap_or_default();
            entries
                .values()
                .for_each(|v| sensitive_strings(value_shape, v, out));
        }
        _ => {}
    }
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) if !text.is_empty() => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(members) => members.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::operation;
    use serde_json::json;

    #[test]
    fn sensitive_strings_are_what_redaction_hides() {
        assert!(may_hold_sensitive("PutMetadataRequest"));
        assert!(may_hold_sensitive("CreateChannelResponse"));
        assert!(!may_hold_sensitive("GetChannelRequest"));
        let mut found = Vec::new();
        let input =
            json!({"channelArn": "arn:aws:ivs:us-west-2:1:channel/a", "metadata": "secret"});
        sensitive_strings("PutMetadataRequest", &input, &mut found);
        assert_eq!(found, ["secret"]);
        let redacted = redact_sensitive("PutMetadataRequest", &input);
        assert_eq!(redacted["metadata"], REDACTED);
    }

    fn issues(op: &str, input: Value, rules: Rules) -> Vec<String> {
        match validate_input(operation(op).unwrap(), &input, rules) {
            Ok(()) => vec![],
            Err(found) => found.into_iter().map(|i| i.message).collect(),
        }
    }

    #[test]
    fn accepts_valid_input() {
        let arn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";
        assert!(issues("GetChannel", json!({"arn": arn}), Rules::Service).is_empty());
        assert!(issues("ListChannels", Value::Null, Rules::Service).is_empty());
        let tags = json!({"resourceArn": arn, "tags": {"team": "video"}});
        assert!(issues("TagResource", tags, Rules::Service).is_empty());
    }

    #[test]
    fn names_each_problem_and_its_path() {
        let found = issues(
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {"s3": {}}, "nmae": "x", "recordingReconnectWindowSeconds": 301}),
            Rules::Client,
        );
        assert!(found.contains(
            &"Missing required parameter in destinationConfiguration.s3: \"bucketName\"".into()
        ));
        assert!(found
            .iter()
            .any(|m| m.starts_with("Unknown parameter in input: \"nmae\", must be one of: name,")));
        assert!(found.contains(&"Invalid value for parameter recordingReconnectWindowSeconds, value: 301, valid max value: 300".into()));
        let found = issues("GetChannel", json!({"arn": 7}), Rules::Client);
        assert_eq!(
            found,
            vec!["Invalid type for parameter arn, value: 7, type: integer, valid types: string"]
        );
        let found = issues(
            "CreateChannel",
            json!({"latencyMode": "FAST", "name": "x".repeat(129)}),
            Rules::Client,
        );
        assert!(found.contains(
            &"Invalid value for parameter latencyMode, value: FAST, valid values: NORMAL, LOW"
                .into()
        ));
        assert!(found.contains(
            &"Invalid length for parameter name, value: 129, valid max length: 128".into()
        ));
        let found = issues(
            "BatchGetChannel",
            json!({"arns": ["arn:aws:ivs:us-west-2:1:channel/a", 5]}),
            Rules::Client,
        );
        assert_eq!(
            found,
            vec![
                "Invalid type for parameter arns[1], value: 5, type: integer, valid types: string"
            ]
        );
    }

    #[test]
    fn patterns_only_for_the_service_and_fixed_where_wrong() {
        let bad = json!({"arn": "not-an-arn"});
        assert!(issues("GetChannel", bad.clone(), Rules::Client).is_empty());
        assert_eq!(issues("GetChannel", bad, Rules::Service).len(), 1);
        // The model's ResourceArn pattern would reject every real ARN.
        let real = json!({"resourceArn": "arn:aws:ivs:us-west-2:123456789012:stream-key/abc"});
        assert!(issues("ListTagsForResource", real, Rules::Service).is_empty());
        let name = json!({"name": "my_channel-1"});
        assert!(issues("CreateChannel", name, Rules::Service).is_empty());
        let name = json!({"name": "my channel"});
        assert_eq!(issues("CreateChannel", name, Rules::Service).len(), 1);
    }

    #[test]
    fn secrets_never_appear_in_messages_or_redactions() {
        let found = issues(
            "PutMetadata",
            json!({"channelArn": "arn:aws:ivs:us-west-2:1:channel/a", "metadata": 12345}),
            Rules::Client,
        );
        assert_eq!(found.len(), 1);
        assert!(!found[0].contains("12345"), "{}", found[0]);
        let key = json!({"streamKey": {"arn": "a", "value": "sk_us-west-2_secret"}});
        let shown = redact_sensitive("GetStreamKeyResponse", &key).to_string();
        assert!(
            !shown.contains("secret") && shown.contains(REDACTED),
            "{shown}"
        );
    }

    #[test]
    fn every_model_pattern_compiles() {
        assert!(PATTERNS.len() > 10);
    }
}
