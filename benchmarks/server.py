"""The canned-response server the benchmarks run against, in its own process.

``python -m benchmarks.server PORT0 PORT10 PORT20`` serves the same app on three ports
with 0, 10 and 20 ms of latency, prints ``ready`` and serves until killed. Responses are
built once at start: the reference's detailed pipeline body, pages of 30 workflows
with ``link`` headers as the real server writes them, and job logs of the agent's
event shapes (``/api/v1alpha/logs/big``: 100,000 events; any other id: 2,000).
``GET /stats`` reports (and ``DELETE /stats`` resets) the highest number of requests in
flight.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

DATA = Path(__file__).parent / "data"
TOKEN = "bench-token"
PAGE_SIZE = 30


def _workflow(i: int) -> dict[str, Any]:
    return {
        "wf_id": f"{i:08d}-6589-493d-97cd-22f46681c893",
        "requester_id": "d32141ca-1552-4370-b0d4-4030aa9cf524",
        "project_id": "adaede30-9de5-471f-9f95-b7d437170f10",
        "initial_ppl_id": "f86b3b5e-c3de-4f77-849f-39e080374ce4",
        "hook_id": "6d7ed9d3-3047-4d5e-9b27-f0b68b228409",
        "created_at": {"seconds": 1571063401 + i, "nanos": 559492000},
        "commit_sha": "6fe03f118b7aa7b8ea1a983c3faee4f8b54213a5",
        "branch_name": "master",
        "branch_id": "e8a4ad3b-4951-4520-aed7-6292ebd70076",
        "triggered_by": 0,
    }


def log_events(count: int) -> list[dict[str, Any]]:
    """A job log of the agent's event shapes: steps of ``cmd_started``, 48 ``cmd_output``
    lines and ``cmd_finished``, between ``job_started`` and ``job_finished``."""
    events: list[dict[str, Any]] = [{"event": "job_started", "timestamp": 1700000000}]
    now = 1700000000
    while len(events) < count - 1:
        step = len(events) // 50
        directive = f"make test-{step}"
        events.append({"event": "cmd_started", "timestamp": now, "directive": directive})
        for line in range(48):
            events.append(
                {"event": "cmd_output", "timestamp": now, "output": f"ok {step}.{line}\n"}
            )
            now += line % 16 == 0
        events.append(
            {
                "event": "cmd_finished",
                "timestamp": now,
                "directive": directive,
                "exit_code": 0,
                "started_at": now - 3,
                "finished_at": now,
            }
        )
    events = events[: count - 1]
    events.append({"event": "job_finished", "timestamp": now, "result": "passed"})
    return events


def log_body(count: int) -> bytes:
    # String-built as plumber-public's logs/get.ex does, from the agent's compact events.
    parts = (json.dumps(e, separators=(",", ":")) for e in log_events(count))
    return ('{ "events": [' + ",".join(parts) + "] }").encode()


BIG_LOG = 100_000  # events of GET /api/v1alpha/logs/big (about 7 MB)
SMALL_LOG = 2_000  # events of every other job's log, for the bulk scenario


class State:
    def __init__(self) -> None:
        self.in_flight = 0
        self.max_in_flight = 0


def make_app(latency: float, state: State) -> web.Application:
    pipeline = (DATA / "pipeline_describe_detailed.json").read_bytes()
    big_log, small_log = log_body(BIG_LOG), log_body(SMALL_LOG)
    pages: dict[int, bytes] = {}

    @web.middleware
    async def middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        state.in_flight += 1
        state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            if latency:
                await asyncio.sleep(latency)
            response: web.StreamResponse = await handler(request)
            return response
        finally:
            state.in_flight -= 1

    async def describe(request: web.Request) -> web.Response:
        return web.Response(body=pipeline, content_type="application/json")

    async def workflows(request: web.Request) -> web.Response:
        total = int(request.query.get("total", "3000"))
        page = int(request.query.get("page", "1"))
        pages_count = -(-total // PAGE_SIZE)
        body = pages.get(page)
        if body is None:
            start = (page - 1) * PAGE_SIZE
            items = [_workflow(i) for i in range(start, min(start + PAGE_SIZE, total))]
            body = json.dumps(items).encode()
            if total == 3000:
                pages[page] = body
        origin = f"http://{request.host}"

        def url(n: int) -> str:
            return f"{origin}/api/v1alpha/plumber-workflows?page={n}&project_id=p&total={total}"

        links = [f'<{url(page + 1)}>; rel="next"'] if page < pages_count else []
        links += [f'<{url(1)}>; rel="first"', f'<{url(pages_count)}>; rel="last"']
        headers = {
            "link": ", ".join(links),
            "total": str(total),
            "per-page": str(PAGE_SIZE),
            "total-pages": str(pages_count),
            "page-number": str(page),
        }
        return web.Response(body=body, content_type="application/json", headers=headers)

    async def logs(request: web.Request) -> web.Response:
        body = big_log if request.match_info["id"] == "big" else small_log
        return web.Response(body=body, content_type="application/json", charset="utf-8")

    async def stats(request: web.Request) -> web.Response:
        if request.method == "DELETE":
            state.max_in_flight = 0
        return web.json_response({"max_in_flight": state.max_in_flight})

    app = web.Application(middlewares=[middleware])
    app.router.add_get("/api/v1alpha/pipelines/{id}", describe)
    app.router.add_get("/api/v1alpha/plumber-workflows", workflows)
    app.router.add_get("/api/v1alpha/logs/{id}", logs)
    app.router.add_route("*", "/stats", stats)
    return app


async def serve(ports: list[int]) -> None:
    runners = []
    for port, latency in zip(ports, (0.0, 0.010, 0.020), strict=True):
        runner = web.AppRunner(make_app(latency, State()), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
        runners.append(runner)
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve([int(p) for p in sys.argv[1:4]]))
