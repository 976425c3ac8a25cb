"""The default transport: one pooled ``aiohttp.ClientSession`` per client.

This is the only module that imports aiohttp. The session is created lazily on the
first request, inside the running event loop (aiohttp sessions belong to a loop and
must not be created in ``__init__``), and closed by :meth:`AiohttpTransport.aclose`.
"""

from __future__ import annotations

import asyncio
import base64
import urllib.request
import warnings
from collections.abc import Mapping

import aiohttp
from yarl import URL

from ._config import Timeout
from ._errors import APIConnectionError, APITimeoutError, ClientClosedError, SemaphoreError
from ._http import HTTPRequest, HTTPResponse

__all__ = ["AiohttpTransport", "connection_error"]


class AiohttpTransport:
    """Sends requests through one lazily created, pooled ``ClientSession``."""

    def __init__(self, *, max_connections: int = 100) -> None:
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timeouts: dict[Timeout, aiohttp.ClientTimeout] = {}
        self._proxies: dict[tuple[str, str], tuple[URL | None, str | None]] = {}
        self._last_timeout: Timeout | None = None
        self._last_client_timeout: aiohttp.ClientTimeout | None = None
        self._closed = False

    @property
    def is_open(self) -> bool:
        """True while a session exists and has not been closed."""
        return self._session is not None and not self._session.closed

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise ClientClosedError("This client is closed; create a new one.")
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                # The environment's proxies (HTTPS_PROXY, NO_PROXY, ...) are honoured as
                # trust_env=True would, but resolved once per origin in _proxy_for(): with
                # trust_env aiohttp makes two thread-pool hops per request (a proxy and a
                # ~/.netrc lookup), which tripled the cost of a call. .netrc is not read:
                # the SDK always sends its own Authorization, and aiohttp refuses a request
                # that has both.
                trust_env=False,
                # No skip_auto_headers, though the core sets every header itself: with it,
                # aiohttp builds two header multidicts per request (~4 us). Nothing is
                # lost: our User-Agent and Accept win over aiohttp's defaults, and bodies
                # always carry our Content-Type (tests/integration: the headers that
                # reach the server).
                auto_decompress=True,
            )
            # aiohttp silently resends GET/PUT/DELETE once when a reused connection drops
            # (aiohttp/client.py, `_retry_connection`, no public switch). The SDK's retry
            # policy owns every retry, so that `max_retries` and `.attempts` are exact.
            # The pin (aiohttp>=3.11) guarantees the switch; should a release rename it,
            # say so instead of silently counting attempts wrong.
            if hasattr(self._session, "_retry_connection"):
                self._session._retry_connection = False
            else:
                warnings.warn(
                    f"aiohttp {aiohttp.__version__} has no ClientSession._retry_connection: it "
                    "may resend a GET once on its own, so an error's .attempts can undercount. "
                    "Please report this to semaphore-async.",
                    RuntimeWarning,
                    stacklevel=2,
                )
            self._loop = loop
        elif self._loop is not loop:
            raise SemaphoreError(
                "This client was first used in another event loop; aiohttp sessions belong "
                "to one loop. Create one client per event loop (for example inside the "
                "coroutine you pass to asyncio.run)."
            )
        return self._session

    def _client_timeout(self, timeout: Timeout) -> aiohttp.ClientTimeout:
        if timeout is self._last_timeout and self._last_client_timeout is not None:
            return self._last_client_timeout  # the client's own timeout, nearly always
        cached = self._timeouts.get(timeout)
        if cached is None:
            cached = aiohttp.ClientTimeout(
                total=timeout.total,
                connect=timeout.connect,
                sock_read=timeout.sock_read,
                sock_connect=timeout.sock_connect,
            )
            self._timeouts[timeout] = cached
        self._last_timeout, self._last_client_timeout = timeout, cached
        return cached

    def _proxy_for(self, url: URL) -> tuple[URL | None, str | None]:
        """The proxy for ``url``'s origin and the ``Proxy-Authorization`` value for its
        credentials, if the environment's proxy URL carries any (cached per origin)."""
        origin = (url.scheme, url.raw_authority)
        found = self._proxies.get(origin)
        if found is None:
            found = self._proxies[origin] = env_proxy(url)
        return found

    async def send(self, request: HTTPRequest, timeout: Timeout) -> HTTPResponse:
        session = self._get_session()
        url = URL(request.url, encoded=True)
        proxy, proxy_authorization = self._proxy_for(url)
        headers, proxy_headers = request.headers, None
        if proxy_authorization is not None:
            # Not aiohttp's proxy_auth=, deprecated in 3.14. Its replacement,
            # proxy_headers=, reaches the proxy only on the CONNECT of an https tunnel; a
            # plain-http request is sent to the proxy itself, so the header rides on it.
            if url.scheme == "https":
                proxy_headers = {"Proxy-Authorization": proxy_authorization}
            else:
                headers = {**headers, "Proxy-Authorization": proxy_authorization}
        try:
            async with session.request(
                request.method,
                url,
                headers=headers,
                data=request.body,
                allow_redirects=False,
                timeout=self._client_timeout(timeout),
                proxy=proxy,
                proxy_headers=proxy_headers,
            ) as response:
                body = await response.read()
                headers = _lower_headers(response.headers)
                return HTTPResponse(
                    status=response.status, headers=headers, body=body, url=request.url
                )
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError, TimeoutError) as exc:
            raise connection_error(exc, request.method, _safe_url(request.url)) from exc

    async def aclose(self) -> None:
        self._closed = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


def env_proxy(url: URL) -> tuple[URL | None, str | None]:
    """The environment's proxy for ``url`` (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``,
    upper or lower case), read with the standard library's public ``getproxies`` and
    ``proxy_bypass``, the same functions aiohttp's ``trust_env`` relies on; and the
    ``Proxy-Authorization`` value for credentials in the proxy URL."""
    if url.host is not None and urllib.request.proxy_bypass(url.host):
        return None, None
    raw = urllib.request.getproxies().get(url.scheme)
    if not raw:
        return None, None
    proxy = URL(raw if "://" in raw else f"http://{raw}")
    auth = None
    if proxy.user is not None:
        credentials = f"{proxy.user}:{proxy.password or ''}".encode()
        auth = "Basic " + base64.b64encode(credentials).decode("ascii")
        proxy = proxy.with_user(None)
    return proxy, auth


def _lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    out = {key.lower(): value for key, value in headers.items()}
    if len(out) == len(headers):
        return out
    # Repeated headers (several `link` lines) join with ", ", as RFC 9110 allows.
    out = {}
    for key, value in headers.items():
        name = key.lower()
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def _safe_url(url: str) -> str:
    # Error messages show where a request went, never its query (it may carry a
    # pre-signed token, as the logs' `jwt=` redirect does).
    return url.split("?", 1)[0]


# On Python 3.10 the builtin TimeoutError (an OSError, raised for an OS-level connect
# timeout) is not asyncio.TimeoutError; from 3.11 they are one class.
_TIMEOUTS: tuple[type[BaseException], ...] = (
    aiohttp.ServerTimeoutError,
    asyncio.TimeoutError,
    TimeoutError,
)


def connection_error(exc: BaseException, method: str, url: str) -> APIConnectionError:
    """The SDK's connection error for an aiohttp, OS or timeout error (raise it ``from``
    the original). A function rather than a context manager: it costs nothing until a
    request fails.

    ``reached_server`` is ``False`` only for failures before the connection existed
    (DNS, refused, TLS handshake, connect timeout): then nothing was sent.
    """
    if isinstance(exc, aiohttp.ConnectionTimeoutError) or (
        isinstance(exc, aiohttp.ClientConnectorError) and isinstance(exc.os_error, TimeoutError)
    ):
        return APITimeoutError(
            f"Timed out connecting for {method} {url}; the host may be down or "
            "unreachable, or the pool saturated; raise timeout= or max_connections=.",
            method=method,
            url=url,
            reached_server=False,
        )
    if isinstance(exc, _TIMEOUTS):
        return APITimeoutError(
            f"{method} {url} ran past the timeout; the server may be slow, raise timeout= "
            "if this endpoint is known to take longer.",
            method=method,
            url=url,
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        return APIConnectionError(
            f"Could not connect for {method} {url}: {exc.os_error.strerror or exc}. "
            "Check the host name, your network and any proxy settings.",
            method=method,
            url=url,
            reached_server=False,
        )
    return APIConnectionError(
        f"The connection failed during {method} {url}: {type(exc).__name__}: {exc}. "
        "It may be retried if the call is safe to repeat.",
        method=method,
        url=url,
    )
