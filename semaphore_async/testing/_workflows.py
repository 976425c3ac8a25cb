"""plumber-public: workflows (``/api/v1alpha/plumber-workflows``).

As ``public-api/v1alpha/lib/pipelines_api/workflows/*.ex`` and
``workflow_client/wf_{request,response}_formatter.ex``: the describe encodes the
workflow through ``Util.Proto.to_map`` (``triggered_by`` as a name), the list the raw
proto struct (``triggered_by`` as its number); both send every field.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from aiohttp import web

from ._state import EmulatorState, WorkflowRec
from ._wire import ANY, Area, Route, json_body, json_string, params_of, plain, ts_object

__all__ = ["WorkflowRoutes", "render_workflow"]

BASE = "/api/v1alpha/plumber-workflows"


def render_workflow(wf: WorkflowRec, *, listed: bool) -> dict[str, Any]:
    return {
        "wf_id": wf.wf_id,
        "initial_ppl_id": wf.initial_ppl_id,
        "project_id": wf.project_id,
        "hook_id": wf.hook_id,
        "requester_id": wf.requester_id,
        "branch_id": wf.branch_id,
        "branch_name": wf.branch_name,
        "commit_sha": wf.commit_sha,
        "created_at": ts_object(wf.created_at),
        "triggered_by": wf.triggered_by if listed else EmulatorState.trigger_name(wf.triggered_by),
        "rerun_of": wf.rerun_of,
        "repository_id": wf.repository_id,
        "organization_id": wf.organization_id,
    }


class WorkflowRoutes(Area):
    def routes(self) -> list[Route]:
        return [
            Route(
                "POST",
                BASE,
                self.run,
                "plumber",
                {
                    "project_id": None,
                    "reference": None,
                    "commit_sha": None,
                    "pipeline_file": None,
                    "parameters": ANY,
                },
            ),
            Route(
                "GET",
                BASE,
                self.list_,
                "plumber",
                {
                    "project_id": None,
                    "wf_id": None,
                    "branch_name": None,
                    "requester_id": None,
                    "label": None,
                    "created_after": None,
                    "created_before": None,
                    "page": None,
                    "page_size": None,
                },
            ),
            Route("GET", BASE + "/{wf_id}", self.get, "plumber", {}),
            Route(
                "POST",
                BASE + "/{wf_id}/reschedule",
                self.reschedule,
                "plumber",
                {"request_token": None},
            ),
            Route("POST", BASE + "/{wf_id}/terminate", self.terminate, "plumber", {}),
        ]

    async def run(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        project_id = params.get("project_id")
        if not project_id:
            # The real server crashes on a missing project_id (a body sent without a JSON
            # Content-Type is ignored, so this is also what such a client sees).
            return plain(500, "Something went wrong")
        if project_id not in self.state.projects:
            return plain(404, "Not Found")
        parameters = params.get("parameters") or {}
        if not isinstance(parameters, dict):
            return json_string(500, "Internal error")
        wf = self.state.start_workflow(
            project_id,
            str(params.get("reference") or "refs/heads/master"),
            commit_sha=params.get("commit_sha"),
            pipeline_file=params.get("pipeline_file"),
            parameters={str(k): "" if v is None else str(v) for k, v in parameters.items()},
        )
        return json_body({"workflow_id": wf.wf_id, "pipeline_id": wf.initial_ppl_id})

    async def get(self, request: web.Request) -> web.Response:
        wf = self.find(self.state.workflows, request, "wf_id")
        return json_body({"workflow": render_workflow(wf, listed=False)})

    async def list_(self, request: web.Request) -> web.Response:
        query = request.query
        project_id = query.get("project_id")
        if not project_id and not query.get("wf_id"):
            return plain(404, "Not Found")
        items = [
            wf
            for wf in self.state.workflows.values()
            if (not project_id or wf.project_id == project_id)
            and all(
                getattr(wf, key) == query[key]
                for key in ("branch_name", "requester_id")
                if key in query
            )
            and ("label" not in query or query["label"] in (wf.branch_name,))
            and _in_time(wf, query)
        ]
        return self.newest_page(request, items, BASE, partial(render_workflow, listed=True))

    async def reschedule(self, request: web.Request) -> web.Response:
        params = await params_of(request)
        wf = self.find(self.state.workflows, request, "wf_id")
        token = params.get("request_token")
        if not token:
            return json_string(400, "Missing required post parameter request_token.")
        new = self.state.rerun_workflow(wf, str(token))
        return json_body({"wf_id": new.wf_id, "ppl_id": new.initial_ppl_id})

    async def terminate(self, request: web.Request) -> web.Response:
        wf = self.find(self.state.workflows, request, "wf_id")
        running = [self.state.pipelines[p] for p in wf.pipeline_ids]
        running = [p for p in running if p.state != "DONE"]
        for ppl in running:
            self.state.stop_pipeline(ppl)
        return json_string(200, f"Termination started for {len(running)} pipelines.")


def _in_time(wf: WorkflowRec, query: Any) -> bool:
    stamp = wf.created_at.timestamp()
    after, before = query.get("created_after"), query.get("created_before")
    return (not after or stamp >= int(after)) and (not before or stamp < int(before))
