"""Path parameters become exactly one encoded segment."""

from __future__ import annotations

import uuid

import pytest

from semaphore_async import InvalidArgumentError
from semaphore_async._paths import path, segment


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("72c434c4-6589-493d-97cd-22f46681c893", "72c434c4-6589-493d-97cd-22f46681c893"),
        ("a/b", "a%2Fb"),
        ("../projects", "..%2Fprojects"),
        ("100%", "100%25"),
        ("with space", "with%20space"),
        ("naïve-ü", "na%C3%AFve-%C3%BC"),
        ("a?b#c", "a%3Fb%23c"),
        ("...", "..."),
    ],
)
def test_segment_encoding(value: object, encoded: str) -> None:
    """No character that could end a segment or start a query survives unencoded."""
    assert segment(value) == encoded
    assert "/" not in segment(value)


@pytest.mark.parametrize("value", [".", "..", "", " ", "\t\n"])
def test_dot_empty_and_blank_segments_refused(value: str) -> None:
    """. and .. could climb the path; empty or blank would hit the list endpoint."""
    with pytest.raises(InvalidArgumentError, match=r"dot segment|empty or only whitespace"):
        segment(value)


@pytest.mark.parametrize("value", [None, 1.5, True, b"bytes", 42, uuid.UUID(int=1)])
def test_non_str_ids_refused(value: object) -> None:
    """Only str is an id: 42 or a UUID object is refused (with a hint to pass str())
    rather than quietly sent."""
    with pytest.raises(InvalidArgumentError, match="must be a str") as info:
        segment(value)
    assert isinstance(info.value, ValueError)
    if isinstance(value, (int, uuid.UUID)) and not isinstance(value, bool):
        assert "pass str(" in str(info.value)


def test_template() -> None:
    """Every field of a template is encoded."""
    assert path("/a/{x}/b/{y}", x="1/2", y="..a") == "/a/1%2F2/b/..a"
