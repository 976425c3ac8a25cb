"""Checked by mypy --strict only (not collected by pytest): the public API's types."""

from __future__ import annotations

from datetime import datetime

from semaphore_async import AsyncClient, AsyncPaginator, Page
from semaphore_async.models import Pipeline, PipelineDescription, PipelineState, Workflow


async def typed_usage(sem: AsyncClient) -> None:
    wf: Workflow = await sem.workflows.get("id")
    created: datetime | None = wf.created_at
    paginator: AsyncPaginator[Pipeline] = sem.pipelines.list("p", created_after=created)
    async for pipeline in paginator:
        state: PipelineState | str | None = pipeline.state
        del state
    async for page in sem.workflows.list("p").pages():
        first: Page[Workflow] = page
        del first
    described: list[PipelineDescription] = await sem.pipelines.get_many(["a"])
    mixed: list[PipelineDescription | Exception] = await sem.pipelines.get_many(
        ["a"], return_exceptions=True
    )
    final: PipelineDescription = await sem.pipelines.wait("a", timeout=1.0)
    del described, mixed, final
