"""Enums the workflow and pipeline endpoints send. Unknown values arrive as plain ``str``."""

from __future__ import annotations

from .._enums import WireEnum, proto_numbers

__all__ = [
    "BlockState",
    "JobResult",
    "JobState",
    "PipelineResult",
    "PipelineResultReason",
    "PipelineState",
    "TriggeredBy",
]


class PipelineState(WireEnum):
    """A pipeline's state; the describe endpoint sends it lower-case, the list upper-case."""

    INITIALIZING = "INITIALIZING"
    PENDING = "PENDING"
    QUEUING = "QUEUING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    DONE = "DONE"


class PipelineResult(WireEnum):
    """A pipeline's (or block's) result; present only once the state is ``DONE``."""

    PASSED = "PASSED"
    STOPPED = "STOPPED"
    CANCELED = "CANCELED"
    FAILED = "FAILED"


class PipelineResultReason(WireEnum):
    """Why a pipeline ended with its result."""

    TEST = "TEST"
    MALFORMED = "MALFORMED"
    STUCK = "STUCK"
    DELETED = "DELETED"
    INTERNAL = "INTERNAL"
    USER = "USER"
    STRATEGY = "STRATEGY"
    FAST_FAILING = "FAST_FAILING"
    TIMEOUT = "TIMEOUT"


class BlockState(WireEnum):
    """A block's state inside a detailed pipeline."""

    INITIALIZING = "INITIALIZING"
    WAITING = "WAITING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    DONE = "DONE"


class JobState(WireEnum):
    """A job's state (``status`` in a pipeline's blocks, ``status.state`` in a job)."""

    PENDING = "PENDING"
    ENQUEUED = "ENQUEUED"
    QUEUED = "QUEUED"
    SCHEDULED = "SCHEDULED"
    STARTED = "STARTED"
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"


class JobResult(WireEnum):
    """A job's result."""

    NONE = "NONE"
    PASSED = "PASSED"
    FAILED = "FAILED"
    STOPPED = "STOPPED"


@proto_numbers({0: "HOOK", 1: "SCHEDULE", 2: "API", 3: "MANUAL_RUN"})
class TriggeredBy(WireEnum):
    """What started a workflow. The workflow list sends the proto number (``1``), the
    describe sends the name (``"HOOK"``); both read as the same member."""

    HOOK = "HOOK"
    SCHEDULE = "SCHEDULE"
    API = "API"
    MANUAL_RUN = "MANUAL_RUN"
