"""plumber-public: deployment targets (``/api/v1alpha/deployment_targets``).

As ``public-api/v1alpha/lib/pipelines_api/deployments/*.ex`` and
``deployments_client/*``: handlers keep only the names they read; create, update and
delete need a UUID ``unique_token`` (a repeated one is answered as the first time);
``include_secrets`` adds the secret's env vars and files as MD5 digests; only the plain
list carries ``last_deployment``.
"""

from __future__ import annotations

import hashlib
from datetime import timezone
from typing import Any

from aiohttp import web

from ._state import DeploymentRec, TargetRec
from ._wire import (
    Answer,
    Area,
    Names,
    Route,
    is_uuid,
    json_body,
    json_string,
    params_of,
    plain,
    ts_iso,
)

__all__ = ["DeploymentTargetRoutes", "render_deployment", "render_target"]

BASE = "/api/v1alpha/deployment_targets"
_TARGET_FIELDS: Names = {
    "unique_token": None,
    "project_id": None,
    "name": None,
    "description": None,
    "url": None,
    "bookmark_parameter1": None,
    "bookmark_parameter2": None,
    "bookmark_parameter3": None,
    "subject_rules": ({"type": None, "subject_id": None, "git_login": None},),
    "object_rules": ({"type": None, "match_mode": None, "pattern": None},),
    "env_vars": ({"name": None, "value": None},),
    "files": ({"path": None, "content": None},),
}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def render_target(
    target: TargetRec, *, last: bool = False, secrets: bool = False
) -> dict[str, Any]:
    latest = max(target.history, key=micros) if last and target.history else None
    data: dict[str, Any] = {
        "id": target.id,
        "name": target.name,
        "description": target.description,
        "url": target.url,
        "organization_id": target.organization_id,
        "project_id": target.project_id,
        "created_by": target.created_by,
        "created_at": ts_iso(target.created_at),
        "updated_by": target.created_by,
        "updated_at": ts_iso(target.updated_at),
        "state": "USABLE" if target.active else "CORDONED",
        "state_message": "",
        "subject_rules": target.subject_rules,
        "object_rules": target.object_rules,
        "last_deployment": render_deployment(latest) if latest else None,
        "active": target.active,
        "bookmark_parameter1": target.bookmarks[0],
        "bookmark_parameter2": target.bookmarks[1],
        "bookmark_parameter3": target.bookmarks[2],
    }
    if secrets:  # deployments/secrets.ex: digests, never the values
        data["env_vars"] = [{"name": e["name"], "value": _md5(e["value"])} for e in target.env_vars]
        data["files"] = [{"path": f["path"], "content": _md5(f["content"])} for f in target.files]
    return data


def render_deployment(deployment: DeploymentRec) -> dict[str, Any]:
    return {
        "id": deployment.id,
        "target_id": deployment.target_id,
        "prev_pipeline_id": deployment.prev_pipeline_id,
        "pipeline_id": deployment.pipeline_id,
        "triggered_by": deployment.triggered_by,
        "triggered_at": ts_iso(deployment.triggered_at),
        "state": deployment.state,
        "state_message": "",
        "switch_id": deployment.switch_id,
        "target_name": deployment.target_name,
        "env_vars": deployment.env_vars,
        "can_requester_rerun": False,  # the API never names the requester
    }


def micros(deployment: DeploymentRec) -> int:
    stamp = deployment.triggered_at.astimezone(timezone.utc)
    return int(stamp.timestamp()) * 1_000_000 + stamp.microsecond


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "yes"))


class DeploymentTargetRoutes(Area):
    def routes(self) -> list[Route]:
        return [
            Route("GET", BASE, self.list_, "plumber", {"project_id": None, "target_name": None}),
            Route("POST", BASE, self.create, "plumber", _TARGET_FIELDS),
            Route(
                "GET",
                BASE + "/{id}",
                self.get,
                "plumber",
                {"include_secrets": None, "project_id": None},
            ),
            Route("PATCH", BASE + "/{id}", self.update, "plumber", _TARGET_FIELDS),
            Route("DELETE", BASE + "/{id}", self.delete, "plumber", {"unique_token": None}),
            Route("PATCH", BASE + "/{id}/activate", self.activate, "plumber", {}),
            Route("PATCH", BASE + "/{id}/deactivate", self.deactivate, "plumber", {}),
            Route(
                "GET",
                BASE + "/{id}/history",
                self.history,
                "plumber",
                dict.fromkeys(
                    (
                        "cursor_type",
                        "cursor_value",
                        "git_ref_type",
                        "git_ref_label",
                        "triggered_by",
                        "parameter1",
                        "parameter2",
                        "parameter3",
                    )
                ),
            ),
        ]

    async def list_(self, request: web.Request) -> web.Response:
        project_id = request.query.get("project_id")
        if not project_id:
            return plain(404, "Project not found")
        if not is_uuid(project_id):
            return plain(400, "project id must be a valid UUID")
        name = request.query.get("target_name")
        targets = [
            t
            for t in self.state.targets.values()
            if t.project_id == project_id and (name is None or t.name == name)
        ]
        # Only the plain list carries last_deployment (gofer target_from_model/2).
        return json_body([render_target(t, last=name is None) for t in targets])

    def _target(self, request: web.Request) -> TargetRec:
        target_id = request.match_info["id"]
        if not is_uuid(target_id):
            raise Answer(plain(400, "target_id must be a valid UUID"))
        target = self.state.targets.get(target_id)
        if target is None:
            raise Answer(json_string(404, "Not found"))
        return target

    @staticmethod
    def _token(params: dict[str, Any]) -> str:
        token = params.get("unique_token")
        if not is_uuid(token):
            raise Answer(plain(400, "unique_token must be a valid UUID"))
        return str(token)

    async def create(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        token = self._token(params)
        if token in self.state.target_tokens:  # the same request again: answer it again
            existing = self.state.targets.get(self.state.target_tokens[token])
            if existing is not None:
                return json_body(render_target(existing))
        project_id = params.get("project_id")
        if not project_id:
            return plain(400, "project_id must be present")
        if project_id not in self.state.projects:
            return plain(404, "Project not found")
        name = params.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 255:
            return json_string(
                400, "unique_token, name and project_id are required to create a target"
            )
        problem = _rules_problem(params)
        if problem:
            return plain(400, problem)
        if any(t.name == name and t.project_id == project_id for t in self.state.targets.values()):
            return json_string(400, "Changeset error")
        target = self.state.create_target(project_id, name, params)
        self.state.target_tokens[token] = target.id
        return json_body(render_target(target))

    async def get(self, request: web.Request) -> web.Response:
        found = self._target(request)
        params = await params_of(request)
        return json_body(render_target(found, secrets=_truthy(params.get("include_secrets"))))

    async def update(self, request: web.Request) -> web.Response:
        found = self._target(request)
        params = await params_of(request)
        # Checked as the server does (pipelines_api/deployments/update.ex); the emulator
        # does not replay updates by their token.
        self._token(params)
        problem = _rules_problem(params)
        if problem:
            return plain(400, problem)
        params.pop("id", None)
        self.state.update_target(found, params)
        found.updated_at = self.state.now()
        return json_body(render_target(found))

    async def delete(self, request: web.Request) -> web.Response:
        target_id = request.match_info["id"]
        params = await params_of(request)
        token = self._token(params)
        if self.state.target_tokens.get(token) == f"deleted:{target_id}":
            return json_body({"target_id": target_id})  # a retried delete
        if target_id not in self.state.targets:
            return json_string(404, "Not found")
        del self.state.targets[target_id]
        self.state.target_tokens[token] = f"deleted:{target_id}"
        return json_body({"target_id": target_id})

    async def activate(self, request: web.Request) -> web.Response:
        return self._cordon(request, cordoned=False)

    async def deactivate(self, request: web.Request) -> web.Response:
        return self._cordon(request, cordoned=True)

    def _cordon(self, request: web.Request, *, cordoned: bool) -> web.Response:
        found = self._target(request)
        found.active = not cordoned
        return json_body({"target_id": found.id, "cordoned": cordoned})

    async def history(self, request: web.Request) -> web.Response:
        found = self._target(request)
        query = request.query
        items = sorted(found.history, key=micros, reverse=True)  # newest first
        if "triggered_by" in query:
            items = [d for d in items if d.triggered_by == query["triggered_by"]]
        cursor_type = query.get("cursor_type", "FIRST").upper()
        if cursor_type not in ("FIRST", "AFTER", "BEFORE", "0", "1", "2"):
            return plain(500, "Something went wrong")  # the server crashes on it
        try:
            value = int(query.get("cursor_value", "0"))
        except ValueError:
            return json_string(400, "Invalid value of 'cursor_value' param")
        if cursor_type in ("BEFORE", "2") and value:
            older = [d for d in items if micros(d) <= value]
            if older and micros(older[0]) == value:
                older = older[1:]  # the boundary item was on the previous page
            page = older[:10]
        elif cursor_type in ("AFTER", "1") and value:
            newer = [d for d in items if micros(d) > value]
            page = newer[-10:]
        else:
            page = items[:10]
        before = micros(page[-1]) if page and page[-1] is not items[-1] else 0
        after = micros(page[0]) if page and page[0] is not items[0] else 0
        return json_body(
            {
                "deployments": [render_deployment(d) for d in page],
                "cursor_before": before,
                "cursor_after": after,
            }
        )


def _rules_problem(params: dict[str, Any]) -> str | None:
    """The plug validations of deployments/common.ex, as plain-text 400s."""
    subject = params.get("subject_rules")
    if subject is not None and (
        not isinstance(subject, list)
        or not all(isinstance(r, dict) and "type" in r for r in subject)
    ):
        return "subject_rules must be a list of maps with a 'type' key"
    objects = params.get("object_rules")
    if objects is not None and (
        not isinstance(objects, list)
        or not all(
            isinstance(r, dict) and {"type", "match_mode", "pattern"} <= r.keys() for r in objects
        )
    ):
        return "object_rules must be a list of maps with 'type', 'match_mode' and 'pattern' keys"
    return None
