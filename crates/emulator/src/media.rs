//! What a publisher really sends, read from FLV tags as RTMP carries them: `onMetaData` (size,
//! frame rate, data rates, encoder), the AVC sequence header (profile, level) and the AAC one
//! (object type, sample rate, channels); and the `ingestConfiguration` IVS reports from them.
//!
//! Layouts: FLV video/audio tag headers (Adobe's FLV spec, E.4.2/E.4.3), the
//! AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.2.4.1) and the AudioSpecificConfig
//! (ISO/IEC 14496-3 1.6.2.1): only their first bytes are needed.

use std::time::Instant;

use rml_rtmp::sessions::StreamMetadata;
use serde_json::{json, Value};

const FLV_VIDEO_CODEC_AVC: u8 = 7;
const FLV_AUDIO_FORMAT_AAC: u8 = 10;
const AAC_SAMPLE_RATES: [u32; 13] = [
    96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000,
    7_350,
];

/// What a publisher has really sent, from its `onMetaData` and the AVC/AAC sequence headers.
#[derive(Clone)]
pub struct IngestMedia {
    pub video: VideoInfo,
    pub audio: AudioInfo,
    pub video_bytes: u64,
    pub audio_bytes: u64,
    pub first_media_at: Option<Instant>,
    pub last_media_at: Instant,
}

impl IngestMedia {
    pub fn new(now: Instant) -> Self {
        IngestMedia {
            video: Default::default(),
            audio: Default::default(),
            video_bytes: 0,
            audio_bytes: 0,
            first_media_at: None,
            last_media_at: now,
        }
    }
}

#[derive(Clone, Default, Debug, PartialEq)]
pub struct VideoInfo {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub frame_rate: Option<f32>,
    pub metadata_bitrate_kbps: Option<u32>,
    pub encoder: Option<String>,
    /// `(profile_idc, constraint flags, level_idc)` from the AVC sequence header.
    pub avc: Option<(u8, u8, u8)>,
    pub frames: u64,
}

#[derive(Clone, Default, Debug, PartialEq)]
pub struct AudioInfo {
    pub sample_rate: Option<u32>,
    pub channels: Option<u32>,
    pub metadata_bitrate_kbps: Option<u32>,
    /// The AAC audio object type (2 = AAC-LC) from the AAC sequence header.
    pub aac_object_type: Option<u8>,
}

/// Takes in what `onMetaData` declares.
pub fn apply_metadata(media: &mut IngestMedia, metadata: &StreamMetadata) {
    let video = &mut media.video;
    video.width = metadata.video_width.or(video.width);
    video.height = metadata.video_height.or(video.height);
    video.frame_rate = metadata.video_frame_rate.or(video.frame_rate);
    video.metadata_bitrate_kbps = metadata.video_bitrate_kbps.filter(|kbps| *kbps > 0);
    video.encoder = metadata.encoder.clone().or(video.encoder.take());
    let audio = &mut media.audio;
    audio.sample_rate = audio.sample_rate.or(metadata.audio_sample_rate);
    let declared_channels =
        metadata.audio_channels.or(metadata
            .audio_is_stereo
            .map(|stereo| if stereo { 2 } else { 1 }));
    audio.channels = audio.channels.or(declared_channels);
    audio.metadata_bitrate_kbps = metadata.audio_bitrate_kbps.filter(|kbps| *kbps > 0);
}

/// Counts a video tag and reads the AVC sequence header when this is one.
pub fn video_tag(media: &mut IngestMedia, data: &[u8], now: Instant) {
    note_media(media, now);
    media.video_bytes += data.len() as u64;
    let is_avc = data
        .first()
        .is_some_and(|byte| byte & 0x0f == FLV_VIDEO_CODEC_AVC);
    // AVCPacketType 0 is the sequence header; its record starts after the 3-byte CTS.
    if is_avc && data.get(1) == Some(&0) && data.len() >= 9 {
        media.video.avc = Some((data[6], data[7], data[8]));
    } else {
        media.video.frames += 1;
    }
}

/// Counts an audio tag and reads the AAC sequence header when this is one.
pub fn audio_tag(media: &mut IngestMedia, data: &[u8], now: Instant) {
    note_media(media, now);
    media.audio_bytes += data.len() as u64;
    let is_aac = data
        .first()
        .is_some_and(|byte| byte >> 4 == FLV_AUDIO_FORMAT_AAC);
    if is_aac && data.get(1) == Some(&0) && data.len() >= 4 {
        let config = u16::from_be_bytes([data[2], data[3]]);
        let object_type = (config >> 11) as u8;
        let frequency_index = usize::from((config >> 7) & 0x0f);
        let channels = u32::from((config >> 3) & 0x0f);
        media.audio.aac_object_type = Some(object_type);
        if let Some(rate) = AAC_SAMPLE_RATES.get(frequency_index) {
            media.audio.sample_rate = Some(*rate);
        }
        if channels > 0 {
            media.audio.channels = Some(channels);
        }
    }
}

fn note_media(media: &mut IngestMedia, now: Instant) {
    media.first_media_at.get_or_insert(now);
    media.last_media_at = now;
}

fn avc_profile_name(profile_idc: u8) -> &'static str {
    match profile_idc {
        66 => "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 => "High 10",
        122 => "High 4:2:2",
        244 => "High 4:4:4",
        _ => "Unknown",
    }
}

/// Bits per second measured over the time media has been arriving.
fn measured_bitrate(bytes: u64, media: &IngestMedia) -> Option<u64> {
    let seconds = media
        .last_media_at
        .duration_since(media.first_media_at?)
        .as_secs_f64();
    (seconds >= 0.5).then(|| (bytes as f64 * 8.0 / seconds) as u64)
}

/// `(ingestConfiguration, ingestConfigurations)` as GetStreamSession returns them, from what
/// was sent. A data rate declared in `onMetaData` (kbit/s) is the target; without one the rate
/// measured so far is.
pub fn ingest_configuration(media: &IngestMedia) -> (Value, Value) {
    let video_info = &media.video;
    let mut video = json!({ "track": "Track0" });
    if let Some((profile, constraints, level)) = video_info.avc {
        let profile_name = avc_profile_name(profile);
        let level_name = format!("{}.{}", level / 10, level % 10);
        video["codec"] = json!(format!("avc1.{profile:02X}{constraints:02X}{level:02X}"));
        video["avcProfile"] = json!(profile_name);
        video["profile"] = json!(profile_name);
        video["avcLevel"] = json!(level_name);
        video["level"] = json!(level_name);
    }
    if let Some(width) = video_info.width {
        video["videoWidth"] = json!(width);
    }
    if let Some(height) = video_info.height {
        video["videoHeight"] = json!(height);
    }
    let frame_rate = video_info
        .frame_rate
        .map(|rate| rate.round() as u64)
        .or_else(|| {
            let seconds = media
                .last_media_at
                .duration_since(media.first_media_at?)
                .as_secs_f64();
            (seconds >= 0.5).then(|| (video_info.frames as f64 / seconds).round() as u64)
        });
    if let Some(frame_rate) = frame_rate {
        video["targetFramerate"] = json!(frame_rate);
    }
    let video_bitrate = video_info
        .metadata_bitrate_kbps
        .map(|kbps| u64::from(kbps) * 1000)
        .or_else(|| measured_bitrate(media.video_bytes, media));
    if let Some(bitrate) = video_bitrate {
        video["targetBitrate"] = json!(bitrate);
    }
    if let Some(encoder) = &video_info.encoder {
        video["encoder"] = json!(encoder);
    }

    let audio_info = &media.audio;
    let mut audio = json!({ "track": "Track0" });
    if let Some(object_type) = audio_info.aac_object_type {
        audio["codec"] = json!(format!("mp4a.40.{object_type}"));
    }
    if let Some(rate) = audio_info.sample_rate {
        audio["sampleRate"] = json!(rate);
    }
    if let Some(channels) = audio_info.channels {
        audio["channels"] = json!(channels);
    }
    let audio_bitrate = audio_info
        .metadata_bitrate_kbps
        .map(|kbps| u64::from(kbps) * 1000)
        .or_else(|| measured_bitrate(media.audio_bytes, media));
    if let Some(bitrate) = audio_bitrate {
        audio["targetBitrate"] = json!(bitrate);
    }
    let single = json!({ "video": video, "audio": audio });
    let all = json!({ "videoConfigurations": [video], "audioConfigurations": [audio] });
    (single, all)
}

/// What a control-API stream (no media) reports: 1920x1080 H.264 High 4.2 at 30 fps and 6 Mbps,
/// 48 kHz stereo AAC-LC at 160 kbps.
pub fn simulated_ingest() -> (Value, Value) {
    let video = json!({
        "avcProfile": "High", "avcLevel": "4.2", "profile": "High", "level": "4.2",
        "codec": "avc1.64002A", "encoder": "ivs-emulator",
        "targetBitrate": 6_000_000, "targetFramerate": 30,
        "videoHeight": 1080, "videoWidth": 1920, "track": "Track0",
    });
    let audio = json!({
        "codec": "mp4a.40.2", "targetBitrate": 160_000,
        "sampleRate": 48_000, "channels": 2, "track": "Track0",
    });
    let single = json!({ "video": video, "audio": audio });
    let all = json!({ "videoConfigurations": [video], "audioConfigurations": [audio] });
    (single, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_headers_give_codecs_rate_and_channels() {
        let now = Instant::now();
        let mut media = IngestMedia::new(now);
        // Keyframe + AVC, sequence header, CTS 0, record: version 1, High (100), 0, level 3.0.
        video_tag(&mut media, &[0x17, 0, 0, 0, 0, 1, 100, 0, 30, 0xff], now);
        // AAC, sequence header, AudioSpecificConfig: LC (2), 44.1 kHz (index 4), mono.
        audio_tag(&mut media, &[0xaf, 0, 0x12, 0x08], now);
        let (single, _) = ingest_configuration(&media);
        assert_eq!(single["video"]["codec"], "avc1.64001E");
        assert_eq!(single["video"]["avcProfile"], "High");
        assert_eq!(single["video"]["avcLevel"], "3.0");
        assert_eq!(single["audio"]["codec"], "mp4a.40.2");
        assert_eq!(single["audio"]["sampleRate"], 44_100);
        assert_eq!(single["audio"]["channels"], 1);
    }

    #[test]
    fn truncated_tags_are_counted_not_read() {
        let now = Instant::now();
        let mut media = IngestMedia::new(now);
        video_tag(&mut media, &[0x17, 0], now);
        audio_tag(&mut media, &[0xaf], now);
        assert_eq!(media.video.avc, None);
        assert_eq!(media.audio.aac_object_type, None);
        assert_eq!(media.video_bytes, 2);
    }
}
