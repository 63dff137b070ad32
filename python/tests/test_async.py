"""The asyncio client: coroutines on the loop's completion queue, no thread per call."""

import asyncio
import datetime
import threading
import time

import pytest

import libivs
from libivs._operations import OPERATIONS


def run(coro):
    return asyncio.run(coro)


def test_methods_are_coroutine_functions():
    import inspect

    for name in OPERATIONS:
        assert inspect.iscoroutinefunction(getattr(libivs.AsyncIVSClient, name)), name


def test_async_crud_and_errors(emu):
    async def main():
        async with emu.async_client() as ivs:
            created = await ivs.create_channel(name="async", latencyMode="LOW")
            arn = created["channel"]["arn"]
            got = await ivs.get_channel(arn=arn)
            assert got["channel"]["latencyMode"] == "LOW"
            assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
            with pytest.raises(ivs.exceptions.ResourceNotFoundException) as caught:
                await ivs.get_channel(arn=arn + "x")
            assert caught.value.response["Error"]["Message"]
            with pytest.raises(libivs.ParamValidationError):
                await ivs.get_channel()
            emu.start_stream(created["streamKey"]["value"])
            stream = (await ivs.get_stream(channelArn=arn))["stream"]
            assert isinstance(stream["startTime"], datetime.datetime)
            with pytest.raises(ivs.exceptions.ConflictException):
                await ivs.delete_channel(arn=arn)  # live
            await ivs.stop_stream(channelArn=arn)
            await ivs.delete_channel(arn=arn)
            assert (await ivs.list_channels())["channels"] == []

    run(main())


def test_64_in_flight_without_a_thread_per_call(emu):
    ivs = emu.async_client()
    arn = ivs_sync_channel(emu)

    async def main():
        threads_before = threading.active_count()
        results = await asyncio.gather(*(ivs.get_channel(arn=arn) for _ in range(64)))
        assert {r["channel"]["arn"] for r in results} == {arn}
        assert len({r["ResponseMetadata"]["RequestId"] for r in results}) == 64
        assert threading.active_count() <= threads_before + 1

    run(main())


def ivs_sync_channel(emu):
    return emu.client().create_channel(name="shared")["channel"]["arn"]


def test_async_paginators(emu):
    sync = emu.client()
    arns = sorted(sync.create_channel(name=f"a{i}")["channel"]["arn"] for i in range(5))

    async def main():
        ivs = emu.async_client()
        paginator = ivs.get_paginator("list_channels")
        pages = [p async for p in paginator.paginate(PaginationConfig={"PageSize": 2})]
        assert [len(p["channels"]) for p in pages] == [2, 2, 1]
        items = [c async for c in paginator.paginate(PaginationConfig={"PageSize": 2}).items()]
        assert sorted(c["arn"] for c in items) == arns
        full = await paginator.paginate(PaginationConfig={"MaxItems": 3}).build_full_result()
        assert len(full["channels"]) == 3 and full["NextToken"]
        cut = paginator.paginate(PaginationConfig={"MaxItems": 2, "PageSize": 2})
        assert len([p async for p in cut]) == 1 and cut.resume_token

    run(main())


def test_cancelling_a_task_cancels_the_request(emu):
    ivs = emu.async_client(config=libivs.Config(retries={"max_attempts": 0}))
    emu.inject_fault("ListChannels", 1, delay=3)

    async def main():
        from libivs.client import _bridge

        task = asyncio.ensure_future(ivs.list_channels())
        await asyncio.sleep(0.2)
        bridge = _bridge(asyncio.get_running_loop())
        assert bridge.in_flight() == 1
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.5
        assert bridge.in_flight() == 0
        # The client still works, promptly (the delayed request was dropped, not awaited).
        started = time.monotonic()
        assert (await ivs.list_channels())["channels"] == []
        assert time.monotonic() - started < 1.5

    run(main())


def test_wait_for_timeout_cancels(emu):
    ivs = emu.async_client(config=libivs.Config(retries={"max_attempts": 0}))
    emu.inject_fault("ListChannels", 1, delay=2)

    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(ivs.list_channels(), 0.2)

    run(main())


def test_works_across_loops_and_threads(emu):
    ivs = emu.async_client()
    arn = ivs_sync_channel(emu)
    results = []

    def worker():
        async def main():
            return [r["channel"]["arn"] for r in await asyncio.gather(*(ivs.get_channel(arn=arn) for _ in range(8)))]

        results.extend(asyncio.run(main()))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [arn] * 32
    assert run(ivs.get_channel(arn=arn))["channel"]["arn"] == arn
    assert run(ivs.get_channel(arn=arn))["channel"]["arn"] == arn


def test_presign_and_extras_on_async_client(emu):
    ivs = emu.async_client()
    url = ivs.generate_presigned_url("get_channel", Params={"arn": "x"}, ExpiresIn=60)
    assert "X-Amz-Signature=" in url
    assert ivs.can_paginate("list_channels")
    run(ivs.close())
