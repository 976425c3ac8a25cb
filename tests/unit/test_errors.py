"""Status and body to exception, in one pure function; every server error shape."""

from __future__ import annotations

import asyncio
import pickle

import aiohttp
import pytest

import semaphore_async as sa
from semaphore_async._config import Timeout
from semaphore_async._errors import error_from_response
from semaphore_async._http import HTTPRequest
from semaphore_async._transport import AiohttpTransport


class _FailingSession:
    """Stands in for the aiohttp session: every request raises ``exc`` on entry."""

    closed = False

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def request(self, *args: object, **kwargs: object) -> _FailingSession:
        return self

    async def __aenter__(self) -> None:
        raise self.exc

    async def __aexit__(self, *exc_info: object) -> None:
        return None


async def send_raising(exc: BaseException, method: str = "GET", url: str = "https://x/api") -> None:
    """Send one request through the real transport, whose session raises ``exc``."""
    transport = AiohttpTransport()
    transport._session = _FailingSession(exc)  # type: ignore[assignment]
    transport._loop = asyncio.get_running_loop()
    await transport.send(HTTPRequest(method, url, {}), Timeout(total=1.0))


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, sa.BadRequestError),
        (401, sa.AuthenticationError),
        (403, sa.PermissionDeniedError),
        (404, sa.NotFoundError),
        (409, sa.ConflictError),
        (413, sa.APIError),
        (422, sa.BadRequestError),
        (429, sa.RateLimitError),
        (500, sa.ServerError),
        (501, sa.ServerError),
        (503, sa.ServerError),
        (504, sa.ServerError),
        (302, sa.APIError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[sa.APIError]) -> None:
    """Each status gets the most specific class, and all are APIError."""
    error = error_from_response(
        status=status, method="GET", url="https://x/api", headers={}, body=b""
    )
    assert type(error) is cls
    assert isinstance(error, sa.APIError) and isinstance(error, sa.SemaphoreError)
    assert (error.status, error.method, error.url) == (status, "GET", "https://x/api")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"code":5,"message":"Secret foo not found","details":[]}', "Secret foo not found"),
        (b'{"message":"page must be at most 100"}', "page must be at most 100"),
        (b'"Internal error"', "Internal error"),
        (b"Not Found", "Not Found"),
        (b"upstream request timeout", "upstream request timeout"),
        (b"", "Service Unavailable"),
        (b'{"unexpected": true}', '{"unexpected": true}'),
        (b"<html><body>Bad gateway</body></html>", "<html><body>Bad gateway</body></html>"),
    ],
)
def test_message_from_every_error_shape(body: bytes, message: str) -> None:
    """google.rpc.Status, {"message"}, bare JSON string, plain text and empty all fill .message."""
    error = error_from_response(status=503, method="GET", url="u", headers={}, body=body)
    assert error.message == message
    assert error.body == body.decode()


def test_long_plain_body_is_excerpted() -> None:
    """A huge HTML page does not become a huge message."""
    error = error_from_response(status=502, method="GET", url="u", headers={}, body=b"x" * 5000)
    assert len(error.message) <= 201
    assert len(error.body) == 5000


def test_rate_limit_carries_retry_after() -> None:
    """429 keeps the parsed Retry-After."""
    error = error_from_response(
        status=429, method="GET", url="u", headers={"retry-after": "7"}, body=b"", retry_after=7.0
    )
    assert isinstance(error, sa.RateLimitError)
    assert error.retry_after == 7.0
    assert error.headers["retry-after"] == "7"


def test_message_says_what_to_do() -> None:
    """401 and 404 carry a hint in str(), while .message stays the server's text."""
    error = error_from_response(status=401, method="GET", url="u", headers={}, body=b"Unauthorized")
    assert error.message == "Unauthorized"
    assert "SEMAPHORE_API_TOKEN" in str(error)


def test_errors_pickle() -> None:
    """Exceptions survive pickling (process pools, multiprocessing)."""
    error = error_from_response(status=404, method="GET", url="u", headers={}, body=b"Not found")
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is sa.NotFoundError
    assert (clone.status, clone.message, str(clone)) == (404, "Not found", str(error))
    conn = sa.APITimeoutError("slow", method="GET", url="u", reached_server=False)
    clone2 = pickle.loads(pickle.dumps(conn))
    assert type(clone2) is sa.APITimeoutError and clone2.reached_server is False


@pytest.mark.parametrize(
    ("raised", "cls", "reached"),
    [
        (aiohttp.ConnectionTimeoutError(), sa.APITimeoutError, False),
        (aiohttp.SocketTimeoutError(), sa.APITimeoutError, True),
        (aiohttp.ServerTimeoutError(), sa.APITimeoutError, True),
        (TimeoutError(), sa.APITimeoutError, True),
        (aiohttp.ServerDisconnectedError(), sa.APIConnectionError, True),
        (aiohttp.ClientPayloadError("truncated"), sa.APIConnectionError, True),
        (aiohttp.ClientOSError(104, "reset"), sa.APIConnectionError, True),
        (ConnectionResetError("reset"), sa.APIConnectionError, True),
        (aiohttp.ClientError("other"), sa.APIConnectionError, True),
    ],
)
async def test_aiohttp_errors_are_mapped(
    raised: BaseException, cls: type[sa.APIConnectionError], reached: bool
) -> None:
    """Every aiohttp/OS failure becomes the SDK's class, with the cause chained."""
    with pytest.raises(cls) as info:
        await send_raising(raised, url="https://x/api?jwt=secret")
    assert type(info.value) is cls
    assert info.value.__cause__ is raised
    assert info.value.reached_server is reached
    assert info.value.url == "https://x/api"  # never the query, which may carry a jwt
    assert "secret" not in str(info.value)


async def test_refused_connection_did_not_reach_server() -> None:
    """A refused connection is marked as never having reached the server."""
    from aiohttp.client_reqrep import ConnectionKey

    key = ConnectionKey("x", 443, True, True, None, None, None)
    refused = aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))
    with pytest.raises(sa.APIConnectionError) as info:
        await send_raising(refused, "POST", "https://x/a")
    assert info.value.reached_server is False
    assert "Connection refused" in str(info.value)


async def test_every_aiohttp_client_error_is_handled() -> None:
    """No aiohttp exception class escapes the mapping (walks aiohttp's own tree)."""

    def subclasses(cls: type) -> set[type]:
        out: set[type] = set()
        direct: list[type] = cls.__subclasses__()
        for child in direct:
            out |= {child} | subclasses(child)
        return out

    checked = 0
    for cls in subclasses(aiohttp.ClientError) | {aiohttp.ClientError}:
        exc = _instance(cls)
        if exc is None:
            continue
        with pytest.raises(sa.APIConnectionError):
            await send_raising(exc)
        checked += 1
    assert checked >= 15


def _instance(cls: type[BaseException]) -> BaseException | None:
    for args in ((), ("x",), ("x", "y")):
        try:
            exc = cls(*args)
            str(exc)
        except Exception:  # noqa: S112 - constructors differ; try the next signature
            continue
        return exc
    return None
