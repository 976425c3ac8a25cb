"""``MockTransport``: the SDK's transport seam, answered in memory.

For unit tests that pin exact wire details (the method, URL, headers and body a call
sends; how it reads a recorded answer) without a server and without aiohttp::

    def handler(request: HTTPRequest) -> HTTPResponse:
        assert request.url.endswith("/api/v1alpha/pipelines/p1")
        return reply(json={"pipeline": {"ppl_id": "p1"}, "blocks": []})

    transport = MockTransport(handler)
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        described = await sem.pipelines.get("p1")
    assert transport.requests[0].method == "GET"

The handler may be a coroutine function; it may raise
:class:`~semaphore_async.APIConnectionError` to stand for a failure below HTTP.
"""

from __future__ import annotations

import inspect
import json as _json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .._config import Timeout
from .._http import HTTPRequest, HTTPResponse

__all__ = ["MockTransport", "reply"]

_UNSET: Any = object()
Handler = Callable[[HTTPRequest], "HTTPResponse | Awaitable[HTTPResponse]"]


def reply(
    status: int = 200,
    *,
    json: Any = _UNSET,
    body: bytes | str = b"",
    headers: Mapping[str, str] | None = None,
) -> HTTPResponse:
    """An answer: ``json`` (encoded) or a raw ``body``, with lower-cased ``headers``."""
    raw = _json.dumps(json).encode() if json is not _UNSET else body
    return HTTPResponse(
        status=status,
        headers={k.lower(): v for k, v in (headers or {}).items()},
        body=raw.encode() if isinstance(raw, str) else raw,
        url="",
    )


class MockTransport:
    """A :class:`~semaphore_async.Transport` whose answers come from ``handler``.

    Every request is kept in :attr:`requests` (headers included: it is your own test's
    memory); :attr:`timeouts` holds the limit each one was sent with.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[HTTPRequest] = []
        self.timeouts: list[Timeout] = []
        self.closed = False

    async def send(self, request: HTTPRequest, timeout: Timeout) -> HTTPResponse:
        """Record ``request`` and its ``timeout``, and answer with the handler's reply."""
        self.requests.append(request)
        self.timeouts.append(timeout)
        answer = self.handler(request)
        response = await answer if inspect.isawaitable(answer) else answer
        if not response.url:
            response = HTTPResponse(response.status, response.headers, response.body, request.url)
        return response

    async def aclose(self) -> None:
        """Mark the transport closed (``closed``); the client calls it on close."""
        self.closed = True

    def json(self, index: int = -1) -> Any:
        """The JSON body of request ``index`` (the last by default)."""
        body = self.requests[index].body
        return None if body is None else _json.loads(body)
