//! Members the model binds to HTTP response headers (BatchGetChannel's, BatchGetStreamKey's and
//! BatchStartViewerSessionRevocation's CORS and security headers): the emulator sends them as
//! IVS does, and the core returns them as boto3 and the JS SDK do, in the JSON value (Rust,
//! Python) and in the JSON text (C, Node) alike.

use libivs_core::{Client, ClientConfig, Emulator, EmulatorConfig};
use serde_json::{json, Value};

/// (member, header, the emulator's value as IVS sends it).
const HEADER_MEMBERS: [(&str, &str, &str); 7] = [
    (
        "accessControlAllowOrigin",
        "access-control-allow-origin",
        "*",
    ),
    (
        "accessControlExposeHeaders",
        "access-control-expose-headers",
        "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    ),
    (
        "cacheControl",
        "cache-control",
        "no-store, no-cache, must-revalidate",
    ),
    (
        "contentSecurityPolicy",
        "content-security-policy",
        "upgrade-insecure-requests",
    ),
    (
        "strictTransportSecurity",
        "strict-transport-security",
        "max-age=47304000; includeSubDomains",
    ),
    ("xContentTypeOptions", "x-content-type-options", "nosniff"),
    ("xFrameOptions", "x-frame-options", "DENY"),
];

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

#[test]
fn batch_operations_return_their_header_members() {
    let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator starts");
    let client = Client::new(ClientConfig::for_emulator(&emulator)).expect("client builds");
    let created = client
        .call_blocking("CreateChannel", json!({"name": "headers"}))
        .unwrap();
    let channel_arn = created.output["channel"]["arn"].clone();
    let key_arn = created.output["streamKey"]["arn"].clone();
    let calls = [
        ("BatchGetChannel", json!({"arns": [channel_arn]})),
        ("BatchGetStreamKey", json!({"arns": [key_arn]})),
        (
            "BatchStartViewerSessionRevocation",
            json!({"viewerSessions": [{"channelArn": channel_arn, "viewerId": "v1"}]}),
        ),
    ];
    for (operation, input) in calls {
        // The JSON value.
        let response = client.call_blocking(operation, input.clone()).unwrap();
        let headers = response.metadata.headers();
        for (member, name, value) in HEADER_MEMBERS {
            assert_eq!(header(&headers, name), Some(value), "{operation} {name}");
            assert_eq!(response.output[member], value, "{operation} {member}");
        }
        // The JSON text, written straight from the SDK's output (the C face's answer).
        let text = client
            .prepare(operation, input)
            .unwrap()
            .run_blocking(None)
            .unwrap()
            .into_response_text()
            .unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        for (member, _, value) in HEADER_MEMBERS {
            assert_eq!(parsed[member], value, "{operation} {member} in {text}");
        }
    }
    // Outputs that bind no header carry none of these members.
    let got = client
        .call_blocking("GetChannel", json!({"arn": channel_arn}))
        .unwrap();
    for (member, name, _) in HEADER_MEMBERS {
        assert!(got.output.get(member).is_none(), "{member}");
        assert!(header(&got.metadata.headers(), name).is_none(), "{name}");
    }
}

#[test]
fn modeled_errors_carry_their_header_members() {
    let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator starts");
    let client = Client::new(ClientConfig::for_emulator(&emulator)).expect("client builds");
    let missing = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";
    let error = client
        .call_blocking("GetChannel", json!({"arn": missing}))
        .unwrap_err();
    assert_eq!(error.code(), "ResourceNotFoundException");
    let members = error.header_members();
    let member = |name: &str| {
        members
            .iter()
            .find(|(member, _)| *member == name)
            .map(|(_, value)| *value)
    };
    for (name, _, value) in HEADER_MEMBERS {
        assert_eq!(member(name), Some(value), "{name}");
    }
    assert_eq!(member("xAmznErrorType"), Some("ResourceNotFoundException"));
    assert_eq!(members.len(), 8);
    // A libivs error (nothing was sent) has none.
    let invalid = client.call_blocking("GetChannel", json!({})).unwrap_err();
    assert!(invalid.header_members().is_empty());
}
