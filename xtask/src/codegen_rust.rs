//! Generated Rust of the model crate and the core: the operation table
//! (`crates/model/src/operations.rs`) and the core's conversions — inputs from JSON, one output
//! emitter per shape — with the dispatch of every operation by name (`crates/core/src/generated.rs`).

use std::fmt::Write as _;

use serde_json::Value;

use crate::model::{generated_header, header_members, members, required, snake_case, Model};

pub fn outputs(model: &Model) -> Vec<(String, String)> {
    vec![
        (
            "crates/model/src/operations.rs".to_string(),
            operation_table(model),
        ),
        (
            "crates/core/src/generated.rs".to_string(),
            core_conversions(model),
        ),
    ]
}

fn rust_field(member: &str) -> String {
    let snake = snake_case(member);
    match snake.as_str() {
        "type" | "match" | "ref" | "self" | "fn" | "mod" => format!("r#{snake}"),
        _ => snake,
    }
}

fn operation_table(model: &Model) -> String {
    let mut out = generated_header("//");
    out.push_str("use crate::spec::{OperationSpec, PaginatorSpec};\n\n");
    out.push_str("/// Every IVS operation, sorted by name.\n");
    let _ = writeln!(
        out,
        "pub static OPERATIONS: [OperationSpec; {}] = [",
        model.operations.len()
    );
    for (index, op) in model.operations.iter().enumerate() {
        let opt = |v: Option<&str>| match v {
            Some(s) => format!("Some({s:?})"),
            None => "None".into(),
        };
        let errors: Vec<String> = op.errors().iter().map(|e| format!("{e:?}")).collect();
        let paginator = match op.paginator {
            Some(p) => format!(
                "Some(PaginatorSpec {{ input_token: {:?}, output_token: {:?}, limit_key: {:?}, result_key: {:?} }})",
                p["input_token"].as_str().unwrap(),
                p["output_token"].as_str().unwrap(),
                p["limit_key"].as_str().unwrap(),
                p["result_key"].as_str().unwrap()
            ),
            None => "None".into(),
        };
        let _ = writeln!(
            out,
            "    OperationSpec {{\n        index: {index},\n        name: {:?},\n        snake_name: {:?},\n        http_method: {:?},\n        request_uri: {:?},\n        success_code: {},\n        input_shape: {},\n        output_shape: {},\n        errors: &[{}],\n        paginator: {paginator},\n    }},",
            op.name,
            op.snake,
            op.http_method(),
            op.request_uri(),
            op.success_code(),
            opt(op.input),
            opt(op.output),
            errors.join(", "),
        );
    }
    out.push_str("];\n\n");
    out.push_str(
        "/// The members a modeled error's shape binds to response headers, as (member, header), by\n\
         /// error code (the SDK's error types expose the same members; the emulator sends those headers).\n\
         pub fn error_header_members(code: &str) -> &'static [(&'static str, &'static str)] {\n    \
         match code {\n",
    );
    // One arm per distinct list (IVS's errors mostly share one), its codes joined by `|`.
    let mut arms: Vec<(String, Vec<String>)> = Vec::new();
    for error in model.errors() {
        let pairs: Vec<String> = header_members(model.shape(error.name))
            .into_iter()
            .map(|(member, header)| format!("({member:?}, {header:?})"))
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let list = pairs.join(", ");
        let code = format!("{:?}", error.name);
        match arms.iter_mut().find(|(known, _)| *known == list) {
            Some((_, codes)) => codes.push(code),
            None => arms.push((list, vec![code])),
        }
    }
    for (list, codes) in &arms {
        let _ = writeln!(out, "        {} => &[{list}],", codes.join(" | "));
    }
    out.push_str("        _ => &[],\n    }\n}\n");
    out
}

fn core_conversions(model: &Model) -> String {
    let mut out = generated_header("//");
    out.push_str(
        "//! aws-sdk-ivs's inputs from JSON, its outputs emitted to a sink, and the dispatch of all\n\
         //! operations by their index in the operation table.\n\n\
         use aws_sdk_ivs::types;\nuse libivs_model::OperationSpec;\nuse serde_json::Value;\n\n\
         use crate::convert::{field, member, Emit, Finish, FromJson, Object, OutputSink, PageFacts};\n\
         use crate::error::Error;\n\n",
    );
    for name in model.type_structures() {
        let shape = model.shape(name);
        let _ = writeln!(out, "impl FromJson for types::{name} {{");
        out.push_str("    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {\n");
        out.push_str("        let object = Object::new(value, path)?;\n");
        let _ = writeln!(out, "        let builder = types::{name}::builder()");
        for (member, _) in members(shape) {
            let _ = writeln!(
                out,
                "            .set_{}(object.member({member:?})?)",
                snake_case(member)
            );
        }
        out.push_str("            ;\n        builder.build().finish(path)\n    }\n}\n\n");
        let _ = writeln!(out, "impl Finish<types::{name}> for types::{name} {{");
        out.push_str("    fn finish(self, _path: &str) -> Result<Self, Error> {\n        Ok(self)\n    }\n}\n\n");
        write_emit(&mut out, &format!("types::{name}"), Some(shape), None);
    }
    for name in model.enums() {
        let _ = writeln!(
            out,
            "impl FromJson for types::{name} {{\n    fn from_json(value: &Value, path: &str) -> Result<Self, Error> {{\n        Ok(types::{name}::from(field::<String>(value, path)?.as_str()))\n    }}\n}}\n"
        );
        let _ = writeln!(
            out,
            "impl Emit for types::{name} {{\n    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {{\n        sink.string(self.as_str());\n    }}\n}}\n"
        );
    }
    for op in &model.operations {
        let (module, name) = (&op.snake, op.name);
        let output = format!("aws_sdk_ivs::operation::{module}::{name}Output");
        write_emit(
            &mut out,
            &output,
            op.output.map(|shape| model.shape(shape)),
            op.paginator,
        );
    }
    out.push_str(
        "/// Sends `operation` with a JSON `input` (wire member names) and answers the SDK's output, to be\n\
         /// turned into a JSON value or JSON text.\n\
         /// The input has been checked against the model already; conversion errors name the member.\n\
         /// `operation` is an entry of `libivs_model::OPERATIONS`, matched by its index there (resolved once,\n\
         /// in `Client::check`).\n\
         pub(crate) async fn dispatch(\n    client: &aws_sdk_ivs::Client,\n    operation: &OperationSpec,\n    input: &Value,\n) -> Result<Box<dyn crate::output::SdkOutput>, Error> {\n    \
         let object = Object::new(input, \"\")?;\n    match operation.index {\n",
    );
    for (index, op) in model.operations.iter().enumerate() {
        let _ = writeln!(out, "        {index} => {{ // {}", op.name);
        let _ = writeln!(out, "            let request = client.{}()", op.snake);
        if let Some(input) = op.input {
            for (member, _) in members(model.shape(input)) {
                let _ = writeln!(
                    out,
                    "                .set_{}(object.member({member:?})?)",
                    snake_case(member)
                );
            }
        }
        out.push_str("                ;\n");
        // Boxed: each operation's send future is kilobytes (GetChannel's 4.8 KB), and unboxed
        // they would make this function's future as large as the largest, copied at every layer
        // that wraps it. Measured both ways: boxed costs ~2,000 fewer instructions per call.
        out.push_str(
            "            crate::output::finish_call(Box::pin(request.send()).await)\n        }\n",
        );
    }
    out.push_str("        _ => Err(Error::unknown_operation(operation.name)),\n    }\n}\n");
    out
}

/// The one emitter of a structure or output shape (no shape: an empty output): its members in
/// the model's order, to any sink (JSON text, JSON values, a face's objects).
/// A paginated operation's output also tells its paginator the page's token and item count
/// from the SDK's fields, so the page is walked once, when a face converts it.
fn write_emit(out: &mut String, rust_type: &str, shape: Option<&Value>, paginator: Option<&Value>) {
    let fields = shape.map(members).unwrap_or_default();
    let _ = writeln!(out, "impl Emit for {rust_type} {{");
    out.push_str("    fn emit<S: OutputSink + ?Sized>(&self, sink: &mut S) {\n");
    let _ = writeln!(out, "        sink.begin_object({});", fields.len());
    for (member, _) in fields {
        let _ = writeln!(
            out,
            "        member(sink, {member:?}, &self.{});",
            rust_field(member)
        );
    }
    out.push_str("        sink.end_object();\n    }\n");
    if let (Some(paginator), Some(shape)) = (paginator, shape) {
        let token = rust_field(paginator["output_token"].as_str().unwrap());
        let result_key = paginator["result_key"].as_str().unwrap();
        // aws-sdk-ivs makes a required list member a `Vec`, an optional one an `Option<Vec>`.
        let items = if required(shape).contains(&result_key) {
            format!("self.{}.len()", rust_field(result_key))
        } else {
            format!(
                "self.{}.as_ref().map_or(0, Vec::len)",
                rust_field(result_key)
            )
        };
        let _ = writeln!(
            out,
            "\n    fn page_facts(&self) -> Option<PageFacts<'_>> {{\n        Some(PageFacts {{\n            token: self.{token}.as_deref(),\n            items: {items},\n        }})\n    }}"
        );
    }
    out.push_str("}\n\n");
}
