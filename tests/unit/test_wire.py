"""Exact wire details of workflows and pipelines, pinned through the transport seam."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest

from semaphore_async import AsyncClient, InvalidArgumentError
from semaphore_async.models import PipelineState, WorkflowRerun, WorkflowRun
from tests.conftest import API, TOKEN, Wire, calls, only_call, sample, sent_json, split

WF_ID = "72c434c4-6589-493d-97cd-22f46681c893"
PPL_ID = "6cf4569c-f76c-4dea-b293-3e4282ba1153"
PROJECT = "adaede30-9de5-471f-9f95-b7d437170f10"


def assert_common_headers(kwargs: dict[str, Any], *, json_body: bool) -> None:
    headers = kwargs["headers"]
    assert headers["Authorization"] == f"Token {TOKEN}"
    assert headers["User-Agent"].startswith("SemaphoreCI v2.0 Client semaphore-async/")
    assert headers["Accept"] == "application/json"
    assert ("Content-Type" in headers) is json_body
    if json_body:
        assert headers["Content-Type"] == "application/json"
    assert not any(name.lower().startswith("x-semaphore") for name in headers)


async def test_workflows_run(wire: Wire, client: AsyncClient) -> None:
    """POST plumber-workflows with a JSON body and Content-Type; parses the reference answer."""
    wire.post(f"{API}/plumber-workflows", payload=sample("workflow_run.json"))
    run = await client.workflows.run(
        PROJECT,
        "refs/heads/main",
        commit_sha="abc",
        pipeline_file=".semaphore/deploy.yml",
        parameters={"DEPLOY_ENV": "staging"},
    )
    assert run == WorkflowRun(
        workflow_id="32a689e0-9082-4c5b-a648-bb3dc645452d",
        pipeline_id="2abeb1a9-eb4a-4834-84b8-cb7806aec063",
    )
    method, url, kwargs = only_call(wire)
    assert (method, url) == ("POST", f"{API}/plumber-workflows")
    assert sent_json(kwargs) == {
        "project_id": PROJECT,
        "reference": "refs/heads/main",
        "commit_sha": "abc",
        "pipeline_file": ".semaphore/deploy.yml",
        "parameters": {"DEPLOY_ENV": "staging"},
    }
    assert_common_headers(kwargs, json_body=True)


async def test_workflows_get_removes_envelope(wire: Wire, client: AsyncClient) -> None:
    """GET plumber-workflows/:id returns the workflow, not {"workflow": ...}."""
    wire.get(f"{API}/plumber-workflows/{WF_ID}", payload=sample("workflow_describe.json"))
    wf = await client.workflows.get(WF_ID)
    assert wf.wf_id == WF_ID and wf.branch_name == "master"
    method, url, kwargs = only_call(wire)
    assert (method, url, kwargs["data"]) == ("GET", f"{API}/plumber-workflows/{WF_ID}", None)
    assert_common_headers(kwargs, json_body=False)


async def test_workflows_list_query(wire: Wire, client: AsyncClient) -> None:
    """GET plumber-workflows?project_id=&branch_name=; a bare array without link is one page."""
    wire.get(re.compile(rf"{re.escape(API)}/plumber-workflows\?.*"), body=b'[{"wf_id": "w1"}]')
    wfs = await client.workflows.list(
        PROJECT,
        branch_name="feat/x y",
        requester_id="u1",
        label="v1.2",
        created_after=datetime(2024, 1, 2, 3, 4, 5),  # naive means UTC
        created_before=1704164700,
        page_size=50,
    ).collect()
    assert [w.wf_id for w in wfs] == ["w1"]
    _, url, _ = only_call(wire)
    assert split(url) == (
        f"{API}/plumber-workflows",
        {
            "project_id": PROJECT,
            "branch_name": "feat/x y",
            "requester_id": "u1",
            "label": "v1.2",
            "created_after": "1704164645",
            "created_before": "1704164700",
            "page_size": "50",
        },
    )


async def test_workflows_rerun_token(wire: Wire, client: AsyncClient) -> None:
    """POST .../reschedule?request_token=<uuid4> generated when not given."""
    wire.post(re.compile(r".*/reschedule\?request_token=.*"), payload=sample("workflow_rerun.json"))
    rerun = await client.workflows.rerun(WF_ID)
    assert rerun == WorkflowRerun(
        wf_id="965d3c3d-bbe6-4ff7-b62a-1ff51a92bdc0", ppl_id="6cf4569c-f76c-4dea-b293-3e4282ba1153"
    )
    _, url, kwargs = only_call(wire)
    assert re.fullmatch(
        rf"{re.escape(API)}/plumber-workflows/{WF_ID}/reschedule\?request_token="
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        url,
    )
    assert kwargs["data"] is None


async def test_workflows_rerun_token_reused_on_retry(wire: Wire, client: AsyncClient) -> None:
    """A retried rerun sends the same request_token every time."""
    pattern = re.compile(r".*/reschedule\?request_token=.*")
    wire.post(pattern, status=503, body=b"upstream connect error")
    wire.post(pattern, status=502)
    wire.post(pattern, payload={"wf_id": "w", "ppl_id": "p"})
    await client.workflows.rerun(WF_ID, request_token="my-token")
    urls = [url for _, url, _ in calls(wire)]
    assert len(urls) == 3
    assert {split(url)[1]["request_token"] for url in urls} == {"my-token"}


async def test_workflows_stop(wire: Wire, client: AsyncClient) -> None:
    """POST .../terminate with no body; the JSON string answer becomes None."""
    wire.post(
        f"{API}/plumber-workflows/{WF_ID}/terminate", body=b'"Termination started for 1 pipelines."'
    )
    await client.workflows.stop(WF_ID)
    method, _, kwargs = only_call(wire)
    assert method == "POST" and kwargs["data"] is None
    assert_common_headers(kwargs, json_body=False)


async def test_pipelines_get(wire: Wire, client: AsyncClient) -> None:
    """GET pipelines/:id without detailed; detailed=True sends exactly detailed=true."""
    wire.get(f"{API}/pipelines/{PPL_ID}", payload=sample("pipeline_describe.json"))
    wire.get(
        f"{API}/pipelines/{PPL_ID}?detailed=true", payload=sample("pipeline_describe_detailed.json")
    )
    plain = await client.pipelines.get(PPL_ID)
    detailed = await client.pipelines.get(PPL_ID, detailed=True)
    assert plain.blocks == () and plain.pipeline is not None
    assert plain.pipeline.state is PipelineState.DONE
    assert len(detailed.blocks) == 2 and len(detailed.blocks[0].jobs) == 4
    assert sorted(url for _, url, _ in calls(wire)) == [
        f"{API}/pipelines/{PPL_ID}",
        f"{API}/pipelines/{PPL_ID}?detailed=true",
    ]


async def test_pipelines_list_filters(wire: Wire, client: AsyncClient) -> None:
    """Every filter goes on the query; times as integer epoch seconds."""
    wire.get(re.compile(rf"{re.escape(API)}/pipelines\?.*"), payload=sample("pipeline_list.json"))
    after = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    listed = await client.pipelines.list(
        PROJECT,
        wf_id=WF_ID,
        branch_name="main",
        yml_file_path=".semaphore/semaphore.yml",
        created_after=after,
        created_before=1704164645.9,
        done_after=datetime(2024, 1, 2, 3, 4, 5),  # naive means UTC
        done_before=1704164700,
        label="main",
        queue_id="q1",
        pr_head_branch="feature",
        pr_target_branch="main",
        page_size=100,
    ).collect()
    assert listed[0].state is PipelineState.DONE
    _, url, _ = only_call(wire)
    assert split(url) == (
        f"{API}/pipelines",
        {
            "project_id": PROJECT,
            "wf_id": WF_ID,
            "branch_name": "main",
            "yml_file_path": ".semaphore/semaphore.yml",
            "created_after": "1704164645",
            "created_before": "1704164645",
            "done_after": "1704164645",
            "done_before": "1704164700",
            "label": "main",
            "queue_id": "q1",
            "pr_head_branch": "feature",
            "pr_target_branch": "main",
            "page_size": "100",
        },
    )


def test_pipelines_list_needs_project_or_workflow(client: AsyncClient) -> None:
    """A clear InvalidArgumentError before any request."""
    with pytest.raises(InvalidArgumentError, match="project_id or wf_id"):
        client.pipelines.list()


async def test_pipelines_stop(wire: Wire, client: AsyncClient) -> None:
    """PATCH pipelines/:id with the JSON boolean terminate_request: true."""
    wire.patch(f"{API}/pipelines/{PPL_ID}", body=b'"Pipeline termination started."')
    await client.pipelines.stop(PPL_ID)
    method, _, kwargs = only_call(wire)
    assert method == "PATCH"
    assert kwargs["data"] == b'{"terminate_request":true}'
    assert_common_headers(kwargs, json_body=True)


async def test_validate_yaml(wire: Wire, client: AsyncClient) -> None:
    """POST /yaml with yaml_definition in a JSON body."""
    wire.post(f"{API}/yaml", body=b'{"pipeline_id":"","message":"YAML definition is valid."}')
    result = await client.pipelines.validate_yaml("version: v1.0\n")
    assert result.message == "YAML definition is valid."
    _, _, kwargs = only_call(wire)
    assert sent_json(kwargs) == {"yaml_definition": "version: v1.0\n"}


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.workflows.get(""), "empty"),
        (lambda c: c.workflows.get(".."), "dot segment"),
        (lambda c: c.workflows.get(None), "must be a str"),
        (lambda c: c.workflows.run("p", ""), "empty"),
        (lambda c: c.workflows.run(123, "main"), "must be a str"),
        (lambda c: c.pipelines.wait("p", poll_interval=0), "above zero"),
        (lambda c: c.pipelines.get_many(["p"], concurrency=0), "positive integer"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    wire: Wire, client: AsyncClient, call: Any, error: str
) -> None:
    """Wrong arguments raise InvalidArgumentError (a SemaphoreError and a ValueError)
    and send nothing."""
    with pytest.raises(InvalidArgumentError, match=error):
        await call(client)
    assert calls(wire) == []
