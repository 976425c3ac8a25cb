"""Artifacts: signed URLs (gateway ``/api/v1/artifacts``) and retention policies
(plumber-public ``/api/v1alpha/artifacts_retention_policies``).

Signed URLs as ``artifacthub/pkg/server/public/publicserver.go`` answers them (``type``
defaults to PUSH; PUSH signs HEAD and PUT per path); retention policies as
``artifacts_retention_policies/*.ex`` and ``artifacthub_client.ex``: an update replaces
all three lists, ages come back normalised.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from aiohttp import web

from ._wire import Area, Names, Route, json_body, params_of, plain, rpc_error

__all__ = ["ArtifactRoutes", "normalize_age"]

POLICIES = "/api/v1alpha/artifacts_retention_policies"
_LEVELS = ("project", "workflow", "job")
# update.ex: ~r/^(1[0-2]|[1-9])\s(?:day|days|week|weeks|month|months|year|years)$/
_AGE = re.compile(r"^(1[0-2]|[1-9])\s(day|week|month|year)s?$")
_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_METHODS = {"PUSH": ("HEAD", "PUT"), "PUSHFORCE": ("PUT",), "PULL": ("GET",), "YANK": ("DELETE",)}
_PATH = re.compile(r"^artifacts/(projects|workflows|jobs)/[0-9a-fA-F-]{36}/.+")


def normalize_age(age: str) -> str | None:
    """The server's normalisation: the largest of year, month (30 days) or week that
    divides the age evenly, else days ("30 days" comes back as "1 month")."""
    match = _AGE.match(age)
    if not match or not 1 <= int(match.group(1)) <= 12:
        return None
    days = int(match.group(1)) * _DAYS[match.group(2)]
    for unit in ("year", "month", "week", "day"):
        if days % _DAYS[unit] == 0:
            number = days // _DAYS[unit]
            return f"{number} {unit}{'s' if number > 1 else ''}"
    return None  # pragma: no cover - "day" always divides


class ArtifactRoutes(Area):
    def routes(self) -> list[Route]:
        rule: tuple[Names] = ({"selector": None, "age": None},)
        return [
            Route("GET", POLICIES + "/{project_id}", self.policy_get, "plumber", {}),
            Route(
                "POST",
                POLICIES,
                self.policy_set,
                "plumber",
                {
                    "project_id": None,
                    **{f"{level}_level_retention_policies": rule for level in _LEVELS},
                },
            ),
            Route(
                "POST",
                "/api/v1/artifacts",
                self.signed_urls,
                "gateway",
                {"paths": None, "type": None},
            ),
        ]

    def _policy(self, project_id: str) -> dict[str, Any]:
        levels = self.state.retention.get(project_id, {})
        return {f"{level}_level_retention_policies": levels.get(level, []) for level in _LEVELS}

    async def policy_get(self, request: web.Request) -> web.Response:
        project_id = request.match_info["project_id"]
        if project_id not in self.state.projects:
            return plain(404, "Not found")
        return json_body(self._policy(project_id))

    async def policy_set(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        project_id = params.get("project_id")
        if not project_id:
            return plain(400, "project_id must be present")
        if project_id not in self.state.projects:
            return plain(404, "Not found")
        levels: dict[str, list[dict[str, str]]] = {}
        for level in _LEVELS:
            normalized = []
            for rule in params.get(f"{level}_level_retention_policies") or []:
                if not isinstance(rule, dict) or not rule.get("selector"):
                    return plain(400, "selector must be present")
                age = normalize_age(str(rule.get("age", "")))
                if age is None:
                    return plain(
                        400,
                        f"invalid 'age' value: '{rule.get('age')}' - valid examples: 5 days, "
                        "1 week, 2 weeks, 3 months, 4 years",
                    )
                normalized.append({"selector": str(rule["selector"]), "age": age})
            levels[level] = normalized
        if not any(levels.values()):
            return plain(400, "at least one retention policy configuration must be defined")
        self.state.retention[project_id] = levels  # a full replace
        return json_body(self._policy(project_id))

    async def signed_urls(self, request: web.Request) -> web.Response:
        try:
            document = await request.json(loads=_loads)
        except ValueError as exc:
            return rpc_error(3, f"invalid character in JSON body: {exc}")
        if not isinstance(document, dict):
            return rpc_error(3, "the body must be a JSON object")
        paths, action = document.get("paths"), document.get("type") or "PUSH"
        if not isinstance(paths, list) or not paths or action not in _METHODS:
            return rpc_error(3, "paths and a valid type are required")
        if not all(isinstance(p, str) and _PATH.match(p) for p in paths):
            return rpc_error(3, "every path must be artifacts/{projects|workflows|jobs}/<id>/...")
        origin = f"http://{request.host}"
        urls = [
            {"URL": f"{origin}/_storage/{p}?signature={secrets.token_urlsafe(12)}", "method": m}
            for p in paths
            for m in _METHODS[action]
        ]
        return web.json_response({"URLs": urls})


def _loads(text: str) -> Any:
    import json

    return json.loads(text or "{}")
