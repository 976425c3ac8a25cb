"""Project models (``/api/v1alpha/projects``).

Server: ``projecthub-rest-api/lib/projecthub/http_api.ex`` (``encode_project/1`` and the
request readers beside it). Responses carry no nulls: empty strings, lists and objects.
"""

from __future__ import annotations

import attrs

from ._common import server_set
from ._enums import (
    ActiveState,
    IntegrationType,
    JobPermission,
    PipelineFileLevel,
    RunOn,
    Visibility,
)
from ._schedules import TaskParameter

__all__ = [
    "ForkedPullRequests",
    "PipelineFile",
    "Project",
    "ProjectMetadata",
    "ProjectReference",
    "ProjectScheduler",
    "ProjectSpec",
    "ProjectTask",
    "Repository",
    "RepositoryStatus",
    "Whitelist",
]


@attrs.frozen(kw_only=True)
class ProjectMetadata:
    """The server ignores ``description`` on create (set it with an update)."""

    name: str = ""
    id: str = server_set("")
    owner_id: str = server_set("")
    org_id: str = server_set("")
    description: str = ""


@attrs.frozen(kw_only=True)
class Whitelist:
    """The branches and tags whose pushes may run workflows (patterns, ``/regex/`` allowed)."""

    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ForkedPullRequests:
    """Which secrets and contributors pull requests from forks may use."""

    allowed_secrets: tuple[str, ...] = ()
    allowed_contributors: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class PipelineFile:
    """A pipeline file of a repository and the level it is defined at."""

    path: str = ""
    level: PipelineFileLevel | str = ""


@attrs.frozen(kw_only=True)
class RepositoryStatus:
    """The pipeline files the project's repository reports to Semaphore."""

    pipeline_files: tuple[PipelineFile, ...] = ()


@attrs.frozen(kw_only=True)
class Repository:
    """``name`` and ``owner`` come from the git provider; ``integration_type`` is read
    only on create."""

    url: str = ""
    name: str = server_set("")
    owner: str = server_set("")
    forked_pull_requests: ForkedPullRequests = ForkedPullRequests()
    run_on: tuple[RunOn | str, ...] = ()
    pipeline_file: str = ""
    status: RepositoryStatus = RepositoryStatus()
    whitelist: Whitelist = Whitelist()
    integration_type: IntegrationType | str = ""


@attrs.frozen(kw_only=True)
class ProjectReference:
    """The git reference of a scheduler or task, in answers only (for tags)."""

    type: str = ""
    name: str = ""


@attrs.frozen(kw_only=True)
class ProjectScheduler:
    """A scheduler of the project. ``branch`` is a bare branch name or a full
    ``refs/tags/...`` reference; answers add ``reference`` for tags. ``status`` is
    ``None`` when the server has none to report."""

    id: str = ""
    name: str = ""
    branch: str = ""
    at: str = ""
    pipeline_file: str = ""
    status: ActiveState | str | None = None
    reference: ProjectReference | None = server_set(None)


@attrs.frozen(kw_only=True)
class ProjectTask:
    """A task of the project. ``scheduled`` says whether it also runs on its ``at``
    schedule (the server's proto calls it ``recurring``; the wire says ``scheduled``)."""

    id: str = ""
    name: str = ""
    description: str = ""
    branch: str = ""
    at: str = ""
    pipeline_file: str = ""
    scheduled: bool = False
    parameters: tuple[TaskParameter, ...] = ()
    status: ActiveState | str | None = None
    reference: ProjectReference | None = server_set(None)


@attrs.frozen(kw_only=True)
class ProjectSpec:
    """A project's settings. Lists leave ``schedulers`` and ``tasks`` empty; a describe
    fills one of the two (``tasks`` in organizations with tasks)."""

    repository: Repository = Repository()
    schedulers: tuple[ProjectScheduler, ...] = ()
    tasks: tuple[ProjectTask, ...] = ()
    visibility: Visibility | str = ""
    custom_permissions: bool = False
    debug_permissions: tuple[JobPermission | str, ...] = ()
    attach_permissions: tuple[JobPermission | str, ...] = ()


@attrs.frozen(kw_only=True)
class Project:
    """A project; also what ``projects.create``/``update`` take. An update replaces the
    whole project (fields left out take their defaults), so start from
    ``projects.get(...)`` and change it with ``attrs.evolve``."""

    apiVersion: str = server_set("")
    kind: str = server_set("")
    metadata: ProjectMetadata = ProjectMetadata()
    spec: ProjectSpec = ProjectSpec()

    @property
    def id(self) -> str:
        """Shortcut for ``metadata.id``."""
        return self.metadata.id

    @property
    def name(self) -> str:
        """Shortcut for ``metadata.name``."""
        return self.metadata.name
