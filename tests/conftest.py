"""Shared fixtures: a clean environment, zero retry waits, canned answers through the
transport seam, and the emulator."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import pytest_asyncio

from semaphore_async import (
    APIConnectionError,
    AsyncClient,
    HTTPRequest,
    HTTPResponse,
    SemaphoreError,
)
from semaphore_async._transport import connection_error
from semaphore_async.testing import Emulator, MockTransport, reply, set_testing

TOKEN = "s3cr3t-T0KEN-value"
ORIGIN = "https://acme.semaphoreci.com"
API = ORIGIN + "/api/v1alpha"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SEMAPHORE_* / SEM_CONTEXT from the developer's shell, and no real ~/.sem.yaml."""
    for name in ("SEMAPHORE_API_TOKEN", "SEMAPHORE_HOST", "SEM_CONTEXT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variables from the developer's shell; set the test's own on the result."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.fixture(autouse=True)
def zero_waits() -> Iterator[None]:
    """Retries happen, but without sleeping."""
    set_testing(True)
    yield
    set_testing(False)


@dataclass
class _Canned:
    method: str
    url: str | re.Pattern[str]
    response: HTTPResponse | Exception
    repeat: bool

    def matches(self, method: str, url: str) -> bool:
        if method != self.method:
            return False
        if isinstance(self.url, str):
            return _normal(url) == _normal(self.url)
        return self.url.fullmatch(url) is not None


def _normal(url: str) -> tuple[str, list[tuple[str, str]]]:
    # Queries compare as decoded pairs, in any order (the SDK's own encoding is pinned
    # by the tests that look at ``url`` itself).
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", sorted(parse_qsl(parts.query))


class Wire:
    """Canned answers for the SDK's in-memory transport seam (``MockTransport``), with
    aioresponses' shape: register ``wire.get(url, payload=...)``, each used once unless
    ``repeat=True``, in order; a request nothing matches fails as a refused connection."""

    def __init__(self) -> None:
        self.canned: list[_Canned] = []
        self.transport = MockTransport(self._answer)

    def add(
        self,
        method: str,
        url: str | re.Pattern[str],
        *,
        status: int = 200,
        payload: Any = None,
        body: bytes | str = b"",
        headers: dict[str, str] | None = None,
        exception: Exception | None = None,
        repeat: bool = False,
    ) -> None:
        if exception is not None:
            answer: HTTPResponse | Exception = exception
        elif payload is not None:
            answer = reply(status, json=payload, headers=headers)
        else:
            answer = reply(status, body=body, headers=headers)
        self.canned.append(_Canned(method, url, answer, repeat))

    def get(self, url: str | re.Pattern[str], **kwargs: Any) -> None:
        self.add("GET", url, **kwargs)

    def post(self, url: str | re.Pattern[str], **kwargs: Any) -> None:
        self.add("POST", url, **kwargs)

    def patch(self, url: str | re.Pattern[str], **kwargs: Any) -> None:
        self.add("PATCH", url, **kwargs)

    def delete(self, url: str | re.Pattern[str], **kwargs: Any) -> None:
        self.add("DELETE", url, **kwargs)

    def _answer(self, request: HTTPRequest) -> HTTPResponse:
        for canned in self.canned:
            if canned.matches(request.method, request.url):
                if not canned.repeat:
                    self.canned.remove(canned)
                if isinstance(canned.response, SemaphoreError):
                    raise canned.response
                if isinstance(canned.response, Exception):
                    # What the aiohttp transport makes of an aiohttp or OS error.
                    error = canned.response
                    raise connection_error(error, request.method, request.url) from error
                return canned.response
        raise APIConnectionError(
            f"no canned answer for {request.method} {request.url}",
            method=request.method,
            url=request.url,
            reached_server=False,
        )


@pytest.fixture
def wire() -> Wire:
    """Canned answers through the SDK's transport seam, for pinning exact wire details."""
    return Wire()


@pytest_asyncio.fixture
async def client(wire: Wire) -> AsyncIterator[AsyncClient]:
    """A client for https://acme.semaphoreci.com, answered by ``wire``."""
    async with AsyncClient(org="acme", token=TOKEN, transport=wire.transport) as sem:
        yield sem


def calls(mocked: Wire, method: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """Every request the wire saw, as (method, url, {"headers", "data"})."""
    return [
        (r.method, r.url, {"headers": dict(r.headers), "data": r.body})
        for r in mocked.transport.requests
        if method is None or r.method == method
    ]


def only_call(mocked: Wire) -> tuple[str, str, dict[str, Any]]:
    """The single request the wire saw."""
    seen = calls(mocked)
    assert len(seen) == 1, seen
    return seen[0]


def sent_json(kwargs: dict[str, Any]) -> Any:
    """The JSON body of a recorded request."""
    data = kwargs["data"]
    return json.loads(data)


REFERENCE_DIR = Path(__file__).parent / "samples"


def sample(name: str) -> Any:
    """A response body from the reference documentation, kept in tests/samples/."""
    return json.loads((REFERENCE_DIR / name).read_text())


def split(url: str) -> tuple[str, dict[str, str]]:
    """A URL as (scheme://host/path, decoded query)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", dict(parse_qsl(parts.query))


@pytest_asyncio.fixture
async def semaphore_emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """The SDK's own tests run the emulator in the test's event loop, in strict mode:
    a request name the real server would silently drop fails the test. (Overrides the
    plugin's fixture, which serves it in a thread for users' def and async def tests.)"""
    marker = request.node.get_closest_marker("semaphore_emulator")
    keywords: dict[str, Any] = {"strict": True, **(marker.kwargs if marker else {})}
    async with Emulator(**keywords) as emulator:
        yield emulator
