"""Task models (``/api/v1alpha/tasks``)."""

from __future__ import annotations

import attrs

__all__ = ["TaskRun"]


@attrs.frozen(kw_only=True)
class TaskRun:
    """What ``tasks.run_now`` answers: the workflow it started."""

    workflow_id: str | None = None
