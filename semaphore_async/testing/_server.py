"""The emulator's aiohttp.web application: auth, bookkeeping, scripted faults, routes."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from ._gateway import GatewayRoutes
from ._plumber import PlumberRoutes
from ._projecthub import ProjectRoutes
from ._state import EmulatorState
from ._wire import NO_CONTENT_TYPE, bare, plain

__all__ = ["EmulatorControl", "RecordedRequest", "ScriptedFault", "build_app"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the emulator answered (the Authorization header is never recorded)."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes
    status: int
    authorized_with: str
    """``"token"`` (the API token), ``"raw"`` (another Authorization value) or ``""``."""


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
    projects_page_size: int = 500
    log_chunk: int = 5
    job_stop_audit_fails: bool = False
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: list[ScriptedFault] = field(default_factory=list)
    log_jwts: dict[str, str] = field(default_factory=dict)
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

    def issue_log_jwt(self, job_id: str) -> str:
        jwt = self.log_jwts.get(job_id) or secrets.token_urlsafe(16)
        self.log_jwts[job_id] = jwt
        return jwt


# Paths the auth layer lets through without an API token: log storage authorises by the
# jwt in its URL, and the artifact store reads the raw artifact token itself.
_OWN_AUTH = ("/api/v1/logs/", "/api/v1/artifacts")


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
        auth = request.headers.get("Authorization")
        control.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=tuple(request.query.items()),
                headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
                body=body,
                status=response.status,
                authorized_with=""
                if auth is None
                else "token"
                if _authorized(auth, control.token)
                else "raw",
            )
        )
        return response

    async def answer(request: web.Request, handler: Handler) -> web.StreamResponse:
        if control.latency:
            await asyncio.sleep(control.latency)
        if any(name.lower().startswith("x-semaphore") for name in request.headers):
            return plain(404, "Not Found")
        own_auth = request.path.startswith(_OWN_AUTH)
        if not own_auth and not _authorized(
            request.headers.get("Authorization", ""), control.token
        ):
            return plain(401, "Unauthorized")
        fault = control.take_fault(request.method, request.path)
        if fault is not None:
            response = bare(fault.status, fault.body)
            response.headers.update(fault.headers)
            return response
        try:
            return await handler(request)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            return plain(404, "oops")
        except web.HTTPBadRequest as exc:
            return plain(400, exc.text or "Malformed request")

    async def drop_content_type(request: web.Request, response: web.StreamResponse) -> None:
        if response.headers.pop(NO_CONTENT_TYPE, None):
            response.headers.popall("Content-Type", None)

    app = web.Application(middlewares=[bookkeeping])
    app.on_response_prepare.append(drop_content_type)
    for routes in (PlumberRoutes, GatewayRoutes, ProjectRoutes):
        routes(state, control).register(app.router)
    return app


def _authorized(header: str, token: str) -> bool:
    # "Token <t>" or "Bearer <t>": case-sensitive scheme, split on one space (auth.ex).
    scheme, _, value = header.partition(" ")
    return scheme in ("Token", "Bearer") and secrets.compare_digest(value, token)
