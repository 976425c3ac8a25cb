"""Job logs on the wire: the events model, decoding errors, the artifact copy, plain_logs."""

from __future__ import annotations

import gzip
import pickle
from datetime import datetime, timezone

import msgspec
import pytest

import semaphore_async as sa
from semaphore_async import AsyncClient
from semaphore_async.models import LogEvent
from tests.conftest import API, ORIGIN, TOKEN, Wire, calls, split

UTC = timezone.utc
JOB = "bc8826bd-dbb2-4d28-8c90-7f370ce478fe"


def test_log_event_is_a_frozen_value() -> None:
    """Like every model: frozen, equal and hashed by value, keyword construction."""
    event = LogEvent(event="cmd_output", timestamp=datetime(2024, 1, 1, tzinfo=UTC), output="x")
    with pytest.raises(AttributeError):
        event.output = "y"  # type: ignore[misc]
    same = LogEvent(event="cmd_output", timestamp=datetime(2024, 1, 1, tzinfo=UTC), output="x")
    assert event == same and hash(event) == hash(same)
    assert event != msgspec.structs.replace(event, output="y")
    assert pickle.loads(pickle.dumps(event)) == event
    assert repr(event).startswith("LogEvent(event='cmd_output', timestamp=datetime.datetime(2024")
    with pytest.raises(TypeError):
        LogEvent("cmd_output")  # type: ignore[call-arg]  # keywords only, as the other models


async def test_every_event_shape_decodes(wire: Wire, client: AsyncClient) -> None:
    """The agent's five event kinds, an unknown kind, unknown fields and nulls."""
    wire.get(
        f"{API}/logs/{JOB}",
        body=(
            b'{ "events": [{"event":"job_started","timestamp":1700000000},'
            b'{"event":"cmd_started","timestamp":1700000001,"directive":"make"},'
            b'{"event":"cmd_output","timestamp":1700000001,"output":"ok\\n","extra":1},'
            b'{"event":"cmd_finished","timestamp":1700000002,"directive":"make",'
            b'"exit_code":2,"started_at":1700000001,"finished_at":1700000002},'
            b'{"event":"job_finished","timestamp":1700000003,"result":"failed"},'
            b'{"event":"cmd_paused","timestamp":"1700000004","directive":null}] }'
        ),
    )
    events = [e async for e in client.jobs.log_events(JOB)]

    def at(seconds: int) -> datetime:
        return datetime.fromtimestamp(seconds, UTC)

    assert events == [
        LogEvent(event="job_started", timestamp=at(1700000000)),
        LogEvent(event="cmd_started", timestamp=at(1700000001), directive="make"),
        LogEvent(event="cmd_output", timestamp=at(1700000001), output="ok\n"),
        LogEvent(
            event="cmd_finished",
            timestamp=at(1700000002),
            directive="make",
            exit_code=2,
            started_at=at(1700000001),
            finished_at=at(1700000002),
        ),
        LogEvent(event="job_finished", timestamp=at(1700000003), result="failed"),
        LogEvent(event="cmd_paused", timestamp=at(1700000004)),
    ]
    assert events[0].timestamp is not None and events[0].timestamp.tzinfo == UTC


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b'{ "events": [{"event":"job_started"},{"event": ] }', "not valid JSON"),
        (b"", "not valid JSON"),
        (b'"This job never started"', r"the log does not fit: Expected `object`, got `str`"),
        (
            b'{ "events": [{"event":"job_started"},{"event":"cmd_finished","exit_code":"x"}] }',
            r"Expected `int \| null`, got `str` - at `\$\.events\[1\]\.exit_code`",
        ),
        (b'{ "events": [{"event":"cmd_output","output":7}] }', r"at `\$\.events\[0\]\.output`"),
        (b'{ "events": 3 }', r"at `\$\.events`"),
    ],
)
async def test_a_log_that_does_not_fit_is_a_decode_error(
    wire: Wire, client: AsyncClient, body: bytes, match: str
) -> None:
    """Bad JSON or a wrong field type raises DecodeError naming the field, from both
    log_events and plain_log."""
    wire.get(f"{API}/logs/{JOB}", body=body, repeat=True)
    with pytest.raises(sa.DecodeError, match=match) as info:
        [e async for e in client.jobs.log_events(JOB)]
    assert info.value.status == 200 and TOKEN not in str(info.value)
    with pytest.raises(sa.DecodeError, match=match):
        await client.jobs.plain_log(JOB)


async def test_plain_log_joins_directives_and_output(wire: Wire, client: AsyncClient) -> None:
    """Directives each on a line, output as written, other events skipped."""
    wire.get(
        f"{API}/logs/{JOB}",
        payload={
            "events": [
                {"event": "job_started", "timestamp": 1},
                {"event": "cmd_started", "timestamp": 1, "directive": "echo a"},
                {"event": "cmd_output", "timestamp": 1, "output": "\x1b[32ma\x1b[0m\n"},
                {"event": "cmd_output", "timestamp": 1, "output": "partial"},
                {"event": "cmd_finished", "timestamp": 2, "directive": "echo a", "exit_code": 0},
                {"event": "cmd_started", "timestamp": 2, "directive": "true"},
                {"event": "job_finished", "timestamp": 3, "result": "passed"},
            ]
        },
    )
    assert await client.jobs.plain_log(JOB) == "echo a\n\x1b[32ma\x1b[0m\npartialtrue\n"


@pytest.mark.parametrize("compressed", [False, True], ids=["txt", "txt.gz"])
async def test_plain_log_from_the_artifact_copy(
    wire: Wire, client: AsyncClient, compressed: bool
) -> None:
    """artifact_job_logs=true: the server's 302 to a signed URL is followed without the
    API token; the server's .txt.gz fallback is decompressed."""
    text = "checkout\nhello ✓\n"
    stored = gzip.compress(text.encode()) if compressed else text.encode()
    signed = f"{ORIGIN}/storage/agent/job_logs.txt?sig=S"
    wire.get(f"{API}/logs/{JOB}?artifact_job_logs=true", status=302, headers={"Location": signed})
    wire.get(signed, body=stored)
    assert await client.jobs.plain_log(JOB, artifact_job_logs=True) == text
    first, second = calls(wire)
    assert split(first[1])[1] == {"artifact_job_logs": "true"}
    assert first[2]["headers"]["Authorization"] == f"Token {TOKEN}"
    assert "Authorization" not in second[2]["headers"]


async def test_plain_log_flag_is_checked(wire: Wire, client: AsyncClient) -> None:
    with pytest.raises(sa.InvalidArgumentError, match="artifact_job_logs must be True or False"):
        await client.jobs.plain_log(JOB, artifact_job_logs="yes")  # type: ignore[arg-type]
    assert calls(wire) == []
