//! The core's reliability and security suite (issue #16), through the real stack: retries counted
//! exactly per status, servers that hang, absurd configuration, secrets in every text, paginators
//! that fail mid-way, and the emulator under concurrent load compared with a serial replay.
//!
//! Only this file's `environment_endpoint_is_checked_at_creation` sets an endpoint variable; every
//! other client here is given its endpoint explicitly, so the variable never reaches them.

mod support;

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use libivs_core::{
    Answer, CallGroup, Client, ClientConfig, ErrorKind, Fault, FaultKind, PaginationConfig,
    Paginator, Response, StaticCredentials, MAX_INPUT_DEPTH,
};
use serde_json::{json, Value};
use support::{client_with, emulator};

const SECRET_KEY: &str = "SENTINEL-secret-access-key-0001";
const SESSION_TOKEN: &str = "SENTINEL-session-token-0002";
const METADATA: &str = "SENTINEL-metadata-0003";

fn fault(operation: &str, count: u32, kind: FaultKind) -> Fault {
    Fault {
        operation: operation.into(),
        count,
        kind,
    }
}

/// Injects `count` faults of `kind` and answers the failed call's error.
fn failed_call(attempts: u32, kind: FaultKind) -> libivs_core::Error {
    let emulator = emulator();
    // More faults than attempts, so that every attempt meets one.
    emulator
        .inject_fault(fault("list_channels", attempts + 2, kind))
        .expect("the fault is accepted");
    let client = client_with(&emulator, |c| c.max_attempts = Some(attempts));
    client
        .call_blocking("ListChannels", json!({}))
        .expect_err("every attempt fails")
}

fn assert_retried(status: u16, attempts: u32) {
    let error = failed_call(attempts, FaultKind::Status(status));
    assert_eq!(error.kind(), ErrorKind::Service, "{status}: {error:?}");
    assert_eq!(error.http_status(), Some(status));
    assert_eq!(error.metadata().attempts, attempts, "{status}");
    assert!(error.retryable(), "{status} is retryable");
    assert!(
        error.request_id().is_some(),
        "{status} keeps the request id"
    );
}

#[test]
fn status_500_takes_every_attempt() {
    assert_retried(500, 3);
}

#[test]
fn status_502_takes_every_attempt() {
    assert_retried(502, 2);
}

#[test]
fn status_503_takes_every_attempt() {
    assert_retried(503, 3);
}

#[test]
fn status_504_takes_every_attempt() {
    assert_retried(504, 2);
}

#[test]
fn throttling_takes_every_attempt() {
    let error = failed_call(3, FaultKind::Status(429));
    assert_eq!(error.code(), "ThrottlingException");
    assert_eq!(error.metadata().attempts, 3);
    assert!(error.retryable());
}

#[test]
fn connection_resets_take_every_attempt() {
    let error = failed_call(2, FaultKind::ResetConnection);
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert_eq!(error.metadata().attempts, 2);
    assert!(error.retryable());
}

#[test]
fn client_errors_take_one_attempt() {
    for (status, code) in [
        (400, "ValidationException"),
        (402, "ServiceQuotaExceededException"),
        (403, "AccessDeniedException"),
        (409, "ConflictException"),
    ] {
        let error = failed_call(4, FaultKind::Status(status));
        assert_eq!(error.code(), code);
        assert_eq!(error.metadata().attempts, 1, "{status} is not retried");
        assert!(!error.retryable(), "{status}");
        assert!(error.request_id().is_some());
    }
}

/// A server that accepts connections and never answers, until the returned flag is set.
fn hung_server() -> (String, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        let started = Instant::now();
        // Bounded: the thread ends when told or after a minute, whatever happens.
        while !stopping.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
            if let Ok((connection, _)) = listener.accept() {
                held.push(connection);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    (url, stop)
}

#[test]
fn a_server_that_never_answers_fails_within_the_timeouts() {
    let (url, stop) = hung_server();
    let emulator = emulator();
    // The read timeout ends each attempt...
    let client = client_with(&emulator, |c| {
        c.endpoint_url = Some(url.clone());
        c.read_timeout = Some(Duration::from_millis(300));
        c.max_attempts = Some(2);
    });
    let started = Instant::now();
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.retryable());
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    // ...and the operation timeout ends the whole call, retries included.
    let client = client_with(&emulator, |c| {
        c.endpoint_url = Some(url);
        c.operation_timeout = Some(Duration::from_millis(200));
    });
    let started = Instant::now();
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    stop.store(true, Ordering::Relaxed);
}

#[test]
fn absurd_configuration_is_a_config_error_never_a_panic() {
    for bad in [
        json!({"connect_timeout": 1e30}),
        json!({"read_timeout": 1e300}),
        json!({"read_timeout": 1e-300}),
        json!({"operation_timeout": 18446744073709551616.0}),
        json!({"operation_timeout": -1}),
        json!({"operation_timeout": "10"}),
        json!({"max_attempts": 1e30}),
        json!({"max_attempts": 0}),
        json!({"max_attempts": 101}),
        json!({"max_attempts": -3}),
        json!({"endpoint_url": ""}),
        json!({"endpoint_url": "not a url"}),
        json!({"endpoint_url": "localhost:4566"}),
        json!({"endpoint_url": "http://"}),
        json!({"region": ""}),
        json!({"region": "-us-west-2"}),
        json!({"region": "x".repeat(100)}),
        json!({"retry_mode": ""}),
        json!({"user_agent_suffix": "a b"}),
        json!({"validate_input": "yes"}),
        json!({"access_key_id": "", "secret_access_key": ""}),
        json!({"session_token": "only-a-token"}),
        json!("a string"),
    ] {
        let error = ClientConfig::from_json(&bad).expect_err(&bad.to_string());
        assert_eq!(error.kind(), ErrorKind::Config, "{bad}: {error:?}");
    }
    // What Rust code can build directly is checked at creation.
    let emulator = emulator();
    for tweak in [
        |c: &mut ClientConfig| c.read_timeout = Some(Duration::MAX),
        |c: &mut ClientConfig| c.connect_timeout = Some(Duration::from_nanos(1)),
        |c: &mut ClientConfig| c.operation_timeout = Some(Duration::from_secs(u64::MAX)),
        |c: &mut ClientConfig| c.max_attempts = Some(u32::MAX),
        |c: &mut ClientConfig| c.max_attempts = Some(0),
        |c: &mut ClientConfig| c.endpoint_url = Some(String::new()),
        |c: &mut ClientConfig| c.region = Some(String::new()),
    ] {
        let mut config = ClientConfig::for_emulator(&emulator);
        tweak(&mut config);
        let error = Client::new(config.clone()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{config:?}: {error:?}");
    }
}

#[test]
fn an_invalid_endpoint_is_refused_at_creation_without_quoting_anything_else() {
    let error = Client::new(ClientConfig {
        region: Some("us-west-2".into()),
        endpoint_url: Some("not a url".into()),
        credentials: Some(StaticCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SECRET_KEY.into(),
            session_token: Some(SESSION_TOKEN.into()),
        }),
        ..ClientConfig::default()
    })
    .unwrap_err();
    assert_eq!(error.code(), "ConfigError");
    assert!(!error.retryable());
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("not a url"), "{shown}");
    assert!(!shown.contains(SECRET_KEY) && !shown.contains(SESSION_TOKEN));
}

#[test]
fn environment_endpoint_is_checked_at_creation() {
    std::env::set_var("AWS_ENDPOINT_URL_IVS", "::not-a-url::");
    let result = Client::new(ClientConfig {
        region: Some("us-west-2".into()),
        credentials: Some(StaticCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SECRET_KEY.into(),
            session_token: None,
        }),
        ..ClientConfig::default()
    });
    std::env::remove_var("AWS_ENDPOINT_URL_IVS");
    let error = result.unwrap_err();
    assert_eq!(error.code(), "ConfigError");
    assert!(error.message().contains("AWS_ENDPOINT_URL_IVS"), "{error}");
}

#[test]
fn network_errors_never_quote_the_request() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let emulator = emulator();
    let client = client_with(&emulator, |c| {
        c.endpoint_url = Some(url);
        c.max_attempts = Some(2);
        c.validate_input = false;
    });
    let error = client
        .call_blocking(
            "PutMetadata",
            json!({"channelArn": "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234",
                   "metadata": METADATA}),
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert_eq!(
        error.metadata().attempts,
        2,
        "network errors carry attempts"
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(METADATA), "{shown}");
}

#[test]
fn secrets_never_reach_debug_or_error_text() {
    let emulator = emulator();
    let client = client_with(&emulator, |c| {
        c.credentials = Some(StaticCredentials {
            access_key_id: emulator.access_key_id().into(),
            secret_access_key: emulator.secret_access_key().into(),
            session_token: Some(SESSION_TOKEN.into()),
        })
    });
    let config = ClientConfig {
        credentials: Some(StaticCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SECRET_KEY.into(),
            session_token: Some(SESSION_TOKEN.into()),
        }),
        ..ClientConfig::default()
    };
    let shown = format!("{config:?} {client:?}");
    assert!(
        !shown.contains(SECRET_KEY) && !shown.contains(SESSION_TOKEN),
        "{shown}"
    );

    let created = client
        .call_blocking("CreateChannel", json!({"name": "secrets"}))
        .unwrap();
    let key_value = created.output["streamKey"]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let arn = created.output["channel"]["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!format!("{created:?}").contains(&key_value));
    let srt = created.output["channel"]["srt"]["passphrase"].as_str();
    if let Some(passphrase) = srt {
        assert!(!format!("{created:?}").contains(passphrase));
    }
    // Validation of a sensitive member redacts it; an invalid metadata member is not quoted.
    let error = client
        .call_blocking(
            "PutMetadata",
            json!({"channelArn": arn, "metadata": [METADATA]}),
        )
        .unwrap_err();
    assert_eq!(error.code(), "ParamValidationError");
    assert!(!format!("{error} {error:?}").contains(METADATA));
    let error = client
        .call_blocking(
            "PutMetadata",
            json!({"channelArn": arn, "metadata": METADATA}),
        )
        .unwrap_err();
    assert!(
        !format!("{error} {error:?}").contains(METADATA),
        "{error:?}"
    );
}

fn nested(levels: usize) -> Value {
    let mut value = json!("leaf");
    for _ in 0..levels {
        value = json!({ "k": value });
    }
    value
}

#[test]
fn hostile_input_is_a_typed_error() {
    let emulator = emulator();
    let client = client_with(&emulator, |c| c.validate_input = false);
    let checked = client_with(&emulator, |_| {});
    for input in [
        json!({"tags": nested(MAX_INPUT_DEPTH)}),
        json!({"name": nested(MAX_INPUT_DEPTH * 4)}),
    ] {
        for client in [&client, &checked] {
            let error = client
                .call_blocking("CreateChannel", input.clone())
                .unwrap_err();
            assert_eq!(error.code(), "ParamValidationError", "{error:?}");
            assert!(error.message().contains("levels deep"), "{error}");
        }
    }
    let huge = "x".repeat(50 * 1024 * 1024);
    let error = checked
        .call_blocking("CreateChannel", json!({ "name": huge }))
        .unwrap_err();
    assert_eq!(error.code(), "ParamValidationError");
    assert!(error.message().len() < 2000, "the value is not quoted back");
    for (operation, input) in [
        ("CreateChannel", json!({"name": 5})),
        ("CreateChannel", json!({"latencyMode": "FAST"})),
        ("CreateChannel", json!({"unknownMember": true})),
        ("GetChannel", json!({})),
        ("GetChannel", json!([1, 2])),
        ("ListChannels", json!({"maxResults": 1e300})),
        ("ListChannels", json!({"maxResults": -1})),
    ] {
        let error = checked.call_blocking(operation, input.clone()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation, "{input}: {error:?}");
    }
    let error = checked
        .call_blocking("NoSuchOperation", json!({}))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    // Unchecked, the emulator answers what the service would: a typed service error.
    let error = client
        .call_blocking("GetChannel", json!({"arn": "x".repeat(10_000)}))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service, "{error:?}");
}

#[test]
fn a_paginator_error_ends_it_and_leaving_early_stops_fetching() {
    let emulator = emulator();
    let client = client_with(&emulator, |c| c.max_attempts = Some(1));
    for i in 0..6 {
        client
            .call_blocking("CreateChannel", json!({ "name": format!("page-{i}") }))
            .unwrap();
    }
    let config = PaginationConfig {
        page_size: Some(2),
        ..Default::default()
    };
    let mut pages = Paginator::new(&client, "ListChannels", json!({}), config.clone()).unwrap();
    assert!(pages.next_page_blocking().unwrap().is_ok());
    emulator
        .inject_fault(fault("ListChannels", 1, FaultKind::Status(400)))
        .unwrap();
    let error = pages.next_page_blocking().unwrap().unwrap_err();
    assert_eq!(error.code(), "ValidationException");
    assert!(
        pages.next_page_blocking().is_none(),
        "an error ends the pages"
    );

    // Leave after one page: the armed fault is still there for the next caller, so the
    // paginator fetched nothing more behind our back.
    let mut pages = Paginator::new(&client, "ListChannels", json!({}), config).unwrap();
    assert!(pages.next_page_blocking().unwrap().is_ok());
    emulator
        .inject_fault(fault("ListChannels", 1, FaultKind::Status(409)))
        .unwrap();
    drop(pages);
    std::thread::sleep(Duration::from_millis(100));
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.code(), "ConflictException");
}

#[test]
fn fault_names_are_normalised_and_unknown_ones_refused() {
    let emulator = emulator();
    let client = client_with(&emulator, |c| c.max_attempts = Some(1));
    emulator
        .inject_fault(fault("list_channels", 1, FaultKind::Status(409)))
        .unwrap();
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.code(), "ConflictException", "a snake_case name fires");
    let refused = emulator.inject_fault(fault("no_such_operation", 1, FaultKind::Status(500)));
    assert!(refused.is_err());
    for bad in [
        json!({"operation": "nope", "status": 500}),
        json!({"operation": "GetChannel", "delayMs": 1e300}),
        json!({"operation": "GetChannel", "status": 200}),
        json!({"operation": 7, "status": 500}),
    ] {
        assert!(Fault::from_json(&bad).is_err(), "{bad}");
    }
    let parsed = Fault::from_json(&json!({"operation": "get_channel", "status": 503})).unwrap();
    assert_eq!(parsed.operation, "GetChannel");
}

/// The deterministic work of load client `worker`: channels made, tagged, some deleted.
fn load_work(client: &Client, worker: usize) {
    let mut arns = Vec::new();
    for j in 0..4 {
        let created = client
            .call_blocking(
                "CreateChannel",
                json!({"name": format!("w{worker}-c{j}"), "tags": {"worker": worker.to_string()}}),
            )
            .expect("created");
        arns.push(
            created.output["channel"]["arn"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    for (j, arn) in arns.iter().enumerate() {
        client
            .call_blocking(
                "TagResource",
                json!({"resourceArn": arn, "tags": {"index": j.to_string()}}),
            )
            .expect("tagged");
        client
            .call_blocking("ListChannels", json!({"maxResults": 5}))
            .expect("listed");
        if j % 2 == 1 {
            client
                .call_blocking("DeleteChannel", json!({ "arn": arn }))
                .expect("deleted");
        }
    }
}

/// Every channel's name and tags, sorted: the state to compare.
fn channel_state(client: &Client) -> Vec<(String, Value)> {
    let pages = Paginator::new(
        client,
        "ListChannels",
        json!({}),
        PaginationConfig::default(),
    )
    .unwrap();
    let all = pages.build_full_result_blocking().unwrap();
    let mut state: Vec<(String, Value)> = all["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c["tags"].clone()))
        .collect();
    state.sort_by(|a, b| a.0.cmp(&b.0));
    state
}

#[test]
fn the_emulator_under_concurrent_load_ends_as_a_serial_replay_does() {
    const WORKERS: usize = 32;
    let concurrent = emulator();
    std::thread::scope(|scope| {
        for worker in 0..WORKERS {
            let client = client_with(&concurrent, |_| {});
            scope.spawn(move || load_work(&client, worker));
        }
    });
    let serial = emulator();
    let serial_client = client_with(&serial, |_| {});
    for worker in 0..WORKERS {
        load_work(&serial_client, worker);
    }
    let concurrent_state = channel_state(&client_with(&concurrent, |_| {}));
    assert_eq!(concurrent_state.len(), WORKERS * 2);
    assert_eq!(concurrent_state, channel_state(&serial_client));
}

#[test]
fn a_call_group_counts_cancels_one_or_all_and_waits() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let group = CallGroup::new();
    let (sender, results) =
        std::sync::mpsc::channel::<(u32, Result<Response, libivs_core::Error>)>();
    let done = |tag: u32| {
        let sender = sender.clone();
        move |result: Result<Answer, libivs_core::Error>| {
            sender
                .send((tag, result.map(Answer::into_response)))
                .unwrap()
        }
    };
    let start = |tag: u32| {
        client
            .prepare("ListChannels", json!({}))
            .unwrap()
            .spawn(&group, done(tag))
    };
    // Three slow calls: one cancelled alone, two by cancel_all.
    emulator
        .inject_fault(fault(
            "ListChannels",
            3,
            FaultKind::Delay(Duration::from_secs(20)),
        ))
        .unwrap();
    let first = start(1);
    start(2);
    start(3);
    assert_eq!(group.in_flight(), 3);
    first.cancel();
    let (tag, result) = results.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!((tag, result.unwrap_err().code()), (1, "Cancelled"));
    assert!(
        !group.wait(Some(Duration::from_millis(50))),
        "two are still in flight"
    );
    let started = Instant::now();
    group.cancel_all();
    assert!(group.wait(Some(Duration::from_secs(5))));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(group.in_flight(), 0);
    let mut rest: Vec<_> = (0..2).map(|_| results.recv().unwrap()).collect();
    rest.sort_by_key(|(tag, _)| *tag);
    for (tag, result) in rest {
        assert_eq!(result.unwrap_err().code(), "Cancelled", "call {tag}");
    }
    // Calls started after cancel_all are not affected; cancelling a finished call does nothing.
    // (A cancelled request may never have reached the emulator: its delay fault goes unused.)
    emulator.reset();
    let later = start(4);
    let (tag, result) = results.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(tag, 4);
    assert!(result.unwrap().output["channels"].is_array());
    later.cancel();
    // A panic in the work is an InternalError through on_done, never a lost call.
    group.spawn::<Answer, _, _>(async { panic!("deliberate") }, done(5));
    let (tag, result) = results.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!((tag, result.unwrap_err().code()), (5, "InternalError"));
    assert!(group.wait(Some(Duration::from_secs(5))));
}
