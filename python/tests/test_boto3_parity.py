"""The same calls through boto3 and libivs against the same emulator return the same data."""

import pickle

import pytest

import libivs

from conftest import PUBLIC_KEYS


def decode(token):
    import base64
    import json

    return json.loads(base64.b64decode(token))


def strip(response):
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def test_same_data_for_reads(emu, ivs, boto3_ivs):
    created = boto3_ivs.create_channel(name="parity", latencyMode="LOW", tags={"a": "b"})
    arn = created["channel"]["arn"]
    key = created["streamKey"]
    rec = ivs.create_recording_configuration(
        name="rec", destinationConfiguration={"s3": {"bucketName": "bucket"}})["recordingConfiguration"]["arn"]
    ivs.import_playback_key_pair(publicKeyMaterial=PUBLIC_KEYS[1], name="kp")
    emu.start_stream(key["value"])
    calls = [
        ("get_channel", {"arn": arn}),
        ("list_channels", {}),
        ("batch_get_channel", {"arns": [arn, arn.replace("/", "/x")]}),
        ("get_stream_key", {"arn": key["arn"]}),
        ("list_stream_keys", {"channelArn": arn}),
        ("get_stream", {"channelArn": arn}),
        ("list_streams", {}),
        ("get_stream_session", {"channelArn": arn}),
        ("list_stream_sessions", {"channelArn": arn}),
        ("get_recording_configuration", {"arn": rec}),
        ("list_playback_key_pairs", {}),
        ("list_tags_for_resource", {"resourceArn": arn}),
    ]
    for name, params in calls:
        ours = getattr(ivs, name)(**params)
        theirs = getattr(boto3_ivs, name)(**params)
        assert strip(ours) == strip(theirs), name
        # boto3's keys, plus libivs's TotalRetryDelay (milliseconds waited between attempts).
        assert set(ours["ResponseMetadata"]) == set(theirs["ResponseMetadata"]) | {"TotalRetryDelay"}, name
        assert ours["ResponseMetadata"]["HTTPStatusCode"] == theirs["ResponseMetadata"]["HTTPStatusCode"]
    # Timestamps compare equal as aware datetimes (boto3 uses tzutc, libivs timezone.utc).
    ours = ivs.get_stream(channelArn=arn)["stream"]["startTime"]
    theirs = boto3_ivs.get_stream(channelArn=arn)["stream"]["startTime"]
    assert ours == theirs and ours.utcoffset() == theirs.utcoffset()


def test_writes_from_either_are_seen_by_both(ivs, boto3_ivs):
    mine = ivs.create_channel(name="mine")["channel"]["arn"]
    theirs = boto3_ivs.create_channel(name="theirs")["channel"]["arn"]
    ivs.update_channel(arn=theirs, name="theirs-renamed")
    boto3_ivs.tag_resource(resourceArn=mine, tags={"k": "v"})
    assert boto3_ivs.get_channel(arn=theirs)["channel"]["name"] == "theirs-renamed"
    assert ivs.list_tags_for_resource(resourceArn=mine)["tags"] == {"k": "v"}
    assert strip(ivs.list_channels()) == strip(boto3_ivs.list_channels())


def test_same_error_codes_and_a_message_where_boto3_has_none(ivs, boto3_ivs):
    missing = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"
    with pytest.raises(libivs.exceptions.ResourceNotFoundException) as ours:
        ivs.get_channel(arn=missing)
    with pytest.raises(boto3_ivs.exceptions.ResourceNotFoundException) as theirs:
        boto3_ivs.get_channel(arn=missing)
    assert ours.value.response["Error"]["Code"] == theirs.value.response["Error"]["Code"]
    assert ours.value.response["ResponseMetadata"]["HTTPStatusCode"] == \
        theirs.value.response["ResponseMetadata"]["HTTPStatusCode"]
    assert missing in ours.value.response["Error"]["Message"]
    # The error shape's members bound to response headers, at the top of the response as boto3's.
    from test_header_members import HEADER_MEMBERS

    expected = {**HEADER_MEMBERS, "xAmznErrorType": "ResourceNotFoundException"}
    assert ours.value.header_members == expected
    assert {k: ours.value.response[k] for k in expected} == expected
    assert {k: theirs.value.response[k] for k in expected} == expected
    assert pickle.loads(pickle.dumps(ours.value)).response["xFrameOptions"] == "DENY"
    with pytest.raises(libivs.ParamValidationError) as invalid:
        ivs.get_channel()
    assert invalid.value.header_members == {}
    arn = ivs.create_channel(name="live")["channel"]["arn"]
    with pytest.raises(ivs.exceptions.ChannelNotBroadcasting):
        ivs.get_stream(channelArn=arn)
    with pytest.raises(boto3_ivs.exceptions.ChannelNotBroadcasting):
        boto3_ivs.get_stream(channelArn=arn)


def test_paginators_and_resume_tokens_are_interchangeable(ivs, boto3_ivs):
    for i in range(6):
        ivs.create_channel(name=f"p{i}")
    config = {"MaxItems": 4, "PageSize": 3}
    ours = ivs.get_paginator("list_channels").paginate(PaginationConfig=config).build_full_result()
    theirs = boto3_ivs.get_paginator("list_channels").paginate(PaginationConfig=config).build_full_result()
    assert ours["channels"] == theirs["channels"]
    # Resume tokens carry the same botocore fields (core encodes compact JSON; botocore adds spaces).
    assert decode(ours["NextToken"]) == decode(theirs["NextToken"])
    # A token from boto3 resumes in libivs, and the other way round.
    rest_ours = ivs.get_paginator("list_channels").paginate(
        PaginationConfig={"StartingToken": theirs["NextToken"]}).build_full_result()
    rest_theirs = boto3_ivs.get_paginator("list_channels").paginate(
        PaginationConfig={"StartingToken": ours["NextToken"]}).build_full_result()
    assert rest_ours == rest_theirs and len(rest_ours["channels"]) == 2
    pages_ours = [strip(p) for p in ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 4})]
    pages_theirs = [strip(p) for p in boto3_ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 4})]
    assert pages_ours == pages_theirs


def test_same_validation_outcome(ivs, boto3_ivs):
    import botocore.exceptions

    with pytest.raises(libivs.ParamValidationError):
        ivs.get_channel()
    with pytest.raises(botocore.exceptions.ParamValidationError):
        boto3_ivs.get_channel()
    with pytest.raises(libivs.ParamValidationError):
        ivs.create_channel(name=5)
    with pytest.raises(botocore.exceptions.ParamValidationError):
        boto3_ivs.create_channel(name=5)


def test_client_surface_matches_boto3(ivs, boto3_ivs):
    for name in boto3_ivs.meta.method_to_api_mapping:
        assert hasattr(ivs, name), name
    assert ivs.meta.method_to_api_mapping == boto3_ivs.meta.method_to_api_mapping
    assert ivs.meta.region_name == boto3_ivs.meta.region_name
    assert ivs.meta.endpoint_url == boto3_ivs.meta.endpoint_url
    assert ivs.waiter_names == boto3_ivs.waiter_names == []
    for name in ivs.meta.method_to_api_mapping:
        assert ivs.can_paginate(name) == boto3_ivs.can_paginate(name), name
    with pytest.raises(ValueError) as ours:
        ivs.get_waiter("channel_exists")
    with pytest.raises(ValueError) as theirs:
        boto3_ivs.get_waiter("channel_exists")
    assert str(ours.value) == str(theirs.value)
