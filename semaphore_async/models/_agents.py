"""Self-hosted agent and agent type models.

Server: ``public-api/v1alpha/lib/pipelines_api/self_hosted_hub_client/response_formatter.ex``
over ``InternalApi.SelfHosted`` (``lib/internal_api/self_hosted.pb.ex``). Timestamps
arrive as integer epoch seconds.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import secret
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
    """AWS STS name assignment: the account and the allowed role name patterns
    (comma-separated)."""

    account_id: str = ""
    role_name_patterns: str = ""


@attrs.frozen(kw_only=True)
class AgentNameSettings:
    """How agents of a type get their names; ``aws`` is ``None`` unless the origin is
    AWS STS."""

    assignment_origin: AssignmentOrigin | str = ""
    release_after: int = 0
    aws: AwsSettings | None = None


@attrs.frozen(kw_only=True)
class AgentTypeSpec:
    """How agents of the type are named (``agent_name_settings``)."""

    agent_name_settings: AgentNameSettings = AgentNameSettings()


@attrs.frozen(kw_only=True)
class AgentTypeMetadata:
    """An agent type's name (``s1-...``) and when it was created and last updated."""

    name: str = ""
    create_time: datetime | None = None
    update_time: datetime | None = None


@attrs.frozen(kw_only=True)
class AgentTypeStatus:
    """``registration_token`` is only in the answer to ``create`` (else ``None``).
    ``total_agent_count`` is always 0 in the answers to ``create`` and ``update`` (the
    server does not count there)."""

    total_agent_count: int = 0
    registration_token: str | None = secret(None)


@attrs.frozen(kw_only=True)
class AgentType:
    """A self-hosted agent type."""

    metadata: AgentTypeMetadata = AgentTypeMetadata()
    spec: AgentTypeSpec = AgentTypeSpec()
    status: AgentTypeStatus = AgentTypeStatus()

    @property
    def name(self) -> str:
        """Shortcut for ``metadata.name``."""
        return self.metadata.name


@attrs.frozen(kw_only=True)
class AgentMetadata:
    """``disabled_at`` is set only for a disabled agent."""

    name: str = ""
    type: str = ""
    connected_at: datetime | None = None
    version: str = ""
    os: str = ""
    arch: str = ""
    hostname: str = ""
    ip_address: str = ""
    pid: int = 0
    disabled_at: datetime | None = None


@attrs.frozen(kw_only=True)
class AgentStatus:
    """A connected agent's state: ``waiting_for_job`` or ``running_job`` (``AgentState``)."""

    state: AgentState | str = ""


@attrs.frozen(kw_only=True)
class Agent:
    """A connected self-hosted agent."""

    metadata: AgentMetadata = AgentMetadata()
    status: AgentStatus = AgentStatus()
