"""public-api-gateway routes (grpc-gateway): jobs, dashboards, notifications, organization
and project secrets, artifacts. JSON everywhere, ``google.rpc.Status`` errors, int64
timestamps as strings, ``next_page_token`` pages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._state import EmulatorState, GatewayRec, JobRec
from ._wire import decode_cursor, encode_cursor, rpc_error

if TYPE_CHECKING:
    from ._server import EmulatorControl

__all__ = ["GatewayRoutes"]

_LIMITS = {"dashboards": (100, 100), "notifications": (100, 300), "secrets": (100, 100)}


def render_job(job: JobRec) -> dict[str, Any]:
    started = job.created_at
    stamp = str(int(started.timestamp())) if started else "0"
    running = job.status not in ("PENDING", "QUEUED")
    return {
        "metadata": {
            "name": job.name,
            "id": job.job_id,
            "create_time": stamp,
            "update_time": stamp,
            "start_time": stamp if running else "0",
            "finish_time": stamp if job.status == "FINISHED" else "0",
        },
        "spec": {
            "project_id": job.project_id,
            "agent": {"machine": {"type": "e1-standard-2", "os_image": "ubuntu2204"}},
            "env_vars": [{"name": "SEMAPHORE_PIPELINE_ID", "value": job.ppl_id}],
            "commands": ["checkout", f"make test SHARD={job.index}"],
        },
        "status": {
            "result": job.result,
            "state": job.status,
            # EmitUnpopulated: present, and null before the job starts.
            "agent": {"ip": "127.0.0.1", "name": "", "ports": [{"name": "ssh", "number": 22}]}
            if running
            else None,
        },
    }


def render_document(kind: str, record: GatewayRec) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(record.document))  # a copy
    metadata = {
        **(document.get("metadata") or {}),
        "name": record.name,
        "id": record.id,
        "create_time": str(record.create_time),
        "update_time": str(record.update_time),
    }
    if kind == "secrets":
        metadata.setdefault("checkout_at", "0")
        metadata["content_included"] = True
        document.setdefault("data", {"env_vars": [], "files": []})
        document.setdefault("org_config", None)
    if kind == "notifications":
        document.setdefault("status", {"failures": []})
    document["metadata"] = metadata
    return document


class GatewayRoutes:
    def __init__(self, state: EmulatorState, control: EmulatorControl) -> None:
        self.state = state
        self.control = control

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_get("/api/v1alpha/jobs/{id}", self.job_get)
        router.add_post("/api/v1alpha/jobs/{id}/stop", self.job_stop)
        for kind, base in (
            ("dashboards", "/api/v1alpha/dashboards"),
            ("notifications", "/api/v1alpha/notifications"),
            ("secrets", "/api/v1beta/secrets"),
            ("secrets", "/api/v1/projects/{project}/secrets"),
        ):
            router.add_get(base, self._handler(self.list_, kind))
            router.add_post(base, self._handler(self.create, kind))
            router.add_get(base + "/{key}", self._handler(self.get, kind))
            router.add_patch(base + "/{key}", self._handler(self.update, kind))
            router.add_delete(base + "/{key}", self._handler(self.delete, kind))
        router.add_post("/api/v1/artifacts", self.artifacts)

    def _handler(self, method: Any, kind: str) -> Any:
        async def handle(request: web.Request) -> web.Response:
            collection = self._collection(request, kind)
            if isinstance(collection, web.Response):
                return collection
            result: web.Response = await method(request, kind, collection)
            return result

        return handle

    def _collection(self, request: web.Request, kind: str) -> dict[str, GatewayRec] | web.Response:
        if "project" in request.match_info:
            key = request.match_info["project"]
            project = self.state.projects.get(key) or self.state.project_named(key)
            if project is None:
                return web.json_response({"secrets": [], "next_page_token": ""})
            return self.state.project_secrets.setdefault(project.id, {})
        return {
            "dashboards": self.state.dashboards,
            "notifications": self.state.notifications,
            "secrets": self.state.secrets,
        }[kind]

    # --- jobs -----------------------------------------------------------------------------

    async def job_get(self, request: web.Request) -> web.Response:
        job = self.state.jobs.get(request.match_info["id"])
        if job is None:
            return rpc_error(5, f"Job {request.match_info['id']} not found")
        return web.json_response(render_job(job))

    async def job_stop(self, request: web.Request) -> web.Response:
        job = self.state.jobs.get(request.match_info["id"])
        if job is None:
            return rpc_error(5, f"Job {request.match_info['id']} not found")
        if job.status != "FINISHED":
            job.status, job.result = "FINISHED", "STOPPED"
        body = "{}"
        if self.control.job_stop_audit_fails:
            # The audit middleware appends its error after the response (server-behaviour §7).
            body += '{"error":"failed to send audit event: emulated"}'
        return web.Response(body=body.encode(), content_type="application/json")

    # --- collections ----------------------------------------------------------------------

    def _find(self, collection: dict[str, GatewayRec], key: str) -> GatewayRec | None:
        return collection.get(key) or next((r for r in collection.values() if r.name == key), None)

    def _existing(
        self, collection: dict[str, GatewayRec], request: web.Request, kind: str
    ) -> GatewayRec | web.Response:
        """The record the path names (by id or name), or the gateway's 404."""
        key = request.match_info["key"]
        record = self._find(collection, key)
        if record is None:
            return rpc_error(5, f"{kind[:-1].capitalize()} {key} not found")
        return record

    async def list_(
        self, request: web.Request, kind: str, collection: dict[str, GatewayRec]
    ) -> web.Response:
        default, maximum = _LIMITS[kind]
        try:
            size = int(request.query.get("page_size") or default)
        except ValueError:
            return rpc_error(3, "page_size must be an integer")
        if size > maximum:
            return rpc_error(3, f"Page size can't exceed {maximum}")
        size = size if size > 0 else default
        order = request.query.get("order", "BY_NAME_ASC")
        key = (lambda r: r.create_time) if order == "BY_CREATE_TIME_ASC" else (lambda r: r.name)
        records = sorted(collection.values(), key=key)
        token = request.query.get("page_token")
        offset = decode_cursor(token) if token else 0
        if offset is None:
            return rpc_error(3, "invalid page token")
        chunk = records[offset : offset + size]
        more = offset + size < len(records)
        body: dict[str, Any] = {
            kind: [render_document(kind, r) for r in chunk],
            "next_page_token": encode_cursor(offset + size) if more else "",
        }
        if kind == "dashboards":
            body["total_size"] = 0  # never set by the server
        return web.json_response(body)

    async def get(
        self, request: web.Request, kind: str, collection: dict[str, GatewayRec]
    ) -> web.Response:
        record = self._existing(collection, request, kind)
        if isinstance(record, web.Response):
            return record
        return web.json_response(render_document(kind, record))

    async def _document(self, request: web.Request) -> dict[str, Any] | web.Response:
        try:
            document = json.loads(await request.read() or b"{}")  # whatever the Content-Type
        except ValueError as exc:
            return rpc_error(3, f"invalid character in JSON body: {exc}")
        if not isinstance(document, dict):
            return rpc_error(3, "the body must be a JSON object")
        return document

    async def create(
        self, request: web.Request, kind: str, collection: dict[str, GatewayRec]
    ) -> web.Response:
        document = await self._document(request)
        if isinstance(document, web.Response):
            return document
        name = (document.get("metadata") or {}).get("name")
        if not name:
            return rpc_error(3, "metadata.name is required")
        if self._find(collection, name) is not None:
            return rpc_error(3, f"{kind[:-1]} name {name!r} is already taken")  # 400, not 409
        record = self.state.gateway_create(collection, name, document)
        return web.json_response(render_document(kind, record))

    async def update(
        self, request: web.Request, kind: str, collection: dict[str, GatewayRec]
    ) -> web.Response:
        record = self._existing(collection, request, kind)
        if isinstance(record, web.Response):
            return record
        document = await self._document(request)
        if isinstance(document, web.Response):
            return document
        record.name = (document.get("metadata") or {}).get("name") or record.name
        record.document = document
        record.update_time = self.state.epoch()
        return web.json_response(render_document(kind, record))

    async def delete(
        self, request: web.Request, kind: str, collection: dict[str, GatewayRec]
    ) -> web.Response:
        record = self._existing(collection, request, kind)
        if isinstance(record, web.Response):
            return record
        del collection[record.id]
        return web.json_response({})

    # --- artifacts ------------------------------------------------------------------------

    async def artifacts(self, request: web.Request) -> web.Response:
        document = await self._document(request)
        if isinstance(document, web.Response):
            return document
        paths, action = document.get("paths"), document.get("type")
        methods = {"PULL": "GET", "PUSH": "PUT", "PUSHFORCE": "PUT", "YANK": "DELETE"}
        if not isinstance(paths, list) or not paths or action not in methods:
            return rpc_error(3, "paths and a valid type are required")
        origin = f"http://{request.host}"
        urls = [
            {"URL": f"{origin}/storage/{p}?signature=emulated", "method": methods[action]}
            for p in paths
        ]
        return web.json_response({"URLs": urls})
