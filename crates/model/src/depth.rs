//! The one nesting limit for request values, shared by every face and the emulator.
//!
//! No IVS input nests deeper than four levels (`destinationConfiguration.s3.bucketName`), so a
//! deeper value is always a mistake; refusing it early keeps every conversion (Python objects,
//! JavaScript values, JSON text) iterative-safe: nothing recurses past this depth, and a cyclic
//! structure is reported as too deep instead of overflowing the stack.

use serde_json::Value;

/// How many levels of objects and arrays a request value may hold (the input object itself is
/// level 1). Documented in the README; the faces stop converting at the same depth.
pub const MAX_INPUT_DEPTH: usize = 32;

/// The path of the first value nested deeper than [`MAX_INPUT_DEPTH`] (`tags.a.b[0]...`),
/// if any. Walks with an explicit stack, so it never recurses whatever the depth.
pub fn too_deep_path(input: &Value) -> Option<String> {
    // (value, depth of the container holding it, path to it)
    let mut pending: Vec<(&Value, usize, String)> = vec![(input, 1, String::new())];
    while let Some((value, depth, path)) = pending.pop() {
        let children: Vec<(&Value, String)> = match value {
            Value::Object(members) => members
                .iter()
                .map(|(key, child)| (child, join_key(&path, key)))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, child)| (child, format!("{path}[{i}]")))
                .collect(),
            _ => continue,
        };
        if depth > MAX_INPUT_DEPTH {
            return Some(if path.is_empty() {
                "input".into()
            } else {
                path
            });
        }
        for (child, child_path) in children {
            if child.is_object() || child.is_array() {
                pending.push((child, depth + 1, child_path));
            }
        }
    }
    None
}

/// The message every face shows for a value nested too deeply (or a cyclic one).
pub fn too_deep_message(path: &str) -> String {
    format!(
        "Invalid value for parameter {path}: nested more than {MAX_INPUT_DEPTH} levels deep \
         (or a structure that contains itself)"
    )
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(levels: usize) -> Value {
        let mut value = json!("leaf");
        for _ in 0..levels {
            value = json!({ "a": value });
        }
        value
    }

    #[test]
    fn allows_the_limit_and_names_the_path_past_it() {
        assert_eq!(too_deep_path(&nested(MAX_INPUT_DEPTH)), None);
        let path = too_deep_path(&nested(MAX_INPUT_DEPTH + 1)).unwrap();
        assert_eq!(path.matches('a').count(), MAX_INPUT_DEPTH);
        assert!(path.starts_with("a.a."));
        assert_eq!(
            too_deep_path(&json!({"tags": {"k": "v"}, "x": [1, [2]]})),
            None
        );
    }

    #[test]
    fn deep_arrays_are_caught_too() {
        let mut value = json!(1);
        for _ in 0..(MAX_INPUT_DEPTH + 5) {
            value = json!([value]);
        }
        let path = too_deep_path(&json!({ "list": value })).unwrap();
        assert!(path.starts_with("list[0][0]"), "{path}");
    }
}
