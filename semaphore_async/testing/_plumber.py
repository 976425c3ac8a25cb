"""plumber-public routes: workflows, pipelines, promotions, schedules and tasks,
deployment targets, self-hosted agent types and agents, job logs, retention policies."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import yaml
from aiohttp import web

from .._args import is_uuid
from ._state import (
    AgentRec,
    AgentTypeRec,
    DeploymentRec,
    EmulatorState,
    PipelineRec,
    ScheduleRec,
    TargetRec,
    WorkflowRec,
)
from ._wire import (
    decode_cursor,
    encode_cursor,
    json_body,
    json_string,
    link_page,
    params_of,
    plain,
    ts_iso,
    ts_object,
    ts_text,
)

if TYPE_CHECKING:
    from ._server import EmulatorControl

__all__ = ["PlumberRoutes"]

V1 = "/api/v1alpha"


def render_workflow(wf: WorkflowRec, *, listed: bool) -> dict[str, Any]:
    return {
        "wf_id": wf.wf_id,
        "requester_id": wf.requester_id,
        "project_id": wf.project_id,
        "initial_ppl_id": wf.initial_ppl_id,
        "hook_id": wf.hook_id,
        "created_at": ts_object(wf.created_at),
        "commit_sha": wf.commit_sha,
        "branch_name": wf.branch_name,
        "branch_id": wf.branch_id,
        # The list encodes the raw proto struct (an integer), the describe the name.
        "triggered_by": wf.triggered_by if listed else EmulatorState.trigger_name(wf.triggered_by),
        "rerun_of": wf.rerun_of,
    }


def render_pipeline(ppl: PipelineRec, *, listed: bool) -> dict[str, Any]:
    ts: Callable[[Any], Any] = ts_object if listed else ts_text
    case = str.upper if listed else str.lower
    data: dict[str, Any] = {
        "yaml_file_name": ppl.yaml_file_name,
        "working_directory": ".semaphore",
        "wf_id": ppl.wf_id,
        "terminated_by": ppl.terminated_by,
        "terminate_request": ppl.terminate_request,
        "switch_id": "",
        "stopping_at": ts(ppl.stopping_at),
        "state": case(ppl.state),
        "snapshot_id": "",
        "running_at": ts(ppl.running_at),
        "queuing_at": ts(ppl.queuing_at),
        "project_id": ppl.project_id,
        "ppl_id": ppl.ppl_id,
        "pending_at": ts(ppl.pending_at),
        "name": ppl.name,
        "hook_id": ppl.hook_id,
        "error_description": "",
        "done_at": ts(ppl.done_at),
        "created_at": ts(ppl.created_at),
        "commit_sha": ppl.commit_sha,
        "branch_name": ppl.branch_name,
        "branch_id": ppl.branch_id,
    }
    # result and result_reason exist only once the pipeline is done (server-behaviour §8).
    if ppl.state == "DONE":
        data["result"] = case(ppl.result or "")
        data["result_reason"] = case(ppl.result_reason or "")
    return data


def render_blocks(ppl: PipelineRec) -> list[dict[str, Any]]:
    blocks = []
    for block in ppl.blocks:
        data: dict[str, Any] = {
            "state": block.state.lower(),
            "name": block.name,
            "jobs": [
                {
                    "status": job.status,
                    "result": job.result,
                    "name": job.name,
                    "job_id": job.job_id,
                    "index": job.index,
                }
                for job in block.jobs
            ],
            "error_description": "",
            "build_req_id": block.build_req_id,
            "block_id": block.block_id,
        }
        if block.state == "DONE":
            data["result"] = (block.result or "").lower()
            data["result_reason"] = (block.result_reason or "").lower()
        blocks.append(data)
    return blocks


def render_schedule(schedule: ScheduleRec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "updated_at": ts_text(schedule.updated_at, unset=""),
        "suspended": False,
        "requester_id": schedule.requester_id,
        "project_id": schedule.project_id,
        "pipeline_file": schedule.pipeline_file,
        "paused": schedule.paused,
        "pause_toggled_by": "",
        "pause_toggled_at": "",
        "name": schedule.name,
        "inserted_at": ts_text(schedule.inserted_at, unset=""),
        "id": schedule.id,
        "at": schedule.at,
    }
    # branch only for refs/heads/ references (server-behaviour §8).
    if schedule.reference.startswith("refs/heads/"):
        data["branch"] = schedule.reference.removeprefix("refs/heads/")
    return data


def render_target(target: TargetRec) -> dict[str, Any]:
    last = target.history[-1] if target.history else None
    # Values of env_vars and files are never echoed back.
    return {
        "url": target.url,
        "updated_by": target.created_by,
        "updated_at": ts_iso(target.updated_at),
        "subject_rules": target.subject_rules,
        "state_message": "",
        "state": "USABLE" if target.active else "CORDONED",
        "project_id": target.project_id,
        "organization_id": target.organization_id,
        "object_rules": target.object_rules,
        "name": target.name,
        "last_deployment": render_deployment(last) if last else None,
        "id": target.id,
        "description": target.description,
        "created_by": target.created_by,
        "created_at": ts_iso(target.created_at),
        "bookmark_parameter1": target.bookmarks[0],
        "bookmark_parameter2": target.bookmarks[1],
        "bookmark_parameter3": target.bookmarks[2],
        "active": target.active,
    }


def render_deployment(deployment: DeploymentRec) -> dict[str, Any]:
    return {
        "triggered_by": deployment.triggered_by,
        "triggered_at": ts_iso(deployment.triggered_at),
        "target_name": deployment.target_name,
        "target_id": deployment.target_id,
        "switch_id": deployment.switch_id,
        "state_message": "",
        "state": deployment.state,
        "prev_pipeline_id": deployment.prev_pipeline_id,
        "pipeline_id": deployment.pipeline_id,
        "id": deployment.id,
        "env_vars": deployment.env_vars,
    }


def micros(deployment: DeploymentRec) -> int:
    stamp = deployment.triggered_at.astimezone(timezone.utc)
    return int(stamp.timestamp()) * 1_000_000 + stamp.microsecond


def render_agent_type(agent_type: AgentTypeRec, *, created: bool = False) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "assignment_origin": agent_type.assignment_origin,
        "release_after": agent_type.release_after,
        "aws": agent_type.aws,
    }
    status: dict[str, Any] = {"total_agent_count": 0}
    if created:
        status["registration_token"] = agent_type.registration_token
    return {
        "metadata": {
            "name": agent_type.name,
            "create_time": agent_type.create_time,
            "update_time": agent_type.update_time,
        },
        "spec": {"agent_name_settings": settings},
        "status": status,
    }


def render_agent(agent: AgentRec) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "version": "v2.2.23",
        "type": agent.type,
        "pid": 14,
        "os": "Ubuntu 22.04 LTS",
        "name": agent.name,
        "ip_address": "127.0.0.1",
        "hostname": f"host-{agent.name[:6]}",
        "connected_at": agent.connected_at,
        "arch": "x86_64",
    }
    if agent.disabled_at is not None:  # present only when disabled (server-behaviour §8)
        metadata["disabled_at"] = agent.disabled_at
    return {"status": {"state": agent.state}, "metadata": metadata}


_AGE = re.compile(r"^\s*(\d+)\s+(day|week|month|year)s?\s*$")


def normalize_age(age: str) -> str | None:
    """The server's normalisation: "14 days" comes back as "2 weeks"."""
    match = _AGE.match(age)
    if not match:
        return None
    number, unit = int(match.group(1)), match.group(2)
    if unit == "day":
        if number % 7:
            return None
        number, unit = number // 7, "week"
    if not 1 <= number <= 12:
        return None
    return f"{number} {unit}{'s' if number > 1 else ''}"


class PlumberRoutes:
    def __init__(self, state: EmulatorState, control: EmulatorControl) -> None:
        self.state = state
        self.control = control

    def register(self, router: web.UrlDispatcher) -> None:
        wf = V1 + "/plumber-workflows"
        router.add_post(wf, self.workflow_run)
        router.add_get(wf, self.workflow_list)
        router.add_get(wf + "/{wf_id}", self.workflow_get)
        router.add_post(wf + "/{wf_id}/reschedule", self.workflow_reschedule)
        router.add_post(wf + "/{wf_id}/terminate", self.workflow_terminate)
        router.add_get(V1 + "/pipelines", self.pipeline_list)
        router.add_get(V1 + "/pipelines/{ppl_id}", self.pipeline_get)
        router.add_patch(V1 + "/pipelines/{ppl_id}", self.pipeline_patch)
        router.add_post(V1 + "/yaml", self.yaml_validate)
        router.add_get(V1 + "/promotions", self.promotion_list)
        router.add_post(V1 + "/promotions", self.promotion_trigger)
        for base in ("/schedules", "/tasks"):  # the same handlers serve both
            router.add_get(V1 + base, self.schedule_list)
            router.add_post(V1 + base, self.schedule_apply)
            router.add_get(V1 + base + "/{id}", self.schedule_get)
            router.add_delete(V1 + base + "/{id}", self.schedule_delete)
            router.add_post(V1 + base + "/{id}/run_now", self.schedule_run_now)
        dt = V1 + "/deployment_targets"
        router.add_get(dt, self.target_list)
        router.add_post(dt, self.target_create)
        router.add_get(dt + "/{id}", self.target_get)
        router.add_patch(dt + "/{id}", self.target_update)
        router.add_delete(dt + "/{id}", self.target_delete)
        router.add_patch(dt + "/{id}/activate", self.target_activate)
        router.add_patch(dt + "/{id}/deactivate", self.target_deactivate)
        router.add_get(dt + "/{id}/history", self.target_history)
        at = V1 + "/self_hosted_agent_types"
        router.add_get(at, self.agent_type_list)
        router.add_post(at, self.agent_type_create)
        router.add_get(at + "/{name}", self.agent_type_get)
        router.add_patch(at + "/{name}", self.agent_type_update)
        router.add_delete(at + "/{name}", self.agent_type_delete)
        router.add_post(at + "/{name}/disable_all", self.agent_type_disable_all)
        router.add_get(V1 + "/agents", self.agent_list)
        router.add_get(V1 + "/agents/{name}", self.agent_get)
        router.add_get(V1 + "/logs/{job_id}", self.logs)
        router.add_get("/api/v1/logs/{job_id}", self.loghub)
        rp = V1 + "/artifacts_retention_policies"
        router.add_get(rp + "/{project_id}", self.retention_get)
        router.add_post(rp, self.retention_set)

    # --- workflows ------------------------------------------------------------------------

    async def workflow_run(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        project_id = params.get("project_id")
        if not project_id:
            # The real server crashes on a missing project_id (a body sent without a JSON
            # Content-Type is ignored, so this is also what such a client sees).
            return plain(500, "Something went wrong")
        if project_id not in self.state.projects:
            return plain(404, "Not Found")
        reference = str(params.get("reference") or "refs/heads/master")
        wf = self.state.start_workflow(
            project_id,
            reference,
            commit_sha=params.get("commit_sha"),
            pipeline_file=params.get("pipeline_file"),
        )
        return json_body(
            {"workflow_id": wf.wf_id, "pipeline_id": wf.initial_ppl_id, "hook_id": wf.hook_id}
        )

    async def workflow_get(self, request: web.Request) -> web.Response:
        wf = self.state.workflows.get(request.match_info["wf_id"])
        if wf is None:
            return plain(404, "Not found")
        return json_body({"workflow": render_workflow(wf, listed=False)})

    async def workflow_list(self, request: web.Request) -> web.Response:
        project_id = request.query.get("project_id")
        if not project_id:
            return plain(404, "Not Found")
        branch = request.query.get("branch_name")
        items = [
            wf
            for wf in self.state.workflows.values()
            if wf.project_id == project_id and (branch is None or wf.branch_name == branch)
        ]
        items.sort(key=lambda wf: wf.created_at, reverse=True)
        chunk, headers = link_page(request, items, V1 + "/plumber-workflows", self.control)
        return json_body([render_workflow(wf, listed=True) for wf in chunk], headers=headers)

    async def workflow_reschedule(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        wf = self.state.workflows.get(request.match_info["wf_id"])
        if wf is None:
            return plain(404, "Not found")
        token = params.get("request_token")
        if not token:
            return json_string(400, "Missing required post parameter request_token.")
        new = self.state.rerun_workflow(wf, str(token))
        return json_body({"wf_id": new.wf_id, "ppl_id": new.initial_ppl_id})

    async def workflow_terminate(self, request: web.Request) -> web.Response:
        wf = self.state.workflows.get(request.match_info["wf_id"])
        if wf is None:
            return plain(404, "Not found")
        running = [self.state.pipelines[p] for p in wf.pipeline_ids]
        running = [p for p in running if p.state != "DONE"]
        for ppl in running:
            self.state.stop_pipeline(ppl)
        return json_string(200, f"Termination started for {len(running)} pipelines.")

    # --- pipelines ------------------------------------------------------------------------

    async def pipeline_get(self, request: web.Request) -> web.Response:
        ppl = self.state.pipelines.get(request.match_info["ppl_id"])
        if ppl is None:
            return plain(404, "Not found")
        self.state.advance(ppl)
        detailed = request.query.get("detailed") == "true"  # exactly "true", as the server
        return json_body(
            {
                "pipeline": render_pipeline(ppl, listed=False),
                "blocks": render_blocks(ppl) if detailed else [],
            }
        )

    async def pipeline_list(self, request: web.Request) -> web.Response:
        query = request.query
        project_id, wf_id = query.get("project_id"), query.get("wf_id")
        if not project_id and not wf_id:
            return plain(404, "Not Found")
        filters: list[Callable[[PipelineRec], bool]] = []
        if project_id:
            filters.append(lambda p: p.project_id == project_id)
        if wf_id:
            filters.append(lambda p: p.wf_id == wf_id)
        if "branch_name" in query:
            filters.append(lambda p: p.branch_name == query["branch_name"])
        if "yml_file_path" in query:
            filters.append(lambda p: query["yml_file_path"].endswith(p.yaml_file_name))
        for name, attr, later in (
            ("created_after", "created_at", True),
            ("created_before", "created_at", False),
            ("done_after", "done_at", True),
            ("done_before", "done_at", False),
        ):
            if name in query:
                try:
                    bound = int(query[name])
                except ValueError:
                    return json_string(400, f"Invalid value of '{name}' param")
                filters.append(_time_filter(attr, bound, later))
        items = [p for p in self.state.pipelines.values() if all(f(p) for f in filters)]
        items.sort(key=lambda p: p.created_at, reverse=True)
        chunk, headers = link_page(request, items, V1 + "/pipelines", self.control)
        return json_body([render_pipeline(p, listed=True) for p in chunk], headers=headers)

    async def pipeline_patch(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        ppl = self.state.pipelines.get(request.match_info["ppl_id"])
        if ppl is None:
            return plain(404, "Not found")
        if params.get("terminate_request") is not True:
            return json_string(400, "Value of 'terminate_request' field must be boolean true.")
        self.state.stop_pipeline(ppl)
        return json_string(200, "Pipeline termination started.")

    async def yaml_validate(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        definition = params.get("yaml_definition")
        if not isinstance(definition, str) or not definition.strip():
            return json_string(400, "Missing required post parameter yaml_definition.")
        try:
            document = yaml.safe_load(definition)
        except yaml.YAMLError as exc:
            return json_string(400, f"Error: {str(exc).splitlines()[0]}")
        if not isinstance(document, dict) or "blocks" not in document:
            return json_string(400, 'Error: {{:missing_property, "blocks"}, "#"}')
        return json_body({"message": "YAML definition is valid.", "pipeline_id": ""})

    # --- promotions -----------------------------------------------------------------------

    async def promotion_list(self, request: web.Request) -> web.Response:
        ppl_id = request.query.get("pipeline_id")
        if not ppl_id or ppl_id not in self.state.pipelines:
            return plain(404, "Not Found")
        size = request.query.get("page_size")
        if size is not None and not size.isdigit():
            return json_string(
                400, f"Invalid value of 'page_size' param: {size} - needs to be integer."
            )
        items = sorted(
            self.state.promotions.get(ppl_id, []), key=lambda p: p.triggered_at, reverse=True
        )
        chunk, headers = link_page(
            request, items, V1 + "/promotions", self.control, default_size=10
        )
        body = [
            {
                "triggered_by": p.triggered_by,
                "triggered_at": ts_object(p.triggered_at),
                "status": p.status,
                "scheduled_pipeline_id": p.scheduled_pipeline_id,
                "scheduled_at": ts_object(p.scheduled_at),
                "override": p.override,
                "name": p.name,
            }
            for p in chunk
        ]
        return json_body(body, headers=headers)

    async def promotion_trigger(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        ppl_id = params.pop("pipeline_id", None)
        name = params.pop("name", None)
        if not ppl_id or not name:
            return json_string(400, "Missing required post parameter pipeline_id or name.")
        if ppl_id not in self.state.pipelines:
            return plain(404, "Not Found")
        override = params.pop("override", False)
        if override not in (True, False, "true", "false"):
            return json_string(400, "Invalid value of 'override' param.")
        params.pop("request_token", None)
        # Every other parameter is a promotion parameter and must be a string.
        if any(not isinstance(v, str) for v in params.values()):
            return json_string(500, "Internal error")
        self.state.add_promotion(
            ppl_id, str(name), dict(params), override=override in (True, "true")
        )
        return json_string(200, "Promotion successfully triggered.")

    # --- schedules and tasks --------------------------------------------------------------

    async def schedule_list(self, request: web.Request) -> web.Response:
        project_id = request.query.get("project_id")
        if not project_id:
            return plain(404, "Not Found")
        size = request.query.get("page_size")
        if size is not None and not size.isdigit():
            return json_string(400, f"Invalid value of 'page_size' param: {size}")
        items = sorted(
            (s for s in self.state.schedules.values() if s.project_id == project_id),
            key=lambda s: s.name,
        )
        chunk, headers = link_page(request, items, request.path, self.control)
        return json_body([render_schedule(s) for s in chunk], headers=headers)

    def _schedule(self, request: web.Request) -> ScheduleRec | web.Response:
        identifier = request.match_info["id"]
        if not is_uuid(identifier):
            return json_string(400, "schedule identifier should be a UUID")
        schedule = self.state.schedules.get(identifier)
        return schedule if schedule is not None else plain(404, "Not found")

    async def schedule_get(self, request: web.Request) -> web.Response:
        found = self._schedule(request)
        if isinstance(found, web.Response):
            return found
        triggers = []
        for trigger in found.triggers[-10:]:
            rendered = dict(trigger)
            for key in ("triggered_at", "scheduled_at"):
                value = trigger[key]
                rendered[key] = ts_text(value if isinstance(value, datetime) else None, unset="")
            triggers.append(rendered)
        return json_body({"triggers": triggers, "schedule": render_schedule(found)})

    async def schedule_apply(self, request: web.Request) -> web.Response:
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
        if isinstance(metadata, dict):
            spec = {**spec, "name": metadata.get("name")}
        periodic_id = params.get("periodic_id")
        if periodic_id:
            if periodic_id not in self.state.schedules:
                return plain(404, "Not found")
            schedule = self.state.upsert_schedule(spec, project_id="", schedule_id=periodic_id)
        else:
            project = self.state.project_named(
                str(params.get("project_name") or spec.get("project"))
            )
            if project is None:
                return json_string(400, "Project not found.")
            schedule = self.state.upsert_schedule(spec, project_id=project.id)
        return json_string(200, schedule.id)

    async def schedule_delete(self, request: web.Request) -> web.Response:
        found = self._schedule(request)
        if isinstance(found, web.Response):
            return found
        del self.state.schedules[found.id]
        return json_string(200, "Schedule successfully deleted.")

    async def schedule_run_now(self, request: web.Request) -> web.Response:
        found = self._schedule(request)
        if isinstance(found, web.Response):
            return found
        params = await params_of(request)
        reference = params.get("reference")
        if reference is not None:
            if not isinstance(reference, dict) or not {"type", "name"} <= reference.keys():
                return json_string(400, "Reference must contain 'type' and 'name' fields")
            prefix = "refs/tags/" if str(reference["type"]).upper() == "TAG" else "refs/heads/"
            ref = prefix + str(reference["name"])
        elif params.get("branch"):
            ref = "refs/heads/" + str(params["branch"])
        else:
            ref = found.reference
        wf = self.state.start_workflow(
            found.project_id, ref, pipeline_file=params.get("pipeline_file") or found.pipeline_file
        )
        now = wf.created_at
        found.triggers.append(
            {
                "triggered_at": now,
                "scheduling_status": "passed",
                "scheduled_workflow_id": wf.wf_id,
                "scheduled_at": now,
                "run_now_requester_id": self.state.new_id(),
                "project_id": found.project_id,
                "pipeline_file": found.pipeline_file,
                "periodic_id": found.id,
                "error_description": "",
                "branch": ref.removeprefix("refs/heads/").removeprefix("refs/tags/"),
            }
        )
        return json_body({"workflow_id": wf.wf_id})

    # --- deployment targets ---------------------------------------------------------------

    async def target_list(self, request: web.Request) -> web.Response:
        project_id = request.query.get("project_id")
        if not project_id:
            return plain(400, "project_id must be present")
        name = request.query.get("target_name")
        targets = [
            t
            for t in self.state.targets.values()
            if t.project_id == project_id and (name is None or t.name == name)
        ]
        return json_body([render_target(t) for t in targets])

    def _target(self, request: web.Request) -> TargetRec | web.Response:
        target = self.state.targets.get(request.match_info["id"])
        return target if target is not None else plain(404, "Not found")

    @staticmethod
    def _check_token(params: dict[str, Any]) -> str | web.Response:
        token = params.get("unique_token")
        if not isinstance(token, str) or not is_uuid(token):
            return plain(400, "unique_token must be a valid UUID")
        return token

    async def target_create(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        token = self._check_token(params)
        if isinstance(token, web.Response):
            return token
        if token in self.state.target_tokens:  # the same request again: answer it again
            existing = self.state.targets.get(self.state.target_tokens[token])
            if existing is not None:
                return json_body(render_target(existing))
        project_id = params.get("project_id")
        if not project_id or project_id not in self.state.projects:
            return plain(400, "project_id must be a valid project")
        name = params.get("name")
        if not isinstance(name, str) or not name:
            return plain(400, "name must be present")
        if any(t.name == name and t.project_id == project_id for t in self.state.targets.values()):
            return plain(400, f"Target with name '{name}' already exists")
        target = self.state.create_target(project_id, name, params)
        self.state.target_tokens[token] = target.id
        return json_body(render_target(target))

    async def target_get(self, request: web.Request) -> web.Response:
        found = self._target(request)
        return found if isinstance(found, web.Response) else json_body(render_target(found))

    async def target_update(self, request: web.Request) -> web.Response:
        found = self._target(request)
        if isinstance(found, web.Response):
            return found
        params = await params_of(request)
        token = self._check_token(params)
        if isinstance(token, web.Response):
            return token
        params.pop("id", None)
        self.state.update_target(found, params)
        found.updated_at = self.state.now()
        return json_body(render_target(found))

    async def target_delete(self, request: web.Request) -> web.Response:
        target_id = request.match_info["id"]
        params = await params_of(request)
        token = self._check_token(params)
        if isinstance(token, web.Response):
            return token
        if self.state.target_tokens.get(token) == f"deleted:{target_id}":
            return json_body({"target_id": target_id})  # a retried delete
        if target_id not in self.state.targets:
            return plain(404, "Not found")
        del self.state.targets[target_id]
        self.state.target_tokens[token] = f"deleted:{target_id}"
        return json_body({"target_id": target_id})

    async def target_activate(self, request: web.Request) -> web.Response:
        return self._cordon(request, cordoned=False)

    async def target_deactivate(self, request: web.Request) -> web.Response:
        return self._cordon(request, cordoned=True)

    def _cordon(self, request: web.Request, *, cordoned: bool) -> web.Response:
        found = self._target(request)
        if isinstance(found, web.Response):
            return found
        found.active = not cordoned
        return json_body({"target_id": found.id, "cordoned": cordoned})

    async def target_history(self, request: web.Request) -> web.Response:
        found = self._target(request)
        if isinstance(found, web.Response):
            return found
        query = request.query
        items = sorted(found.history, key=micros, reverse=True)  # newest first
        for key, attr in (("triggered_by", "triggered_by"),):
            if key in query:
                items = [d for d in items if getattr(d, attr) == query[key]]
        cursor_type = query.get("cursor_type", "FIRST").upper()
        try:
            value = int(query.get("cursor_value", "0"))
        except ValueError:
            return plain(400, "cursor_value must be an integer")
        if cursor_type == "BEFORE" and value:
            older = [d for d in items if micros(d) <= value]
            if older and micros(older[0]) == value:
                older = older[1:]  # the boundary item was on the previous page
            page = older[:10]
        elif cursor_type == "AFTER" and value:
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

    # --- self-hosted agent types and agents -----------------------------------------------

    async def agent_type_list(self, request: web.Request) -> web.Response:
        types = sorted(self.state.agent_types.values(), key=lambda t: t.name)
        return json_body({"agent_types": [render_agent_type(t) for t in types]})

    async def agent_type_create(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        metadata, spec = params.get("metadata"), params.get("spec") or {}
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(name, str) or not name:
            return json_string(400, "metadata.name is required")
        if name in self.state.agent_types:
            return json_string(400, f"agent type {name} already exists")
        settings = spec.get("agent_name_settings") if isinstance(spec, dict) else None
        agent_type = self.state.create_agent_type(name, settings or {})
        return json_body(render_agent_type(agent_type, created=True))

    def _agent_type(self, request: web.Request) -> AgentTypeRec | web.Response:
        found = self.state.agent_types.get(request.match_info["name"])
        return found if found is not None else json_string(404, "agent type not found")

    async def agent_type_get(self, request: web.Request) -> web.Response:
        found = self._agent_type(request)
        return found if isinstance(found, web.Response) else json_body(render_agent_type(found))

    async def agent_type_update(self, request: web.Request) -> web.Response:
        found = self._agent_type(request)
        if isinstance(found, web.Response):
            return found
        params = await params_of(request)
        spec = params.get("spec") or {}
        settings = spec.get("agent_name_settings") if isinstance(spec, dict) else None
        self.state.configure_agent_type(found, settings or {})
        return json_body(render_agent_type(found))

    async def agent_type_delete(self, request: web.Request) -> web.Response:
        found = self._agent_type(request)
        if isinstance(found, web.Response):
            return found
        del self.state.agent_types[found.name]
        return json_body({})

    async def agent_type_disable_all(self, request: web.Request) -> web.Response:
        found = self._agent_type(request)
        if isinstance(found, web.Response):
            return found
        params = await params_of(request)
        only_idle = params.get("only_idle", True)
        if only_idle not in (True, False, "true", "false"):
            return json_string(400, "only_idle must be a boolean")
        idle_only = only_idle in (True, "true")
        for agent in self.state.agents.values():
            if agent.type == found.name and (not idle_only or agent.state == "waiting_for_job"):
                agent.disabled_at = self.state.epoch()
        return json_body({})

    async def agent_list(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            size = int(query.get("page_size", "200"))
        except ValueError:
            size = 0
        if not 5 <= size <= 200:
            return json_string(
                400, f"page size of {size} is invalid: must be greater than 0 and between 5-200"
            )
        agents = sorted(
            (
                a
                for a in self.state.agents.values()
                if "agent_type" not in query or a.type == query["agent_type"]
            ),
            key=lambda a: a.name,
        )
        offset = decode_cursor(query["cursor"]) if query.get("cursor") else 0
        if offset is None:
            return json_string(400, "invalid cursor")
        chunk = agents[offset : offset + size]
        more = offset + size < len(agents)
        return json_body(
            {
                "agents": [render_agent(a) for a in chunk],
                "cursor": encode_cursor(offset + size) if more else "",
            }
        )

    async def agent_get(self, request: web.Request) -> web.Response:
        agent = self.state.agents.get(request.match_info["name"])
        return (
            json_string(404, "agent not found") if agent is None else json_body(render_agent(agent))
        )

    # --- logs -----------------------------------------------------------------------------

    async def logs(self, request: web.Request) -> web.StreamResponse:
        job = self.state.jobs.get(request.match_info["job_id"])
        if job is None:
            return plain(404, "Not found")
        if job.self_hosted:
            jwt = self.control.issue_log_jwt(job.job_id)
            raise web.HTTPFound(f"/api/v1/logs/{job.job_id}?jwt={jwt}")
        return web.json_response({"events": job.log})  # the one answer with a Content-Type

    async def loghub(self, request: web.Request) -> web.Response:
        """loghub2: authorised by the jwt alone; the API token must never come here."""
        job = self.state.jobs.get(request.match_info["job_id"])
        if "Authorization" in request.headers:
            return plain(400, "emulator: the API token was sent to log storage")
        if job is None or request.query.get("jwt") != self.control.log_jwts.get(job.job_id):
            return plain(401, "Unauthorized")
        try:
            start = int(request.query.get("token", "0"))
        except ValueError:
            return plain(400, "token must be an integer")
        chunk = job.log[start : start + self.control.log_chunk]
        end = start + len(chunk)
        return web.json_response({"events": chunk, "next": end if end < len(job.log) else None})

    # --- retention policies ---------------------------------------------------------------

    async def retention_get(self, request: web.Request) -> web.Response:
        project_id = request.match_info["project_id"]
        if project_id not in self.state.projects:
            return plain(404, "Not found")
        return json_body(self._policy(project_id))

    def _policy(self, project_id: str) -> dict[str, Any]:
        levels = self.state.retention.get(project_id, {})
        return {
            f"{level}_level_retention_policies": levels.get(level, [])
            for level in ("project", "workflow", "job")
        }

    async def retention_set(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        project_id = params.get("project_id")
        if not project_id or project_id not in self.state.projects:
            return plain(404, "Not found")
        levels: dict[str, list[dict[str, str]]] = {}
        for level in ("project", "workflow", "job"):
            rules = params.get(f"{level}_level_retention_policies") or []
            normalized = []
            for rule in rules:
                age = normalize_age(str(rule.get("age", ""))) if isinstance(rule, dict) else None
                if age is None or not rule.get("selector"):
                    return json_string(400, f"Invalid retention rule: {rule!r}")
                normalized.append({"selector": str(rule["selector"]), "age": age})
            levels[level] = normalized
        if not any(levels.values()):
            return json_string(400, "At least one retention policy rule is required")
        self.state.retention[project_id] = levels
        return json_body(self._policy(project_id))


def _time_filter(attr: str, bound: int, later: bool) -> Callable[[PipelineRec], bool]:
    def check(ppl: PipelineRec) -> bool:
        value = getattr(ppl, attr)
        if value is None:
            return False
        stamp = float(value.timestamp())
        return stamp > bound if later else stamp < bound

    return check
