"""Jobs: ``/api/v1alpha/jobs`` and their logs, ``/api/v1alpha/logs``."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterable
from typing import Literal, overload
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .._bulk import get_many
from .._errors import PaginationLoopError
from .._paths import path
from .._retry import Safety
from .._types import ProgressCallback
from ..models import Job, LogEvent
from ._base import AsyncResource

__all__ = ["AsyncJobs"]


class AsyncJobs(AsyncResource):
    """Describe, stop and bulk-fetch jobs; read their logs."""

    async def get(self, job_id: str) -> Job:
        """Describe a job. ``GET /api/v1alpha/jobs/:id``."""
        return await self._core.request_model(
            "GET", path("/api/v1alpha/jobs/{job_id}", job_id=job_id), Job
        )

    async def stop(self, job_id: str) -> None:
        """Stop a job. ``POST /api/v1alpha/jobs/:id/stop``.

        The answer is ignored: when the server's audit step fails it appends an error to
        ``{}`` (``{}{"error": ...}``), which is not JSON, but the job was stopped.
        """
        await self._core.request(
            "POST",
            path("/api/v1alpha/jobs/{job_id}/stop", job_id=job_id),
            safety=Safety.IDEMPOTENT,  # stopping twice does no harm
        )

    async def log_events(self, job_id: str) -> AsyncIterator[LogEvent]:
        """The job's log as events, in order. ``GET /api/v1alpha/logs/:id``.

        A self-hosted job's log answers with a redirect to log storage, authorised by a
        short-lived token in the URL: it is followed without the API token, and its
        ``next`` continuation is followed until the server says ``null``. A log whose body
        is not valid JSON (one corrupt event spoils it) raises ``DecodeError``.
        """
        core = self._core
        response = await core.request("GET", path("/api/v1alpha/logs/{job_id}", job_id=job_id))
        seen: set[str] = set()
        while True:
            body = core.decode(response, "GET")
            if not isinstance(body, dict) or not isinstance(body.get("events", []), list):
                raise core.decode_error(response, "GET", "expected an object with 'events'")
            events = core.structure(
                body.get("events") or [], builtins.list[LogEvent], response=response, method="GET"
            )
            for event in events:
                yield event
            nxt = body.get("next")
            if nxt is None:
                return
            url = _with_query(response.url, token=str(nxt))
            if url in seen:
                raise PaginationLoopError(
                    f"the log continuation repeated next={nxt}; stopping instead of looping",
                    status=response.status,
                    method="GET",
                    url=url.split("?", 1)[0],
                )
            seen.add(url)
            # The storage URL carries its own jwt; the API token never goes there.
            response = await core.request("GET", "", url=url, authorization=None)

    async def plain_log(self, job_id: str) -> str:
        """The job's output as text, built from :meth:`log_events`: each command's
        directive on its own line, then its output (ANSI escapes kept).

        The web route ``/jobs/:id/plain_logs.json`` does not accept API tokens, so the
        text is rebuilt from the API's events instead.
        """
        parts: builtins.list[str] = []
        async for event in self.log_events(job_id):
            if event.event == "cmd_started" and event.directive is not None:
                parts.append(event.directive + "\n")
            elif event.event == "cmd_output" and event.output is not None:
                parts.append(event.output)
        return "".join(parts)

    @overload
    async def get_many(
        self,
        job_ids: Iterable[str],
        *,
        concurrency: int | None = None,
        return_exceptions: Literal[False] = False,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[Job]: ...

    @overload
    async def get_many(
        self,
        job_ids: Iterable[str],
        *,
        concurrency: int | None = None,
        return_exceptions: Literal[True],
        progress: ProgressCallback | None = None,
    ) -> builtins.list[Job | Exception]: ...

    async def get_many(
        self,
        job_ids: Iterable[str],
        *,
        concurrency: int | None = None,
        return_exceptions: bool = False,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[Job] | builtins.list[Job | Exception]:
        """Describe many jobs concurrently; results in the order of ``job_ids``.

        Same contract as :meth:`AsyncPipelines.get_many
        <semaphore_async._resources.pipelines.AsyncPipelines.get_many>`.
        """
        return await get_many(
            self._core,
            self.get,
            job_ids,
            name="job_ids",
            concurrency=concurrency,
            return_exceptions=return_exceptions,
            progress=progress,
        )


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in changes]
    params.extend(changes.items())
    return urlunsplit(parts._replace(query=urlencode(params)))
