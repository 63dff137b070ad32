//! Core answers as Python objects: a call's output (or a paginator's page) built straight from
//! aws-sdk-ivs's output by the core's emitter into [`Objects`], timestamps as aware UTC
//! `datetime`s; other JSON values (metadata, emulator answers) as dicts, lists and scalars.

use libivs_core::{Answer, OutputSink, ResponseMetadata};
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

/// JSON → Python: dicts, lists and scalars (metadata, emulator answers, configurations).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
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
        Value::String(text) => PyString::new(py, text).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(entries) => {
            let dict = PyDict::new(py);
            for (key, item) in entries {
                dict.set_item(PyString::new(py, key), json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A call's output as boto3 shows it, built straight from aws-sdk-ivs's output: the output dict
/// plus `ResponseMetadata`.
pub fn answer_to_py<'py>(py: Python<'py>, answer: &Answer) -> PyResult<Bound<'py, PyAny>> {
    let mut objects = Objects {
        py,
        open: Vec::new(),
        done: None,
        error: None,
    };
    answer.emit(&mut objects);
    let output = match (objects.error, objects.done) {
        (Some(error), _) => return Err(error),
        (None, Some(output)) => output,
        (None, None) => PyDict::new(py).into_any(),
    };
    with_metadata(py, output, answer.metadata())
}

fn with_metadata<'py>(
    py: Python<'py>,
    output: Bound<'py, PyAny>,
    metadata: &ResponseMetadata,
) -> PyResult<Bound<'py, PyAny>> {
    let metadata = json_to_py(py, &metadata.to_json())?;
    if let Ok(dict) = output.cast::<PyDict>() {
        dict.set_item("ResponseMetadata", metadata)?;
    }
    Ok(output)
}

/// An object or list being built, with the key of the member whose value comes next.
enum Open<'py> {
    Dict(Bound<'py, PyDict>, Option<Bound<'py, PyString>>),
    List(Bound<'py, PyList>),
}

/// The core's [`OutputSink`] building Python objects: dicts, lists, `str`, `int`, `float`,
/// `bool` and aware UTC `datetime`s. The first Python error stops the building and is kept.
struct Objects<'py> {
    py: Python<'py>,
    open: Vec<Open<'py>>,
    done: Option<Bound<'py, PyAny>>,
    error: Option<PyErr>,
}

impl<'py> Objects<'py> {
    fn put(&mut self, value: PyResult<Bound<'py, PyAny>>) {
        if self.error.is_some() {
            return;
        }
        let placed = value.and_then(|value| match self.open.last_mut() {
            Some(Open::Dict(dict, key)) => match key.take() {
                Some(key) => dict.set_item(key, value),
                None => Ok(()),
            },
            Some(Open::List(list)) => list.append(value),
            None => {
                self.done = Some(value);
                Ok(())
            }
        });
        if let Err(error) = placed {
            self.error = Some(error);
        }
    }

    fn close(&mut self) {
        let value = match self.open.pop() {
            Some(Open::Dict(dict, _)) => dict.into_any(),
            Some(Open::List(list)) => list.into_any(),
            None => return,
        };
        self.put(Ok(value));
    }
}

impl OutputSink for Objects<'_> {
    fn begin_object(&mut self, _members: usize) {
        self.open.push(Open::Dict(PyDict::new(self.py), None));
    }

    fn key(&mut self, name: &str) {
        if let Some(Open::Dict(_, key)) = self.open.last_mut() {
            *key = Some(PyString::new(self.py, name));
        }
    }

    fn end_object(&mut self) {
        self.close();
    }

    fn begin_list(&mut self, _items: usize) {
        self.open.push(Open::List(PyList::empty(self.py)));
    }

    fn end_list(&mut self) {
        self.close();
    }

    fn string(&mut self, value: &str) {
        self.put(Ok(PyString::new(self.py, value).into_any()));
    }

    fn boolean(&mut self, value: bool) {
        self.put(Ok(PyBool::new(self.py, value).to_owned().into_any()));
    }

    fn integer(&mut self, value: i64) {
        let Ok(value) = value.into_pyobject(self.py);
        self.put(Ok(value.into_any()));
    }

    fn float(&mut self, value: f64) {
        // As through JSON, where a non-finite double is null.
        let value = if value.is_finite() {
            let Ok(value) = value.into_pyobject(self.py);
            value.into_any()
        } else {
            self.py.None().into_bound(self.py)
        };
        self.put(Ok(value));
    }

    fn timestamp(&mut self, seconds: i64, nanos: u32) {
        let value = utc_datetime(self.py, seconds, nanos);
        self.put(value);
    }
}

/// `datetime(..., tzinfo=timezone.utc)` from seconds since the Unix epoch, to the microsecond
/// (truncated, as the ISO-8601 text of the JSON faces is).
fn utc_datetime(py: Python<'_>, seconds: i64, nanos: u32) -> PyResult<Bound<'_, PyAny>> {
    let (year, month, day, hour, minute, second) = libivs_core::calendar::utc_fields(seconds);
    datetime_class(py)?.call1((
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos / 1000,
        utc(py)?,
    ))
}
