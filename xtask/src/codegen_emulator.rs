//! Generated tables of the emulator (`crates/emulator/src/generated.rs`): what the emulator's
//! handlers need to know of the model beyond the operation table and the input checks.

use std::fmt::Write as _;

use crate::model::{generated_header, header_members, members, Model};

pub fn outputs(model: &Model) -> Vec<(String, String)> {
    vec![(
        "crates/emulator/src/generated.rs".to_string(),
        tables(model),
    )]
}

fn quoted(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    names
        .into_iter()
        .map(|name| format!("{:?}", name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tables(model: &Model) -> String {
    let mut out = generated_header("//");
    out.push_str("//! The emulator's tables taken from the model.\n\n");
    let errors = model.errors();
    let _ = writeln!(
        out,
        "/// The modeled errors (the model's `exception` shapes), which IVS writes with \
         `exceptionMessage`.\npub const MODELED_ERRORS: [&str; {}] = [{}];\n",
        errors.len(),
        quoted(errors.iter().map(|error| error.name)),
    );
    out.push_str(
        "/// The members of a list operation's items (the model's `*Summary` shapes), by operation.\n\
         pub fn list_item_members(operation: &str) -> Option<&'static [&'static str]> {\n    \
         match operation {\n",
    );
    for op in model.paginated() {
        let item = model.item_shape(op);
        let names = members(model.shape(item)).into_iter().map(|(name, _)| name);
        let _ = writeln!(
            out,
            "        // {item}\n        {:?} => Some(&[{}]),",
            op.name,
            quoted(names)
        );
    }
    out.push_str("        _ => None,\n    }\n}\n");
    out.push_str(
        "\n/// The response headers the model binds to members of an operation's output, by operation\n\
         /// (IVS's CORS and security headers; their values are IVS's, in `response.rs`).\n\
         pub fn output_headers(operation: &str) -> &'static [&'static str] {\n    match operation {\n",
    );
    for op in &model.operations {
        let Some(output) = op.output else { continue };
        let headers = header_members(model.shape(output));
        if !headers.is_empty() {
            let names = headers.into_iter().map(|(_, header)| header);
            let _ = writeln!(out, "        {:?} => &[{}],", op.name, quoted(names));
        }
    }
    out.push_str("        _ => &[],\n    }\n}\n");
    out
}
