"""Task models (``/api/v1alpha/tasks``).

Server: ``public-api/v1alpha/lib/pipelines_api/periodic_scheduler_client/response_formatter.ex``
(``process_run_now_response/1``).
"""

from __future__ import annotations

import attrs

__all__ = ["TaskRun"]


@attrs.frozen(kw_only=True)
class TaskRun:
    """What ``tasks.run_now`` answers: the workflow it started."""

    workflow_id: str = ""
