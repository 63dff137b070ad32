"""The Python face's reliability and security suite (issue #16): hostile input and absurd
configuration are typed errors (never a crash or a bare ValueError), retries are counted exactly,
secrets never appear in repr/str, and a soak shows no growth."""

import os
import socket
import threading
import time

import pytest

import libivs

SECRET = "SENTINEL-secret-access-key-0001"
TOKEN = "SENTINEL-session-token-0002"
METADATA = "SENTINEL-metadata-0003"


def nested(levels, make):
    value = "leaf"
    for _ in range(levels):
        value = make(value)
    return value


@pytest.mark.parametrize(
    "tags",
    [
        nested(1200, lambda v: {"a": v}),
        {"a": nested(1200, lambda v: [v])},
        {"a": nested(40, lambda v: {"b": v})},
    ],
    ids=["deep-dicts", "deep-lists", "past-the-limit"],
)
def test_deep_values_are_a_param_validation_error_not_a_crash(ivs, tags):
    with pytest.raises(libivs.ParamValidationError) as caught:
        ivs.create_channel(name="deep", tags=tags)
    assert "levels deep" in str(caught.value)


def test_self_referencing_values_are_a_param_validation_error(ivs):
    cyclic = {}
    cyclic["a"] = cyclic
    with pytest.raises(libivs.ParamValidationError):
        ivs.create_channel(name="a", tags=cyclic)
    loop = []
    loop.append(loop)
    with pytest.raises(libivs.ParamValidationError):
        ivs.batch_get_channel(arns=loop)


@pytest.mark.parametrize(
    "call",
    [
        lambda ivs: ivs.create_channel(name=None),
        lambda ivs: ivs.create_channel(name=float("nan")),
        lambda ivs: ivs.list_channels(maxResults=float("inf")),
        lambda ivs: ivs.list_channels(maxResults=10**30),
        lambda ivs: ivs.create_channel(name=object()),
        lambda ivs: ivs.create_channel(name="x" * (50 * 1024 * 1024)),
        lambda ivs: ivs.create_channel(unknownMember=1),
        lambda ivs: ivs.create_channel(tags={1: "a"}),
        lambda ivs: ivs.get_channel(),
    ],
    ids=["None", "NaN", "inf", "huge-int", "object", "50MB", "unknown", "int-key", "missing"],
)
def test_hostile_input_is_a_param_validation_error(ivs, call):
    with pytest.raises(libivs.ParamValidationError) as caught:
        call(ivs)
    assert len(str(caught.value)) < 2000


@pytest.mark.parametrize(
    "kwargs",
    [
        {"config": libivs.Config(connect_timeout=1e30)},
        {"config": libivs.Config(read_timeout=1e-300)},
        {"config": libivs.Config(read_timeout=float("nan"))},
        {"config": libivs.Config(operation_timeout=18446744073709551616)},
        {"config": libivs.Config(retries={"total_max_attempts": 10**30})},
        {"config": libivs.Config(retries={"max_attempts": -5})},
        {"region_name": ""},
        {"endpoint_url": "not a url"},
        {"endpoint_url": ""},
    ],
    ids=["huge-connect", "tiny-read", "nan-read", "u64-op", "huge-attempts", "negative", "empty-region",
         "bad-endpoint", "empty-endpoint"],
)
def test_absurd_configuration_is_a_config_error_at_creation(emu, kwargs):
    base = dict(emu.client_kwargs())
    base.update(kwargs)
    with pytest.raises(libivs.ConfigError) as caught:
        libivs.client("ivs", **base)
    assert not isinstance(caught.value, libivs.InternalError)


def test_environment_retry_settings_are_checked_by_the_core(emu, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "abc")
    with pytest.raises(libivs.ConfigError):
        libivs.client("ivs", **emu.client_kwargs())
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    ivs = libivs.client("ivs", **emu.client_kwargs())
    emu.inject_fault("list_channels", count=5, status=503)
    with pytest.raises(libivs.ClientError) as caught:
        ivs.list_channels()
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 1


@pytest.mark.parametrize("status,attempts", [(500, 3), (502, 2), (503, 3), (504, 2), (429, 3)])
def test_retryable_statuses_take_exactly_the_configured_attempts(emu, status, attempts):
    config = libivs.Config(retries={"total_max_attempts": attempts})
    ivs = libivs.client("ivs", config=config, **emu.client_kwargs())
    emu.inject_fault("ListChannels", count=attempts + 2, status=status)
    with pytest.raises(libivs.ClientError) as caught:
        ivs.list_channels()
    error = caught.value
    assert error.http_status == status
    assert error.retryable
    assert error.request_id
    assert error.response["ResponseMetadata"]["RetryAttempts"] == attempts - 1


@pytest.mark.parametrize("status", [400, 402, 403, 409])
def test_client_errors_take_one_attempt(emu, status):
    ivs = libivs.client("ivs", config=libivs.Config(retries={"total_max_attempts": 4}),
                        **emu.client_kwargs())
    emu.inject_fault("ListChannels", count=3, status=status)
    with pytest.raises(libivs.ClientError) as caught:
        ivs.list_channels()
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert not caught.value.retryable


def test_a_server_that_never_answers_fails_within_the_timeout(emu):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    stop = threading.Event()

    def hold():
        listener.settimeout(0.1)
        deadline = time.monotonic() + 30
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    kwargs = dict(emu.client_kwargs())
    kwargs["endpoint_url"] = "http://127.0.0.1:%d" % listener.getsockname()[1]
    ivs = libivs.client("ivs", config=libivs.Config(read_timeout=0.3, retries={"total_max_attempts": 1}),
                        **kwargs)
    started = time.monotonic()
    with pytest.raises(libivs.IvsError) as caught:
        ivs.list_channels()
    assert caught.value.code == "TimeoutError"
    assert time.monotonic() - started < 5
    stop.set()
    thread.join(5)
    listener.close()


def test_secrets_never_appear_in_repr_or_str(emu):
    kwargs = dict(emu.client_kwargs())
    kwargs["aws_session_token"] = TOKEN
    ivs = libivs.client("ivs", **kwargs)
    created = ivs.create_channel(name="secrets")
    key_value = created["streamKey"]["value"]
    shown = repr(ivs) + str(ivs) + repr(ivs.meta)
    assert kwargs["aws_secret_access_key"] not in shown and TOKEN not in shown
    bad = dict(kwargs, endpoint_url="not a url", aws_secret_access_key=SECRET)
    with pytest.raises(libivs.ConfigError) as caught:
        libivs.client("ivs", **bad)
    assert SECRET not in str(caught.value) + repr(caught.value)
    with pytest.raises(libivs.IvsError) as caught:
        ivs.put_metadata(channelArn=created["channel"]["arn"], metadata=METADATA)
    text = str(caught.value) + repr(caught.value) + repr(caught.value.response)
    assert METADATA not in text and key_value not in text


def rss_pages():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1])


def test_soak_calls_and_paginators_do_not_grow(ivs):
    calls = max(1000, int(os.environ.get("LIBIVS_SOAK_CALLS", "5000")))
    arn = ivs.create_channel(name="soak")["channel"]["arn"]
    ivs.create_channel(name="soak-2")
    paginator = ivs.get_paginator("list_channels")
    middle = 0
    for i in range(calls):
        ivs.get_channel(arn=arn)
        if i % 10 == 0:
            for _page in paginator.paginate(PaginationConfig={"PageSize": 1}):
                break  # dropped with pages left
        if i == calls // 2:
            middle = rss_pages()
    end = rss_pages()
    assert end * 100 < middle * 105, f"RSS {middle} -> {end} pages over the second half"
