"""Jobs (gateway ``/api/v1alpha/jobs``) and their logs (plumber-public
``/api/v1alpha/logs``, loghub2 ``/api/v1/logs``).

Jobs as ``public-api-gateway/api/jobs.v1alpha/jobs.v1alpha.pb.go`` marshals them: every
field present, int64 times as strings, ``status.agent`` null until the job runs. Logs as
``public-api/v1alpha/lib/pipelines_api/logs/get.ex``: a cloud job's events in one body;
a self-hosted job's a 302 to loghub2 with a short-lived jwt, whose answer is
``{"events", "next"}``: the emulator serves such a log as if the job were still writing
it, ``log_chunk`` more events each time, and ``next: null`` once it is complete;
``artifact_job_logs`` redirects to the log's text in artifact storage.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from aiohttp import web

from ._state import JobRec
from ._wire import Area, Route, bare, json_string, plain, rpc_error, ts_epoch

__all__ = ["JobRoutes", "plain_text", "render_job"]

_STATES = {
    "ENQUEUED": "QUEUED",
    "RUNNING": "RUNNING",
    "STOPPING": "RUNNING",
    "FINISHED": "FINISHED",
}


def render_job(job: JobRec) -> dict[str, Any]:
    state = _STATES.get(job.status, "PENDING")
    started = job.created_at if state in ("RUNNING", "FINISHED") else None
    return {
        "metadata": {
            "name": job.name,
            "id": job.job_id,
            "create_time": ts_epoch(job.created_at),
            "update_time": ts_epoch(job.created_at),
            "start_time": ts_epoch(started),
            "finish_time": ts_epoch(job.created_at if state == "FINISHED" else None),
        },
        "spec": {
            "project_id": job.project_id,
            "agent": {
                "machine": {"type": "e1-standard-2", "os_image": "ubuntu2204"},
                "containers": [],
                "image_pull_secrets": [],
            },
            "secrets": [],
            "env_vars": [{"name": "SEMAPHORE_PIPELINE_ID", "value": job.ppl_id}],
            "files": [],
            "commands": ["checkout", f"make test SHARD={job.index}"],
            "epilogue_commands": [],
            "epilogue_always_commands": [],
            "epilogue_on_pass_commands": [],
            "epilogue_on_fail_commands": [],
        },
        "status": {
            "result": job.result if state == "FINISHED" else "NONE",
            "state": state,
            # EmitUnpopulated: present, and null before the job runs.
            "agent": {"ip": "127.0.0.1", "ports": [{"name": "ssh", "number": 22}], "name": ""}
            if started
            else None,
        },
    }


def plain_text(events: list[dict[str, object]]) -> str:
    """A log as text, as loghub2's ``raw=true``: each directive on a line, then output."""
    parts = []
    for event in events:
        if event.get("event") == "cmd_started":
            parts.append(f"{event.get('directive', '')}\n")
        elif event.get("event") == "cmd_output":
            parts.append(str(event.get("output", "")))
    return "".join(parts)


class JobRoutes(Area):
    def routes(self) -> list[Route]:
        return [
            Route("GET", "/api/v1alpha/jobs/{id}", self.get, "gateway"),
            Route("POST", "/api/v1alpha/jobs/{id}/stop", self.stop, "gateway", {"job_id": None}),
            Route(
                "GET",
                "/api/v1alpha/logs/{job_id}",
                self.logs,
                "plumber",
                {"artifact_job_logs": None},
            ),
            Route(
                "GET",
                "/api/v1/logs/{job_id}",
                self.loghub,
                "loghub",
                query={"jwt": None, "token": None, "raw": None},
            ),
            Route(
                "GET",
                "/_storage/jobs/{job_id}/agent/job_logs.txt",
                self.stored_log,
                "loghub",
                query={"signature": None},
            ),
        ]

    async def get(self, request: web.Request) -> web.Response:
        job = self.find(self.state.jobs, request, "id", _job_not_found)
        return web.json_response(render_job(job))

    async def stop(self, request: web.Request) -> web.Response:
        job = self.find(self.state.jobs, request, "id", _job_not_found)
        if job.status != "FINISHED":
            job.status, job.result = "FINISHED", "STOPPED"
        body = "{}"
        if self.control.job_stop_audit_fails:
            # What a client sending TE: trailers sees when the audit send fails
            # (public-api-gateway/api/middleware/audit_middleware.go).
            body += '{"error":"failed to send audit event: emulated"}'
        return web.Response(body=body.encode(), content_type="application/json")

    async def logs(self, request: web.Request) -> web.StreamResponse:
        job_id = request.match_info["job_id"]
        job = self.state.jobs.get(job_id)
        if job is None:
            return json_string(404, f"Job with id {job_id} not found")
        flag = request.query.get("artifact_job_logs", "")
        if flag.lower() in ("1", "true", "yes"):
            signature = secrets.token_urlsafe(12)
            self.control.signatures.add(signature)
            raise web.HTTPFound(
                f"/_storage/jobs/{job.job_id}/agent/job_logs.txt?signature={signature}"
            )
        if job.self_hosted:
            jwt = self.control.issue_log_jwt(job.job_id)
            raise web.HTTPFound(f"/api/v1/logs/{job.job_id}?jwt={jwt}")
        # String-built, as get.ex does, with the one Content-Type plumber-public sets.
        body = '{ "events": [' + ",".join(json.dumps(e) for e in job.log) + "] }"
        response = web.Response(body=body.encode(), content_type="application/json")
        response.charset = "utf-8"
        return response

    async def loghub(self, request: web.Request) -> web.Response:
        """loghub2: authorised by the jwt alone; the API token must never come here."""
        job = self.state.jobs.get(request.match_info["job_id"])
        if "Authorization" in request.headers:
            return plain(400, "emulator: the API token was sent to log storage\n")
        if job is None or request.query.get("jwt") != self.control.log_jwts.get(job.job_id):
            return plain(401, "Unauthorized\n")
        if request.query.get("raw") == "true":
            return plain(200, plain_text(job.log))
        try:
            start = int(request.query.get("token", "0"))
        except ValueError:
            return plain(400, "bad token\n")
        chunk = job.log[start : start + self.control.log_chunk]
        end = start + len(chunk)
        written = "null" if end >= len(job.log) else str(end)
        # Hand-written, as json_response_writer.go does (a space after "next":).
        body = '{"events":[' + ",".join(json.dumps(e) for e in chunk) + '],"next": ' + written + "}"
        return web.Response(body=body.encode(), content_type="application/json")

    async def stored_log(self, request: web.Request) -> web.Response:
        """Artifact storage: a signed URL, and no API token."""
        if "Authorization" in request.headers:
            return bare(400, b"emulator: the API token was sent to artifact storage")
        if request.query.get("signature") not in self.control.signatures:
            return bare(403, b"<Error><Code>AccessDenied</Code></Error>")
        job = self.find(self.state.jobs, request, "job_id", _no_such_key)
        return web.Response(text=plain_text(job.log), content_type="text/plain")


def _job_not_found(key: str) -> web.Response:
    return rpc_error(5, f"Job {key} not found")


def _no_such_key(key: str) -> web.Response:
    return bare(404, b"<Error><Code>NoSuchKey</Code></Error>")
