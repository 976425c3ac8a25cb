"""bounded_map: a pipeline of stages over real HTTP, streamed and bounded."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

import semaphore_async as sa
from semaphore_async import bounded_map
from semaphore_async.models import PipelineDescription
from semaphore_async.testing import Emulator


async def test_list_describe_jobs_pipeline(semaphore_emulator: Emulator) -> None:
    """Describing starts before listing ends; every pipeline once; calls stay bounded."""
    semaphore_emulator.set_latency(0.01)
    project = semaphore_emulator.project_ids[0]
    async with semaphore_emulator.client() as sem:
        paginator = sem.pipelines.list(project).with_prefetch(1)
        seen: list[str] = []
        jobs = 0
        async for ppl, described in bounded_map(
            lambda p: sem.pipelines.get(p.ppl_id or "", detailed=True), paginator, concurrency=4
        ):
            assert isinstance(described, PipelineDescription) and described.pipeline is not None
            assert described.pipeline.ppl_id == ppl.ppl_id
            seen.append(ppl.ppl_id or "")
            job_ids = [j.job_id for b in described.blocks for j in b.jobs if j.job_id]
            jobs += len(await sem.jobs.get_many(job_ids[:2]))
    assert len(seen) == len(set(seen)) == 75
    assert jobs == 150
    paths = [r.path for r in semaphore_emulator.requests]
    last_list = max(i for i, p in enumerate(paths) if p == "/api/v1alpha/pipelines")
    first_describe = paths.index(next(p for p in paths if p.startswith("/api/v1alpha/pipelines/")))
    assert first_describe < last_list  # streamed: no waiting for the whole list
    # 4 describes + 2 job fetches of the stage consumer + 1 prefetched page at most.
    assert semaphore_emulator.max_in_flight <= 7


async def test_bound_is_respected(semaphore_emulator: Emulator) -> None:
    """With a plain list, never more than `concurrency` calls in flight, and > 1."""
    semaphore_emulator.set_latency(0.02)
    ids = list(semaphore_emulator.state.pipelines)[:30]
    async with semaphore_emulator.client() as sem:
        results = [pair async for pair in bounded_map(sem.pipelines.get, ids, concurrency=3)]
    assert sorted(i for i, _ in results) == sorted(ids)
    assert 1 < semaphore_emulator.max_in_flight <= 3


async def test_errors_raise_or_are_returned(
    semaphore_client: sa.AsyncClient, semaphore_emulator: Emulator
) -> None:
    """The first failure raises; with return_exceptions it is yielded in place."""
    ids = [*list(semaphore_emulator.state.pipelines)[:3], "missing"]
    with pytest.raises(sa.NotFoundError):
        [pair async for pair in bounded_map(semaphore_client.pipelines.get, ids, concurrency=2)]
    pairs = [
        pair
        async for pair in bounded_map(
            semaphore_client.pipelines.get, ids, concurrency=2, return_exceptions=True
        )
    ]
    failures = {item: result for item, result in pairs if isinstance(result, Exception)}
    assert list(failures) == ["missing"] and isinstance(failures["missing"], sa.NotFoundError)


async def test_early_close_cancels_in_flight(semaphore_emulator: Emulator) -> None:
    """Leaving the loop cancels the calls still running; the client keeps working."""
    semaphore_emulator.set_latency(0.05)
    ids = list(semaphore_emulator.state.pipelines)[:40]
    async with semaphore_emulator.client() as sem:
        stream = bounded_map(sem.pipelines.get, ids, concurrency=5)
        async with contextlib.aclosing(stream):
            async for _ in stream:
                break
        pending = [t for t in asyncio.all_tasks() if "get" in repr(t.get_coro()) and not t.done()]
        assert pending == []
        assert len(semaphore_emulator.requests) < 40
        semaphore_emulator.set_latency(0)
        assert (await sem.pipelines.get(ids[0])).pipeline is not None


def test_bad_concurrency() -> None:
    """concurrency must be a positive integer."""
    with pytest.raises(ValueError, match="positive integer"):
        bounded_map(asyncio.sleep, [1], concurrency=0)
