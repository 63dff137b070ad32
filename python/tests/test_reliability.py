"""The Python face's reliability and security suite (issue #16): hostile input and absurd
configuration are typed errors (never a crash or a bare ValueError), retries are counted exactly,
secrets never appear in repr/str, and a soak shows no growth."""

import json
import os
import socket
import threading
import time

import pytest

import libivs

from conftest import run_python

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
    calls = max(1000, int(os.environ.get("LIBIVS_SOAK_CALLS", "20000")))
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


def reset_server(connections):
    """A loopback server that resets every connection it accepts; counts them in `connections`."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            connections.append(1)
            # SO_LINGER 0: close() sends RST instead of FIN.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def close():
        stop.set()
        thread.join(5)
        listener.close()

    return "http://127.0.0.1:%d" % listener.getsockname()[1], close


def test_connection_resets_take_the_configured_attempts_and_say_so(emu):
    connections = []
    url, close = reset_server(connections)
    try:
        kwargs = dict(emu.client_kwargs(), endpoint_url=url)
        ivs = libivs.client("ivs", config=libivs.Config(retries={"total_max_attempts": 3}), **kwargs)
        with pytest.raises(libivs.NetworkError) as caught:
            ivs.list_channels()
    finally:
        close()
    error = caught.value
    assert error.retryable
    assert error.attempts == 3 and len(connections) == 3
    assert error.response_metadata["RetryAttempts"] == 2


def test_timeouts_say_how_many_attempts_they_made(emu):
    ivs = libivs.client("ivs", config=libivs.Config(read_timeout=0.2, retries={"total_max_attempts": 2}),
                        **emu.client_kwargs())
    emu.inject_fault("ListChannels", count=2, delay=2)
    with pytest.raises(libivs.TimeoutError) as caught:
        ivs.list_channels()
    assert caught.value.attempts == 2
    # Nothing was sent for an error raised before the request: zero attempts.
    with pytest.raises(libivs.ParamValidationError) as caught:
        ivs.get_channel()
    assert caught.value.attempts == 0


def test_a_paginator_error_ends_it_and_breaking_early_fetches_nothing(emu, ivs):
    for i in range(3):
        ivs.create_channel(name=f"page-{i}")
    client = libivs.client("ivs", config=libivs.Config(retries={"total_max_attempts": 1}),
                           **emu.client_kwargs())
    pages = iter(client.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 1}))
    assert len(next(pages)["channels"]) == 1
    emu.inject_fault("ListChannels", count=1, status=400)
    with pytest.raises(libivs.ClientError):
        next(pages)
    with pytest.raises(StopIteration):
        next(pages)
    seen = 0
    for page in client.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 1}):
        seen += len(page["channels"])
        # A fault armed now fires at the next fetch: breaking must not fetch again.
        emu.inject_fault("ListChannels", count=1, status=400)
        break
    assert seen == 1
    with pytest.raises(libivs.ClientError) as caught:
        client.list_channels()  # the armed fault was still waiting
    assert caught.value.http_status == 400


def test_no_credentials_off_ec2_fails_fast_and_never_blocks_import_or_creation():
    # EC2 metadata is *not* disabled here: off EC2 the chain must still give up quickly.
    code = (
        "import json, time\n"
        "started = time.monotonic()\n"
        "import libivs\n"
        "imported = time.monotonic()\n"
        "c = libivs.client('ivs', region_name='us-west-2', endpoint_url='http://127.0.0.1:9')\n"
        "created = time.monotonic()\n"
        "try:\n    c.list_channels()\n    name = None\n"
        "except libivs.IvsError as e:\n    name = type(e).__name__\n"
        "print(json.dumps({'name': name, 'import': imported - started, 'create': created - imported,"
        " 'call': time.monotonic() - created}))\n"
    )
    env = {
        "AWS_EC2_METADATA_DISABLED": None,
        "HOME": "/nonexistent-libivs-home",
        "AWS_CONFIG_FILE": "/nonexistent/config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
        **{k: None for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                             "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
                             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                             "AWS_CONTAINER_CREDENTIALS_FULL_URI")},
    }
    result = run_python(code, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["name"] == "NoCredentialsError", out
    assert out["import"] < 2 and out["create"] < 1, out
    assert out["call"] < 10, out


def test_sixteen_threads_with_debug_logging_under_a_watchdog(emu):
    # DEBUG logging on every logger, 16 threads mixing successes and errors; the watchdog dumps
    # every thread's stack and kills the child if anything deadlocks.
    code = (
        "import faulthandler, logging, threading, libivs\n"
        "faulthandler.dump_traceback_later(60, exit=True)\n"
        "logging.basicConfig(level=logging.DEBUG, format='%(name)s %(message)s')\n"
        f"ivs = libivs.client('ivs', **{emu.client_kwargs()!r})\n"
        "arn = ivs.create_channel(name='logged')['channel']['arn']\n"
        "counts, lock = {'ok': 0, 'missing': 0}, threading.Lock()\n"
        "def work():\n"
        "    for i in range(40):\n"
        "        try:\n"
        "            ivs.get_channel(arn=arn if i % 2 else arn[:-4] + 'none')\n"
        "            key = 'ok'\n"
        "        except ivs.exceptions.ResourceNotFoundException:\n"
        "            key = 'missing'\n"
        "        logging.getLogger('worker').debug('call %d done', i)\n"
        "        with lock:\n"
        "            counts[key] += 1\n"
        "threads = [threading.Thread(target=work) for _ in range(16)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "faulthandler.cancel_dump_traceback_later()\n"
        "print(counts['ok'], counts['missing'])\n"
    )
    result = run_python(code, timeout=90)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.split() == ["320", "320"], result.stdout


def _load_work(ivs, worker):
    """Creates 4 channels, tags each, lists, and deletes every second one."""
    arns = [ivs.create_channel(name=f"w{worker}-c{j}", tags={"worker": str(worker)})["channel"]["arn"]
            for j in range(4)]
    for j, arn in enumerate(arns):
        ivs.tag_resource(resourceArn=arn, tags={"index": str(j)})
        ivs.list_channels(maxResults=5)
        if j % 2:
            ivs.delete_channel(arn=arn)


def _channel_state(ivs):
    channels = ivs.get_paginator("list_channels").paginate().build_full_result()["channels"]
    return sorted((c["name"], c["tags"]) for c in channels)


def test_32_concurrent_clients_end_as_a_serial_replay_does(emu):
    workers = 32
    errors = []

    def run(worker):
        try:
            with emu.client() as own:
                _load_work(own, worker)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    concurrent = _channel_state(emu.client())
    with libivs.Emulator() as serial:
        serial_client = serial.client()
        for worker in range(workers):
            _load_work(serial_client, worker)
        assert len(concurrent) == workers * 2
        assert concurrent == _channel_state(serial_client)
