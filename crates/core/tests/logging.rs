//! libivs's log records, through aws-sdk-ivs and HTTP to the emulator: what a call, a retried
//! call and a failed call record, where records go (a call's log, the sink), and that no secret
//! reaches any of them at TRACE.

mod support;

use std::sync::{Arc, Mutex};

use libivs_core::log::{self, CallLog, Level, LogSink, Record};
use libivs_core::{
    Client, ClientConfig, Emulator, EmulatorConfig, Fault, FaultKind, StaticCredentials,
};
use serde_json::{json, Value};
use support::{client_with, emulator};

const SECRET_KEY: &str = "SENTINEL-log-secret-key-0001";
const SESSION_TOKEN: &str = "SENTINEL-log-session-token-0002";
const METADATA: &str = "SENTINEL-log-metadata-0003";

/// Runs `operation` with a call log at `level`: its result and the records it kept.
fn logged(
    client: &Client,
    operation: &str,
    input: Value,
    level: Level,
) -> (
    Result<libivs_core::Response, libivs_core::Error>,
    Vec<Record>,
) {
    let call_log = CallLog::new(level);
    let result = client
        .prepare(operation, input)
        .expect("a valid call")
        .with_log(call_log.clone())
        .run_blocking(None)
        .map(|answer| answer.into_response());
    (result, call_log.take())
}

fn field<'a>(record: &'a Record, name: &str) -> Option<&'a str> {
    record
        .fields
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
}

fn by_logger<'a>(records: &'a [Record], logger: &str) -> Vec<&'a Record> {
    records.iter().filter(|r| r.logger == logger).collect()
}

#[test]
fn a_call_records_its_attempt_and_its_outcome() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let (result, records) = logged(
        &client,
        "CreateChannel",
        json!({"name": "logged"}),
        Level::Debug,
    );
    let response = result.expect("the channel is created");
    let request_id = response.metadata.request_id.clone().expect("a request id");

    let attempts = by_logger(&records, "libivs.http");
    assert_eq!(attempts.len(), 1, "{records:#?}");
    assert_eq!(attempts[0].level, Level::Debug);
    assert_eq!(field(attempts[0], "operation"), Some("CreateChannel"));
    assert_eq!(field(attempts[0], "attempt"), Some("1"));
    assert_eq!(field(attempts[0], "status"), Some("200"));
    assert_eq!(field(attempts[0], "request_id"), Some(request_id.as_str()));

    let outcome = by_logger(&records, "libivs.client");
    assert_eq!(outcome.len(), 1, "{records:#?}");
    assert!(
        outcome[0]
            .message
            .starts_with("CreateChannel succeeded: HTTP 200"),
        "{}",
        outcome[0].message
    );
    assert!(outcome[0].message.contains(&request_id));
    assert_eq!(field(outcome[0], "attempts"), Some("1"));
    // Nothing below DEBUG was kept.
    assert!(records.iter().all(|r| r.level <= Level::Debug));
}

#[test]
fn a_failed_call_records_its_error_code() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let missing = "arn:aws:ivs:us-west-2:123456789012:channel/missing";
    let (result, records) = logged(&client, "GetChannel", json!({"arn": missing}), Level::Debug);
    let error = result.expect_err("no such channel");
    assert_eq!(error.code(), "ResourceNotFoundException");
    let outcome = by_logger(&records, "libivs.client");
    assert_eq!(outcome.len(), 1, "{records:#?}");
    assert_eq!(
        field(outcome[0], "error_code"),
        Some("ResourceNotFoundException")
    );
    assert_eq!(field(outcome[0], "status"), Some("404"));
    assert!(outcome[0]
        .message
        .starts_with("GetChannel failed: ResourceNotFoundException"));
    let attempt = by_logger(&records, "libivs.http");
    assert_eq!(field(attempt[0], "status"), Some("404"));
}

#[test]
fn a_retried_call_records_each_retry_and_its_delay() {
    let emulator = emulator();
    emulator
        .inject_fault(Fault {
            operation: "ListChannels".into(),
            count: 2,
            kind: FaultKind::Status(503),
        })
        .expect("the fault is accepted");
    let client = client_with(&emulator, |c| c.max_attempts = Some(3));
    let (result, records) = logged(&client, "ListChannels", json!({}), Level::Info);
    let response = result.expect("the third attempt succeeds");
    assert_eq!(response.metadata.attempts, 3);
    assert!(!response.metadata.total_retry_delay.is_zero());

    let retries = by_logger(&records, "libivs.retry");
    assert_eq!(retries.len(), 2, "{records:#?}");
    assert_eq!(field(retries[0], "attempt"), Some("2"));
    assert_eq!(field(retries[1], "attempt"), Some("3"));
    assert!(retries.iter().all(|r| r.level == Level::Info));
    let waited: u64 = retries
        .iter()
        .map(|r| field(r, "delay_ms").unwrap().parse::<u64>().unwrap())
        .sum();
    assert!(waited.abs_diff(response.metadata.total_retry_delay_ms()) <= 2);
    // The attempts and the outcome are DEBUG records: not kept at INFO.
    assert!(by_logger(&records, "libivs.http").is_empty());
    let shown = serde_json::to_value(&response).unwrap();
    assert_eq!(shown["ResponseMetadata"]["RetryAttempts"], 2);
    assert_eq!(
        shown["ResponseMetadata"]["TotalRetryDelay"],
        json!(response.metadata.total_retry_delay_ms())
    );
}

#[test]
fn a_call_that_fails_after_retries_is_a_warning() {
    let emulator = emulator();
    emulator
        .inject_fault(Fault {
            operation: "ListChannels".into(),
            count: 5,
            kind: FaultKind::Status(503),
        })
        .expect("the fault is accepted");
    let client = client_with(&emulator, |c| c.max_attempts = Some(2));
    let (result, records) = logged(&client, "ListChannels", json!({}), Level::Warn);
    let error = result.expect_err("every attempt fails");
    assert_eq!(error.metadata().attempts, 2);
    assert!(!error.metadata().total_retry_delay.is_zero());
    let [outcome] = records.as_slice() else {
        panic!("one warning: {records:#?}");
    };
    assert_eq!(
        (outcome.logger, outcome.level),
        ("libivs.client", Level::Warn)
    );
    assert_eq!(field(outcome, "error_code"), Some("ServiceUnavailable"));
    assert!(
        outcome
            .message
            .starts_with("ListChannels failed after 2 attempts"),
        "{}",
        outcome.message
    );
}

#[derive(Default)]
struct Collected(Mutex<Vec<Record>>);

impl LogSink for Collected {
    fn log(&self, record: Record) {
        self.0.lock().unwrap().push(record);
    }
}

#[test]
fn no_secret_reaches_a_record_at_trace() {
    let sink = Arc::new(Collected::default());
    log::set_sink(Some(sink.clone()), Some(Level::Trace));
    // The emulator checks signatures: it knows the sentinel secret key.
    let emulator = Emulator::start(EmulatorConfig {
        secret_access_key: SECRET_KEY.to_owned(),
        ..EmulatorConfig::default()
    })
    .expect("emulator starts");
    let mut config = ClientConfig::for_emulator(&emulator);
    config.credentials = Some(StaticCredentials {
        access_key_id: emulator.access_key_id().to_owned(),
        secret_access_key: SECRET_KEY.to_owned(),
        session_token: Some(SESSION_TOKEN.to_owned()),
    });
    let client = Client::new(config).expect("client builds");

    let (created, mut records) = logged(
        &client,
        "CreateChannel",
        json!({"name": "secret-test"}),
        Level::Trace,
    );
    let created = created.expect("the channel is created");
    let stream_key = created.output["streamKey"]["value"]
        .as_str()
        .expect("a stream key")
        .to_owned();
    let srt_passphrase = created.output["channel"]["srt"]["passphrase"]
        .as_str()
        .unwrap_or("no passphrase given")
        .to_owned();
    let channel_arn = created.output["channel"]["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, more) = logged(
        &client,
        "PutMetadata",
        json!({"channelArn": channel_arn, "metadata": METADATA}),
        Level::Trace,
    );
    records.extend(more);
    // The same calls with no call log: their records go to the sink.
    let key_arn = created.output["streamKey"]["arn"].as_str().unwrap();
    client
        .call_blocking("GetStreamKey", json!({"arn": key_arn}))
        .expect("the key is found");
    let _ = client.call_blocking(
        "PutMetadata",
        json!({"channelArn": channel_arn, "metadata": METADATA}),
    );
    log::set_sink(None, None);
    let sunk = std::mem::take(&mut *sink.0.lock().unwrap());
    assert!(
        sunk.iter().any(|r| r.logger == "libivs.client"),
        "the sink got the uncaptured calls: {sunk:#?}"
    );
    records.extend(sunk);
    assert!(
        records.iter().any(|r| r.level == Level::Trace),
        "the SDK's TRACE records were kept too"
    );
    let everything: String = records
        .iter()
        .map(|r| format!("{}\n", log::format_line(r)))
        .collect();
    for secret in [
        SECRET_KEY,
        SESSION_TOKEN,
        METADATA,
        stream_key.as_str(),
        srt_passphrase.as_str(),
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} appeared in the records:\n{everything}"
        );
    }
}
