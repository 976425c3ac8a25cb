"""Retries, decoding, redirects, logging and lifecycle of AsyncClient, through the
in-memory transport seam (canned answers, no sockets)."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey

import semaphore_async as sa
from semaphore_async import AsyncClient
from tests.conftest import API, TOKEN, Wire, calls

WF = "72c434c4-6589-493d-97cd-22f46681c893"
WF_URL = f"{API}/plumber-workflows/{WF}"
RUN_URL = f"{API}/plumber-workflows"
WORKFLOW = {"workflow": {"wf_id": WF}}


def refused() -> aiohttp.ClientConnectorError:
    key = ConnectionKey("acme.semaphoreci.com", 443, True, True, None, None, None)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))


def assert_no_token(exc: BaseException) -> None:
    for text in (str(exc), repr(exc), repr(exc.args), str(vars(exc))):
        assert TOKEN not in text


def planned_waits(caplog: pytest.LogCaptureFixture) -> list[float]:
    """The wait before each retry, as the client logged it (tests skip the waits)."""
    pattern = re.compile(r"retry \d+ in ([0-9.]+) s$")
    found = (pattern.search(r.getMessage()) for r in caplog.records)
    return [float(m.group(1)) for m in found if m]


async def test_get_retried_until_success(wire: Wire, client: AsyncClient) -> None:
    """A GET that meets 503 then 502 succeeds on the third attempt."""
    wire.get(WF_URL, status=503, body=b"upstream connect error")
    wire.get(WF_URL, status=502)
    wire.get(WF_URL, payload=WORKFLOW)
    assert (await client.workflows.get(WF)).wf_id == WF
    assert len(calls(wire)) == 3


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_get_gives_up_after_max_retries(wire: Wire, status: int) -> None:
    """max_retries=2 means three attempts, then the mapped error naming the count."""
    for _ in range(3):
        wire.get(WF_URL, status=status, body=b'"Internal error"')
    async with AsyncClient(org="acme", token=TOKEN, max_retries=2, transport=wire.transport) as sem:
        with pytest.raises(sa.APIError) as info:
            await sem.workflows.get(WF)
    assert info.value.status == status
    assert info.value.attempts == 3
    assert "gave up after 3 attempts" in str(info.value)
    assert len(calls(wire)) == 3
    assert_no_token(info.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
async def test_client_errors_not_retried(wire: Wire, client: AsyncClient, status: int) -> None:
    """A 4xx other than 408/429 is final at once."""
    wire.get(WF_URL, status=status, body=b'{"message":"nope"}')
    with pytest.raises(sa.APIError) as info:
        await client.workflows.get(WF)
    assert (info.value.status, info.value.message, info.value.attempts) == (status, "nope", 1)
    assert len(calls(wire)) == 1


async def test_creating_post_not_retried_after_server_error(
    wire: Wire, client: AsyncClient
) -> None:
    """workflows.run is sent exactly once when the server may have acted on it."""
    wire.post(RUN_URL, status=503)
    with pytest.raises(sa.ServerError):
        await client.workflows.run("p", "main")
    assert len(calls(wire)) == 1


async def test_creating_post_not_retried_after_disconnect(wire: Wire, client: AsyncClient) -> None:
    """A connection lost after sending is not proof the workflow was not created."""
    wire.post(RUN_URL, exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(sa.APIConnectionError) as info:
        await client.workflows.run("p", "main")
    assert info.value.reached_server is True
    assert len(calls(wire)) == 1


async def test_creating_post_retried_when_refused(wire: Wire, client: AsyncClient) -> None:
    """A refused connection provably sent nothing, so even a creating POST is retried."""
    wire.post(RUN_URL, exception=refused())
    wire.post(RUN_URL, payload={"workflow_id": "w", "pipeline_id": "p"})
    run = await client.workflows.run("p", "main")
    assert run.workflow_id == "w"
    assert len(calls(wire)) == 2


async def test_connection_errors_retried_for_reads(wire: Wire, client: AsyncClient) -> None:
    """Resets and timeouts are retried for GETs and become APIConnectionError at the end."""
    wire.get(WF_URL, exception=aiohttp.ServerDisconnectedError())
    wire.get(WF_URL, exception=aiohttp.SocketTimeoutError())
    wire.get(WF_URL, payload=WORKFLOW)
    assert (await client.workflows.get(WF)).wf_id == WF
    for _ in range(4):
        wire.get(WF_URL, exception=aiohttp.SocketTimeoutError())
    with pytest.raises(sa.APITimeoutError) as info:
        await client.workflows.get(WF)
    assert isinstance(info.value.__cause__, aiohttp.SocketTimeoutError)
    assert info.value.attempts == 4


async def test_retry_after_is_honoured(
    wire: Wire, client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """429 Retry-After: 2 waits 2 s; an HTTP-date in the past waits 0; none uses backoff."""
    wire.get(WF_URL, status=429, headers={"Retry-After": "2"})
    wire.get(WF_URL, status=503, headers={"Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"})
    wire.get(WF_URL, status=503)
    wire.get(WF_URL, payload=WORKFLOW)
    with caplog.at_level(logging.DEBUG, logger="semaphore_async"):
        await client.workflows.get(WF)
    waits = planned_waits(caplog)
    assert waits[:2] == [2.0, 0.0]
    assert 0.0 <= waits[2] <= 2.0  # third attempt: uniform(0, 0.5 * 2**2)


async def test_rate_limit_error_keeps_retry_after(wire: Wire) -> None:
    """A final 429 is a RateLimitError with .retry_after."""
    wire.get(WF_URL, status=429, headers={"Retry-After": "30"}, body=b"slow down")
    async with AsyncClient(org="acme", token=TOKEN, max_retries=0, transport=wire.transport) as sem:
        with pytest.raises(sa.RateLimitError) as info:
            await sem.workflows.get(WF)
    assert info.value.retry_after == 30.0


@pytest.mark.parametrize(
    "body", [b"<html>oops</html>", b'{"workflow": ', b'{"workflow": {"created_at": "yesterday"}}']
)
async def test_bad_2xx_body_raises_decode_error(
    wire: Wire, client: AsyncClient, body: bytes
) -> None:
    """A 200 that is not the promised JSON raises DecodeError with an excerpt."""
    wire.get(WF_URL, body=body, headers={"Content-Type": "text/html"})
    with pytest.raises(sa.DecodeError) as info:
        await client.workflows.get(WF)
    assert info.value.status == 200
    assert body[:10].decode() in str(info.value)
    assert_no_token(info.value)


async def test_decode_error_names_field(wire: Wire, client: AsyncClient) -> None:
    """A body that parses but does not fit names the field's path."""
    wire.get(WF_URL, payload={"workflow": {"created_at": {"seconds": "soon"}}})
    with pytest.raises(sa.DecodeError, match=r"\$\.created_at"):
        await client.workflows.get(WF)


async def test_json_parsed_whatever_the_content_type(wire: Wire, client: AsyncClient) -> None:
    """The server usually sends no (or a wrong) Content-Type; the body is JSON anyway."""
    wire.get(WF_URL, body=b'{"workflow": {"wf_id": "x"}}', headers={"Content-Type": "text/plain"})
    assert (await client.workflows.get(WF)).wf_id == "x"


async def test_empty_200_is_valid_for_actions(wire: Wire, client: AsyncClient) -> None:
    """An empty 200 body is a valid answer where no model is promised."""
    wire.post(f"{WF_URL}/terminate", body=b"")
    await client.workflows.stop(WF)
    assert [m for m, _, _ in calls(wire)] == ["POST"]


async def test_redirect_followed_without_authorization(wire: Wire, client: AsyncClient) -> None:
    """A redirect is followed, and the token never goes along."""
    storage = "https://storage.example.com/blob?jwt=short-lived"
    wire.get(WF_URL, status=302, headers={"Location": storage})
    wire.get(storage, payload=WORKFLOW)
    assert (await client.workflows.get(WF)).wf_id == WF
    sent = calls(wire)
    assert [url.split("?")[0] for _, url, _ in sent] == [WF_URL, storage.split("?")[0]]
    assert sent[0][2]["headers"]["Authorization"] == f"Token {TOKEN}"
    assert "Authorization" not in sent[1][2]["headers"]


async def test_debug_log_has_no_token(
    wire: Wire, client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """One DEBUG record per attempt with method, path, status, attempt; never the token."""
    wire.get(WF_URL, status=503)
    wire.get(WF_URL, payload=WORKFLOW)
    with caplog.at_level(logging.DEBUG, logger="semaphore_async"):
        await client.workflows.get(WF)
    records = [r for r in caplog.records if r.name == "semaphore_async"]
    messages = [r.getMessage() for r in records]
    assert len(records) == 3
    assert messages[0].startswith(f"GET /api/v1alpha/plumber-workflows/{WF} -> 503 (attempt 1,")
    assert re.fullmatch(
        rf"GET /api/v1alpha/plumber-workflows/{WF}: retry 1 in [0-9.]+ s", messages[1]
    )
    assert messages[2].startswith(f"GET /api/v1alpha/plumber-workflows/{WF} -> 200 (attempt 2,")
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(record.__dict__)


async def test_closed_client_refuses(wire: Wire) -> None:
    """A closed client raises ClientClosedError, also on re-entering `async with`."""
    sem = AsyncClient(org="acme", token=TOKEN, transport=wire.transport)
    await sem.close()
    await sem.close()  # closing twice is fine
    with pytest.raises(sa.ClientClosedError, match="create a new"):
        await sem.workflows.get(WF)
    with pytest.raises(sa.ClientClosedError):
        async with sem:
            pass
    assert calls(wire) == []


_BACKEND_PROBE = """
import asyncio, sys
if sys.argv[1] == "json":
    sys.modules["orjson"] = None  # as without the speedups extra
import semaphore_async as sa
from semaphore_async.testing import MockTransport, reply

BODIES = [b'{"workflow": {"wf_id": "x", "created_at": {"seconds": 5}}}', b'{"workflow": ']

async def main():
    transport = MockTransport(lambda request: reply(body=BODIES.pop(0)))
    async with sa.AsyncClient(org="acme", token="t", transport=transport) as sem:
        wf = await sem.workflows.get("x")
        print(wf.wf_id, wf.created_at.isoformat())
        try:
            await sem.workflows.get("x")
        except sa.DecodeError as exc:
            print(type(exc).__name__, "not valid JSON" in str(exc))
    print("orjson" in sys.modules and sys.modules["orjson"] is not None)

asyncio.run(main())
"""


@pytest.mark.parametrize("backend", ["json", "orjson"])
def test_both_json_backends_decode_alike(backend: str) -> None:
    """The stdlib and orjson (the speedups extra) give the same models and errors; each
    run in a fresh interpreter, orjson made unimportable for the stdlib one."""
    pytest.importorskip("orjson", reason="orjson is the optional speedups extra")
    done = subprocess.run(  # noqa: S603 - our interpreter
        [sys.executable, "-c", _BACKEND_PROBE, backend],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == [
        "x 1970-01-01T00:00:05+00:00",
        "DecodeError True",
        str(backend == "orjson"),
    ]
