//! Property-based tests (proptest): arbitrary JSON never panics the core's request checks and
//! conversion, the model's service-side checks, the configuration reader, or the emulator's
//! request parsing; each answers a valid request or a typed error.

use std::sync::OnceLock;

use libivs_core::{
    operation, Client, ClientConfig, Emulator, EmulatorConfig, ErrorKind, OPERATIONS,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Member names that IVS inputs use, so that generated inputs often reach deep checks.
const NAMES: &[&str] = &[
    "arn",
    "arns",
    "name",
    "channelArn",
    "tags",
    "latencyMode",
    "type",
    "maxResults",
    "nextToken",
    "metadata",
    "publicKeyMaterial",
    "destinationConfiguration",
    "s3",
    "bucketName",
    "recordingConfigurationArn",
    "authorized",
    "insecureIngest",
    "preset",
    "playbackRestrictionPolicyArn",
    "viewerId",
    "filterByName",
    "streamId",
    "ids",
    "thumbnailConfigurations",
    "renditionConfiguration",
    "resourceArn",
    "tagKeys",
    "allowedCountries",
    "allowedOrigins",
    "enableStrictOriginEnforcement",
    "x",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        "arn:aws:ivs:us-west-2:123456789012:(channel|stream-key|playback-key)/[a-zA-Z0-9]{0,14}"
            .prop_map(Value::String),
        prop::sample::select(vec!["LOW", "NORMAL", "BASIC", "STANDARD", "ADVANCED_HD"])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(NAMES).prop_map(str::to_owned),
                        ".{0,12}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn input_object() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(NAMES), json_value()), 0..6).prop_map(|members| {
        Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    })
}

fn any_operation() -> impl Strategy<Value = &'static str> {
    prop::sample::select(OPERATIONS.iter().map(|op| op.name).collect::<Vec<_>>())
}

struct Fixture {
    _emulator: Emulator,
    checked: Client,
    unchecked: Client,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator starts");
        let checked = Client::new(ClientConfig::for_emulator(&emulator)).unwrap();
        let unchecked = Client::new(ClientConfig {
            validate_input: false,
            max_attempts: Some(1),
            ..ClientConfig::for_emulator(&emulator)
        })
        .unwrap();
        Fixture {
            _emulator: emulator,
            checked,
            unchecked,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_core_checks_answer_a_request_or_a_validation_error(
        name in any_operation(), input in input_object()
    ) {
        match fixture().checked.prepare(name, input) {
            Ok(call) => prop_assert_eq!(call.operation().name, name),
            Err(error) => prop_assert_eq!(error.kind(), ErrorKind::Validation, "{:?}", error),
        }
    }

    #[test]
    fn the_service_checks_never_panic(name in any_operation(), input in json_value()) {
        let op = operation(name).unwrap();
        let _ = libivs_model::validate_input(op, &input, libivs_model::Rules::Service);
    }

    #[test]
    fn the_configuration_reader_answers_a_config_or_a_config_error(
        members in prop::collection::vec(
            (prop::sample::select(libivs_core::CONFIG_KEYS), json_value()), 0..5)
    ) {
        let value = Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
        match ClientConfig::from_json(&value) {
            Ok(mut config) => {
                // Keep the default chain off disk and network: only static clients are built.
                config.region = Some("us-west-2".into());
                config.profile = None;
                config.endpoint_url = Some("http://127.0.0.1:9".into());
                config.credentials = Some(libivs_core::StaticCredentials {
                    access_key_id: "a".into(), secret_access_key: "b".into(), session_token: None,
                });
                if let Err(error) = Client::new(config) {
                    prop_assert_eq!(error.kind(), ErrorKind::Config, "{:?}", error);
                }
            }
            Err(error) => prop_assert_eq!(error.kind(), ErrorKind::Config, "{:?}", error),
        }
    }
}

proptest! {
    // Each case is a real HTTP exchange with the emulator: fewer of them.
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn unchecked_requests_get_a_typed_answer_from_conversion_or_the_emulator(
        name in any_operation(), input in input_object()
    ) {
        // Deletes could remove nothing that matters here; every call stands alone.
        match fixture().unchecked.call_blocking(name, input) {
            Ok(_) => {}
            Err(error) => {
                prop_assert!(
                    matches!(error.kind(), ErrorKind::Service | ErrorKind::Validation),
                    "{:?}", error
                );
                if error.kind() == ErrorKind::Service {
                    let status = error.http_status().unwrap_or(0);
                    prop_assert!((400..500).contains(&status), "{:?}", error);
                }
            }
        }
    }
}
