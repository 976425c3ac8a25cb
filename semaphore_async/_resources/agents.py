"""Self-hosted agent types (``/api/v1alpha/self_hosted_agent_types``) and agents
(``/api/v1alpha/agents``)."""

from __future__ import annotations

from collections.abc import Sequence

from .._args import flag, identifier, optional_text, query, text
from .._errors import InvalidArgumentError
from .._pagination import AsyncPaginator, Scheme, next_from_cursor, no_next_page
from .._paths import path
from .._query import PageRequest
from .._retry import Safety
from ..models import Agent, AgentType, AssignmentOrigin
from ._base import AsyncResource, check_page_size

__all__ = ["AsyncAgentTypes", "AsyncAgents"]

_TYPES = "/api/v1alpha/self_hosted_agent_types"
_AGENTS = "/api/v1alpha/agents"
_TYPES_SCHEME = Scheme(no_next_page, items_key="agent_types")
_AGENTS_SCHEME = Scheme(next_from_cursor, items_key="agents")


class AsyncAgentTypes(AsyncResource):
    """Create, describe, list, update and delete self-hosted agent types."""

    def list(self) -> AsyncPaginator[AgentType]:
        """Every agent type (the server returns them all at once).
        ``GET /api/v1alpha/self_hosted_agent_types``"""
        return AsyncPaginator(self._core, PageRequest(_TYPES), _TYPES_SCHEME, AgentType)

    async def get(self, name: str) -> AgentType:
        """Describe an agent type. ``GET .../self_hosted_agent_types/:name``."""
        return await self._core.request_model("GET", path(_TYPES + "/{name}", name=name), AgentType)

    async def create(
        self,
        name: str,
        *,
        assignment_origin: AssignmentOrigin | str | None = None,
        release_after: int | None = None,
        aws_account_id: str | None = None,
        aws_role_name_patterns: str | Sequence[str] | None = None,
    ) -> AgentType:
        """Create an agent type. ``POST /api/v1alpha/self_hosted_agent_types``.

        The answer's ``status.registration_token`` is the only time the server shows the
        token agents register with. ``aws_role_name_patterns`` takes a comma-separated
        string or a list. Sent once (a creating call).
        """
        body = self._spec(
            identifier("name", name),
            assignment_origin,
            release_after,
            aws_account_id,
            aws_role_name_patterns,
        )
        return await self._core.request_model(
            "POST", _TYPES, AgentType, body=body, safety=Safety.NOT_IDEMPOTENT
        )

    async def update(
        self,
        name: str,
        *,
        assignment_origin: AssignmentOrigin | str | None = None,
        release_after: int | None = None,
        aws_account_id: str | None = None,
        aws_role_name_patterns: str | Sequence[str] | None = None,
    ) -> AgentType:
        """Replace an agent type's name settings. ``PATCH .../self_hosted_agent_types/:name``.

        The server replaces the settings whole: a keyword left out takes its default
        (``assignment_origin_agent``, ``release_after`` 0, no AWS). The type is named in
        the body, as the server reads it (it ignores the path); a type cannot be renamed.
        """
        body = self._spec(
            identifier("name", name),
            assignment_origin,
            release_after,
            aws_account_id,
            aws_role_name_patterns,
        )
        return await self._core.request_model(
            "PATCH",
            path(_TYPES + "/{name}", name=name),
            AgentType,
            body=body,
            safety=Safety.IDEMPOTENT,  # sets the settings to these values: harmless twice
        )

    async def delete(self, name: str) -> None:
        """Delete an agent type. ``DELETE .../self_hosted_agent_types/:name``."""
        await self._core.request("DELETE", path(_TYPES + "/{name}", name=name))

    async def disable_all(self, name: str, *, only_idle: bool = True) -> None:
        """Disable the agents of a type: only idle ones (default) or all of them.
        ``POST .../self_hosted_agent_types/:name/disable_all``."""
        await self._core.request(
            "POST",
            path(_TYPES + "/{name}/disable_all", name=name),
            body={"only_idle": flag("only_idle", only_idle)},
            safety=Safety.IDEMPOTENT,  # disabling twice does no harm
        )

    @staticmethod
    def _spec(
        name: str,
        assignment_origin: AssignmentOrigin | str | None,
        release_after: int | None,
        aws_account_id: str | None,
        aws_role_name_patterns: str | Sequence[str] | None,
    ) -> dict[str, object]:
        settings: dict[str, object] = {}
        if assignment_origin is not None:
            origin = AssignmentOrigin.from_wire(assignment_origin)
            if not isinstance(origin, AssignmentOrigin):
                known = ", ".join(o.value for o in AssignmentOrigin)
                raise InvalidArgumentError(
                    f"assignment_origin must be one of {known}, got {assignment_origin!r}"
                )
            settings["assignment_origin"] = origin.value
        if release_after is not None:
            if isinstance(release_after, bool) or not isinstance(release_after, int):
                raise InvalidArgumentError("release_after must be an integer number of seconds")
            if release_after != 0 and release_after < 60:
                # self_hosted_hub/pkg/models/agent_type.go validateReleaseAfter
                raise InvalidArgumentError(
                    f"release_after must be 0 or at least 60 seconds, got {release_after}"
                )
            settings["release_after"] = release_after
        aws: dict[str, str] = {}
        if aws_account_id is not None:
            aws["account_id"] = text("aws_account_id", aws_account_id)
        if aws_role_name_patterns is not None:
            patterns = aws_role_name_patterns
            if not isinstance(patterns, str):
                patterns = ",".join(text("aws_role_name_patterns[]", p) for p in patterns)
            aws["role_name_patterns"] = text("aws_role_name_patterns", patterns)
        if aws:
            settings["aws"] = aws
        body: dict[str, object] = {"metadata": {"name": name}}
        if settings:
            body["spec"] = {"agent_name_settings": settings}
        return body


class AsyncAgents(AsyncResource):
    """List and describe connected self-hosted agents."""

    def list(
        self, *, agent_type: str | None = None, page_size: int | None = None
    ) -> AsyncPaginator[Agent]:
        """Every agent (of one type, if given), across all pages (body ``cursor``).
        ``page_size`` must be 5 to 200 (the server's default is 200).
        ``GET /api/v1alpha/agents``"""
        params = query(
            agent_type=optional_text("agent_type", agent_type),
            page_size=check_page_size(page_size, low=5, high=200),
        )
        return AsyncPaginator(self._core, PageRequest(_AGENTS, params), _AGENTS_SCHEME, Agent)

    async def get(self, name: str) -> Agent:
        """Describe an agent. ``GET /api/v1alpha/agents/:name``."""
        return await self._core.request_model("GET", path(_AGENTS + "/{name}", name=name), Agent)
