"""boto3's paginators: pages, items, MaxItems/PageSize/StartingToken, build_full_result."""

import pytest

import libivs
from libivs._operations import PAGINATORS

from conftest import PUBLIC_KEYS


def make_channels(ivs, count):
    return [ivs.create_channel(name=f"ch-{i:02d}")["channel"]["arn"] for i in range(count)]


def test_can_paginate_and_unknown_paginators(ivs):
    assert sorted(PAGINATORS) == sorted(
        ["list_channels", "list_stream_keys", "list_streams", "list_playback_key_pairs",
         "list_recording_configurations", "list_ad_configurations",
         "list_failover_slate_configurations", "list_playback_restriction_policies",
         "list_stream_sessions"])
    for name in PAGINATORS:
        assert ivs.can_paginate(name)
    assert not ivs.can_paginate("get_channel")
    with pytest.raises(libivs.OperationNotPageableError):
        ivs.get_paginator("get_channel")


def test_pages_and_items(ivs):
    arns = make_channels(ivs, 7)
    pages = list(ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["channels"]) for p in pages] == [2, 2, 2, 1]
    assert all(p["ResponseMetadata"]["HTTPStatusCode"] == 200 for p in pages)
    assert sorted(c["arn"] for p in pages for c in p["channels"]) == sorted(arns)
    items = list(ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 3}).items())
    assert sorted(c["arn"] for c in items) == sorted(arns)
    assert all("ResponseMetadata" not in c for c in items)


def test_iterating_twice_starts_over(ivs):
    make_channels(ivs, 3)
    iterator = ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2})
    assert len(list(iterator)) == 2
    assert len(list(iterator)) == 2


def test_max_items_resume_token_and_starting_token(ivs):
    arns = make_channels(ivs, 7)
    paginator = ivs.get_paginator("list_channels")
    first = paginator.paginate(PaginationConfig={"MaxItems": 3, "PageSize": 2})
    seen = [c["arn"] for page in first for c in page["channels"]]
    assert len(seen) == 3
    token = first.resume_token
    assert token
    rest = paginator.paginate(PaginationConfig={"StartingToken": token, "PageSize": 2})
    seen += [c["arn"] for page in rest for c in page["channels"]]
    assert sorted(seen) == sorted(arns) and len(set(seen)) == 7


def test_build_full_result(ivs):
    arns = make_channels(ivs, 5)
    full = ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2}).build_full_result()
    assert sorted(c["arn"] for c in full["channels"]) == sorted(arns)
    assert "NextToken" not in full
    cut = ivs.get_paginator("list_channels").paginate(PaginationConfig={"MaxItems": 4, "PageSize": 3}).build_full_result()
    assert len(cut["channels"]) == 4 and cut["NextToken"]
    rest = ivs.get_paginator("list_channels").paginate(
        PaginationConfig={"StartingToken": cut["NextToken"]}).build_full_result()
    assert sorted(c["arn"] for c in cut["channels"] + rest["channels"]) == sorted(arns)


def test_filters_pass_through(ivs):
    make_channels(ivs, 3)
    items = list(ivs.get_paginator("list_channels").paginate(filterByName="ch-01").items())
    assert [c["name"] for c in items] == ["ch-01"]


def test_errors_surface_from_iteration(emu, ivs):
    make_channels(ivs, 3)
    client = emu.client(config=libivs.Config(retries={"max_attempts": 0}))
    iterator = iter(client.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2}))
    assert len(next(iterator)["channels"]) == 2
    emu.inject_fault("ListChannels", 1, status=500)
    with pytest.raises(libivs.exceptions.InternalServerException):
        next(iterator)
    with pytest.raises(libivs.ParamValidationError):
        list(client.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 0}))
    with pytest.raises(libivs.ParamValidationError):
        list(client.get_paginator("list_stream_keys").paginate())  # channelArn is required


def test_all_nine_paginators(emu, ivs):
    rec = ivs.create_recording_configuration(
        name="rec", destinationConfiguration={"s3": {"bucketName": "bucket"}})["recordingConfiguration"]["arn"]
    ivs.create_playback_restriction_policy(name="p")
    ivs.create_ad_configuration(name="ads", mediaTailorPlaybackConfigurations=[
        {"playbackConfigurationArn": "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/d"}])
    ivs.create_failover_slate_configuration(name="slate")
    for key in PUBLIC_KEYS[:2]:
        ivs.import_playback_key_pair(publicKeyMaterial=key)
    created = [ivs.create_channel(name=f"c{i}", recordingConfigurationArn=rec) for i in range(3)]
    for c in created:
        emu.start_stream(c["streamKey"]["value"])
    channel_arn = created[0]["channel"]["arn"]
    expected = {
        "list_channels": ({}, 3),
        "list_stream_keys": ({"channelArn": channel_arn}, 1),
        "list_streams": ({}, 3),
        "list_playback_key_pairs": ({}, 2),
        "list_recording_configurations": ({}, 1),
        "list_ad_configurations": ({}, 1),
        "list_failover_slate_configurations": ({}, 1),
        "list_playback_restriction_policies": ({}, 1),
        "list_stream_sessions": ({"channelArn": channel_arn}, 1),
    }
    assert set(expected) == set(PAGINATORS)
    for name, (params, count) in expected.items():
        paginator = ivs.get_paginator(name)
        pages = list(paginator.paginate(**params, PaginationConfig={"PageSize": 1}))
        assert len(pages) == count, name
        items = list(paginator.paginate(**params).items())
        assert len(items) == count, name
        assert items == [item for page in pages for item in next(v for k, v in page.items() if isinstance(v, list))]


def test_pages_are_built_as_calls_are_with_datetimes(emu, ivs):
    import datetime

    created = [ivs.create_channel(name=f"live-{i}") for i in range(3)]
    for c in created:
        emu.start_stream(c["streamKey"]["value"])
    called = ivs.list_streams()["streams"]
    paged = [s for page in ivs.get_paginator("list_streams").paginate() for s in page["streams"]]
    assert paged == called
    assert all(isinstance(s["startTime"], datetime.datetime) and s["startTime"].tzinfo
               for s in paged)
    # MaxItems cuts the items too, and the run can resume where items() stopped.
    run = ivs.get_paginator("list_streams").paginate(PaginationConfig={"MaxItems": 2, "PageSize": 1})
    first = list(run.items())
    assert len(first) == 2 and isinstance(first[0]["startTime"], datetime.datetime)
    rest = list(ivs.get_paginator("list_streams").paginate(
        PaginationConfig={"StartingToken": run.resume_token}).items())
    assert sorted(s["channelArn"] for s in first + rest) == sorted(s["channelArn"] for s in called)
