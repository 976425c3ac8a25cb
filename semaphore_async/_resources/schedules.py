"""Schedulers (periodic tasks): ``/api/v1alpha/schedules``."""

from __future__ import annotations

from .._args import optional_text, text
from .._core import query
from .._pagination import LINK, AsyncPaginator, PageRequest
from .._paths import path
from .._retry import Safety
from ..models import Schedule, ScheduleDescription
from ._base import AsyncResource, check_page_size

__all__ = ["AsyncSchedules"]

_BASE = "/api/v1alpha/schedules"


class AsyncSchedules(AsyncResource):
    """List, describe, create or update (upsert) and delete schedulers."""

    def list(self, project_id: str, *, page_size: int | None = None) -> AsyncPaginator[Schedule]:
        """Every scheduler of a project, across all pages (``link`` header, 30 a page by
        default). ``GET /api/v1alpha/schedules?project_id=...``"""
        params = query(
            project_id=text("project_id", project_id),
            page_size=check_page_size(page_size, low=1, high=None),
        )
        return AsyncPaginator(self._core, PageRequest(_BASE, params), LINK, Schedule)

    async def get(self, schedule_id: str) -> ScheduleDescription:
        """Describe a scheduler: ``.schedule`` and its last ``.triggers``.
        ``GET /api/v1alpha/schedules/:id`` (the id must be a UUID)."""
        return await self._core.request_model(
            "GET", path(_BASE + "/{schedule_id}", schedule_id=schedule_id), ScheduleDescription
        )

    async def upsert(
        self,
        yml_definition: str,
        *,
        project_name: str | None = None,
        periodic_id: str | None = None,
    ) -> str:
        """Create a scheduler in ``project_name``, or update the one ``periodic_id`` names,
        from its YAML definition; returns the scheduler's id. ``POST /api/v1alpha/schedules``.

        An update (``periodic_id``) is safe to retry; a creation is sent once.
        """
        if project_name is None and periodic_id is None:
            raise ValueError(
                "pass project_name= to create a scheduler or periodic_id= to update one"
            )
        core = self._core
        response = await core.request(
            "POST",
            _BASE,
            params=query(
                project_name=optional_text("project_name", project_name),
                periodic_id=optional_text("periodic_id", periodic_id),
            ),
            body={"yml_definition": text("yml_definition", yml_definition)},
            safety=Safety.IDEMPOTENT if periodic_id is not None else Safety.NOT_IDEMPOTENT,
        )
        answer = core.decode(response, "POST")
        if isinstance(answer, dict):  # tolerate {"id": ...} as well as the bare string
            answer = answer.get("id") or answer.get("periodic_id")
        if not isinstance(answer, str) or not answer:
            raise core.decode_error(response, "POST", "expected the scheduler id as a JSON string")
        return answer

    async def delete(self, schedule_id: str) -> None:
        """Delete a scheduler. ``DELETE /api/v1alpha/schedules/:id``."""
        await self._core.request("DELETE", path(_BASE + "/{schedule_id}", schedule_id=schedule_id))
