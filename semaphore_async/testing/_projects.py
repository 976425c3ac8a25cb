"""projecthub-rest-api: ``/api/v1alpha/projects``.

As ``projecthub-rest-api/lib/projecthub/http_api.ex``: JSON bodies only, ``{"message"}``
errors, ``x-page``/``x-has-more`` pages of 500 cut before permissions are applied, no
nulls in answers. Create ignores the description and the visibility; a PATCH (by id)
replaces the whole project, so what it leaves out takes its default.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp import web

from ._state import ProjectRec
from ._wire import Answer, Area, Names, Route, bare, json_body

__all__ = ["ProjectRoutes", "render_project"]

BASE = "/api/v1alpha/projects"
_RUN_ON = ("tags", "branches", "pull_requests", "forked_pull_requests", "draft_pull_requests")
_PERMISSIONS = (
    "empty",
    "default_branch",
    "non_default_branch",
    "pull_request",
    "forked_pull_request",
    "tag",
)
_INTEGRATIONS = ("github_token", "github_app", "bitbucket", "gitlab", "git")
_SCHEDULER: Names = dict.fromkeys(
    ("id", "name", "branch", "reference_type", "reference_name", "at", "pipeline_file", "status")
)
_PARAMETER: Names = dict.fromkeys(
    (
        "name",
        "required",
        "description",
        "default_value",
        "options",
        "regex_pattern",
        "validate_input_format",
    )
)
_REPOSITORY: Names = {
    "url": None,
    "run_on": None,
    "pipeline_file": None,
    "forked_pull_requests": {"allowed_secrets": None, "allowed_contributors": None},
    "whitelist": {"branches": None, "tags": None},
    "status": {"pipeline_files": ({"path": None, "level": None},)},
}
_SPEC: Names = {
    "visibility": None,
    "custom_permissions": None,
    "debug_permissions": None,
    "attach_permissions": None,
    "schedulers": (_SCHEDULER,),
    "tasks": ({**_SCHEDULER, "description": None, "scheduled": None, "parameters": (_PARAMETER,)},),
}
CREATE: Names = {
    "skip_onboarding": None,
    "metadata": {"name": None},
    "spec": {**_SPEC, "repository": {**_REPOSITORY, "integration_type": None}},
}
UPDATE: Names = {
    "metadata": {"name": None, "description": None},
    "spec": {**_SPEC, "repository": _REPOSITORY},
}


def message(status: int, text: str) -> web.Response:
    return json_body({"message": text}, status=status)


def _scheduler(item: dict[str, Any], *, task: bool) -> dict[str, Any]:
    branch = str(item.get("branch", ""))
    data: dict[str, Any] = {
        "id": item["id"],
        "name": str(item.get("name", "")),
        "branch": branch,
        "at": str(item.get("at", "")),
        "pipeline_file": str(item.get("pipeline_file", "")),
        "status": item.get("status") or "ACTIVE",
    }
    if task:
        data["description"] = str(item.get("description", ""))
        data["scheduled"] = bool(item.get("scheduled", True))
        data["parameters"] = [
            {
                key: p.get(key, default)
                for key, default in (
                    ("name", ""),
                    ("required", False),
                    ("description", ""),
                    ("default_value", ""),
                    ("options", []),
                    ("regex_pattern", ""),
                    ("validate_input_format", False),
                )
            }
            for p in item.get("parameters") or []
        ]
    if branch.startswith("refs/tags/"):
        data["reference"] = {"type": "tag", "name": branch.removeprefix("refs/tags/")}
    return data


def render_project(project: ProjectRec, *, detailed: bool = True) -> dict[str, Any]:
    schedulers = [s for s in project.schedulers if detailed]
    return {
        "apiVersion": "v1alpha",
        "kind": "Project",
        "metadata": {
            "name": project.name,
            "id": project.id,
            "owner_id": project.owner_id,
            "org_id": project.org_id,
            "description": project.description,
        },
        "spec": {
            "repository": {
                "url": project.repository_url,
                "name": project.name,
                "owner": "acme",
                "forked_pull_requests": project.forked_pull_requests,
                "run_on": [r for r in _RUN_ON if r in project.run_on],
                "pipeline_file": project.pipeline_file,
                "status": {"pipeline_files": project.pipeline_files},
                "whitelist": project.whitelist,
                "integration_type": project.integration_type,
            },
            # An organization with tasks gets tasks; the list fills neither.
            "schedulers": [],
            "tasks": [_scheduler(s, task=True) for s in schedulers],
            "visibility": project.visibility,
            "custom_permissions": project.custom_permissions,
            "debug_permissions": project.debug_permissions if project.custom_permissions else [],
            "attach_permissions": project.attach_permissions if project.custom_permissions else [],
        },
    }


class ProjectRoutes(Area):
    def routes(self) -> list[Route]:
        return [
            Route("GET", BASE, self.list_, "projecthub", query={"page": None}),
            Route("POST", BASE, self.create, "projecthub", CREATE),
            Route("GET", BASE + "/{key}", self.get, "projecthub"),
            Route("PATCH", BASE + "/{key}", self.update, "projecthub", UPDATE),
            Route("DELETE", BASE + "/{key}", self.delete, "projecthub"),
        ]

    async def list_(self, request: web.Request) -> web.Response:
        raw = request.query.get("page", "1")
        if not raw.isdigit() or int(raw) < 1:
            return message(400, "page must be a number at least 1")
        page = int(raw)
        if page > 100:
            return message(400, "page must be at most 100")
        size = self.control.projects_page_size
        ordered = sorted(self.state.projects.values(), key=lambda p: p.name)
        chunk = ordered[(page - 1) * size : page * size]
        more = page * size < len(ordered)
        visible = [p for p in chunk if not p.hidden]  # filtered after cutting the page
        return json_body(
            [render_project(p, detailed=False) for p in visible],
            headers={"x-page": str(page), "x-has-more": "true" if more else "false"},
        )

    async def _json(self, request: web.Request) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise Answer(bare(415, b"Something went wrong"))
        try:
            data = json.loads(await request.read())
        except ValueError:
            raise Answer(bare(400, b"Something went wrong")) from None
        if not isinstance(data, dict):
            raise Answer(bare(500, b"Something went wrong"))
        return data

    async def create(self, request: web.Request) -> web.Response:
        data = await self._json(request)
        metadata, spec = data.get("metadata") or {}, data.get("spec") or {}
        repository = spec.get("repository") or {}
        name = metadata.get("name")
        if not name or not repository.get("url"):
            return bare(500, b"Something went wrong")  # nil in a proto3 string field
        if self.state.project_named(name) is not None:
            return message(422, f"Project name '{name}' is already taken")
        integration = repository.get("integration_type")
        project = self.state.add_project(
            name,
            repository_url=repository["url"],
            # The description and the visibility of a create are not read.
            integration_type=integration if integration in _INTEGRATIONS else "github_token",
        )
        self._apply(project, spec)
        return json_body(render_project(project))

    async def get(self, request: web.Request) -> web.Response:
        project = self.state.project_named(request.match_info["key"])
        return message(404, "Not found") if project is None else json_body(render_project(project))

    async def update(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        try:
            uuid.UUID(key)
        except ValueError:
            return message(404, "Not found")  # the segment is read as an id
        project = self.state.projects.get(key)
        if project is None:
            return message(404, "Not found")
        data = await self._json(request)
        metadata, spec = data.get("metadata") or {}, data.get("spec") or {}
        if not metadata.get("name") or not (spec.get("repository") or {}).get("url"):
            return bare(500, b"Something went wrong")
        project.name = str(metadata["name"])
        project.description = str(metadata.get("description") or "")  # replaced, not merged
        project.visibility = "public" if spec.get("visibility") == "public" else "private"
        self._apply(project, spec)
        return json_body(render_project(project))

    def _apply(self, project: ProjectRec, spec: dict[str, Any]) -> None:
        """The fields create and update share, each taking its default when left out."""
        repository = spec.get("repository") or {}
        project.repository_url = str(repository.get("url") or project.repository_url)
        project.run_on = [
            r.lower() for r in repository.get("run_on") or [] if str(r).lower() in _RUN_ON
        ]
        project.pipeline_file = str(repository.get("pipeline_file") or project.pipeline_file)
        forked = repository.get("forked_pull_requests") or {}
        project.forked_pull_requests = {
            "allowed_secrets": list(forked.get("allowed_secrets") or []),
            "allowed_contributors": list(forked.get("allowed_contributors") or []),
        }
        whitelist = repository.get("whitelist") or {}
        project.whitelist = {
            "branches": list(whitelist.get("branches") or []),
            "tags": list(whitelist.get("tags") or []),
        }
        files = (repository.get("status") or {}).get("pipeline_files")
        project.pipeline_files = [
            {"path": str(f["path"]), "level": str(f.get("level", "pipeline")).lower()}
            for f in files or [{"path": project.pipeline_file, "level": "pipeline"}]
            if isinstance(f, dict) and f.get("path")
        ]
        project.custom_permissions = spec.get("custom_permissions") in (True, "true")
        for key in ("debug_permissions", "attach_permissions"):
            values = [str(v).lower() for v in spec.get(key) or []]
            setattr(project, key, [v for v in values if v in _PERMISSIONS])
        tasks = spec.get("tasks") or spec.get("schedulers") or []
        project.schedulers = [
            {**t, "id": t.get("id") or self.state.new_id()} for t in tasks if isinstance(t, dict)
        ]

    async def delete(self, request: web.Request) -> web.Response:
        project = self.state.project_named(request.match_info["key"])
        if project is None:
            return message(401, "Unauthorized")  # the lookup fails like the permission
        del self.state.projects[project.id]
        return bare(200, b"")  # 200 with an empty body
