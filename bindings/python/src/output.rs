//! Core answers as Python objects: JSON values to dicts, lists and scalars, timestamps (by the
//! output shape) to aware `datetime`s.

use std::collections::HashMap;
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde_json::Value;

static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub(crate) fn datetime_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    DATETIME.import(py, "datetime", "datetime")
}

pub(crate) fn utc(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
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
