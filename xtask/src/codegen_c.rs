//! Generated files of the c face: the per-operation functions (`bindings/c/src/generated.rs`,
//! each a thin wrapper over `ivs_call`, and the list of paginated operations) and `include/ivs.h`,
//! written by cbindgen (as a library) from the crate with the new `generated.rs` in place.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::docs::operation_doc;
use crate::model::{generated_header, members, required, Model};

const GENERATED_RS: &str = "bindings/c/src/generated.rs";
const HEADER_H: &str = "include/ivs.h";

pub fn outputs(root: &Path, model: &Model) -> Result<Vec<(String, String)>, String> {
    let generated =
        operation_functions(model) + &paginated_operations(model) + &crate::version::c_constants();
    let header = header(root, &generated)
        .map_err(|e| format!("cbindgen could not write {HEADER_H}: {e}"))?;
    Ok(vec![
        (GENERATED_RS.to_string(), generated),
        (HEADER_H.to_string(), header),
    ])
}

fn member_list(model: &Model, shape: Option<&str>) -> String {
    let Some(shape) = shape.map(|name| model.shape(name)) else {
        return "none".into();
    };
    let required = required(shape);
    let members: Vec<String> = members(shape)
        .into_iter()
        .map(|(name, _)| {
            if required.contains(&name.as_str()) {
                format!("`{name}` (required)")
            } else {
                format!("`{name}`")
            }
        })
        .collect();
    if members.is_empty() {
        "none".into()
    } else {
        members.join(", ")
    }
}

fn operation_functions(model: &Model) -> String {
    let mut out = generated_header("//");
    out.push_str(
        "//! One C function per IVS operation, each a thin wrapper over `ivs_call`.\n\n\
         use std::ffi::c_char;\n\n\
         use crate::client::{ivs_call, IvsClient};\n\
         use crate::error::IvsError;\n\
         use crate::ffi::IvsStatus;\n",
    );
    for op in &model.operations {
        let name = op.name;
        let function = format!("ivs_{}", op.snake);
        let doc = operation_doc(model, model.docs, op);
        let _ = writeln!(out, "\n/// \\brief `{name}`: `ivs_call(client, \"{name}\", request_json, response_json, error)`.\n///");
        for line in doc.markdown(op, 96) {
            if line.is_empty() {
                out.push_str("///\n");
            } else {
                let _ = writeln!(out, "/// {line}");
            }
        }
        let errors = if doc.errors.is_empty() {
            "none".to_string()
        } else {
            doc.errors
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            out,
            "///\n\
             /// Response members: {response}.\n\
             /// Service errors (`ivs_error_code`): {errors}.\n\
             ///\n\
             /// @param client A client from `ivs_client_new`.\n\
             /// @param request_json The request members above as a JSON object (NULL or `{{}}`: none).\n\
             /// @param response_json Set to the response JSON (free with `ivs_string_free`) on `IVS_OK`.\n\
             /// @param error Set to the error (free with `ivs_error_free`) on `IVS_ERROR`; may be NULL.\n\
             /// @return `IVS_OK` or `IVS_ERROR`.\n\
             /// @see {url}\n",
            response = member_list(model, op.output),
            url = doc.url,
        );
        if op.paginator.is_some() {
            out.push_str("/// Paginated: see `ivs_paginator_new`.\n");
        }
        let _ = writeln!(
            out,
            "#[no_mangle]\n\
             pub unsafe extern \"C\" fn {function}(\n    \
                 client: *const IvsClient,\n    \
                 request_json: *const c_char,\n    \
                 response_json: *mut *mut c_char,\n    \
                 error: *mut *mut IvsError,\n\
             ) -> IvsStatus {{\n    \
                 ivs_call(client, c\"{name}\".as_ptr(), request_json, response_json, error)\n\
             }}"
        );
    }
    out
}

/// `IVS_PAGINATED_OPERATION_COUNT`, whose documentation is the one list of the operations
/// `ivs_paginator_new` takes, so that the header's paginator docs need not keep one by hand.
fn paginated_operations(model: &Model) -> String {
    let names: Vec<String> = model
        .paginated()
        .map(|op| format!("`{}`", op.name))
        .collect();
    format!(
        "\n/// How many operations have paginators; these are the `operation` names that\n\
         /// `ivs_paginator_new` takes: {}.\n\
         pub const IVS_PAGINATED_OPERATION_COUNT: u32 = {};\n",
        names.join(", "),
        names.len()
    )
}

/// Runs cbindgen on a copy of the crate's sources in which `generated.rs` is the new one, so
/// that `codegen --check` sees the header that `codegen` would write.
fn header(root: &Path, generated: &str) -> Result<String, String> {
    let crate_dir = root.join("bindings/c");
    let staging: PathBuf = std::env::temp_dir().join(format!(
        "libivs-cbindgen-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    ));
    let src = staging.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let result = (|| {
        for entry in std::fs::read_dir(crate_dir.join("src")).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.extension().is_some_and(|e| e == "rs") {
                std::fs::copy(&path, src.join(path.file_name().unwrap()))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        std::fs::write(src.join("generated.rs"), generated).map_err(|e| e.to_string())?;
        let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))?;
        let bindings = cbindgen::Builder::new()
            .with_config(config)
            .with_src(src.join("lib.rs"))
            .generate()
            .map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        bindings.write(&mut bytes);
        let header = String::from_utf8(bytes).map_err(|e| e.to_string())?;
        // Rust takes ivs_set_logger's level as a plain int (an out-of-range enum value from C
        // would be undefined behaviour there); C and C++ callers see the enum it takes.
        Ok(header.replace(
            "void ivs_set_logger(int min_level,",
            "void ivs_set_logger(ivs_log_level min_level,",
        ))
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result
}
