"""workflows and pipelines against the emulator, over real loopback HTTP."""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest

import semaphore_async as sa
from semaphore_async import AsyncClient
from semaphore_async.models import PipelineResult, PipelineState, TriggeredBy
from semaphore_async.testing import Emulator


async def test_run_get_wait(semaphore_client: AsyncClient, semaphore_emulator: Emulator) -> None:
    """A triggered workflow can be described, and its pipeline waited for until DONE."""
    project = semaphore_emulator.project_ids[0]
    run = await semaphore_client.workflows.run(project, "refs/heads/release", commit_sha="c0ffee")
    wf = await semaphore_client.workflows.get(run.workflow_id)
    assert (wf.wf_id, wf.project_id, wf.branch_name, wf.commit_sha) == (
        run.workflow_id,
        project,
        "release",
        "c0ffee",
    )
    assert wf.triggered_by is TriggeredBy.API
    first = await semaphore_client.pipelines.get(run.pipeline_id)
    assert first.pipeline.state is PipelineState.RUNNING
    assert first.pipeline.result is None  # only once done
    final = await semaphore_client.pipelines.wait(run.pipeline_id, poll_interval=0.001)
    assert (final.pipeline.state, final.pipeline.result) == (
        PipelineState.DONE,
        PipelineResult.PASSED,
    )
    assert final.pipeline.done_at is not None and final.pipeline.stopping_at is None


async def test_run_body_is_json(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """The emulator, like the server, reads the body only with a JSON Content-Type."""
    await semaphore_client.workflows.run(semaphore_emulator.project_ids[0], "main")
    sent = semaphore_emulator.requests[-1]
    assert sent.headers["Content-Type"] == "application/json"
    assert b'"reference":"main"' in sent.body


async def test_wait_polls_quickly_then_backs_off(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """wait's polls start 0.1 s apart and double up to poll_interval; with detailed=True
    the final answer has the blocks and jobs."""
    semaphore_emulator.state.pipeline_steps = 5
    run = await semaphore_client.workflows.run(semaphore_emulator.project_ids[0], "main")
    semaphore_emulator.reset_counters()
    final = await semaphore_client.pipelines.wait(run.pipeline_id, poll_interval=0.3, detailed=True)
    assert final.pipeline.is_done and [b.name for b in final.blocks] == [
        "Lint",
        "Unit tests",
        "Integration",
    ]
    polls = [r for r in semaphore_emulator.requests if r.path.endswith(run.pipeline_id)]
    assert len(polls) == 5 and all(dict(r.query) == {"detailed": "true"} for r in polls)
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(polls)]
    # 0.1, 0.2 and then the 0.3 cap: each wait at least as long as planned, and the
    # first well below poll_interval.
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.3
    assert gaps[0] < gaps[2]


async def test_wait_times_out(semaphore_emulator: Emulator) -> None:
    """wait raises the builtin TimeoutError past timeout, naming the last state."""
    semaphore_emulator.state.pipeline_steps = 10_000
    async with semaphore_emulator.client() as sem:
        run = await sem.workflows.run(semaphore_emulator.project_ids[0], "main")
        with pytest.raises(TimeoutError, match="RUNNING"):
            await sem.pipelines.wait(run.pipeline_id, timeout=0.2, poll_interval=0.01)


async def test_detailed_describe(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """detailed=True returns blocks with jobs; without it, blocks is empty."""
    ppl_id = next(iter(semaphore_emulator.state.pipelines))
    plain = await semaphore_client.pipelines.get(ppl_id)
    detailed = await semaphore_client.pipelines.get(ppl_id, detailed=True)
    assert plain.blocks == ()
    assert [b.name for b in detailed.blocks] == ["Lint", "Unit tests", "Integration"]
    assert sum(len(b.jobs) for b in detailed.blocks) == 6


async def test_enum_cases_agree(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """The list's UPPERCASE and the describe's lowercase enums compare equal."""
    project = semaphore_emulator.project_ids[0]
    listed = (await semaphore_client.pipelines.list(project).collect(limit=5))[0]
    assert listed.ppl_id is not None
    described = (await semaphore_client.pipelines.get(listed.ppl_id)).pipeline
    assert described is not None
    assert (listed.state, listed.result) == (described.state, described.result)
    assert listed.created_at == described.created_at  # {seconds,nanos} vs text format


async def test_rerun_is_idempotent_per_token(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """The same request_token creates one workflow; a new token another."""
    wf_id = next(iter(semaphore_emulator.state.workflows))
    before = len(semaphore_emulator.state.workflows)
    a = await semaphore_client.workflows.rerun(wf_id, request_token="tok-1")
    b = await semaphore_client.workflows.rerun(wf_id, request_token="tok-1")
    c = await semaphore_client.workflows.rerun(wf_id)
    assert a == b and a.wf_id != c.wf_id
    assert len(semaphore_emulator.state.workflows) == before + 2
    rerun = await semaphore_client.workflows.get(a.wf_id or "")
    assert rerun.rerun_of == wf_id


async def test_stop_workflow_and_pipeline(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """Stopping a running pipeline (directly or via its workflow) ends it STOPPED."""
    project = semaphore_emulator.project_ids[0]
    for stop in ("workflow", "pipeline"):
        run = await semaphore_client.workflows.run(project, "main")
        assert run.workflow_id and run.pipeline_id
        if stop == "workflow":
            await semaphore_client.workflows.stop(run.workflow_id)
        else:
            await semaphore_client.pipelines.stop(run.pipeline_id)
        stopping = semaphore_emulator.state.pipelines[run.pipeline_id]
        assert stopping.state == "STOPPING"
        final = await semaphore_client.pipelines.wait(run.pipeline_id, poll_interval=0.001)
        assert final.pipeline is not None
        assert final.pipeline.result is PipelineResult.STOPPED
    patch = [r for r in semaphore_emulator.requests if r.method == "PATCH"]
    assert patch[-1].body == b'{"terminate_request":true}'


async def test_validate_yaml(semaphore_client: AsyncClient) -> None:
    """A valid definition answers a message; an invalid one raises BadRequestError."""
    ok = await semaphore_client.pipelines.validate_yaml("version: v1.0\nblocks: []\n")
    assert ok.message == "YAML definition is valid."
    with pytest.raises(sa.BadRequestError) as info:
        await semaphore_client.pipelines.validate_yaml("version: [unclosed\n")
    assert info.value.message.startswith("Error:")


async def test_wrong_token_is_authentication_error(semaphore_emulator: Emulator) -> None:
    """401 plain text Unauthorized becomes AuthenticationError, without the token in it."""
    async with semaphore_emulator.client(token="wrong-token-123") as sem:
        with pytest.raises(sa.AuthenticationError) as info:
            await sem.workflows.get("anything")
    assert info.value.message == "Unauthorized"
    assert "wrong-token-123" not in str(info.value) + repr(info.value)


async def test_unknown_ids_are_not_found(semaphore_client: AsyncClient) -> None:
    """Unknown workflow and pipeline ids raise NotFoundError (plain-text body)."""
    with pytest.raises(sa.NotFoundError):
        await semaphore_client.workflows.get("00000000-0000-4000-8000-000000000000")
    with pytest.raises(sa.NotFoundError) as info:
        await semaphore_client.pipelines.get("nope")
    assert info.value.message == "Not Found"


@pytest.mark.parametrize(
    ("hostile", "on_wire"),
    [
        ("../../projects", "/api/v1alpha/pipelines/..%2F..%2Fprojects"),
        ("a/b", "/api/v1alpha/pipelines/a%2Fb"),
        ("50% off", "/api/v1alpha/pipelines/50%25%20off"),
        ("ünï", "/api/v1alpha/pipelines/%C3%BCn%C3%AF"),
        ("x?detailed=true", "/api/v1alpha/pipelines/x%3Fdetailed=true"),
    ],
)
async def test_hostile_ids_stay_one_segment(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator, hostile: str, on_wire: str
) -> None:
    """A hostile id reaches exactly one encoded segment of the intended endpoint."""
    with pytest.raises(sa.NotFoundError):
        await semaphore_client.pipelines.get(hostile)
    request = semaphore_emulator.requests[-1]
    assert request.path == f"/api/v1alpha/pipelines/{hostile}"  # one segment, decoded
    assert request.query == ()


async def test_no_content_type_from_emulator(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """The emulator answers without Content-Type, as the server does, and the SDK copes."""
    import aiohttp

    async with (
        aiohttp.ClientSession() as raw,
        raw.get(
            f"{semaphore_emulator.url}/api/v1alpha/pipelines/nope",
            headers={"Authorization": f"Token {semaphore_emulator.token}"},
        ) as response,
    ):
        assert response.status == 404
        assert "Content-Type" not in response.headers
        assert await response.text() == "Not Found"


async def test_headers_that_reach_the_server(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """What arrives over the wire: our User-Agent and Accept (not aiohttp's defaults),
    Content-Type only on requests with a JSON body."""
    project = semaphore_emulator.project_ids[0]
    run = await semaphore_client.workflows.run(project, "refs/heads/main")
    assert run.pipeline_id is not None
    await semaphore_client.pipelines.get(run.pipeline_id)
    post, get = semaphore_emulator.requests[-2:]
    assert (post.method, get.method) == ("POST", "GET")
    for recorded in (post, get):
        headers = {k.lower(): v for k, v in recorded.headers.items()}
        assert headers["user-agent"].startswith("SemaphoreCI v2.0 Client semaphore-async/")
        assert headers["accept"] == "application/json"
        assert recorded.authorized_with == "token"
    assert {k.lower(): v for k, v in post.headers.items()}["content-type"] == "application/json"
    assert "content-type" not in {k.lower() for k in get.headers}


async def test_proxy_from_environment_is_used(
    semaphore_emulator: Emulator, proxy_env: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY is honoured (as trust_env would) and NO_PROXY bypasses it: the client
    points at a dead port, and only the proxy (the emulator) can answer."""
    proxy_env.setenv("HTTP_PROXY", semaphore_emulator.url)
    dead = "http://localhost:9"  # the discard port: nothing answers there
    async with AsyncClient(base_url=dead, token=semaphore_emulator.token) as sem:
        project = await sem.projects.get("project-1")
    assert project.name == "project-1"
    assert semaphore_emulator.requests[-1].headers["Host"] == "localhost:9"
    proxy_env.setenv("NO_PROXY", "localhost")
    async with AsyncClient(base_url=dead, token=semaphore_emulator.token, max_retries=0) as sem:
        with pytest.raises(sa.APIConnectionError):
            await sem.projects.get("project-1")


async def test_proxy_credentials_go_in_proxy_authorization(
    proxy_env: pytest.MonkeyPatch,
) -> None:
    """user:password in HTTP_PROXY reach the proxy as Proxy-Authorization (not through
    aiohttp's proxy_auth=, deprecated in 3.14), and never as Authorization. A small proxy
    on loopback records what arrives; the emulator would not record credentials."""
    import base64

    from aiohttp import web
    from aiohttp.test_utils import TestServer

    seen: list[dict[str, str]] = []

    async def proxy(request: web.Request) -> web.Response:
        seen.append({k.lower(): v for k, v in request.headers.items()})
        return web.json_response({"metadata": {"name": "project-1"}})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy)
    async with TestServer(app, host="127.0.0.1") as server:
        proxy_env.setenv("HTTP_PROXY", f"http://proxy-user:s3cret@127.0.0.1:{server.port}")
        async with AsyncClient(base_url="http://localhost:9", token="api-token") as sem:
            project = await sem.projects.get("project-1")
    assert project.metadata is not None and project.metadata.name == "project-1"
    assert len(seen) == 1
    expected = "Basic " + base64.b64encode(b"proxy-user:s3cret").decode()
    assert seen[0]["proxy-authorization"] == expected
    assert seen[0]["authorization"] == "Token api-token"
    assert seen[0]["host"] == "localhost:9"


@pytest.mark.parametrize("spelled", ["urn:uuid:{}", "{}\n", "hex", "{{{}}}"])
async def test_emulator_takes_uuids_only_as_the_server_does(
    semaphore_emulator: Emulator, spelled: str
) -> None:
    """The server checks ids with one regex, hyphenated 8-4-4-4-12 hex only
    (public-api/v1alpha/lib/pipelines_api/util/validate.ex); Python's ``uuid.UUID`` also
    takes ``urn:uuid:``, braces and 32 bare hex digits, so the emulator must not lean on
    it. An id in braces must reach the check too (aiohttp's default path pattern would
    have answered it 404)."""
    import uuid

    import aiohttp

    known = str(uuid.uuid4())
    async with aiohttp.ClientSession(
        semaphore_emulator.url, headers={"Authorization": f"Token {semaphore_emulator.token}"}
    ) as raw:
        async with raw.get(f"/api/v1alpha/schedules/{known}") as canonical:
            assert canonical.status == 400
            assert f"Periodic with id: '{known}' not found." in await canonical.text()
        async with raw.get(
            "/api/v1alpha/schedules/"
            + quote(known.replace("-", "") if spelled == "hex" else spelled.format(known))
        ) as other:
            assert other.status == 400
            assert "schedule identifier should be a UUID" in await other.text()
