"""Hostile input, property-based: random JSON shaped like each model either builds the
model or raises DecodeError naming the field; hostile ids stay one path segment."""

from __future__ import annotations

import types
import typing
from datetime import datetime
from typing import Any
from urllib.parse import unquote

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import semaphore_async.models as models
from semaphore_async._converter import StructureError, make_converter, structure
from semaphore_async._enums import WireEnum
from semaphore_async._paths import segment

MODELS = [value for name in models.__all__ if attrs.has(value := getattr(models, name))]
CONVERTER = make_converter()

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
timestamps = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**62),
    st.integers(min_value=0, max_value=2**40).map(str),
    st.fixed_dictionaries({"seconds": st.integers(0, 2**35), "nanos": st.integers(0, 999_999_999)}),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%fZ")),
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.sampled_from(["", "0", "1970-01-01 00:00:00.000000Z", "not a time", "2019-13-45 99:99:99Z"]),
    st.just({"seconds": 0, "nanos": 0}),
)


def shaped(model: type, depth: int = 0) -> st.SearchStrategy[Any]:
    """Objects with the model's field names (some missing, some unknown), each value
    of the right kind, or null, or anything at all."""
    hints = typing.get_type_hints(model)
    fields = {}
    for field in attrs.fields(model):
        fields[field.name] = st.one_of(st.none(), json_value, value_for(hints[field.name], depth))
    return st.fixed_dictionaries({}, optional=fields).flatmap(
        lambda obj: st.dictionaries(st.text(max_size=6), json_value, max_size=2).map(
            lambda extra: {**extra, **obj}
        )
    )


def value_for(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(value_for(a, depth) for a in args))
    if tp is datetime:
        return timestamps
    if isinstance(tp, type) and issubclass(tp, WireEnum):
        members = [m.value for m in tp]
        return st.sampled_from([*members, *(m.lower() for m in members), "UNKNOWN_NEW", 7])
    if origin is tuple:
        return st.lists(value_for(args[0], depth + 1), max_size=3)
    if attrs.has(tp):
        return shaped(tp, depth + 1) if depth < 3 else st.just({})
    if tp is bool:
        return st.sampled_from([True, False, "true", "false", "maybe", 2])
    if tp is int:
        return st.one_of(st.integers(), st.text(max_size=4))
    if tp is str:
        return st.one_of(st.text(max_size=10), st.integers())
    return json_value


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_model_builds_or_names_the_field(data: st.DataObject) -> None:
    """Only two outcomes: a model, or StructureError (DecodeError in the client) with a
    JSON path. Never a TypeError, KeyError or a crash."""
    for model in MODELS:
        value = data.draw(st.one_of(shaped(model), json_value), label=model.__name__)
        outcome = _build(model, value)
        if isinstance(outcome, StructureError):
            assert outcome.errors and all("@ $" in e for e in outcome.errors), outcome.errors
        else:
            assert isinstance(outcome, model)


def _build(model: type, value: Any) -> object:
    try:
        return structure(CONVERTER, value, model)
    except StructureError as exc:  # anything else propagates and fails the test
        return exc


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda s: s not in (".", "..") and s.strip()))
def test_any_id_is_exactly_one_segment(value: str) -> None:
    """Whatever the id (/, .., %, spaces, unicode), it encodes to one segment that
    decodes back to itself."""
    encoded = segment(value)
    assert "/" not in encoded and "?" not in encoded and "#" not in encoded
    assert unquote(encoded) == value
