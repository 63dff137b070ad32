//! Project tasks: `import-model` (botocore data → `model/`), `codegen` (model → generated files)
//! and `python-stubs` (the built Python module → `_libivs.pyi`).
mod codegen;
mod codegen_c;
mod codegen_emulator;
mod codegen_node;
mod codegen_python;
mod codegen_rust;
mod docs;
mod model;
mod stubs;
mod version;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("import-model") => match args.get(1) {
            Some(dir) => import_model(Path::new(dir)),
            None => Err("usage: xtask import-model <botocore/data/ivs/2020-07-14>".into()),
        },
        Some("codegen") => codegen::run(&workspace_root(), args.iter().any(|a| a == "--check")),
        Some("python-stubs") => match args.get(1) {
            Some(module) => stubs::run(
                &workspace_root(),
                Path::new(module),
                args.iter().any(|a| a == "--check"),
            ),
            None => Err("usage: xtask python-stubs <built _libivs module> [--check]".into()),
        },
        _ => Err(
            "usage: xtask import-model <dir> | codegen [--check] | python-stubs <module> [--check]"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Botocore's paginators-1.json lists 7 of the 9 paginators that aws-sdk-ivs generates.
const EXTRA_PAGINATORS: &[(&str, &str)] = &[
    (
        "ListPlaybackRestrictionPolicies",
        "playbackRestrictionPolicies",
    ),
    ("ListStreamSessions", "streamSessions"),
];

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        out
    } else {
        String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Drops documentation prose; everything else (header-bound members included) is kept as is.
fn strip(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "documentation" | "documentationUrl"))
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
        other => other.clone(),
    }
}

fn import_model(dir: &Path) -> Result<(), String> {
    use serde_json::json;
    let service_path = ["service-2.json.gz", "service-2.json"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
        .ok_or_else(|| format!("no service-2.json(.gz) in {}", dir.display()))?;
    let service = read_json(&service_path)?;
    let mut paginators = read_json(&dir.join("paginators-1.json"))?["pagination"].clone();
    for (op, key) in EXTRA_PAGINATORS {
        paginators[*op] = json!({"input_token": "nextToken", "output_token": "nextToken",
                                 "limit_key": "maxResults", "result_key": key});
    }
    let model = json!({
        "metadata": strip(&service["metadata"]),
        "operations": strip(&service["operations"]),
        "shapes": strip(&service["shapes"]),
        "paginators": paginators,
    });
    write_json(&workspace_root().join(model::MODEL_PATH), &model)?;
    write_json(
        &workspace_root().join(docs::DOCS_PATH),
        &documentation(&service),
    )
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).unwrap() + "\n";
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// The documentation prose that `strip` leaves out of the model, for the generated reference
/// docs: `operations` → HTML, `shapes` → `{documentation, members: {member → HTML}}`.
fn documentation(service: &serde_json::Value) -> serde_json::Value {
    use serde_json::{Map, Value};
    let text = |value: &Value| value["documentation"].as_str().map(Value::from);
    let operations: Map<String, Value> = service["operations"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, op)| Some((name.clone(), text(op)?)))
        .collect();
    let shapes: Map<String, Value> = service["shapes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, shape)| {
            let members: Map<String, Value> = shape["members"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(member, spec)| Some((member.clone(), text(spec)?)))
                .collect();
            let mut entry = Map::new();
            if let Some(doc) = text(shape) {
                entry.insert("documentation".into(), doc);
            }
            if !members.is_empty() {
                entry.insert("members".into(), Value::Object(members));
            }
            (name.clone(), Value::Object(entry))
        })
        .filter(|(_, entry)| entry.as_object().is_some_and(|e| !e.is_empty()))
        .collect();
    serde_json::json!({"documentation": service["documentation"], "operations": operations, "shapes": shapes})
}
