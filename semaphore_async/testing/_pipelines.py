"""plumber-public: pipelines (``/api/v1alpha/pipelines``) and ``/api/v1alpha/yaml``.

As ``public-api/v1alpha/lib/pipelines_api/pipelines/*.ex`` and
``pipelines_client/response_formatter.ex``: a describe sends the proto struct with the
state enums lower-cased, text timestamps and the nested enums as numbers; a list goes
through ``Util.Proto.to_map`` (every enum an upper-case name, ``{seconds, nanos}``
timestamps). Both carry all 36 fields; ``result``/``result_reason`` only once done.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import yaml
from aiohttp import web

from ._state import PipelineRec
from ._wire import (
    Area,
    Route,
    json_body,
    json_string,
    params_of,
    plain,
    ts_object,
    ts_text,
)

__all__ = ["PipelineRoutes", "render_blocks", "render_pipeline"]

BASE = "/api/v1alpha/pipelines"
YAML = "/api/v1alpha/yaml"
_PPL_TRIGGERS = {0: "WORKFLOW", 1: "PROMOTION", 2: "AUTO_PROMOTION", 3: "PARTIAL_RE_RUN"}
_WF_TRIGGERS = {0: "HOOK", 1: "SCHEDULE", 2: "API", 3: "MANUAL_RUN"}


def render_pipeline(ppl: PipelineRec, *, listed: bool) -> dict[str, Any]:
    ts: Callable[[Any], Any] = ts_object if listed else ts_text
    case = str.upper if listed else str.lower
    # Nested enums: numbers in a describe (raw struct), names in a list (to_map).
    enum: Callable[[dict[int, str], int], Any] = (
        (lambda names, n: names[n]) if listed else (lambda names, n: n)
    )
    data: dict[str, Any] = {
        "ppl_id": ppl.ppl_id,
        "name": ppl.name,
        "project_id": ppl.project_id,
        "branch_name": ppl.branch_name,
        "commit_sha": ppl.commit_sha,
        "created_at": ts(ppl.created_at),
        "pending_at": ts(ppl.pending_at),
        "queuing_at": ts(ppl.queuing_at),
        "running_at": ts(ppl.running_at),
        "stopping_at": ts(ppl.stopping_at),
        "done_at": ts(ppl.done_at),
        "state": case(ppl.state),
        "terminate_request": ppl.terminate_request,
        "hook_id": ppl.hook_id,
        "branch_id": ppl.branch_id,
        "error_description": "",
        "switch_id": "",
        "working_directory": ".semaphore",
        "yaml_file_name": ppl.yaml_file_name,
        "terminated_by": ppl.terminated_by,
        "wf_id": ppl.wf_id,
        "snapshot_id": "",
        "queue": {
            "queue_id": ppl.queue_id,
            "name": "production" if ppl.branch_name == "main" else "default",
            "scope": "project",
            "project_id": ppl.project_id,
            "organization_id": ppl.organization_id,
            "type": enum({0: "IMPLICIT", 1: "USER_GENERATED"}, 0),
        },
        "promotion_of": "",
        "partial_rerun_of": "",
        "commit_message": ppl.commit_message,
        "partially_rerun_by": "",
        "compile_task_id": "",
        "with_after_task": False,
        "after_task_id": "",
        "repository_id": ppl.repository_id,
        "env_vars": ppl.env_vars,
        "triggerer": {
            "wf_triggered_by": enum(_WF_TRIGGERS, ppl.triggered_by),
            "wf_triggerer_id": "",
            "wf_triggerer_user_id": ppl.requester_id,
            "wf_triggerer_provider_login": "emulated-user",
            "wf_triggerer_provider_uid": "1",
            "wf_triggerer_provider_avatar": "",
            "ppl_triggered_by": enum(_PPL_TRIGGERS, 0),
            "ppl_triggerer_id": "",
            "ppl_triggerer_user_id": ppl.requester_id,
            "workflow_rerun_of": "",
        },
        "organization_id": ppl.organization_id,
    }
    # result and result_reason exist only once the pipeline is done (response_formatter.ex).
    if ppl.state == "DONE":
        data["result"] = case(ppl.result or "")
        data["result_reason"] = case(ppl.result_reason or "")
    return data


def render_blocks(ppl: PipelineRec) -> list[dict[str, Any]]:
    blocks = []
    for block in ppl.blocks:
        data: dict[str, Any] = {
            "block_id": block.block_id,
            "name": block.name,
            "build_req_id": block.build_req_id,
            "state": block.state.lower(),
            "error_description": "",
            "jobs": [
                {
                    "name": job.name,
                    "index": job.index,
                    "job_id": job.job_id,
                    "status": job.status,
                    "result": job.result,
                }
                for job in block.jobs
            ],
        }
        if block.state == "DONE":
            data["result"] = (block.result or "").lower()
            data["result_reason"] = (block.result_reason or "").lower()
        blocks.append(data)
    return blocks


# The filters plumber-public reads on a list (path, body and query are merged there).
_LIST_READS = (
    "project_id",
    "wf_id",
    "branch_name",
    "yml_file_path",
    "label",
    "queue_id",
    "pr_head_branch",
    "pr_target_branch",
    "created_after",
    "created_before",
    "done_after",
    "done_before",
    "page",
    "page_size",
)


class PipelineRoutes(Area):
    def routes(self) -> list[Route]:
        return [
            Route("GET", BASE, self.list_, "plumber", dict.fromkeys(_LIST_READS)),
            Route("GET", BASE + "/{ppl_id}", self.get, "plumber", {"detailed": None}),
            Route("PATCH", BASE + "/{ppl_id}", self.patch, "plumber", {"terminate_request": None}),
            Route("POST", YAML, self.validate_yaml, "plumber", {"yaml_definition": None}),
        ]

    async def get(self, request: web.Request) -> web.Response:
        ppl = self.find(self.state.pipelines, request, "ppl_id")
        self.state.advance(ppl)
        detailed = request.query.get("detailed") == "true"  # exactly "true", as the server
        return json_body(
            {
                "pipeline": render_pipeline(ppl, listed=False),
                "blocks": render_blocks(ppl) if detailed else [],
            }
        )

    async def list_(self, request: web.Request) -> web.Response:
        query = request.query
        project_id, wf_id = query.get("project_id"), query.get("wf_id")
        if not project_id and not wf_id:
            return plain(404, "Not Found")
        filters: list[Callable[[PipelineRec], bool]] = []
        if project_id:
            filters.append(lambda p: p.project_id == project_id)
        if wf_id:
            filters.append(lambda p: p.wf_id == wf_id)
        for key in ("branch_name", "label"):  # the emulator labels a pipeline by its branch
            if key in query:
                filters.append(_equals("branch_name", query[key]))
        if "queue_id" in query:
            filters.append(lambda p: p.queue_id == query["queue_id"])
        if "yml_file_path" in query:
            filters.append(lambda p: query["yml_file_path"].endswith(p.yaml_file_name))
        if "pr_head_branch" in query or "pr_target_branch" in query:
            filters.append(lambda p: False)  # the emulator runs no pull request pipelines
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
                    return plain(500, "Something went wrong")  # the server crashes
                filters.append(_time_filter(attr, bound, later))
        items = [p for p in self.state.pipelines.values() if all(f(p) for f in filters)]
        return self.newest_page(request, items, BASE, partial(render_pipeline, listed=True))

    async def patch(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        ppl = self.find(self.state.pipelines, request, "ppl_id")
        if params.get("terminate_request") is not True:
            return json_string(400, "Value of 'terminate_request' field must be boolean true.")
        self.state.stop_pipeline(ppl)
        return json_string(200, "Pipeline termination started.")

    async def validate_yaml(self, request: web.Request) -> web.Response:
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


def _equals(attr: str, wanted: str) -> Callable[[PipelineRec], bool]:
    return lambda ppl: bool(getattr(ppl, attr) == wanted)


def _time_filter(attr: str, bound: int, later: bool) -> Callable[[PipelineRec], bool]:
    def check(ppl: PipelineRec) -> bool:
        value = getattr(ppl, attr)
        if value is None:
            return False
        stamp = float(value.timestamp())
        return stamp > bound if later else stamp < bound

    return check
