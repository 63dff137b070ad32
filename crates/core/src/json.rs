//! JSON text from a face (arguments, serialized values), read under one policy:
//! a syntax error names where it is (never the text: it may hold secrets), and a value nested
//! past serde_json's recursion limit is the same `ParamValidationError` as one past
//! [`libivs_model::MAX_INPUT_DEPTH`], whatever face it came through.

use serde_json::Value;

use crate::error::Error;

/// Parses `text` (what the caller calls `what`: "input", "config"...).
pub fn parse_json_arg(text: &str, what: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|error| {
        // serde_json reports its nesting limit (128) as a syntax error; it is a depth error.
        if error.to_string().starts_with("recursion limit exceeded") {
            Error::param_validation(libivs_model::too_deep_message(what))
        } else {
            Error::invalid_argument(format!("{what} is not valid JSON: {error}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_and_syntax_errors_are_typed_and_quote_nothing() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let error = parse_json_arg(&deep, "input").unwrap_err();
        assert_eq!(error.code(), "ParamValidationError");
        let error = parse_json_arg("{\"secret-value\": ", "input").unwrap_err();
        assert_eq!(error.code(), "InvalidArgument");
        assert!(
            !error.message().contains("secret-value"),
            "{}",
            error.message()
        );
    }
}
