"""Workflow models (``/api/v1alpha/plumber-workflows``)."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import TriggeredBy

__all__ = ["Workflow", "WorkflowRerun", "WorkflowRun"]


@attrs.frozen(kw_only=True)
class Workflow:
    """A workflow, from describe (envelope removed) or list. Timestamps are UTC."""

    wf_id: str | None = None
    requester_id: str | None = None
    project_id: str | None = None
    initial_ppl_id: str | None = None
    hook_id: str | None = None
    created_at: datetime | None = None
    commit_sha: str | None = None
    branch_name: str | None = None
    branch_id: str | None = None
    triggered_by: TriggeredBy | str | None = None
    rerun_of: str | None = None
    repository_id: str | None = None


@attrs.frozen(kw_only=True)
class WorkflowRun:
    """What ``workflows.run`` answers: the new workflow's and its first pipeline's ids."""

    workflow_id: str | None = None
    pipeline_id: str | None = None
    hook_id: str | None = None


@attrs.frozen(kw_only=True)
class WorkflowRerun:
    """What ``workflows.rerun`` answers (the server spells these ``wf_id``/``ppl_id``)."""

    wf_id: str | None = None
    ppl_id: str | None = None
