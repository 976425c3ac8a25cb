"""Pipelines: ``/api/v1alpha/pipelines`` and ``/api/v1alpha/yaml``."""

from __future__ import annotations

import asyncio
import builtins
import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Literal, overload

from .._args import (
    epochs,
    flag,
    identifier,
    optional_texts,
    positive_seconds,
    query,
    text,
)
from .._bulk import get_many
from .._errors import InvalidArgumentError
from .._pagination import LINK, AsyncPaginator
from .._paths import path
from .._query import PageRequest
from .._retry import Safety
from .._types import ProgressCallback
from ..models import Pipeline, PipelineDescription, YamlValidation
from ._base import AsyncResource, check_page_size

__all__ = ["AsyncPipelines"]

_BASE = "/api/v1alpha/pipelines"
# The server honours only the exact string "true".
_DETAILED = query(detailed=True)
_FIRST_POLL = 0.1
"""Seconds before the second poll of ``wait``; each later wait doubles, up to
``poll_interval``."""


class AsyncPipelines(AsyncResource):
    """Describe, list, stop, wait for and bulk-fetch pipelines; validate pipeline YAML."""

    async def get(self, pipeline_id: str, *, detailed: bool = False) -> PipelineDescription:
        """Describe a pipeline: ``.pipeline``, and ``.blocks`` (with their jobs) when
        ``detailed=True``. ``GET /api/v1alpha/pipelines/:id[?detailed=true]``."""
        return await self._core.request_model(
            "GET",
            path(_BASE + "/{pipeline_id}", pipeline_id=pipeline_id),
            PipelineDescription,
            params=_DETAILED if flag("detailed", detailed) else (),
        )

    def list(
        self,
        project_id: str | None = None,
        *,
        wf_id: str | None = None,
        branch_name: str | None = None,
        yml_file_path: str | None = None,
        created_after: datetime | float | None = None,
        created_before: datetime | float | None = None,
        done_after: datetime | float | None = None,
        done_before: datetime | float | None = None,
        label: str | None = None,
        queue_id: str | None = None,
        pr_head_branch: str | None = None,
        pr_target_branch: str | None = None,
        page_size: int | None = None,
    ) -> AsyncPaginator[Pipeline]:
        """Pipelines of a project or of a workflow (one of the two is required), newest
        first, across all pages.

        Filters: ``branch_name``, ``yml_file_path`` (``.semaphore/semaphore.yml``),
        ``label`` (a branch, tag or pull request number), ``queue_id``, and for pull
        requests ``pr_head_branch`` and ``pr_target_branch``; time filters take a
        ``datetime`` or epoch seconds and go on the wire as integer epoch seconds (the
        ``done_*`` ones keep only finished pipelines). ``page_size`` is the server's page
        size (30 by default). ``GET /api/v1alpha/pipelines?...``
        """
        if project_id is None and wf_id is None:
            raise InvalidArgumentError("pipelines.list needs project_id or wf_id (or both)")
        params = query(
            project_id=None if project_id is None else identifier("project_id", project_id),
            wf_id=None if wf_id is None else identifier("wf_id", wf_id),
            **optional_texts(
                branch_name=branch_name,
                yml_file_path=yml_file_path,
                label=label,
                queue_id=queue_id,
                pr_head_branch=pr_head_branch,
                pr_target_branch=pr_target_branch,
            ),
            **epochs(
                created_after=created_after,
                created_before=created_before,
                done_after=done_after,
                done_before=done_before,
            ),
            page_size=check_page_size(page_size, low=1, high=None),
        )
        return AsyncPaginator(self._core, PageRequest(_BASE, params), LINK, Pipeline)

    async def stop(self, pipeline_id: str) -> None:
        """Stop a pipeline. ``PATCH /api/v1alpha/pipelines/:id`` with the JSON boolean
        ``{"terminate_request": true}`` (the string ``"true"`` is rejected by the server).
        Stopping twice does no harm, so this call is retried like a read."""
        await self._core.request(
            "PATCH",
            path(_BASE + "/{pipeline_id}", pipeline_id=pipeline_id),
            body={"terminate_request": True},
            safety=Safety.IDEMPOTENT,  # stopping twice does no harm
        )

    async def validate_yaml(self, yaml_definition: str) -> YamlValidation:
        """Check a pipeline definition. ``POST /api/v1alpha/yaml``.

        An invalid definition raises :class:`~semaphore_async.BadRequestError` whose
        ``message`` is the server's explanation.
        """
        return await self._core.request_model(
            "POST",
            "/api/v1alpha/yaml",
            YamlValidation,
            body={"yaml_definition": text("yaml_definition", yaml_definition)},
            safety=Safety.IDEMPOTENT,  # a check that changes nothing
        )

    async def wait(
        self,
        pipeline_id: str,
        *,
        timeout: float | None = None,
        poll_interval: float = 5.0,
        detailed: bool = False,
    ) -> PipelineDescription:
        """Poll until the pipeline is done and return it as :meth:`get` does (with its
        blocks and jobs when ``detailed=True``).

        The first polls come quickly (0.1 s, then doubling) and back off to one every
        ``poll_interval`` seconds, so a pipeline that is already done, or nearly, costs
        no long sleep. Raises the builtin ``TimeoutError`` when ``timeout`` seconds pass
        first (the pipeline keeps running; only the waiting stops). API errors from a
        poll are raised as they are, after the client's usual retries.
        """
        pipeline_id = identifier("pipeline_id", pipeline_id)
        interval = positive_seconds("poll_interval", poll_interval)
        limit = None if timeout is None else positive_seconds("timeout", timeout)
        flag("detailed", detailed)
        last: builtins.list[PipelineDescription] = []

        async def poll() -> PipelineDescription:
            delay = min(_FIRST_POLL, interval)
            while True:
                described = await self.get(pipeline_id, detailed=detailed)
                last[:] = [described]
                if described.pipeline.is_done:
                    return described
                await asyncio.sleep(delay)
                delay = min(delay * 2, interval)

        try:
            return await asyncio.wait_for(poll(), limit)
        except asyncio.TimeoutError:
            state = last[0].pipeline.state if last else "unknown"
            raise TimeoutError(
                f"pipeline {pipeline_id} was not done after {timeout} s (last state: {state})"
            ) from None

    @overload
    async def get_many(
        self,
        pipeline_ids: Iterable[str],
        *,
        detailed: bool = False,
        concurrency: int | None = None,
        return_exceptions: Literal[False] = False,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[PipelineDescription]: ...

    @overload
    async def get_many(
        self,
        pipeline_ids: Iterable[str],
        *,
        detailed: bool = False,
        concurrency: int | None = None,
        return_exceptions: Literal[True],
        progress: ProgressCallback | None = None,
    ) -> builtins.list[PipelineDescription | Exception]: ...

    async def get_many(
        self,
        pipeline_ids: Iterable[str],
        *,
        detailed: bool = False,
        concurrency: int | None = None,
        return_exceptions: bool = False,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[PipelineDescription] | builtins.list[PipelineDescription | Exception]:
        """Describe many pipelines concurrently; results in the order of ``pipeline_ids``.

        At most ``concurrency`` (default: the client's ``concurrency``) requests are in
        flight. With ``return_exceptions=True`` a failed id gets its exception in its
        place; otherwise the first failure cancels the rest and is raised. Cancelling the
        call cancels the requests in flight. ``progress(done, total)`` is called as each
        pipeline arrives.
        """
        return await get_many(
            self._core,
            # A partial, not a wrapper coroutine: one frame less per request in flight.
            functools.partial(self.get, detailed=flag("detailed", detailed)),
            pipeline_ids,
            name="pipeline_ids",
            concurrency=concurrency,
            return_exceptions=return_exceptions,
            progress=progress,
        )
