"""A real broadcast through boto3 and libivs: ffmpeg publishes over RTMPS to the embedded
emulator; the stream, its session, its lifecycle and the EventBridge events follow.
ffmpeg comes from the system packages (``make test`` installs it where missing)."""

import shutil
import subprocess
import time

import pytest

import libivs


def publish(url, seconds):
    """ffmpeg publishing ``seconds`` of 640x360 30 fps H.264 and 44.1 kHz mono AAC."""
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is needed (make test installs it: apt-get install ffmpeg)"
    return subprocess.Popen(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
         "-f", "lavfi", "-i", "sine=sample_rate=44100",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "600k", "-g", "30",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", str(seconds), "-f", "flv", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def eventually(check, limit=10.0):
    """Polls ``check`` every 0.1 s until it answers something truthy (at most ``limit`` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    return None


@pytest.fixture
def broadcast_emulator():
    with libivs.Emulator(stream_end_delay=1.0, recording_configuration_delay=0.2) as emulator:
        yield emulator


@pytest.fixture
def boto3_client(broadcast_emulator, boto3_data_path, monkeypatch):
    boto3 = pytest.importorskip("boto3")
    import botocore.session

    monkeypatch.setenv("AWS_DATA_PATH", boto3_data_path)
    session = boto3.session.Session(botocore_session=botocore.session.get_session())
    return session.client("ivs", **broadcast_emulator.client_kwargs())


def test_rtmps_broadcast_through_boto3(broadcast_emulator, boto3_client):
    emulator, ivs = broadcast_emulator, boto3_client
    assert emulator.rtmp_url.startswith("rtmp://127.0.0.1:")
    assert emulator.rtmps_url.startswith("rtmps://127.0.0.1:") and emulator.rtmps_url.endswith("/app/")
    created = ivs.create_channel(name="py-broadcast")
    arn = created["channel"]["arn"]
    ffmpeg = publish(emulator.rtmps_url + created["streamKey"]["value"], 3)
    try:
        def live():
            try:
                return ivs.get_stream(channelArn=arn)["stream"]
            except ivs.exceptions.ChannelNotBroadcasting:
                return None

        stream = eventually(live)
        assert stream and stream["state"] == "LIVE" and stream["health"] == "HEALTHY"

        def ingest():
            session = ivs.get_stream_session(channelArn=arn)["streamSession"]
            configuration = session.get("ingestConfiguration", {})
            if "codec" in configuration.get("video", {}) and "codec" in configuration.get("audio", {}):
                return configuration
            return None

        configuration = eventually(ingest)
        assert configuration, "the ingest configuration arrives"
        video, audio = configuration["video"], configuration["audio"]
        assert (video["videoWidth"], video["videoHeight"], video["targetFramerate"]) == (640, 360, 30)
        assert video["codec"].startswith("avc1.")
        assert (audio["codec"], audio["sampleRate"], audio["channels"]) == ("mp4a.40.2", 44100, 1)
    finally:
        assert ffmpeg.wait(timeout=30) == 0, ffmpeg.stderr.read()

    # The publisher left: ending, so the channel cannot be deleted until the delay has passed.
    with pytest.raises(ivs.exceptions.ConflictException):
        ivs.delete_channel(arn=arn)
    assert eventually(lambda: not ivs.list_streams()["streams"])
    session = ivs.get_stream_session(channelArn=arn)["streamSession"]
    assert [event["name"] for event in session["truncatedEvents"]] == [
        "Session Ended", "Stream End", "Stream Start", "Session Created"]
    feed = emulator.events()
    names = [event["detail"]["event_name"] for event in feed["events"]]
    assert names == ["Session Created", "Stream Start", "Stream End", "Session Ended"]
    assert all(event["source"] == "aws.ivs" and event["resources"] == [arn] for event in feed["events"])
    assert emulator.events(since=feed["cursor"])["events"] == []
    ivs.delete_channel(arn=arn)


def test_refused_publishers_and_lifecycles_through_libivs(broadcast_emulator):
    emulator = broadcast_emulator
    with emulator.client() as ivs:
        created = ivs.create_channel(name="secure-only")
        # Plain RTMP needs insecureIngest; an unknown key is refused over RTMPS too.
        plain = publish(emulator.rtmp_url + created["streamKey"]["value"], 2)
        unknown = publish(emulator.rtmps_url + "sk_us-west-2_AAAAAAAAAAAA_" + "B" * 30, 2)
        assert plain.wait(timeout=30) != 0
        assert unknown.wait(timeout=30) != 0
        assert ivs.list_streams()["streams"] == []

        recording = ivs.create_recording_configuration(
            destinationConfiguration={"s3": {"bucketName": "vods"}},
            renditionConfiguration={"renditionSelection": "CUSTOM", "renditions": ["HD"]},
        )["recordingConfiguration"]
        assert recording["state"] == "CREATING"
        assert recording["thumbnailConfiguration"]["targetIntervalSeconds"] == 60
        assert eventually(lambda: ivs.get_recording_configuration(
            arn=recording["arn"])["recordingConfiguration"]["state"] == "ACTIVE")
        with pytest.raises(ivs.exceptions.ValidationException):
            ivs.create_recording_configuration(
                destinationConfiguration={"s3": {"bucketName": "vods"}},
                renditionConfiguration={"renditionSelection": "CUSTOM"},
            )
        with pytest.raises(ivs.exceptions.ChannelNotBroadcasting):
            ivs.stop_stream(channelArn=created["channel"]["arn"])
