"""Every one of the 46 operations through libivs → core → aws-sdk-ivs → HTTP → the emulator."""

import datetime

import pytest

import libivs
from libivs._operations import OPERATIONS

from conftest import PUBLIC_KEYS


class Recorder:
    """Wraps a client and records which operations the test called."""

    def __init__(self, client):
        self.client = client
        self.called = set()

    def __getattr__(self, name):
        self.called.add(name)
        return getattr(self.client, name)


def test_all_46_operations(emu, ivs):
    assert len(OPERATIONS) == 46
    h = Recorder(ivs)

    recording = h.create_recording_configuration(
        name="rec",
        destinationConfiguration={"s3": {"bucketName": "rec-bucket"}},
        thumbnailConfiguration={"recordingMode": "INTERVAL", "targetIntervalSeconds": 30},
        recordingReconnectWindowSeconds=60,
    )["recordingConfiguration"]
    rec_arn = recording["arn"]
    assert rec_arn.startswith("arn:aws:ivs:us-west-2:123456789012:recording-configuration/")
    assert recording["state"] == "ACTIVE"
    assert recording["recordingReconnectWindowSeconds"] == 60
    assert h.get_recording_configuration(arn=rec_arn)["recordingConfiguration"]["name"] == "rec"
    listed = h.list_recording_configurations()["recordingConfigurations"]
    assert [r["arn"] for r in listed] == [rec_arn]

    policy = h.create_playback_restriction_policy(
        name="policy", allowedCountries=["US", "CA"], allowedOrigins=["https://example.com"]
    )["playbackRestrictionPolicy"]
    updated = h.update_playback_restriction_policy(
        arn=policy["arn"], allowedCountries=("GB",), enableStrictOriginEnforcement=True
    )["playbackRestrictionPolicy"]
    assert updated["allowedCountries"] == ["GB"]
    assert updated["enableStrictOriginEnforcement"] is True
    got = h.get_playback_restriction_policy(arn=policy["arn"])
    assert got["playbackRestrictionPolicy"]["name"] == "policy"
    assert len(h.list_playback_restriction_policies()["playbackRestrictionPolicies"]) == 1

    ad = h.create_ad_configuration(
        name="ads",
        mediaTailorPlaybackConfigurations=[
            {"playbackConfigurationArn": "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/demo"}
        ],
    )["adConfiguration"]
    assert h.update_ad_configuration(arn=ad["arn"], name="ads2")["adConfiguration"]["name"] == "ads2"
    got = h.get_ad_configuration(arn=ad["arn"])["adConfiguration"]
    assert got["mediaTailorPlaybackConfigurations"][0]["playbackConfigurationArn"].endswith("/demo")
    assert h.list_ad_configurations()["adConfigurations"][0]["arn"] == ad["arn"]

    slate = h.create_failover_slate_configuration(name="slate", activationThresholdSeconds=3)[
        "failoverSlateConfiguration"
    ]
    updated = h.update_failover_slate_configuration(arn=slate["arn"], activationThresholdSeconds=5)
    assert updated["failoverSlateConfiguration"]["activationThresholdSeconds"] == 5
    assert h.get_failover_slate_configuration(arn=slate["arn"])["failoverSlateConfiguration"]["name"] == "slate"
    assert len(h.list_failover_slate_configurations()["failoverSlateConfigurations"]) == 1

    created = h.create_channel(
        name="main",
        latencyMode="NORMAL",
        type="STANDARD",
        recordingConfigurationArn=rec_arn,
        playbackRestrictionPolicyArn=policy["arn"],
        adConfigurationArn=ad["arn"],
        tags={"team": "video"},
    )
    meta = created["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200
    assert meta["RequestId"] and meta["HTTPHeaders"]["x-amzn-requestid"] == meta["RequestId"]
    assert meta["RetryAttempts"] == 0
    channel = created["channel"]
    arn = channel["arn"]
    assert arn.startswith("arn:aws:ivs:us-west-2:123456789012:channel/")
    assert channel["tags"] == {"team": "video"}
    assert channel["playbackUrl"].endswith(".m3u8")
    key = created["streamKey"]
    assert key["value"].startswith("sk_us-west-2_") and key["channelArn"] == arn

    assert h.get_channel(arn=arn)["channel"]["name"] == "main"
    updated = h.update_channel(arn=arn, name="renamed", latencyMode="LOW")["channel"]
    assert (updated["name"], updated["latencyMode"]) == ("renamed", "LOW")
    assert h.list_channels(filterByName="renamed")["channels"][0]["arn"] == arn
    missing = arn.replace("/", "/x")
    batch = h.batch_get_channel(arns=[arn, missing])
    assert len(batch["channels"]) == 1
    assert batch["errors"][0]["arn"] == missing
    assert batch["errors"][0]["code"] == "ResourceNotFoundException"

    assert h.get_stream_key(arn=key["arn"])["streamKey"]["value"] == key["value"]
    listed = h.list_stream_keys(channelArn=arn)["streamKeys"]
    assert listed[0]["arn"] == key["arn"] and "value" not in listed[0]
    assert h.batch_get_stream_key(arns=[key["arn"]])["streamKeys"][0]["value"] == key["value"]
    with pytest.raises(ivs.exceptions.ServiceQuotaExceededException) as quota:
        h.create_stream_key(channelArn=arn)
    assert quota.value.http_status == 402
    deleted = h.delete_stream_key(arn=key["arn"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert set(deleted) == {"ResponseMetadata"}
    replaced = h.create_stream_key(channelArn=arn)["streamKey"]
    assert replaced["arn"] != key["arn"]

    h.tag_resource(resourceArn=arn, tags={"env": "test", "tier": "gold"})
    h.untag_resource(resourceArn=arn, tagKeys=["tier"])
    assert h.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "test", "team": "video"}

    pair = h.import_playback_key_pair(publicKeyMaterial=PUBLIC_KEYS[0], name="kp")["keyPair"]
    assert pair["fingerprint"]
    with pytest.raises(libivs.exceptions.ConflictException):
        h.import_playback_key_pair(publicKeyMaterial=PUBLIC_KEYS[0])
    assert h.get_playback_key_pair(arn=pair["arn"])["keyPair"]["name"] == "kp"
    assert h.list_playback_key_pairs()["keyPairs"][0]["arn"] == pair["arn"]
    h.delete_playback_key_pair(arn=pair["arn"])

    with pytest.raises(libivs.exceptions.ChannelNotBroadcasting) as offline:
        h.get_stream(channelArn=arn)
    assert offline.value.http_status == 404 and offline.value.message
    started = emu.start_stream(replaced["value"])
    assert started["channelArn"] == arn
    stream = h.get_stream(channelArn=arn)["stream"]
    assert stream["state"] == "LIVE" and stream["streamId"] == started["streamId"]
    assert isinstance(stream["startTime"], datetime.datetime)
    assert stream["startTime"].tzinfo is not None
    age = datetime.datetime.now(datetime.timezone.utc) - stream["startTime"]
    assert datetime.timedelta(seconds=-5) < age < datetime.timedelta(minutes=5)
    streams = h.list_streams(filterBy={"health": "HEALTHY"})["streams"]
    assert streams[0]["channelArn"] == arn
    assert isinstance(streams[0]["startTime"], datetime.datetime)
    session = h.get_stream_session(channelArn=arn)["streamSession"]
    assert session["streamId"] == started["streamId"] and session["channel"]["arn"] == arn
    assert isinstance(session["startTime"], datetime.datetime)
    sessions = h.list_stream_sessions(channelArn=arn)["streamSessions"]
    assert sessions[0]["streamId"] == started["streamId"]
    put = h.put_metadata(channelArn=arn, metadata='{"score": 1}')
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 204
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=30)
    ad_break = h.insert_ad_break(channelArn=arn, durationSeconds=30, targetStartAt=when)
    assert len(ad_break["adBreakId"]) == 12
    h.start_viewer_session_revocation(channelArn=arn, viewerId="viewer-1")
    revoked = h.batch_start_viewer_session_revocation(
        viewerSessions=[{"channelArn": arn, "viewerId": "viewer-2", "viewerSessionVersionsLessThanOrEqualTo": 3}]
    )
    assert revoked["errors"] == []
    h.stop_stream(channelArn=arn)
    ended = h.get_stream_session(channelArn=arn)["streamSession"]
    assert isinstance(ended["endTime"], datetime.datetime)
    assert ended["endTime"] >= ended["startTime"]

    with pytest.raises(libivs.exceptions.ConflictException):
        h.delete_recording_configuration(arn=rec_arn)
    assert h.delete_channel(arn=arn)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(libivs.exceptions.ResourceNotFoundException):
        h.get_stream_key(arn=replaced["arn"])
    h.delete_recording_configuration(arn=rec_arn)
    h.delete_playback_restriction_policy(arn=policy["arn"])
    h.delete_ad_configuration(arn=ad["arn"])
    h.delete_failover_slate_configuration(arn=slate["arn"])
    assert h.list_channels()["channels"] == []

    missed = set(OPERATIONS) - h.called
    assert not missed, f"operations not exercised: {sorted(missed)}"


def test_operations_table_matches_the_core():
    native = {snake: wire for snake, wire, _ in libivs._libivs.operations()}
    assert native == OPERATIONS
    for snake in OPERATIONS:
        assert callable(getattr(libivs.IVSClient, snake))
        assert callable(getattr(libivs.AsyncIVSClient, snake))


def test_methods_take_keyword_arguments_only(ivs):
    with pytest.raises(TypeError):
        ivs.get_channel("arn:aws:ivs:us-west-2:123456789012:channel/abc")
