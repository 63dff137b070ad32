"""libivs's records in Python's logging and its OpenTelemetry spans, through the native core,
aws-sdk-ivs and HTTP to the emulator: a call, a retried call and a failed call; levels and
handlers honoured; no secret at TRACE."""

import asyncio
import io
import logging

import pytest

import libivs

SECRET = "SENTINEL-py-log-secret-key-0001"
TOKEN = "SENTINEL-py-log-session-token-0002"
METADATA = "SENTINEL-py-log-metadata-0003"
MISSING = "arn:aws:ivs:us-west-2:123456789012:channel/missing"


class Collect(logging.Handler):
    """Keeps every record it is given."""

    def __init__(self):
        super().__init__(level=1)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def named(self, name):
        return [r for r in self.records if r.name == name]


@pytest.fixture
def collected():
    """A handler on the ``libivs`` logger, at DEBUG; levels restored afterwards."""
    logger = logging.getLogger("libivs")
    handler = Collect()
    logger.addHandler(handler)
    saved = {name: logging.getLogger(name).level for name in ("libivs", "libivs.sdk", "libivs.sdk.http")}
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_a_call_is_recorded_with_status_request_id_and_attempt(ivs, collected):
    created = ivs.create_channel(name="logged")
    request_id = created["ResponseMetadata"]["RequestId"]
    [attempt] = collected.named("libivs.http")
    assert attempt.levelno == logging.DEBUG
    assert (attempt.operation, attempt.attempt, attempt.status) == ("CreateChannel", "1", "200")
    assert attempt.request_id == request_id
    assert f"CreateChannel attempt 1: HTTP 200, request id {request_id}" == attempt.getMessage()
    [outcome] = collected.named("libivs.client")
    assert outcome.getMessage().startswith("CreateChannel succeeded: HTTP 200")
    assert outcome.attempts == "1" and float(outcome.duration_ms) >= 0
    # Nothing below the logger's level was formatted or handed over.
    assert all(r.levelno >= logging.DEBUG for r in collected.records)


def test_a_failed_call_is_recorded_with_its_error_code(ivs, collected):
    with pytest.raises(ivs.exceptions.ResourceNotFoundException):
        ivs.get_channel(arn=MISSING)
    [outcome] = collected.named("libivs.client")
    assert outcome.error_code == "ResourceNotFoundException"
    assert outcome.status == "404"
    assert outcome.getMessage().startswith("GetChannel failed: ResourceNotFoundException (HTTP 404)")


def test_a_retried_call_records_each_retry_and_its_delay(emu, collected):
    logging.getLogger("libivs").setLevel(logging.INFO)
    emu.inject_fault("ListChannels", count=2, status=503)
    with emu.client(config=libivs.Config(retries={"total_max_attempts": 3})) as client:
        listed = client.list_channels()
    metadata = listed["ResponseMetadata"]
    assert metadata["RetryAttempts"] == 2
    assert metadata["TotalRetryDelay"] > 0
    retries = collected.named("libivs.retry")
    assert [r.attempt for r in retries] == ["2", "3"]
    assert all(r.levelno == logging.INFO for r in retries)
    assert abs(sum(int(r.delay_ms) for r in retries) - metadata["TotalRetryDelay"]) <= 2
    # INFO: the DEBUG records of each attempt were not even made.
    assert collected.named("libivs.http") == []


def test_errors_carry_attempts_and_the_retry_delay(emu):
    emu.inject_fault("ListChannels", count=5, status=503)
    with emu.client(config=libivs.Config(retries={"total_max_attempts": 2})) as client:
        with pytest.raises(libivs.ClientError) as raised:
            client.list_channels()
    metadata = raised.value.response["ResponseMetadata"]
    assert raised.value.attempts == 2
    assert metadata["RetryAttempts"] == 1 and metadata["TotalRetryDelay"] > 0


def test_level_changes_apply_at_once_and_warning_is_silent(ivs, collected):
    logger = logging.getLogger("libivs")
    logger.setLevel(logging.WARNING)
    ivs.list_channels()
    assert collected.records == []
    logger.setLevel(logging.DEBUG)
    ivs.list_channels()
    assert len(collected.named("libivs.client")) == 1
    # A child's own level counts: libivs.client at DEBUG while libivs is at WARNING.
    logger.setLevel(logging.WARNING)
    child = logging.getLogger("libivs.client")
    child.setLevel(logging.DEBUG)
    try:
        ivs.list_channels()
        assert len(collected.named("libivs.client")) == 2
        # Its sibling libivs.http still inherits WARNING: only the DEBUG phase's attempt is there.
        assert len(collected.named("libivs.http")) == 1
    finally:
        child.setLevel(logging.NOTSET)
    logging.disable(logging.CRITICAL)
    try:
        logger.setLevel(logging.DEBUG)
        ivs.list_channels()
        assert len(collected.named("libivs.client")) == 2
    finally:
        logging.disable(logging.NOTSET)


def test_handler_levels_and_filters_are_honoured(ivs, collected):
    collected.setLevel(logging.INFO)
    ivs.list_channels()
    assert collected.records == []


def test_async_calls_are_recorded_before_the_await_returns(emu, collected):
    async def main():
        async with emu.async_client() as client:
            await asyncio.gather(*(client.list_channels() for _ in range(4)))
            return len(collected.named("libivs.client"))

    assert asyncio.run(main()) == 4


def test_set_stream_logger_writes_to_stderr(ivs, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    logger = logging.getLogger("libivs.client")
    try:
        libivs.set_stream_logger("libivs.client", logging.DEBUG)
        ivs.list_channels()
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    line = stream.getvalue()
    assert "libivs.client [DEBUG] ListChannels succeeded: HTTP 200" in line


def test_no_secret_reaches_a_record_at_trace(collected):
    logger = logging.getLogger("libivs")
    logger.setLevel(libivs.TRACE)
    with libivs.Emulator(secret_access_key=SECRET) as emulator:
        with emulator.client(aws_session_token=TOKEN) as client:
            created = client.create_channel(name="secret-test")
            key = created["streamKey"]
            passphrase = created["channel"].get("srt", {}).get("passphrase", "no passphrase")
            with pytest.raises(client.exceptions.ChannelNotBroadcasting):
                client.put_metadata(channelArn=created["channel"]["arn"], metadata=METADATA)
            assert client.get_stream_key(arn=key["arn"])["streamKey"]["value"] == key["value"]
    assert any(r.levelno == libivs.TRACE and r.name == "libivs.sdk" for r in collected.records)
    assert collected.named("libivs.client")
    text = "\n".join(f"{r.name} {r.getMessage()} {r.__dict__}" for r in collected.records)
    for secret in (SECRET, TOKEN, METADATA, key["value"], passphrase):
        assert secret not in text


def test_warnings_stay_silent_without_a_configured_handler():
    """A call failing after retries is a WARNING record, but a host that configured no logging
    sees nothing on stderr (as with boto3)."""
    import subprocess
    import sys

    script = (
        "import libivs\n"
        "e = libivs.Emulator(); e.inject_fault('ListChannels', count=5, status=503)\n"
        "c = e.client(config=libivs.Config(retries={'total_max_attempts': 2}))\n"
        "try:\n    c.list_channels()\nexcept libivs.ClientError as error:\n    print(error.attempts)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
    assert done.stderr == ""


def test_libivs_log_writes_records_to_stderr():
    """LIBIVS_LOG (RUST_LOG syntax) writes scrubbed records to stderr, filtered by target."""
    import os
    import subprocess
    import sys

    script = "import libivs\ne = libivs.Emulator()\ne.client().list_channels()\n"
    env = {**os.environ, "LIBIVS_LOG": "libivs=debug"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG libivs.client: ListChannels succeeded: HTTP 200" in done.stderr
    assert "DEBUG libivs.http: ListChannels attempt 1: HTTP 200" in done.stderr
    # The directive names libivs's targets only: none of the SDK's records.
    assert "libivs.sdk" not in done.stderr
