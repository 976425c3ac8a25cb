"""Workflows: ``/api/v1alpha/plumber-workflows``."""

from __future__ import annotations

from .._args import idempotency_token, optional_text, text
from .._core import query
from .._pagination import LINK, AsyncPaginator, PageRequest
from .._paths import path
from .._retry import Safety
from ..models import Workflow, WorkflowRerun, WorkflowRun
from ._base import AsyncResource

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
    ) -> WorkflowRun:
        """Start a workflow for ``reference`` (``refs/heads/main``, ``refs/tags/v1``,
        ``refs/pull/12`` or a bare branch name).

        ``POST /api/v1alpha/plumber-workflows``. The server makes its own idempotency
        token, so this call is sent once: it is retried only if the connection was refused
        before anything was sent, never after a timeout or a 5xx.
        """
        body = {
            "project_id": text("project_id", project_id),
            "reference": text("reference", reference),
        }
        if commit_sha is not None:
            body["commit_sha"] = text("commit_sha", commit_sha)
        if pipeline_file is not None:
            body["pipeline_file"] = text("pipeline_file", pipeline_file)
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

    def list(self, project_id: str, *, branch_name: str | None = None) -> AsyncPaginator[Workflow]:
        """Every workflow of a project, newest first, across all pages (``link`` header).

        ``GET /api/v1alpha/plumber-workflows?project_id=...``
        """
        params = query(
            project_id=text("project_id", project_id),
            branch_name=optional_text("branch_name", branch_name),
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
        )

    async def stop(self, workflow_id: str) -> None:
        """Stop every running pipeline of a workflow. ``POST .../plumber-workflows/:id/terminate``.

        Stopping twice does no harm, so this call is retried like a read.
        """
        await self._core.request(
            "POST", path(_BASE + "/{workflow_id}/terminate", workflow_id=workflow_id)
        )
