"""The emulator's aiohttp.web application: auth, bookkeeping, scripted faults, routes."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._faults import Chaos, Fault, FaultBook, LatencyRule, RateLimit
from ._gateway import GatewayRoutes
from ._plumber import PlumberRoutes
from ._projecthub import ProjectRoutes
from ._state import EmulatorState
from ._wire import NO_CONTENT_TYPE, bare, plain

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
    requests: list[RecordedRequest] = field(default_factory=list)
    book: FaultBook = field(default_factory=FaultBook)
    log_jwts: dict[str, str] = field(default_factory=dict)
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
# jwt in its URL, and the artifact store reads the raw artifact token itself.
_OWN_AUTH = ("/api/v1/logs/", "/api/v1/artifacts")
# Credentials never enter the record, which tests print and keep.
_UNRECORDED = frozenset({"authorization", "proxy-authorization"})


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
            return await book.apply(fault, request, lambda r: guarded(r, handler), bare)
        return await guarded(request, handler)

    async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
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


CONTROL_PATH = "/_emulator/"


async def control_route(request: web.Request, book: FaultBook) -> web.Response:
    """Steer faults over HTTP, for an emulator started from the command line:

    * ``POST /_emulator/faults`` ``{"kind", "status", "times", "path_prefix", ...}``
    * ``POST /_emulator/latency`` ``{"seconds", "jitter", "path_prefix"}``
    * ``POST /_emulator/rate_limit`` ``{"requests", "window", "http_date"}``
    * ``POST /_emulator/chaos`` ``{"probability", "kinds", "seed", "path_prefix"}``
    * ``DELETE /_emulator/faults`` clears everything.
    """
    what = request.path.removeprefix(CONTROL_PATH)
    if request.method == "DELETE" and what == "faults":
        book.clear()
        return web.json_response({})
    if request.method != "POST":
        return web.json_response({"message": "use POST (or DELETE /_emulator/faults)"}, status=405)
    try:
        spec: dict[str, Any] = json.loads(await request.read() or b"{}")
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
        else:
            return web.json_response({"message": f"unknown control {what!r}"}, status=404)
    except (TypeError, ValueError) as exc:
        return web.json_response({"message": str(exc)}, status=400)
    return web.json_response({})


def _authorized(header: str, token: str) -> bool:
    # "Token <t>" or "Bearer <t>": case-sensitive scheme, split on one space (auth.ex).
    scheme, _, value = header.partition(" ")
    return scheme in ("Token", "Bearer") and secrets.compare_digest(value, token)
