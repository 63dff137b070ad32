//! The model and the `aws-sdk-ivs` crate must agree on the operation list. The generated
//! conversions already fail to compile for an operation the crate lacks; this catches the
//! other direction (an operation the crate has and the model does not), by reading the crate's
//! `src/operation/` folder as cargo resolved it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The version of aws-sdk-ivs that Cargo.lock pins.
fn locked_version() -> String {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let text = std::fs::read_to_string(&lock).expect("Cargo.lock");
    let at = text
        .find("name = \"aws-sdk-ivs\"")
        .expect("aws-sdk-ivs is locked");
    let line = text[at..].lines().nth(1).expect("a version line");
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_string()
}

/// Where cargo unpacked that version's source (`$CARGO_HOME/registry/src/<index>/...`).
fn aws_sdk_ivs_source() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cargo"));
    let wanted = format!("aws-sdk-ivs-{}", locked_version());
    std::fs::read_dir(cargo_home.join("registry/src"))
        .expect("the registry sources")
        .map(|index| index.unwrap().path().join(&wanted))
        .find(|path| path.is_dir())
        .unwrap_or_else(|| panic!("{wanted} is not unpacked"))
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
