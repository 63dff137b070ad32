//! Drives the emulator through real HTTP with the real `aws-sdk-ivs` client.

mod support;

use std::time::{Duration, Instant, SystemTime};

use aws_sdk_ivs::config::retry::RetryConfig;
use aws_sdk_ivs::types::BatchStartViewerSessionRevocationViewerSession as ViewerSession;
use aws_sdk_ivs::types::{
    ChannelType, ContainerFormat, MediaTailorPlaybackConfiguration, MultitrackInputConfiguration,
    StreamFilters, StreamHealth, TranscodePreset,
};
use libivs_emulator::{Fault, FaultKind};
use p384::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::json;
use support::*;

fn is_alphanumeric(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn is_lower_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn new_public_key_pem() -> String {
    let secret = p384::SecretKey::random(&mut rand_core::OsRng);
    secret
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap()
}

#[tokio::test]
async fn create_channel_returns_ivs_defaults_and_its_stream_key() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let created = ivs.create_channel().name("first").send().await.unwrap();
    let channel = created.channel().unwrap();
    let arn = channel.arn().unwrap();
    let id = arn
        .strip_prefix("arn:aws:ivs:us-west-2:123456789012:channel/")
        .unwrap();
    assert_eq!(id.len(), 12);
    assert!(is_alphanumeric(id));
    assert_eq!(channel.name(), Some("first"));
    assert_eq!(channel.latency_mode().unwrap().as_str(), "LOW");
    assert_eq!(channel.r#type(), Some(&ChannelType::StandardChannelType));
    assert!(!channel.authorized());
    assert!(!channel.insecure_ingest());
    assert_eq!(channel.preset().unwrap().as_str(), "");
    assert_eq!(channel.container_format(), Some(&ContainerFormat::Ts));
    assert_eq!(channel.recording_configuration_arn(), Some(""));
    assert_eq!(channel.playback_restriction_policy_arn(), Some(""));
    assert!(channel.tags().unwrap().is_empty());
    let ingest = channel.ingest_endpoint().unwrap();
    let (ingest_host, ingest_domain) = ingest.split_once('.').unwrap();
    assert_eq!(ingest_domain, "global-contribute.live-video.net");
    assert!(ingest_host.len() == 12 && is_lower_hex(ingest_host));
    let playback = channel.playback_url().unwrap();
    assert!(playback.starts_with("https://"));
    assert!(playback.ends_with(&format!(
        ".us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.{id}.m3u8"
    )));
    let srt = channel.srt().unwrap();
    assert!(srt.endpoint().unwrap().ends_with(".srt.live-video.net"));
    assert_eq!(srt.passphrase().unwrap().len(), 70);
    // One host prefix per account, shared by ingest, playback and SRT.
    assert!(playback.starts_with(&format!("https://{ingest_host}.")));
    assert!(srt
        .endpoint()
        .unwrap()
        .starts_with(&format!("{ingest_host}.")));
    let multitrack = channel.multitrack_input_configuration().unwrap();
    assert!(!multitrack.enabled());
    assert_eq!(multitrack.policy().unwrap().as_str(), "ALLOW");
    assert_eq!(multitrack.maximum_resolution().unwrap().as_str(), "FULL_HD");

    let key = created.stream_key().unwrap();
    assert_eq!(key.channel_arn(), Some(arn));
    let value = key.value().unwrap();
    let random = value.strip_prefix("sk_us-west-2_").unwrap();
    let (first, second) = random.split_once('_').unwrap();
    assert_eq!((first.len(), second.len()), (12, 30));
    assert!(is_alphanumeric(first) && is_alphanumeric(second));
    assert!(key.arn().unwrap().contains(":stream-key/"));

    let fetched = ivs.get_channel().arn(arn).send().await.unwrap();
    assert_eq!(fetched.channel(), Some(channel));
    let fetched_key = ivs
        .get_stream_key()
        .arn(key.arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(fetched_key.stream_key().unwrap().value(), Some(value));
}

#[tokio::test]
async fn update_and_delete_channel_follow_ivs_rules() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let created = ivs.create_channel().send().await.unwrap();
    let arn = created.channel().unwrap().arn().unwrap().to_string();
    let key_arn = created.stream_key().unwrap().arn().unwrap().to_string();

    let updated = ivs
        .update_channel()
        .arn(&arn)
        .name("renamed")
        .r#type(ChannelType::AdvancedHdChannelType)
        .preset(TranscodePreset::ConstrainedBandwidthTranscodePreset)
        .authorized(true)
        .send()
        .await
        .unwrap();
    let channel = updated.channel().unwrap();
    assert_eq!(channel.name(), Some("renamed"));
    assert!(channel.authorized());
    assert_eq!(
        channel.preset(),
        Some(&TranscodePreset::ConstrainedBandwidthTranscodePreset)
    );

    let multitrack_on_ts = ivs
        .update_channel()
        .arn(&arn)
        .r#type(ChannelType::StandardChannelType)
        .multitrack_input_configuration(
            MultitrackInputConfiguration::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    let (code, message) = error_of(multitrack_on_ts);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("containerFormat"), "{message}");

    ivs.delete_channel().arn(&arn).send().await.unwrap();
    let (code, message) = error_of(ivs.get_channel().arn(&arn).send().await.unwrap_err());
    assert_eq!(code, "ResourceNotFoundException");
    assert!(message.contains(&arn));
    assert_eq!(
        failure_code(ivs.get_stream_key().arn(&key_arn).send()).await,
        "ResourceNotFoundException",
        "the channel's key went with it"
    );
    assert_eq!(
        failure_code(ivs.delete_channel().arn(&arn).send()).await,
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn stream_keys_are_one_per_channel() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let created = ivs.create_channel().send().await.unwrap();
    let channel_arn = created.channel().unwrap().arn().unwrap();
    let key_arn = created.stream_key().unwrap().arn().unwrap();

    assert_eq!(
        failure_code(ivs.create_stream_key().channel_arn(channel_arn).send()).await,
        "ServiceQuotaExceededException"
    );

    let listed = ivs
        .list_stream_keys()
        .channel_arn(channel_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.stream_keys().len(), 1);
    assert_eq!(listed.stream_keys()[0].arn(), Some(key_arn));

    ivs.delete_stream_key().arn(key_arn).send().await.unwrap();
    let replacement = ivs
        .create_stream_key()
        .channel_arn(channel_arn)
        .tags("team", "video")
        .send()
        .await
        .unwrap();
    let replacement = replacement.stream_key().unwrap();
    assert_ne!(replacement.arn(), Some(key_arn));
    assert_eq!(replacement.tags().unwrap()["team"], "video");

    let batch = ivs
        .batch_get_stream_key()
        .arns(replacement.arn().unwrap())
        .arns(key_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(batch.stream_keys().len(), 1);
    assert!(batch.stream_keys()[0]
        .value()
        .unwrap()
        .starts_with("sk_us-west-2_"));
    assert_eq!(batch.errors().len(), 1);
    assert_eq!(batch.errors()[0].arn(), Some(key_arn));
    assert_eq!(batch.errors()[0].code(), Some("ResourceNotFoundException"));

    let missing_channel = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";
    assert_eq!(
        failure_code(ivs.list_stream_keys().channel_arn(missing_channel).send()).await,
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn batch_get_channel_reports_missing_arns() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let arn = ivs
        .create_channel()
        .send()
        .await
        .unwrap()
        .channel()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    let missing = "arn:aws:ivs:us-west-2:123456789012:channel/missingMISS1";
    let batch = ivs
        .batch_get_channel()
        .arns(&arn)
        .arns(missing)
        .send()
        .await
        .unwrap();
    assert_eq!(batch.channels().len(), 1);
    assert_eq!(batch.channels()[0].arn(), Some(arn.as_str()));
    let error = &batch.errors()[0];
    assert_eq!(error.arn(), Some(missing));
    assert_eq!(error.code(), Some("ResourceNotFoundException"));
    assert!(error.message().unwrap().contains(missing));
}

#[tokio::test]
async fn invalid_input_is_a_validation_exception_naming_the_field() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let (code, message) = error_of(
        ivs.get_channel()
            .arn("not-an-arn")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ValidationException");
    assert!(message.contains("arn"), "{message}");

    let (code, message) = error_of(
        ivs.create_channel()
            .name("spaces are bad")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ValidationException");
    assert!(message.contains("name"), "{message}");

    let (code, message) = error_of(
        ivs.list_channels()
            .max_results(101)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ValidationException");
    assert!(message.contains("maxResults"), "{message}");
}

#[tokio::test]
async fn configurations_must_exist_and_cannot_be_deleted_in_use() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let missing = "arn:aws:ivs:us-west-2:123456789012:recording-configuration/missingMISS1";
    assert_eq!(
        failure_code(
            ivs.create_channel()
                .recording_configuration_arn(missing)
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );

    let recording = ivs
        .create_recording_configuration()
        .name("rec")
        .destination_configuration(s3_destination("my-bucket"))
        .send()
        .await
        .unwrap();
    let recording = recording.recording_configuration().unwrap();
    // ACTIVE at once with the embedded default (no recording-configuration delay).
    assert_eq!(recording.state().as_str(), "ACTIVE");
    assert_eq!(
        recording
            .destination_configuration()
            .unwrap()
            .s3()
            .unwrap()
            .bucket_name(),
        "my-bucket"
    );
    let policy = ivs
        .create_playback_restriction_policy()
        .allowed_countries("US")
        .allowed_origins("https://example.com")
        .send()
        .await
        .unwrap();
    let policy = policy.playback_restriction_policy().unwrap();
    assert_eq!(policy.allowed_countries(), ["US"]);
    assert_eq!(policy.enable_strict_origin_enforcement(), Some(false));

    let channel = ivs
        .create_channel()
        .recording_configuration_arn(recording.arn())
        .playback_restriction_policy_arn(policy.arn())
        .send()
        .await
        .unwrap();
    let channel_arn = channel.channel().unwrap().arn().unwrap();
    assert_eq!(
        channel.channel().unwrap().recording_configuration_arn(),
        Some(recording.arn())
    );

    assert_eq!(
        failure_code(
            ivs.delete_recording_configuration()
                .arn(recording.arn())
                .send()
        )
        .await,
        "ConflictException"
    );
    assert_eq!(
        failure_code(
            ivs.delete_playback_restriction_policy()
                .arn(policy.arn())
                .send()
        )
        .await,
        "ConflictException"
    );

    let updated_policy = ivs
        .update_playback_restriction_policy()
        .arn(policy.arn())
        .enable_strict_origin_enforcement(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated_policy
            .playback_restriction_policy()
            .unwrap()
            .enable_strict_origin_enforcement(),
        Some(true)
    );

    ivs.update_channel()
        .arn(channel_arn)
        .recording_configuration_arn("")
        .playback_restriction_policy_arn("")
        .send()
        .await
        .unwrap();
    ivs.delete_recording_configuration()
        .arn(recording.arn())
        .send()
        .await
        .unwrap();
    ivs.delete_playback_restriction_policy()
        .arn(policy.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(
        failure_code(
            ivs.get_recording_configuration()
                .arn(recording.arn())
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    assert!(ivs
        .list_playback_restriction_policies()
        .send()
        .await
        .unwrap()
        .playback_restriction_policies()
        .is_empty());
    assert!(ivs
        .list_recording_configurations()
        .send()
        .await
        .unwrap()
        .recording_configurations()
        .is_empty());
}

#[tokio::test]
async fn list_channels_pages_and_filters() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let recording = ivs
        .create_recording_configuration()
        .destination_configuration(s3_destination("bucket-one"))
        .send()
        .await
        .unwrap();
    let recording_arn = recording
        .recording_configuration()
        .unwrap()
        .arn()
        .to_string();
    let mut created = Vec::new();
    for index in 0..7 {
        let mut request = ivs.create_channel().name(format!("page-{index}"));
        if index % 3 == 0 {
            request = request.recording_configuration_arn(&recording_arn);
        }
        created.push(
            request
                .send()
                .await
                .unwrap()
                .channel()
                .unwrap()
                .arn()
                .unwrap()
                .to_string(),
        );
    }
    ivs.create_channel().name("other").send().await.unwrap();

    let mut seen = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let page = ivs
            .list_channels()
            .filter_by_name("page-")
            .max_results(3)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        pages += 1;
        seen.extend(page.channels().iter().map(|c| c.arn().unwrap().to_string()));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created, "pages follow creation order with no gaps");

    let everything = ivs.list_channels().send().await.unwrap();
    assert_eq!(everything.channels().len(), 8);
    assert!(everything.next_token().is_none());

    let recorded = ivs
        .list_channels()
        .filter_by_recording_configuration_arn(&recording_arn)
        .send()
        .await
        .unwrap();
    let recorded: Vec<_> = recorded
        .channels()
        .iter()
        .map(|c| c.arn().unwrap())
        .collect();
    assert_eq!(recorded, [&created[0], &created[3], &created[6]]);

    let (code, message) = error_of(
        ivs.list_channels()
            .filter_by_name("page-")
            .filter_by_recording_configuration_arn(&recording_arn)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ConflictException");
    assert!(message.contains("Only one filter can be used"), "{message}");

    assert_eq!(
        failure_code(ivs.list_channels().next_token("Z2FyYmFnZQ==").send()).await,
        "ValidationException"
    );

    let pages: Vec<_> = ivs
        .list_channels()
        .max_results(2)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 4, "the SDK's own paginator follows the tokens");
    assert_eq!(
        pages
            .iter()
            .map(|page| page.channels().len())
            .sum::<usize>(),
        8
    );
}

#[tokio::test]
async fn tags_work_on_every_resource_with_a_limit_of_fifty() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let channel_arn = ivs
        .create_channel()
        .tags("stage", "dev")
        .send()
        .await
        .unwrap()
        .channel()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    let policy_arn = ivs
        .create_playback_restriction_policy()
        .send()
        .await
        .unwrap()
        .playback_restriction_policy()
        .unwrap()
        .arn()
        .to_string();

    for arn in [&channel_arn, &policy_arn] {
        ivs.tag_resource()
            .resource_arn(arn)
            .tags("owner", "me")
            .tags("cost center", "42")
            .send()
            .await
            .unwrap();
    }
    let tags = ivs
        .list_tags_for_resource()
        .resource_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let tags = tags.tags();
    assert_eq!(tags.len(), 3);
    assert_eq!(tags["stage"], "dev");
    assert_eq!(tags["cost center"], "42");

    ivs.untag_resource()
        .resource_arn(&policy_arn)
        .tag_keys("owner")
        .tag_keys("cost center")
        .send()
        .await
        .unwrap();
    let remaining = ivs
        .list_tags_for_resource()
        .resource_arn(&policy_arn)
        .send()
        .await
        .unwrap();
    assert!(remaining.tags().is_empty());

    let mut too_many = ivs.tag_resource().resource_arn(&channel_arn);
    for index in 0..48 {
        too_many = too_many.tags(format!("key{index}"), "v");
    }
    let (code, message) = error_of(too_many.send().await.unwrap_err());
    assert_eq!(code, "ValidationException");
    assert!(message.contains("tags"), "{message}");
    let unchanged = ivs
        .list_tags_for_resource()
        .resource_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.tags().len(), 3);

    let missing = "arn:aws:ivs:us-west-2:123456789012:channel/missingMISS1";
    assert_eq!(
        failure_code(ivs.list_tags_for_resource().resource_arn(missing).send()).await,
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn playback_key_pairs_check_the_key_duplicates_and_quota() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let pem = new_public_key_pem();
    let imported = ivs
        .import_playback_key_pair()
        .public_key_material(&pem)
        .name("signing")
        .send()
        .await
        .unwrap();
    let pair = imported.key_pair().unwrap();
    assert!(pair.arn().unwrap().contains(":playback-key/"));
    assert_eq!(pair.name(), Some("signing"));
    // Colon-separated bytes, as IVS writes them.
    let fingerprint = pair.fingerprint().unwrap();
    let bytes: Vec<&str> = fingerprint.split(':').collect();
    assert_eq!(bytes.len(), 32);
    assert!(bytes.iter().all(|b| b.len() == 2 && is_lower_hex(b)));

    assert_eq!(
        failure_code(
            ivs.import_playback_key_pair()
                .public_key_material(&pem)
                .send()
        )
        .await,
        "ConflictException"
    );
    let (code, message) = error_of(
        ivs.import_playback_key_pair()
            .public_key_material("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ValidationException");
    assert!(message.contains("publicKeyMaterial"));

    for _ in 0..2 {
        ivs.import_playback_key_pair()
            .public_key_material(new_public_key_pem())
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        failure_code(
            ivs.import_playback_key_pair()
                .public_key_material(new_public_key_pem())
                .send()
        )
        .await,
        "ServiceQuotaExceededException"
    );
    let listed = ivs.list_playback_key_pairs().send().await.unwrap();
    assert_eq!(listed.key_pairs().len(), 3);
    assert_eq!(listed.key_pairs()[0].arn(), pair.arn());

    ivs.delete_playback_key_pair()
        .arn(pair.arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        failure_code(ivs.get_playback_key_pair().arn(pair.arn().unwrap()).send()).await,
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn ad_and_failover_slate_configurations() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let media_tailor = MediaTailorPlaybackConfiguration::builder()
        .playback_configuration_arn(
            "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/demo",
        )
        .build();
    let ad = ivs
        .create_ad_configuration()
        .name("ads")
        .media_tailor_playback_configurations(media_tailor)
        .send()
        .await
        .unwrap();
    let ad = ad.ad_configuration().unwrap();
    assert!(ad.arn().contains(":ad-configuration/"));
    let renamed = ivs
        .update_ad_configuration()
        .arn(ad.arn())
        .name("ads2")
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.ad_configuration().unwrap().name(), Some("ads2"));
    assert_eq!(
        ivs.get_ad_configuration()
            .arn(ad.arn())
            .send()
            .await
            .unwrap()
            .ad_configuration()
            .unwrap()
            .name(),
        Some("ads2")
    );
    assert_eq!(
        ivs.list_ad_configurations()
            .send()
            .await
            .unwrap()
            .ad_configurations()
            .len(),
        1
    );

    let slate = ivs
        .create_failover_slate_configuration()
        .max_slate_display_seconds(120)
        .send()
        .await
        .unwrap();
    let slate = slate.failover_slate_configuration().unwrap();
    assert_eq!(slate.state().as_str(), "CREATED");
    assert_eq!(slate.max_slate_display_seconds(), Some(120));
    let updated = ivs
        .update_failover_slate_configuration()
        .arn(slate.arn())
        .activation_threshold_seconds(5)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated
            .failover_slate_configuration()
            .unwrap()
            .activation_threshold_seconds(),
        Some(5)
    );

    let channel = ivs
        .create_channel()
        .ad_configuration_arn(ad.arn())
        .failover_slate_configuration_arn(slate.arn())
        .send()
        .await
        .unwrap();
    let channel_arn = channel.channel().unwrap().arn().unwrap().to_string();
    let filtered = ivs
        .list_channels()
        .filter_by_ad_configuration_arn(ad.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.channels().len(), 1);
    assert_eq!(
        failure_code(ivs.delete_ad_configuration().arn(ad.arn()).send()).await,
        "ConflictException"
    );
    assert_eq!(
        failure_code(
            ivs.delete_failover_slate_configuration()
                .arn(slate.arn())
                .send()
        )
        .await,
        "ConflictException"
    );

    ivs.delete_channel().arn(&channel_arn).send().await.unwrap();
    ivs.delete_ad_configuration()
        .arn(ad.arn())
        .send()
        .await
        .unwrap();
    ivs.delete_failover_slate_configuration()
        .arn(slate.arn())
        .send()
        .await
        .unwrap();
    assert!(ivs
        .list_failover_slate_configurations()
        .send()
        .await
        .unwrap()
        .failover_slate_configurations()
        .is_empty());
}

#[tokio::test]
async fn streams_sessions_metadata_and_ad_breaks() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let created = ivs.create_channel().send().await.unwrap();
    let channel_arn = created.channel().unwrap().arn().unwrap().to_string();
    let key = created.stream_key().unwrap().value().unwrap().to_string();

    assert_eq!(
        failure_code(ivs.get_stream().channel_arn(&channel_arn).send()).await,
        "ChannelNotBroadcasting"
    );
    assert_eq!(
        failure_code(
            ivs.put_metadata()
                .channel_arn(&channel_arn)
                .metadata("x")
                .send()
        )
        .await,
        "ChannelNotBroadcasting"
    );
    assert_eq!(
        failure_code(ivs.stop_stream().channel_arn(&channel_arn).send()).await,
        "ChannelNotBroadcasting"
    );

    let started = emulator.start_stream(&key).unwrap();
    assert_eq!(started["channelArn"], channel_arn.as_str());
    let stream_id = started["streamId"].as_str().unwrap().to_string();
    assert_eq!(stream_id.len(), 26);
    assert!(stream_id.starts_with("st-"));
    assert_eq!(
        emulator.start_stream(&key).unwrap_err().code,
        "ConflictException"
    );

    let stream = ivs
        .get_stream()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let stream = stream.stream().unwrap();
    assert_eq!(stream.stream_id(), Some(stream_id.as_str()));
    assert_eq!(stream.state().unwrap().as_str(), "LIVE");
    assert_eq!(stream.health(), Some(&StreamHealth::StreamHealthy));
    assert_eq!(stream.viewer_count(), 0);
    assert!(stream.start_time().is_some());

    let healthy = ivs
        .list_streams()
        .filter_by(
            StreamFilters::builder()
                .health(StreamHealth::StreamHealthy)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(healthy.streams().len(), 1);
    let starving = ivs
        .list_streams()
        .filter_by(
            StreamFilters::builder()
                .health(StreamHealth::Starving)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(starving.streams().is_empty());

    assert_eq!(
        failure_code(ivs.delete_channel().arn(&channel_arn).send()).await,
        "ConflictException",
        "a live channel cannot be deleted"
    );
    assert_eq!(
        failure_code(
            ivs.insert_ad_break()
                .channel_arn(&channel_arn)
                .duration_seconds(30)
                .send()
        )
        .await,
        "ConflictException",
        "no ad configuration on the channel"
    );

    let (code, message) = error_of(
        ivs.put_metadata()
            .channel_arn(&channel_arn)
            .metadata("é".repeat(513))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        code, "ValidationException",
        "1026 bytes of UTF-8 is over the limit"
    );
    assert!(message.contains("metadata"));
    for _ in 0..5 {
        ivs.put_metadata()
            .channel_arn(&channel_arn)
            .metadata("cue")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        failure_code(
            ivs.put_metadata()
                .channel_arn(&channel_arn)
                .metadata("cue")
                .send()
        )
        .await,
        "ThrottlingException"
    );

    ivs.stop_stream()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        failure_code(ivs.get_stream().channel_arn(&channel_arn).send()).await,
        "ChannelNotBroadcasting"
    );

    let session = ivs
        .get_stream_session()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let session = session.stream_session().unwrap();
    assert_eq!(session.stream_id(), Some(stream_id.as_str()));
    assert!(session.end_time().is_some());
    let events: Vec<_> = session
        .truncated_events()
        .iter()
        .map(|e| e.name().unwrap())
        .collect();
    // Most recent first, as IVS lists them.
    assert_eq!(
        events,
        [
            "Session Ended",
            "Stream End",
            "Stream Start",
            "Session Created"
        ]
    );
    let video = session.ingest_configuration().unwrap().video().unwrap();
    assert_eq!((video.video_width(), video.video_height()), (1920, 1080));
    assert_eq!(video.target_bitrate(), 6_000_000);
    assert_eq!(
        session
            .ingest_configuration()
            .unwrap()
            .audio()
            .unwrap()
            .sample_rate(),
        48_000
    );
    assert_eq!(session.channel().unwrap().arn(), Some(channel_arn.as_str()));

    let second = emulator.start_stream(&key).unwrap();
    emulator.stop_stream(&channel_arn).unwrap();
    let sessions = ivs
        .list_stream_sessions()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = sessions
        .stream_sessions()
        .iter()
        .map(|s| s.stream_id().unwrap())
        .collect();
    assert_eq!(
        ids,
        [second["streamId"].as_str().unwrap(), stream_id.as_str()]
    );
    assert!(!sessions.stream_sessions()[0].has_error_event());
    let latest = ivs
        .get_stream_session()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let events: Vec<_> = latest
        .stream_session()
        .unwrap()
        .truncated_events()
        .iter()
        .map(|e| e.name().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "Session Ended",
            "Stream End",
            "Stream Start",
            "Session Created"
        ]
    );
    let first = ivs
        .get_stream_session()
        .channel_arn(&channel_arn)
        .stream_id(&stream_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        first.stream_session().unwrap().stream_id(),
        Some(stream_id.as_str())
    );
}

#[tokio::test]
async fn insert_ad_break_on_a_live_channel_with_ads() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let media_tailor = MediaTailorPlaybackConfiguration::builder()
        .playback_configuration_arn(
            "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/demo",
        )
        .build();
    let ad = ivs
        .create_ad_configuration()
        .media_tailor_playback_configurations(media_tailor)
        .send()
        .await
        .unwrap();
    let created = ivs
        .create_channel()
        .ad_configuration_arn(ad.ad_configuration().unwrap().arn())
        .send()
        .await
        .unwrap();
    let channel_arn = created.channel().unwrap().arn().unwrap();
    assert_eq!(
        failure_code(
            ivs.insert_ad_break()
                .channel_arn(channel_arn)
                .duration_seconds(30)
                .send()
        )
        .await,
        "ChannelNotBroadcasting"
    );
    emulator
        .start_stream(created.stream_key().unwrap().value().unwrap())
        .unwrap();
    let inserted = ivs
        .insert_ad_break()
        .channel_arn(channel_arn)
        .duration_seconds(30)
        .send()
        .await
        .unwrap();
    let id = inserted.ad_break_id().unwrap();
    assert_eq!(id.len(), 12);
    assert!(is_alphanumeric(id));
    assert!(inserted.target_start_at().is_some());
}

#[tokio::test]
async fn viewer_session_revocations_check_channels() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let channel_arn = ivs
        .create_channel()
        .send()
        .await
        .unwrap()
        .channel()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    ivs.start_viewer_session_revocation()
        .channel_arn(&channel_arn)
        .viewer_id("viewer-1")
        .viewer_session_versions_less_than_or_equal_to(3)
        .send()
        .await
        .unwrap();
    let missing = "arn:aws:ivs:us-west-2:123456789012:channel/missingMISS1";
    assert_eq!(
        failure_code(
            ivs.start_viewer_session_revocation()
                .channel_arn(missing)
                .viewer_id("viewer-1")
                .send()
        )
        .await,
        "ResourceNotFoundException"
    );
    let session = |arn: &str, viewer: &str| {
        ViewerSession::builder()
            .channel_arn(arn)
            .viewer_id(viewer)
            .build()
            .unwrap()
    };
    let batch = ivs
        .batch_start_viewer_session_revocation()
        .viewer_sessions(session(&channel_arn, "viewer-2"))
        .viewer_sessions(session(missing, "viewer-3"))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.errors().len(), 1);
    assert_eq!(batch.errors()[0].channel_arn(), missing);
    assert_eq!(batch.errors()[0].viewer_id(), "viewer-3");
    assert_eq!(batch.errors()[0].code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn signatures_are_checked() {
    let emulator = start_emulator();
    let wrong_secret = client_with(&emulator, "test", "not-the-secret", RetryConfig::disabled());
    let (code, message) = error_of(wrong_secret.list_channels().send().await.unwrap_err());
    assert_eq!(code, "InvalidSignatureException");
    assert!(
        message.contains("The request signature we calculated does not match"),
        "{message}"
    );

    let unknown_key = client_with(&emulator, "AKIDUNKNOWN", "test", RetryConfig::disabled());
    let (code, message) = error_of(unknown_key.list_channels().send().await.unwrap_err());
    assert_eq!(code, "UnrecognizedClientException");
    assert!(
        message.contains("The security token included in the request is invalid."),
        "{message}"
    );

    let body = br#"{"name":"honest"}"#;
    let headers = signed_headers(
        &emulator,
        "POST",
        "/CreateChannel",
        body,
        "test",
        SystemTime::now(),
    );
    let honest = raw_request(&emulator, "POST", "/CreateChannel", &headers, body);
    assert_eq!(honest.status, 200, "{}", honest.body);
    assert_eq!(honest.json()["channel"]["name"], "honest");
    let tampered = raw_request(
        &emulator,
        "POST",
        "/CreateChannel",
        &headers,
        br#"{"name":"forged"}"#,
    );
    assert_eq!(tampered.status, 403);
    assert_eq!(
        tampered.header("x-amzn-ErrorType"),
        Some("InvalidSignatureException")
    );

    let stale = SystemTime::now() - Duration::from_secs(20 * 60);
    let headers = signed_headers(&emulator, "POST", "/ListChannels", b"{}", "test", stale);
    let expired = raw_request(&emulator, "POST", "/ListChannels", &headers, b"{}");
    assert_eq!(expired.status, 403);
    assert_eq!(
        expired.header("x-amzn-ErrorType"),
        Some("InvalidSignatureException")
    );
    assert!(expired.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("Signature expired"));

    let unsigned = raw_request(&emulator, "POST", "/ListChannels", &[], b"{}");
    assert_eq!(unsigned.status, 403);
    assert_eq!(
        unsigned.header("x-amzn-ErrorType"),
        Some("MissingAuthenticationTokenException")
    );

    let arn = honest.json()["channel"]["arn"]
        .as_str()
        .unwrap()
        .to_string();
    let encoded_arn = arn.replace(':', "%3A").replace('/', "%2F");
    let presigned = presigned_path(&emulator, "GET", &format!("/tags/{encoded_arn}"), 300);
    assert!(presigned.contains("X-Amz-Signature="));
    let listed = raw_request(&emulator, "GET", &presigned, &[], b"");
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed.json(), json!({"tags": {}}));
    let altered = presigned.replace("X-Amz-Expires=300", "X-Amz-Expires=600");
    assert_eq!(
        raw_request(&emulator, "GET", &altered, &[], b"").status,
        403
    );
}

#[tokio::test]
async fn injected_faults_fail_delay_and_drop_calls() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let arn = ivs
        .create_channel()
        .send()
        .await
        .unwrap()
        .channel()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();

    emulator
        .inject_fault(Fault {
            operation: "GetChannel".into(),
            count: 1,
            kind: FaultKind::Status(503),
        })
        .unwrap();
    assert_eq!(
        failure_code(ivs.get_channel().arn(&arn).send()).await,
        "ServiceUnavailable"
    );
    ivs.get_channel().arn(&arn).send().await.unwrap();

    emulator
        .inject_fault(Fault {
            operation: "GetChannel".into(),
            count: 2,
            kind: FaultKind::Status(503),
        })
        .unwrap();
    let retrying = retrying_client(&emulator);
    let fetched = retrying.get_channel().arn(&arn).send().await.unwrap();
    assert_eq!(fetched.channel().unwrap().arn(), Some(arn.as_str()));

    emulator
        .inject_fault(Fault {
            operation: "*".into(),
            count: 1,
            kind: FaultKind::Status(429),
        })
        .unwrap();
    assert_eq!(
        failure_code(ivs.list_channels().send()).await,
        "ThrottlingException"
    );

    emulator
        .inject_fault(Fault {
            operation: "GetChannel".into(),
            count: 1,
            kind: FaultKind::ResetConnection,
        })
        .unwrap();
    let dropped = ivs.get_channel().arn(&arn).send().await.unwrap_err();
    assert!(
        matches!(dropped, aws_sdk_ivs::error::SdkError::DispatchFailure(_)),
        "{dropped:?}"
    );
    ivs.get_channel().arn(&arn).send().await.unwrap();

    emulator
        .inject_fault(Fault {
            operation: "GetChannel".into(),
            count: 1,
            kind: FaultKind::Delay(Duration::from_millis(300)),
        })
        .unwrap();
    let started = Instant::now();
    ivs.get_channel().arn(&arn).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));

    assert!(emulator
        .inject_fault(Fault {
            operation: "GetChannel".into(),
            count: 1,
            kind: FaultKind::Status(418)
        })
        .is_err());

    let armed = raw_request(
        &emulator,
        "POST",
        "/_emulator/faults",
        &[],
        br#"{"operation": "GetChannel", "count": 1, "status": 500}"#,
    );
    assert_eq!(armed.status, 200);
    assert_eq!(
        failure_code(ivs.get_channel().arn(&arn).send()).await,
        "InternalServerException"
    );
    raw_request(
        &emulator,
        "POST",
        "/_emulator/faults",
        &[],
        br#"{"count": 5, "status": 500}"#,
    );
    assert_eq!(
        raw_request(&emulator, "DELETE", "/_emulator/faults", &[], b"").status,
        200
    );
    ivs.get_channel().arn(&arn).send().await.unwrap();
}

#[tokio::test]
async fn control_api_streams_and_reset() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    assert_eq!(
        raw_request(&emulator, "GET", "/_emulator/health", &[], b"").status,
        200
    );
    let created = ivs.create_channel().send().await.unwrap();
    let channel_arn = created.channel().unwrap().arn().unwrap();
    let body = json!({ "streamKey": created.stream_key().unwrap().value().unwrap() }).to_string();
    let started = raw_request(
        &emulator,
        "POST",
        "/_emulator/streams",
        &[],
        body.as_bytes(),
    );
    assert_eq!(started.status, 200, "{}", started.body);
    assert_eq!(started.json()["channelArn"], channel_arn);
    let again = raw_request(
        &emulator,
        "POST",
        "/_emulator/streams",
        &[],
        body.as_bytes(),
    );
    assert_eq!(again.status, 409);
    let unknown = raw_request(
        &emulator,
        "POST",
        "/_emulator/streams",
        &[],
        br#"{"streamKey": "sk_nope"}"#,
    );
    assert_eq!(unknown.status, 404);

    let encoded = channel_arn.replace(':', "%3A").replace('/', "%2F");
    let stopped = raw_request(
        &emulator,
        "DELETE",
        &format!("/_emulator/streams/{encoded}"),
        &[],
        b"",
    );
    assert_eq!(stopped.status, 200, "{}", stopped.body);
    assert_eq!(
        failure_code(ivs.get_stream().channel_arn(channel_arn).send()).await,
        "ChannelNotBroadcasting"
    );
    raw_request(
        &emulator,
        "POST",
        "/_emulator/streams",
        &[],
        body.as_bytes(),
    );
    let stop_body = json!({ "channelArn": channel_arn }).to_string();
    let stopped = raw_request(
        &emulator,
        "POST",
        "/_emulator/streams/stop",
        &[],
        stop_body.as_bytes(),
    );
    assert_eq!(stopped.status, 200);

    assert_eq!(
        raw_request(&emulator, "POST", "/_emulator/reset", &[], b"").status,
        200
    );
    assert!(ivs
        .list_channels()
        .send()
        .await
        .unwrap()
        .channels()
        .is_empty());
    emulator.reset();
}

#[tokio::test]
async fn malformed_requests_get_ivs_errors() {
    let emulator = start_emulator();
    let body = b"{not json";
    let headers = signed_headers(
        &emulator,
        "POST",
        "/CreateChannel",
        body,
        "test",
        SystemTime::now(),
    );
    let malformed = raw_request(&emulator, "POST", "/CreateChannel", &headers, body);
    assert_eq!(malformed.status, 400);
    assert_eq!(
        malformed.header("x-amzn-ErrorType"),
        Some("ValidationException")
    );
    assert_eq!(malformed.header("content-type"), Some("application/json"));
    assert_eq!(malformed.header("x-amzn-RequestId").map(str::len), Some(36));
    assert!(malformed.json()["exceptionMessage"]
        .as_str()
        .unwrap()
        .contains("JSON"));

    let array = b"[1, 2]";
    let headers = signed_headers(
        &emulator,
        "POST",
        "/CreateChannel",
        array,
        "test",
        SystemTime::now(),
    );
    assert_eq!(
        raw_request(&emulator, "POST", "/CreateChannel", &headers, array).status,
        400
    );

    let unknown = raw_request(&emulator, "POST", "/LaunchRocket", &[], b"{}");
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.header("x-amzn-ErrorType"),
        Some("UnknownOperationException")
    );

    let wrong_method = raw_request(&emulator, "PUT", "/CreateChannel", &[], b"{}");
    assert_eq!(wrong_method.status, 405);
    assert_eq!(
        wrong_method.header("x-amzn-ErrorType"),
        Some("UnknownOperationException")
    );

    let huge = vec![b' '; 2 * 1024 * 1024];
    let too_large = raw_request(&emulator, "POST", "/CreateChannel", &[], &huge);
    assert_eq!(too_large.status, 413);
    assert_eq!(
        too_large.header("x-amzn-ErrorType"),
        Some("ValidationException")
    );

    // The server is still healthy after all of that.
    let ivs = client(&emulator);
    ivs.create_channel().send().await.unwrap();
}

#[tokio::test]
async fn delete_channel_answers_204_with_an_empty_body() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let arn = ivs
        .create_channel()
        .send()
        .await
        .unwrap()
        .channel()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    let body = json!({ "arn": arn }).to_string();
    let headers = signed_headers(
        &emulator,
        "POST",
        "/DeleteChannel",
        body.as_bytes(),
        "test",
        SystemTime::now(),
    );
    let deleted = raw_request(
        &emulator,
        "POST",
        "/DeleteChannel",
        &headers,
        body.as_bytes(),
    );
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.body, "");
}

#[test]
fn starts_and_stops_from_sync_code_and_redacts_secrets() {
    let emulator = start_emulator();
    assert!(emulator.url().starts_with("http://127.0.0.1:"));
    assert_eq!(emulator.region(), "us-west-2");
    assert_eq!(
        (emulator.access_key_id(), emulator.secret_access_key()),
        ("test", "test")
    );
    let config = libivs_emulator::EmulatorConfig {
        secret_access_key: "super-secret".into(),
        ..Default::default()
    };
    assert!(!format!("{config:?}").contains("super-secret"));
    let url = emulator.url();
    emulator.stop();
    let address = url.trim_start_matches("http://");
    assert!(
        std::net::TcpStream::connect(address).is_err(),
        "the port is closed after stop"
    );
}
