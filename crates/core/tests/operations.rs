//! Every IVS operation through the core → aws-sdk-ivs → HTTP → the emulator, asserting on what
//! comes back.

use std::collections::BTreeSet;
use std::sync::Mutex;

use libivs_core::{Client, ClientConfig, Emulator, EmulatorConfig, Response};
use p384::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::{json, Value};

struct Harness {
    emulator: Emulator,
    client: Client,
    called: Mutex<BTreeSet<String>>,
}

impl Harness {
    fn new() -> Harness {
        let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator starts");
        let client = Client::new(ClientConfig::for_emulator(&emulator)).expect("client builds");
        Harness {
            emulator,
            client,
            called: Mutex::new(BTreeSet::new()),
        }
    }

    fn call(&self, operation: &str, input: Value) -> Response {
        self.called.lock().unwrap().insert(operation.to_string());
        self.client
            .call_blocking(operation, input)
            .unwrap_or_else(|e| panic!("{operation} failed: {e:?}"))
    }

    fn fail(&self, operation: &str, input: Value) -> libivs_core::Error {
        self.called.lock().unwrap().insert(operation.to_string());
        match self.client.call_blocking(operation, input) {
            Ok(response) => panic!("{operation} should have failed: {response:?}"),
            Err(error) => error,
        }
    }
}

fn public_key_pem() -> String {
    let secret = p384::SecretKey::random(&mut rand_core::OsRng);
    secret
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap()
}

#[test]
fn all_46_operations_against_the_emulator() {
    let h = Harness::new();

    // Resources a channel can refer to.
    let recording = h.call(
        "CreateRecordingConfiguration",
        json!({"name": "rec", "destinationConfiguration": {"s3": {"bucketName": "rec-bucket"}},
               "thumbnailConfiguration": {"recordingMode": "INTERVAL", "targetIntervalSeconds": 30},
               "recordingReconnectWindowSeconds": 60}),
    );
    let recording = recording.output["recordingConfiguration"].clone();
    let recording_arn = recording["arn"].as_str().unwrap().to_string();
    assert!(
        recording_arn.starts_with("arn:aws:ivs:us-west-2:123456789012:recording-configuration/")
    );
    assert_eq!(recording["state"], "ACTIVE");
    assert_eq!(
        recording["destinationConfiguration"]["s3"]["bucketName"],
        "rec-bucket"
    );
    assert_eq!(recording["recordingReconnectWindowSeconds"], 60);
    let got = h.call("GetRecordingConfiguration", json!({"arn": recording_arn}));
    assert_eq!(got.output["recordingConfiguration"]["name"], "rec");
    let listed = h.call("ListRecordingConfigurations", json!({}));
    assert_eq!(
        listed.output["recordingConfigurations"][0]["arn"],
        recording_arn.as_str()
    );

    let policy = h.call(
        "CreatePlaybackRestrictionPolicy",
        json!({"name": "policy", "allowedCountries": ["US", "CA"], "allowedOrigins": ["https://example.com"]}),
    );
    let policy_arn = policy.output["playbackRestrictionPolicy"]["arn"]
        .as_str()
        .unwrap()
        .to_string();
    let updated = h.call(
        "UpdatePlaybackRestrictionPolicy",
        json!({"arn": policy_arn, "allowedCountries": ["GB"], "enableStrictOriginEnforcement": true}),
    );
    assert_eq!(
        updated.output["playbackRestrictionPolicy"]["allowedCountries"],
        json!(["GB"])
    );
    assert_eq!(
        updated.output["playbackRestrictionPolicy"]["enableStrictOriginEnforcement"],
        true
    );
    let got = h.call("GetPlaybackRestrictionPolicy", json!({"arn": policy_arn}));
    assert_eq!(got.output["playbackRestrictionPolicy"]["name"], "policy");
    let listed = h.call("ListPlaybackRestrictionPolicies", json!({}));
    assert_eq!(
        listed.output["playbackRestrictionPolicies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let ad = h.call(
        "CreateAdConfiguration",
        json!({"name": "ads", "mediaTailorPlaybackConfigurations": [
            {"playbackConfigurationArn": "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/demo"}]}),
    );
    let ad_arn = ad.output["adConfiguration"]["arn"]
        .as_str()
        .unwrap()
        .to_string();
    let updated = h.call(
        "UpdateAdConfiguration",
        json!({"arn": ad_arn, "name": "ads2"}),
    );
    assert_eq!(updated.output["adConfiguration"]["name"], "ads2");
    let got = h.call("GetAdConfiguration", json!({"arn": ad_arn}));
    assert_eq!(
        got.output["adConfiguration"]["mediaTailorPlaybackConfigurations"][0]
            ["playbackConfigurationArn"],
        "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/demo"
    );
    let listed = h.call("ListAdConfigurations", json!({}));
    assert_eq!(listed.output["adConfigurations"][0]["arn"], ad_arn.as_str());

    let slate = h.call(
        "CreateFailoverSlateConfiguration",
        json!({"name": "slate", "activationThresholdSeconds": 3}),
    );
    let slate_arn = slate.output["failoverSlateConfiguration"]["arn"]
        .as_str()
        .unwrap()
        .to_string();
    let updated = h.call(
        "UpdateFailoverSlateConfiguration",
        json!({"arn": slate_arn, "activationThresholdSeconds": 5}),
    );
    assert_eq!(
        updated.output["failoverSlateConfiguration"]["activationThresholdSeconds"],
        5
    );
    let got = h.call("GetFailoverSlateConfiguration", json!({"arn": slate_arn}));
    assert_eq!(got.output["failoverSlateConfiguration"]["name"], "slate");
    let listed = h.call("ListFailoverSlateConfigurations", json!({}));
    assert_eq!(
        listed.output["failoverSlateConfigurations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A channel and its stream key.
    let created = h.call(
        "CreateChannel",
        json!({"name": "main", "latencyMode": "NORMAL", "type": "STANDARD",
               "recordingConfigurationArn": recording_arn, "playbackRestrictionPolicyArn": policy_arn,
               "adConfigurationArn": ad_arn, "tags": {"team": "video"}}),
    );
    assert_eq!(created.metadata.http_status, Some(200));
    assert!(created
        .metadata
        .request_id
        .as_deref()
        .is_some_and(|id| !id.is_empty()));
    let channel = created.output["channel"].clone();
    let channel_arn = channel["arn"].as_str().unwrap().to_string();
    assert!(channel_arn.starts_with("arn:aws:ivs:us-west-2:123456789012:channel/"));
    assert_eq!(channel["latencyMode"], "NORMAL");
    assert_eq!(channel["tags"], json!({"team": "video"}));
    assert!(channel["playbackUrl"].as_str().unwrap().ends_with(".m3u8"));
    let key = created.output["streamKey"].clone();
    let key_arn = key["arn"].as_str().unwrap().to_string();
    let key_value = key["value"].as_str().unwrap().to_string();
    assert!(key_value.starts_with("sk_us-west-2_"));
    assert_eq!(key["channelArn"], channel_arn.as_str());
    assert!(
        !format!("{created:?}").contains(&key_value),
        "Debug must redact stream keys"
    );

    let got = h.call("GetChannel", json!({"arn": channel_arn}));
    assert_eq!(got.output["channel"]["name"], "main");
    let updated = h.call(
        "UpdateChannel",
        json!({"arn": channel_arn, "name": "renamed", "latencyMode": "LOW"}),
    );
    assert_eq!(updated.output["channel"]["name"], "renamed");
    assert_eq!(updated.output["channel"]["latencyMode"], "LOW");
    let listed = h.call("ListChannels", json!({"filterByName": "renamed"}));
    assert_eq!(listed.output["channels"][0]["arn"], channel_arn.as_str());
    let missing_channel = channel_arn.replace("/", "/x");
    let batch = h.call(
        "BatchGetChannel",
        json!({"arns": [channel_arn, missing_channel]}),
    );
    assert_eq!(batch.output["channels"].as_array().unwrap().len(), 1);
    assert_eq!(batch.output["errors"][0]["arn"], missing_channel.as_str());
    assert_eq!(
        batch.output["errors"][0]["code"],
        "ResourceNotFoundException"
    );

    let got = h.call("GetStreamKey", json!({"arn": key_arn}));
    assert_eq!(got.output["streamKey"]["value"], key_value.as_str());
    let listed = h.call("ListStreamKeys", json!({"channelArn": channel_arn}));
    assert_eq!(listed.output["streamKeys"][0]["arn"], key_arn.as_str());
    assert!(listed.output["streamKeys"][0].get("value").is_none());
    let batch = h.call("BatchGetStreamKey", json!({"arns": [key_arn]}));
    assert_eq!(batch.output["streamKeys"][0]["value"], key_value.as_str());
    let quota = h.fail("CreateStreamKey", json!({"channelArn": channel_arn}));
    assert_eq!(quota.code(), "ServiceQuotaExceededException");
    assert_eq!(quota.http_status(), Some(402));
    h.call("DeleteStreamKey", json!({"arn": key_arn}));
    let replaced = h.call("CreateStreamKey", json!({"channelArn": channel_arn}));
    let key_value = replaced.output["streamKey"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(replaced.output["streamKey"]["arn"], key_arn.as_str());

    // Tags through the /tags routes.
    h.call(
        "TagResource",
        json!({"resourceArn": channel_arn, "tags": {"env": "test", "tier": "gold"}}),
    );
    h.call(
        "UntagResource",
        json!({"resourceArn": channel_arn, "tagKeys": ["tier"]}),
    );
    let tags = h.call("ListTagsForResource", json!({"resourceArn": channel_arn}));
    assert_eq!(tags.output["tags"], json!({"env": "test", "team": "video"}));

    // Playback key pairs.
    let pem = public_key_pem();
    let imported = h.call(
        "ImportPlaybackKeyPair",
        json!({"publicKeyMaterial": pem, "name": "kp"}),
    );
    let pair_arn = imported.output["keyPair"]["arn"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!imported.output["keyPair"]["fingerprint"]
        .as_str()
        .unwrap()
        .is_empty());
    let duplicate = h.fail("ImportPlaybackKeyPair", json!({"publicKeyMaterial": pem}));
    assert_eq!(duplicate.code(), "ConflictException");
    let got = h.call("GetPlaybackKeyPair", json!({"arn": pair_arn}));
    assert_eq!(got.output["keyPair"]["name"], "kp");
    let listed = h.call("ListPlaybackKeyPairs", json!({}));
    assert_eq!(listed.output["keyPairs"][0]["arn"], pair_arn.as_str());
    h.call("DeletePlaybackKeyPair", json!({"arn": pair_arn}));

    // Streams, driven by the emulator's simulated broadcaster.
    let offline = h.fail("GetStream", json!({"channelArn": channel_arn}));
    assert_eq!(offline.code(), "ChannelNotBroadcasting");
    assert_eq!(offline.http_status(), Some(404));
    assert!(
        !offline.message().is_empty(),
        "IVS's exceptionMessage is kept"
    );
    let started = h.emulator.start_stream(&key_value).expect("stream starts");
    let stream = h.call("GetStream", json!({"channelArn": channel_arn}));
    assert_eq!(stream.output["stream"]["state"], "LIVE");
    assert_eq!(stream.output["stream"]["streamId"], started["streamId"]);
    assert!(stream.output["stream"]["startTime"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    let streams = h.call("ListStreams", json!({"filterBy": {"health": "HEALTHY"}}));
    assert_eq!(
        streams.output["streams"][0]["channelArn"],
        channel_arn.as_str()
    );
    let session = h.call("GetStreamSession", json!({"channelArn": channel_arn}));
    assert_eq!(
        session.output["streamSession"]["streamId"],
        started["streamId"]
    );
    assert_eq!(
        session.output["streamSession"]["channel"]["arn"],
        channel_arn.as_str()
    );
    let sessions = h.call("ListStreamSessions", json!({"channelArn": channel_arn}));
    assert_eq!(
        sessions.output["streamSessions"][0]["streamId"],
        started["streamId"]
    );
    let put = h.call(
        "PutMetadata",
        json!({"channelArn": channel_arn, "metadata": "{\"score\": 1}"}),
    );
    assert_eq!(put.metadata.http_status, Some(204));
    let ad_break = h.call(
        "InsertAdBreak",
        json!({"channelArn": channel_arn, "durationSeconds": 30}),
    );
    assert_eq!(ad_break.output["adBreakId"].as_str().unwrap().len(), 12);
    h.call(
        "StartViewerSessionRevocation",
        json!({"channelArn": channel_arn, "viewerId": "viewer-1"}),
    );
    let revoked = h.call(
        "BatchStartViewerSessionRevocation",
        json!({"viewerSessions": [{"channelArn": channel_arn, "viewerId": "viewer-2",
                                   "viewerSessionVersionsLessThanOrEqualTo": 3}]}),
    );
    assert_eq!(revoked.output["errors"], json!([]));
    h.call("StopStream", json!({"channelArn": channel_arn}));
    let ended = h.call("GetStreamSession", json!({"channelArn": channel_arn}));
    assert!(ended.output["streamSession"]["endTime"].is_string());

    // In use → Conflict; then delete everything.
    let in_use = h.fail(
        "DeleteRecordingConfiguration",
        json!({"arn": recording_arn}),
    );
    assert_eq!(in_use.code(), "ConflictException");
    let deleted = h.call("DeleteChannel", json!({"arn": channel_arn}));
    assert_eq!(deleted.metadata.http_status, Some(204));
    assert_eq!(deleted.output, json!({}));
    let gone = h.fail(
        "GetStreamKey",
        json!({"arn": replaced.output["streamKey"]["arn"]}),
    );
    assert_eq!(gone.code(), "ResourceNotFoundException");
    h.call(
        "DeleteRecordingConfiguration",
        json!({"arn": recording_arn}),
    );
    h.call(
        "DeletePlaybackRestrictionPolicy",
        json!({"arn": policy_arn}),
    );
    h.call("DeleteAdConfiguration", json!({"arn": ad_arn}));
    h.call(
        "DeleteFailoverSlateConfiguration",
        json!({"arn": slate_arn}),
    );
    let listed = h.call("ListChannels", json!({}));
    assert_eq!(listed.output["channels"], json!([]));

    let called = h.called.lock().unwrap().clone();
    let all: BTreeSet<String> = libivs_core::OPERATIONS
        .iter()
        .map(|op| op.name.to_string())
        .collect();
    let missed: Vec<_> = all.difference(&called).collect();
    assert!(missed.is_empty(), "operations not exercised: {missed:?}");
}

#[test]
fn snake_case_names_and_async_calls_work_too() {
    let h = Harness::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let created = runtime
        .block_on(h.client.call("create_channel", json!({"name": "async"})))
        .unwrap();
    assert_eq!(created.operation.name, "CreateChannel");
    assert_eq!(created.output["channel"]["name"], "async");
}

#[test]
fn spawned_calls_report_through_the_callback_and_input_errors_at_preparation() {
    let h = Harness::new();
    let (sender, results) = std::sync::mpsc::channel();
    let group = libivs_core::CallGroup::new();
    h.client
        .prepare("CreateChannel", json!({"name": "callback"}))
        .unwrap()
        .spawn(&group, move |result| sender.send(result).unwrap());
    let answer = results
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap()
        .unwrap();
    assert_eq!(answer.operation().name, "CreateChannel");
    assert_eq!(answer.into_response().output["channel"]["name"], "callback");
    let error = h.client.prepare("GetChannel", json!({})).unwrap_err();
    assert_eq!(error.code(), "ParamValidationError");
    assert!(error.message().contains("\"arn\""), "{error}");
}

#[test]
fn blocking_calls_can_be_interrupted() {
    let h = Harness::new();
    h.emulator
        .inject_fault(libivs_core::Fault {
            operation: "ListChannels".into(),
            count: 1,
            kind: libivs_core::FaultKind::Delay(std::time::Duration::from_secs(5)),
        })
        .unwrap();
    let started = std::time::Instant::now();
    let mut asked = 0;
    let error = h
        .client
        .prepare("ListChannels", json!({}))
        .unwrap()
        .run_blocking(Some(libivs_core::Interrupt {
            every: std::time::Duration::from_millis(20),
            interrupted: &mut || {
                asked += 1;
                asked >= 3
            },
        }))
        .unwrap_err();
    assert_eq!(error.code(), "Cancelled");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    // The client is still usable afterwards.
    h.call("ListChannels", json!({}));
}
