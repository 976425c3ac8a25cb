"""Workflows: ``/api/v1alpha/plumber-workflows``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .._args import (
    epochs,
    idempotency_token,
    identifier,
    optional_texts,
    query,
    string_map,
    text,
)
from .._pagination import LINK, AsyncPaginator
from .._paths import path
from .._query import PageRequest
from .._retry import Safety
from ..models import Workflow, WorkflowRerun, WorkflowRun
from ._base import AsyncResource, check_page_size

__all__ = ["AsyncWorkflows"]

_BASE = "/api/v1alpha/plumber-workflows"


class AsyncWorkflows(AsyncResource):
    """Run, describe, list, rerun and stop workflows."""

    async def run(
        self,
        project_id: str,
        reference: str,
        *,
        commit_sha: str | None = None,
        pipeline_file: str | None = None,
        parameters: Mapping[str, str] | None = None,
    ) -> WorkflowRun:
        """Start a workflow for ``reference`` (``refs/heads/main``, ``refs/tags/v1``,
        ``refs/pull/12`` or a bare branch name), optionally at ``commit_sha``, from
        ``pipeline_file`` (default ``.semaphore/semaphore.yml``), with ``parameters``
        (strings; the pipeline sees them as environment variables).

        ``POST /api/v1alpha/plumber-workflows``. The server makes its own idempotency
        token, so this call is sent once: it is retried only if the connection was refused
        before anything was sent, never after a timeout or a 5xx.
        """
        body: dict[str, object] = {
            "project_id": identifier("project_id", project_id),
            "reference": text("reference", reference),
        }
        if commit_sha is not None:
            body["commit_sha"] = text("commit_sha", commit_sha)
        if pipeline_file is not None:
            body["pipeline_file"] = text("pipeline_file", pipeline_file)
        if parameters is not None:
            body["parameters"] = string_map("parameters", parameters)
        return await self._core.request_model(
            "POST", _BASE, WorkflowRun, body=body, safety=Safety.NOT_IDEMPOTENT
        )

    async def get(self, workflow_id: str) -> Workflow:
        """Describe one workflow. ``GET /api/v1alpha/plumber-workflows/:id``; the wire's
        ``{"workflow": ...}`` envelope is removed."""
        return await self._core.request_model(
            "GET",
            path(_BASE + "/{workflow_id}", workflow_id=workflow_id),
            Workflow,
            envelope="workflow",
        )

    def list(
        self,
        project_id: str,
        *,
        branch_name: str | None = None,
        requester_id: str | None = None,
        label: str | None = None,
        created_after: datetime | float | None = None,
        created_before: datetime | float | None = None,
        page_size: int | None = None,
    ) -> AsyncPaginator[Workflow]:
        """Every workflow of a project, newest first, across all pages (``link`` header).

        Filters: ``branch_name`` (exact; tags are stored as ``refs/tags/T``),
        ``requester_id`` (a user id), ``label`` (a branch, tag or pull request number),
        and the creation time (a ``datetime`` or epoch seconds). ``page_size`` is the
        server's page size (30 by default).

        ``GET /api/v1alpha/plumber-workflows?project_id=...``
        """
        params = query(
            project_id=identifier("project_id", project_id),
            **optional_texts(branch_name=branch_name, requester_id=requester_id, label=label),
            **epochs(created_after=created_after, created_before=created_before),
            page_size=check_page_size(page_size, low=1, high=None),
        )
        return AsyncPaginator(self._core, PageRequest(_BASE, params), LINK, Workflow)

    async def rerun(self, workflow_id: str, *, request_token: str | None = None) -> WorkflowRerun:
        """Run a workflow again. ``POST .../plumber-workflows/:id/reschedule``.

        ``request_token`` (a fresh uuid4 if not given) makes the call idempotent: every
        retry sends the same token, so the server creates at most one new workflow.
        """
        token = idempotency_token("request_token", request_token)
        return await self._core.request_model(
            "POST",
            path(_BASE + "/{workflow_id}/reschedule", workflow_id=workflow_id),
            WorkflowRerun,
            params=query(request_token=token),
            safety=Safety.IDEMPOTENT,  # the request_token makes the server act once
        )

    async def stop(self, workflow_id: str) -> None:
        """Stop every running pipeline of a workflow. ``POST .../plumber-workflows/:id/terminate``.

        Stopping twice does no harm, so this call is retried like a read.
        """
        await self._core.request(
            "POST",
            path(_BASE + "/{workflow_id}/terminate", workflow_id=workflow_id),
            safety=Safety.IDEMPOTENT,  # stopping twice does no harm
        )
