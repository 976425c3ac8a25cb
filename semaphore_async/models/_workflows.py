"""Workflow models (``/api/v1alpha/plumber-workflows``).

Server: ``public-api/v1alpha/lib/pipelines_api/workflow_client/wf_response_formatter.ex``
over ``InternalApi.PlumberWF.WorkflowDetails`` (``lib/internal_api/plumber_w_f.workflow.pb.ex``).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import TriggeredBy

__all__ = ["Workflow", "WorkflowRerun", "WorkflowRun"]


@attrs.frozen(kw_only=True)
class Workflow:
    """A workflow, from describe (envelope removed) or list. Every field is always sent;
    ``triggered_by`` arrives as a name in a describe and a proto number in a list, and
    reads as the same member either way."""

    wf_id: str = ""
    initial_ppl_id: str = ""
    project_id: str = ""
    hook_id: str = ""
    requester_id: str = ""
    branch_id: str = ""
    branch_name: str = ""
    commit_sha: str = ""
    created_at: datetime | None = None
    triggered_by: TriggeredBy | str = ""
    rerun_of: str = ""
    repository_id: str = ""
    organization_id: str = ""


@attrs.frozen(kw_only=True)
class WorkflowRun:
    """What ``workflows.run`` answers: the new workflow's and its first pipeline's ids."""

    workflow_id: str = ""
    pipeline_id: str = ""


@attrs.frozen(kw_only=True)
class WorkflowRerun:
    """What ``workflows.rerun`` answers (the server spells these ``wf_id``/``ppl_id``)."""

    wf_id: str = ""
    ppl_id: str = ""
