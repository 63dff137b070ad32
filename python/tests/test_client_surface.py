"""The rest of boto3's client surface: config, meta, presigned URLs, waiters, close."""

import datetime
import urllib.parse

import pytest

import libivs


def test_meta_and_config(emu):
    config = libivs.Config(retries={"max_attempts": 4, "mode": "adaptive"}, connect_timeout=3,
                           read_timeout=7, operation_timeout=30)
    ivs = emu.client(config=config)
    assert ivs.meta.region_name == "us-west-2"
    assert ivs.meta.endpoint_url == emu.url
    assert ivs.meta.config is config
    described = ivs._inner.describe()
    assert described["max_attempts"] == 5  # botocore's max_attempts counts retries
    assert described["retry_mode"] == "adaptive"
    assert (described["connect_timeout"], described["read_timeout"], described["operation_timeout"]) == (3, 7, 30)
    assert libivs.Config(retries={"total_max_attempts": 2}).retries == {"total_max_attempts": 2}
    merged = libivs.Config(read_timeout=1).merge(libivs.Config(connect_timeout=2))
    assert (merged.read_timeout, merged.connect_timeout) == (1, 2)
    plain = libivs.client("ivs", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    assert plain.meta.endpoint_url == "https://ivs.eu-west-1.amazonaws.com"
    assert "secret" not in repr(plain) and "b'" not in repr(plain)


def test_region_from_config(emu):
    ivs = libivs.client("ivs", endpoint_url=emu.url, aws_access_key_id="test",
                        aws_secret_access_key="test", config=libivs.Config(region_name="us-west-2"))
    assert ivs.meta.region_name == "us-west-2"
    assert ivs.list_channels()["channels"] == []


def test_session(emu):
    session = libivs.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-west-2")
    ivs = session.client("ivs", endpoint_url=emu.url)
    assert ivs.list_channels()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_generate_presigned_url(emu, ivs):
    url = ivs.generate_presigned_url("list_tags_for_resource",
                                     Params={"resourceArn": "arn:aws:ivs:us-west-2:123456789012:channel/abc"},
                                     ExpiresIn=120)
    parsed = urllib.parse.urlparse(url)
    query = urllib.parse.parse_qs(parsed.query)
    assert url.startswith(emu.url)
    assert parsed.path.startswith("/tags/")
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["120"]
    assert query["X-Amz-Credential"][0].startswith("test/")
    assert len(query["X-Amz-Signature"][0]) == 64
    with pytest.raises(libivs.ParamValidationError):
        ivs.generate_presigned_url("get_channel", Params={}, ExpiresIn=60)
    with pytest.raises(libivs.InvalidArgumentError):
        ivs.generate_presigned_url("no_such_method")
    with pytest.raises(libivs.ParamValidationError):
        ivs.generate_presigned_url("list_channels", ExpiresIn=10**9)


def test_waiters_behave_as_boto3_for_unknown_names(ivs):
    assert ivs.waiter_names == []
    with pytest.raises(ValueError, match="Waiter does not exist: stream_live"):
        ivs.get_waiter("stream_live")


def test_close_and_context_manager(emu):
    with emu.client() as ivs:
        ivs.list_channels()
    # Closed clients reconnect when called again (as boto3's).
    assert ivs.list_channels()["channels"] == []
    ivs.close()
    ivs.close()


def test_naive_datetime_inputs_are_utc(emu, ivs):
    ad = ivs.create_ad_configuration(name="ads", mediaTailorPlaybackConfigurations=[
        {"playbackConfigurationArn": "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/d"}])
    created = ivs.create_channel(name="ads", adConfigurationArn=ad["adConfiguration"]["arn"])
    emu.start_stream(created["streamKey"]["value"])
    when = datetime.datetime.utcnow() + datetime.timedelta(seconds=10)
    result = ivs.insert_ad_break(channelArn=created["channel"]["arn"], durationSeconds=5, targetStartAt=when)
    assert result["adBreakId"]
    result = ivs.insert_ad_break(channelArn=created["channel"]["arn"], durationSeconds=5,
                                 targetStartAt="2030-01-01T00:00:00Z")
    assert result["adBreakId"]


def test_secrets_stay_out_of_reprs(emu, ivs):
    created = ivs.create_channel(name="s")
    value = created["streamKey"]["value"]
    for thing in (ivs, ivs.meta, emu, ivs.meta.config, ivs._inner):
        assert value not in repr(thing)
        assert emu.secret_access_key not in repr(thing)
    assert emu.secret_access_key not in repr(emu).replace("us-west-2", "")


def test_retry_environment_variables(emu, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    # The core reads them (the same rules in every face): observed through the attempts made.
    emu.inject_fault("ListChannels", count=6, status=503)
    with pytest.raises(libivs.ClientError) as caught:
        emu.client().list_channels()
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 1
    # Config wins over the environment, as in botocore.
    client = emu.client(config=libivs.Config(retries={"max_attempts": 0, "mode": "standard"}))
    described = client._inner.describe()
    assert (described["max_attempts"], described["retry_mode"]) == (1, "standard")
    with pytest.raises(libivs.ClientError) as caught:
        client.list_channels()
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
