"""Schedulers (periodic tasks): ``/api/v1alpha/schedules``.

Server: ``public-api/v1alpha/lib/pipelines_api/schedules/*.ex`` and
``periodic_scheduler_client/*``.
"""

from __future__ import annotations

from typing import Any

from .._args import identifier, optional_text, query, text, uuid_id
from .._errors import InvalidArgumentError
from .._pagination import LINK, AsyncPaginator
from .._paths import path
from .._query import PageRequest
from .._retry import Safety
from ..models import Schedule, ScheduleDescription
from ._base import AsyncResource, check_page_size

__all__ = ["AsyncSchedules"]

_BASE = "/api/v1alpha/schedules"


class AsyncSchedules(AsyncResource):
    """List, describe, create or update (upsert) and delete schedulers."""

    def list(self, project_id: str, *, page_size: int | None = None) -> AsyncPaginator[Schedule]:
        """Every scheduler of a project, by name, across all pages (``link`` header, 30 a
        page by default). ``GET /api/v1alpha/schedules?project_id=...``"""
        params = query(
            project_id=identifier("project_id", project_id),
            page_size=check_page_size(page_size, low=1, high=None),
        )
        return AsyncPaginator(self._core, PageRequest(_BASE, params), LINK, Schedule)

    async def get(self, schedule_id: str) -> ScheduleDescription:
        """Describe a scheduler: ``.schedule`` and its last ``.triggers``.
        ``GET /api/v1alpha/schedules/:id``. The server answers an unknown id with 400
        (``BadRequestError``), not 404."""
        return await self._core.request_model(
            "GET",
            path(_BASE + "/{schedule_id}", schedule_id=uuid_id("schedule_id", schedule_id)),
            ScheduleDescription,
        )

    async def upsert(
        self,
        yml_definition: str,
        *,
        project_name: str | None = None,
        periodic_id: str | None = None,
    ) -> str:
        """Create or update a scheduler from its YAML definition; returns its id.
        ``POST /api/v1alpha/schedules``.

        The server decides from the YAML itself: ``metadata.id`` present updates that
        scheduler, absent creates one in ``spec.project``. ``project_name`` and
        ``periodic_id`` only say which project's permission to check; the SDK fills them
        from the YAML and refuses values that contradict it (the server would check one
        project and change another). An update is safe to retry; a creation is sent once.
        """
        definition = text("yml_definition", yml_definition)
        meta_id, spec_project = _ids_in(definition)
        if periodic_id is not None and periodic_id != meta_id:
            raise InvalidArgumentError(
                f"periodic_id={periodic_id!r} but the YAML's metadata.id is {meta_id!r}; the "
                "server updates the scheduler the YAML names: set metadata.id instead"
            )
        if project_name is not None and spec_project and project_name != spec_project:
            raise InvalidArgumentError(
                f"project_name={project_name!r} but the YAML's spec.project is "
                f"{spec_project!r}; the server creates the scheduler in spec.project"
            )
        core = self._core
        response = await core.request(
            "POST",
            _BASE,
            params=query(
                project_name=optional_text("project_name", project_name or spec_project),
                periodic_id=optional_text("periodic_id", periodic_id or meta_id),
            ),
            body={"yml_definition": definition},
            safety=Safety.IDEMPOTENT if meta_id else Safety.NOT_IDEMPOTENT,
        )
        answer = core.decode(response, "POST")
        if isinstance(answer, dict):  # tolerate {"id": ...} as well as the bare string
            answer = answer.get("id") or answer.get("periodic_id")
        if not isinstance(answer, str) or not answer:
            raise core.decode_error(response, "POST", "expected the scheduler id as a JSON string")
        return answer

    async def delete(self, schedule_id: str) -> None:
        """Delete a scheduler. ``DELETE /api/v1alpha/schedules/:id``."""
        await self._core.request(
            "DELETE",
            path(_BASE + "/{schedule_id}", schedule_id=uuid_id("schedule_id", schedule_id)),
        )


def _ids_in(definition: str) -> tuple[str | None, str | None]:
    """``metadata.id`` and ``spec.project`` of a scheduler's YAML, if it parses."""
    import yaml  # only for upserts

    try:
        document: Any = yaml.safe_load(definition)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InvalidArgumentError(f"yml_definition is not valid YAML{where}: {exc}") from None
    if not isinstance(document, dict):
        raise InvalidArgumentError("yml_definition must be a YAML mapping (kind: Schedule)")
    metadata, spec = document.get("metadata"), document.get("spec")
    meta_id = metadata.get("id") if isinstance(metadata, dict) else None
    project = spec.get("project") if isinstance(spec, dict) else None
    return (
        str(meta_id) if meta_id else None,
        str(project) if project else None,
    )
