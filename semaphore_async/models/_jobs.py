"""Job models (``/api/v1alpha/jobs``) and job log events (``/api/v1alpha/logs``).

Servers: ``public-api-gateway/api/jobs.v1alpha/jobs.v1alpha.pb.go`` (``Job`` and its
nested messages, marshalled with proto names and every field present), and for log
events the agent's event writer as relayed by ``public-api/v1alpha/lib/pipelines_api/logs/get.ex``
and ``loghub2/pkg/publicapi/server.go``.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import EnvVar, File
from ._enums import JobResult, JobState

__all__ = [
    "Container",
    "ImagePullSecret",
    "Job",
    "JobAgent",
    "JobMetadata",
    "JobSecret",
    "JobSpec",
    "JobStatus",
    "JobStatusAgent",
    "LogEvent",
    "Machine",
    "Port",
]


@attrs.frozen(kw_only=True)
class JobMetadata:
    """Unset times (``"0"`` on the wire, before the job starts or finishes) are ``None``."""

    name: str = ""
    id: str = ""
    create_time: datetime | None = None
    update_time: datetime | None = None
    start_time: datetime | None = None
    finish_time: datetime | None = None


@attrs.frozen(kw_only=True)
class Machine:
    type: str = ""
    os_image: str = ""


@attrs.frozen(kw_only=True)
class JobSecret:
    """A secret a job (or one of its containers) uses, by name."""

    name: str = ""


@attrs.frozen(kw_only=True)
class Container:
    """A container of a Docker-based job."""

    name: str = ""
    image: str = ""
    command: str = ""
    env_vars: tuple[EnvVar, ...] = ()
    secrets: tuple[JobSecret, ...] = ()


@attrs.frozen(kw_only=True)
class ImagePullSecret:
    name: str = ""


@attrs.frozen(kw_only=True)
class JobAgent:
    """Where a job runs; ``machine`` is ``None`` when the job names none."""

    machine: Machine | None = None
    containers: tuple[Container, ...] = ()
    image_pull_secrets: tuple[ImagePullSecret, ...] = ()


@attrs.frozen(kw_only=True)
class JobSpec:
    """What a job runs. Restricted jobs come back with ``secrets``, ``env_vars`` and
    ``files`` empty."""

    project_id: str = ""
    agent: JobAgent | None = None
    secrets: tuple[JobSecret, ...] = ()
    env_vars: tuple[EnvVar, ...] = ()
    files: tuple[File, ...] = ()
    commands: tuple[str, ...] = ()
    epilogue_commands: tuple[str, ...] = ()
    epilogue_always_commands: tuple[str, ...] = ()
    epilogue_on_pass_commands: tuple[str, ...] = ()
    epilogue_on_fail_commands: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Port:
    name: str = ""
    number: int = 0


@attrs.frozen(kw_only=True)
class JobStatusAgent:
    """The agent a job runs on."""

    ip: str = ""
    ports: tuple[Port, ...] = ()
    name: str = ""


@attrs.frozen(kw_only=True)
class JobStatus:
    """``agent`` is ``None`` until the job runs."""

    result: JobResult | str = ""
    state: JobState | str = ""
    agent: JobStatusAgent | None = None


@attrs.frozen(kw_only=True)
class Job:
    """A job, as ``jobs.get`` describes it."""

    metadata: JobMetadata = JobMetadata()
    spec: JobSpec = JobSpec()
    status: JobStatus = JobStatus()

    @property
    def id(self) -> str:
        """Shortcut for ``metadata.id``."""
        return self.metadata.id


@attrs.frozen(kw_only=True)
class LogEvent:
    """One event of a job's log: ``event`` is ``job_started``, ``cmd_started``,
    ``cmd_output``, ``cmd_finished`` or ``job_finished``, and the fields an event kind
    does not carry are ``None`` (``directive`` on commands, ``output`` on output,
    ``exit_code``/``started_at``/``finished_at`` on a finished command, ``result`` on
    the finished job)."""

    event: str = ""
    timestamp: datetime | None = None
    directive: str | None = None
    output: str | None = None
    exit_code: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: str | None = None
