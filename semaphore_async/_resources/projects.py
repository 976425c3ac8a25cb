"""Projects: ``/api/v1alpha/projects``.

Server: ``projecthub-rest-api/lib/projecthub/http_api.ex``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._args import identifier, is_uuid
from .._errors import InvalidArgumentError
from .._pagination import HAS_MORE, AsyncPaginator
from .._paths import path
from .._query import PageRequest
from .._retry import Safety
from ..models import Project
from ._base import AsyncResource

__all__ = ["AsyncProjects"]

_BASE = "/api/v1alpha/projects"
# The docs' bodies carry these constants; the server reads neither (http_api.ex).
_ENVELOPE = {"apiVersion": "v1alpha", "kind": "Project"}


def _without_envelope(project: Project | Mapping[str, Any]) -> Project | Mapping[str, Any]:
    if not isinstance(project, Mapping):
        return project
    for key, constant in _ENVELOPE.items():
        if key in project and project[key] != constant:
            raise InvalidArgumentError(
                f"project.{key} must be {constant!r} (or left out), got {project[key]!r}"
            )
    return {k: v for k, v in project.items() if k not in _ENVELOPE}


class AsyncProjects(AsyncResource):
    """List, describe, create, update and delete projects."""

    def list(self) -> AsyncPaginator[Project]:
        """Every project, across all pages (500 a page while ``x-has-more`` is true; a page
        can be short, even empty, and the walk still goes on). Listed projects have empty
        ``schedulers`` and ``tasks``: describe one for those. ``GET /api/v1alpha/projects``"""
        return AsyncPaginator(self._core, PageRequest(_BASE), HAS_MORE, Project)

    async def get(self, name: str) -> Project:
        """Describe a project by name. ``GET /api/v1alpha/projects/:name``."""
        return await self._core.request_model("GET", path(_BASE + "/{name}", name=name), Project)

    async def create(self, project: Project | Mapping[str, Any]) -> Project:
        """Create a project from a model or a mapping. ``POST /api/v1alpha/projects``.

        ``metadata.name`` and ``spec.repository.url`` are required. The server ignores a
        description and a visibility on create (visibility follows the organization), so
        either one set here is refused rather than lost: create, then
        :meth:`update`. Sent once.
        """
        body = self._body(_without_envelope(project), Project, name="project")
        for where, key in (("metadata", "description"), ("spec", "visibility")):
            if body.get(where, {}).get(key):
                raise InvalidArgumentError(
                    f"project.{where}.{key} cannot be set on create: the server ignores it "
                    "(projecthub-rest-api http_api.ex); create the project, then set it with "
                    "projects.update"
                )
        return await self._core.request_model("POST", _BASE, Project, body=body)

    async def update(self, id_or_name: str, project: Project | Mapping[str, Any]) -> Project:
        """Replace a project. ``PATCH /api/v1alpha/projects/:id``.

        The server replaces the whole project: a field left out takes its default
        (visibility private, no ``run_on`` triggers, schedulers and tasks deleted), so
        send the full project, e.g. ``attrs.evolve`` of what :meth:`get` returned. The
        path segment is the project's **id**; given a name, the SDK looks the id up
        first. ``integration_type`` is read only on create: from a model it is left out,
        in a mapping it is refused.
        """
        key = identifier("id_or_name", id_or_name)
        body = self._body(_without_envelope(project), Project, name="project")
        repository = body.get("spec", {}).get("repository", {})
        if "integration_type" in repository:
            if not isinstance(project, Project):
                raise InvalidArgumentError(
                    "project.spec.repository.integration_type cannot change on update: the "
                    "server reads it only on create; remove it"
                )
            del repository["integration_type"]
        project_id = key if is_uuid(key) else (await self.get(key)).id
        if not project_id:
            raise InvalidArgumentError(f"project {key!r} has no id in the server's answer")
        return await self._core.request_model(
            "PATCH",
            path(_BASE + "/{project_id}", project_id=project_id),
            Project,
            body=body,
            safety=Safety.IDEMPOTENT,  # by id, to the same document: harmless twice
        )

    async def delete(self, name: str) -> None:
        """Delete a project by name. ``DELETE /api/v1alpha/projects/:name`` (empty answer).
        The server answers an unknown name with 401 (``AuthenticationError``), as it does a
        missing permission."""
        await self._core.request("DELETE", path(_BASE + "/{name}", name=name))
