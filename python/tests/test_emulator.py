"""The emulator helpers: lifecycle, simulated streams, fault injection, reset."""

import time

import pytest

import libivs


def test_context_manager_and_url():
    with libivs.Emulator() as emulator:
        assert emulator.url.startswith("http://127.0.0.1:")
        assert emulator.running
        assert emulator.client().list_channels()["channels"] == []
        url = emulator.url
    assert not emulator.running
    ivs = libivs.client("ivs", region_name="us-west-2", endpoint_url=url, aws_access_key_id="test",
                        aws_secret_access_key="test", config=libivs.Config(retries={"max_attempts": 0}))
    with pytest.raises(libivs.EndpointConnectionError):
        ivs.list_channels()
    with pytest.raises(libivs.EmulatorError):
        emulator.reset()
    emulator.stop()  # idempotent


def test_custom_identity():
    with libivs.Emulator(region="eu-central-1", account_id="111122223333",
                         access_key_id="AKIDLOCAL", secret_access_key="local-secret") as emulator:
        assert (emulator.region, emulator.account_id) == ("eu-central-1", "111122223333")
        assert "local-secret" not in repr(emulator)
        arn = emulator.client().create_channel(name="x")["channel"]["arn"]
        assert arn.startswith("arn:aws:ivs:eu-central-1:111122223333:channel/")


def test_start_and_stop_stream(emu, ivs):
    created = ivs.create_channel(name="live")
    arn = created["channel"]["arn"]
    started = emu.start_stream(created["streamKey"]["value"])
    assert started["channelArn"] == arn and started["streamId"]
    assert ivs.get_stream(channelArn=arn)["stream"]["state"] == "LIVE"
    emu.stop_stream(arn)
    with pytest.raises(ivs.exceptions.ChannelNotBroadcasting):
        ivs.get_stream(channelArn=arn)
    with pytest.raises(libivs.EmulatorError):
        emu.start_stream("sk_us-west-2_unknown")
    with pytest.raises(libivs.EmulatorError):
        emu.stop_stream("arn:aws:ivs:us-west-2:123456789012:channel/none")


def test_fault_injection_kinds(emu):
    ivs = emu.client(config=libivs.Config(retries={"max_attempts": 0}))
    emu.inject_fault("get_channel", 1, status=429)  # snake_case names work too
    with pytest.raises(libivs.exceptions.ThrottlingException):
        ivs.get_channel(arn="arn:aws:ivs:us-west-2:123456789012:channel/abcd")
    emu.inject_fault("ListChannels", 1, delay=0.3)
    started = time.monotonic()
    ivs.list_channels()
    assert time.monotonic() - started >= 0.25
    emu.inject_fault("*", 2, status=500)
    for _ in range(2):
        with pytest.raises(libivs.exceptions.InternalServerException):
            ivs.list_channels()
    assert ivs.list_channels()["channels"] == []
    with pytest.raises(libivs.EmulatorError):
        emu.inject_fault("ListChannels", 1, status=418)
    with pytest.raises(libivs.EmulatorError):
        emu.inject_fault("NoSuchOperation", 1, status=500)
    with pytest.raises(libivs.EmulatorError):
        emu.inject_fault("ListChannels", 1)
    with pytest.raises(libivs.EmulatorError, match="exactly one"):
        emu.inject_fault("ListChannels", 1, status=500, delay=1)
    with pytest.raises(libivs.EmulatorError, match="seconds"):
        emu.inject_fault("ListChannels", 1, delay=-1)


def test_bad_options_are_config_errors_as_in_every_face():
    # The same checks (EmulatorConfig::from_json) as ivs_emulator_start and new Emulator().
    for options in ({"stream_end_delay": -1}, {"recording_configuration_delay": float("nan")},
                    {"port": 70000}):
        with pytest.raises(libivs.ConfigError, match=next(iter(options))):
            libivs.Emulator(**options)
    with libivs.Emulator(stream_end_delay=0.25) as emulator:
        assert emulator.running


def test_reset_forgets_everything(emu, ivs):
    ivs.create_channel(name="gone")
    emu.inject_fault("*", 5, status=500)
    emu.reset()
    assert ivs.list_channels()["channels"] == []


def test_boto3_talks_to_the_emulator(emu, boto3_ivs):
    arn = boto3_ivs.create_channel(name="b")["channel"]["arn"]
    assert emu.client().get_channel(arn=arn)["channel"]["name"] == "b"
