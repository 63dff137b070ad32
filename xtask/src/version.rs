//! The one version of libivs is the workspace's (`[workspace.package] version` in Cargo.toml,
//! which every crate inherits, so the wheel, `ivs_version()` and `libivs.__version__` follow it by
//! construction). What cannot read Cargo.toml is written from it here: the npm packages' versions
//! and the `IVS_VERSION_*` macros of `ivs.h`; `make check-generated` fails when they disagree.

use std::path::Path;

use serde_json::Value;

/// xtask inherits the workspace version, and cargo rebuilds it when Cargo.toml changes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The npm manifests that carry the version (the lock file records the root package's too).
const NPM_MANIFESTS: &[&str] = &[
    "node/package.json",
    "node/package-lock.json",
    "node/npm/linux-x64-gnu/package.json",
];

/// Rust constants that cbindgen turns into `#define IVS_VERSION_MAJOR 0` etc. in `ivs.h`.
pub fn c_constants() -> String {
    let mut parts = VERSION
        .split(['.', '-', '+'])
        .map(|part| part.parse::<u32>().unwrap_or(0));
    let mut out = String::from("\n");
    for (name, which) in [("MAJOR", "major"), ("MINOR", "minor"), ("PATCH", "patch")] {
        let value = parts.next().unwrap_or(0);
        out.push_str(&format!(
            "/// The {which} number of the libivs version this header belongs to (`ivs_version()` \
             answers the library's: compare them to detect a mismatched header and library).\n\
             pub const IVS_VERSION_{name}: u32 = {value};\n"
        ));
    }
    out
}

/// Each npm manifest with its `version` (and the lock file's root package version) set to
/// [`VERSION`], keeping npm's own layout (two-space JSON with a final newline).
pub fn npm_outputs(root: &Path) -> Result<Vec<(String, String)>, String> {
    let mut outputs = Vec::new();
    for relative in NPM_MANIFESTS {
        let path = root.join(relative);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut manifest: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        set_version(&mut manifest);
        if let Some(root_package) = manifest.pointer_mut("/packages/") {
            set_version(root_package);
        }
        let mut content = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
        content.push('\n');
        outputs.push((relative.to_string(), content));
    }
    Ok(outputs)
}

fn set_version(manifest: &mut Value) {
    if let Some(version) = manifest.get_mut("version") {
        *version = Value::String(VERSION.to_string());
    }
}
