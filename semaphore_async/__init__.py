"""semaphore_async: an async-first Python SDK for the Semaphore CI API.

``AsyncClient`` is the asyncio core; models live in :mod:`semaphore_async.models`; the
in-memory emulator lives in :mod:`semaphore_async.testing`.
"""

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
    NotFoundError,
    PaginationLoopError,
    PermissionDeniedError,
    RateLimitError,
    SemaphoreError,
    ServerError,
)
from ._http import HTTPRequest, HTTPResponse, Transport
from ._pagination import AsyncPaginator, Page, PageRequest, ProgressCallback
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "Config",
    "ConfigurationError",
    "ConflictError",
    "DecodeError",
    "HTTPRequest",
    "HTTPResponse",
    "NotFoundError",
    "Page",
    "PageRequest",
    "PaginationLoopError",
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
