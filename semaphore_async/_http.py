"""The transport seam: what the core hands to a transport and what it gets back.

No aiohttp here. The default transport (``_transport.AiohttpTransport``) turns these
into aiohttp calls; unit tests may pass any object with the same ``send``/``aclose``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs

from ._config import Timeout

__all__ = ["HTTPRequest", "HTTPResponse", "Transport"]

SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


@attrs.frozen
class HTTPRequest:
    """One HTTP request, fully built: ``url`` is absolute and already percent-encoded."""

    method: str
    url: str
    headers: Mapping[str, str] = attrs.field(repr=lambda h: repr(_masked(h)))
    body: bytes | None = None


@attrs.frozen
class HTTPResponse:
    """A whole response: status, headers with lower-case names, and the read body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str


@runtime_checkable
class Transport(Protocol):
    """Sends one request and returns the whole response.

    Implementations raise :class:`~semaphore_async.APIConnectionError` (or
    :class:`~semaphore_async.APITimeoutError`) for failures below HTTP, with
    ``reached_server=False`` only when nothing was sent. They never follow redirects:
    the core does, without ``Authorization``.
    """

    async def send(self, request: HTTPRequest, timeout: Timeout) -> HTTPResponse:
        """Send ``request`` within ``timeout`` and return the whole response."""
        ...

    async def aclose(self) -> None:
        """Release the connections; the client calls it once, on close."""
        ...


def _masked(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: ("[secure]" if k.lower() in SENSITIVE_HEADERS else v) for k, v in headers.items()}
