"""The converter: every timestamp format, enums, nulls, unknown fields, and the samples."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from semaphore_async._converter import StructureError, make_converter, parse_timestamp, structure
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


def test_pipeline_describe_sample() -> None:
    """The reference's detailed describe: lower-case enums, text timestamps, 1970 sentinel."""
    described = structure(
        make_converter(), sample("pipeline_describe_detailed.json"), PipelineDescription
    )
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


def test_wrong_types_name_the_field() -> None:
    """A value that cannot fit raises StructureError with the field's path."""
    with pytest.raises(StructureError) as info:
        structure(make_converter(), {"pipeline": {"created_at": "not a time"}}, PipelineDescription)
    assert "$.pipeline.created_at" in str(info.value)
    with pytest.raises(StructureError) as info2:
        structure(make_converter(), {"blocks": [{"jobs": [{"index": "one"}]}]}, PipelineDescription)
    assert "$.blocks[0].jobs[0].index" in str(info2.value)
    with pytest.raises(StructureError):
        structure(make_converter(), ["not", "an", "object"], Pipeline)


def test_models_are_frozen() -> None:
    """Models cannot be mutated."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Pipeline(ppl_id="a").ppl_id = "b"  # type: ignore[misc]
