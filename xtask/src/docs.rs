//! Reference documentation of each operation, from the model and its documentation prose
//! (`model/ivs-2020-07-14.docs.json`, written by `import-model`): what every face's generator
//! formats as docstrings (Python), TSDoc (Node) and doxygen (C). A leaf beside `model.rs`.

use serde_json::Value;

use crate::model::{members, required, Model, Operation};

/// Where the documentation prose lives, relative to the repository root.
pub const DOCS_PATH: &str = "model/ivs-2020-07-14.docs.json";

/// The AWS API Reference page of an operation.
pub fn reference_url(operation: &str) -> String {
    format!("https://docs.aws.amazon.com/ivs/latest/LowLatencyAPIReference/API_{operation}.html")
}

/// One request member, described.
pub struct Param {
    pub name: String,
    /// `string`, `integer`, `boolean`, `timestamp`, `list of string`, `object (Srt)`...
    pub kind: String,
    pub required: bool,
    /// `length 1-128`, `range 1-100`, `pattern ^[a-z]*$`, `one of "LOW", "NORMAL"`.
    pub constraints: Vec<String>,
    /// The member's documentation as plain text (may be empty).
    pub text: String,
}

/// One operation, described.
pub struct OperationDoc {
    /// The operation's documentation as plain text, by paragraph.
    pub paragraphs: Vec<String>,
    pub params: Vec<Param>,
    pub errors: Vec<String>,
    pub url: String,
}

impl Param {
    /// `string, required; length 1-128; pattern ^...$` (the type, whether required, the constraints).
    pub fn summary(&self) -> String {
        let mut parts = vec![format!(
            "{}, {}",
            self.kind,
            if self.required {
                "required"
            } else {
                "optional"
            }
        )];
        parts.extend(self.constraints.iter().cloned());
        parts.join("; ")
    }
}

impl OperationDoc {
    /// The lines of a doc comment (TSDoc, doxygen) in Markdown: the paragraphs (wrapped at
    /// `width`), `IVS \`Name\` (\`POST /Name\`).` and a list of the request members, one line
    /// each; `*/` is escaped so that the text cannot end a `/** */` comment.
    pub fn markdown(&self, op: &Operation, width: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in &self.paragraphs {
            lines.extend(wrap(paragraph, width));
            lines.push(String::new());
        }
        lines.push(format!("{}.", http_line(op, "`")));
        lines.push(String::new());
        if self.params.is_empty() {
            lines.push("Request members: none.".into());
        } else {
            lines.push("Request members:".into());
            for param in &self.params {
                let text = if param.text.is_empty() {
                    String::new()
                } else {
                    format!(": {}", param.text)
                };
                lines.push(format!("- `{}` ({}){text}", param.name, param.summary()));
            }
        }
        lines
            .iter()
            .map(|line| line.replace("*/", "*\\/"))
            .collect()
    }
}

/// "IVS Name (POST /Name)" with `quote` around the name and the HTTP binding (a backtick in
/// Markdown, two in reStructuredText).
pub fn http_line(op: &Operation, quote: &str) -> String {
    format!(
        "IVS {quote}{}{quote} ({quote}{} {}{quote})",
        op.name,
        op.http_method(),
        op.request_uri()
    )
}

/// The documentation of `op`; `docs` is the documentation file's JSON (`Value::Null` if absent).
pub fn operation_doc(model: &Model, docs: &Value, op: &Operation) -> OperationDoc {
    let text = paragraphs(docs["operations"][op.name].as_str().unwrap_or_default());
    let mut params = Vec::new();
    if let Some(input) = op.input {
        let spec = model.shape(input);
        let needed = required(spec);
        for (member, member_spec) in members(spec) {
            let target = member_spec["shape"].as_str().unwrap_or_default();
            let text = docs["shapes"][input]["members"][member.as_str()]
                .as_str()
                .map(|html| paragraphs(html).join(" "))
                .unwrap_or_default();
            params.push(Param {
                name: member.clone(),
                kind: kind(model, target),
                required: needed.contains(&member.as_str()),
                constraints: constraints(model, target),
                text,
            });
        }
    }
    OperationDoc {
        paragraphs: text,
        params,
        errors: op.errors().into_iter().map(str::to_owned).collect(),
        url: reference_url(op.name),
    }
}

fn kind(model: &Model, shape: &str) -> String {
    let spec = model.shape(shape);
    match spec["type"].as_str().unwrap_or_default() {
        "list" => format!(
            "list of {}",
            kind(model, spec["member"]["shape"].as_str().unwrap_or_default())
        ),
        "map" => format!(
            "map of {} to {}",
            kind(model, spec["key"]["shape"].as_str().unwrap_or_default()),
            kind(model, spec["value"]["shape"].as_str().unwrap_or_default())
        ),
        "structure" => format!("object ({shape})"),
        "long" => "integer".into(),
        other => other.into(),
    }
}

fn constraints(model: &Model, shape: &str) -> Vec<String> {
    let spec = model.shape(shape);
    let sized = matches!(
        spec["type"].as_str().unwrap_or_default(),
        "string" | "list" | "map" | "blob"
    );
    let word = if sized { "length" } else { "range" };
    let number = |v: &Value| {
        v.as_f64().map(|n| {
            if n.fract() == 0.0 {
                format!("{}", n as i64)
            } else {
                n.to_string()
            }
        })
    };
    let mut out = Vec::new();
    match (number(&spec["min"]), number(&spec["max"])) {
        (Some(min), Some(max)) => out.push(format!("{word} {min}-{max}")),
        (Some(min), None) => out.push(format!("{word} at least {min}")),
        (None, Some(max)) => out.push(format!("{word} at most {max}")),
        (None, None) => {}
    }
    if let Some(pattern) = spec["pattern"].as_str() {
        out.push(format!("pattern {pattern}"));
    }
    let values = match spec["type"].as_str() {
        Some("list") => {
            model.shape(spec["member"]["shape"].as_str().unwrap_or_default())["enum"].as_array()
        }
        _ => spec["enum"].as_array(),
    };
    if let Some(values) = values {
        let values: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
        out.push(format!("one of {}", values.join(", ")));
    }
    out
}

/// The model's HTML prose as plain-text paragraphs (`<p>`, `<li>` and `<note>` start one; tags
/// dropped, entities decoded, whitespace collapsed).
pub fn paragraphs(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let closing = tag.starts_with('/');
        let name = tag.trim_start_matches('/').split_whitespace().next();
        match name.unwrap_or_default() {
            "li" if !closing => text.push_str("\n- "),
            "p" | "note" | "ul" | "li" if !text.ends_with("- ") => text.push('\n'),
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.contains('<') {
        text.push_str(rest);
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    text.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty() && line != "-")
        .collect()
}

/// `text` wrapped at `width` columns (words are never split).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_paragraphs() {
        let html = "<p>Use <code>LOW</code> &amp; see <a href=\"x\">this</a>.</p><ul><li><p>One</p></li><li>Two</li></ul>";
        assert_eq!(paragraphs(html), ["Use LOW & see this.", "- One", "- Two"]);
    }

    #[test]
    fn create_channel_is_described_from_the_model() {
        let read = |path: &str| -> Value {
            let text = std::fs::read_to_string(crate::workspace_root().join(path)).unwrap();
            serde_json::from_str(&text).unwrap()
        };
        let (raw, docs) = (read(crate::model::MODEL_PATH), read(DOCS_PATH));
        let model = Model::new(&raw, &docs);
        let op = model
            .operations
            .iter()
            .find(|op| op.name == "CreateChannel")
            .unwrap();
        let doc = operation_doc(&model, &docs, op);
        let lines = doc.markdown(op, 96);
        assert!(
            lines.contains(
                &"- `name` (string, optional; length 0-128; pattern [a-zA-Z0-9-_]*): Channel name."
                    .to_string()
            ),
            "{lines:?}"
        );
        assert!(lines.iter().any(
            |l| l.starts_with("- `latencyMode` (string, optional; one of \"NORMAL\", \"LOW\")")
        ));
        assert!(doc
            .errors
            .contains(&"ServiceQuotaExceededException".to_string()));
        assert_eq!(
            doc.url,
            "https://docs.aws.amazon.com/ivs/latest/LowLatencyAPIReference/API_CreateChannel.html"
        );
    }

    #[test]
    fn wraps_without_splitting_words() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
    }
}
