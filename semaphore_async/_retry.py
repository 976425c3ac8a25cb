"""When to retry, and how long to wait: a small policy written as pure functions.

Backoff is exponential with *full jitter* and a cap::

    delay(attempt) = uniform(0, min(max_delay, initial_delay * 2 ** (attempt - 1)))

for ``attempt = 1, 2, ...`` (the exponent is clamped, so a huge attempt number cannot
overflow). A ``Retry-After`` header (delta-seconds or an HTTP date) replaces the
computed delay, clamped to ``[0, max_retry_after]``, so a hostile or confused server
cannot park a client for an hour.

What is retried: connection errors and the statuses 408, 429, 500, 502, 503, 504, and
only for calls that are safe to repeat. Safety follows the method (:meth:`Safety.of`):
GET, HEAD, PUT, DELETE and OPTIONS are idempotent, POST and PATCH are not, unless the
call declares otherwise (it carries an idempotency token, or repeating it is harmless,
as with stopping a pipeline). A call that is not idempotent is retried only when the
connection was refused before anything was sent (``APIConnectionError.reached_server``
is ``False``).

:func:`set_testing` turns every wait into zero, for test suites.
"""

from __future__ import annotations

import enum
import math
import random
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Final

import attrs

__all__ = [
    "RETRY_STATUSES",
    "RetryPolicy",
    "Safety",
    "is_testing",
    "parse_retry_after",
    "set_testing",
]

RETRY_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})

_testing = False


def set_testing(testing: bool) -> None:
    """Skip every retry wait (``True``) or restore real waits (``False``).

    For test suites that exercise retries against the emulator; the number of attempts
    is unchanged, only the sleeping goes away (the ``semaphore_async`` logger still says
    how long each wait would have been).
    """
    global _testing
    _testing = bool(testing)


def is_testing() -> bool:
    """Whether :func:`set_testing` turned waits off."""
    return _testing


_IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class Safety(enum.Enum):
    """How safely a call can be repeated after a failure."""

    IDEMPOTENT = "idempotent"
    """Repeat on any retryable failure: GET and friends, a call carrying an idempotency
    token, or an action that does no harm twice."""
    NOT_IDEMPOTENT = "not-idempotent"
    """Repeat only if the request provably never reached the server."""

    @staticmethod
    def of(method: str) -> Safety:
        """The safety a method has unless its call declares otherwise (RFC 9110 §9.2.2):
        GET, HEAD, PUT, DELETE, OPTIONS are idempotent; POST and PATCH are not."""
        return Safety.IDEMPOTENT if method.upper() in _IDEMPOTENT_METHODS else Safety.NOT_IDEMPOTENT


@attrs.frozen
class RetryPolicy:
    """The backoff parameters; see the module docstring for the formula."""

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based). The wait is
        skipped, not shortened, under :func:`set_testing`: this still says how long."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        exponent = min(max(attempt - 1, 0), 32)
        return random.uniform(0.0, min(self.max_delay, self.initial_delay * 2.0**exponent))

    @staticmethod
    def should_retry_status(status: int, safety: Safety) -> bool:
        """A retryable status is retried only for calls that are safe to repeat."""
        return safety is Safety.IDEMPOTENT and status in RETRY_STATUSES

    @staticmethod
    def should_retry_connection_error(reached_server: bool, safety: Safety) -> bool:
        """Any connection error for safe calls; only a refused connection for the others."""
        return safety is Safety.IDEMPOTENT or not reached_server


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header into seconds, or ``None`` if absent or unreadable.

    Accepts delta-seconds (``"120"``, also ``"1.5"``) and HTTP dates
    (``"Wed, 21 Oct 2015 07:28:00 GMT"``, RFC 9110 §10.2.3). Negative values and dates in
    the past give ``0.0``; ``inf``, ``nan`` and garbage give ``None`` (the computed
    backoff is used instead). Huge values are returned as they are; the policy clamps.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isnan(seconds) or math.isinf(seconds):
            return None
        return max(seconds, 0.0)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max((when - current).total_seconds(), 0.0)
