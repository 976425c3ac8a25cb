"""The one send path every resource and paginator uses.

:class:`Core` owns the resolved configuration, the transport, the converter and the
retry policy. A resource method fills a path, builds a query and calls
:meth:`Core.request_model` (or :meth:`Core.request` and :meth:`Core.decode`); this
module does the rest: headers, JSON encoding, retries, redirects (without
``Authorization``), error mapping, decoding and logging.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar
from urllib.parse import urljoin, urlsplit

import cattrs

from ._config import Config
from ._converter import Converters, StructureError
from ._errors import (
    APIConnectionError,
    ClientClosedError,
    DecodeError,
    error_from_response,
    excerpt,
)
from ._http import HTTPRequest, HTTPResponse, Transport
from ._query import PageContext, encode_query
from ._retry import RetryPolicy, Safety, is_testing, parse_retry_after

__all__ = ["API_TOKEN", "NO_BODY", "Core"]

T = TypeVar("T")
logger: Final = logging.getLogger("semaphore_async")

_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS: Final = 5
try:  # the `speedups` extra: ~3x faster parsing of response bodies (see benchmarks/)
    import orjson

    _loads: Callable[[bytes], Any] = orjson.loads
    _DECODE_ERRORS: tuple[type[Exception], ...] = (ValueError, orjson.JSONDecodeError)
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads
    _DECODE_ERRORS = (ValueError,)

NO_BODY: Final[Any] = object()
"""The default ``body``: send none (``None`` would be the JSON ``null``)."""
_NO_BODY = NO_BODY
API_TOKEN: Final[Any] = object()
"""The default ``authorization``: send ``Token <the client's token>``."""


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
        self.converter: cattrs.Converter = self.converters.converter
        self.retry = retry or RetryPolicy(max_retries=config.max_retries)
        self.closed = False
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
        return f"{self.config.base_url}{path}?{encode_query(params)}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Iterable[tuple[str, str]] = (),
        body: Any = _NO_BODY,
        safety: Safety | None = None,
        url: str | None = None,
        authorization: Any = API_TOKEN,
        page: PageContext | None = None,
    ) -> HTTPResponse:
        """Send one call with retries; return the 2xx response or raise an ``APIError``.

        ``safety`` says whether the call may be repeated after a failure that may have
        reached the server; by default it follows the method (:meth:`Safety.of`).
        ``url`` replaces ``path`` and ``params`` with an absolute URL (a continuation the
        server handed out). ``authorization`` replaces the API token: ``None`` sends no
        ``Authorization`` at all, a string is sent as the raw header value. ``page``
        names the page of a list being fetched, for the errors.
        """
        request, log_path = self._prepare(method, path, params, body, url, authorization)
        return await self._send_with_retries(request, log_path, safety or Safety.of(method), page)

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

    async def request_model(
        self,
        method: str,
        path: str,
        model: type[T],
        *,
        params: Iterable[tuple[str, str]] = (),
        body: Any = _NO_BODY,
        safety: Safety | None = None,
        envelope: str | None = None,
        authorization: Any = API_TOKEN,
        sensitive: bool = False,
    ) -> T:
        """Like :meth:`request`, structuring the decoded JSON body (or its ``envelope`` key) into
        ``model``. ``sensitive`` (routes whose answers carry secret values) keeps the body
        out of any ``DecodeError``."""
        request, log_path = self._prepare(method, path, params, body, None, authorization)
        response = await self._send_with_retries(
            request, log_path, safety or Safety.of(method), None
        )
        data = self.decode(response, method, sensitive=sensitive)
        if envelope is not None:
            if not isinstance(data, dict) or envelope not in data:
                raise self.decode_error(
                    response,
                    method,
                    f"expected a JSON object with a {envelope!r} key",
                    sensitive=sensitive,
                )
            data = data[envelope]
        return self.structure(data, model, response=response, method=method, sensitive=sensitive)

    def decode(
        self,
        response: HTTPResponse,
        method: str,
        *,
        sensitive: bool = False,
        page: PageContext | None = None,
    ) -> Any:
        """Parse a 2xx body as JSON whatever its Content-Type; empty means ``None``."""
        body = response.body
        if not body or body.isspace():
            return None
        try:
            return _loads(body)
        except _DECODE_ERRORS:
            raise self.decode_error(
                response, method, "the body is not valid JSON", sensitive=sensitive, page=page
            ) from None

    def structure(
        self,
        data: Any,
        model: type[T],
        *,
        response: HTTPResponse,
        method: str,
        sensitive: bool = False,
        page: PageContext | None = None,
    ) -> T:
        """Build ``model`` from decoded JSON, or raise ``DecodeError`` naming the fields."""
        try:
            return self.converters.structure(data, model)
        except StructureError as exc:
            raise self.decode_error(
                response,
                method,
                f"the body does not fit {_type_name(model)}: {'; '.join(exc.errors[:5])}",
                sensitive=sensitive,
                page=page,
            ) from exc

    def decode_error(
        self,
        response: HTTPResponse,
        method: str,
        what: str,
        *,
        sensitive: bool = False,
        page: PageContext | None = None,
    ) -> DecodeError:
        """A :class:`DecodeError` for a 2xx ``response`` that is not what ``what`` says.

        ``sensitive`` leaves the body out of both the message and ``.body``: on routes
        that answer secret values, any excerpt could hold one.
        """
        if sensitive:
            shown = "the body is not shown (this route answers secret values)"
            body = ""
        else:
            shown = f"body starts: {excerpt(response.body)!r}"
            body = response.body.decode("utf-8", "replace")
        return DecodeError(
            f"{what}; {shown}. This is a server or SDK bug; please report it"
            + ("." if sensitive else " with the excerpt."),
            status=response.status,
            method=method,
            url=_without_query(response.url),
            body=body,
            headers=response.headers,
            page=page,
        )

    async def _send_with_retries(
        self, request: HTTPRequest, path: str, safety: Safety, page: PageContext | None
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
                    if attempt == 1 and page is None:
                        raise
                    raise exc.with_context(attempts=attempt, page=page) from (exc.__cause__ or exc)
                await _wait(request, path, self.retry.backoff(attempt), attempt)
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
            final = attempt > max_retries or not self.retry.should_retry_status(
                response.status, safety
            )
            if final:
                raise error_from_response(
                    status=response.status,
                    method=request.method,
                    url=_without_query(response.url),
                    headers=response.headers,
                    body=response.body,
                    retry_after=retry_after,
                    attempts=attempt,
                    page=page,
                )
            await _wait(request, path, self.retry.backoff(attempt, retry_after), attempt)

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


async def _wait(request: HTTPRequest, path: str, seconds: float, attempt: int) -> None:
    logger.debug("%s %s: retry %d in %.3f s", request.method, path, attempt, seconds)
    if seconds > 0 and not is_testing():  # set_testing(True): every wait skipped
        await asyncio.sleep(seconds)


def _type_name(model: Any) -> str:
    return getattr(model, "__name__", None) or str(model)


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]
