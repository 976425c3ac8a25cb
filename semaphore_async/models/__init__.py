"""The models the API returns: frozen ``attrs`` classes whose attributes are the wire names.

Every field is optional (``None``, or ``()`` for lists) because the server drops fields it
has no value for; timestamps are aware UTC ``datetime`` objects whatever their wire format.
"""

from ._enums import (
    BlockState,
    JobResult,
    JobState,
    PipelineResult,
    PipelineResultReason,
    PipelineState,
    TriggeredBy,
)
from ._pipelines import Block, BlockJob, Pipeline, PipelineDescription, YamlValidation
from ._workflows import Workflow, WorkflowRerun, WorkflowRun

__all__ = [
    "Block",
    "BlockJob",
    "BlockState",
    "JobResult",
    "JobState",
    "Pipeline",
    "PipelineDescription",
    "PipelineResult",
    "PipelineResultReason",
    "PipelineState",
    "TriggeredBy",
    "Workflow",
    "WorkflowRerun",
    "WorkflowRun",
    "YamlValidation",
]
