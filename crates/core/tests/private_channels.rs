//! Private channels end to end through the core: import a generated key, sign a token, play the
//! channel on the emulator; refused with a wrong key, expired, another channel, and after revocation.

mod support;

use libivs_core::{
    generate_playback_key_pair, sign_playback_token, verify_playback_token, Client, ClientConfig,
    Emulator, EmulatorConfig,
};
use serde_json::json;

#[test]
fn tokens_signed_by_the_core_open_private_channels() {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::new(ClientConfig::for_emulator(&emulator)).unwrap();
    let pair = generate_playback_key_pair();
    client
        .call_blocking(
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": pair.public_key_pem}),
        )
        .unwrap();
    let mut channels = Vec::new();
    for name in ["private", "other"] {
        let created = client
            .call_blocking("CreateChannel", json!({"name": name, "authorized": true}))
            .unwrap();
        let arn = created.output["channel"]["arn"]
            .as_str()
            .unwrap()
            .to_string();
        let url =
            emulator.local_playback_url(created.output["channel"]["playbackUrl"].as_str().unwrap());
        emulator
            .start_stream(created.output["streamKey"]["value"].as_str().unwrap())
            .unwrap();
        channels.push((arn, url));
    }
    let (arn, url) = &channels[0];
    let play = |token: &str| support::http_get(&format!("{url}?token={token}")).0;

    let token = sign_playback_token(&pair.private_key_pem, &json!({"channel_arn": arn})).unwrap();
    assert_eq!(
        verify_playback_token(&pair.public_key_pem, &token).unwrap()["aws:channel-arn"],
        arn.as_str()
    );
    assert_eq!(play(&token), 200);
    assert_eq!(support::http_get(url).0, 403, "no token");

    let stranger = generate_playback_key_pair();
    let wrong_key =
        sign_playback_token(&stranger.private_key_pem, &json!({"channel_arn": arn})).unwrap();
    assert_eq!(play(&wrong_key), 403);
    let expired = sign_playback_token(
        &pair.private_key_pem,
        &json!({"channel_arn": arn, "exp": 1_000_000_000}),
    )
    .unwrap();
    assert_eq!(play(&expired), 403);
    let other_channel = sign_playback_token(
        &pair.private_key_pem,
        &json!({"channel_arn": channels[1].0}),
    )
    .unwrap();
    assert_eq!(play(&other_channel), 403);

    let viewer = |version: i64| {
        sign_playback_token(
            &pair.private_key_pem,
            &json!({"channel_arn": arn, "viewer_id": "viewer-7", "viewer_session_version": version, "expires_in": 300}),
        )
        .unwrap()
    };
    assert_eq!(play(&viewer(1)), 200);
    client
        .call_blocking(
            "StartViewerSessionRevocation",
            json!({"channelArn": arn, "viewerId": "viewer-7", "viewerSessionVersionsLessThanOrEqualTo": 1}),
        )
        .unwrap();
    assert_eq!(play(&viewer(1)), 403, "revoked");
    assert_eq!(play(&viewer(2)), 200, "a newer session still plays");
}
