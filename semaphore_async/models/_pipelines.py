"""Pipeline models (``/api/v1alpha/pipelines``, ``/api/v1alpha/yaml``)."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import (
    BlockState,
    JobResult,
    JobState,
    PipelineResult,
    PipelineResultReason,
    PipelineState,
)

__all__ = ["Block", "BlockJob", "Pipeline", "PipelineDescription", "YamlValidation"]


@attrs.frozen(kw_only=True)
class Pipeline:
    """A pipeline. ``result`` and ``result_reason`` are ``None`` until ``state`` is DONE;
    unset timestamps (the wire's 1970 and ``{0, 0}`` sentinels) are ``None``."""

    ppl_id: str | None = None
    wf_id: str | None = None
    name: str | None = None
    project_id: str | None = None
    branch_id: str | None = None
    branch_name: str | None = None
    commit_sha: str | None = None
    commit_message: str | None = None
    hook_id: str | None = None
    switch_id: str | None = None
    snapshot_id: str | None = None
    yaml_file_name: str | None = None
    working_directory: str | None = None
    state: PipelineState | str | None = None
    result: PipelineResult | str | None = None
    result_reason: PipelineResultReason | str | None = None
    error_description: str | None = None
    terminated_by: str | None = None
    terminate_request: str | None = None
    promotion_of: str | None = None
    partial_rerun_of: str | None = None
    created_at: datetime | None = None
    pending_at: datetime | None = None
    queuing_at: datetime | None = None
    running_at: datetime | None = None
    stopping_at: datetime | None = None
    done_at: datetime | None = None

    @property
    def is_done(self) -> bool:
        """True once the pipeline reached its final state."""
        return self.state == PipelineState.DONE


@attrs.frozen(kw_only=True)
class BlockJob:
    """A job as listed inside a detailed pipeline's block."""

    job_id: str | None = None
    name: str | None = None
    index: int | None = None
    status: JobState | str | None = None
    result: JobResult | str | None = None


@attrs.frozen(kw_only=True)
class Block:
    """A block of a detailed pipeline, with its jobs."""

    block_id: str | None = None
    name: str | None = None
    build_req_id: str | None = None
    state: BlockState | str | None = None
    result: PipelineResult | str | None = None
    result_reason: PipelineResultReason | str | None = None
    error_description: str | None = None
    jobs: tuple[BlockJob, ...] = ()


@attrs.frozen(kw_only=True)
class PipelineDescription:
    """What ``pipelines.get`` returns: the pipeline and, with ``detailed=True``, its blocks."""

    pipeline: Pipeline | None = None
    blocks: tuple[Block, ...] = ()


@attrs.frozen(kw_only=True)
class YamlValidation:
    """The answer of ``pipelines.validate_yaml`` for a valid definition."""

    message: str | None = None
    pipeline_id: str | None = None
