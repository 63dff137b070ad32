"""Real use: threads, the GIL, fork (gunicorn --preload, multiprocessing), Ctrl-C, exit."""

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import libivs

from conftest import run_python


def test_many_threads_share_one_client(emu):
    ivs = emu.client()
    arn = ivs.create_channel(name="threads")["channel"]["arn"]
    results, errors = [], []

    def worker():
        try:
            for _ in range(25):
                results.append(ivs.get_channel(arn=arn)["channel"]["arn"])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert results == [arn] * 400


def test_blocking_calls_release_the_gil(emu):
    ivs = emu.client()
    emu.inject_fault("ListChannels", 1, delay=0.6)
    ticks = 0
    done = threading.Event()

    def spin():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    spinner = threading.Thread(target=spin)
    spinner.start()
    started = time.monotonic()
    ivs.list_channels()
    elapsed = time.monotonic() - started
    done.set()
    spinner.join()
    assert elapsed >= 0.5
    # The spinner ran all along (it would be stuck for 0.6 s if the call held the GIL).
    assert ticks > 100


def _child_work(url):
    ivs = libivs.client("ivs", region_name="us-west-2", endpoint_url=url,
                        aws_access_key_id="test", aws_secret_access_key="test")
    return len(ivs.list_channels()["channels"])


def test_fork_child_reuses_a_parent_client(emu):
    ivs = emu.client()
    ivs.create_channel(name="before-fork")
    assert len(ivs.list_channels()["channels"]) == 1  # the runtime and connections are warm
    pid = os.fork()
    if pid == 0:  # the child: same client object, new runtime underneath
        code = 1
        try:
            channels = ivs.list_channels()["channels"]
            ivs.create_channel(name="from-child")
            code = 0 if [c["name"] for c in channels] == ["before-fork"] else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    names = sorted(c["name"] for c in ivs.list_channels()["channels"])
    assert names == ["before-fork", "from-child"]


def test_multiprocessing_fork_pool(emu):
    ivs = emu.client()
    ivs.create_channel(name="mp")
    ivs.list_channels()
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        assert pool.map(_child_work, [emu.url] * 4) == [1, 1, 1, 1]


def test_multiprocessing_spawn_pool(emu):
    # spawn: each worker is a fresh interpreter importing libivs, no state inherited.
    context = multiprocessing.get_context("spawn")
    emu.client().create_channel(name="spawned")
    with context.Pool(2) as pool:
        assert pool.map(_child_work, [emu.url] * 4) == [1, 1, 1, 1]


def test_async_client_in_a_forked_child(emu):
    ivs = emu.async_client()
    import asyncio

    asyncio.run(ivs.list_channels())  # the parent made a bridge for its loop
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            result = asyncio.run(ivs.create_channel(name="async-child"))
            code = 0 if result["channel"]["name"] == "async-child" else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert [c["name"] for c in emu.client().list_channels()["channels"]] == ["async-child"]


def assert_ctrl_c_interrupts(emu, make_client, call):
    """Runs `call` (a statement, sync or inside `async def main`) on a 20 s delayed ListChannels
    in a child interpreter, sends SIGINT half a second in: KeyboardInterrupt within 5 s."""
    emu.inject_fault("ListChannels", 1, delay=20)
    code = (
        # A shell running the tests in the background hands its children SIGINT ignored, and
        # Python then installs no handler: the child asks for Python's own.
        "import asyncio, signal, time, libivs\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        f"ivs = libivs.{make_client}('ivs', region_name='us-west-2', endpoint_url={emu.url!r}, "
        "aws_access_key_id='test', aws_secret_access_key='test')\n"
        "async def main():\n    await ivs.list_channels()\n"
        "print('calling', flush=True)\n"
        "started = time.monotonic()\n"
        f"try:\n    {call}\n"
        "except KeyboardInterrupt:\n    print('interrupted', round(time.monotonic() - started, 1), flush=True)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"})
    assert process.stdout.readline().strip() == "calling"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=10)
    assert out.startswith("interrupted"), out
    assert float(out.split()[1]) < 5
    assert process.returncode == 0


def test_ctrl_c_interrupts_a_slow_call(emu):
    assert_ctrl_c_interrupts(emu, "client", "ivs.list_channels()")


def test_ctrl_c_interrupts_an_awaited_call(emu):
    assert_ctrl_c_interrupts(emu, "async_client", "asyncio.run(main())")


def test_interpreter_exit_never_hangs(emu):
    emu.inject_fault("*", 10, delay=30)
    code = (
        "import asyncio, threading, libivs\n"
        f"kw = dict(region_name='us-west-2', endpoint_url={emu.url!r}, aws_access_key_id='test', aws_secret_access_key='test')\n"
        "ivs = libivs.client('ivs', **kw)\n"
        "threading.Thread(target=ivs.list_channels, daemon=True).start()\n"
        "aivs = libivs.async_client('ivs', **kw)\n"
        "async def main():\n"
        "    asyncio.ensure_future(aivs.list_channels())\n"
        "    await asyncio.sleep(0.2)\n"
        "asyncio.run(main())\n"
        "emulator = libivs.Emulator()\n"
        "print('exiting', flush=True)\n"
    )
    started = time.monotonic()
    result = run_python(code, timeout=20)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "exiting"
    assert time.monotonic() - started < 10


def test_no_panic_reaches_python_as_panic_exception(ivs):
    # Every native entry point catches panics; what users can reach raises libivs errors.
    with pytest.raises(libivs.InvalidArgumentError):
        ivs._inner.call("NoSuchOperation", {})
    with pytest.raises(libivs.ParamValidationError):
        ivs._inner.call("GetChannel", {"arn": float("nan")})
    with pytest.raises(libivs.ParamValidationError):
        ivs._inner.call("GetChannel", ["not", "a", "dict"])


def test_rust_panics_become_internal_error():
    import asyncio

    from libivs import _libivs
    from libivs.client import _bridge

    if not hasattr(_libivs, "_test_panic"):
        # Release artifacts are built without the hook; `make test` requires it.
        assert not os.environ.get("LIBIVS_EXPECT_TEST_HOOKS"), "built without --features test-hooks"
        pytest.skip("this build has no test hooks (feature test-hooks)")

    for place in ("entry", "blocking"):
        with pytest.raises(libivs.InternalError) as caught:
            _libivs._test_panic(place)
        assert isinstance(caught.value, libivs.IvsError)
        # One panic policy: the payload may quote request data, so it is never shown.
        assert "test panic" not in str(caught.value)

    async def main():
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        _libivs._test_panic("async", _bridge(loop), future)
        with pytest.raises(libivs.InternalError):
            await asyncio.wait_for(future, 5)

    asyncio.run(main())
