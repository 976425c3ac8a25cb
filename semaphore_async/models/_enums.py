"""Enums the API sends. Unknown values arrive as plain ``str``, never as an error.

Values are spelled as the server reads them in requests; any case the server sends
(``"done"`` in a describe, ``"DONE"`` in a list) and the proto numbers some endpoints
send instead of names read as the same member.
"""

from __future__ import annotations

from .._enums import WireEnum, proto_numbers

__all__ = [
    "ActiveState",
    "AgentState",
    "ArtifactAction",
    "ArtifactMethod",
    "AssignmentOrigin",
    "AttachAccess",
    "BlockState",
    "DebugAccess",
    "DeploymentState",
    "IntegrationType",
    "JobPermission",
    "JobResult",
    "JobState",
    "MatchMode",
    "NotifyState",
    "NotifyStatus",
    "ObjectRuleType",
    "PipelineFileLevel",
    "PipelineResult",
    "PipelineResultReason",
    "PipelineState",
    "PipelineTriggeredBy",
    "ProjectAccess",
    "ProjectsAccess",
    "PromotionStatus",
    "QueueType",
    "RunOn",
    "SchedulingStatus",
    "SecretOrder",
    "SubjectRuleType",
    "TargetState",
    "TriggeredBy",
    "Visibility",
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
    """Why a pipeline (or block) ended with its result (a passed one says ``TEST``)."""

    TEST = "TEST"
    MALFORMED = "MALFORMED"
    STUCK = "STUCK"
    DELETED = "DELETED"
    INTERNAL = "INTERNAL"
    USER = "USER"
    STRATEGY = "STRATEGY"
    FAST_FAILING = "FAST_FAILING"
    TIMEOUT = "TIMEOUT"
    SKIPPED = "SKIPPED"


class BlockState(WireEnum):
    """A block's state inside a detailed pipeline."""

    INITIALIZING = "INITIALIZING"
    WAITING = "WAITING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    DONE = "DONE"


class JobState(WireEnum):
    """A job's state: ``status`` of a job in a pipeline's blocks (ENQUEUED, RUNNING,
    STOPPING, FINISHED) and ``status.state`` of a described job (PENDING, QUEUED,
    RUNNING, FINISHED)."""

    PENDING = "PENDING"
    ENQUEUED = "ENQUEUED"
    QUEUED = "QUEUED"
    SCHEDULED = "SCHEDULED"
    STARTED = "STARTED"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
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


@proto_numbers({0: "WORKFLOW", 1: "PROMOTION", 2: "AUTO_PROMOTION", 3: "PARTIAL_RE_RUN"})
class PipelineTriggeredBy(WireEnum):
    """What started a pipeline within its workflow (``triggerer.ppl_triggered_by``)."""

    WORKFLOW = "WORKFLOW"
    PROMOTION = "PROMOTION"
    AUTO_PROMOTION = "AUTO_PROMOTION"
    PARTIAL_RE_RUN = "PARTIAL_RE_RUN"


@proto_numbers({0: "IMPLICIT", 1: "USER_GENERATED"})
class QueueType(WireEnum):
    """A pipeline queue's kind: the project's implicit queue or one the YAML names."""

    IMPLICIT = "IMPLICIT"
    USER_GENERATED = "USER_GENERATED"


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
    GROUP = "GROUP"
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


class SchedulingStatus(WireEnum):
    """How a scheduler's trigger went (the server sends it lower-case)."""

    RUNNING = "RUNNING"
    PASSED = "PASSED"
    FAILED = "FAILED"


class ArtifactAction(WireEnum):
    """What a signed artifact URL is for."""

    PUSH = "PUSH"
    PUSHFORCE = "PUSHFORCE"
    PULL = "PULL"
    YANK = "YANK"


class ArtifactMethod(WireEnum):
    """The HTTP method to use with a signed artifact URL."""

    DELETE = "DELETE"
    GET = "GET"
    HEAD = "HEAD"
    PUT = "PUT"
    POST = "POST"


class ActiveState(WireEnum):
    """Whether a project's scheduler or task is active."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class NotifyStatus(WireEnum):
    """Whether one channel of a notification rule is active."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class NotifyState(WireEnum):
    """A pipeline state a notification rule fires on."""

    STARTED = "STARTED"
    FINISHED = "FINISHED"


class SecretOrder(WireEnum):
    """The order of a secrets list."""

    BY_NAME_ASC = "BY_NAME_ASC"
    BY_CREATE_TIME_ASC = "BY_CREATE_TIME_ASC"


@proto_numbers({0: "ALL", 1: "ALLOWED", 2: "NONE"})
class ProjectsAccess(WireEnum):
    """Which projects may use an organization secret (``org_config.projects_access``)."""

    ALL = "ALL"
    ALLOWED = "ALLOWED"
    NONE = "NONE"


ProjectAccess = ProjectsAccess
"""The old name of :class:`ProjectsAccess`, kept as an alias."""


@proto_numbers({0: "JOB_DEBUG_YES", 2: "JOB_DEBUG_NO"})
class DebugAccess(WireEnum):
    """Whether jobs using an organization secret may be debugged."""

    JOB_DEBUG_YES = "JOB_DEBUG_YES"
    JOB_DEBUG_NO = "JOB_DEBUG_NO"


@proto_numbers({0: "JOB_ATTACH_YES", 2: "JOB_ATTACH_NO"})
class AttachAccess(WireEnum):
    """Whether jobs using an organization secret may be attached to."""

    JOB_ATTACH_YES = "JOB_ATTACH_YES"
    JOB_ATTACH_NO = "JOB_ATTACH_NO"


class Visibility(WireEnum):
    """A project's visibility."""

    PRIVATE = "private"
    PUBLIC = "public"


class RunOn(WireEnum):
    """What makes a project run: ``spec.repository.run_on``."""

    TAGS = "tags"
    BRANCHES = "branches"
    PULL_REQUESTS = "pull_requests"
    FORKED_PULL_REQUESTS = "forked_pull_requests"
    DRAFT_PULL_REQUESTS = "draft_pull_requests"


class IntegrationType(WireEnum):
    """How a project's repository is connected."""

    GITHUB_TOKEN = "github_token"  # noqa: S105 - an integration's name, not a secret
    GITHUB_APP = "github_app"
    BITBUCKET = "bitbucket"
    GITLAB = "gitlab"
    GIT = "git"


class JobPermission(WireEnum):
    """Jobs of which kind of run may be debugged or attached to (``spec.debug_permissions``,
    ``spec.attach_permissions``; ``empty`` is debug only)."""

    EMPTY = "empty"
    DEFAULT_BRANCH = "default_branch"
    NON_DEFAULT_BRANCH = "non_default_branch"
    PULL_REQUEST = "pull_request"
    FORKED_PULL_REQUEST = "forked_pull_request"
    TAG = "tag"


class PipelineFileLevel(WireEnum):
    """Where a pipeline file of a project's repository status is used."""

    BLOCK = "block"
    PIPELINE = "pipeline"
