"""Reliability under faults, against the emulator over loopback: recover what can be
recovered, send creating calls once, lose no page, back off, time out, leak nothing."""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

import semaphore_async as sa
from semaphore_async import AsyncClient, HTTPRequest, HTTPResponse, Timeout
from semaphore_async._transport import AiohttpTransport
from semaphore_async.testing import Emulator, set_testing

PIPELINES = "/api/v1alpha/pipelines"
WORKFLOWS = "/api/v1alpha/plumber-workflows"


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(strict=True) as emulator:
        yield emulator


def served(emu: Emulator, method: str, prefix: str) -> int:
    return sum(1 for r in emu.requests if r.method == method and r.path.startswith(prefix))


TRANSIENT = [
    ("status-500", {"kind": "status", "status": 500, "body": '"Internal error"'}),
    ("status-502", {"kind": "status", "status": 502}),
    ("status-503", {"kind": "status", "status": 503, "body": "upstream connect error"}),
    ("status-504", {"kind": "status", "status": 504, "body": "upstream request timeout"}),
    ("status-408", {"kind": "status", "status": 408}),
    ("status-429-seconds", {"kind": "status", "status": 429, "headers": {"Retry-After": "1"}}),
    (
        "status-429-date",
        {
            "kind": "status",
            "status": 429,
            "headers": {"Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"},
        },
    ),
    ("html-502", {"kind": "html", "status": 502}),
    ("truncated-body", {"kind": "truncated"}),
    ("drop-before", {"kind": "drop_before"}),
    ("drop-after", {"kind": "drop_after"}),
]


@pytest.mark.parametrize(("name", "fault"), TRANSIENT, ids=[t[0] for t in TRANSIENT])
async def test_reads_recover_within_max_retries(
    emu: Emulator, name: str, fault: dict[str, Any]
) -> None:
    """Three faults in a row, then success: a read with max_retries=3 gets its answer."""
    ppl_id = next(iter(emu.state.pipelines))
    emu.inject(times=3, path_prefix=PIPELINES, **fault)
    async with emu.client(max_retries=3) as sem:
        described = await sem.pipelines.get(ppl_id)
    assert described.pipeline is not None and described.pipeline.ppl_id == ppl_id
    assert served(emu, "GET", PIPELINES) == 4


@pytest.mark.parametrize(("name", "fault"), TRANSIENT, ids=[t[0] for t in TRANSIENT])
async def test_reads_give_up_after_max_retries(
    emu: Emulator, name: str, fault: dict[str, Any]
) -> None:
    """One fault more than the retries allow: the right exception, naming the attempts."""
    emu.inject(times=3, path_prefix=PIPELINES, **fault)
    async with emu.client(max_retries=2) as sem:
        with pytest.raises((sa.APIError, sa.APIConnectionError)) as info:
            await sem.pipelines.get(next(iter(emu.state.pipelines)))
    error = info.value
    assert isinstance(error, (sa.APIError, sa.APIConnectionError))
    assert error.attempts == 3 and "gave up after 3 attempts" in str(error)
    if fault["kind"] in ("status", "html"):
        assert isinstance(error, sa.APIError) and error.status == fault["status"]
    else:
        assert isinstance(error, sa.APIConnectionError) and error.reached_server
    assert served(emu, "GET", PIPELINES) == 3


def planned_waits(caplog: pytest.LogCaptureFixture) -> list[float]:
    """The wait before each retry, as the client logged it."""
    pattern = re.compile(r"retry \d+ in ([0-9.]+) s$")
    found = (pattern.search(r.getMessage()) for r in caplog.records)
    return [float(m.group(1)) for m in found if m]


async def test_retry_after_is_honoured_on_the_wire(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The waits before retries are the server's Retry-After values (seconds and date)
    (planned as logged; the suite skips them with set_testing)."""
    emu.fail_next(429, headers={"Retry-After": "2"}, path_prefix=PIPELINES)
    emu.fail_next(
        503, headers={"Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"}, path_prefix=PIPELINES
    )
    with caplog.at_level(logging.DEBUG, logger="semaphore_async"):
        async with emu.client() as sem:
            await sem.pipelines.get(next(iter(emu.state.pipelines)))
    assert planned_waits(caplog) == [2.0, 0.0]


async def test_malformed_json_is_a_decode_error_not_retried(emu: Emulator) -> None:
    """A 200 whose body is not JSON is a server bug: DecodeError at once, with an excerpt."""
    emu.inject("malformed", path_prefix=PIPELINES)
    async with emu.client() as sem:
        with pytest.raises(sa.DecodeError, match="not valid JSON") as info:
            await sem.pipelines.get(next(iter(emu.state.pipelines)))
    assert 'body starts: \'{"pipeline": {' in str(info.value)  # the route's own, cut
    assert served(emu, "GET", PIPELINES) == 1


@pytest.mark.parametrize("kind", ["drop_after", "status", "truncated", "stall"])
async def test_creating_posts_are_sent_once(emu: Emulator, kind: str) -> None:
    """workflows.run and tasks.run_now (no idempotency token the server reads), failing
    after the server read the request, are not repeated: one request each and no
    duplicate created."""
    project = emu.project_ids[0]
    task_id = next(iter(emu.state.schedules))
    workflows_before = len(emu.state.workflows)
    for path in (WORKFLOWS, "/api/v1alpha/tasks"):
        emu.inject(kind, status=503, method="POST", path_prefix=path)
    async with emu.client(timeout=1.0) as sem:
        with pytest.raises((sa.APIError, sa.APIConnectionError)):
            await sem.workflows.run(project, "main")
        with pytest.raises((sa.APIError, sa.APIConnectionError)):
            await sem.tasks.run_now(task_id)
    await emu.drained()
    assert served(emu, "POST", WORKFLOWS) == 1
    assert served(emu, "POST", "/api/v1alpha/tasks") == 1
    # The server acted before the answer broke (the faults but status run the route).
    acted = kind != "status"
    assert len(emu.state.workflows) == workflows_before + (2 if acted else 0)


class StartsLate:
    """The real aiohttp transport, with the server started only before the third
    attempt: the first two are really refused (nothing listens on the port yet)."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.inner = AiohttpTransport()
        self.attempts = 0

    async def send(self, request: HTTPRequest, timeout: Timeout) -> HTTPResponse:
        self.attempts += 1
        if self.attempts == 3:
            await self.emulator.start()
        return await self.inner.send(request, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_creating_post_retried_when_connection_refused() -> None:
    """Refused connections provably sent nothing: workflows.run is retried until the
    server is up, and the workflow is created exactly once."""
    with socket.socket() as probe:  # a free port, with nothing listening yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    emulator = Emulator(strict=True, port=port)
    transport = StartsLate(emulator)
    try:
        async with AsyncClient(
            base_url=f"http://127.0.0.1:{port}", token=emulator.token, transport=transport
        ) as sem:
            project = next(iter(emulator.state.projects))
            before = len(emulator.state.workflows)
            run = await sem.workflows.run(project, "main")
        assert run.workflow_id in emulator.state.workflows
        assert len(emulator.state.workflows) == before + 1
        assert served(emulator, "POST", WORKFLOWS) == 1
        assert transport.attempts == 3
    finally:
        await emulator.close()


async def test_token_calls_retried_with_one_token_and_one_object(emu: Emulator) -> None:
    """rerun, promotions.trigger and deployment-target create/update/delete survive a
    drop after the server acted: retried with the same token, and exactly one object
    (one promotion) results."""
    project = emu.project_ids[0]
    wf_id = next(iter(emu.state.workflows))
    dt = "/api/v1alpha/deployment_targets"
    async with emu.client() as sem:
        workflows_before = len(emu.state.workflows)
        emu.inject("drop_after", method="POST", path_prefix=f"{WORKFLOWS}/{wf_id}/reschedule")
        rerun = await sem.workflows.rerun(wf_id)
        assert len(emu.state.workflows) == workflows_before + 1
        assert rerun.wf_id in emu.state.workflows

        emu.inject("drop_after", times=2, method="POST", path_prefix=dt)
        target = await sem.deployment_targets.create(project, "canary")
        assert sum(t.name == "canary" for t in emu.state.targets.values()) == 1
        assert target.id is not None
        emu.inject("drop_after", method="PATCH", path_prefix=dt)
        updated = await sem.deployment_targets.update(target.id, description="v2")
        assert updated.description == "v2"
        emu.inject("drop_after", method="DELETE", path_prefix=dt)
        await sem.deployment_targets.delete(target.id)
        assert target.id not in emu.state.targets

        ppl_id = next(iter(emu.state.promotions))
        promotions_before = len(emu.state.promotions[ppl_id])
        emu.inject("drop_after", method="POST", path_prefix="/api/v1alpha/promotions")
        await sem.promotions.trigger(ppl_id, "production")
        assert len(emu.state.promotions[ppl_id]) == promotions_before + 1

    def tokens(method: str, prefix: str, key: str) -> set[str]:
        found = set()
        for r in emu.requests:
            if r.method == method and r.path.startswith(prefix):
                found.add(
                    dict(r.query).get(key) or __import__("json").loads(r.body or b"{}").get(key)
                )
        return found

    assert len(tokens("POST", f"{WORKFLOWS}/{wf_id}/reschedule", "request_token")) == 1
    assert served(emu, "POST", f"{WORKFLOWS}/{wf_id}/reschedule") == 2
    assert len(tokens("POST", dt, "unique_token")) == 1 and served(emu, "POST", dt) == 3
    assert len(tokens("PATCH", dt, "unique_token")) == 1 and served(emu, "PATCH", dt) == 2
    assert len(tokens("DELETE", dt, "unique_token")) == 1 and served(emu, "DELETE", dt) == 2
    promotions = "/api/v1alpha/promotions"
    assert len(tokens("POST", promotions, "request_token")) == 1
    assert served(emu, "POST", promotions) == 2


async def test_long_walk_with_random_faults_loses_nothing() -> None:
    """25 pages with faults on random pages: every item exactly once, in order."""
    async with Emulator(strict=True, projects=1, workflows_per_project=75) as emu:
        emu.chaos(
            0.4,
            ("status", "truncated", "drop_before", "drop_after", "html"),
            seed=7,
            max_consecutive=2,
            path_prefix=WORKFLOWS,
        )
        project = emu.project_ids[0]
        async with emu.client(max_retries=3) as sem:
            got = [wf.wf_id async for wf in sem.workflows.list(project).with_prefetch(3)]
            # The same walk page by page, 3 a page: 25 pages.
            pages = [p async for p in sem.pipelines.list(project).with_prefetch(1).pages()]
        expected = sorted(emu.state.workflows.values(), key=lambda w: w.created_at, reverse=True)
        assert got == [w.wf_id for w in expected]
        assert sum(len(p.items) for p in pages) == 75
        assert emu.faults_injected >= 5


async def test_long_walk_of_small_pages_with_faults() -> None:
    """page_size=3 over 75 workflows (25 pages), faults on random pages."""
    async with Emulator(strict=True, projects=1, workflows_per_project=75) as emu:
        emu.chaos(0.3, ("status", "drop_before", "truncated"), seed=11, path_prefix=WORKFLOWS)
        project = emu.project_ids[0]
        async with emu.client(max_retries=3) as sem:
            from semaphore_async._pagination import LINK, AsyncPaginator
            from semaphore_async._query import PageRequest
            from semaphore_async.models import Workflow

            first = PageRequest(WORKFLOWS, (("project_id", project), ("page_size", "3")))
            paginator = AsyncPaginator(sem._core, first, LINK, Workflow, prefetch=4)
            ids = [wf.wf_id async for wf in paginator]
        assert len(ids) == len(set(ids)) == 75
        pages = {dict(r.query).get("page", "1") for r in emu.requests if r.path == WORKFLOWS}
        assert len(pages) == 25
        assert emu.faults_injected >= 5


async def test_rate_limit_storm_during_get_many(caplog: pytest.LogCaptureFixture) -> None:
    """get_many(concurrency=50) over 500 ids against a 200-a-window limiter: every result
    right and in order, and every retry after a 429 waited out the server's Retry-After."""
    async with Emulator(strict=True, projects=1, workflows_per_project=500) as emu:
        ids = list(emu.state.pipelines)[:500]
        emu.rate_limit(100, window=0.2)
        set_testing(False)  # the waits are real here: the limiter's window must pass
        with caplog.at_level(logging.DEBUG, logger="semaphore_async"):
            async with emu.client(max_retries=8) as sem:
                results = await sem.pipelines.get_many(ids, concurrency=50)
        waits = planned_waits(caplog)
        assert [r.pipeline.ppl_id for r in results] == ids
        limited = [r for r in emu.requests if r.status == 429]
        assert emu.rate_limited == len(limited) > 0  # there was a storm
        # Each 429 led to one wait of the server's Retry-After (the time left in its
        # window, so it can be ~0 near the window's end) before the retry.
        assert len(waits) == len(limited)
        assert all(0 <= w <= 0.2 for w in waits) and sum(waits) > 0
        # Backing off: far fewer rejections than requests, not a retry storm.
        assert len(limited) < len(ids)


async def test_stalled_response_times_out(emu: Emulator) -> None:
    """Headers then silence: APITimeoutError after each attempt's timeout."""
    emu.inject("stall", times=2, path_prefix=PIPELINES)
    async with emu.client(timeout=0.3, max_retries=1) as sem:
        with pytest.raises(sa.APITimeoutError) as info:
            await sem.pipelines.get(next(iter(emu.state.pipelines)))
    await emu.drained()
    assert info.value.attempts == 2
    assert served(emu, "GET", PIPELINES) == 2


async def test_sock_read_alone_is_a_timeout(emu: Emulator) -> None:
    """timeout=aiohttp.ClientTimeout(sock_read=...) with no total still gives up on a
    stalled answer: the limit is carried, not dropped."""
    emu.inject("stall", times=1, path_prefix=PIPELINES)
    started = asyncio.get_running_loop().time()
    async with emu.client(timeout=aiohttp.ClientTimeout(sock_read=0.3), max_retries=0) as sem:
        with pytest.raises(sa.APITimeoutError) as info:
            await sem.pipelines.get(next(iter(emu.state.pipelines)))
    waited = asyncio.get_running_loop().time() - started
    await emu.drained()
    assert info.value.attempts == 1
    assert 0.3 <= waited < 10  # the stall lasts until the emulator closes: it was cut short


async def test_malformed_body_keeps_the_route_s_own_shape(emu: Emulator) -> None:
    """The malformed fault spoils the body the route would send: on /projects, a JSON
    list of projects cut off, not some other route's body."""
    emu.inject("malformed", path_prefix="/api/v1alpha/projects")
    async with emu.client(max_retries=0) as sem:
        with pytest.raises(sa.DecodeError) as info:
            await sem.projects.list().collect()
    body = info.value.body
    assert body.startswith('[{"apiVersion": "v1alpha", "kind": "Project", "metadata"'), body[:80]
    assert '"name": "project-1"' in body and "ppl_id" not in body


async def test_cancelled_bulk_call_leaves_pool_usable(emu: Emulator) -> None:
    """Cancel get_many while answers stall; the next calls on the same client work."""
    emu.inject("stall", times=None, path_prefix=PIPELINES)
    ids = list(emu.state.pipelines)[:40]
    async with emu.client(timeout=30) as sem:
        task = asyncio.ensure_future(sem.pipelines.get_many(ids, concurrency=10))
        while emu.control.in_flight < 10:  # noqa: ASYNC110 - polls the emulator's counter
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        emu.clear_faults()
        again = await sem.pipelines.get_many(ids[:20], concurrency=10)
        assert len(again) == 20


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads RSS from /proc")
async def test_soak_twenty_thousand_requests() -> None:
    """20,000 requests mixing faults: all answered, no connection, task or memory left."""
    async with Emulator(strict=True, projects=1, workflows_per_project=50) as emu:
        emu.control.record_requests = False  # the emulator must not grow either
        emu.chaos(0.05, ("status", "drop_before", "truncated", "html"), seed=3, max_consecutive=2)
        ids = list(emu.state.pipelines)
        async with emu.client(max_retries=3, concurrency=50) as sem:
            batch = [ids[i % len(ids)] for i in range(2_000)]
            await sem.pipelines.get_many(batch)  # warm-up: pools, caches, converters
            gc.collect()
            rss_before = _rss_bytes()
            for _ in range(9):
                results = await sem.pipelines.get_many(batch)
                assert len(results) == 2_000
            gc.collect()
            rss_after = _rss_bytes()
            connector: Any = sem._core.transport._session.connector  # type: ignore[attr-defined]
            assert len(connector._acquired) == 0  # every connection back in the pool
        assert emu.control.served >= 20_000
        assert emu.control.in_flight == 0
        assert emu.faults_injected > 500
    # With the client and the emulator closed, nothing is left running in the loop.
    leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftover == []
    assert rss_after - rss_before < 16 * 1024 * 1024
