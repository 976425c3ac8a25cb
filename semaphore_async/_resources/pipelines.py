"""Pipelines: ``/api/v1alpha/pipelines`` and ``/api/v1alpha/yaml``."""

from __future__ import annotations

import asyncio
import builtins
import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Literal, overload

from .._args import epoch_seconds, optional_text, text
from .._bulk import bounded_gather, check_concurrency
from .._core import query
from .._pagination import LINK, AsyncPaginator, PageRequest, ProgressCallback
from .._paths import path
from ..models import Pipeline, PipelineDescription, YamlValidation
from ._base import AsyncResource

__all__ = ["AsyncPipelines"]

_BASE = "/api/v1alpha/pipelines"
# The server honours only the exact string "true".
_DETAILED = query(detailed=True)


class AsyncPipelines(AsyncResource):
    """Describe, list, stop, wait for and bulk-fetch pipelines; validate pipeline YAML."""

    async def get(self, pipeline_id: str, *, detailed: bool = False) -> PipelineDescription:
        """Describe a pipeline: ``.pipeline``, and ``.blocks`` (with their jobs) when
        ``detailed=True``. ``GET /api/v1alpha/pipelines/:id[?detailed=true]``."""
        return await self._core.request_model(
            "GET",
            path(_BASE + "/{pipeline_id}", pipeline_id=pipeline_id),
            PipelineDescription,
            params=_DETAILED if detailed else (),
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
    ) -> AsyncPaginator[Pipeline]:
        """Pipelines of a project or of a workflow (one of the two is required), newest
        first, across all pages. Time filters take a ``datetime`` or epoch seconds and go
        on the wire as integer epoch seconds. ``GET /api/v1alpha/pipelines?...``
        """
        if project_id is None and wf_id is None:
            raise ValueError("pipelines.list needs project_id or wf_id (or both)")
        params = query(
            project_id=optional_text("project_id", project_id),
            wf_id=optional_text("wf_id", wf_id),
            branch_name=optional_text("branch_name", branch_name),
            yml_file_path=optional_text("yml_file_path", yml_file_path),
            created_after=epoch_seconds("created_after", created_after),
            created_before=epoch_seconds("created_before", created_before),
            done_after=epoch_seconds("done_after", done_after),
            done_before=epoch_seconds("done_before", done_before),
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
        )

    async def wait(
        self, pipeline_id: str, *, timeout: float | None = None, poll_interval: float = 5.0
    ) -> PipelineDescription:
        """Poll until the pipeline is done and return it as :meth:`get` does.

        Raises the builtin ``TimeoutError`` when ``timeout`` seconds pass first (the
        pipeline keeps running; only the waiting stops). API errors from a poll are
        raised as they are, after the client's usual retries.
        """
        if poll_interval <= 0:
            raise ValueError(f"poll_interval must be positive, got {poll_interval!r}")
        if timeout is not None and timeout < 0:
            raise ValueError(f"timeout must be non-negative, got {timeout!r}")
        text("pipeline_id", pipeline_id)
        last: builtins.list[PipelineDescription] = []

        async def poll() -> PipelineDescription:
            while True:
                described = await self.get(pipeline_id)
                last[:] = [described]
                if described.pipeline is not None and described.pipeline.is_done:
                    return described
                await asyncio.sleep(poll_interval)

        try:
            return await asyncio.wait_for(poll(), timeout)
        except asyncio.TimeoutError:
            state = last[0].pipeline.state if last and last[0].pipeline else "unknown"
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
        ids = [text("pipeline_id", pid) for pid in pipeline_ids]
        bound = check_concurrency(self._core, concurrency)
        return await bounded_gather(
            self._core,
            # A partial, not a wrapper coroutine: one frame less per request in flight.
            functools.partial(self.get, detailed=detailed),
            ids,
            concurrency=bound,
            return_exceptions=return_exceptions,
            progress=progress,
        )
