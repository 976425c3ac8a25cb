"""The converter: every timestamp format, enums, nulls and zero values, unknown fields, the
samples, error paths, and a fuzz of the structure function users actually call."""

from __future__ import annotations

import types
import typing
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import semaphore_async.models as models
from semaphore_async._converter import Converters, StructureError, parse_timestamp
from semaphore_async._enums import WireEnum
from semaphore_async.models import (
    BlockState,
    JobResult,
    JobState,
    Pipeline,
    PipelineDescription,
    PipelineResult,
    PipelineState,
    TriggeredBy,
    Workflow,
)
from tests.conftest import sample

UTC = timezone.utc
T0 = datetime(2019, 10, 14, 18, 31, 17, 293456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (1571083003, datetime(2019, 10, 14, 19, 56, 43, tzinfo=UTC)),
        ("1571083003", datetime(2019, 10, 14, 19, 56, 43, tzinfo=UTC)),
        (
            {"seconds": 1571063401, "nanos": 559492000},
            datetime(2019, 10, 14, 14, 30, 1, 559492, tzinfo=UTC),
        ),
        ({"seconds": "1571063401", "nanos": 0}, datetime(2019, 10, 14, 14, 30, 1, tzinfo=UTC)),
        ("2019-10-14 18:31:17.293456Z", T0),
        ("2019-10-14T18:31:17.293456Z", T0),
        ("2019-10-14T18:31:17.293456789Z", T0),
        ("2019-10-14T18:31:17.29Z", T0.replace(microsecond=290000)),
        ("2019-10-14T18:31:17Z", T0.replace(microsecond=0)),
        ("2019-10-14T18:31:17", T0.replace(microsecond=0)),
        ("2019-10-14T20:31:17.293456+02:00", T0),
        ("2019-10-14T17:31:17.293456-0100", T0),
        ("2023-06-07T09:24:04.000000Z", datetime(2023, 6, 7, 9, 24, 4, tzinfo=UTC)),
        (1686129844000000, datetime(2023, 6, 7, 9, 24, 4, tzinfo=UTC)),
        ("1686129844000000", datetime(2023, 6, 7, 9, 24, 4, tzinfo=UTC)),
        (1686129844000, datetime(2023, 6, 7, 9, 24, 4, tzinfo=UTC)),
        (1571083003.5, datetime(2019, 10, 14, 19, 56, 43, 500000, tzinfo=UTC)),
        (datetime(2020, 1, 1), datetime(2020, 1, 1, tzinfo=UTC)),
    ],
)
def test_timestamp_formats(wire: Any, expected: datetime) -> None:
    """Every wire format becomes the same aware UTC datetime."""
    parsed = parse_timestamp(wire)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "wire",
    [
        None,
        "",
        0,
        "0",
        {"seconds": 0, "nanos": 0},
        {"seconds": "0", "nanos": "0"},
        {},
        "1970-01-01 00:00:00.000000Z",
        "1970-01-01T00:00:00Z",
    ],
)
def test_unset_timestamps_are_none(wire: Any) -> None:
    """null, "" and every zero sentinel mean 'unset'."""
    assert parse_timestamp(wire) is None


@pytest.mark.parametrize(
    "wire",
    ["yesterday", "2019-13-45 99:99:99Z", {"seconds": "abc"}, [1, 2], True, "12:00", "1e400"],
)
def test_garbage_timestamps_raise(wire: Any) -> None:
    """Garbage raises ValueError, which the converter turns into a field error."""
    with pytest.raises((ValueError, OverflowError)):
        parse_timestamp(wire)


def build(data: Any, model: type[Any]) -> Any:
    """What every call does: the client's converter, raising StructureError with paths."""
    return Converters().structure(data, model)


def test_pipeline_describe_sample() -> None:
    """The reference's detailed describe: lower-case enums, text timestamps, 1970 sentinel."""
    described = build(sample("pipeline_describe_detailed.json"), PipelineDescription)
    pipeline = described.pipeline
    assert pipeline.state == PipelineState.DONE and pipeline.state == "DONE"
    assert pipeline.result is PipelineResult.PASSED
    assert pipeline.created_at == T0
    assert pipeline.stopping_at is None
    assert pipeline.done_at == datetime(2019, 10, 14, 18, 31, 32, 507034, tzinfo=UTC)
    assert [b.name for b in described.blocks] == ["RSpec", "ExUnit"]
    assert described.blocks[0].state is BlockState.DONE
    job = described.blocks[0].jobs[0]
    assert (job.status, job.result, job.index) == (JobState.FINISHED, JobResult.PASSED, 1)


def test_pipeline_list_sample_compares_equal_to_describe() -> None:
    """Upper-case list enums equal lower-case describe enums; {0,0} is None."""
    listed = build(sample("pipeline_list.json"), list[Pipeline])[0]
    assert listed.state == PipelineState.DONE
    assert listed.result is PipelineResult.FAILED
    assert listed.stopping_at is None
    assert listed.created_at == datetime(2019, 10, 14, 18, 14, 3, 537730, tzinfo=UTC)
    assert listed.branch_name == "ms/another-test-branch"


def test_workflow_samples() -> None:
    """Workflow describe (envelope) and list from the reference."""
    wf = build(sample("workflow_describe.json")["workflow"], Workflow)
    assert wf.wf_id == "72c434c4-6589-493d-97cd-22f46681c893"
    assert wf.created_at == datetime(2019, 10, 14, 14, 30, 1, 559492, tzinfo=UTC)
    listed = build(sample("workflow_list.json"), list[Workflow])
    assert [w.branch_name for w in listed] == ["gallery", "gallery"]


@pytest.mark.parametrize(
    ("wire", "member"),
    [
        (1, TriggeredBy.SCHEDULE),
        ("HOOK", TriggeredBy.HOOK),
        ("manual_run", TriggeredBy.MANUAL_RUN),
        (3, TriggeredBy.MANUAL_RUN),
    ],
)
def test_triggered_by_integer_or_name(wire: Any, member: TriggeredBy) -> None:
    """The list's proto number and the describe's name are the same member."""
    assert build({"triggered_by": wire}, Workflow).triggered_by is member


def test_unknown_enum_values_kept() -> None:
    """A value this SDK does not know is kept as a string, never raised."""
    ppl = build({"state": "HIBERNATING", "result": "weird"}, Pipeline)
    assert ppl.state == "HIBERNATING" and not isinstance(ppl.state, PipelineState)
    assert ppl.result == "weird"
    assert build({"triggered_by": 9}, Workflow).triggered_by == "9"


def test_always_sent_fields_take_their_zero_value() -> None:
    """A field the server always sends, arriving null or absent, is its proto zero value
    (never None, never the text "None"); nested models are their zero model."""
    described = build({"pipeline": None, "blocks": None}, PipelineDescription)
    assert described == PipelineDescription(pipeline=Pipeline(), blocks=())
    assert described.pipeline.ppl_id == "" and described.pipeline.queue.type == ""
    nulls = build(
        {"ppl_id": None, "with_after_task": None, "env_vars": None, "queue": None}, Pipeline
    )
    assert (nulls.ppl_id, nulls.with_after_task, nulls.env_vars) == ("", False, ())
    assert nulls.queue == models.Queue()
    assert build({}, Pipeline) == Pipeline()
    job = build({"status": {"agent": None}, "metadata": {"start_time": "0"}}, models.Job)
    assert job.status.agent is None and job.metadata.start_time is None  # really optional
    assert build({"index": "7", "name": 5}, models.BlockJob) == models.BlockJob(index=7, name="5")


def test_state_dependent_fields_stay_optional() -> None:
    """result and result_reason are None until the pipeline is done."""
    running = build({"state": "running"}, Pipeline)
    assert running.result is None and running.result_reason is None


def test_unknown_fields_ignored() -> None:
    """New server fields never break old clients."""
    assert build({"ppl_id": "p", "brand_new": {"x": 1}}, Pipeline).ppl_id == "p"


def test_wrong_types_name_the_field() -> None:
    """A value that cannot fit raises StructureError with the field's path (found by the
    error pass; its result is never used)."""
    with pytest.raises(StructureError) as info:
        build({"pipeline": {"created_at": "not a time"}}, PipelineDescription)
    assert "$.pipeline.created_at" in str(info.value)
    with pytest.raises(StructureError) as info2:
        build({"blocks": [{"jobs": [{"index": "one"}]}]}, PipelineDescription)
    assert "$.blocks[0].jobs[0].index" in str(info2.value)
    with pytest.raises(StructureError) as info3:
        build({"blocks": [{"jobs": "not a list"}]}, PipelineDescription)
    assert "$.blocks[0].jobs" in str(info3.value)
    with pytest.raises(StructureError):
        build(["not", "an", "object"], Pipeline)
    not_objects: list[Any] = ["text", [], 3]
    for not_an_object in not_objects:
        # Never an empty model in its place: the field is named.
        with pytest.raises(StructureError) as info4:
            build({"pipeline": not_an_object}, PipelineDescription)
        assert "@ $.pipeline" in str(info4.value)
    with pytest.raises(StructureError) as info5:
        build({"blocks": ["not a block"]}, PipelineDescription)
    assert "$.blocks[0]" in str(info5.value)


def test_models_are_frozen() -> None:
    """Models cannot be mutated."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Pipeline(ppl_id="a").ppl_id = "b"  # type: ignore[misc]


# --- a fuzz of the public structure function ---------------------------------------------

MODELS = sorted(
    (obj for obj in vars(models).values() if isinstance(obj, type) and attrs.has(obj)),
    key=lambda cls: cls.__name__,
)
_TIMES: list[Any] = [
    "2019-10-14 18:31:20.232006Z",
    "2019-10-14T20:31:17+02:00",
    "1970-01-01 00:00:00.000000Z",
    1571083003,
    "1571083003",
    {"seconds": 1, "nanos": 0},
    "",
    "0",
]


def _values(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    """Values the wire may send for a field of type ``tp``: good ones, nulls, and wrong
    ones (which must raise StructureError, never anything else)."""
    wrong = st.sampled_from([["x"], {"a": 1}, "garbage", 1.5, True])
    # _conforms takes the text "None" for a null turned into text; the wire never sends
    # that literal, so the fuzz does not either.
    text = st.text(max_size=8).filter(lambda t: t != "None")
    args = typing.get_args(tp)
    inner = [a for a in args if a is not type(None)]
    if tp is str or tp == (str | None):
        good: st.SearchStrategy[Any] = st.one_of(text, st.integers())
    elif tp is int or tp == (int | None):
        good = st.one_of(st.integers(-(2**40), 2**40), st.integers(0, 999).map(str))
    elif tp is bool or tp == (bool | None):
        good = st.sampled_from([True, False, "true", "false"])
    elif tp == (datetime | None):
        good = st.sampled_from(_TIMES)
    elif any(isinstance(a, type) and issubclass(a, WireEnum) for a in args):
        enum = next(a for a in args if isinstance(a, type) and issubclass(a, WireEnum))
        good = st.one_of(
            st.sampled_from([m.value for m in enum] + [m.value.lower() for m in enum]),
            text,
        )
    elif len(inner) == 1 and type(None) in args:  # Optional[X]: X's values, or null
        good = _values(inner[0], depth)
    elif typing.get_origin(tp) is tuple:
        good = st.lists(_values(args[0], depth + 1), max_size=3) if depth < 3 else st.just([])
    elif typing.get_origin(tp) in (typing.Mapping, dict) or str(tp).startswith(
        "collections.abc.Mapping"
    ):
        good = st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2)
    elif attrs.has(tp) or any(attrs.has(a) for a in inner):
        cls = tp if attrs.has(tp) else next(a for a in inner if attrs.has(a))
        good = _objects(cls, depth + 1) if depth < 3 else st.just({})
    else:  # pragma: no cover - a new field type: teach the fuzz about it
        raise AssertionError(f"no strategy for {tp!r}")
    return st.one_of(good, st.none(), wrong) if depth < 3 else st.one_of(good, st.none())


def _objects(cls: type, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    attrs.resolve_types(cls)
    fields = {f.name: _values(f.type, depth) for f in attrs.fields(cls)}
    return st.fixed_dictionaries({}, optional=fields)


def _conforms(value: Any, tp: Any) -> bool:
    """Whether ``value`` has the declared type ``tp`` (the oracle of the fuzz)."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return any(_conforms(value, a) for a in args)
    if tp is type(None):
        return value is None
    if tp is str:
        return isinstance(value, str) and value != "None"
    if tp is bool:
        return type(value) is bool
    if tp is int:
        return type(value) is int
    if tp is datetime:
        return isinstance(value, datetime) and value.utcoffset() == timedelta(0)
    if isinstance(tp, type) and issubclass(tp, WireEnum):
        return isinstance(value, tp)
    if typing.get_origin(tp) is tuple:
        return isinstance(value, tuple) and all(_conforms(v, args[0]) for v in value)
    if typing.get_origin(tp) is not None and "Mapping" in str(typing.get_origin(tp)):
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )
    if attrs.has(tp):
        return isinstance(value, tp) and all(
            _conforms(getattr(value, f.name), f.type) for f in attrs.fields(tp)
        )
    raise AssertionError(f"no check for {tp!r}")  # pragma: no cover


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_structure_fuzz(cls: type, data: st.DataObject) -> None:
    """For every model, over good, odd, null and wrong wire values: the structure
    function every call uses either builds a model whose every field has its declared
    type (always-sent ones never None) or raises StructureError naming a path."""
    wire = data.draw(_objects(cls))
    built: Any = None
    errors: list[str] = []
    try:
        built = Converters().structure(wire, cls)
    except StructureError as exc:
        errors = exc.errors
        assert errors
    if errors:
        assert all("@ $" in error for error in errors), errors
    else:
        assert _conforms(built, cls), (wire, built)
