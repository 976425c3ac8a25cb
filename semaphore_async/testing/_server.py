"""The emulator's aiohttp.web application: auth, bookkeeping, scripted faults, routes."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._agents import AgentRoutes
from ._artifacts import ArtifactRoutes
from ._dashboards import DashboardRoutes
from ._deployment_targets import DeploymentTargetRoutes
from ._faults import Chaos, Fault, FaultBook, LatencyRule, RateLimit
from ._jobs import JobRoutes
from ._pipelines import PipelineRoutes
from ._projects import ProjectRoutes, message
from ._promotions import PromotionRoutes
from ._schedules import ScheduleRoutes
from ._secrets import SecretRoutes
from ._state import EmulatorState
from ._wire import (
    NO_CONTENT_TYPE,
    Answer,
    Area,
    Route,
    json_string,
    plain,
    rpc_error,
    unknown_names,
)
from ._workflows import WorkflowRoutes

__all__ = ["EmulatorControl", "RecordedRequest", "build_app"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the emulator answered (credentials, Authorization and
    Proxy-Authorization, are never recorded)."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes = field(repr=False)
    """Kept for assertions, left out of ``repr``: it may hold secret values."""
    status: int = 0
    authorized_with: str = ""
    """``"token"`` (the API token), ``"raw"`` (another Authorization value) or ``""``."""
    at: float = 0.0
    """``time.monotonic()`` when the request arrived."""


@dataclass
class EmulatorControl:
    """What tests read and steer: recorded requests, in-flight counts, scripted faults."""

    token: str
    link_base: str | None = None
    projects_page_size: int = 500
    log_chunk: int = 5
    job_stop_audit_fails: bool = False
    record_requests: bool = True
    strict: bool = False
    """Answer 400, naming them, to request names the server would silently drop."""
    secrets_access_policy: bool = True
    """The organization feature that makes secrets carry ``org_config``."""
    requests: list[RecordedRequest] = field(default_factory=list)
    book: FaultBook = field(default_factory=FaultBook)
    log_jwts: dict[str, str] = field(default_factory=dict)
    signatures: set[str] = field(default_factory=set)
    in_flight: int = 0
    max_in_flight: int = 0
    served: int = 0
    idle: asyncio.Event = field(default_factory=asyncio.Event)
    """Set whenever the last request in flight finishes."""

    def issue_log_jwt(self, job_id: str) -> str:
        jwt = self.log_jwts.get(job_id) or secrets.token_urlsafe(16)
        self.log_jwts[job_id] = jwt
        return jwt


# Paths the auth layer lets through without an API token: log storage authorises by the
# jwt in its URL, the artifact store reads the raw artifact token itself, and storage
# URLs are signed.
_OWN_AUTH = ("/api/v1/logs/", "/api/v1/artifacts", "/_storage/")
_AREAS: tuple[type[Area], ...] = (
    WorkflowRoutes,
    PipelineRoutes,
    PromotionRoutes,
    ScheduleRoutes,
    DeploymentTargetRoutes,
    AgentRoutes,
    JobRoutes,
    ArtifactRoutes,
    DashboardRoutes,
    SecretRoutes,
    ProjectRoutes,
)
# Credentials never enter the record, which tests print and keep.
_UNRECORDED = frozenset({"authorization", "proxy-authorization"})
# aiohttp's default for a path parameter, [^{}/]+, would answer an id spelled with braces
# 404 before any handler ran; the server's routers (Plug's `:id` in
# public-api/v1alpha/lib/pipelines_api/router.ex, grpc-gateway's `{id}` in the
# public-api-gateway *.pb.gw.go) take any segment, and the handlers refuse a bad id (400).
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")


def _any_segment(path: str) -> str:
    return _PATH_PARAMETER.sub(r"{\1:[^/]+}", path)


def build_app(state: EmulatorState, control: EmulatorControl) -> web.Application:
    """The emulator as an ``aiohttp.web.Application``."""

    @web.middleware
    async def bookkeeping(request: web.Request, handler: Handler) -> web.StreamResponse:
        arrived = time.monotonic()
        control.in_flight += 1
        control.served += 1
        control.max_in_flight = max(control.max_in_flight, control.in_flight)
        body = await request.read()
        try:
            response = await answer(request, handler)
        finally:
            control.in_flight -= 1
            if not control.in_flight:
                control.idle.set()
        if not control.record_requests:
            return response
        auth = request.headers.get("Authorization")
        if auth is None:
            authorized_with = ""
        else:
            authorized_with = "token" if _authorized(auth, control.token) else "raw"
        control.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=tuple(request.query.items()),
                headers={k: v for k, v in request.headers.items() if k.lower() not in _UNRECORDED},
                body=body,
                status=response.status,
                authorized_with=authorized_with,
                at=arrived,
            )
        )
        return response

    async def answer(request: web.Request, handler: Handler) -> web.StreamResponse:
        book = control.book
        delay = book.delay(request.path)
        if delay:
            await asyncio.sleep(delay)
        if any(name.lower().startswith("x-semaphore") for name in request.headers):
            return plain(404, "Not Found")
        own_auth = request.path.startswith(_OWN_AUTH)
        if not own_auth and not _authorized(
            request.headers.get("Authorization", ""), control.token
        ):
            return plain(401, "Unauthorized")
        if request.path.startswith(CONTROL_PATH):
            return await control_route(request, book)
        throttled = book.throttle()
        if throttled is not None:
            return throttled
        fault = book.take(request.method, request.path)
        if fault is not None:
            return await book.apply(fault, request, lambda r: guarded(r, handler))
        return await guarded(request, handler)

    async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except Answer as early:
            return early.response
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            return plain(404, "oops")
        except web.HTTPBadRequest as exc:
            return plain(400, exc.text or "Malformed request")

    async def drop_content_type(request: web.Request, response: web.StreamResponse) -> None:
        if response.headers.pop(NO_CONTENT_TYPE, None):
            response.headers.popall("Content-Type", None)

    app = web.Application(middlewares=[bookkeeping])
    app.on_response_prepare.append(drop_content_type)
    for area in _AREAS:
        for route in area(state, control).routes():
            app.router.add_route(route.method, _any_segment(route.path), _checked(route, control))
    return app


def _checked(route: Route, control: EmulatorControl) -> Handler:
    """``route``'s handler, behind the strict mode's check of the names it reads."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if control.strict:
            unknown = await _unknown(request, route)
            if unknown:
                return _refuse(route.service, unknown)
        return await route.handler(request)

    return handle


async def _unknown(request: web.Request, route: Route) -> list[str]:
    body: Any = None
    if request.body_exists and route.service == "gateway":
        body = await _json_or_none(request)  # the gateway reads any body as JSON
    elif request.body_exists and request.content_type == "application/json":
        body = await _json_or_none(request)
    query = dict(request.query.items())
    if route.service == "plumber":  # path, body and query merged
        merged = {**query, **(body if isinstance(body, dict) else {})}
        return unknown_names(merged, route.reads or {})
    unknown = unknown_names(query, route.query or {})
    if isinstance(body, dict):
        from ._collections import snake_keys

        unknown += unknown_names(
            snake_keys(body) if route.service == "gateway" else body, route.reads or {}
        )
    return unknown


async def _json_or_none(request: web.Request) -> Any:
    try:
        return json.loads(await request.read() or b"null")
    except ValueError:
        return None  # the handler answers malformed JSON its own way


def _refuse(service: str, unknown: list[str]) -> web.Response:
    text = (
        "emulator strict mode: the server does not read "
        + ", ".join(unknown)
        + " and would drop it silently"
    )
    if service == "gateway":
        return rpc_error(3, text)
    if service == "projecthub":
        return message(400, text)
    if service == "plumber":
        return json_string(400, text)
    return plain(400, text + "\n")


CONTROL_PATH = "/_emulator/"


CONTROLS: Mapping[str, tuple[str, ...]] = {
    "faults": ("kind", "status", "times", "path_prefix", "method", "body", "headers"),
    "latency": ("seconds", "jitter", "path_prefix"),
    "rate_limit": ("requests", "window", "http_date"),
    "chaos": ("probability", "kinds", "seed", "max_consecutive", "path_prefix", "method"),
}
"""The control routes (``POST /_emulator/<name>``) and the JSON fields each takes."""


async def control_route(request: web.Request, book: FaultBook) -> web.Response:
    """Steer faults over HTTP, for an emulator started from the command line. The routes
    need the API token like any other, and answer ``{}`` (or 400 with a ``message``):

    * ``POST /_emulator/faults`` ``{"kind", "status", "times", "path_prefix", "method",
      "body", "headers"}``: kinds ``status html malformed truncated drop_before
      drop_after stall``; ``times`` null for every matching request;
    * ``POST /_emulator/latency`` ``{"seconds", "jitter", "path_prefix"}``;
    * ``POST /_emulator/rate_limit`` ``{"requests", "window", "http_date"}``;
    * ``POST /_emulator/chaos`` ``{"probability", "kinds", "seed", "max_consecutive",
      "path_prefix", "method"}``;
    * ``DELETE /_emulator/faults`` clears every fault, latency, chaos and rate limit.
    """
    what = request.path.removeprefix(CONTROL_PATH)
    if request.method == "DELETE" and what == "faults":
        book.clear()
        return web.json_response({})
    if what not in CONTROLS:
        routes = ", ".join(f"/_emulator/{name}" for name in CONTROLS)
        return web.json_response(
            {"message": f"unknown control {what!r}; the controls are {routes}"}, status=404
        )
    if request.method != "POST":
        return web.json_response({"message": "use POST (or DELETE /_emulator/faults)"}, status=405)
    try:
        spec: dict[str, Any] = json.loads(await request.read() or b"{}")
        if not isinstance(spec, dict):
            raise ValueError("the body must be a JSON object")
        unknown = sorted(set(spec) - set(CONTROLS[what]))
        if unknown:
            elsewhere = [
                f"{k} is POST /_emulator/{c}"
                for k in unknown
                for c in CONTROLS
                if k in CONTROLS[c] or k == c
            ]
            raise ValueError(
                f"/_emulator/{what} takes {', '.join(CONTROLS[what])}; not {', '.join(unknown)}"
                + (f" ({'; '.join(elsewhere)})" if elsewhere else "")
            )
        if what == "faults":
            body = spec.pop("body", "")
            book.faults.append(Fault(body=body.encode() if isinstance(body, str) else body, **spec))
        elif what == "latency":
            book.latency.append(LatencyRule(**spec))
        elif what == "rate_limit":
            book.rate_limit = RateLimit(**spec)
        elif what == "chaos":
            kinds = spec.pop("kinds", ["status"])
            faults = [Fault(kind=k, status=503, times=None) for k in kinds]
            book.chaos.append(Chaos(faults=faults, **spec))
    except (TypeError, ValueError) as exc:
        return web.json_response({"message": str(exc)}, status=400)
    return web.json_response({})


def _authorized(header: str, token: str) -> bool:
    # "Token <t>" or "Bearer <t>": case-sensitive scheme, split on one space (auth.ex).
    scheme, _, value = header.partition(" ")
    return scheme in ("Token", "Bearer") and secrets.compare_digest(value, token)
