//! A real broadcast against the embedded emulator: ffmpeg publishes a few seconds of a test
//! pattern over RTMPS; the channel goes LIVE with the ingest configuration ffmpeg really sent,
//! then ends after the stream-end delay, and the EventBridge events tell the story.
//! `make demo-broadcast` (part of `make demo`; needs ffmpeg, which the target installs).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use aws_sdk_ivs::config::{BehaviorVersion, Region};
use libivs_emulator::{Emulator, EmulatorConfig};

const SECONDS: &str = "4";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig {
        stream_end_delay: Duration::from_millis(1000),
        ..EmulatorConfig::default()
    })?;
    let config = aws_sdk_ivs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        // Plain HTTP to the emulator (the SDK crates are built without a default client).
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .region(Region::new(emulator.region().to_string()))
        .credentials_provider(Credentials::new(
            emulator.access_key_id(),
            emulator.secret_access_key(),
            None,
            None,
            "emulator",
        ))
        .endpoint_url(emulator.url())
        .build();
    let ivs = aws_sdk_ivs::Client::from_conf(config);
    let created = ivs.create_channel().name("broadcast-demo").send().await?;
    let channel_arn = created.channel().and_then(|c| c.arn()).unwrap_or_default();
    let key = created
        .stream_key()
        .and_then(|k| k.value())
        .unwrap_or_default();
    println!(
        "[broadcast] ffmpeg -> {}<stream key> for {SECONDS} s",
        emulator.rtmps_url()
    );
    let mut ffmpeg = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-re"])
        .args(["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30"])
        .args(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-b:v",
            "2500k",
            "-g",
            "60",
        ])
        .args([
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-b:a", "128k",
        ])
        .args(["-t", SECONDS, "-f", "flv"])
        .arg(format!("{}{key}", emulator.rtmps_url()))
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("ffmpeg could not start ({e}); `make emulator-tools` installs it"))?;

    // Bounded waits: a broken ffmpeg must not hang the demo.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut shown = false;
    while Instant::now() < deadline && !shown {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let Ok(stream) = ivs.get_stream().channel_arn(channel_arn).send().await else {
            continue;
        };
        let session = ivs
            .get_stream_session()
            .channel_arn(channel_arn)
            .send()
            .await?;
        let ingest = session
            .stream_session()
            .and_then(|s| s.ingest_configuration());
        let (Some(video), Some(audio)) = (
            ingest.and_then(|i| i.video()),
            ingest.and_then(|i| i.audio()),
        ) else {
            continue;
        };
        if video.codec().is_none() || audio.codec().is_none() {
            continue;
        }
        let stream = stream
            .stream()
            .cloned()
            .unwrap_or_else(|| aws_sdk_ivs::types::Stream::builder().build());
        println!(
            "[broadcast] {} is {} ({})",
            stream.stream_id().unwrap_or_default(),
            stream.state().map_or("?", |s| s.as_str()),
            stream.health().map_or("?", |h| h.as_str())
        );
        println!(
            "[broadcast] video {} {} {}x{} {} fps {} bps (encoder {})",
            video.codec().unwrap_or_default(),
            video.avc_profile().unwrap_or_default(),
            video.video_width(),
            video.video_height(),
            video.target_framerate(),
            video.target_bitrate(),
            video.encoder().unwrap_or_default()
        );
        println!(
            "[broadcast] audio {} {} Hz, {} channels, {} bps",
            audio.codec().unwrap_or_default(),
            audio.sample_rate(),
            audio.channels(),
            audio.target_bitrate()
        );
        shown = true;
    }
    let status = tokio::task::spawn_blocking(move || ffmpeg.wait()).await??;
    println!("[broadcast] ffmpeg finished ({status}); the stream ends after the delay");
    while Instant::now() < deadline {
        if ivs
            .get_stream()
            .channel_arn(channel_arn)
            .send()
            .await
            .is_err()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let events = emulator.events(0);
    for event in events["events"].as_array().into_iter().flatten() {
        println!(
            "[broadcast] event {} {:?} at {}",
            event["detail-type"].as_str().unwrap_or_default(),
            event["detail"]["event_name"].as_str().unwrap_or_default(),
            event["time"].as_str().unwrap_or_default()
        );
    }
    if !shown || !status.success() {
        return Err("the broadcast did not go live with its ingest configuration".into());
    }
    ivs.delete_channel().arn(channel_arn).send().await?;
    println!("[broadcast] done");
    Ok(())
}
