"""The one send path every resource and paginator uses.

:class:`Core` owns the resolved configuration, the transport, the converter and the
retry policy. A resource method fills a path, builds a query and calls
:meth:`Core.request_json` or :meth:`Core.request_model`; this module does the rest:
headers, JSON encoding, retries, redirects (without ``Authorization``), error mapping,
decoding and logging.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Final, TypeVar
from urllib.parse import urlencode, urljoin, urlsplit

import cattrs

from ._args import epoch_seconds
from ._config import Config
from ._converter import Converters, StructureError
from ._errors import (
    APIConnectionError,
    APIError,
    ClientClosedError,
    DecodeError,
    SemaphoreError,
    error_from_response,
    excerpt,
)
from ._http import HTTPRequest, HTTPResponse, Transport
from ._retry import RetryPolicy, Safety, parse_retry_after

__all__ = ["API_TOKEN", "Core", "Query", "query"]

T = TypeVar("T")
logger: Final = logging.getLogger("semaphore_async")

Query = tuple[tuple[str, str], ...]
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS: Final = 5
try:  # the `speedups` extra: ~3x faster parsing of response bodies (see benchmarks/)
    import orjson

    _loads: Callable[[bytes], Any] = orjson.loads
    _DECODE_ERRORS: tuple[type[Exception], ...] = (ValueError, orjson.JSONDecodeError)
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads
    _DECODE_ERRORS = (ValueError,)

_NO_BODY: Final[Any] = object()
API_TOKEN: Final[Any] = object()
"""The default ``authorization``: send ``Token <the client's token>``."""


def query(**params: object) -> Query:
    """Build a query from keywords, dropping ``None``.

    Booleans become ``true``/``false``, datetimes integer epoch seconds, and lists or
    tuples repeat the parameter, as the server reads them.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else (value,)
        pairs.extend((key, _query_value(item)) for item in values)
    return tuple(pairs)


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return str(epoch_seconds("time", value))
    return str(value)


class Core:
    """Configuration, transport, converter and retry policy, shared by every resource."""

    def __init__(
        self,
        config: Config,
        transport: Transport,
        *,
        converters: Converters | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.config = config
        self.transport = transport
        self.converters = converters or Converters()
        self.converter: cattrs.Converter = self.converters.fast
        self.retry = retry or RetryPolicy(max_retries=config.max_retries)
        self.closed = False
        # The one place retries wait; tests replace it to record the delays.
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self._limiter: asyncio.Semaphore | None = None
        # Built once: these never change for the life of the client.
        self._headers: Mapping[str, str] = {
            "Authorization": f"Token {config.token}",
            "User-Agent": config.user_agent,
            "Accept": "application/json",
        }
        self._json_headers: Mapping[str, str] = {
            **self._headers,
            # The server silently ignores JSON bodies without this (server-behaviour §2).
            "Content-Type": "application/json",
        }

    @property
    def limiter(self) -> asyncio.Semaphore:
        """The client-wide bound on requests made by bulk helpers: ``max_connections``."""
        if self._limiter is None:
            self._limiter = asyncio.Semaphore(self.config.max_connections)
        return self._limiter

    def url(self, path: str, params: Iterable[tuple[str, str]] = ()) -> str:
        """The absolute URL for ``path`` (already encoded) and ``params`` on our origin."""
        if not params:
            return self.config.base_url + path
        encoded = _encode_query(params if isinstance(params, tuple) else tuple(params))
        return f"{self.config.base_url}{path}?{encoded}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Iterable[tuple[str, str]] = (),
        body: Any = _NO_BODY,
        safety: Safety = Safety.IDEMPOTENT,
        url: str | None = None,
        authorization: Any = API_TOKEN,
    ) -> HTTPResponse:
        """Send one call with retries; return the 2xx response or raise an ``APIError``.

        ``url`` replaces ``path`` and ``params`` with an absolute URL (a continuation the
        server handed out). ``authorization`` replaces the API token: ``None`` sends no
        ``Authorization`` at all, a string is sent as the raw header value.
        """
        request, log_path = self._prepare(method, path, params, body, url, authorization)
        return await self._send_with_retries(request, log_path, safety)

    def _prepare(
        self,
        method: str,
        path: str,
        params: Iterable[tuple[str, str]],
        body: Any,
        url: str | None,
        authorization: Any,
    ) -> tuple[HTTPRequest, str]:
        """The request to send, and the path its log lines name. Not a coroutine: the
        callers await ``_send_with_retries`` themselves, one frame less per request."""
        if self.closed:
            raise ClientClosedError("This client is closed; create a new one.")
        target = url if url is not None else self.url(path, params)
        headers = self._headers if body is _NO_BODY else self._json_headers
        if authorization is not API_TOKEN:
            headers = {k: v for k, v in headers.items() if k != "Authorization"}
            if authorization is not None:
                headers["Authorization"] = authorization
        if body is _NO_BODY:
            request = HTTPRequest(method, target, headers)
        else:
            payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
            request = HTTPRequest(method, target, headers, payload.encode())
        # Log lines name the path only: a continuation URL's query may carry a jwt.
        return request, path or urlsplit(target).path

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Iterable[tuple[str, str]] = (),
        body: Any = _NO_BODY,
        safety: Safety = Safety.IDEMPOTENT,
        authorization: Any = API_TOKEN,
    ) -> Any:
        """Like :meth:`request`, returning the decoded JSON (``None`` for an empty body)."""
        response = await self.request(
            method, path, params=params, body=body, safety=safety, authorization=authorization
        )
        return self.decode(response, method)

    async def request_model(
        self,
        method: str,
        path: str,
        model: type[T],
        *,
        params: Iterable[tuple[str, str]] = (),
        body: Any = _NO_BODY,
        safety: Safety = Safety.IDEMPOTENT,
        envelope: str | None = None,
        authorization: Any = API_TOKEN,
    ) -> T:
        """Like :meth:`request_json`, structuring the body (or its ``envelope`` key) into
        ``model``."""
        request, log_path = self._prepare(method, path, params, body, None, authorization)
        response = await self._send_with_retries(request, log_path, safety)
        data = self.decode(response, method)
        if envelope is not None:
            if not isinstance(data, dict) or envelope not in data:
                raise self.decode_error(
                    response, method, f"expected a JSON object with a {envelope!r} key"
                )
            data = data[envelope]
        return self.structure(data, model, response=response, method=method)

    def decode(self, response: HTTPResponse, method: str) -> Any:
        """Parse a 2xx body as JSON whatever its Content-Type; empty means ``None``."""
        body = response.body
        if not body or body.isspace():
            return None
        try:
            return _loads(response.body)
        except _DECODE_ERRORS:
            raise self.decode_error(response, method, "the body is not valid JSON") from None

    def structure(self, data: Any, model: type[T], *, response: HTTPResponse, method: str) -> T:
        """Build ``model`` from decoded JSON, or raise ``DecodeError`` naming the fields."""
        try:
            return self.converters.structure(data, model)
        except StructureError as exc:
            raise self.decode_error(
                response,
                method,
                f"the body does not fit {model.__name__}: {'; '.join(exc.errors[:5])}",
            ) from exc

    def decode_error(self, response: HTTPResponse, method: str, what: str) -> DecodeError:
        url = _without_query(response.url)
        return DecodeError(
            f"{what}; body starts: {excerpt(response.body)!r}. This is a server or SDK bug; "
            "please report it with the excerpt.",
            status=response.status,
            method=method,
            url=url,
            body=response.body.decode("utf-8", "replace"),
            headers=response.headers,
        )

    async def _send_with_retries(
        self, request: HTTPRequest, path: str, safety: Safety
    ) -> HTTPResponse:
        max_retries = self.retry.max_retries
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                response = await self.transport.send(request, self.config.timeout)
                if response.status in _REDIRECTS and "location" in response.headers:
                    response = await self._follow_redirects(request, response)
            except APIConnectionError as exc:
                elapsed = (time.perf_counter() - started) * 1000
                logger.debug(
                    "%s %s -> %s (attempt %d, %.1f ms)",
                    request.method,
                    path,
                    type(exc).__name__,
                    attempt,
                    elapsed,
                )
                if attempt > max_retries or not self.retry.should_retry_connection_error(
                    exc.reached_server, safety
                ):
                    _with_attempts(exc, attempt)
                    raise
                await self.sleep(self.retry.backoff(attempt))
                continue
            elapsed = (time.perf_counter() - started) * 1000
            logger.debug(
                "%s %s -> %d (attempt %d, %.1f ms)",
                request.method,
                path,
                response.status,
                attempt,
                elapsed,
            )
            if 200 <= response.status < 300:
                return response
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            error = error_from_response(
                status=response.status,
                method=request.method,
                url=_without_query(response.url),
                headers=response.headers,
                body=response.body,
                retry_after=retry_after,
            )
            if attempt > max_retries or not self.retry.should_retry_status(response.status, safety):
                raise _with_attempts(error, attempt)
            await self.sleep(self.retry.backoff(attempt, retry_after))

    async def _follow_redirects(self, request: HTTPRequest, response: HTTPResponse) -> HTTPResponse:
        hops = 0
        while response.status in _REDIRECTS and "location" in response.headers:
            hops += 1
            if hops > _MAX_REDIRECTS:
                break
            target = urljoin(response.url, response.headers["location"])
            if urlsplit(target).scheme not in ("http", "https"):
                break
            # Redirects (a self-hosted job's logs go to storage) are authorised by their own
            # URL (a short-lived jwt): the API token never follows a redirect, to any host.
            headers = {k: v for k, v in request.headers.items() if k != "Authorization"}
            method = "GET" if response.status == 303 else request.method
            body = None if method == "GET" else request.body
            request = HTTPRequest(method, target, headers, body)
            response = await self.transport.send(request, self.config.timeout)
        return response

    async def aclose(self) -> None:
        """Close the transport; further calls raise :class:`ClientClosedError`."""
        self.closed = True
        await self.transport.aclose()


@functools.lru_cache(maxsize=512)
def _encode_query(params: tuple[tuple[str, str], ...]) -> str:
    # Most calls repeat a handful of queries (detailed=true, a list's filters).
    return urlencode(params)


def _with_attempts(exc: SemaphoreError, attempts: int) -> SemaphoreError:
    if attempts > 1 and exc.args:
        exc.args = (f"{exc.args[0]} (gave up after {attempts} attempts)", *exc.args[1:])
    if isinstance(exc, (APIError, APIConnectionError)):
        exc.attempts = attempts
    return exc


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]
