"""The paginator and bulk helpers over real HTTP: every page, bounded, ordered, cancellable."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

import semaphore_async as sa
from semaphore_async import AsyncClient
from semaphore_async.testing import Emulator

WF_PATH = "/api/v1alpha/plumber-workflows"


@pytest_asyncio.fixture
async def rebased() -> AsyncIterator[Emulator]:
    """An emulator whose link headers point at another origin, as production's do."""
    async with Emulator(
        strict=True, link_base="http://internal.semaphore.invalid:4004"
    ) as emulator:
        yield emulator


def list_requests(emulator: Emulator, path: str = WF_PATH) -> list[dict[str, str]]:
    return [dict(r.query) for r in emulator.requests if r.path == path and r.method == "GET"]


def fetch_tasks() -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if "_fetch" in repr(t.get_coro())]


async def test_every_workflow_once_across_pages(rebased: Emulator) -> None:
    """75 workflows in 3 pages of 30: all of them, newest first, no duplicates, and every
    next link re-based on the client's own origin (its http:// host is never contacted)."""
    project = rebased.project_ids[0]
    async with rebased.client() as sem:
        wfs = await sem.workflows.list(project).collect()
    expected = sorted(
        (w for w in rebased.state.workflows.values() if w.project_id == project),
        key=lambda w: w.created_at,
        reverse=True,
    )
    assert [w.wf_id for w in wfs] == [w.wf_id for w in expected]
    assert len({w.wf_id for w in wfs}) == 75
    pages = list_requests(rebased)
    assert sorted(q.get("page", "1") for q in pages) == ["1", "2", "3"]


async def test_pages_objects(semaphore_client: AsyncClient, semaphore_emulator: Emulator) -> None:
    """pages() yields Page objects with items, position, totals and the next request."""
    project = semaphore_emulator.project_ids[0]
    pages = [p async for p in semaphore_client.pipelines.list(project).pages()]
    assert [len(p.items) for p in pages] == [30, 30, 15]
    assert [p.number for p in pages] == [1, 2, 3]
    assert all(p.total_pages == 3 and p.total_items == 75 for p in pages)
    assert pages[0].next_request is not None and pages[0].next_request.param("page") == "2"
    assert pages[-1].next_request is None


async def test_filters_survive_paging(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """A filtered list keeps its filter on every page."""
    project = semaphore_emulator.project_ids[0]
    wfs = await semaphore_client.workflows.list(project, branch_name="main").collect()
    assert wfs and {w.branch_name for w in wfs} == {"main"}
    assert all(q["branch_name"] == "main" for q in list_requests(semaphore_emulator))


@pytest.mark.parametrize(
    ("limit", "pages_fetched"), [(1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (500, 3)]
)
async def test_collect_limit_fetches_no_more_than_needed(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator, limit: int, pages_fetched: int
) -> None:
    """collect(limit=N) fetches only the pages holding the first N items."""
    project = semaphore_emulator.project_ids[0]
    items = await semaphore_client.workflows.list(project).collect(limit=limit)
    assert len(items) == min(limit, 75)
    assert len(list_requests(semaphore_emulator)) == pages_fetched


async def test_one_page_ahead_while_consuming(semaphore_emulator: Emulator) -> None:
    """While the caller holds page 1, page 2 is already requested (prefetch=1)."""
    semaphore_emulator.set_latency(0.01)
    project = semaphore_emulator.project_ids[0]
    async with semaphore_emulator.client() as sem:
        pages = sem.workflows.list(project).with_prefetch(1).pages()
        first = await pages.__anext__()
        assert first.number == 1
        await asyncio.sleep(0.1)  # the caller works; the next page arrives meanwhile
        assert [q.get("page", "1") for q in list_requests(semaphore_emulator)] == ["1", "2"]
        await pages.aclose()


async def test_window_fetches_pages_concurrently(semaphore_emulator: Emulator) -> None:
    """With total-pages known, several pages are in flight at once, yielded in order."""
    semaphore_emulator.set_latency(0.05)
    project = semaphore_emulator.project_ids[0]
    async with semaphore_emulator.client() as sem:
        paginator = sem.workflows.list(project).with_prefetch(4)
        numbers = [p.number async for p in paginator.pages()]
    assert numbers == [1, 2, 3]
    assert semaphore_emulator.max_in_flight == 2  # pages 2 and 3 together


async def test_break_cancels_prefetch(semaphore_emulator: Emulator) -> None:
    """Breaking out of `async for` leaves no fetch task behind and no warning."""
    semaphore_emulator.set_latency(0.05)
    project = semaphore_emulator.project_ids[0]
    async with semaphore_emulator.client() as sem:
        async with contextlib.aclosing(sem.workflows.list(project).__aiter__()) as items:
            async for _ in items:
                break
        assert fetch_tasks() == []
        # The pool is healthy afterwards.
        assert len(await sem.workflows.list(project).collect(limit=5)) == 5


async def test_loop_guard(semaphore_client: AsyncClient, semaphore_emulator: Emulator) -> None:
    """A server that hands back the same next link raises instead of looping."""
    link = f'<http://x{WF_PATH}?page=2&project_id=P>; rel="next"'
    semaphore_emulator.fail_next(
        200, body='[{"wf_id": "a"}]', headers={"link": link}, path_prefix=WF_PATH
    )
    semaphore_emulator.fail_next(
        200, body='[{"wf_id": "b"}]', headers={"link": link}, path_prefix=WF_PATH
    )
    seen: list[str | None] = []

    async def walk() -> None:
        async for wf in semaphore_client.workflows.list("P"):
            seen.append(wf.wf_id)

    with pytest.raises(sa.PaginationLoopError, match="already fetched"):
        await walk()
    assert seen == ["a", "b"]
    assert len(list_requests(semaphore_emulator)) == 2


async def test_failed_page_names_position_and_resumes(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """A page failing after retries raises with its position; resume_from continues there."""
    project = semaphore_emulator.project_ids[0]
    paginator = semaphore_client.workflows.list(project).with_prefetch(1)
    got = []
    pages = paginator.pages()
    got.extend((await pages.__anext__()).items)
    semaphore_emulator.fail_next(500, times=4, body='"Internal error"', path_prefix=WF_PATH)
    with pytest.raises(sa.ServerError) as info:
        await pages.__anext__()
    exc = info.value
    assert exc.page_number == 2 and exc.page_request is not None
    assert exc.page_request.param("page") == "2"
    assert "while fetching page 2" in str(exc) and exc.attempts == 4
    async for wf in paginator.resume_from(exc.page_request):
        got.append(wf)
    assert len(got) == 75 and len({w.wf_id for w in got}) == 75


async def test_get_many_order_bound_and_errors(semaphore_emulator: Emulator) -> None:
    """Results in input order; in flight <= concurrency and > 1; exceptions in place."""
    semaphore_emulator.set_latency(0.01)
    ids = list(semaphore_emulator.state.pipelines)[:60]
    async with semaphore_emulator.client() as sem:
        got = await sem.pipelines.get_many(ids, concurrency=5)
        assert [d.pipeline.ppl_id for d in got if d.pipeline] == ids
        assert 1 < semaphore_emulator.max_in_flight <= 5
        progress: list[tuple[int, int | None]] = []
        mixed = await sem.pipelines.get_many(
            [ids[0], "missing", ids[1]],
            return_exceptions=True,
            progress=lambda done, total: progress.append((done, total)),
        )
        assert isinstance(mixed[1], sa.NotFoundError)
        assert [type(x).__name__ for x in mixed] == [
            "PipelineDescription",
            "NotFoundError",
            "PipelineDescription",
        ]
        assert progress[-1] == (3, 3)
        with pytest.raises(sa.NotFoundError):
            await sem.pipelines.get_many([ids[0], "missing", ids[1]])


async def test_client_wide_bound_across_bulk_calls(semaphore_emulator: Emulator) -> None:
    """Two bulk calls at once never exceed the client's max_connections in flight."""
    semaphore_emulator.set_latency(0.01)
    ids = list(semaphore_emulator.state.pipelines)[:80]
    async with semaphore_emulator.client(max_connections=12) as sem:
        a, b = await asyncio.gather(
            sem.pipelines.get_many(ids[:40], concurrency=10),
            sem.pipelines.get_many(ids[40:], concurrency=10),
        )
    assert len(a) + len(b) == 80
    assert 10 < semaphore_emulator.max_in_flight <= 12


async def test_cancelled_get_many_leaves_pool_healthy(semaphore_emulator: Emulator) -> None:
    """Cancelling a bulk call cancels its requests; the next call works."""
    semaphore_emulator.set_latency(0.05)
    ids = list(semaphore_emulator.state.pipelines)[:100]
    async with semaphore_emulator.client() as sem:
        task = asyncio.ensure_future(sem.pipelines.get_many(ids, concurrency=10))
        await asyncio.sleep(0.08)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        served = len(semaphore_emulator.requests)
        assert served < 100
        semaphore_emulator.set_latency(0)
        again = await sem.pipelines.get_many(ids[:20], concurrency=10)
        assert len(again) == 20
