"""semaphore_async: an async-first Python SDK for the Semaphore CI API.

``AsyncClient`` is the asyncio core and ``Client`` its blocking twin; models live in
:mod:`semaphore_async.models`; the in-memory emulator lives in
:mod:`semaphore_async.testing`.
"""

from ._blocking import Paginator
from ._bulk import bounded_map
from ._client import AsyncClient
from ._config import Config, Timeout
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    DecodeError,
    InvalidArgumentError,
    NotFoundError,
    PaginationLoopError,
    PermissionDeniedError,
    RateLimitError,
    SemaphoreError,
    ServerError,
)
from ._http import HTTPRequest, HTTPResponse, Transport
from ._pagination import AsyncPaginator, Page
from ._query import PageRequest
from ._sync import Client
from ._types import ProgressCallback
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientClosedError",
    "Config",
    "ConfigurationError",
    "ConflictError",
    "DecodeError",
    "HTTPRequest",
    "HTTPResponse",
    "InvalidArgumentError",
    "NotFoundError",
    "Page",
    "PageRequest",
    "PaginationLoopError",
    "Paginator",
    "PermissionDeniedError",
    "ProgressCallback",
    "RateLimitError",
    "SemaphoreError",
    "ServerError",
    "Timeout",
    "Transport",
    "__version__",
    "bounded_map",
]
