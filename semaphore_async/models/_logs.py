"""Job log events (``/api/v1alpha/logs/:job_id``), the one model that is not attrs.

Server: the agent's event writer, relayed as raw strings by
``public-api/v1alpha/lib/pipelines_api/logs/get.ex`` (cloud jobs) and by
``loghub2/pkg/publicapi/server.go`` (self-hosted jobs).

A log holds up to hundreds of thousands of events, and reading logs is what triage
tools do most. On the bench's 100,000-event log (``nox -s bench``), building attrs
models costs about 1 µs an event, over three times decoding the log; even a hand-written
slotted class stays near 1.45 times. ``msgspec`` decodes the body straight into
these frozen structs, validating every field in C, in less time than ``orjson`` takes to
build plain dicts, so the events are typed and checked and still cost less than the
raw JSON. The struct behaves like the other models: frozen, compared and hashed by
value, keyword construction, and ``msgspec.structs.replace`` for ``attrs.evolve``.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

__all__ = ["LogEvent"]


class LogEvent(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One event of a job's log.

    ``event`` is ``job_started``, ``cmd_started``, ``cmd_output``, ``cmd_finished`` or
    ``job_finished`` (an event kind the SDK does not know is kept as its string); the
    fields an event kind does not carry are ``None``: ``directive`` on commands,
    ``output`` on output, ``exit_code``, ``started_at`` and ``finished_at`` on a finished
    command, ``result`` on the finished job. Timestamps are the agent's epoch seconds,
    as aware UTC ``datetime`` objects.
    """

    event: str = ""
    timestamp: datetime | None = None
    directive: str | None = None
    output: str | None = None
    exit_code: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: str | None = None
