"""plumber-public: schedulers (``/api/v1alpha/schedules``; ``/api/v1alpha/tasks`` is
served by the same handlers).

As ``public-api/v1alpha/lib/pipelines_api/schedules/*.ex`` and
``periodic_scheduler_client/*``: every field of the ``Periodic`` proto, ``branch`` only
for ``refs/heads/`` references; apply decides create or update by the YAML's
``metadata.id``; an unknown id is a 400.
"""

from __future__ import annotations

from typing import Any

import yaml
from aiohttp import web

from ._state import ScheduleRec
from ._wire import (
    ANY,
    Answer,
    Area,
    Route,
    is_uuid,
    json_body,
    json_string,
    link_page,
    params_of,
    plain,
    ts_text,
)

__all__ = ["ScheduleRoutes", "render_schedule"]

V1 = "/api/v1alpha"


def _branch(reference: str) -> dict[str, str]:
    return (
        {"branch": reference.removeprefix("refs/heads/")}
        if reference.startswith("refs/heads/")
        else {}
    )


def render_schedule(schedule: ScheduleRec) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "name": schedule.name,
        "project_id": schedule.project_id,
        "reference": schedule.reference,
        "at": schedule.at,
        "pipeline_file": schedule.pipeline_file,
        "requester_id": schedule.requester_id,
        "updated_at": ts_text(schedule.updated_at, unset=""),
        "suspended": False,
        "paused": schedule.paused,
        "pause_toggled_by": "",
        "pause_toggled_at": "",
        "inserted_at": ts_text(schedule.inserted_at, unset=""),
        "recurring": schedule.recurring,
        "parameters": schedule.parameters,
        "description": schedule.description,
        "organization_id": schedule.organization_id,
        **_branch(schedule.reference),
    }


def render_trigger(trigger: dict[str, Any]) -> dict[str, Any]:
    return {
        "triggered_at": ts_text(trigger["triggered_at"], unset=""),
        "project_id": trigger["project_id"],
        "reference": trigger["reference"],
        "pipeline_file": trigger["pipeline_file"],
        "scheduling_status": trigger["scheduling_status"],
        "scheduled_workflow_id": trigger["scheduled_workflow_id"],
        "scheduled_at": ts_text(trigger["scheduled_at"], unset=""),
        "error_description": "",
        "run_now_requester_id": trigger["run_now_requester_id"],
        "periodic_id": trigger["periodic_id"],
        "parameter_values": trigger["parameter_values"],
        **_branch(trigger["reference"]),
    }


class ScheduleRoutes(Area):
    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for base in ("/schedules", "/tasks"):
            path = V1 + base
            routes += [
                Route(
                    "GET",
                    path,
                    self.list_,
                    "plumber",
                    {"project_id": None, "page": None, "page_size": None},
                ),
                Route(
                    "POST",
                    path,
                    self.apply,
                    "plumber",
                    {"yml_definition": None, "project_name": None, "periodic_id": None},
                ),
                Route("GET", path + "/{id}", self.get, "plumber", {}),
                Route("DELETE", path + "/{id}", self.delete, "plumber", {}),
                Route(
                    "POST",
                    path + "/{id}/run_now",
                    self.run_now,
                    "plumber",
                    {
                        "reference": {"type": None, "name": None},
                        "branch": None,
                        "pipeline_file": None,
                        "parameters": ANY,
                    },
                ),
            ]
        return routes

    async def list_(self, request: web.Request) -> web.Response:
        project_id = request.query.get("project_id")
        if not project_id:
            return plain(404, "Not Found")
        for key in ("page", "page_size"):
            raw = request.query.get(key)
            if raw is not None and not raw.isdigit():
                return json_string(400, f"Invalid value of '{key}' param: {raw}")
        items = sorted(
            (s for s in self.state.schedules.values() if s.project_id == project_id),
            key=lambda s: s.name,
        )
        chunk, headers = link_page(request, items, request.path, self.control)
        return json_body([render_schedule(s) for s in chunk], headers=headers)

    def _schedule(self, request: web.Request) -> ScheduleRec:
        identifier = request.match_info["id"]
        if not is_uuid(identifier):
            raise Answer(json_string(400, "schedule identifier should be a UUID"))
        schedule = self.state.schedules.get(identifier)
        if schedule is None:
            raise Answer(json_string(400, f"Periodic with id: '{identifier}' not found."))
        return schedule

    async def get(self, request: web.Request) -> web.Response:
        found = self._schedule(request)
        triggers = [render_trigger(t) for t in found.triggers[-10:]]
        return json_body({"schedule": render_schedule(found), "triggers": triggers})

    async def apply(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        definition = params.get("yml_definition")
        if not isinstance(definition, str):
            return json_string(400, "Missing required post parameter yml_definition.")
        try:
            document = yaml.safe_load(definition)
        except yaml.YAMLError:
            return json_string(400, "Invalid YAML definition.")
        spec = document.get("spec") if isinstance(document, dict) else None
        metadata = document.get("metadata") if isinstance(document, dict) else None
        if not isinstance(spec, dict):
            return json_string(400, "Missing 'spec' in YAML definition.")
        metadata = metadata if isinstance(metadata, dict) else {}
        spec = {**spec, "name": metadata.get("name"), "description": metadata.get("description")}
        periodic_id = metadata.get("id")  # the YAML decides create or update
        if periodic_id:
            if str(periodic_id) not in self.state.schedules:
                return json_string(400, f"Periodic with id: '{periodic_id}' not found.")
            schedule = self.state.upsert_schedule(spec, project_id="", schedule_id=str(periodic_id))
        else:
            project = self.state.project_named(str(spec.get("project")))
            if project is None:
                return json_string(400, f"Project with name '{spec.get('project')}' not found.")
            schedule = self.state.upsert_schedule(spec, project_id=project.id)
        return json_string(200, schedule.id)

    async def delete(self, request: web.Request) -> web.Response:
        found = self._schedule(request)
        del self.state.schedules[found.id]
        return json_string(200, "Schedule successfully deleted.")

    async def run_now(self, request: web.Request) -> web.Response:
        found = self._schedule(request)
        params = await params_of(request)
        reference = params.get("reference")
        if reference is not None:
            if not isinstance(reference, dict) or not {"type", "name"} <= reference.keys():
                return json_string(400, "Reference must contain 'type' and 'name' fields")
            if reference["type"] not in ("BRANCH", "TAG"):
                return json_string(400, "Reference type must be 'BRANCH' or 'TAG'")
            prefix = "refs/tags/" if reference["type"] == "TAG" else "refs/heads/"
            ref = prefix + str(reference["name"])
        elif params.get("branch"):
            ref = "refs/heads/" + str(params["branch"])
        else:
            ref = found.reference
        given = params.get("parameters") or {}
        values = [
            {"name": p["name"], "value": str(given.get(p["name"]) or p["default_value"])}
            for p in found.parameters
        ]
        wf = self.state.start_workflow(
            found.project_id,
            ref,
            pipeline_file=params.get("pipeline_file") or found.pipeline_file,
            parameters={v["name"]: v["value"] for v in values},
        )
        found.triggers.append(
            {
                "triggered_at": wf.created_at,
                "scheduling_status": "passed",
                "scheduled_workflow_id": wf.wf_id,
                "scheduled_at": wf.created_at,
                "run_now_requester_id": self.state.user_id,
                "project_id": found.project_id,
                "reference": ref,
                "pipeline_file": found.pipeline_file,
                "periodic_id": found.id,
                "parameter_values": values,
            }
        )
        return json_body({"workflow_id": wf.wf_id})
