"""Tasks: ``/api/v1alpha/tasks/:id/run_now``."""

from __future__ import annotations

from collections.abc import Mapping

from .._args import string_map, text, uuid_id
from .._errors import InvalidArgumentError
from .._paths import path
from .._retry import Safety
from ..models import TaskRun
from ._base import AsyncResource

__all__ = ["AsyncTasks"]


class AsyncTasks(AsyncResource):
    """Run tasks (schedulers) on demand."""

    async def run_now(
        self,
        task_id: str,
        *,
        branch: str | None = None,
        tag: str | None = None,
        pipeline_file: str | None = None,
        parameters: Mapping[str, str] | None = None,
    ) -> TaskRun:
        """Run a task now, optionally on another ``branch`` or ``tag``, pipeline file, or
        with parameters. ``POST /api/v1alpha/tasks/:id/run_now``.

        The reference is sent as the object the server reads,
        ``{"type": "BRANCH"|"TAG", "name": ...}`` (a bare string is rejected by the server).
        Like every creating call, it is retried only if the connection was refused.
        """
        if branch is not None and tag is not None:
            raise InvalidArgumentError("pass branch= or tag=, not both")
        body: dict[str, object] = {}
        if branch is not None:
            body["reference"] = {"type": "BRANCH", "name": text("branch", branch)}
        elif tag is not None:
            body["reference"] = {"type": "TAG", "name": text("tag", tag)}
        if pipeline_file is not None:
            body["pipeline_file"] = text("pipeline_file", pipeline_file)
        if parameters is not None:
            body["parameters"] = string_map("parameters", parameters)
        return await self._core.request_model(
            "POST",
            path("/api/v1alpha/tasks/{task_id}/run_now", task_id=uuid_id("task_id", task_id)),
            TaskRun,
            body=body,
            safety=Safety.NOT_IDEMPOTENT,
        )
