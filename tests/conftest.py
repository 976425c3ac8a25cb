"""Shared fixtures: a clean environment, zero retry waits, wire mocks and the emulator."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import pytest_asyncio
from aiohttp import ClientResponse
from aioresponses import aioresponses
from aioresponses import core as aioresponses_core

from semaphore_async import AsyncClient
from semaphore_async.testing import set_testing

pytest_plugins = ["semaphore_async.testing.pytest_plugin"]

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


class _StreamWriterCompatResponse(ClientResponse):
    """aiohttp 3.14 made ``stream_writer`` a required argument of ClientResponse, which
    aioresponses 0.7.9 does not pass (pnuckowski/aioresponses#289, fix pending in #288).
    A mocked request was never written, so a writer that reports zero bytes is faithful."""

    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


_NEEDS_STREAM_WRITER = "stream_writer" in inspect.signature(ClientResponse.__init__).parameters


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Iterator[aioresponses]:
    """aioresponses, for pinning exact wire details."""
    if _NEEDS_STREAM_WRITER:
        monkeypatch.setattr(aioresponses_core, "ClientResponse", _StreamWriterCompatResponse)
    with aioresponses() as mocked:
        yield mocked


@pytest_asyncio.fixture
async def client() -> AsyncIterator[AsyncClient]:
    """A client for the mocked https://acme.semaphoreci.com."""
    async with AsyncClient(org="acme", token=TOKEN) as sem:
        yield sem


def calls(mocked: aioresponses, method: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """Every request aioresponses saw, as (method, url, kwargs)."""
    out = []
    for (m, url), recorded in mocked.requests.items():
        for call in recorded:
            if method is None or m == method:
                out.append((m, str(url), call.kwargs))
    return out


def only_call(mocked: aioresponses) -> tuple[str, str, dict[str, Any]]:
    """The single request aioresponses saw."""
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
    """A URL as (scheme://host/path, decoded query). aioresponses normalizes the query's
    order and encoding, so unit tests compare decoded values; the emulator tests see the
    exact bytes."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", dict(parse_qsl(parts.query))
