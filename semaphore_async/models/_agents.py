"""Self-hosted agent and agent type models."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import AgentState, AssignmentOrigin

__all__ = [
    "Agent",
    "AgentMetadata",
    "AgentNameSettings",
    "AgentStatus",
    "AgentType",
    "AgentTypeMetadata",
    "AgentTypeSpec",
    "AgentTypeStatus",
    "AwsSettings",
]


@attrs.frozen(kw_only=True)
class AwsSettings:
    account_id: str | None = None
    role_name_patterns: str | None = None


@attrs.frozen(kw_only=True)
class AgentNameSettings:
    assignment_origin: AssignmentOrigin | str | None = None
    release_after: int | None = None
    aws: AwsSettings | None = None


@attrs.frozen(kw_only=True)
class AgentTypeSpec:
    agent_name_settings: AgentNameSettings | None = None


@attrs.frozen(kw_only=True)
class AgentTypeMetadata:
    name: str | None = None
    create_time: datetime | None = None
    update_time: datetime | None = None


@attrs.frozen(kw_only=True)
class AgentTypeStatus:
    """``registration_token`` is only present in the answer to ``create``."""

    total_agent_count: int | None = None
    registration_token: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(kw_only=True)
class AgentType:
    """A self-hosted agent type."""

    metadata: AgentTypeMetadata | None = None
    spec: AgentTypeSpec | None = None
    status: AgentTypeStatus | None = None

    @property
    def name(self) -> str | None:
        """Shortcut for ``metadata.name``."""
        return self.metadata.name if self.metadata else None


@attrs.frozen(kw_only=True)
class AgentMetadata:
    name: str | None = None
    type: str | None = None
    version: str | None = None
    os: str | None = None
    arch: str | None = None
    hostname: str | None = None
    ip_address: str | None = None
    pid: int | None = None
    connected_at: datetime | None = None
    disabled_at: datetime | None = None


@attrs.frozen(kw_only=True)
class AgentStatus:
    state: AgentState | str | None = None


@attrs.frozen(kw_only=True)
class Agent:
    """A connected self-hosted agent."""

    metadata: AgentMetadata | None = None
    status: AgentStatus | None = None
