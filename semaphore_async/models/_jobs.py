"""Job models (``/api/v1alpha/jobs``).

Server: ``public-api-gateway/api/jobs.v1alpha/jobs.v1alpha.pb.go`` (``Job`` and its
nested messages, marshalled with proto names and every field present).
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
    """The machine type (``e1-standard-2``) and OS image a job runs on."""

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
    """A secret, by name, that holds the credentials to pull a job's container images."""

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
    """A port an agent exposes, by name and number."""

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
