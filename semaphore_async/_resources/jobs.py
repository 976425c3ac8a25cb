"""Jobs: ``/api/v1alpha/jobs`` and their logs, ``/api/v1alpha/logs``."""

from __future__ import annotations

import builtins
import gzip
from collections.abc import AsyncIterator, Iterable
from typing import Literal, overload
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from .._args import flag
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
        ``next`` continuation is followed until the server says ``null``. Each page is
        decoded straight into :class:`~semaphore_async.models.LogEvent` structs and its
        events are yielded as the caller takes them, so a streamed log costs no more
        memory than its decoded page. A body that is not valid JSON, or an event whose
        field has the wrong type, raises ``DecodeError`` naming it
        (``$.events[12].exit_code``).
        """
        async for events in self._log_pages(job_id):
            for event in events:
                yield event

    async def plain_log(self, job_id: str, *, artifact_job_logs: bool = False) -> str:
        """The job's output as text: each command's directive on its own line, then its
        output (ANSI escapes kept), joined straight from the decoded events.

        The web route ``/jobs/:id/plain_logs.json`` does not accept API tokens, so the
        text is rebuilt from the API's events instead. ``artifact_job_logs=True`` asks
        the server for the copy the agent uploaded to the job's artifacts
        (``agent/job_logs.txt``; the server redirects to a signed URL, fetched without
        the API token): the agent's own rendering of the log, available for as long as
        the project's artifact retention keeps it.
        """
        flag("artifact_job_logs", artifact_job_logs)
        if artifact_job_logs:
            response = await self._core.request(
                "GET",
                path("/api/v1alpha/logs/{job_id}", job_id=job_id),
                params=[("artifact_job_logs", "true")],
            )
            body = response.body
            if body[:2] == b"\x1f\x8b":  # the server falls back to job_logs.txt.gz
                body = gzip.decompress(body)
            return body.decode("utf-8", "replace")
        parts: builtins.list[str] = []
        append = parts.append
        async for events in self._log_pages(job_id):
            for event in events:
                kind = event.event
                if kind == "cmd_output":
                    if event.output is not None:
                        append(event.output)
                elif kind == "cmd_started" and event.directive is not None:
                    append(event.directive + "\n")
        return "".join(parts)

    async def _log_pages(self, job_id: str) -> AsyncIterator[builtins.list[LogEvent]]:
        """Each page of the job's log, decoded; the continuation followed to its end."""
        core = self._core
        response = await core.request("GET", path("/api/v1alpha/logs/{job_id}", job_id=job_id))
        seen: set[str] = set()
        while True:
            try:
                page = _LOG_PAGE.decode(response.body)
            except msgspec.ValidationError as exc:
                raise core.decode_error(response, "GET", f"the log does not fit: {exc}") from None
            except msgspec.DecodeError:
                raise core.decode_error(response, "GET", "the body is not valid JSON") from None
            yield page.events
            if page.next is None:
                return
            url = _with_query(response.url, token=str(page.next))
            if url in seen:
                raise PaginationLoopError(
                    f"the log continuation repeated next={page.next}; stopping instead of looping",
                    status=response.status,
                    method="GET",
                    url=url.split("?", 1)[0],
                )
            seen.add(url)
            # The storage URL carries its own jwt; the API token never goes there.
            response = await core.request("GET", "", url=url, authorization=None)

    @overload
    async def plain_logs(
        self,
        job_ids: Iterable[str],
        *,
        concurrency: int | None = None,
        return_exceptions: Literal[False] = False,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[str]: ...

    @overload
    async def plain_logs(
        self,
        job_ids: Iterable[str],
        *,
        concurrency: int | None = None,
        return_exceptions: Literal[True],
        progress: ProgressCallback | None = None,
    ) -> builtins.list[str | Exception]: ...

    async def plain_logs(
        self,
        job_ids: Iterable[str],
        *,
        concurrency: int | None = None,
        return_exceptions: bool = False,
        progress: ProgressCallback | None = None,
    ) -> builtins.list[str] | builtins.list[str | Exception]:
        """Many jobs' :meth:`plain_log` concurrently; texts in the order of ``job_ids``.

        Same contract as :meth:`get_many`: at most ``concurrency`` logs in flight (the
        client's default when ``None``), the first failure raised (the rest cancelled)
        unless ``return_exceptions=True`` puts each failure in its job's place, and
        ``progress(done, total)`` after each log.
        """
        return await get_many(
            self._core,
            self.plain_log,
            job_ids,
            name="job_ids",
            concurrency=concurrency,
            return_exceptions=return_exceptions,
            progress=progress,
        )

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


class _LogPage(msgspec.Struct, gc=False):
    """One answer of the log routes: get.ex's ``{ "events": [...] }`` for a cloud job,
    loghub2's ``{"events":[...],"next": N}`` (``null`` on the last page) for a
    self-hosted one."""

    events: builtins.list[LogEvent] = msgspec.field(default_factory=builtins.list)
    next: int | str | None = None


# strict=False: epoch seconds become datetimes, and numbers in strings are read.
_LOG_PAGE = msgspec.json.Decoder(_LogPage, strict=False)


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in changes]
    params.extend(changes.items())
    return urlunsplit(parts._replace(query=urlencode(params)))
