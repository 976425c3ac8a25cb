"""``nox -s bench``: semaphore_async side by side with raw aiohttp (and httpx), as ratios.

A canned-response server runs in a separate process on loopback (``benchmarks/server.py``)
so the client's CPU is measured alone. Each scenario runs interleaved with its
references (A B A B ...), and the table reports medians and ratios; ``--json PATH`` also
writes them as JSON. No benchmark is a test: the goals are printed, not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import timeit
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import anyio.from_thread
import httpx

from semaphore_async import AsyncClient, Client
from semaphore_async._converter import Converters, make_converter, structure
from semaphore_async.models import PipelineDescription

HERE = Path(__file__).parent
TOKEN = "bench-token"
HEADERS = {
    "Authorization": f"Token {TOKEN}",
    "User-Agent": "SemaphoreCI v2.0 Client bench",
    "Accept": "application/json",
}


@dataclass
class Result:
    scenario: str
    figures: dict[str, float]
    ratio_name: str
    ratio: float
    goal: str
    met: bool
    notes: dict[str, Any] = field(default_factory=dict)


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def machine(stdlib_json: bool = False) -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, aiohttp {aiohttp.__version__}, "
        f"httpx {httpx.__version__}, SDK parses with "
        f"{'json' if stdlib_json or not _has_orjson() else 'orjson'}"
    )


def _cpu_jiffies() -> tuple[int, int] | None:
    """(all, stolen) CPU time of the machine so far, from /proc/stat (Linux only). Steal
    is time the hypervisor gave this VM's CPUs to someone else: on a shared VM it is what
    makes one run noisier than the next, so every scenario reports its share."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    values = [int(v) for v in fields]
    return sum(values[:8]), values[7] if len(values) > 7 else 0


def with_steal(run: Callable[[], Result]) -> Result:
    """Run one scenario and add the machine's CPU steal during it to its notes."""
    before = _cpu_jiffies()
    result = run()
    after = _cpu_jiffies()
    if before is not None and after is not None and after[0] > before[0]:
        stolen, total = after[1] - before[1], after[0] - before[0]
        result.notes["CPU steal %"] = round(100 * stolen / total, 1)
    return result


def _has_orjson() -> bool:
    try:
        import orjson  # noqa: F401
    except ImportError:
        return False
    return True


async def timed(run: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await run()
    return time.perf_counter() - start


# --- scenarios -----------------------------------------------------------------------------


async def describe_overhead(origin: str, rounds: int, n: int) -> Result:
    url = f"{origin}/api/v1alpha/pipelines/p1"
    async with (
        AsyncClient(base_url=origin, token=TOKEN) as sem,
        aiohttp.ClientSession() as raw,
        httpx.AsyncClient() as hx,
    ):

        async def sdk() -> None:
            for _ in range(n):
                await sem.pipelines.get("p1", detailed=True)

        async def aio() -> None:
            for _ in range(n):
                async with raw.get(url, params={"detailed": "true"}, headers=HEADERS) as r:
                    await r.json()

        async def hxr() -> None:
            for _ in range(n):
                r = await hx.get(url, params={"detailed": "true"}, headers=HEADERS)
                json.loads(r.content)

        for warm in (sdk, aio, hxr):
            await warm()
        times: dict[str, list[float]] = {"sdk": [], "aiohttp": [], "httpx": []}
        for _ in range(rounds):
            for name, run in (("sdk", sdk), ("aiohttp", aio), ("httpx", hxr)):
                times[name].append(await timed(run))
    rps = {k: n / statistics.median(v) for k, v in times.items()}
    ratio = rps["sdk"] / rps["aiohttp"]
    return Result(
        "describe overhead",
        {f"{k} req/s": round(v) for k, v in rps.items()},
        "SDK / raw aiohttp throughput",
        ratio,
        ">= 0.85 (aim 0.9), and ahead of httpx",
        ratio >= 0.85 and rps["sdk"] > rps["httpx"],
        {"sdk / httpx": round(rps["sdk"] / rps["httpx"], 2)},
    )


async def bulk_fetch(origin: str, stats: str, rounds: int) -> Result:
    ids = [f"p{i}" for i in range(1000)]
    ideal = 1000 * 0.020 / 50
    async with (
        AsyncClient(base_url=origin, token=TOKEN) as sem,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as raw,
    ):

        async def sdk() -> None:
            await sem.pipelines.get_many(ids, detailed=True, concurrency=50)

        async def sdk_json() -> None:
            # The SDK's request path without models: what the SDK costs beside raw
            # aiohttp, apart from building typed models (which raw aiohttp never does).
            gate = asyncio.Semaphore(50)

            async def one(pid: str) -> Any:
                async with gate:
                    return await sem.request(
                        "GET", f"/api/v1alpha/pipelines/{pid}", params={"detailed": "true"}
                    )

            await asyncio.gather(*(one(i) for i in ids))

        async def aio() -> None:
            gate = asyncio.Semaphore(50)

            async def one(pid: str) -> Any:
                async with (
                    gate,
                    raw.get(
                        f"{origin}/api/v1alpha/pipelines/{pid}",
                        params={"detailed": "true"},
                        headers=HEADERS,
                    ) as r,
                ):
                    return await r.json()

            await asyncio.gather(*(one(i) for i in ids))

        await sdk()
        await sdk_json()
        await aio()
        times: dict[str, list[float]] = {"sdk": [], "sdk_json": [], "aiohttp": []}
        in_flight = 0
        for _ in range(rounds):
            async with raw.delete(stats) as r:
                await r.read()
            times["sdk"].append(await timed(sdk))
            async with raw.get(stats) as r:
                in_flight = max(in_flight, (await r.json())["max_in_flight"])
            times["sdk_json"].append(await timed(sdk_json))
            times["aiohttp"].append(await timed(aio))
    sdk_t, raw_t = statistics.median(times["sdk"]), statistics.median(times["aiohttp"])
    json_t = statistics.median(times["sdk_json"])
    return Result(
        "bulk fetch",
        {"sdk s": round(sdk_t, 3), "aiohttp s": round(raw_t, 3), "ideal s": ideal},
        "SDK wall / ideal",
        sdk_t / ideal,
        "<= 1.25, <= 50 in flight, no slower than raw (2% allowed for noise)",
        sdk_t / ideal <= 1.25 and in_flight <= 50 and sdk_t <= raw_t * 1.02,
        {
            "aiohttp / ideal": round(raw_t / ideal, 3),
            "sdk / aiohttp": round(sdk_t / raw_t, 3),
            "sdk without models s": round(json_t, 3),
            "sdk without models / aiohttp": round(json_t / raw_t, 3),
            "max in flight (SDK)": in_flight,
        },
    )


async def pagination_prefetch(origin: str, rounds: int) -> Result:
    async with AsyncClient(base_url=origin, token=TOKEN) as sem:

        async def fetch_alone() -> None:
            async for _ in sem.workflows.list("p").with_prefetch(1).pages():
                pass

        async def consume_alone() -> None:
            for _ in range(100):
                await asyncio.sleep(0.010)

        async def both() -> None:
            async for _ in sem.workflows.list("p").pages():
                await asyncio.sleep(0.010)

        async def one_ahead() -> None:
            async for _ in sem.workflows.list("p").with_prefetch(1).pages():
                await asyncio.sleep(0.010)

        await fetch_alone()
        times: dict[str, list[float]] = {"fetch": [], "consume": [], "both": [], "one ahead": []}
        for _ in range(rounds):
            for name, run in (
                ("fetch", fetch_alone),
                ("consume", consume_alone),
                ("both", both),
                ("one ahead", one_ahead),
            ):
                times[name].append(await timed(run))
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["both"] / (med["fetch"] + med["consume"])
    return Result(
        "pagination prefetch",
        {f"{k} s": round(v, 3) for k, v in med.items()},
        "both / (fetch + consume)",
        ratio,
        "<= 0.65 (one-page-ahead makes ~0.5 possible)",
        ratio <= 0.65,
        {
            "one ahead / (fetch + consume)": round(
                med["one ahead"] / (med["fetch"] + med["consume"]), 3
            )
        },
    )


def blocking_facade(origin: str, rounds: int, n: int) -> Result:
    """Per call: the blocking Client against the AsyncClient it wraps, beside raw aiohttp
    alone, through a plain anyio portal, and through ``run_coroutine_threadsafe`` on a
    loop thread. The goal (issue 12): the Client's cost over the AsyncClient stays within
    what one ``run_coroutine_threadsafe`` round trip adds to raw aiohttp."""
    url = f"{origin}/api/v1alpha/pipelines/p1"
    results: dict[str, list[float]] = {
        "Client": [],
        "AsyncClient": [],
        "raw aiohttp": [],
        "raw via portal": [],
        "raw via run_coroutine_threadsafe": [],
    }

    async def async_round() -> tuple[float, float]:
        async with AsyncClient(base_url=origin, token=TOKEN) as sem, aiohttp.ClientSession() as raw:
            for _ in range(50):
                await sem.pipelines.get("p1", detailed=True)
            start = time.perf_counter()
            for _ in range(n):
                await sem.pipelines.get("p1", detailed=True)
            sdk = time.perf_counter() - start
            start = time.perf_counter()
            for _ in range(n):
                async with raw.get(url, params={"detailed": "true"}, headers=HEADERS) as r:
                    await r.json()
            return sdk, time.perf_counter() - start

    loop = asyncio.new_event_loop()
    loop_thread = threading.Thread(target=loop.run_forever, daemon=True)
    loop_thread.start()
    try:
        with (
            Client(base_url=origin, token=TOKEN) as client,
            anyio.from_thread.start_blocking_portal() as portal,
        ):
            session: aiohttp.ClientSession = portal.call(_make_session)
            threaded = asyncio.run_coroutine_threadsafe(_make_session(), loop).result()

            async def raw_get() -> Any:
                async with session.get(url, params={"detailed": "true"}, headers=HEADERS) as r:
                    return await r.json()

            async def threaded_get() -> Any:
                async with threaded.get(url, params={"detailed": "true"}, headers=HEADERS) as r:
                    return await r.json()

            for _ in range(50):
                client.pipelines.get("p1", detailed=True)
                portal.call(raw_get)
                asyncio.run_coroutine_threadsafe(threaded_get(), loop).result()
            for _ in range(rounds):
                start = time.perf_counter()
                for _ in range(n):
                    client.pipelines.get("p1", detailed=True)
                results["Client"].append(time.perf_counter() - start)
                sdk, raw = asyncio.run(async_round())
                results["AsyncClient"].append(sdk)
                results["raw aiohttp"].append(raw)
                start = time.perf_counter()
                for _ in range(n):
                    portal.call(raw_get)
                results["raw via portal"].append(time.perf_counter() - start)
                start = time.perf_counter()
                for _ in range(n):
                    asyncio.run_coroutine_threadsafe(threaded_get(), loop).result()
                results["raw via run_coroutine_threadsafe"].append(time.perf_counter() - start)
            portal.call(session.close)
            asyncio.run_coroutine_threadsafe(threaded.close(), loop).result()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        loop_thread.join()
        loop.close()
    per_call = {k: statistics.median(v) / n * 1e6 for k, v in results.items()}
    ratio = per_call["Client"] / per_call["AsyncClient"]
    hop = per_call["raw via run_coroutine_threadsafe"] - per_call["raw aiohttp"]
    ours = per_call["Client"] - per_call["AsyncClient"]
    return Result(
        "blocking facade",
        {f"{k} us/call": round(v, 1) for k, v in per_call.items()},
        "Client / AsyncClient per call",
        ratio,
        "Client's extra cost <= one run_coroutine_threadsafe round trip's",
        ours <= hop * 1.05,  # 5% for noise
        {
            "Client - AsyncClient us": round(ours, 1),
            "run_coroutine_threadsafe - raw us": round(hop, 1),
            "raw via portal / raw": round(per_call["raw via portal"] / per_call["raw aiohttp"], 3),
        },
    )


async def _make_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()


def probe(module: str, *args: str) -> tuple[float, dict[str, Any]]:
    """Run a memory probe in a fresh process: its peak RSS growth in MB, and its report."""
    out = subprocess.run(  # noqa: S603 - our interpreter and probe
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
    )
    report: dict[str, Any] = json.loads(out.stdout)
    return round((report["peak"] - report["before"]) / 2**20, 1), report


def memory(origin: str) -> Result:
    figures = {}
    for mode in ("drop", "keep"):
        growth, report = probe("memory_probe", origin, mode)
        assert report["items"] == 30000, report
        figures[f"{mode} MB"] = growth
    return Result(
        "memory (30,000 workflows)",
        figures,
        "peak RSS growth, not keeping (MB)",
        figures["drop MB"],
        "< 10 MB (keeping all of them costs ~26 MB)",
        figures["drop MB"] < 10,
    )


def job_log(origin: str, rounds: int) -> Result:
    """The 100,000-event log read four ways, interleaved: the SDK's ``log_events`` and
    ``plain_log`` beside raw aiohttp decoding with orjson and with json. Every consumer
    reads each event's kind and output, as a triage tool does. Then each way's peak RSS
    growth, each in a fresh process."""
    med = asyncio.run(_job_log_times(origin, rounds))
    memory = {
        way: probe("log_probe", origin, way)[0]
        for way in ("sdk", "plain_log", "raw+orjson", "raw+json")
    }
    events_ratio = med["log_events"] / med["raw+orjson"]
    plain_ratio = med["plain_log"] / med["raw+orjson"]
    return Result(
        "job log (100,000 events, 7.1 MB)",
        {
            **{f"{k} s": round(v, 4) for k, v in med.items()},
            **{f"{k} Mevents/s": round(100_000 / v / 1e6, 2) for k, v in med.items()},
        },
        "log_events / raw aiohttp + orjson",
        events_ratio,
        "log_events <= 1.5, plain_log <= 1.3, streaming memory no more than raw's",
        events_ratio <= 1.5 and plain_ratio <= 1.3 and memory["sdk"] <= memory["raw+orjson"],
        {
            "plain_log / raw+orjson": round(plain_ratio, 3),
            "log_events / raw+json": round(med["log_events"] / med["raw+json"], 3),
            **{f"peak RSS growth {k} MB": v for k, v in memory.items()},
        },
    )


async def _job_log_times(origin: str, rounds: int) -> dict[str, float]:
    url = f"{origin}/api/v1alpha/logs/big"
    import orjson

    async with AsyncClient(base_url=origin, token=TOKEN) as sem, aiohttp.ClientSession() as raw:

        async def events() -> None:
            n = 0
            async for event in sem.jobs.log_events("big"):
                if event.event == "cmd_output" and event.output is not None:
                    n += len(event.output)

        async def plain() -> None:
            await sem.jobs.plain_log("big")

        def raw_with(loads: Callable[[bytes], Any]) -> Callable[[], Awaitable[None]]:
            async def read() -> None:
                async with raw.get(url, headers=HEADERS) as r:
                    body = await r.read()
                n = 0
                for event in loads(body)["events"]:
                    if event["event"] == "cmd_output":
                        n += len(event["output"])

            return read

        runs = {
            "log_events": events,
            "plain_log": plain,
            "raw+orjson": raw_with(orjson.loads),
            "raw+json": raw_with(json.loads),
        }
        for run in runs.values():
            await run()
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, run in runs.items():
                times[name].append(await timed(run))
    return {k: statistics.median(v) for k, v in times.items()}


async def bulk_logs(origin: str, rounds: int) -> Result:
    """``plain_logs`` of 200 jobs (2,000 events each) at 20 ms latency, 20 at a time,
    beside the hand-written equivalent: a semaphore, gather, orjson and a join."""
    import orjson

    ids = [f"job-{i}" for i in range(200)]
    async with (
        AsyncClient(base_url=origin, token=TOKEN) as sem,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as raw,
    ):

        async def sdk() -> None:
            await sem.jobs.plain_logs(ids, concurrency=20)

        async def gathered() -> None:
            gate = asyncio.Semaphore(20)

            async def one(job_id: str) -> str:
                async with (
                    gate,
                    raw.get(f"{origin}/api/v1alpha/logs/{job_id}", headers=HEADERS) as r,
                ):
                    events = orjson.loads(await r.read())["events"]
                parts = []
                for e in events:
                    if e["event"] == "cmd_output":
                        parts.append(e["output"])
                    elif e["event"] == "cmd_started":
                        parts.append(e["directive"] + "\n")
                return "".join(parts)

            await asyncio.gather(*(one(i) for i in ids))

        await sdk()
        await gathered()
        times: dict[str, list[float]] = {"sdk": [], "gather": []}
        for _ in range(rounds):
            times["sdk"].append(await timed(sdk))
            times["gather"].append(await timed(gathered))
    sdk_t, raw_t = statistics.median(times["sdk"]), statistics.median(times["gather"])
    return Result(
        "bulk logs (200 x 2,000 events)",
        {"plain_logs s": round(sdk_t, 3), "hand-written gather s": round(raw_t, 3)},
        "plain_logs / hand-written gather",
        sdk_t / raw_t,
        "<= 1.02 (no slower; 2% allowed for noise)",
        sdk_t <= raw_t * 1.02,
    )


def conversion(n: int) -> Result:
    """Structuring the detailed pipeline body as the SDK does it (cattrs' generated
    functions with the SDK's hooks), beside the detailed error pass (cattrs' detailed
    validation, which the SDK runs only to name the fields of a body that does not fit)."""
    body = (HERE / "data" / "pipeline_describe_detailed.json").read_bytes()
    converters = Converters()
    detailed = make_converter(detailed_validation=True)

    def per_body(run: Callable[[], object]) -> float:
        return min(timeit.repeat(run, number=n, repeat=5)) / n * 1e6

    loads = per_body(lambda: json.loads(body))
    lean = per_body(lambda: converters.structure(json.loads(body), PipelineDescription))
    cattrs_own = per_body(lambda: structure(detailed, json.loads(body), PipelineDescription))
    figures = {
        "json.loads us": round(loads, 1),
        "loads + structure us": round(lean, 1),
        "loads + detailed error pass us": round(cattrs_own, 1),
    }
    try:
        import orjson

        figures["orjson.loads us"] = round(per_body(lambda: orjson.loads(body)), 1)
    except ImportError:
        pass
    return Result(
        "conversion (detailed pipeline)",
        figures,
        "(loads + structure) / json.loads",
        lean / loads,
        "reported (µs per body)",
        True,
    )


# --- harness -------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    lines = ["| scenario | figures | ratio | value | goal | met |", "|---|---|---|---|---|---|"]
    for r in results:
        figures = ", ".join(f"{k} {v}" for k, v in {**r.figures, **r.notes}.items())
        met = "yes" if r.met else "NO"
        lines.append(
            f"| {r.scenario} | {figures} | {r.ratio_name} | {r.ratio:.3f} | {r.goal} | {met} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    parser.add_argument(
        "--stdlib-json", action="store_true", help="make the SDK parse with json, not orjson"
    )
    args = parser.parse_args()
    if args.stdlib_json:
        import semaphore_async._core as core

        core._loads = json.loads  # what an install without the speedups extra runs
    rounds = 3 if args.quick else 5
    ports = free_ports(3)
    server = subprocess.Popen(  # noqa: S603 - our interpreter and server module
        [sys.executable, "-m", "benchmarks.server", *map(str, ports)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE.parent,
    )
    try:
        assert server.stdout is not None
        if server.stdout.readline().strip() != "ready":
            raise SystemExit("the benchmark server did not start")
        o0, o10, o20 = (f"http://127.0.0.1:{p}" for p in ports)
        started = time.perf_counter()
        scenarios: list[Callable[[], Result]] = [
            lambda: asyncio.run(describe_overhead(o0, rounds, 300 if args.quick else 1000)),
            lambda: asyncio.run(bulk_fetch(o20, f"{o20}/stats", 3 if args.quick else 7)),
            lambda: asyncio.run(pagination_prefetch(o10, 3)),
            lambda: blocking_facade(o0, rounds, 300 if args.quick else 1000),
            lambda: memory(o0),
            lambda: job_log(o0, 5 if args.quick else 9),
            lambda: asyncio.run(bulk_logs(o20, 3 if args.quick else 7)),
            lambda: conversion(2_000 if args.quick else 10_000),
        ]
        results = [with_steal(run) for run in scenarios]
        elapsed = time.perf_counter() - started
    finally:
        server.kill()
        server.wait()
    print(f"Machine: {machine(args.stdlib_json)}")
    print(f"Run: {time.strftime('%Y-%m-%d %H:%M:%S')} in {elapsed:.0f} s\n")
    print(table(results))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": machine(args.stdlib_json), "results": [asdict(r) for r in results]},
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
