//! `codegen`: writes every mechanical file from `model/ivs-2020-07-14.json`.
//! (and the documentation prose beside it). With `--check` it writes nothing and fails if any committed file differs from what it would write.
//!
//! This file only orchestrates: it reads the model once into a [`Model`], asks each generator for
//! its files and writes (or compares) them.

use std::path::Path;

use serde_json::Value;

use crate::docs::DOCS_PATH;
use crate::model::{Model, MODEL_PATH};
use crate::{codegen_c, codegen_emulator, codegen_node, codegen_python, codegen_rust, version};

pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let model_path = root.join(MODEL_PATH);
    let text = std::fs::read_to_string(&model_path)
        .map_err(|e| format!("{}: {e}", model_path.display()))?;
    let raw_model: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let docs_path = root.join(DOCS_PATH);
    let docs_text =
        std::fs::read_to_string(&docs_path).map_err(|e| format!("{}: {e}", docs_path.display()))?;
    let docs: Value = serde_json::from_str(&docs_text).map_err(|e| e.to_string())?;
    let model = Model::new(&raw_model, &docs);
    let mut outputs = codegen_rust::outputs(&model);
    outputs.extend(codegen_emulator::outputs(&model));
    outputs.extend(codegen_python::outputs(&model));
    outputs.extend(codegen_node::outputs(root, &model)?);
    outputs.extend(codegen_c::outputs(root, &model)?);
    outputs.extend(version::npm_outputs(root)?);
    let mut stale = Vec::new();
    for (relative, content) in outputs {
        // Generated Rust is formatted like the rest, so `cargo fmt --check` holds for it too.
        let content = if relative.ends_with(".rs") {
            rustfmt(&content)?
        } else {
            content
        };
        if !write_or_check(root, &relative, &content, check)? {
            stale.push(relative);
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated files are stale (run `make codegen`): {}",
            stale.join(", ")
        ))
    }
}

/// Writes `content` to `root/relative` where it differs (`check`: writes nothing). Answers
/// whether the file is up to date afterwards: false only when `check` found it stale.
pub fn write_or_check(
    root: &Path,
    relative: &str,
    content: &str,
    check: bool,
) -> Result<bool, String> {
    let path = root.join(relative);
    if std::fs::read_to_string(&path).unwrap_or_default() == content {
        return Ok(true);
    }
    if check {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&path, content).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {relative}");
    Ok(true)
}

fn rustfmt(source: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {rustfmt}: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(source.as_bytes())
        .map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed on generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| e.to_string())
}
