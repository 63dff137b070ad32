//! Every error kind, retries, timeouts, paginators and presigning, through the real stack.

mod support;

use std::time::Duration;
use support::{client_with, emulator, http_get};

use libivs_core::{
    Answer, Client, ClientConfig, ErrorKind, Fault, FaultKind, PaginationConfig, Paginator,
    RetryMode,
};
use serde_json::{json, Value};

fn missing_channel_arn() -> Value {
    json!({"arn": "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"})
}

#[test]
fn service_errors_keep_code_message_status_and_request_id() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let error = client
        .call_blocking("GetChannel", missing_channel_arn())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.code(), "ResourceNotFoundException");
    assert_eq!(error.http_status(), Some(404));
    assert!(!error.message().is_empty(), "exceptionMessage must be kept");
    assert!(error.request_id().is_some_and(|id| id.len() >= 16));
    assert!(!error.retryable());
    assert_eq!(error.metadata().attempts, 1);
}

#[test]
fn validation_happens_before_any_request() {
    // Nothing listens at this endpoint: a network error would mean a request was attempted.
    let closed = closed_port_url();
    let client = Client::new(ClientConfig {
        region: Some("us-west-2".into()),
        endpoint_url: Some(closed),
        credentials: Some(libivs_core::StaticCredentials {
            access_key_id: "test".into(),
            secret_access_key: "test".into(),
            session_token: None,
        }),
        ..Default::default()
    })
    .unwrap();
    let error = client
        .call_blocking(
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {"s3": {}}, "bogus": 1}),
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert_eq!(error.code(), "ParamValidationError");
    assert!(
        error
            .message()
            .contains("destinationConfiguration.s3: \"bucketName\""),
        "{error}"
    );
    assert!(
        error
            .message()
            .contains("Unknown parameter in input: \"bogus\""),
        "{error}"
    );
    let error = client
        .call_blocking("PutMetadata", json!({"channelArn": "x", "metadata": 42}))
        .unwrap_err();
    assert!(
        !error.to_string().contains("42"),
        "metadata is secret: {error}"
    );
    let error = client.call_blocking("NoSuchThing", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    let error = client.call_blocking("GetChannel", json!([1])).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn connection_failures_are_network_errors() {
    let closed = closed_port_url();
    let client = Client::new(ClientConfig {
        region: Some("us-west-2".into()),
        endpoint_url: Some(closed),
        credentials: Some(libivs_core::StaticCredentials {
            access_key_id: "test".into(),
            secret_access_key: "test".into(),
            session_token: None,
        }),
        max_attempts: Some(1),
        ..Default::default()
    })
    .unwrap();
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert_eq!(error.code(), "EndpointConnectionError");
    assert!(error.retryable());
}

#[test]
fn timeouts_are_timeout_errors() {
    let emulator = emulator();
    emulator
        .inject_fault(Fault {
            operation: "ListChannels".into(),
            count: 1,
            kind: FaultKind::Delay(Duration::from_secs(3)),
        })
        .unwrap();
    let client = client_with(&emulator, |c| {
        c.operation_timeout = Some(Duration::from_millis(300));
        c.max_attempts = Some(1);
    });
    let started = std::time::Instant::now();
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn wrong_credentials_are_rejected_by_signature() {
    let emulator = emulator();
    let client = client_with(&emulator, |c| {
        c.credentials.as_mut().unwrap().secret_access_key = "wrong".into();
    });
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.code(), "InvalidSignatureException");
    assert_eq!(error.http_status(), Some(403));
    assert!(!error.to_string().contains("wrong"));
}

#[test]
fn missing_credentials_are_credentials_errors() {
    // Keep the default chain off the network (no instance metadata) and away from real profiles.
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let emulator = emulator();
    // A named profile that no file holds is boto3's ProfileNotFound, at creation.
    let mut config = ClientConfig::for_emulator(&emulator);
    config.credentials = None;
    config.profile = Some("libivs-test-profile-that-does-not-exist".into());
    let error = Client::new(config).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error:?}");
    assert_eq!(error.code(), "ProfileNotFound");
    assert!(error
        .message()
        .contains("libivs-test-profile-that-does-not-exist"));
    // A deferred client (Node's) reads no file at creation: the same error is its first call's.
    let mut config = ClientConfig::for_emulator(&emulator);
    config.credentials = None;
    config.profile = Some("libivs-test-profile-that-does-not-exist".into());
    let deferred = Client::new_deferred(config).expect("creation reads nothing");
    assert_eq!(deferred.region(), emulator.region());
    let error = deferred
        .call_blocking("ListChannels", json!({}))
        .unwrap_err();
    assert_eq!(error.code(), "ProfileNotFound", "{error:?}");
    let error = libivs_core::runtime::block_on(deferred.resolved_region())
        .unwrap()
        .unwrap_err();
    assert_eq!(error.code(), "ProfileNotFound");
    // A deferred client that can read the environment resolves and calls as any other.
    let deferred = Client::new_deferred(ClientConfig {
        credentials: None,
        ..ClientConfig::for_emulator(&emulator)
    })
    .expect("creation reads nothing");
    let error = libivs_core::runtime::block_on(deferred.call("ListChannels", json!({})))
        .unwrap()
        .unwrap_err();
    assert_eq!(error.code(), "NoCredentialsError", "{error:?}");
    assert_eq!(
        libivs_core::runtime::block_on(deferred.resolved_region())
            .unwrap()
            .unwrap(),
        emulator.region()
    );
    // No credentials anywhere (no profile files on test machines, no instance metadata).
    let client = client_with(&emulator, |c| c.credentials = None);
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error:?}");
    assert_eq!(error.code(), "NoCredentialsError");
}

#[test]
fn bad_configuration_is_a_config_error() {
    let emulator = emulator();
    let mut config = ClientConfig::for_emulator(&emulator);
    config.user_agent_suffix = Some("has spaces/and\nnewline".into());
    let error = Client::new(config).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    assert_eq!(error.code(), "ConfigError");
}

#[test]
fn throttling_and_unavailability_are_retried() {
    let emulator = emulator();
    let client = client_with(&emulator, |c| {
        c.max_attempts = Some(3);
        c.retry_mode = Some(RetryMode::Standard);
    });
    emulator
        .inject_fault(Fault {
            operation: "ListChannels".into(),
            count: 2,
            kind: FaultKind::Status(503),
        })
        .unwrap();
    let response = client.call_blocking("ListChannels", json!({})).unwrap();
    assert_eq!(response.metadata.attempts, 3);
    assert_eq!(response.metadata.to_json()["RetryAttempts"], 2);

    emulator
        .inject_fault(Fault {
            operation: "*".into(),
            count: 5,
            kind: FaultKind::Status(429),
        })
        .unwrap();
    let client = client_with(&emulator, |c| c.max_attempts = Some(2));
    let error = client.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.code(), "ThrottlingException");
    assert_eq!(error.http_status(), Some(429));
    assert!(error.retryable());
    assert_eq!(error.metadata().attempts, 2);
    emulator.reset();

    emulator
        .inject_fault(Fault {
            operation: "ListChannels".into(),
            count: 1,
            kind: FaultKind::ResetConnection,
        })
        .unwrap();
    let once = client_with(&emulator, |c| c.max_attempts = Some(1));
    let error = once.call_blocking("ListChannels", json!({})).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
}

fn create_channels(client: &Client, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let created = client
                .call_blocking("CreateChannel", json!({"name": format!("paged-{i}")}))
                .unwrap();
            created.output["channel"]["arn"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn paginators_walk_pages_and_items_with_limits() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let arns = create_channels(&client, 5);

    let config = PaginationConfig {
        page_size: Some(2),
        ..Default::default()
    };
    let mut pages = Paginator::new(&client, "ListChannels", json!({}), config).unwrap();
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page_blocking() {
        let page = page.unwrap();
        let channels = page.output["channels"].as_array().unwrap();
        sizes.push(channels.len());
        seen.extend(
            channels
                .iter()
                .map(|c| c["arn"].as_str().unwrap().to_string()),
        );
    }
    assert_eq!(sizes, vec![2, 2, 1]);
    assert_eq!(seen, arns);

    // MaxItems cuts inside a page and hands out a resume token that continues exactly there.
    let config = PaginationConfig {
        page_size: Some(2),
        max_items: Some(3),
        starting_token: None,
    };
    let first = Paginator::new(&client, "ListChannels", json!({}), config)
        .unwrap()
        .build_full_result_blocking()
        .unwrap();
    let first_arns: Vec<&str> = first["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["arn"].as_str().unwrap())
        .collect();
    assert_eq!(
        first_arns,
        arns[..3].iter().map(String::as_str).collect::<Vec<_>>()
    );
    let resume = first["NextToken"]
        .as_str()
        .expect("a resume token")
        .to_string();
    let config = PaginationConfig {
        page_size: Some(2),
        max_items: None,
        starting_token: Some(resume),
    };
    let mut items = Paginator::new(&client, "ListChannels", json!({}), config)
        .unwrap()
        .into_items();
    let mut rest = Vec::new();
    while let Some(item) = items.next_item_blocking() {
        rest.push(item.unwrap()["arn"].as_str().unwrap().to_string());
    }
    assert_eq!(rest, arns[3..]);

    // Items as JSON texts: the same items, cut at MaxItems inside the second page.
    let config = PaginationConfig {
        page_size: Some(2),
        max_items: Some(3),
        starting_token: None,
    };
    let mut texts = Paginator::new(&client, "ListChannels", json!({}), config)
        .unwrap()
        .into_item_texts();
    let mut text_arns = Vec::new();
    while let Some(text) = texts.next_item_blocking() {
        let item: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
        text_arns.push(item["arn"].as_str().unwrap().to_string());
    }
    assert_eq!(text_arns, arns[..3]);
    assert_eq!(texts.resume_token(), first["NextToken"].as_str());

    // Inputs of the operation still apply, and errors end the iteration.
    let filtered = Paginator::new(
        &client,
        "ListChannels",
        json!({"filterByName": "paged-4"}),
        PaginationConfig::default(),
    )
    .unwrap()
    .build_full_result_blocking()
    .unwrap();
    assert_eq!(filtered["channels"].as_array().unwrap().len(), 1);
    let not_paginated = Paginator::new(
        &client,
        "GetChannel",
        json!({}),
        PaginationConfig::default(),
    );
    assert!(not_paginated.is_err());
}

#[test]
fn every_paginated_operation_pages() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let arns = create_channels(&client, 1);
    for op in libivs_core::paginated_operations() {
        let input = match op.name {
            "ListStreamKeys" | "ListStreamSessions" => json!({"channelArn": arns[0]}),
            _ => json!({}),
        };
        let result = Paginator::new(&client, op.name, input, PaginationConfig::default())
            .unwrap()
            .build_full_result_blocking()
            .unwrap_or_else(|e| panic!("{}: {e}", op.name));
        let key = op.paginator.unwrap().result_key;
        assert!(result[key].is_array(), "{}: {result}", op.name);
    }
}

#[test]
fn async_paginator_walks_pages() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    create_channels(&client, 3);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let count = runtime.block_on(async {
        let config = PaginationConfig {
            page_size: Some(1),
            ..Default::default()
        };
        let mut items = Paginator::new(&client, "ListChannels", json!({}), config)
            .unwrap()
            .into_items();
        let mut count = 0;
        while let Some(item) = items.next_item().await {
            item.unwrap();
            count += 1;
        }
        count
    });
    assert_eq!(count, 3);
}

#[test]
fn presigned_urls_are_accepted_by_the_emulator() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let arn = create_channels(&client, 1).remove(0);
    client
        .call_blocking(
            "TagResource",
            json!({"resourceArn": arn, "tags": {"k": "v"}}),
        )
        .unwrap();
    let url = client
        .presign_blocking(
            "ListTagsForResource",
            json!({"resourceArn": arn}),
            Duration::from_secs(60),
            None,
        )
        .unwrap();
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let (status, body) = http_get(&url);
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["tags"], json!({"k": "v"}));
    let tampered = url.replace("X-Amz-Expires=60", "X-Amz-Expires=61");
    assert_eq!(http_get(&tampered).0, 403);
}

#[test]
fn retry_settings_come_from_the_environment_when_not_configured() {
    // Only this test sets these variables; the others configure max_attempts explicitly.
    std::env::set_var("AWS_MAX_ATTEMPTS", "4");
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    std::env::remove_var("AWS_MAX_ATTEMPTS");
    emulator
        .inject_fault(Fault {
            operation: "ListChannels".into(),
            count: 3,
            kind: FaultKind::Status(500),
        })
        .unwrap();
    let response = client.call_blocking("ListChannels", json!({})).unwrap();
    assert_eq!(response.metadata.attempts, 4);
}

#[test]
fn json_text_responses_match_json_values() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let created = client
        .call_blocking(
            "CreateChannel",
            json!({"name": "text-form", "tags": {"b": "grüße ünïcode", "a": "1"}}),
        )
        .unwrap();
    let arn = created.output["channel"]["arn"].clone();
    let value = client
        .call_blocking("GetChannel", json!({"arn": arn}))
        .unwrap();
    let text = response_text(&client, "GetChannel", json!({"arn": arn})).unwrap();
    let mut parsed: Value = serde_json::from_str(&text).unwrap();
    let metadata = parsed
        .as_object_mut()
        .unwrap()
        .remove("ResponseMetadata")
        .expect("ResponseMetadata is the last member");
    assert_eq!(parsed, value.output);
    assert_eq!(metadata["HTTPStatusCode"], 200);
    assert_eq!(metadata["RetryAttempts"], 0);
    assert!(metadata["RequestId"]
        .as_str()
        .is_some_and(|id| id.len() >= 16));
    assert!(metadata["HTTPHeaders"]["content-type"].is_string());
    // An output without members is just the metadata; errors are the same errors.
    let deleted = response_text(&client, "DeleteChannel", json!({"arn": arn})).unwrap();
    let deleted: Value = serde_json::from_str(&deleted).unwrap();
    assert_eq!(deleted.as_object().unwrap().len(), 1, "{deleted}");
    let error = response_text(&client, "GetChannel", json!({"arn": arn})).unwrap_err();
    assert_eq!(error.code(), "ResourceNotFoundException");
    assert_eq!(error.metadata().http_status, Some(404));
}

#[test]
fn text_callbacks_answer_the_text_of_the_json_value() {
    let emulator = emulator();
    let client = client_with(&emulator, |_| {});
    let created = client
        .call_blocking(
            "CreateChannel",
            json!({"name": "text-callback", "tags": {"ü": "grüße", "a": "x/y=z+@"}}),
        )
        .unwrap();
    let arn = created.output["channel"]["arn"].clone();
    let value = client
        .call_blocking("GetChannel", json!({"arn": arn}))
        .unwrap();
    let (sender, answers) = std::sync::mpsc::channel();
    let group = libivs_core::CallGroup::new();
    let spawn_text = |operation: &str, input: Value| {
        let sender = sender.clone();
        client
            .prepare(operation, input)
            .unwrap()
            .spawn(&group, move |result| {
                sender.send(result.and_then(Answer::into_text)).unwrap()
            });
    };
    spawn_text("GetChannel", json!({"arn": arn}));
    let timeout = std::time::Duration::from_secs(10);
    let answer = answers.recv_timeout(timeout).unwrap().unwrap();
    assert_eq!(answer.output, value.output.to_string());
    assert_eq!(answer.metadata.http_status, Some(200));
    assert_eq!(answer.metadata.attempts, 1);
    assert!(!format!("{answer:?}").contains("text-callback"));
    // Input errors are answered when the call is prepared, before anything is spawned.
    let error = client.prepare("GetChannel", json!({})).unwrap_err();
    assert_eq!(error.code(), "ParamValidationError");
    // Service errors and outputs without members come through the callback.
    spawn_text("DeleteChannel", json!({"arn": arn}));
    assert_eq!(answers.recv_timeout(timeout).unwrap().unwrap().output, "{}");
    spawn_text("GetChannel", json!({"arn": arn}));
    let error = answers.recv_timeout(timeout).unwrap().unwrap_err();
    assert_eq!(error.code(), "ResourceNotFoundException");
    assert_eq!(error.metadata().http_status, Some(404));
}

/// The whole response as JSON text, boto3's shape (the C face's answer).
fn response_text(
    client: &Client,
    operation: &str,
    input: Value,
) -> Result<String, libivs_core::Error> {
    client
        .prepare(operation, input)?
        .run_blocking(None)?
        .into_response_text()
}
