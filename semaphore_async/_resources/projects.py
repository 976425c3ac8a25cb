"""Projects: ``/api/v1alpha/projects``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._args import is_uuid, text
from .._pagination import HAS_MORE, AsyncPaginator, PageRequest
from .._paths import path
from .._retry import Safety
from ..models import Project
from ._base import AsyncResource

__all__ = ["AsyncProjects"]

_BASE = "/api/v1alpha/projects"


class AsyncProjects(AsyncResource):
    """List, describe, create, update and delete projects."""

    def list(self) -> AsyncPaginator[Project]:
        """Every project, across all pages (500 a page while ``x-has-more`` is true; a page
        can be short, even empty, and the walk still goes on). ``GET /api/v1alpha/projects``"""
        return AsyncPaginator(self._core, PageRequest(_BASE), HAS_MORE, Project)

    async def get(self, name: str) -> Project:
        """Describe a project by name. ``GET /api/v1alpha/projects/:name``."""
        return await self._core.request_model("GET", path(_BASE + "/{name}", name=name), Project)

    async def create(self, project: Project | Mapping[str, Any]) -> Project:
        """Create a project from a model or a mapping (``apiVersion`` and ``kind`` are
        filled in when missing). ``POST /api/v1alpha/projects``. Sent once."""
        body = self._body(project, name="project")
        body.setdefault("apiVersion", "v1alpha")
        body.setdefault("kind", "Project")
        return await self._core.request_model(
            "POST", _BASE, Project, body=body, safety=Safety.NOT_IDEMPOTENT
        )

    async def update(self, id_or_name: str, project: Project | Mapping[str, Any]) -> Project:
        """Update a project. ``PATCH /api/v1alpha/projects/:id``.

        The server reads that path segment as the project's **id** (a name there fails
        with 401); given a name, the SDK looks the id up first with :meth:`get`.
        """
        key = text("id_or_name", id_or_name)
        project_id = key if is_uuid(key) else (await self.get(key)).id
        if not project_id:
            raise ValueError(f"project {key!r} has no id in the server's answer")
        body = self._body(project, name="project")
        body.setdefault("apiVersion", "v1alpha")
        body.setdefault("kind", "Project")
        return await self._core.request_model(
            "PATCH", path(_BASE + "/{project_id}", project_id=project_id), Project, body=body
        )

    async def delete(self, name: str) -> None:
        """Delete a project by name. ``DELETE /api/v1alpha/projects/:name`` (empty answer)."""
        await self._core.request("DELETE", path(_BASE + "/{name}", name=name))
