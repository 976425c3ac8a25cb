"""Secret models (organization ``/api/v1beta/secrets``, project ``/api/v1/projects/:p/secrets``)."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import EnvVar, File
from ._enums import ProjectAccess

__all__ = ["OrgConfig", "Secret", "SecretData", "SecretMetadata"]


@attrs.frozen(kw_only=True)
class SecretMetadata:
    """``checkout_at`` arrives as an epoch-seconds string, ``"0"`` if never checked out."""

    name: str | None = None
    id: str | None = None
    project_id_or_name: str | None = None
    create_time: datetime | None = None
    update_time: datetime | None = None
    checkout_at: datetime | None = None
    content_included: bool | None = None


@attrs.frozen(kw_only=True)
class SecretData:
    """A secret's values. Kept out of ``repr`` so they do not end up in logs."""

    env_vars: tuple[EnvVar, ...] = attrs.field(default=(), repr=False)
    files: tuple[File, ...] = attrs.field(default=(), repr=False)


@attrs.frozen(kw_only=True)
class OrgConfig:
    """Who may use an organization secret."""

    project_access: ProjectAccess | str | None = None
    project_ids: tuple[str, ...] = ()
    debug_access: str | None = None
    attach_access: str | None = None


@attrs.frozen(kw_only=True)
class Secret:
    """An organization or project secret; also what ``create``/``update`` take."""

    metadata: SecretMetadata | None = None
    data: SecretData | None = None
    org_config: OrgConfig | None = None
