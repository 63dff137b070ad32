//! Generated files of the python face. Each entry is (path relative to the repo root, content).

use serde_json::Value;

pub fn outputs(_model: &Value) -> Vec<(String, String)> {
    Vec::new()
}
