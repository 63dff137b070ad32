"""libivs (Python) against boto3 and aioboto3 on the same loopback endpoint, in one run.

The endpoint is `bench-server` (bench/src/bin/bench_server.rs): fixed responses, no signature
checks, in its own process, so that the process CPU measured here is the clients'. Raw
`aws-sdk-ivs` figures come from `core_vs_sdk` (the same server, a 1-worker runtime) in the same
run. Writes bench/python/RESULTS.md and prints the table.

    make bench-python            # builds the release extension and the server first
    BENCH_CALLS=5000 python bench/python/bench.py
"""

import asyncio
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

REPO = pathlib.Path(__file__).resolve().parents[2]
RELEASE = REPO / "target" / "release"
ARN = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"
CALLS = int(os.environ.get("BENCH_CALLS", "5000"))
# The machine is shared (2 cores): each measurement runs ROUNDS times, interleaved with the
# others, and the best round counts (highest calls/s, lowest CPU per call), for every client alike.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
IN_FLIGHT = 64
KW = dict(region_name="us-west-2", aws_access_key_id="test", aws_secret_access_key="test")


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(calls, run):
    start_cpu, start = cpu(), time.perf_counter()
    run()
    wall = time.perf_counter() - start
    return {"calls_s": calls / wall, "cpu_us": (cpu() - start_cpu) * 1e6 / calls}


def start_server():
    server = subprocess.Popen([str(RELEASE / "bench-server"), "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    assert url.startswith("http://"), url
    return server, url


def best(rounds):
    return {"calls_s": max(r["calls_s"] for r in rounds), "cpu_us": min(r["cpu_us"] for r in rounds)}


def raw_sdk():
    """Raw aws-sdk-ivs rows from core_vs_sdk (sequential and 64 in flight)."""
    out = subprocess.run([str(RELEASE / "core_vs_sdk")], capture_output=True, text=True,
                         env={**os.environ, "BENCH_CALLS": str(max(CALLS, 5000))}, check=True).stdout
    # core_vs_sdk's table: measurement, raw/s, other/s, speed, raw µs, other µs, CPU ratio.
    names = {"sequential, on the runtime's worker": "sequential",
             "sequential, blocking from a thread": "block_on from a thread",
             "64 in flight, on the runtime": "64 in flight"}
    rows = {}
    for line in out.splitlines():
        for label, key in names.items():
            if line.startswith(label):
                cells = line[len(label):].split()
                rows[key] = {"calls_s": float(cells[0]), "cpu_us": float(cells[3])}
    return rows


def sequential(client, calls):
    get = client.get_channel
    for _ in range(200):
        get(arn=ARN)
    return measure(calls, lambda: [get(arn=ARN) for _ in range(calls)])


def threaded(client, calls):
    per = calls // IN_FLIGHT

    def work():
        get = client.get_channel
        for _ in range(per):
            get(arn=ARN)

    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        list(pool.map(lambda _: work(), range(IN_FLIGHT)))  # warm: threads and connections

        def run():
            futures = [pool.submit(work) for _ in range(IN_FLIGHT)]
            for f in futures:
                f.result()

        return measure(per * IN_FLIGHT, run)


async def concurrent_async(client, calls):
    per = calls // IN_FLIGHT

    async def work(n):
        for _ in range(n):
            await client.get_channel(arn=ARN)

    await asyncio.gather(*(work(5) for _ in range(IN_FLIGHT)))
    start_cpu, start = cpu(), time.perf_counter()
    await asyncio.gather(*(work(per) for _ in range(IN_FLIGHT)))
    wall = time.perf_counter() - start
    return {"calls_s": per * IN_FLIGHT / wall, "cpu_us": (cpu() - start_cpu) * 1e6 / (per * IN_FLIGHT)}


async def sequential_async(client, calls):
    for _ in range(100):
        await client.get_channel(arn=ARN)
    start_cpu, start = cpu(), time.perf_counter()
    for _ in range(calls):
        await client.get_channel(arn=ARN)
    wall = time.perf_counter() - start
    return {"calls_s": calls / wall, "cpu_us": (cpu() - start_cpu) * 1e6 / calls}


def first_call(code, runs=7):
    """Median wall time of a whole `python -c` (import, client, first call)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True,
                       env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"})
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def creation(setup, make, runs=200):
    """In a fresh interpreter after `setup` (the import): the first `make` (a client) and the
    median of `runs` more, in ms."""
    code = (f"import time, statistics\n{setup}\n"
            f"s = time.perf_counter(); c = {make}; first = time.perf_counter() - s\n"
            "ts = []\n"
            f"for _ in range({runs}):\n"
            f"    s = time.perf_counter(); c = {make}; ts.append(time.perf_counter() - s)\n"
            "print(first * 1e3, statistics.median(ts) * 1e3)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}).stdout
    first, median = out.split()
    return {"first": float(first), "median": float(median)}


def peak_rss(code):
    """VmHWM of a fresh interpreter (ru_maxrss would include this big parent's, kept over exec)."""
    probe = "\nprint([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])"
    out = subprocess.run([sys.executable, "-c", code + probe],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}).stdout
    return int(out.split()[-1]) / 1024


def main():
    import libivs
    import boto3
    import botocore.config
    import aioboto3

    # A wheel installed by pip has its bytecode compiled; so does boto3 in site-packages.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(pathlib.Path(libivs.__file__).parent)], check=True)
    server, url = start_server()
    results = {}
    try:
        ours = libivs.client("ivs", endpoint_url=url, **KW)
        theirs = boto3.client("ivs", endpoint_url=url, config=botocore.config.Config(max_pool_connections=IN_FLIGHT), **KW)
        rounds = {}

        def add(name, value):
            rounds.setdefault(name, []).append(value)

        async def async_round(aours, atheirs):
            add("libivs async seq", await sequential_async(aours, CALLS))
            add("libivs async 64", await concurrent_async(aours, CALLS))
            add("aioboto3 64", await concurrent_async(atheirs, max(CALLS // 5, IN_FLIGHT * 10)))

        async def async_rounds():
            aours = libivs.async_client("ivs", endpoint_url=url, **KW)
            session = aioboto3.Session()
            async with session.client("ivs", endpoint_url=url,
                                      config=botocore.config.Config(max_pool_connections=IN_FLIGHT), **KW) as atheirs:
                await async_round(aours, atheirs)

        for _ in range(ROUNDS):
            raw = raw_sdk()
            add("raw seq", raw["sequential"])
            add("raw thread", raw["block_on from a thread"])
            add("raw 64", raw["64 in flight"])
            add("libivs seq", sequential(ours, CALLS))
            add("boto3 seq", sequential(theirs, max(CALLS // 5, 500)))
            add("libivs threads", threaded(ours, CALLS))
            add("boto3 threads", threaded(theirs, max(CALLS // 5, IN_FLIGHT * 10)))
            asyncio.run(async_rounds())
        results.update({name: best(values) for name, values in rounds.items()})
        results["raw"] = {"sequential": results.pop("raw seq"), "64 in flight": results.pop("raw 64"),
                          "block_on from a thread": results.pop("raw thread")}

        kw = f"region_name='us-west-2', endpoint_url={url!r}, aws_access_key_id='test', aws_secret_access_key='test'"
        results["start pass"] = first_call("pass")
        results["start libivs"] = first_call(f"import libivs; libivs.client('ivs', {kw}).get_channel(arn={ARN!r})")
        results["start boto3"] = first_call(f"import boto3; boto3.client('ivs', {kw}).get_channel(arn={ARN!r})")
        results["create libivs"] = creation("import libivs", f"libivs.client('ivs', {kw})")
        results["create boto3"] = creation("import boto3", f"boto3.client('ivs', {kw})", runs=50)
        loop = f"\nfor _ in range(2000): c.get_channel(arn={ARN!r})"
        results["rss libivs"] = peak_rss(f"import libivs; c = libivs.client('ivs', {kw})" + loop)
        results["rss boto3"] = peak_rss(f"import boto3; c = boto3.client('ivs', {kw})" + loop)
    finally:
        server.terminate()
        server.wait()
    report(results)


def report(r):
    # A synchronous caller's baseline is aws-sdk-ivs driven by block_on from a plain thread (the
    # issue's "1-worker runtime" figure); the loop run on the worker itself is shown for reference.
    raw_worker, raw_64 = r["raw"]["sequential"], r["raw"]["64 in flight"]
    raw_seq = r["raw"]["block_on from a thread"]
    lines = [
        f"GetChannel against bench-server on loopback; {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"BENCH_CALLS={CALLS}, best of {ROUNDS} interleaved rounds.",
        "",
        "| measurement | calls/s | CPU µs/call |",
        "| --- | ---: | ---: |",
    ]
    for name, key in [("raw aws-sdk-ivs, sequential, block_on from a thread (1-worker runtime)", None),
                      ("raw aws-sdk-ivs, sequential, loop on the worker (reference)", "raw worker"),
                      ("libivs, sequential", "libivs seq"), ("boto3, sequential", "boto3 seq"),
                      ("libivs asyncio, sequential", "libivs async seq"),
                      ("raw aws-sdk-ivs, 64 in flight", "raw64"),
                      ("libivs, 64 threads", "libivs threads"), ("boto3, 64 threads", "boto3 threads"),
                      ("libivs asyncio, 64 in flight", "libivs async 64"), ("aioboto3, 64 in flight", "aioboto3 64")]:
        m = {None: raw_seq, "raw64": raw_64, "raw worker": raw_worker}.get(key) or r[key]
        lines.append(f"| {name} | {m['calls_s']:.0f} | {m['cpu_us']:.1f} |")
    seq, b_seq = r["libivs seq"], r["boto3 seq"]
    checks = [
        ("sequential ≥ 3.8× boto3", seq["calls_s"] / b_seq["calls_s"], 3.8, True),
        ("sequential ≥ 0.95× raw aws-sdk-ivs", seq["calls_s"] / raw_seq["calls_s"], 0.95, True),
        ("64 threads ≥ 10× boto3 threads", r["libivs threads"]["calls_s"] / r["boto3 threads"]["calls_s"], 10, True),
        ("asyncio 64 ≥ 6× aioboto3", r["libivs async 64"]["calls_s"] / r["aioboto3 64"]["calls_s"], 6, True),
        ("CPU/call ≤ 1.15× raw (sequential)", seq["cpu_us"] / raw_seq["cpu_us"], 1.15, False),
        ("first call ≤ 20 ms (ms)", r["start libivs"], 20, False),
        ("client creation ≤ 2 ms (first, ms)", r["create libivs"]["first"], 2, False),
        ("client creation ≤ 2 ms (median, ms)", r["create libivs"]["median"], 2, False),
        ("peak RSS ≤ 40 MB (MB)", r["rss libivs"], 40, False),
    ]
    lines += ["", "| target | measured | met |", "| --- | ---: | :---: |"]
    for name, value, bound, at_least in checks:
        met = value >= bound if at_least else value <= bound
        lines.append(f"| {name} | {value:.2f} | {'yes' if met else 'NO'} |")
    lines += ["", f"Whole `python -c` first call: libivs {r['start libivs']:.1f} ms, boto3 {r['start boto3']:.1f} ms, "
              f"bare `python -c pass` {r['start pass']:.1f} ms. Peak RSS after 2000 calls: libivs "
              f"{r['rss libivs']:.1f} MB, boto3 {r['rss boto3']:.1f} MB. Client creation in-process "
              f"(first / median of the next): libivs {r['create libivs']['first']:.2f} / "
              f"{r['create libivs']['median']:.3f} ms, boto3 {r['create boto3']['first']:.2f} / "
              f"{r['create boto3']['median']:.3f} ms."]
    text = "\n".join(lines) + "\n"
    print(text)
    (pathlib.Path(__file__).parent / "RESULTS.md").write_text("# Python benchmark (latest run)\n\n" + text)


if __name__ == "__main__":
    main()
