"""Retry policy: Retry-After parsing, backoff bounds, and what is safe to repeat."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from semaphore_async import AsyncClient
from semaphore_async._retry import RetryPolicy, Safety, is_testing, parse_retry_after, set_testing
from semaphore_async.testing import MockTransport, reply

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def real_waits() -> Iterator[None]:
    set_testing(False)
    yield
    set_testing(True)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("1.5", 1.5),
        (" 3 ", 3.0),
        ("-5", 0.0),
        ("99999999999", 99999999999.0),
        ("Mon, 23 Nov 2026 12:00:30 GMT", 30.0),
        ("Mon, 23 Nov 2026 11:59:00 GMT", 0.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),
        ("garbage", None),
        ("", None),
        (None, None),
        ("inf", None),
        ("nan", None),
        ("Mon, 99 Foo 2026 12:00:30 GMT", None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    """Seconds and HTTP dates parse; negatives and past dates are 0; garbage is None."""
    assert parse_retry_after(header, now=NOW) == seconds


@pytest.mark.usefixtures("real_waits")
def test_backoff_is_full_jitter_within_cap() -> None:
    """uniform(0, min(max_delay, initial * 2**(attempt-1))), even for huge attempts."""
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (10_000, 8.0)):
        delays = [policy.backoff(attempt) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling / 2  # really jittered across the range


@pytest.mark.usefixtures("real_waits")
def test_retry_after_overrides_and_is_clamped() -> None:
    """Retry-After replaces the computed delay, clamped to [0, max_retry_after]."""
    policy = RetryPolicy(max_retry_after=60.0)
    assert policy.backoff(1, retry_after=7.0) == 7.0
    assert policy.backoff(1, retry_after=3600.0) == 60.0
    assert policy.backoff(1, retry_after=-1.0) == 0.0


async def test_testing_switch_skips_waits() -> None:
    """set_testing(True) (on in this suite) skips every wait without changing the attempts:
    a retry that would wait the full 60 s Retry-After cap is made at once."""
    assert is_testing()
    answers = iter([reply(429, headers={"Retry-After": "3600"}), reply(json={"workflow": {}})])
    transport = MockTransport(lambda request: next(answers))
    loop = asyncio.get_running_loop()
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        started = loop.time()
        await sem.workflows.get("w")
        elapsed = loop.time() - started
    assert len(transport.requests) == 2
    assert elapsed < RetryPolicy().max_retry_after  # the planned wait was not slept


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses(status: int) -> None:
    """Transient statuses are retried only for calls safe to repeat."""
    assert RetryPolicy.should_retry_status(status, Safety.IDEMPOTENT)
    assert not RetryPolicy.should_retry_status(status, Safety.NOT_IDEMPOTENT)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_final_statuses(status: int) -> None:
    """Client errors and 501 are never retried."""
    assert not RetryPolicy.should_retry_status(status, Safety.IDEMPOTENT)


def test_connection_errors() -> None:
    """A creating POST is repeated only when the request never reached the server."""
    assert RetryPolicy.should_retry_connection_error(True, Safety.IDEMPOTENT)
    assert RetryPolicy.should_retry_connection_error(False, Safety.NOT_IDEMPOTENT)
    assert not RetryPolicy.should_retry_connection_error(True, Safety.NOT_IDEMPOTENT)
