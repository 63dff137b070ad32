//! The model and the `aws-sdk-ivs` crate must agree on the operation list. The generated
//! conversions already fail to compile for an operation the crate lacks; this catches the
//! other direction (an operation the crate has and the model does not), by reading the crate's
//! `src/operation/` folder as cargo resolved it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn aws_sdk_ivs_source() -> PathBuf {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "aws-sdk-ivs")
        .expect("aws-sdk-ivs is a dependency");
    PathBuf::from(package["manifest_path"].as_str().unwrap())
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn model_matches_aws_sdk_ivs() {
    let operations_dir = aws_sdk_ivs_source().join("src/operation");
    let in_crate: BTreeSet<String> = std::fs::read_dir(&operations_dir)
        .unwrap()
        .filter_map(|entry| {
            let entry = entry.unwrap();
            entry
                .file_type()
                .unwrap()
                .is_dir()
                .then(|| entry.file_name().to_string_lossy().into_owned())
        })
        .collect();
    let in_model: BTreeSet<String> = libivs_core::OPERATIONS
        .iter()
        .map(|op| op.snake_name.to_string())
        .collect();
    assert_eq!(in_crate.len(), 46, "aws-sdk-ivs 1.131 has 46 operations");
    assert_eq!(in_model, in_crate);
}
