"""Project models (``/api/v1alpha/projects``)."""

from __future__ import annotations

import attrs

__all__ = [
    "ForkedPullRequests",
    "PipelineFile",
    "Project",
    "ProjectMetadata",
    "ProjectSpec",
    "Repository",
    "RepositoryStatus",
    "Whitelist",
]


@attrs.frozen(kw_only=True)
class ProjectMetadata:
    name: str | None = None
    id: str | None = None
    owner_id: str | None = None
    org_id: str | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Whitelist:
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ForkedPullRequests:
    allowed_secrets: tuple[str, ...] = ()
    allowed_contributors: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class PipelineFile:
    path: str | None = None
    level: str | None = None


@attrs.frozen(kw_only=True)
class RepositoryStatus:
    pipeline_files: tuple[PipelineFile, ...] = ()


@attrs.frozen(kw_only=True)
class Repository:
    url: str | None = None
    name: str | None = None
    owner: str | None = None
    integration_type: str | None = None
    run_on: tuple[str, ...] = ()
    pipeline_file: str | None = None
    whitelist: Whitelist | None = None
    forked_pull_requests: ForkedPullRequests | None = None
    status: RepositoryStatus | None = None


@attrs.frozen(kw_only=True)
class ProjectSpec:
    visibility: str | None = None
    repository: Repository | None = None


@attrs.frozen(kw_only=True)
class Project:
    """A project; also what ``projects.create``/``update`` take."""

    apiVersion: str | None = None
    kind: str | None = None
    metadata: ProjectMetadata | None = None
    spec: ProjectSpec | None = None

    @property
    def id(self) -> str | None:
        """Shortcut for ``metadata.id``."""
        return self.metadata.id if self.metadata else None

    @property
    def name(self) -> str | None:
        """Shortcut for ``metadata.name``."""
        return self.metadata.name if self.metadata else None
