"""Secret models: organization secrets (``/api/v1beta/secrets``) and project secrets
(``/api/v1/projects/:p/secrets``).

Servers: ``public-api-gateway/api/secrets.v1beta/secrets.v1beta.pb.go`` (``Secret``,
``Secret_Metadata``, ``Secret_Data``, ``Secret_OrgConfig``) and
``public-api-gateway/api/project_secrets.v1/project_secrets.v1.pb.go``.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import EnvVar, File, server_set
from ._enums import AttachAccess, DebugAccess, ProjectsAccess

__all__ = [
    "OrgConfig",
    "ProjectSecret",
    "ProjectSecretMetadata",
    "Secret",
    "SecretData",
    "SecretMetadata",
]


@attrs.frozen(kw_only=True)
class SecretMetadata:
    """``checkout_at`` is ``None`` until the secret is first used by a job.
    ``content_included`` is False when the organization does not expose secret values
    through the API: then every value and content reads ``""``."""

    name: str = ""
    id: str = server_set("")
    create_time: datetime | None = server_set(None)
    update_time: datetime | None = server_set(None)
    checkout_at: datetime | None = server_set(None)
    content_included: bool = server_set(False)


@attrs.frozen(kw_only=True)
class SecretData:
    """A secret's values. Kept out of ``repr`` so they do not end up in logs."""

    env_vars: tuple[EnvVar, ...] = attrs.field(default=(), repr=False)
    files: tuple[File, ...] = attrs.field(default=(), repr=False)


@attrs.frozen(kw_only=True)
class OrgConfig:
    """Who may use an organization secret: ``projects_access`` ALL, ALLOWED (the
    ``project_ids``) or NONE, and whether jobs using it may be debugged or attached to.

    The docs call the first field ``project_access``; the server reads only
    ``projects_access`` and silently drops the other spelling, so a mapping that uses
    the docs' name is translated by the SDK."""

    projects_access: ProjectsAccess | str = ""
    project_ids: tuple[str, ...] = ()
    debug_access: DebugAccess | str = ""
    attach_access: AttachAccess | str = ""


@attrs.frozen(kw_only=True)
class Secret:
    """An organization secret; also what ``secrets.create``/``update`` take.
    ``org_config`` is ``None`` unless the organization has secret access policies."""

    metadata: SecretMetadata = SecretMetadata()
    data: SecretData = SecretData()
    org_config: OrgConfig | None = None


@attrs.frozen(kw_only=True)
class ProjectSecretMetadata:
    """``project_id_or_name`` is the project's id in answers; the SDK fills it from
    the path on create."""

    name: str = ""
    id: str = server_set("")
    create_time: datetime | None = server_set(None)
    update_time: datetime | None = server_set(None)
    checkout_at: datetime | None = server_set(None)
    project_id_or_name: str = ""
    content_included: bool = server_set(False)


@attrs.frozen(kw_only=True)
class ProjectSecret:
    """A project secret; also what ``project_secrets.create``/``update`` take."""

    metadata: ProjectSecretMetadata = ProjectSecretMetadata()
    data: SecretData | None = None
