"""Job models (``/api/v1alpha/jobs``, ``/api/v1alpha/logs``)."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import EnvVar
from ._enums import JobResult, JobState

__all__ = [
    "Job",
    "JobAgent",
    "JobMetadata",
    "JobSpec",
    "JobStatus",
    "JobStatusAgent",
    "LogEvent",
    "Machine",
    "Port",
]


@attrs.frozen(kw_only=True)
class JobMetadata:
    name: str | None = None
    id: str | None = None
    create_time: datetime | None = None
    update_time: datetime | None = None
    start_time: datetime | None = None
    finish_time: datetime | None = None


@attrs.frozen(kw_only=True)
class Machine:
    type: str | None = None
    os_image: str | None = None


@attrs.frozen(kw_only=True)
class JobAgent:
    machine: Machine | None = None


@attrs.frozen(kw_only=True)
class JobSpec:
    project_id: str | None = None
    agent: JobAgent | None = None
    env_vars: tuple[EnvVar, ...] = ()
    commands: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Port:
    name: str | None = None
    number: int | None = None


@attrs.frozen(kw_only=True)
class JobStatusAgent:
    """Where the job runs; ``None`` before it starts."""

    ip: str | None = None
    name: str | None = None
    ports: tuple[Port, ...] = ()


@attrs.frozen(kw_only=True)
class JobStatus:
    result: JobResult | str | None = None
    state: JobState | str | None = None
    agent: JobStatusAgent | None = None


@attrs.frozen(kw_only=True)
class Job:
    """A job, as ``jobs.get`` describes it."""

    metadata: JobMetadata | None = None
    spec: JobSpec | None = None
    status: JobStatus | None = None

    @property
    def id(self) -> str | None:
        """Shortcut for ``metadata.id``."""
        return self.metadata.id if self.metadata else None


@attrs.frozen(kw_only=True)
class LogEvent:
    """One event of a job's log (``job_started``, ``cmd_started``, ``cmd_output``,
    ``cmd_finished``, ``job_finished``); fields that an event kind lacks are ``None``."""

    event: str | None = None
    timestamp: datetime | None = None
    directive: str | None = None
    output: str | None = None
    exit_code: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: str | None = None
