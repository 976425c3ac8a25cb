"""Path parameters become exactly one encoded segment."""

from __future__ import annotations

import uuid

import pytest

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
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (42, "42"),
    ],
)
def test_segment_encoding(value: object, encoded: str) -> None:
    """No character that could end a segment or start a query survives unencoded."""
    assert segment(value) == encoded
    assert "/" not in segment(value)


@pytest.mark.parametrize("value", [".", "..", ""])
def test_dot_and_empty_segments_refused(value: str) -> None:
    """. and .. could climb the path; empty would hit the list endpoint."""
    with pytest.raises(ValueError, match=r"path parameter|must not be empty"):
        segment(value)


@pytest.mark.parametrize("value", [None, 1.5, True, b"bytes"])
def test_wrong_types_refused(value: object) -> None:
    """Only str, int and UUID are ids."""
    with pytest.raises(TypeError):
        segment(value)


def test_template() -> None:
    """Every field of a template is encoded."""
    assert path("/a/{x}/b/{y}", x="1/2", y="..a") == "/a/1%2F2/b/..a"
