"""A call's response is built straight from aws-sdk-ivs's output (no JSON in between): the types and
values of what it holds — timestamps nested in structures and lists, maps, empty outputs, header
members — are boto3's for the same emulator call, in the sync and the asyncio client alike."""

import asyncio
import datetime

from test_header_members import HEADER_MEMBERS


def strip(response):
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def same_types(ours, theirs, path="response"):
    """`ours` and `theirs` hold the same types throughout (timestamps: aware UTC datetimes)."""
    if isinstance(theirs, datetime.datetime):
        assert type(ours) is datetime.datetime, path
        assert ours.tzinfo is datetime.timezone.utc, path
        assert ours.utcoffset() == theirs.utcoffset() == datetime.timedelta(0), path
        return
    assert type(ours) is type(theirs), (path, type(ours), type(theirs))
    if isinstance(theirs, dict):
        assert set(ours) == set(theirs), path
        for key in theirs:
            same_types(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs), path
        for i, (mine, other) in enumerate(zip(ours, theirs)):
            same_types(mine, other, f"{path}[{i}]")


def ended_session(emu, ivs):
    """A channel with one ended and one live stream session (events, start and end times)."""
    created = ivs.create_channel(name="objects", tags={"team": "video", "a": "1"})
    arn, key = created["channel"]["arn"], created["streamKey"]["value"]
    emu.start_stream(key)
    emu.stop_stream(arn)
    emu.start_stream(key)
    return arn


def test_timestamps_in_structures_and_lists_are_boto3s(emu, ivs, boto3_ivs):
    arn = ended_session(emu, ivs)
    rec = ivs.create_recording_configuration(
        name="rec",
        destinationConfiguration={"s3": {"bucketName": "bucket"}},
        thumbnailConfiguration={"recordingMode": "INTERVAL", "targetIntervalSeconds": 30,
                                "resolution": "HD", "storage": ["SEQUENTIAL", "LATEST"]},
        tags={"z": "last", "b": "mid"},
    )["recordingConfiguration"]["arn"]
    sessions = ivs.list_stream_sessions(channelArn=arn)["streamSessions"]
    assert len(sessions) == 2
    ended = next(s for s in sessions if "endTime" in s)
    calls = [
        ("get_stream_session", {"channelArn": arn}),
        ("get_stream_session", {"channelArn": arn, "streamId": ended["streamId"]}),
        ("list_stream_sessions", {"channelArn": arn}),
        ("get_stream", {"channelArn": arn}),
        ("list_streams", {}),
        ("get_recording_configuration", {"arn": rec}),
        ("list_recording_configurations", {}),
        ("get_channel", {"arn": arn}),
        ("list_tags_for_resource", {"resourceArn": arn}),
    ]
    for name, params in calls:
        ours = getattr(ivs, name)(**params)
        theirs = getattr(boto3_ivs, name)(**params)
        assert strip(ours) == strip(theirs), name
        same_types(strip(ours), strip(theirs), name)
    session = ivs.get_stream_session(channelArn=arn, streamId=ended["streamId"])["streamSession"]
    start, end = session["startTime"], session["endTime"]
    assert start <= end and isinstance(start, datetime.datetime)
    events = session["truncatedEvents"]
    assert events and all(type(e["eventTime"]) is datetime.datetime for e in events)
    assert type(session["channel"]["authorized"]) is bool
    assert ivs.get_channel(arn=arn)["channel"]["tags"] == {"a": "1", "team": "video"}


def test_maps_empty_outputs_and_header_members_are_boto3s(ivs, boto3_ivs):
    created = ivs.create_channel(name="maps", tags={"k2": "v2", "k1": "v1"})
    arn = created["channel"]["arn"]
    tags = ivs.list_tags_for_resource(resourceArn=arn)["tags"]
    assert type(tags) is dict and tags == {"k1": "v1", "k2": "v2"}
    # Map keys come sorted.
    assert list(tags) == ["k1", "k2"]
    # An empty output: only ResponseMetadata, as boto3's.
    ours = ivs.tag_resource(resourceArn=arn, tags={"k3": "v3"})
    theirs = boto3_ivs.untag_resource(resourceArn=arn, tagKeys=["k3"])
    assert strip(ours) == strip(theirs) == {}
    assert set(ours) == {"ResponseMetadata"}
    assert ours["ResponseMetadata"]["HTTPStatusCode"] == 200
    # Header members and nested lists of structures.
    batch = {"arns": [arn, arn + "x"]}
    ours, theirs = ivs.batch_get_channel(**batch), boto3_ivs.batch_get_channel(**batch)
    assert strip(ours) == strip(theirs)
    same_types(strip(ours), strip(theirs))
    assert {m: ours[m] for m in HEADER_MEMBERS} == HEADER_MEMBERS


def test_the_async_client_builds_the_same_objects(emu, ivs):
    arn = ended_session(emu, ivs)
    # Tagged first, so that both see the same channel.
    ivs.tag_resource(resourceArn=arn, tags={"x": "y"})
    sync = [
        ivs.get_stream_session(channelArn=arn),
        ivs.list_stream_sessions(channelArn=arn),
        ivs.batch_get_channel(arns=[arn]),
        ivs.tag_resource(resourceArn=arn, tags={"x": "y"}),
    ]

    async def main():
        async with emu.async_client() as aivs:
            return [
                await aivs.get_stream_session(channelArn=arn),
                await aivs.list_stream_sessions(channelArn=arn),
                await aivs.batch_get_channel(arns=[arn]),
                await aivs.tag_resource(resourceArn=arn, tags={"x": "y"}),
            ]

    for ours, theirs in zip(asyncio.run(main()), sync):
        assert strip(ours) == strip(theirs)
        same_types(strip(ours), strip(theirs))
        assert set(ours["ResponseMetadata"]) == set(theirs["ResponseMetadata"])
