"""plumber-public: self-hosted agent types and agents.

As ``public-api/v1alpha/lib/pipelines_api/self_hosted_agent_types/*.ex`` and
``self_hosted_hub_client/*`` over the hub: lower-case enums, integer epoch seconds,
``aws`` null for agent-origin types, ``registration_token`` only on create, a PATCH that
replaces the settings and names its type in the body, a body ``cursor`` for agents.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ._state import AgentRec, AgentTypeRec
from ._wire import (
    Answer,
    Area,
    Names,
    Route,
    decode_cursor,
    encode_cursor,
    json_body,
    json_string,
    params_of,
)

__all__ = ["AgentRoutes", "render_agent", "render_agent_type"]

TYPES = "/api/v1alpha/self_hosted_agent_types"
AGENTS = "/api/v1alpha/agents"
_TYPE_BODY: Names = {
    "metadata": {"name": None},
    "spec": {
        "agent_name_settings": {
            "assignment_origin": None,
            "release_after": None,
            "aws": {"account_id": None, "role_name_patterns": None},
        }
    },
}
_ORIGINS = ("assignment_origin_agent", "assignment_origin_aws_sts")


def render_agent_type(
    agent_type: AgentTypeRec, *, created: bool = False, counted: bool = True, agents: int = 0
) -> dict[str, Any]:
    status: dict[str, Any] = {"total_agent_count": agents if counted else 0}
    if created:
        status["registration_token"] = agent_type.registration_token
    return {
        "metadata": {
            "name": agent_type.name,
            "create_time": agent_type.create_time,
            "update_time": agent_type.update_time,
        },
        "spec": {
            "agent_name_settings": {
                "assignment_origin": agent_type.assignment_origin,
                "release_after": agent_type.release_after,
                "aws": agent_type.aws,
            }
        },
        "status": status,
    }


def render_agent(agent: AgentRec) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "name": agent.name,
        "type": agent.type,
        "connected_at": agent.connected_at,
        "version": "v2.2.23",
        "os": "Ubuntu 22.04 LTS",
        "arch": "x86_64",
        "hostname": f"host-{agent.name[:6]}",
        "ip_address": "127.0.0.1",
        "pid": 14,
    }
    if agent.disabled_at is not None:  # present only when disabled
        metadata["disabled_at"] = agent.disabled_at
    return {"metadata": metadata, "status": {"state": agent.state}}


class AgentRoutes(Area):
    def routes(self) -> list[Route]:
        return [
            Route("GET", TYPES, self.type_list, "plumber", {"page": None}),
            Route("POST", TYPES, self.type_create, "plumber", _TYPE_BODY),
            Route("GET", TYPES + "/{name}", self.type_get, "plumber", {}),
            Route("PATCH", TYPES + "/{name}", self.type_update, "plumber", _TYPE_BODY),
            Route("DELETE", TYPES + "/{name}", self.type_delete, "plumber", {}),
            Route(
                "POST",
                TYPES + "/{name}/disable_all",
                self.type_disable_all,
                "plumber",
                {"only_idle": None},
            ),
            Route(
                "GET",
                AGENTS,
                self.agent_list,
                "plumber",
                {"agent_type": None, "page_size": None, "cursor": None},
            ),
            Route("GET", AGENTS + "/{name}", self.agent_get, "plumber", {}),
        ]

    def _count(self, agent_type: AgentTypeRec) -> int:
        return sum(1 for a in self.state.agents.values() if a.type == agent_type.name)

    async def type_list(self, request: web.Request) -> web.Response:
        types = sorted(self.state.agent_types.values(), key=lambda t: t.create_time)
        return json_body(
            {"agent_types": [render_agent_type(t, agents=self._count(t)) for t in types]}
        )

    @staticmethod
    def _settings(params: dict[str, Any]) -> dict[str, Any]:
        spec = params.get("spec")
        settings = spec.get("agent_name_settings") if isinstance(spec, dict) else None
        settings = settings if isinstance(settings, dict) else {}
        origin = str(settings.get("assignment_origin") or _ORIGINS[0]).lower()
        if origin not in _ORIGINS:
            raise Answer(json_string(400, f"invalid assignment_origin '{origin}'"))
        release = settings.get("release_after", 0)
        if not isinstance(release, int) or (release != 0 and release < 60):
            raise Answer(json_string(400, "name release hold must be 0 or greater than 60"))
        aws = settings.get("aws") if isinstance(settings.get("aws"), dict) else None
        if origin.endswith("aws_sts") and not (aws and aws.get("account_id")):
            raise Answer(json_string(400, "AWS account cannot be empty"))
        return settings

    async def type_create(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        metadata = params.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(name, str) or not name.strip():
            return json_string(400, "Name must be provided")
        if name in self.state.agent_types:
            # The server's own typo.
            return json_string(400, "agent type name must by unique in the organization")
        settings = self._settings(params)
        agent_type = self.state.create_agent_type(name.strip(), settings)
        return json_body(render_agent_type(agent_type, created=True, counted=False))

    async def type_get(self, request: web.Request) -> web.Response:
        found = self.find(self.state.agent_types, request, "name", _type_not_found)
        return json_body(render_agent_type(found, agents=self._count(found)))

    async def type_update(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        metadata = params.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(name, str) or not name:
            return json_string(400, "Name must be provided")
        found = self.state.agent_types.get(name)  # the body names it; the path is ignored
        if found is None:
            return json_string(404, "record not found")
        settings = self._settings(params)
        self.state.configure_agent_type(found, settings)
        return json_body(render_agent_type(found, counted=False))

    async def type_delete(self, request: web.Request) -> web.Response:
        found = self.find(self.state.agent_types, request, "name", _type_not_found)
        if self._count(found):
            return json_string(400, "can't delete agent type with existing agents")
        del self.state.agent_types[found.name]
        return json_body({})

    async def type_disable_all(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        only_idle = params.get("only_idle", True)
        if only_idle not in (True, False, "true", "false"):
            return json_string(400, "only_idle must be a boolean")
        idle_only = only_idle in (True, "true")
        name = request.match_info["name"]  # an unknown type disables nothing
        for agent in self.state.agents.values():
            if agent.type == name and (not idle_only or agent.state == "waiting_for_job"):
                agent.disabled_at = self.state.epoch()
        return json_body({})

    async def agent_list(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            size = int(query.get("page_size") or "0") or 200
        except ValueError:
            size = -1
        if not 5 <= size <= 200:
            return json_string(
                400, f"page size of {size} is invalid: must be greater than 0 and between 5-200"
            )
        agents = sorted(
            (
                a
                for a in self.state.agents.values()
                if query.get("agent_type") in (None, "", a.type)
            ),
            key=lambda a: a.name,
        )
        offset = decode_cursor(query["cursor"]) if query.get("cursor") else 0
        if offset is None:
            return json_string(500, "Internal error")  # a non-numeric cursor crashes the hub
        chunk = agents[offset : offset + size]
        more = offset + size < len(agents)
        return json_body(
            {
                "agents": [render_agent(a) for a in chunk],
                "cursor": encode_cursor(offset + size) if more else "",
            }
        )

    async def agent_get(self, request: web.Request) -> web.Response:
        agent = self.find(self.state.agents, request, "name", _agent_not_found)
        return json_body(render_agent(agent))


def _type_not_found(name: str) -> web.Response:
    return json_string(404, "agent type not found")


def _agent_not_found(name: str) -> web.Response:
    return json_string(404, "agent not found")
