//! Real broadcasts: ffmpeg publishes a test pattern over RTMPS and RTMP to the embedded
//! emulator, and the channel's stream, session and events follow what it sent.
//!
//! ffmpeg comes from the system packages (`make test` installs it where missing). Each run sends
//! a few seconds at most.

mod support;

use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use libivs_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;
use support::*;

/// How long ffmpeg takes to publish `seconds` of media, with room for a slow machine.
fn deadline_for(seconds: u32) -> Duration {
    Duration::from_secs(u64::from(seconds) + 20)
}

/// ffmpeg publishing `seconds` of 640x360 30 fps H.264 and 44.1 kHz mono AAC to `url`.
fn publish(url: &str, seconds: u32) -> Child {
    Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-re"])
        .args(["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30"])
        .args(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-tune",
            "zerolatency",
        ])
        .args(["-b:v", "600k", "-g", "30", "-pix_fmt", "yuv420p"])
        .args(["-c:a", "aac", "-b:a", "64k"])
        .args(["-t", &seconds.to_string(), "-f", "flv", url])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ffmpeg runs (make test installs it where missing: apt-get install ffmpeg)")
}

/// Waits for ffmpeg to exit, killing it after `deadline`.
fn finish(mut child: Child, deadline: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            return child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn finish_async(child: Child, deadline: Duration) -> ExitStatus {
    tokio::task::spawn_blocking(move || finish(child, deadline))
        .await
        .unwrap()
}

fn event_names(emulator: &Emulator, detail_type: &str) -> Vec<String> {
    emulator.events(0)["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["detail-type"] == detail_type)
        .map(|event| {
            let detail = &event["detail"];
            detail["event_name"]
                .as_str()
                .or(detail["recording_status"].as_str())
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn an_rtmps_broadcast_goes_live_with_what_was_sent_then_ends_after_the_delay() {
    let emulator = start_emulator_with(EmulatorConfig {
        stream_end_delay: Duration::from_millis(1500),
        ..EmulatorConfig::default()
    });
    let ivs = client(&emulator);
    let (channel_arn, key) = new_channel(&ivs, "rtmps-demo", false).await;

    let ffmpeg = publish(&format!("{}{key}", emulator.rtmps_url()), 3);
    let live = eventually(Duration::from_secs(10), || async {
        let stream = ivs
            .get_stream()
            .channel_arn(&channel_arn)
            .send()
            .await
            .ok()?;
        Some(stream.stream().unwrap().clone())
    })
    .await
    .expect("the channel goes live while ffmpeg publishes");
    assert_eq!(live.state().unwrap().as_str(), "LIVE");
    assert_eq!(live.health().unwrap().as_str(), "HEALTHY");

    // The session reports what ffmpeg really sends once its headers have arrived.
    let session = eventually(Duration::from_secs(10), || async {
        let session = ivs
            .get_stream_session()
            .channel_arn(&channel_arn)
            .send()
            .await
            .ok()?;
        let session = session.stream_session().unwrap().clone();
        let ingest = session.ingest_configuration()?;
        (ingest.video()?.codec().is_some() && ingest.audio()?.codec().is_some()).then_some(session)
    })
    .await
    .expect("the ingest configuration arrives");
    let ingest = session.ingest_configuration().unwrap();
    let video = ingest.video().unwrap();
    assert_eq!((video.video_width(), video.video_height()), (640, 360));
    assert_eq!(video.target_framerate(), 30);
    assert!(video.codec().unwrap().starts_with("avc1."), "{video:?}");
    assert!(video.target_bitrate() > 100_000, "{video:?}");
    assert!(video.encoder().unwrap().starts_with("Lavf"), "{video:?}");
    let audio = ingest.audio().unwrap();
    assert_eq!(audio.codec(), Some("mp4a.40.2"));
    assert_eq!((audio.sample_rate(), audio.channels()), (44_100, 1));
    assert_eq!(session.stream_id(), live.stream_id());

    let status = finish_async(ffmpeg, deadline_for(3)).await;
    assert!(status.success(), "ffmpeg published: {status}");
    // The publisher has left; the stream ends only after the delay, and until then the channel
    // cannot be deleted.
    assert_eq!(
        failure_code(ivs.delete_channel().arn(&channel_arn).send()).await,
        "ConflictException"
    );
    let ended = eventually(Duration::from_secs(10), || async {
        (!is_live(&ivs, &channel_arn).await).then_some(())
    })
    .await;
    assert!(ended.is_some(), "the stream ends after the delay");

    let session = ivs
        .get_stream_session()
        .channel_arn(&channel_arn)
        .send()
        .await
        .unwrap();
    let session = session.stream_session().unwrap();
    assert!(session.end_time().is_some());
    let names: Vec<_> = session
        .truncated_events()
        .iter()
        .map(|event| event.name().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Session Ended",
            "Stream End",
            "Stream Start",
            "Session Created"
        ]
    );
    assert_eq!(
        event_names(&emulator, "IVS Stream State Change"),
        [
            "Session Created",
            "Stream Start",
            "Stream End",
            "Session Ended"
        ]
    );
    let events = emulator.events(0);
    let first = &events["events"][0];
    assert_eq!(first["source"], "aws.ivs");
    assert_eq!(first["account"], emulator.account_id());
    assert_eq!(first["region"], "us-west-2");
    assert_eq!(first["resources"][0], channel_arn.as_str());
    assert_eq!(first["detail"]["channel_name"], "rtmps-demo");
    assert_eq!(first["detail"]["stream_id"], live.stream_id().unwrap());
    // The cursor answers only what came after it.
    let cursor = events["cursor"].as_u64().unwrap();
    assert_eq!(cursor, 4);
    assert_eq!(emulator.events(cursor)["events"], Value::Array(vec![]));
    ivs.delete_channel().arn(&channel_arn).send().await.unwrap();
}

#[tokio::test]
async fn publishers_are_refused_for_unknown_keys_plain_rtmp_and_busy_channels() {
    let emulator = start_emulator_with(EmulatorConfig {
        stream_end_delay: Duration::ZERO,
        ..EmulatorConfig::default()
    });
    let ivs = client(&emulator);
    let (secure_arn, secure_key) = new_channel(&ivs, "secure-only", false).await;
    let (open_arn, open_key) = new_channel(&ivs, "insecure-ok", true).await;

    // Plain RTMP to a channel without insecureIngest, and an unknown key over RTMPS.
    let plain = publish(&format!("{}{secure_key}", emulator.rtmp_url()), 2);
    let unknown = publish(
        &format!(
            "{}sk_us-west-2_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
            emulator.rtmps_url()
        ),
        2,
    );
    assert!(!finish_async(plain, deadline_for(2)).await.success());
    assert!(!finish_async(unknown, deadline_for(2)).await.success());
    assert!(!is_live(&ivs, &secure_arn).await);

    // Plain RTMP where insecureIngest allows it; a second publisher on the key is refused.
    let first = publish(&format!("{}{open_key}", emulator.rtmp_url()), 8);
    let live = eventually(Duration::from_secs(10), || async {
        is_live(&ivs, &open_arn).await.then_some(())
    })
    .await;
    assert!(live.is_some(), "RTMP publishing goes live");
    let second = publish(&format!("{}{open_key}", emulator.rtmps_url()), 2);
    assert!(!finish_async(second, deadline_for(2)).await.success());
    assert!(
        is_live(&ivs, &open_arn).await,
        "the first publisher stays live"
    );

    // A publisher that stops sending while connected starves the stream.
    let pid = first.id().to_string();
    let paused = Command::new("kill").args(["-STOP", &pid]).status().unwrap();
    assert!(paused.success());
    let starving = eventually(Duration::from_secs(8), || async {
        let stream = ivs.get_stream().channel_arn(&open_arn).send().await.ok()?;
        (stream.stream()?.health()?.as_str() == "STARVING").then_some(())
    })
    .await;
    Command::new("kill").args(["-CONT", &pid]).status().unwrap();
    assert!(
        starving.is_some(),
        "health turns STARVING while no media arrives"
    );

    // StopStream disconnects the publisher.
    ivs.stop_stream()
        .channel_arn(&open_arn)
        .send()
        .await
        .unwrap();
    let status = finish_async(first, deadline_for(8)).await;
    assert!(!status.success(), "ffmpeg was disconnected: {status}");
    assert!(!is_live(&ivs, &open_arn).await);
}
