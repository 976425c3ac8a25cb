"""projecthub-rest-api routes: ``/api/v1alpha/projects``. JSON only; ``{"message"}``
errors; ``x-page``/``x-has-more`` pages, cut before permissions are applied."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .._args import is_uuid
from ._state import EmulatorState, ProjectRec
from ._wire import bare, json_body

if TYPE_CHECKING:
    from ._server import EmulatorControl

__all__ = ["ProjectRoutes"]

BASE = "/api/v1alpha/projects"


def message(status: int, text: str) -> web.Response:
    return json_body({"message": text}, status=status)


def render_project(project: ProjectRec) -> dict[str, Any]:
    return {
        "spec": {
            "visibility": project.visibility,
            "schedulers": [],
            "repository": {
                "whitelist": {"tags": [], "branches": []},
                "url": project.repository_url,
                "status": {
                    "pipeline_files": [{"path": project.pipeline_file, "level": "pipeline"}]
                },
                "run_on": project.run_on,
                "pipeline_file": project.pipeline_file,
                "owner": "acme",
                "name": project.name,
                "integration_type": project.integration_type,
                "forked_pull_requests": {"allowed_secrets": [], "allowed_contributors": []},
            },
        },
        "metadata": {
            "owner_id": project.owner_id,
            "org_id": project.org_id,
            "name": project.name,
            "id": project.id,
            "description": project.description,
        },
        "kind": "Project",
        "apiVersion": "v1alpha",
    }


class ProjectRoutes:
    def __init__(self, state: EmulatorState, control: EmulatorControl) -> None:
        self.state = state
        self.control = control

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_get(BASE, self.list_)
        router.add_post(BASE, self.create)
        router.add_get(BASE + "/{key}", self.get)
        router.add_patch(BASE + "/{key}", self.update)
        router.add_delete(BASE + "/{key}", self.delete)

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
            [render_project(p) for p in visible],
            headers={"x-page": str(page), "x-has-more": "true" if more else "false"},
        )

    async def _json(self, request: web.Request) -> dict[str, Any] | web.Response:
        if request.content_type != "application/json":
            return bare(415, b"Something went wrong")
        try:
            data = json.loads(await request.read())
        except ValueError:
            return message(400, "invalid JSON")
        return data if isinstance(data, dict) else message(400, "expected a JSON object")

    async def create(self, request: web.Request) -> web.Response:
        data = await self._json(request)
        if isinstance(data, web.Response):
            return data
        metadata = data.get("metadata") or {}
        spec = data.get("spec") or {}
        repository = spec.get("repository") or {}
        name = metadata.get("name")
        if not name or not repository.get("url"):
            return message(422, "metadata.name and spec.repository.url are required")
        if self.state.project_named(name) is not None:
            return message(422, f"project name '{name}' is already taken")
        project = self.state.add_project(
            name,
            description=metadata.get("description") or "",
            repository_url=repository["url"],
            visibility=spec.get("visibility") or "private",
            integration_type=repository.get("integration_type") or "github_app",
        )
        return json_body(render_project(project))

    async def get(self, request: web.Request) -> web.Response:
        project = self.state.project_named(request.match_info["key"])
        return message(404, "Not found") if project is None else json_body(render_project(project))

    async def update(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        project = self.state.projects.get(key)
        if project is None:
            # The path segment is read as an id; a name fails the permission check.
            return message(401, "Unauthorized") if not is_uuid(key) else message(404, "Not found")
        data = await self._json(request)
        if isinstance(data, web.Response):
            return data
        metadata = data.get("metadata") or {}
        spec = data.get("spec") or {}
        if metadata.get("name"):
            project.name = metadata["name"]
        if "description" in metadata:
            project.description = metadata["description"] or ""
        if spec.get("visibility"):
            project.visibility = spec["visibility"]
        repository = spec.get("repository") or {}
        if repository.get("url"):
            project.repository_url = repository["url"]
        if repository.get("run_on"):
            project.run_on = list(repository["run_on"])
        return json_body(render_project(project))

    async def delete(self, request: web.Request) -> web.Response:
        project = self.state.project_named(request.match_info["key"])
        if project is None:
            return message(404, "Not found")
        del self.state.projects[project.id]
        return bare(200, b"")  # 200 with an empty body
