"""The converter: every timestamp format, enums, nulls, unknown fields, and the samples."""

from __future__ import annotations

import typing
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

import semaphore_async.models as models
from semaphore_async._converter import (
    Converters,
    StructureError,
    make_converter,
    parse_timestamp,
    plain_model,
    structure,
)
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


LEAN_AND_DETAILED = pytest.mark.parametrize(
    "build",
    [
        pytest.param(Converters().structure, id="lean"),
        pytest.param(lambda data, model: structure(make_converter(), data, model), id="detailed"),
    ],
)


@LEAN_AND_DETAILED
def test_pipeline_describe_sample(build: Any) -> None:
    """The reference's detailed describe: lower-case enums, text timestamps, 1970 sentinel."""
    described = build(sample("pipeline_describe_detailed.json"), PipelineDescription)
    pipeline = described.pipeline
    assert pipeline is not None
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
    listed = structure(make_converter(), sample("pipeline_list.json"), list[Pipeline])[0]
    assert listed.state == PipelineState.DONE
    assert listed.result is PipelineResult.FAILED
    assert listed.stopping_at is None
    assert listed.created_at == datetime(2019, 10, 14, 18, 14, 3, 537730, tzinfo=UTC)
    assert listed.branch_name == "ms/another-test-branch"


def test_workflow_samples() -> None:
    """Workflow describe (envelope) and list from the reference."""
    converter = make_converter()
    wf = structure(converter, sample("workflow_describe.json")["workflow"], Workflow)
    assert wf.wf_id == "72c434c4-6589-493d-97cd-22f46681c893"
    assert wf.created_at == datetime(2019, 10, 14, 14, 30, 1, 559492, tzinfo=UTC)
    listed = structure(converter, sample("workflow_list.json"), list[Workflow])
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
    assert structure(make_converter(), {"triggered_by": wire}, Workflow).triggered_by is member


def test_unknown_enum_values_kept() -> None:
    """A value this SDK does not know is kept as a string, never raised."""
    ppl = structure(make_converter(), {"state": "HIBERNATING", "result": "weird"}, Pipeline)
    assert ppl.state == "HIBERNATING" and not isinstance(ppl.state, PipelineState)
    assert ppl.result == "weird"
    assert structure(make_converter(), {"triggered_by": 9}, Workflow).triggered_by == "9"


def test_nulls_and_missing_fields() -> None:
    """null anywhere and missing fields give None, and () for lists."""
    converter = make_converter()
    described = structure(converter, {"pipeline": None, "blocks": None}, PipelineDescription)
    assert described == PipelineDescription(pipeline=None, blocks=())
    assert structure(converter, {}, Pipeline) == Pipeline()
    block_with_null_jobs = {"pipeline": {}, "blocks": [{"name": "b", "jobs": None}]}
    assert structure(converter, block_with_null_jobs, PipelineDescription).blocks[0].jobs == ()


def test_unknown_fields_ignored() -> None:
    """New server fields never break old clients."""
    ppl = structure(make_converter(), {"ppl_id": "p", "brand_new": {"x": 1}}, Pipeline)
    assert ppl.ppl_id == "p"


@LEAN_AND_DETAILED
def test_wrong_types_name_the_field(build: Any) -> None:
    """A value that cannot fit raises StructureError with the field's path (the lean
    path fails and the detailed converter re-runs to name it)."""
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
        assert "Pipeline" in str(info4.value) and "@ $.pipeline" in str(info4.value)
    with pytest.raises(StructureError) as info5:
        build({"blocks": ["not a block"]}, PipelineDescription)
    assert "$.blocks[0]" in str(info5.value)


# --- the lean path's generated functions agree with cattrs' own ---------------------------

MODELS = sorted(
    (obj for obj in vars(models).values() if isinstance(obj, type) and attrs.has(obj)),
    key=lambda cls: cls.__name__,
)


def test_every_model_gets_a_generated_lean_function() -> None:
    """Every model is plain, so the hot path never falls back to cattrs' generic code."""
    lean = Converters().fast
    assert len(MODELS) > 50
    for cls in MODELS:
        assert plain_model(cls), cls
        hook = lean.get_structure_hook(cls)
        assert hook.__code__.co_filename.startswith("<semaphore_async structure"), cls


def test_plain_model_refuses_what_skipping_init_would_break() -> None:
    """A validator, a converter, a factory default, a post-init or a non-slotted class
    would be skipped or broken by filling slots directly: those go to cattrs."""

    @attrs.frozen
    class Validated:
        x: int = attrs.field(default=0, validator=attrs.validators.ge(0))

    @attrs.frozen
    class Converted:
        x: int = attrs.field(default=0, converter=int)

    @attrs.frozen
    class Factory:
        x: list[int] = attrs.Factory(list)

    @attrs.frozen
    class PostInit:
        x: int = 0

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.frozen(slots=False)
    class NoSlots:
        x: int = 0

    @attrs.frozen
    class Plain:
        x: int | None = None

    for cls in (Validated, Converted, Factory, PostInit, NoSlots):
        assert not plain_model(cls), cls
    assert plain_model(Plain)
    with pytest.raises(StructureError):
        Converters().structure({"x": -1}, Validated)


_TIMES = [
    "2019-10-14 18:31:20.232006Z",
    "2019-10-14T20:31:17+02:00",
    "2019-10-14T18:31:17.293456789Z",
    "1970-01-01 00:00:00.000000Z",
    1571083003,
    {"seconds": 1, "nanos": 0},
    "",
    "garbage",
    True,
]


def _wire_values(tp: Any, depth: int) -> list[Any]:
    """Values the wire may send for a field of type ``tp``: good, odd and wrong ones."""
    if tp == (str | None):
        return ["text", 5, None, ["x"]]
    if tp == (int | None):
        return [3, "4", True, None, "four"]
    if tp == (bool | None):
        return [True, "false", 1, None, "maybe"]
    if tp == (datetime | None):
        return [*_TIMES, None]
    args = typing.get_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, WireEnum)]
    if enums:
        first = next(iter(enums[0]))
        return [first.value, first.value.lower(), "SOMETHING_NEW", 0, None, {"a": 1}]
    if typing.get_origin(tp) is tuple:
        item = args[0]
        good = _wire_values(item, depth + 1)[:1] if depth < 2 else []
        return [good, None, [], "not a list", {}, {"a": 1}]
    nested = [a for a in args if attrs.has(a)]
    if nested:
        inner = _wire_object(nested[0], depth + 1) if depth < 2 else {}
        return [inner, None, "text", [], {}]
    if attrs.has(tp):
        return [_wire_object(tp, depth + 1) if depth < 2 else {}, "text", []]
    return [{"a": "b"}, None, {"a": 1}]


def _wire_object(cls: type, depth: int = 0) -> dict[str, Any]:
    return {f.name: _wire_values(f.type, depth)[0] for f in attrs.fields(cls)}


def _outcome(build: Any, data: Any, cls: type) -> str:
    try:
        return repr(build(data, cls))  # repr tells an enum member from its string
    except Exception as exc:  # either path may raise anything; compare the outcome
        return f"raised {type(exc).__name__}"


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_lean_path_agrees_with_cattrs(cls: type) -> None:
    """For every model and every field, good, odd and wrong wire values: whenever the
    lean generated function returns, it returns what cattrs' detailed converter builds,
    and the public path raises exactly when the detailed one does. The fast path changes
    speed, never results."""
    converters = Converters()
    lean = converters.fast.get_structure_hook(cls)
    detailed = converters.detailed.structure
    attrs.resolve_types(cls)
    base = _wire_object(cls)
    cases = [base, {}]
    for field in attrs.fields(cls):
        for value in _wire_values(field.type, 0):
            cases.append({**base, field.name: value})
        cases.append({k: v for k, v in base.items() if k != field.name})
    lean_built = 0
    for data in cases:
        expected = _outcome(detailed, data, cls)
        got = _outcome(lean, data, cls)
        # Where the lean function raises, Converters re-runs the detailed converter, so
        # what the caller gets is the detailed outcome either way.
        if not got.startswith("raised"):
            assert got == expected, data
            lean_built += 1
        assert _outcome(converters.structure, data, cls).startswith("raised") == (
            expected.startswith("raised")
        ), data
    assert lean_built > len(attrs.fields(cls))  # the good values took the lean path


def test_models_are_frozen() -> None:
    """Models cannot be mutated."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Pipeline(ppl_id="a").ppl_id = "b"  # type: ignore[misc]
