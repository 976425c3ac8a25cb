"""The emulator's aiohttp.web application: routes, wire formats, auth and bookkeeping.

Wire formats follow ``server-behaviour.md``: most answers carry no Content-Type, errors
come as plain text or bare JSON strings, lists page by ``link`` headers with absolute
``http://`` URLs, and each endpoint uses its own timestamp format.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

import yaml
from aiohttp import web

from ._state import EmulatorState, PipelineRec, WorkflowRec

__all__ = ["EmulatorControl", "RecordedRequest", "ScriptedFault", "build_app"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# A private marker header, removed with Content-Type just before the headers are sent.
_NO_CONTENT_TYPE = "X-Emulator-No-Content-Type"
_EPOCH_TEXT = "1970-01-01 00:00:00.000000Z"


@dataclass(frozen=True)
class RecordedRequest:
    """One request the emulator answered (the Authorization header is never recorded)."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes
    status: int


@dataclass
class ScriptedFault:
    """An answer to give instead of the real one, for the next ``times`` matching calls."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    times: int = 1
    method: str | None = None
    path_prefix: str = ""


@dataclass
class EmulatorControl:
    """What tests read and steer: recorded requests, in-flight counts, scripted faults."""

    token: str
    link_base: str | None = None
    latency: float = 0.0
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: list[ScriptedFault] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def take_fault(self, method: str, path: str) -> ScriptedFault | None:
        for fault in self.faults:
            if (fault.method in (None, method)) and path.startswith(fault.path_prefix):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None


# --- answers -----------------------------------------------------------------------------


def bare(status: int, body: bytes) -> web.Response:
    """A response without Content-Type, as most plumber-public answers are."""
    response = web.Response(status=status, body=body)
    response.headers[_NO_CONTENT_TYPE] = "1"
    return response


def plain(status: int, text: str) -> web.Response:
    return bare(status, text.encode())


def json_body(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    response = bare(status, json.dumps(data).encode())
    if headers:
        response.headers.update(headers)
    return response


def json_string(status: int, text: str) -> web.Response:
    """plumber-public's handler errors: a bare JSON string literal."""
    return bare(status, json.dumps(text).encode())


def ts_object(value: datetime | None) -> dict[str, int]:
    if value is None:
        return {"seconds": 0, "nanos": 0}
    stamp = value.timestamp()
    return {"seconds": int(stamp), "nanos": value.microsecond * 1000}


def ts_text(value: datetime | None) -> str:
    if value is None:
        return _EPOCH_TEXT
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%fZ")


async def params_of(request: web.Request) -> dict[str, Any]:
    """Path, body and query merged, as plumber-public does. A body is read only with a
    Content-Type the server parses (JSON or form); any other body is silently ignored."""
    merged: dict[str, Any] = dict(request.query)
    ctype = request.content_type
    if request.body_exists and ctype == "application/json":
        try:
            data = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="Malformed request: invalid JSON") from None
        if isinstance(data, dict):
            merged.update(data)
    elif request.body_exists and ctype == "application/x-www-form-urlencoded":
        merged.update(await request.post())
    merged.update(request.match_info)
    return merged


# --- link pagination (Scrivener.Headers) --------------------------------------------------


def page_number(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def link_page(
    request: web.Request, items: list[Any], resource_path: str, control: EmulatorControl
) -> tuple[list[Any], dict[str, str]]:
    """Cut one page and build Scrivener's headers: ``link`` with next, prev, first, last
    (absolute URLs, keys sorted, ``page`` replaced), ``total``, ``per-page``,
    ``total-pages`` and ``page-number``."""
    size = page_number(request.query.get("page_size"), 30)
    total_pages = max(1, -(-len(items) // size))
    page = page_number(request.query.get("page"), 1)
    chunk = items[(page - 1) * size : page * size]
    origin = control.link_base or f"http://{request.host}"

    def url(number: int) -> str:
        query = dict(request.query)
        query["page"] = str(number)
        return f"{origin}{resource_path}?{urlencode(sorted(query.items()))}"

    links = []
    if 1 <= page < total_pages:
        links.append(f'<{url(page + 1)}>; rel="next"')
    if 1 < page <= total_pages:
        links.append(f'<{url(page - 1)}>; rel="prev"')
    links.append(f'<{url(1)}>; rel="first"')
    links.append(f'<{url(total_pages)}>; rel="last"')
    headers = {
        "link": ", ".join(links),
        "total": str(len(items)),
        "per-page": str(size),
        "total-pages": str(total_pages),
        "page-number": str(page),
    }
    return chunk, headers


# --- renderers --------------------------------------------------------------------------


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
    ts = ts_object if listed else ts_text
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


# --- handlers ---------------------------------------------------------------------------


class Handlers:
    def __init__(self, state: EmulatorState, control: EmulatorControl) -> None:
        self.state = state
        self.control = control

    # workflows

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
        chunk, headers = link_page(request, items, "/api/v1alpha/plumber-workflows", self.control)
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

    # pipelines

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
        chunk, headers = link_page(request, items, "/api/v1alpha/pipelines", self.control)
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


def _time_filter(attr: str, bound: int, later: bool) -> Callable[[PipelineRec], bool]:
    def check(ppl: PipelineRec) -> bool:
        value = getattr(ppl, attr)
        if value is None:
            return False
        stamp = float(value.timestamp())
        return stamp > bound if later else stamp < bound

    return check


# --- the application --------------------------------------------------------------------


def build_app(state: EmulatorState, control: EmulatorControl) -> web.Application:
    """The emulator as an ``aiohttp.web.Application``."""

    @web.middleware
    async def bookkeeping(request: web.Request, handler: Handler) -> web.StreamResponse:
        control.in_flight += 1
        control.max_in_flight = max(control.max_in_flight, control.in_flight)
        body = await request.read()
        try:
            response = await answer(request, handler)
        finally:
            control.in_flight -= 1
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        control.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=tuple(request.query.items()),
                headers=headers,
                body=body,
                status=response.status,
            )
        )
        return response

    async def answer(request: web.Request, handler: Handler) -> web.StreamResponse:
        if control.latency:
            await asyncio.sleep(control.latency)
        if any(name.lower().startswith("x-semaphore") for name in request.headers):
            return plain(404, "Not Found")
        if not _authorized(request.headers.get("Authorization", ""), control.token):
            return plain(401, "Unauthorized")
        fault = control.take_fault(request.method, request.path)
        if fault is not None:
            response = bare(fault.status, fault.body)
            response.headers.update(fault.headers)
            return response
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return plain(404, "oops")
        except web.HTTPMethodNotAllowed:
            return plain(404, "oops")
        except web.HTTPBadRequest as exc:
            return plain(400, exc.text or "Malformed request")

    async def drop_content_type(request: web.Request, response: web.StreamResponse) -> None:
        if response.headers.pop(_NO_CONTENT_TYPE, None):
            response.headers.popall("Content-Type", None)

    app = web.Application(middlewares=[bookkeeping])
    app.on_response_prepare.append(drop_content_type)
    h = Handlers(state, control)
    wf = "/api/v1alpha/plumber-workflows"
    app.router.add_post(wf, h.workflow_run)
    app.router.add_get(wf, h.workflow_list)
    app.router.add_get(wf + "/{wf_id}", h.workflow_get)
    app.router.add_post(wf + "/{wf_id}/reschedule", h.workflow_reschedule)
    app.router.add_post(wf + "/{wf_id}/terminate", h.workflow_terminate)
    app.router.add_get("/api/v1alpha/pipelines", h.pipeline_list)
    app.router.add_get("/api/v1alpha/pipelines/{ppl_id}", h.pipeline_get)
    app.router.add_patch("/api/v1alpha/pipelines/{ppl_id}", h.pipeline_patch)
    app.router.add_post("/api/v1alpha/yaml", h.yaml_validate)
    return app


def _authorized(header: str, token: str) -> bool:
    # "Token <t>" or "Bearer <t>": case-sensitive scheme, split on one space (auth.ex).
    scheme, _, value = header.partition(" ")
    return scheme in ("Token", "Bearer") and value == token
