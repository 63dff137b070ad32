//! Python values ⇄ JSON values, guided by the model where it matters: outputs of type
//! `timestamp` become timezone-aware `datetime`s, and `datetime` inputs become ISO-8601 text.

use std::collections::HashMap;
use std::sync::OnceLock;

use libivs_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn datetime_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    DATETIME.import(py, "datetime", "datetime")
}

fn utc(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    Ok(UTC
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?
                .unbind())
        })?
        .bind(py))
}

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

/// Python → JSON: dicts, lists, tuples, str, int, float, bool, None and `datetime`.
pub fn py_to_json(py: Python<'_>, value: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    convert_value(py, value, path, 1, Purpose::Other)
}

/// [`py_to_json`] for `purpose`.
pub fn py_to_json_for(
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
    let is_container = value.cast::<PyDict>().is_ok()
        || value.cast::<PyList>().is_ok()
        || value.cast::<PyTuple>().is_ok();
    if is_container && depth > libivs_core::MAX_INPUT_DEPTH {
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
    if let Ok(list) = value.cast::<PyList>() {
        return list
            .iter()
            .enumerate()
            .map(|(i, item)| convert_value(py, &item, &format!("{path}[{i}]"), depth + 1, purpose))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return tuple
            .iter()
            .enumerate()
            .map(|(i, item)| convert_value(py, &item, &format!("{path}[{i}]"), depth + 1, purpose))
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

use pyo3::types::IntoPyDict;

/// Whether values of this shape can hold a timestamp somewhere inside, for every shape of the
/// model (computed once: most outputs hold none and are converted without looking shapes up).
fn holds_timestamp(shape_name: &str) -> bool {
    static TABLE: OnceLock<HashMap<&'static str, bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let shapes = libivs_core::model()["shapes"].as_object();
        shapes
            .into_iter()
            .flatten()
            .map(|(name, _)| (name.as_str(), walk(name, &mut Vec::new())))
            .collect()
    });
    table.get(shape_name).copied().unwrap_or(false)
}

fn walk(name: &str, seen: &mut Vec<String>) -> bool {
    let Some(spec) = libivs_core::shape(name) else {
        return false;
    };
    if seen.iter().any(|s| s == name) {
        return false;
    }
    seen.push(name.to_owned());
    match spec["type"].as_str() {
        Some("timestamp") => true,
        Some("structure") => spec["members"].as_object().is_some_and(|members| {
            members
                .values()
                .filter_map(|m| m["shape"].as_str())
                .any(|s| walk(s, seen))
        }),
        Some("list") => spec["member"]["shape"]
            .as_str()
            .is_some_and(|s| walk(s, seen)),
        Some("map") => spec["value"]["shape"]
            .as_str()
            .is_some_and(|s| walk(s, seen)),
        _ => false,
    }
}

/// `2026-11-25T12:00:00Z` or `2026-11-25T12:00:00.123Z` → `datetime(..., tzinfo=timezone.utc)`.
fn to_datetime<'py>(py: Python<'py>, text: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let bytes = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> { text.get(range)?.parse().ok() };
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[10] != b'T' {
        return Ok(None);
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return Ok(None);
    };
    let mut micros = 0u32;
    if bytes[19] == b'.' {
        let digits: String = text[20..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let padded = format!("{digits:0<6}");
        micros = padded[..6].parse().unwrap_or(0);
    }
    let value =
        datetime_class(py)?.call1((year, month, day, hour, minute, second, micros, utc(py)?))?;
    Ok(Some(value))
}

/// JSON → Python. With a `shape` (a model shape name), timestamps inside become `datetime`s.
pub fn json_to_py<'py>(
    py: Python<'py>,
    value: &Value,
    shape: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let spec = match shape {
        Some(name) if holds_timestamp(name) => libivs_core::shape(name),
        _ => None,
    };
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(flag) => PyBool::new(py, *flag).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(text) => {
            if spec.is_some_and(|s| s["type"] == "timestamp") {
                if let Some(when) = to_datetime(py, text)? {
                    return Ok(when);
                }
            }
            PyString::new(py, text).into_any()
        }
        Value::Array(items) => {
            let member = spec.and_then(|s| s["member"]["shape"].as_str());
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item, member)?)?;
            }
            list.into_any()
        }
        Value::Object(entries) => {
            let dict = PyDict::new(py);
            let is_map = spec.is_some_and(|s| s["type"] == "map");
            for (key, item) in entries {
                let member = spec.and_then(|s| {
                    if is_map {
                        s["value"]["shape"].as_str()
                    } else {
                        s["members"][key.as_str()]["shape"].as_str()
                    }
                });
                dict.set_item(PyString::new(py, key), json_to_py(py, item, member)?)?;
            }
            dict.into_any()
        }
    })
}

/// A call's output as boto3 shows it: the output dict plus `ResponseMetadata`.
pub fn response_to_py<'py>(
    py: Python<'py>,
    response: &libivs_core::Response,
) -> PyResult<Bound<'py, PyAny>> {
    let output = json_to_py(py, &response.output, response.operation.output_shape)?;
    let metadata = json_to_py(py, &response.metadata.to_json(), None)?;
    if let Ok(dict) = output.cast::<PyDict>() {
        dict.set_item("ResponseMetadata", metadata)?;
    }
    Ok(output)
}

/// The model shape of one item of a paginated operation's result list.
pub fn item_shape(op: &libivs_core::OperationSpec) -> Option<&'static str> {
    let result_key = op.paginator?.result_key;
    let output = libivs_core::shape(op.output_shape?)?;
    let list = output["members"][result_key]["shape"].as_str()?;
    libivs_core::shape(list)?["member"]["shape"].as_str()
}

/// A Python dict of parameters (or None) → JSON object.
pub fn params_to_json(py: Python<'_>, params: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
    match params {
        None => Ok(Value::Object(Map::new())),
        Some(p) if p.is_none() => Ok(Value::Object(Map::new())),
        Some(p) => py_to_json_for(py, p, "", Purpose::Request),
    }
}
