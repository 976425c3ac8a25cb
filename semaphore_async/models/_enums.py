"""Enums the API sends. Unknown values arrive as plain ``str``, never as an error."""

from __future__ import annotations

from .._enums import WireEnum, proto_numbers

__all__ = [
    "AgentState",
    "ArtifactAction",
    "AssignmentOrigin",
    "BlockState",
    "DeploymentState",
    "JobResult",
    "JobState",
    "MatchMode",
    "NotifyStatus",
    "ObjectRuleType",
    "PipelineResult",
    "PipelineResultReason",
    "PipelineState",
    "ProjectAccess",
    "PromotionStatus",
    "SecretOrder",
    "SubjectRuleType",
    "TargetState",
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


class PromotionStatus(WireEnum):
    """A promotion's status (the server sends it lower-case)."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    PROCESSING = "PROCESSING"


class AssignmentOrigin(WireEnum):
    """How a self-hosted agent gets its name."""

    AGENT = "assignment_origin_agent"
    AWS_STS = "assignment_origin_aws_sts"


class AgentState(WireEnum):
    """A self-hosted agent's state."""

    WAITING_FOR_JOB = "waiting_for_job"
    RUNNING_JOB = "running_job"


class TargetState(WireEnum):
    """A deployment target's state."""

    SYNCING = "SYNCING"
    USABLE = "USABLE"
    UNUSABLE = "UNUSABLE"
    CORDONED = "CORDONED"


class SubjectRuleType(WireEnum):
    """Who may promote to a deployment target."""

    ANY = "ANY"
    USER = "USER"
    ROLE = "ROLE"
    AUTO = "AUTO"


class ObjectRuleType(WireEnum):
    """Which git references may be promoted to a deployment target."""

    BRANCH = "BRANCH"
    TAG = "TAG"
    PR = "PR"


class MatchMode(WireEnum):
    """How an object rule's pattern matches."""

    ALL = "ALL"
    EXACT = "EXACT"
    REGEX = "REGEX"


class DeploymentState(WireEnum):
    """A deployment's state in a target's history."""

    PENDING = "PENDING"
    STARTED = "STARTED"
    FAILED = "FAILED"


class ArtifactAction(WireEnum):
    """What a signed artifact URL is for."""

    PUSH = "PUSH"
    PUSHFORCE = "PUSHFORCE"
    PULL = "PULL"
    YANK = "YANK"


class NotifyStatus(WireEnum):
    """Whether one channel of a notification rule is active."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class SecretOrder(WireEnum):
    """The order of a secrets list."""

    BY_NAME_ASC = "BY_NAME_ASC"
    BY_CREATE_TIME_ASC = "BY_CREATE_TIME_ASC"


class ProjectAccess(WireEnum):
    """Which projects may use an organization secret."""

    ALL = "ALL"
    ALLOWED = "ALLOWED"
    NONE = "NONE"
