"""Tasks: ``/api/v1alpha/tasks/:id/run_now``."""

from __future__ import annotations

from collections.abc import Mapping

from .._args import optional_text
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
            raise ValueError("pass branch= or tag=, not both")
        body: dict[str, object] = {}
        if branch is not None:
            body["reference"] = {"type": "BRANCH", "name": optional_text("branch", branch)}
        elif tag is not None:
            body["reference"] = {"type": "TAG", "name": optional_text("tag", tag)}
        if pipeline_file is not None:
            body["pipeline_file"] = optional_text("pipeline_file", pipeline_file)
        if parameters is not None:
            for key, value in parameters.items():
                if not isinstance(key, str) or not isinstance(value, str):
                    raise TypeError("parameters must map strings to strings")
            body["parameters"] = dict(parameters)
        return await self._core.request_model(
            "POST",
            path("/api/v1alpha/tasks/{task_id}/run_now", task_id=task_id),
            TaskRun,
            body=body,
            safety=Safety.NOT_IDEMPOTENT,
        )
