"""Fault injection: what the emulator does instead of (or on top of) answering.

Every rule matches by method and path prefix, so faults can be aimed at one route:

======================  ========================================================================
kind                    what the client sees
======================  ========================================================================
``status``              the given status, body and headers (5xx, 408, 429 + ``Retry-After``...)
``html``                an HTML error page with ``Content-Type: text/html`` (a proxy's 502)
``malformed``           200 with the route's own answer cut in half (not JSON any more)
``truncated``           200 whose body (the route's own) stops before its ``Content-Length``
``drop_before``         the connection closes before the request is acted on
``drop_after``          the request is acted on (state changes), then the connection closes
``stall``               headers and a few bytes, then nothing until the client gives up
======================  ========================================================================

Plus ``latency`` (fixed, with optional random jitter, per route), ``chaos`` (each matching
request faults with a probability, seeded, never more than N times in a row) and a
``rate limit`` (429 with ``Retry-After`` above N requests per window).
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate

from aiohttp import web

from ._wire import bare

__all__ = ["FAULT_KINDS", "Chaos", "Fault", "FaultBook", "LatencyRule", "RateLimit"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FAULT_KINDS = ("status", "html", "malformed", "truncated", "drop_before", "drop_after", "stall")
_HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


@dataclass
class Fault:
    """One scripted fault, for the next ``times`` matching requests (``None``: forever)."""

    kind: str = "status"
    status: int = 500
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    times: int | None = 1
    method: str | None = None
    path_prefix: str = ""

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {FAULT_KINDS}")

    def matches(self, method: str, path: str) -> bool:
        return self.method in (None, method) and path.startswith(self.path_prefix)


@dataclass
class Chaos:
    """Random faults: each matching request faults with ``probability``, choosing among
    ``faults``, but never more than ``max_consecutive`` times in a row (so that a client
    with that many retries always gets through)."""

    probability: float
    faults: Sequence[Fault]
    seed: int = 0
    max_consecutive: int = 2
    path_prefix: str = ""
    method: str | None = None
    _random: random.Random = field(init=False, repr=False)
    _streak: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def pick(self, method: str, path: str) -> Fault | None:
        if self.method not in (None, method) or not path.startswith(self.path_prefix):
            return None
        if self._streak >= self.max_consecutive or self._random.random() >= self.probability:
            self._streak = 0
            return None
        self._streak += 1
        return self._random.choice(list(self.faults))


@dataclass
class LatencyRule:
    """Delay answers on a route by ``seconds`` plus up to ``jitter`` more, at random."""

    seconds: float
    jitter: float = 0.0
    path_prefix: str = ""


@dataclass
class RateLimit:
    """At most ``requests`` per ``window`` seconds; above that, 429 with ``Retry-After``
    until the window ends (delta-seconds, or an HTTP date when ``http_date``)."""

    requests: int
    window: float = 1.0
    http_date: bool = False
    _window_start: float = field(default=0.0, init=False)
    _count: int = field(default=0, init=False)

    def check(self, now: float) -> float | None:
        """None if the request may pass, else the seconds until the window reopens."""
        if now - self._window_start >= self.window:
            self._window_start, self._count = now, 0
        self._count += 1
        if self._count <= self.requests:
            return None
        return self._window_start + self.window - now


@dataclass
class FaultBook:
    """Every fault-injection setting of one emulator."""

    faults: list[Fault] = field(default_factory=list)
    chaos: list[Chaos] = field(default_factory=list)
    latency: list[LatencyRule] = field(default_factory=list)
    rate_limit: RateLimit | None = None
    stall_limit: float = 30.0
    random: random.Random = field(default_factory=lambda: random.Random(0))
    rate_limited: int = 0
    injected: int = 0

    def clear(self) -> None:
        self.faults.clear()
        self.chaos.clear()
        self.latency.clear()
        self.rate_limit = None

    def take(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, path):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        for chaos in self.chaos:
            picked = chaos.pick(method, path)
            if picked is not None:
                return picked
        return None

    def delay(self, path: str) -> float:
        total = 0.0
        for rule in self.latency:
            if path.startswith(rule.path_prefix):
                total += rule.seconds + (self.random.uniform(0, rule.jitter) if rule.jitter else 0)
        return total

    def throttle(self) -> web.Response | None:
        if self.rate_limit is None:
            return None
        wait = self.rate_limit.check(time.monotonic())
        if wait is None:
            return None
        self.rate_limited += 1
        if self.rate_limit.http_date:
            retry_after = formatdate(time.time() + math.ceil(wait), usegmt=True)
        else:
            retry_after = f"{max(wait, 0.0):.3f}"
        return web.json_response(
            {"code": 8, "message": "Too many requests, try again later.", "details": []},
            status=429,
            headers={"Retry-After": retry_after},
        )

    async def apply(
        self, fault: Fault, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """Answer ``request`` as ``fault`` says."""
        self.injected += 1
        if fault.kind == "status":
            answer = bare(fault.status, fault.body)
            answer.headers.update(fault.headers)
            return answer
        if fault.kind == "html":
            return web.Response(status=fault.status or 502, body=_HTML, content_type="text/html")
        if fault.kind == "drop_after":
            await handler(request)  # the server acted on it...
        if fault.kind in ("drop_before", "drop_after"):
            _drop(request)  # ...but the client never hears back
            return web.Response(status=500)
        # The rest break the route's own answer, so the client sees the shape it expects.
        own = await handler(request)
        body = own.body if isinstance(own, web.Response) and isinstance(own.body, bytes) else b""
        half = body[: len(body) // 2] if len(body) > 2 else b'{"'
        if fault.kind == "malformed":
            return bare(200, fault.body or half)
        # truncated and stall: headers promise more than ever comes.
        response = web.StreamResponse(status=200)
        response.content_length = max(len(body), 4096)
        await response.prepare(request)
        await response.write(half)
        if fault.kind == "truncated":
            _drop(request)
            return response
        deadline = time.monotonic() + self.stall_limit
        while time.monotonic() < deadline:
            transport = request.transport
            if transport is None or transport.is_closing():
                break
            await asyncio.sleep(0.02)
        _drop(request)
        return response


def _drop(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.close()
