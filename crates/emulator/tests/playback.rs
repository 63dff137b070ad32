//! Playback of channels through the emulator's playback URLs, private channels' tokens included:
//! IVS calls go through the real `aws-sdk-ivs` client, playlists are fetched with raw HTTP GETs
//! as a player would (unsigned).

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_ivs::types::BatchStartViewerSessionRevocationViewerSession as ViewerSession;
use libivs_emulator::Emulator;
use libivs_token::{generate_key_pair, sign_playback_token, PlaybackClaims, PlaybackKeyPair};
use serde_json::{json, Value};
use support::*;

/// A live channel, as a viewer and a test need it.
struct Channel {
    arn: String,
    playback_url: String,
    stream_key: String,
}

async fn import_key(ivs: &aws_sdk_ivs::Client) -> PlaybackKeyPair {
    let pair = generate_key_pair();
    ivs.import_playback_key_pair()
        .public_key_material(&pair.public_key_pem)
        .send()
        .await
        .unwrap();
    pair
}

/// Creates a channel (private when `authorized`) and, when `live`, starts a simulated stream.
async fn channel(
    emulator: &Emulator,
    ivs: &aws_sdk_ivs::Client,
    authorized: bool,
    live: bool,
) -> Channel {
    let created = ivs
        .create_channel()
        .authorized(authorized)
        .send()
        .await
        .unwrap();
    let channel = created.channel().unwrap();
    let stream_key = created.stream_key().unwrap().value().unwrap().to_string();
    if live {
        emulator.start_stream(&stream_key).unwrap();
    }
    Channel {
        arn: channel.arn().unwrap().to_string(),
        playback_url: channel.playback_url().unwrap().to_string(),
        stream_key,
    }
}

fn claims_for(channel: &Channel) -> PlaybackClaims {
    PlaybackClaims {
        channel_arn: channel.arn.clone(),
        ..Default::default()
    }
}

fn sign(pair: &PlaybackKeyPair, claims: &PlaybackClaims) -> String {
    sign_playback_token(&pair.private_key_pem, claims).unwrap()
}

/// GETs a channel's playback URL from the emulator, with an optional token and `Origin`.
fn play(
    emulator: &Emulator,
    channel: &Channel,
    token: Option<&str>,
    origin: Option<&str>,
) -> RawResponse {
    let url = match token {
        Some(token) => format!("{}?token={token}", channel.playback_url),
        None => channel.playback_url.clone(),
    };
    let local = emulator.local_playback_url(&url);
    let path = local.strip_prefix(&emulator.url()).unwrap();
    let headers: Vec<(String, String)> = origin
        .map(|origin| ("Origin".to_string(), origin.to_string()))
        .into_iter()
        .collect();
    raw_request(emulator, "GET", path, &headers, b"")
}

/// Asserts a 403 with the given refusal code, and answers its message.
fn assert_refused(response: &RawResponse, code: &str) -> String {
    assert_eq!(response.status, 403, "{}", response.body);
    let body = response.json();
    assert_eq!(body["code"], code, "{}", response.body);
    body["message"].as_str().unwrap().to_string()
}

fn resolutions(playlist: &str) -> Vec<String> {
    playlist
        .lines()
        .filter_map(|line| line.strip_prefix("#EXT-X-STREAM-INF:"))
        .filter_map(|attributes| {
            attributes
                .split(',')
                .find_map(|attribute| attribute.strip_prefix("RESOLUTION="))
        })
        .map(str::to_string)
        .collect()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn local_playback_url_keeps_path_and_query() {
    let emulator = start_emulator();
    let url = "https://a1b2c3d4e5f6.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.AbCdEfGhIjKl.m3u8?token=abc.def.ghi";
    assert_eq!(
        emulator.local_playback_url(url),
        format!(
            "{}/api/video/v1/us-west-2.123456789012.channel.AbCdEfGhIjKl.m3u8?token=abc.def.ghi",
            emulator.url()
        )
    );
    assert_eq!(
        emulator.local_playback_url("/api/video/v1/x.m3u8"),
        format!("{}/api/video/v1/x.m3u8", emulator.url())
    );
}

#[tokio::test]
async fn private_channel_plays_with_a_valid_token() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let pair = import_key(&ivs).await;
    let channel = channel(&emulator, &ivs, true, true).await;
    let token = sign(&pair, &claims_for(&channel));
    let response = play(&emulator, &channel, Some(&token), None);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.header("content-type"),
        Some("application/vnd.apple.mpegurl")
    );
    assert_eq!(response.header("access-control-allow-origin"), Some("*"));
    assert!(response.body.starts_with("#EXTM3U\n"));
    assert!(response.body.contains("#EXT-X-VERSION:3"));
    let lines: Vec<&str> = response.body.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if line.starts_with("#EXT-X-STREAM-INF:") {
            assert!(line.contains("BANDWIDTH="));
            let uri = lines[index + 1];
            assert!(!uri.is_empty() && !uri.starts_with('#'), "{uri}");
        }
    }
    assert_eq!(
        resolutions(&response.body),
        ["1920x1080", "1280x720", "852x480", "640x360", "284x160"]
    );
    // The token is not single-use: it plays again, as a player refreshing the playlist would.
    assert_eq!(play(&emulator, &channel, Some(&token), None).status, 200);
    // A HEAD answers too; another method does not.
    let path = emulator
        .local_playback_url(&channel.playback_url)
        .strip_prefix(&emulator.url())
        .unwrap()
        .to_string();
    let with_token = format!("{path}?token={token}");
    assert_eq!(
        raw_request(&emulator, "HEAD", &with_token, &[], b"").status,
        200
    );
    assert_eq!(
        raw_request(&emulator, "POST", &with_token, &[], b"").status,
        405
    );
}

#[tokio::test]
async fn private_channel_refuses_bad_tokens_each_with_its_reason() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let channel = channel(&emulator, &ivs, true, true).await;
    let other_channel = self::channel(&emulator, &ivs, true, true).await;
    let stranger = generate_key_pair();

    // No key pair imported at all: nothing can verify.
    let message = assert_refused(
        &play(
            &emulator,
            &channel,
            Some(&sign(&stranger, &claims_for(&channel))),
            None,
        ),
        "invalid_signature",
    );
    assert!(message.contains("no playback key pair"), "{message}");

    let pair = import_key(&ivs).await;
    let messages = [
        assert_refused(&play(&emulator, &channel, None, None), "missing_token"),
        assert_refused(
            &play(&emulator, &channel, Some("not-a-jwt"), None),
            "malformed_token",
        ),
        assert_refused(
            &play(
                &emulator,
                &channel,
                Some(&sign(&stranger, &claims_for(&channel))),
                None,
            ),
            "invalid_signature",
        ),
        assert_refused(
            &play(
                &emulator,
                &channel,
                Some(&sign(&pair, &claims_for(&other_channel))),
                None,
            ),
            "channel_mismatch",
        ),
        assert_refused(
            &play(
                &emulator,
                &channel,
                Some(&sign(
                    &pair,
                    &PlaybackClaims {
                        expires_at: Some(unix_now() - 5),
                        ..claims_for(&channel)
                    },
                )),
                None,
            ),
            "token_expired",
        ),
    ];
    // Each check says what failed, in its own words.
    for (index, message) in messages.iter().enumerate() {
        assert!(!message.is_empty());
        assert!(
            !messages[..index].contains(message),
            "repeated message {message}"
        );
    }

    // A token signed with any imported key is accepted, and deleting the key pair revokes it.
    let second = import_key(&ivs).await;
    let token = sign(&second, &claims_for(&channel));
    assert_eq!(play(&emulator, &channel, Some(&token), None).status, 200);
    let second_arn = ivs
        .list_playback_key_pairs()
        .send()
        .await
        .unwrap()
        .key_pairs()
        .iter()
        .map(|summary| summary.arn().unwrap().to_string())
        .next_back()
        .unwrap();
    ivs.delete_playback_key_pair()
        .arn(&second_arn)
        .send()
        .await
        .unwrap();
    assert_refused(
        &play(&emulator, &channel, Some(&token), None),
        "invalid_signature",
    );
    // The first key still works.
    let token = sign(&pair, &claims_for(&channel));
    assert_eq!(play(&emulator, &channel, Some(&token), None).status, 200);
}

#[tokio::test]
async fn token_origin_rules_set_cors_and_strict_enforcement_refuses() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let pair = import_key(&ivs).await;
    let channel = channel(&emulator, &ivs, true, true).await;
    let allowed = "https://good.example,https://also.example";

    let lenient = sign(
        &pair,
        &PlaybackClaims {
            access_control_allow_origin: Some(allowed.into()),
            ..claims_for(&channel)
        },
    );
    let response = play(
        &emulator,
        &channel,
        Some(&lenient),
        Some("https://also.example"),
    );
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("access-control-allow-origin"),
        Some("https://also.example")
    );
    // Without strict enforcement a foreign origin still gets the playlist, but no CORS grant.
    let response = play(
        &emulator,
        &channel,
        Some(&lenient),
        Some("https://evil.example"),
    );
    assert_eq!(response.status, 200);
    assert_eq!(response.header("access-control-allow-origin"), None);

    let strict = sign(
        &pair,
        &PlaybackClaims {
            access_control_allow_origin: Some(allowed.into()),
            strict_origin_enforcement: Some(true),
            ..claims_for(&channel)
        },
    );
    let wrong = assert_refused(
        &play(
            &emulator,
            &channel,
            Some(&strict),
            Some("https://evil.example"),
        ),
        "token_origin_not_allowed",
    );
    let missing = assert_refused(
        &play(&emulator, &channel, Some(&strict), None),
        "token_origin_not_allowed",
    );
    assert_ne!(wrong, missing);
    let response = play(
        &emulator,
        &channel,
        Some(&strict),
        Some("https://good.example"),
    );
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("access-control-allow-origin"),
        Some("https://good.example")
    );

    let any = sign(
        &pair,
        &PlaybackClaims {
            access_control_allow_origin: Some("*".into()),
            ..claims_for(&channel)
        },
    );
    let response = play(
        &emulator,
        &channel,
        Some(&any),
        Some("https://evil.example"),
    );
    assert_eq!(response.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn playback_restriction_policy_origins_apply_to_every_channel() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let policy_arn = ivs
        .create_playback_restriction_policy()
        .allowed_origins("https://good.example")
        .allowed_countries("US")
        .enable_strict_origin_enforcement(true)
        .send()
        .await
        .unwrap()
        .playback_restriction_policy()
        .unwrap()
        .arn()
        .to_string();
    let public = channel(&emulator, &ivs, false, false).await;
    ivs.update_channel()
        .arn(&public.arn)
        .playback_restriction_policy_arn(&policy_arn)
        .send()
        .await
        .unwrap();
    emulator.start_stream(&public.stream_key).unwrap();

    let message = assert_refused(
        &play(&emulator, &public, None, Some("https://evil.example")),
        "policy_origin_not_allowed",
    );
    assert!(message.contains(&policy_arn), "{message}");
    assert_refused(
        &play(&emulator, &public, None, None),
        "policy_origin_not_allowed",
    );
    let response = play(&emulator, &public, None, Some("https://good.example"));
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.header("access-control-allow-origin"),
        Some("https://good.example")
    );

    // Without strict enforcement the policy only shapes the CORS answer.
    ivs.update_playback_restriction_policy()
        .arn(&policy_arn)
        .enable_strict_origin_enforcement(false)
        .send()
        .await
        .unwrap();
    let response = play(&emulator, &public, None, Some("https://evil.example"));
    assert_eq!(response.status, 200);
    assert_eq!(response.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn single_use_tokens_play_once() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let pair = import_key(&ivs).await;
    let channel = channel(&emulator, &ivs, true, true).await;
    let token = sign(
        &pair,
        &PlaybackClaims {
            single_use_uuid: Some("4f3bb4b0-4bc3-4bf4-9d8e-7a1f6b1c2d3e".into()),
            expires_in: Some(Duration::from_secs(300)),
            ..claims_for(&channel)
        },
    );
    assert_eq!(play(&emulator, &channel, Some(&token), None).status, 200);
    let message = assert_refused(
        &play(&emulator, &channel, Some(&token), None),
        "single_use_token_reused",
    );
    assert!(message.contains("4f3bb4b0"), "{message}");
    // A different uuid is a different token.
    let fresh = sign(
        &pair,
        &PlaybackClaims {
            single_use_uuid: Some("another-uuid".into()),
            ..claims_for(&channel)
        },
    );
    assert_eq!(play(&emulator, &channel, Some(&fresh), None).status, 200);
}

#[tokio::test]
async fn revoked_viewer_sessions_are_refused() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let pair = import_key(&ivs).await;
    let channel = channel(&emulator, &ivs, true, true).await;
    let token = |viewer: &str, version: Option<i64>| {
        sign(
            &pair,
            &PlaybackClaims {
                viewer_id: Some(viewer.into()),
                viewer_session_version: version,
                expires_in: Some(Duration::from_secs(300)),
                ..claims_for(&channel)
            },
        )
    };
    assert_eq!(
        play(&emulator, &channel, Some(&token("viewer-1", Some(2))), None).status,
        200
    );
    ivs.start_viewer_session_revocation()
        .channel_arn(&channel.arn)
        .viewer_id("viewer-1")
        .viewer_session_versions_less_than_or_equal_to(2)
        .send()
        .await
        .unwrap();
    assert_refused(
        &play(&emulator, &channel, Some(&token("viewer-1", Some(2))), None),
        "viewer_session_revoked",
    );
    // An absent version is 0, which is revoked too.
    assert_refused(
        &play(&emulator, &channel, Some(&token("viewer-1", None)), None),
        "viewer_session_revoked",
    );
    assert_eq!(
        play(&emulator, &channel, Some(&token("viewer-1", Some(3))), None).status,
        200
    );
    // Other viewers are not affected.
    assert_eq!(
        play(&emulator, &channel, Some(&token("viewer-2", Some(1))), None).status,
        200
    );
    // The batch form, with its version absent (0), revokes version 0 only.
    ivs.batch_start_viewer_session_revocation()
        .viewer_sessions(
            ViewerSession::builder()
                .channel_arn(&channel.arn)
                .viewer_id("viewer-2")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_refused(
        &play(&emulator, &channel, Some(&token("viewer-2", Some(0))), None),
        "viewer_session_revoked",
    );
    assert_eq!(
        play(&emulator, &channel, Some(&token("viewer-2", Some(1))), None).status,
        200
    );
}

#[tokio::test]
async fn public_channels_play_without_a_token_and_offline_or_unknown_is_404() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let public = channel(&emulator, &ivs, false, true).await;
    let response = play(&emulator, &public, None, None);
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(response.body.starts_with("#EXTM3U"));
    // A token on a public channel is ignored, however bad.
    assert_eq!(play(&emulator, &public, Some("garbage"), None).status, 200);

    emulator.stop_stream(&public.arn).unwrap();
    let offline = play(&emulator, &public, None, None);
    assert_eq!(offline.status, 404);
    assert_eq!(offline.json()["code"], "channel_offline");

    // A private channel with a valid token is still 404 while offline.
    let pair = import_key(&ivs).await;
    let private = channel(&emulator, &ivs, true, false).await;
    let token = sign(&pair, &claims_for(&private));
    let offline = play(&emulator, &private, Some(&token), None);
    assert_eq!(offline.status, 404, "{}", offline.body);
    assert_eq!(offline.json()["code"], "channel_offline");

    let unknown = Channel {
        arn: "arn:aws:ivs:us-west-2:123456789012:channel/missingMISS1".into(),
        playback_url: "https://0123456789ab.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.missingMISS1.m3u8".into(),
        stream_key: String::new(),
    };
    let response = play(&emulator, &unknown, None, None);
    assert_eq!(response.status, 404);
    assert_eq!(response.json()["code"], "channel_not_found");
    let garbled = raw_request(&emulator, "GET", "/api/video/v1/nothing.m3u8", &[], b"");
    assert_eq!(garbled.status, 404);
}

#[tokio::test]
async fn maximum_resolution_caps_renditions() {
    let emulator = start_emulator();
    let ivs = client(&emulator);
    let pair = import_key(&ivs).await;
    let channel = channel(&emulator, &ivs, true, true).await;
    let capped = |resolution: &str| {
        let token = sign(
            &pair,
            &PlaybackClaims {
                maximum_resolution: Some(resolution.into()),
                ..claims_for(&channel)
            },
        );
        let response = play(&emulator, &channel, Some(&token), None);
        assert_eq!(response.status, 200, "{}", response.body);
        resolutions(&response.body)
    };
    assert_eq!(capped("HD"), ["1280x720", "852x480", "640x360", "284x160"]);
    assert_eq!(capped("SD"), ["852x480", "640x360", "284x160"]);
    assert_eq!(capped("FULL_HD").len(), 5);
}

// ---- interoperability with an independent JWT library ----

#[tokio::test]
async fn a_jsonwebtoken_es384_token_plays() {
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};

    let emulator = start_emulator();
    let ivs = client(&emulator);
    let pair = import_key(&ivs).await;
    let channel = channel(&emulator, &ivs, true, true).await;
    let key = EncodingKey::from_ec_pem(pair.private_key_pem.as_bytes()).unwrap();
    let claims = json!({
        "aws:channel-arn": channel.arn,
        "aws:access-control-allow-origin": "*",
        "exp": unix_now() + 120,
    });
    let token = encode(&Header::new(Algorithm::ES384), &claims, &key).unwrap();
    let response = play(&emulator, &channel, Some(&token), None);
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(response.body.starts_with("#EXTM3U"));

    // And one signed with a key the emulator does not know is refused.
    let stranger = generate_key_pair();
    let key = EncodingKey::from_ec_pem(stranger.private_key_pem.as_bytes()).unwrap();
    let token = encode(&Header::new(Algorithm::ES384), &claims, &key).unwrap();
    assert_refused(
        &play(&emulator, &channel, Some(&token), None),
        "invalid_signature",
    );
}

#[test]
fn a_libivs_token_verifies_with_jsonwebtoken() {
    use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};

    let pair = generate_key_pair();
    let arn = "arn:aws:ivs:us-west-2:123456789012:channel/AbCdEfGhIjKl";
    let token = sign_playback_token(
        &pair.private_key_pem,
        &PlaybackClaims {
            channel_arn: arn.into(),
            viewer_id: Some("viewer-1".into()),
            viewer_session_version: Some(4),
            ..Default::default()
        },
    )
    .unwrap();
    let key = DecodingKey::from_ec_pem(pair.public_key_pem.as_bytes()).unwrap();
    let decoded = decode::<Value>(&token, &key, &Validation::new(Algorithm::ES384)).unwrap();
    assert_eq!(decoded.header.alg, Algorithm::ES384);
    assert_eq!(decoded.claims["aws:channel-arn"], arn);
    assert_eq!(decoded.claims["aws:viewer-session-version"], 4);
    assert!(decoded.claims["exp"].as_u64().unwrap() > unix_now());

    let other = generate_key_pair();
    let other_key = DecodingKey::from_ec_pem(other.public_key_pem.as_bytes()).unwrap();
    assert!(decode::<Value>(&token, &other_key, &Validation::new(Algorithm::ES384)).is_err());
}
