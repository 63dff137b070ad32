//! libivs's log records for a client's `logger` (the JS SDK's `{ trace?, debug, info, warn,
//! error }`): each call keeps its own records in a `CallLog` and they settle with its outcome,
//! so `index.js` hands them to that client's logger on the JavaScript thread.

use std::collections::HashMap;
use std::sync::Arc;

use libivs_core::log::{CallLog, Level, Record};
use napi_derive::napi;

/// One log record, already scrubbed of secrets.
#[napi(object)]
pub struct LogRecord {
    /// `error`, `warn`, `info`, `debug` or `trace`: the logger function it goes to.
    pub level: String,
    /// `libivs.client`, `libivs.http`, `libivs.retry`, `libivs.sdk`, `libivs.sdk.http`.
    pub logger: String,
    pub message: String,
    /// libivs's fields: `operation`, `attempt`, `status`, `requestId`, `delayMs`...
    pub fields: HashMap<String, String>,
}

/// A call log at `level` (1 error ... 5 trace) when the client has a logger.
pub(crate) fn call_log(level: Option<u32>) -> Option<Arc<CallLog>> {
    let level = Level::from_u8(u8::try_from(level?).ok()?)?;
    Some(CallLog::new(level))
}

/// The records a call kept, as JavaScript objects (None when it kept no log).
pub(crate) fn records(log: Option<&Arc<CallLog>>) -> Option<Vec<LogRecord>> {
    let records = log?.take();
    Some(records.into_iter().map(record).collect())
}

fn record(record: Record) -> LogRecord {
    LogRecord {
        level: record.level.as_str().to_ascii_lowercase(),
        logger: record.logger.to_owned(),
        message: record.message,
        fields: record
            .fields
            .into_iter()
            .map(|(name, value)| (camel_case(name), value))
            .collect(),
    }
}

fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
