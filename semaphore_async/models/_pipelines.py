"""Pipeline models (``/api/v1alpha/pipelines``, ``/api/v1alpha/yaml``).

Server: ``public-api/v1alpha/lib/pipelines_api/pipelines_client/response_formatter.ex``
over ``InternalApi.Plumber.Pipeline``, ``Block`` and ``Block.Job``
(``lib/internal_api/plumber.pipeline.pb.ex``). A describe sends the state enums in lower
case and text timestamps, a list upper case and ``{seconds, nanos}``; both send every
field of the proto, nested ``queue`` and ``triggerer`` included.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import EnvVar
from ._enums import (
    BlockState,
    JobResult,
    JobState,
    PipelineResult,
    PipelineResultReason,
    PipelineState,
    PipelineTriggeredBy,
    QueueType,
    TriggeredBy,
)

__all__ = [
    "Block",
    "BlockJob",
    "Pipeline",
    "PipelineDescription",
    "Queue",
    "Triggerer",
    "YamlValidation",
]


@attrs.frozen(kw_only=True)
class Queue:
    """The queue a pipeline ran in (``InternalApi.Plumber.Queue``)."""

    queue_id: str = ""
    name: str = ""
    scope: str = ""
    project_id: str = ""
    organization_id: str = ""
    type: QueueType | str = ""


@attrs.frozen(kw_only=True)
class Triggerer:
    """Who and what started a pipeline (``InternalApi.Plumber.Triggerer``)."""

    wf_triggered_by: TriggeredBy | str = ""
    wf_triggerer_id: str = ""
    wf_triggerer_user_id: str = ""
    wf_triggerer_provider_login: str = ""
    wf_triggerer_provider_uid: str = ""
    wf_triggerer_provider_avatar: str = ""
    ppl_triggered_by: PipelineTriggeredBy | str = ""
    ppl_triggerer_id: str = ""
    ppl_triggerer_user_id: str = ""
    workflow_rerun_of: str = ""


@attrs.frozen(kw_only=True)
class Pipeline:
    """A pipeline. ``result`` and ``result_reason`` are ``None`` until ``state`` is DONE
    (the server leaves them out); unset timestamps (the wire's 1970 and ``{0, 0}``
    sentinels) are ``None``; everything else is always sent."""

    ppl_id: str = ""
    name: str = ""
    project_id: str = ""
    branch_name: str = ""
    commit_sha: str = ""
    created_at: datetime | None = None
    pending_at: datetime | None = None
    queuing_at: datetime | None = None
    running_at: datetime | None = None
    stopping_at: datetime | None = None
    done_at: datetime | None = None
    state: PipelineState | str = ""
    result: PipelineResult | str | None = None
    result_reason: PipelineResultReason | str | None = None
    terminate_request: str = ""
    hook_id: str = ""
    branch_id: str = ""
    error_description: str = ""
    switch_id: str = ""
    working_directory: str = ""
    yaml_file_name: str = ""
    terminated_by: str = ""
    wf_id: str = ""
    snapshot_id: str = ""
    queue: Queue = Queue()
    promotion_of: str = ""
    partial_rerun_of: str = ""
    commit_message: str = ""
    partially_rerun_by: str = ""
    compile_task_id: str = ""
    with_after_task: bool = False
    after_task_id: str = ""
    repository_id: str = ""
    env_vars: tuple[EnvVar, ...] = ()
    triggerer: Triggerer = Triggerer()
    organization_id: str = ""

    @property
    def is_done(self) -> bool:
        """True once the pipeline reached its final state."""
        return self.state == PipelineState.DONE


@attrs.frozen(kw_only=True)
class BlockJob:
    """A job as listed inside a detailed pipeline's block. ``status`` is ENQUEUED,
    RUNNING, STOPPING or FINISHED; ``result`` reads PASSED until the job ends (the
    proto's default), so look at it once ``status`` is FINISHED."""

    name: str = ""
    index: int = 0
    job_id: str = ""
    status: JobState | str = ""
    result: JobResult | str = ""


@attrs.frozen(kw_only=True)
class Block:
    """A block of a detailed pipeline, with its jobs. ``result`` and ``result_reason``
    are ``None`` until the block is done."""

    block_id: str = ""
    name: str = ""
    build_req_id: str = ""
    state: BlockState | str = ""
    result: PipelineResult | str | None = None
    result_reason: PipelineResultReason | str | None = None
    error_description: str = ""
    jobs: tuple[BlockJob, ...] = ()


@attrs.frozen(kw_only=True)
class PipelineDescription:
    """What ``pipelines.get`` returns: the pipeline and, with ``detailed=True``, its blocks."""

    pipeline: Pipeline = Pipeline()
    blocks: tuple[Block, ...] = ()


@attrs.frozen(kw_only=True)
class YamlValidation:
    """The answer of ``pipelines.validate_yaml`` for a valid definition."""

    message: str = ""
    pipeline_id: str = ""
