//! IVS's lifecycles as its documentation gives them: the stream-end delay, recording
//! configurations passing through CREATING, documented defaults and validations, viewer counts,
//! rate quotas, response headers and the EventBridge events (feed and webhook).

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use aws_sdk_ivs::types::{
    MediaTailorPlaybackConfiguration, RenditionConfiguration, RenditionConfigurationRendition,
    RenditionConfigurationRenditionSelection, ThumbnailConfiguration,
    ThumbnailConfigurationResolution,
};
use libivs_emulator::{Emulator, EmulatorConfig};
use support::*;

#[tokio::test]
async fn stop_stream_ends_the_stream_after_the_delay_and_conflicts_until_then() {
    let emulator = start_emulator_with(EmulatorConfig {
        stream_end_delay: Duration::from_millis(600),
        ..EmulatorConfig::default()
    });
    let ivs = client(&emulator);
    let (channel_arn, key) = new_channel(&ivs, "ending", false).await;
    emulator.start_stream(&key).unwrap();
    ivs.stop_stream()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let stopped_at = Instant::now();
    // Still ending: live, and neither deletable nor updatable.
    ivs.get_stream()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        failure_code(ivs.delete_channel().arn(&channel_arn).send()).await,
        "ConflictException"
    );
    assert_eq!(
        failure_code(
            ivs.update_channel()
                .arn(&channel_arn)
                .name("renamed")
                .send()
        )
        .await,
        "ConflictException"
    );
    // A second StopStream while ending changes nothing.
    ivs.stop_stream()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();

    tokio::time::sleep(Duration::from_millis(700).saturating_sub(stopped_at.elapsed())).await;
    assert_eq!(
        failure_code(ivs.get_stream().channel_arn(&channel_arn).send()).await,
        "ChannelNotBroadcasting"
    );
    ivs.delete_channel().arn(&channel_arn).send().await.unwrap();
}

#[tokio::test]
async fn recording_configurations_are_creating_then_active_and_record_sessions() {
    let emulator = start_emulator_with(EmulatorConfig {
        recording_configuration_delay: Duration::from_millis(400),
        ..EmulatorConfig::default()
    });
    let ivs = client(&emulator);
    let created = ivs
        .create_recording_configuration()
        .destination_configuration(s3_destination("vods"))
        .thumbnail_configuration(
            ThumbnailConfiguration::builder()
                .resolution(ThumbnailConfigurationResolution::Hd)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let created = created.recording_configuration().unwrap();
    assert_eq!(created.state().as_str(), "CREATING");
    // The members left out of a partial thumbnailConfiguration get IVS's defaults.
    let thumbnails = created.thumbnail_configuration().unwrap();
    assert_eq!(thumbnails.recording_mode().unwrap().as_str(), "INTERVAL");
    assert_eq!(thumbnails.target_interval_seconds(), Some(60));
    assert_eq!(thumbnails.resolution().unwrap().as_str(), "HD");
    assert_eq!(thumbnails.storage()[0].as_str(), "SEQUENTIAL");
    let arn = created.arn().to_string();
    let state = |ivs: aws_sdk_ivs::Client, arn: String| async move {
        ivs.get_recording_configuration()
            .arn(arn)
            .send()
            .await
            .unwrap()
            .recording_configuration()
            .unwrap()
            .state()
            .as_str()
            .to_string()
    };
    assert_eq!(state(ivs.clone(), arn.clone()).await, "CREATING");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(state(ivs.clone(), arn.clone()).await, "ACTIVE");

    let channel = ivs
        .create_channel()
        .name("recorded")
        .recording_configuration_arn(&arn)
        .send()
        .await
        .unwrap();
    let channel_arn = channel.channel().unwrap().arn().unwrap().to_string();
    let key = channel.stream_key().unwrap().value().unwrap().to_string();
    emulator.start_stream(&key).unwrap();
    emulator.stop_stream(&channel_arn).unwrap();
    let session = ivs
        .get_stream_session()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = session
        .stream_session()
        .unwrap()
        .truncated_events()
        .iter()
        .map(|event| (event.name().unwrap(), event.r#type().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            ("Session Ended", "IVS Stream State Change"),
            ("Recording End", "IVS Recording State Change"),
            ("Stream End", "IVS Stream State Change"),
            ("Recording Start", "IVS Recording State Change"),
            ("Stream Start", "IVS Stream State Change"),
            ("Session Created", "IVS Stream State Change"),
        ]
    );
    let events = emulator.events(0);
    let recording: Vec<_> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["detail-type"] == "IVS Recording State Change")
        .collect();
    assert_eq!(recording.len(), 2);
    let end = &recording[1]["detail"];
    assert_eq!(end["recording_status"], "Recording End");
    assert_eq!(end["recording_s3_bucket_name"], "vods");
    let channel_id = channel_arn.rsplit('/').next().unwrap();
    assert!(end["recording_s3_key_prefix"]
        .as_str()
        .unwrap()
        .starts_with(&format!("ivs/v1/123456789012/{channel_id}/")));
    assert!(end["recording_duration_ms"].is_u64());
    assert_eq!(
        end["recording_session_id"],
        recording[0]["detail"]["recording_session_id"]
    );
}

#[tokio::test]
async fn documented_validations_and_defaults_apply() {
    let emulator = start_emulator_with(EmulatorConfig::default());
    let ivs = client(&emulator);
    let (code, description) = error_of(
        ivs.create_recording_configuration()
            .destination_configuration(s3_destination("vods"))
            .rendition_configuration(
                RenditionConfiguration::builder()
                    .rendition_selection(RenditionConfigurationRenditionSelection::Custom)
                    .build(),
            )
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ValidationException");
    assert!(description.contains("renditions"), "{description}");
    ivs.create_recording_configuration()
        .destination_configuration(s3_destination("vods"))
        .rendition_configuration(
            RenditionConfiguration::builder()
                .rendition_selection(RenditionConfigurationRenditionSelection::Custom)
                .renditions(RenditionConfigurationRendition::Hd)
                .build(),
        )
        .send()
        .await
        .unwrap();

    let ad = ivs
        .create_ad_configuration()
        .media_tailor_playback_configurations(
            MediaTailorPlaybackConfiguration::builder()
                .playback_configuration_arn(
                    "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/ads",
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let post_roll = ad
        .ad_configuration()
        .unwrap()
        .post_roll_configuration()
        .unwrap();
    assert!(!post_roll.enabled());
    assert_eq!(post_roll.duration_seconds(), 15);

    let created = ivs.create_channel().send().await.unwrap();
    let key = created.stream_key().unwrap().value().unwrap();
    let parts: Vec<&str> = key.split('_').collect();
    assert_eq!(parts.len(), 4, "sk_<region>_<12>_<30>");
    assert_eq!((parts[0], parts[1]), ("sk", "us-west-2"));
    assert_eq!((parts[2].len(), parts[3].len()), (12, 30));
    // Every channel of the account shares the host prefix.
    let other = ivs.create_channel().send().await.unwrap();
    assert_eq!(
        created.channel().unwrap().ingest_endpoint(),
        other.channel().unwrap().ingest_endpoint()
    );
}

#[tokio::test]
async fn viewer_count_follows_playlist_fetches() {
    let emulator = start_emulator_with(EmulatorConfig::default());
    let ivs = client(&emulator);
    let created = ivs.create_channel().send().await.unwrap();
    let channel = created.channel().unwrap();
    let channel_arn = channel.arn().unwrap();
    let key = created.stream_key().unwrap().value().unwrap();
    emulator.start_stream(key).unwrap();
    let viewers = |ivs: aws_sdk_ivs::Client, arn: String| async move {
        ivs.get_stream()
            .channel_arn(arn)
            .send()
            .await
            .unwrap()
            .stream()
            .unwrap()
            .viewer_count()
    };
    assert_eq!(viewers(ivs.clone(), channel_arn.to_string()).await, 0);
    let local = emulator.local_playback_url(channel.playback_url().unwrap());
    let path = local.trim_start_matches(&emulator.url()).to_string();
    for _ in 0..3 {
        assert_eq!(raw_request(&emulator, "GET", &path, &[], b"").status, 200);
    }
    assert_eq!(viewers(ivs.clone(), channel_arn.to_string()).await, 3);
    let listed = ivs.list_streams().send().await.unwrap();
    assert_eq!(listed.streams()[0].viewer_count(), 3);
}

#[tokio::test]
async fn quotas_mode_throttles_beyond_the_documented_rates() {
    let emulator = start_emulator_with(EmulatorConfig {
        quotas: true,
        ..EmulatorConfig::default()
    });
    let ivs = client(&emulator);
    // ListRecordingConfigurations: 3 TPS. Four calls well inside one second.
    let mut codes = Vec::new();
    for _ in 0..4 {
        match ivs.list_recording_configurations().send().await {
            Ok(_) => codes.push("ok".to_string()),
            Err(error) => codes.push(error_of(error).0),
        }
    }
    assert_eq!(codes, ["ok", "ok", "ok", "ThrottlingException"]);
    // Other operations have their own budgets.
    ivs.list_channels().send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    ivs.list_recording_configurations().send().await.unwrap();

    // Without --quotas nothing is throttled.
    let relaxed = start_emulator_with(EmulatorConfig::default());
    let ivs = client(&relaxed);
    for _ in 0..10 {
        ivs.list_recording_configurations().send().await.unwrap();
    }
}

#[tokio::test]
async fn responses_carry_the_headers_ivs_sends_and_the_events_feed_pages_by_cursor() {
    let emulator = start_emulator_with(EmulatorConfig::default());
    let ivs = client(&emulator);
    let (channel_arn, key) = new_channel(&ivs, "feed", false).await;
    emulator.start_stream(&key).unwrap();

    let answer = raw_request(&emulator, "GET", "/_emulator/events", &[], b"");
    assert_eq!(answer.status, 200);
    let feed = answer.json();
    let names: Vec<_> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["detail"]["event_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Session Created", "Stream Start"]);
    let event = &feed["events"][0];
    for member in [
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
    ] {
        assert!(event[member].is_string(), "{member} in {event}");
    }
    assert_eq!(event["detail-type"], "IVS Stream State Change");
    let cursor = feed["cursor"].as_u64().unwrap();

    emulator.stop_stream(&channel_arn).unwrap();
    let later = raw_request(
        &emulator,
        "GET",
        &format!("/_emulator/events?since={cursor}"),
        &[],
        b"",
    )
    .json();
    let names: Vec<_> = later["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["detail"]["event_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Stream End", "Session Ended"]);
    let bad = raw_request(&emulator, "GET", "/_emulator/events?since=soon", &[], b"");
    assert_eq!(bad.status, 400);

    // An IVS error answer, with the headers the model binds to the error's members.
    let body = br#"{"arn":"arn:aws:ivs:us-west-2:123456789012:channel/missing"}"#;
    let headers = signed_headers(
        &emulator,
        "POST",
        "/GetChannel",
        body,
        "test",
        std::time::SystemTime::now(),
    );
    let answer = raw_request(&emulator, "POST", "/GetChannel", &headers, body);
    assert_eq!(answer.status, 404);
    assert_eq!(answer.header("Access-Control-Allow-Origin"), Some("*"));
    assert!(answer.header("Strict-Transport-Security").is_some());
    assert!(answer.header("Cache-Control").is_some());
    assert_eq!(answer.header("X-Content-Type-Options"), Some("nosniff"));
}

/// Collects the bodies POSTed to a loopback listener (at most `count`, for at most 10 s).
fn webhook_receiver(count: usize) -> (String, mpsc::Receiver<serde_json::Value>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/ivs-events", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(stream) = stream else { continue };
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|read| read > 0) {
                if line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                line.clear();
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_ok() {
                let _ = std::io::Write::write_all(
                    reader.get_mut(),
                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
                let _ = sender.send(serde_json::from_slice(&body).unwrap_or_default());
            }
        }
    });
    (url, receiver)
}

#[tokio::test]
async fn events_are_posted_to_the_webhook_as_they_happen() {
    let (url, received) = webhook_receiver(4);
    let emulator = start_emulator_with(EmulatorConfig {
        events_webhook_url: Some(url),
        stream_end_delay: Duration::from_millis(300),
        ..EmulatorConfig::default()
    });
    let ivs = client(&emulator);
    let (channel_arn, key) = new_channel(&ivs, "hooked", false).await;
    emulator.start_stream(&key).unwrap();
    emulator.stop_stream(&channel_arn).unwrap();
    // Nobody asks the emulator anything now: the end still reaches the webhook on time.
    let names: Vec<String> = tokio::task::spawn_blocking(move || {
        (0..4)
            .map(|_| {
                let event = received.recv_timeout(Duration::from_secs(10)).unwrap();
                assert_eq!(event["source"], "aws.ivs");
                event["detail"]["event_name"].as_str().unwrap().to_string()
            })
            .collect()
    })
    .await
    .unwrap();
    assert_eq!(
        names,
        [
            "Session Created",
            "Stream Start",
            "Stream End",
            "Session Ended"
        ]
    );
}

#[test]
fn configuration_json_reads_the_new_keys() {
    let config = EmulatorConfig::from_json(&serde_json::json!({
        "rtmpPort": 0,
        "rtmps_port": 0,
        "streamEndDelayMs": 250,
        "recording_configuration_delay_ms": 10,
        "quotas": true,
        "eventsWebhookUrl": "http://127.0.0.1:9/hook",
    }))
    .unwrap();
    assert_eq!(config.stream_end_delay, Duration::from_millis(250));
    assert_eq!(
        config.recording_configuration_delay,
        Duration::from_millis(10)
    );
    assert!(config.quotas);
    let error = EmulatorConfig::from_json(&serde_json::json!({"quotas": "yes"})).unwrap_err();
    assert!(error.contains("quotas"), "{error}");
    let bad_hook = Emulator::start(EmulatorConfig {
        events_webhook_url: Some("ftp://example".into()),
        ..EmulatorConfig::default()
    });
    assert!(bad_hook.is_err());
}
