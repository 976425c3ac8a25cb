"""Peak RSS growth of reading the 100,000-event log once, one way, in a fresh process
(run by the harness, so that the peak belongs to this measurement alone)."""

from __future__ import annotations

import asyncio
import json
import sys

import aiohttp
import orjson

from benchmarks.memory_probe import peak_rss_bytes
from semaphore_async import AsyncClient

HEADERS = {"Authorization": "Token bench-token", "Accept": "application/json"}


async def run(origin: str, way: str) -> dict[str, int]:
    url = f"{origin}/api/v1alpha/logs/big"
    async with (
        AsyncClient(base_url=origin, token="bench-token") as sem,
        aiohttp.ClientSession() as raw,
    ):
        await sem.jobs.plain_log("small")  # imports, pool, decoder: paid before the baseline
        async with raw.get(f"{origin}/api/v1alpha/logs/small", headers=HEADERS) as r:
            orjson.loads(await r.read())
        before = peak_rss_bytes()
        count = 0
        if way == "sdk":
            async for event in sem.jobs.log_events("big"):
                count += event.output is not None
        elif way == "plain_log":
            count = (await sem.jobs.plain_log("big")).count("\n")
        else:
            loads = orjson.loads if way == "raw+orjson" else json.loads
            async with raw.get(url, headers=HEADERS) as r:
                body = await r.read()
            for event in loads(body)["events"]:
                count += event.get("output") is not None
        return {"before": before, "peak": peak_rss_bytes(), "count": count}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(sys.argv[1], sys.argv[2]))))
