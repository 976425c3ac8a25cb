"""Every exception the SDK raises, and the one function that maps an HTTP answer to one.

The tree::

    SemaphoreError
    ├── ConfigurationError          bad or missing configuration (no token, http:// off loopback)
    ├── InvalidArgumentError        a bad argument to a method (also a ValueError)
    ├── ClientClosedError           the client was used after close()
    ├── APIConnectionError          the request could not be completed (DNS, refused, reset)
    │   └── APITimeoutError         one attempt ran past ``timeout``
    └── APIError                    any non-2xx answer (.status .message .body .headers ...)
        ├── BadRequestError         400, 422
        ├── AuthenticationError     401
        ├── PermissionDeniedError   403
        ├── NotFoundError           404
        ├── ConflictError           409
        ├── RateLimitError          429 (.retry_after)
        ├── ServerError             5xx
        ├── DecodeError             a 2xx body that is not the JSON the endpoint promises
        └── PaginationLoopError     the server repeated a cursor, page token or next link

The Semaphore server answers errors in four shapes (server-behaviour.md §3):
``google.rpc.Status`` JSON (``{"code", "message", "details"}``), ``{"message": ...}``
JSON, a bare JSON string (``"Internal error"``) and plain text (``Not Found``), most of
them without a Content-Type. :func:`error_from_response` reads all four into
``.message``. No exception text ever contains the API token: URLs never carry it and
request headers are not kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._query import PageContext, PageRequest

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "DecodeError",
    "InvalidArgumentError",
    "NotFoundError",
    "PaginationLoopError",
    "PermissionDeniedError",
    "RateLimitError",
    "SemaphoreError",
    "ServerError",
    "error_from_response",
    "excerpt",
]

_EXCERPT_CHARS = 200


class SemaphoreError(Exception):
    """Base class of every exception raised by ``semaphore_async``."""


class ConfigurationError(SemaphoreError):
    """The client cannot be configured: a token or host is missing, or a setting is invalid."""


class InvalidArgumentError(SemaphoreError, ValueError):
    """A method was given a bad argument: an empty, whitespace-only or dot-segment id, a
    value of the wrong type, a bare ``str`` where a list of ids belongs. Raised before
    anything is sent; also a ``ValueError``."""


class ClientClosedError(SemaphoreError, RuntimeError):
    """The client was used after it was closed. Create a new client instead."""


def _context(attempts: int, page: PageContext | None) -> str:
    """What a message adds about retries and the page being fetched."""
    text = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
    if page is not None:
        text += (
            f" [while fetching page {page.number}: GET {page.request}; continue with "
            "paginator.resume_from(exc.page_request)]"
        )
    return text


class _RequestFailed(SemaphoreError):
    """What every exception of a failed request carries: the request, its tries, its page."""

    def __init__(
        self,
        text: str,
        *,
        message: str,
        method: str,
        url: str,
        attempts: int,
        page: PageContext | None,
    ) -> None:
        super().__init__(text + _context(attempts, page))
        self.message = message
        self.method = method
        self.url = url
        self.attempts = attempts
        self.page_request: PageRequest | None = page.request if page else None
        self.page_number: int | None = page.number if page else None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.__dict__.copy(), self.args))


class APIConnectionError(_RequestFailed):
    """The request could not be completed: DNS failure, refused or reset connection.

    ``attempts`` counts the tries made, retries included. ``reached_server`` is
    ``False`` only when the connection was never established, so the request provably
    did not reach the server; the SDK retries even non-idempotent calls in that case
    and only then. ``page_request`` and ``page_number`` say which page of a list was
    being fetched, when a paginator made the request.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        reached_server: bool = True,
        attempts: int = 1,
        page: PageContext | None = None,
    ) -> None:
        super().__init__(
            message, message=message, method=method, url=url, attempts=attempts, page=page
        )
        self.reached_server = reached_server

    def with_context(self, *, attempts: int, page: PageContext | None) -> APIConnectionError:
        """The same error, built again with what the core knows once it gives up."""
        return type(self)(
            self.message,
            method=self.method,
            url=self.url,
            reached_server=self.reached_server,
            attempts=attempts,
            page=page,
        )


class APITimeoutError(APIConnectionError):
    """One request attempt ran past the configured ``timeout``."""


class APIError(_RequestFailed):
    """The server answered with a status that is not 2xx (or a 2xx that cannot be read).

    Attributes: ``status``, ``method``, ``url`` (never carries the token), ``message``
    (read from whichever error shape the server used), ``body`` (the raw text, possibly
    empty), ``headers`` (the response headers), ``attempts`` (tries made, retries
    included), and ``page_request`` / ``page_number`` when a paginator was fetching a
    page.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str,
        url: str,
        body: str = "",
        headers: Mapping[str, str] | None = None,
        hint: str | None = None,
        attempts: int = 1,
        page: PageContext | None = None,
    ) -> None:
        text = f"{status} from {method} {url}: {message}"
        if hint:
            text += f" ({hint})"
        super().__init__(
            text, message=message, method=method, url=url, attempts=attempts, page=page
        )
        self.status = status
        self.body = body
        self.headers: Mapping[str, str] = dict(headers or {})


def _rebuild(cls: type[Exception], state: dict[str, Any], args: tuple[Any, ...]) -> Exception:
    # Keyword-only constructors do not survive pickling by default; keep the exceptions
    # picklable so they can cross process pools.
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class BadRequestError(APIError):
    """400 or 422: the server rejected the request's parameters or body."""


class AuthenticationError(APIError):
    """401: the token is missing, invalid, or lacks a permission the endpoint needs."""


class PermissionDeniedError(APIError):
    """403: the token may not do this, or the feature is disabled for the organization."""


class NotFoundError(APIError):
    """404: no such resource, or it is not visible to this token."""


class ConflictError(APIError):
    """409: the resource already exists or changed under the request."""


class RateLimitError(APIError):
    """429: too many requests. ``retry_after`` holds the server's delay in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: the server (or the ingress in front of it) failed."""


class DecodeError(APIError):
    """A 2xx answer whose body is not the JSON the endpoint promises.

    The message carries a short excerpt of the body and, for a body that parsed but did
    not fit the model, the path of each offending field.
    """


class PaginationLoopError(APIError):
    """The server handed back a cursor, page token or next link it had already given.

    Following it would loop forever, so the walk stops here; the items already yielded
    are complete up to this page.
    """


_HINTS: Mapping[int, str] = {
    401: "check that the API token is valid for this organization "
    "(keyword token=, SEMAPHORE_API_TOKEN or ~/.sem.yaml) and has the permission this call needs",
    403: "the token may not do this, or the feature is not enabled for the organization",
    404: "check the id or name; Semaphore also answers 404 for resources this token cannot see",
    429: "the server is rate limiting; the SDK retried with backoff; "
    "lower concurrency or retry later",
}

_STATUS_CLASSES: Mapping[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitError,
}


def excerpt(body: bytes | str, limit: int = _EXCERPT_CHARS) -> str:
    """Return at most ``limit`` characters of ``body`` as text, marking a cut with an ellipsis."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return text if len(text) <= limit else text[:limit] + "…"


def message_from_body(body: bytes) -> str:
    """Read the human message out of any of the server's error shapes.

    ``google.rpc.Status`` and ``{"message": ...}`` give their ``message``; a bare JSON
    string gives itself; anything else (plain text, HTML, other JSON) gives an excerpt.
    """
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return excerpt(text)
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        for key in ("message", "error", "detail"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return value
    return excerpt(text)


def error_from_response(
    *,
    status: int,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    retry_after: float | None = None,
    attempts: int = 1,
    page: PageContext | None = None,
) -> APIError:
    """Map one non-2xx answer to the most specific :class:`APIError` subclass.

    A pure function of the answer, so it is tested on recorded responses. ``retry_after``
    is the already-parsed ``Retry-After`` delay (see ``_retry.parse_retry_after``).
    """
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIError
    message = message_from_body(body) or _reason(status)
    kwargs: dict[str, Any] = {
        "hint": _HINTS.get(status),
        "status": status,
        "method": method,
        "url": url,
        "body": body.decode("utf-8", "replace"),
        "headers": headers,
        "attempts": attempts,
        "page": page,
    }
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "unexpected status"
