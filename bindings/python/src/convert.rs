//! Python values as JSON requests and configurations: checked, bounded in depth, `datetime`
//! inputs as ISO-8601 text. (The other way, answers as Python objects, is `output.rs`.)

use libivs_core::Error;
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::output::{datetime_class, utc};
use serde_json::{Map, Number, Value};

/// What a converted value is for: it decides the error a bad value is and whether `None`
/// may stand for "not given".
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Request parameters: boto3 refuses `None` members (`ParamValidationError`).
    Request,
    /// A configuration dict: `None` means unset; a bad value is a `ConfigError`.
    Config,
    /// Anything else (playback-token claims, emulator options): `None` is JSON `null`.
    Other,
}

fn purpose_error(purpose: Purpose, message: String) -> Error {
    match purpose {
        Purpose::Config => Error::config(message),
        Purpose::Request | Purpose::Other => Error::param_validation(message),
    }
}

/// A Python value that cannot be sent (not JSON-like): boto3's `ParamValidationError`.
fn invalid(py: Python<'_>, purpose: Purpose, path: &str, value: &Bound<'_, PyAny>) -> PyErr {
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into());
    let message = if value.is_none() {
        format!(
            "Invalid type for parameter {path}, value: None, type: <class 'NoneType'>, valid types: <class 'str'>, <class 'int'>, <class 'float'>, <class 'bool'>, <class 'dict'>, <class 'list'>, <class 'datetime.datetime'>"
        )
    } else {
        format!("Invalid type for parameter {path}, type: <class '{type_name}'>")
    };
    crate::errors::to_pyerr(py, &purpose_error(purpose, message), None)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Python → JSON for `purpose`: dicts, lists, tuples, str, int, float, bool, None and
/// `datetime`; `path` names the value in errors.
pub fn py_to_json(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    path: &str,
    purpose: Purpose,
) -> PyResult<Value> {
    convert_value(py, value, path, 1, purpose)
}

/// `depth` is the nesting level `value` would have as a container (the top one is 1): past
/// the core's limit conversion stops, so neither deep nor self-referencing values recurse
/// further (they used to overflow the interpreter's stack).
fn convert_value(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    path: &str,
    depth: usize,
    purpose: Purpose,
) -> PyResult<Value> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Value::String(text.to_cow()?.into_owned()));
    }
    if value.is_none() {
        if purpose == Purpose::Request && depth > 1 {
            return Err(invalid(py, purpose, path, value));
        }
        return Ok(Value::Null);
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if let Ok(int) = value.cast::<PyInt>() {
        if let Ok(n) = int.extract::<i64>() {
            return Ok(Value::Number(n.into()));
        }
        if let Ok(n) = int.extract::<u64>() {
            return Ok(Value::Number(n.into()));
        }
        // Beyond 64 bits: as a float, so that the model's (or configuration's) range check
        // answers, as it would for any other out-of-range number.
        if let Some(number) = int.extract::<f64>().ok().and_then(Number::from_f64) {
            return Ok(Value::Number(number));
        }
        return Err(invalid(py, purpose, path, value));
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        return Number::from_f64(float.value())
            .map(Value::Number)
            .ok_or_else(|| {
                let message = format!(
                    "Invalid value for parameter {path}, value: {}, valid values: finite numbers",
                    float.value()
                );
                crate::errors::to_pyerr(py, &purpose_error(purpose, message), None)
            });
    }
    let is_sequence = value.cast::<PyList>().is_ok() || value.cast::<PyTuple>().is_ok();
    if (is_sequence || value.cast::<PyDict>().is_ok()) && depth > libivs_core::MAX_INPUT_DEPTH {
        let shown = if path.is_empty() { "input" } else { path };
        let error = purpose_error(purpose, libivs_core::too_deep_message(shown));
        return Err(crate::errors::to_pyerr(py, &error, None));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut object = Map::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| invalid(py, purpose, path, &key))?
                .to_cow()?
                .into_owned();
            let item = convert_value(py, &item, &join(path, &key), depth + 1, purpose)?;
            object.insert(key, item);
        }
        return Ok(Value::Object(object));
    }
    if is_sequence {
        return value
            .try_iter()?
            .enumerate()
            .map(|(i, item)| convert_value(py, &item?, &format!("{path}[{i}]"), depth + 1, purpose))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if value.is_instance(datetime_class(py)?)? {
        // Naive datetimes are taken as UTC, as botocore does.
        let aware = if value.getattr("tzinfo")?.is_none() {
            value.call_method(
                "replace",
                (),
                Some(&[("tzinfo", utc(py)?)].into_py_dict(py)?),
            )?
        } else {
            value.call_method1("astimezone", (utc(py)?,))?
        };
        let text: String = aware
            .call_method1("strftime", ("%Y-%m-%dT%H:%M:%S",))?
            .extract()?;
        let micros: u32 = aware.getattr("microsecond")?.extract()?;
        let text = if micros == 0 {
            format!("{text}Z")
        } else {
            format!("{text}.{micros:06}Z")
        };
        return Ok(Value::String(text));
    }
    Err(invalid(py, purpose, path, value))
}

/// A Python dict of parameters (or None) → JSON object.
pub fn params_to_json(py: Python<'_>, params: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
    match params {
        None => Ok(Value::Object(Map::new())),
        Some(p) if p.is_none() => Ok(Value::Object(Map::new())),
        Some(p) => py_to_json(py, p, "", Purpose::Request),
    }
}
