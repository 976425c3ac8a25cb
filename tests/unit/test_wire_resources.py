"""Wire details of every resource beyond workflows and pipelines, pinned with aioresponses
and parsed from the reference's own example bodies."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timezone
from typing import Any

import pytest

import semaphore_async as sa
from semaphore_async import AsyncClient
from semaphore_async.models import (
    AgentState,
    AssignmentOrigin,
    Dashboard,
    DashboardMetadata,
    DeploymentState,
    EnvVar,
    File,
    JobResult,
    JobState,
    NotifyStatus,
    ObjectRule,
    Project,
    ProjectMetadata,
    ProjectSpec,
    PromotionStatus,
    Repository,
    RetentionRule,
    SchedulingStatus,
    Secret,
    SecretData,
    SecretMetadata,
    SubjectRule,
    TargetState,
)
from tests.conftest import API, ORIGIN, TOKEN, Wire, calls, only_call, sample, sent_json, split

UTC = timezone.utc
PPL = "6cf4569c-f76c-4dea-b293-3e4282ba1153"
JOB = "bc8826bd-dbb2-4d28-8c90-7f370ce478fe"
TARGET = "e79d3d1c-61cc-4e07-ba32-f86694f5e80d"
PROJECT = "a426b4db-1919-483d-926d-06ba1320b209"
SCHEDULE = "1dd4908b-1484-4ab7-81d9-f50a03e7fdc5"
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def any_query(url: str) -> re.Pattern[str]:
    return re.compile(re.escape(url) + r"(\?.*)?$")


# --- promotions ---------------------------------------------------------------------------


async def test_promotions_list(wire: Wire, client: AsyncClient) -> None:
    """GET promotions?pipeline_id=; {seconds,nanos} timestamps; lower-case status."""
    wire.get(any_query(f"{API}/promotions"), payload=sample("promotion_list.json"))
    promotions = await client.promotions.list(PPL).collect()
    assert promotions[0].name == "production"
    assert promotions[0].status is PromotionStatus.PASSED
    assert promotions[0].triggered_at == datetime(2019, 10, 14, 15, 9, 23, 817290, tzinfo=UTC)
    assert split(only_call(wire)[1]) == (f"{API}/promotions", {"pipeline_id": PPL})


async def test_promotions_trigger_parameters_top_level(wire: Wire, client: AsyncClient) -> None:
    """Parameters go as top-level JSON fields beside pipeline_id, name and override."""
    wire.post(f"{API}/promotions", body=b'"Promotion successfully triggered."')
    await client.promotions.trigger(
        PPL,
        "Production",
        override=True,
        parameters={"ENV": "prod", "V": "2"},
        request_token="tok-1",
    )
    method, _, kwargs = only_call(wire)
    assert method == "POST"
    assert kwargs["headers"]["Content-Type"] == "application/json"
    assert sent_json(kwargs) == {
        "pipeline_id": PPL,
        "name": "Production",
        "override": True,
        "request_token": "tok-1",
        "ENV": "prod",
        "V": "2",
    }


async def test_promotions_trigger_retried_with_one_token(wire: Wire, client: AsyncClient) -> None:
    """The server records a request_token once (gofer trigger_impl.ex), so a trigger is
    retried after a 500, with the same generated token each time."""
    wire.post(f"{API}/promotions", status=500, body=b'"Internal error"')
    wire.post(f"{API}/promotions", body=b'"Promotion successfully triggered."')
    await client.promotions.trigger(PPL, "Production")
    tokens = [sent_json(kwargs)["request_token"] for _, _, kwargs in calls(wire)]
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert re.fullmatch(r"[0-9a-f-]{36}", tokens[0])


@pytest.mark.parametrize(
    ("parameters", "error"),
    [
        ({"name": "x"}, "clashes"),
        ({"override": "x"}, "clashes"),
        ({"switch_id": "x"}, "clashes"),
        ({"N": 1}, "must be a str"),
    ],
)
async def test_promotion_parameters_checked(
    wire: Wire, client: AsyncClient, parameters: Any, error: str
) -> None:
    """Parameters that clash with names the server reads itself, or are not strings,
    fail before the request."""
    with pytest.raises(sa.InvalidArgumentError, match=error):
        await client.promotions.trigger(PPL, "Production", parameters=parameters)
    assert calls(wire) == []


# --- jobs ---------------------------------------------------------------------------------


async def test_jobs_get(wire: Wire, client: AsyncClient) -> None:
    """GET jobs/:id; epoch-second strings; upper-case enums; nested agent."""
    wire.get(f"{API}/jobs/{JOB}", payload=sample("job_describe.json"))
    job = await client.jobs.get(JOB)
    assert job.id == JOB
    assert job.metadata is not None and job.metadata.create_time == datetime(
        2019, 10, 14, 19, 56, 43, tzinfo=UTC
    )
    assert job.status is not None and job.status.state is JobState.FINISHED
    assert job.status.result is JobResult.STOPPED
    assert job.status.agent is not None and job.status.agent.ports[0].number == 30000
    assert job.spec is not None and job.spec.env_vars[1].name == "SEMAPHORE_WORKFLOW_NUMBER"


async def test_jobs_stop_ignores_audit_garbage(wire: Wire, client: AsyncClient) -> None:
    """POST jobs/:id/stop; the server's `{}{"error":...}` answer still means success."""
    wire.post(f"{API}/jobs/{JOB}/stop", body=b'{}{"error":"failed to send audit event: x"}')
    await client.jobs.stop(JOB)
    method, url, kwargs = only_call(wire)
    assert (method, url, kwargs["data"]) == ("POST", f"{API}/jobs/{JOB}/stop", None)


async def test_log_events_and_plain_log(wire: Wire, client: AsyncClient) -> None:
    """GET logs/:id events become models; plain_log joins directives and output."""
    wire.get(f"{API}/logs/{JOB}", payload=sample("log_events.json"), repeat=True)
    events = [e async for e in client.jobs.log_events(JOB)]
    assert [e.event for e in events][:3] == ["job_started", "cmd_started", "cmd_output"]
    assert events[0].timestamp == datetime(2024, 7, 3, 4, 0, 53, tzinfo=UTC)
    assert events[5].exit_code == 0 and events[-1].result == "passed"
    text = await client.jobs.plain_log(JOB)
    assert text == (
        "Exporting environment variables\nExporting CI\nExporting DISPLAY\nExporting PAGER\n"
    )


async def test_self_hosted_log_redirect_and_continuation(wire: Wire, client: AsyncClient) -> None:
    """302 to storage is followed without Authorization, then ?token=N until next is null."""
    storage = f"{ORIGIN}/api/v1/logs/{JOB}"
    wire.get(f"{API}/logs/{JOB}", status=302, headers={"Location": f"/api/v1/logs/{JOB}?jwt=J"})
    wire.get(
        f"{storage}?jwt=J",
        payload={"events": [{"event": "job_started", "timestamp": 1}], "next": 1},
    )
    wire.get(
        f"{storage}?jwt=J&token=1",
        payload={
            "events": [{"event": "cmd_output", "timestamp": 2, "output": "hi\n"}],
            "next": None,
        },
    )
    events = [e async for e in client.jobs.log_events(JOB)]
    assert [e.event for e in events] == ["job_started", "cmd_output"]
    sent = calls(wire)
    assert sent[0][2]["headers"]["Authorization"] == f"Token {TOKEN}"
    assert all("Authorization" not in kwargs["headers"] for _, _, kwargs in sent[1:])
    assert [split(url)[1] for _, url, _ in sent[1:]] == [{"jwt": "J"}, {"jwt": "J", "token": "1"}]


async def test_corrupt_log_is_decode_error(wire: Wire, client: AsyncClient) -> None:
    """One corrupt event spoils the string-built body: DecodeError, not a crash."""
    wire.get(f"{API}/logs/{JOB}", body=b'{ "events": [{"event": "job_started"},{"event": ] }')
    with pytest.raises(sa.DecodeError, match="not valid JSON"):
        [e async for e in client.jobs.log_events(JOB)]


# --- tasks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        ({}, {}),
        ({"branch": "main"}, {"reference": {"type": "BRANCH", "name": "main"}}),
        ({"tag": "v1.2"}, {"reference": {"type": "TAG", "name": "v1.2"}}),
        (
            {"branch": "dev", "pipeline_file": ".semaphore/x.yml", "parameters": {"P": "v"}},
            {
                "reference": {"type": "BRANCH", "name": "dev"},
                "pipeline_file": ".semaphore/x.yml",
                "parameters": {"P": "v"},
            },
        ),
    ],
)
async def test_tasks_run_now_reference_object(
    wire: Wire, client: AsyncClient, kwargs: dict[str, Any], body: dict[str, Any]
) -> None:
    """The reference goes as the {type, name} object the server reads."""
    wire.post(f"{API}/tasks/{SCHEDULE}/run_now", payload={"workflow_id": "w1"})
    run = await client.tasks.run_now(SCHEDULE, **kwargs)
    assert run.workflow_id == "w1"
    assert sent_json(only_call(wire)[2]) == body


async def test_tasks_run_now_branch_and_tag_conflict(client: AsyncClient) -> None:
    """branch= and tag= together are ambiguous."""
    with pytest.raises(ValueError, match="not both"):
        await client.tasks.run_now(SCHEDULE, branch="a", tag="b")


# --- agent types and agents ---------------------------------------------------------------


async def test_agent_types_list_and_get(wire: Wire, client: AsyncClient) -> None:
    """One-page list with integer epoch timestamps; aws may be absent or present."""
    wire.get(f"{API}/self_hosted_agent_types", payload=sample("agent_type_list.json"))
    wire.get(
        f"{API}/self_hosted_agent_types/s1-aws-small", payload=sample("agent_type_describe.json")
    )
    types = await client.agent_types.list().collect()
    assert [t.name for t in types] == ["s1-aws-small", "s1-aws-large"]
    settings = types[1].spec.agent_name_settings
    assert settings is not None and settings.assignment_origin is AssignmentOrigin.AWS_STS
    assert settings.aws is not None and settings.aws.role_name_patterns == "role1,role2"
    one = await client.agent_types.get("s1-aws-small")
    assert one.metadata is not None and one.metadata.create_time == datetime(
        2021, 9, 20, 9, 15, 38, tzinfo=UTC
    )


async def test_agent_types_create_body(wire: Wire, client: AsyncClient) -> None:
    """Nested metadata.name and spec.agent_name_settings, JSON; the token is kept."""
    wire.post(f"{API}/self_hosted_agent_types", payload=sample("agent_type_create.json"))
    created = await client.agent_types.create(
        "s1-aws-small",
        assignment_origin=AssignmentOrigin.AWS_STS,
        release_after=90,
        aws_account_id="1234567890",
        aws_role_name_patterns=["role1", "role2", "role3*"],
    )
    assert created.status.registration_token == "..."
    assert "registration_token" not in repr(created)
    assert sent_json(only_call(wire)[2]) == {
        "metadata": {"name": "s1-aws-small"},
        "spec": {
            "agent_name_settings": {
                "assignment_origin": "assignment_origin_aws_sts",
                "release_after": 90,
                "aws": {"account_id": "1234567890", "role_name_patterns": "role1,role2,role3*"},
            }
        },
    }


async def test_agent_types_update_delete_disable(wire: Wire, client: AsyncClient) -> None:
    """PATCH with the same body shape; DELETE; disable_all with a JSON boolean."""
    base = f"{API}/self_hosted_agent_types/s1-x"
    wire.patch(base, payload=sample("agent_type_describe.json"))
    wire.delete(base, payload={})
    wire.post(f"{base}/disable_all", payload={})
    await client.agent_types.update("s1-x", release_after=60)
    await client.agent_types.delete("s1-x")
    await client.agent_types.disable_all("s1-x", only_idle=False)
    sent = calls(wire)
    assert [m for m, _, _ in sent] == ["PATCH", "DELETE", "POST"]
    assert sent_json(sent[0][2]) == {
        "metadata": {"name": "s1-x"},
        "spec": {"agent_name_settings": {"release_after": 60}},
    }
    assert sent_json(sent[2][2]) == {"only_idle": False}


async def test_agents_cursor_pages(wire: Wire, client: AsyncClient) -> None:
    """Agents page by the body's cursor until it is empty; page_size is passed on."""
    first = sample("agent_list.json")
    wire.get(any_query(f"{API}/agents"), payload={**first, "cursor": "CUR1"})
    wire.get(any_query(f"{API}/agents"), payload=first)
    agents = await client.agents.list(agent_type="s1-my-type", page_size=5).collect()
    assert len(agents) == 4
    assert agents[0].status is not None and agents[0].status.state is AgentState.WAITING_FOR_JOB
    assert agents[0].metadata is not None and agents[0].metadata.connected_at == datetime(
        2023, 6, 16, 12, 7, 34, tzinfo=UTC
    )
    queries = [split(url)[1] for _, url, _ in calls(wire)]
    assert queries == [
        {"agent_type": "s1-my-type", "page_size": "5"},
        {"agent_type": "s1-my-type", "page_size": "5", "cursor": "CUR1"},
    ]


@pytest.mark.parametrize("size", [0, 4, 201, -1])
def test_agents_page_size_bounds(client: AsyncClient, size: int) -> None:
    """page_size outside 5..200 is a ValueError before any request."""
    with pytest.raises(ValueError, match="between 5 and 200"):
        client.agents.list(page_size=size)


async def test_agents_get(wire: Wire, client: AsyncClient) -> None:
    """GET agents/:name."""
    wire.get(f"{API}/agents/tE77rxu2gHy2clIe4tHV", payload=sample("agent_describe.json"))
    agent = await client.agents.get("tE77rxu2gHy2clIe4tHV")
    assert agent.metadata is not None and agent.metadata.hostname == "myhost"


# --- deployment targets -------------------------------------------------------------------


async def test_targets_list_get_and_by_name(wire: Wire, client: AsyncClient) -> None:
    """Bare array list, ISO timestamps, upper-case state; get_by_name filters by target_name."""
    wire.get(f"{API}/deployment_targets?project_id={PROJECT}", payload=sample("target_list.json"))
    wire.get(f"{API}/deployment_targets/{TARGET}", payload=sample("target_describe.json"))
    wire.get(
        f"{API}/deployment_targets?project_id={PROJECT}&target_name=DTName123",
        payload=sample("target_list.json"),
    )
    wire.get(f"{API}/deployment_targets?project_id={PROJECT}&target_name=nope", payload=[])
    targets = await client.deployment_targets.list(PROJECT).collect()
    assert targets[0].state is TargetState.USABLE and targets[0].active is True
    assert targets[0].updated_at == datetime(2023, 6, 7, 9, 24, 4, tzinfo=UTC)
    assert targets[0].object_rules[0].type == "BRANCH"
    assert (await client.deployment_targets.get(TARGET)).name == "DTName123"
    assert (await client.deployment_targets.get_by_name(PROJECT, "DTName123")).id == TARGET
    with pytest.raises(sa.NotFoundError, match="no deployment target named 'nope'"):
        await client.deployment_targets.get_by_name(PROJECT, "nope")


async def test_targets_create_body(wire: Wire, client: AsyncClient) -> None:
    """POST ?project_id= with a JSON body: uuid4 unique_token, rules, env vars, files
    (bytes content base64-encoded, str content sent as is)."""
    wire.post(any_query(f"{API}/deployment_targets"), payload=sample("target_create.json"))
    created = await client.deployment_targets.create(
        PROJECT,
        "testTarget",
        description="Target description",
        url="www.myurl.zyx",
        bookmark_parameter1="my book 1",
        subject_rules=[SubjectRule(type="ANY"), {"type": "ROLE", "subject_id": "Admin"}],
        object_rules=[ObjectRule(type="BRANCH", match_mode="EXACT", pattern="main")],
        env_vars=[EnvVar(name="env1", value="val1")],
        files=[
            {"path": "/etc/my.conf", "content": b"key=value\n"},
            File(path="/b", content="YmFzZTY0"),
        ],
    )
    assert created.state is TargetState.SYNCING and created.bookmark_parameter1 == "my book 1"
    _, url, kwargs = only_call(wire)
    assert split(url) == (f"{API}/deployment_targets", {"project_id": PROJECT})
    body = sent_json(kwargs)
    assert re.fullmatch(UUID4, body.pop("unique_token"))
    assert body == {
        "project_id": PROJECT,
        "name": "testTarget",
        "description": "Target description",
        "url": "www.myurl.zyx",
        "bookmark_parameter1": "my book 1",
        "subject_rules": [{"type": "ANY"}, {"type": "ROLE", "subject_id": "Admin"}],
        "object_rules": [{"type": "BRANCH", "match_mode": "EXACT", "pattern": "main"}],
        "env_vars": [{"name": "env1", "value": "val1"}],
        "files": [
            {"path": "/etc/my.conf", "content": base64.b64encode(b"key=value\n").decode()},
            {"path": "/b", "content": "YmFzZTY0"},
        ],
    }


async def test_targets_token_reused_on_retry(wire: Wire, client: AsyncClient) -> None:
    """create is retried (it carries a token) with the same unique_token each time."""
    wire.post(any_query(f"{API}/deployment_targets"), status=503)
    wire.post(any_query(f"{API}/deployment_targets"), payload=sample("target_create.json"))
    await client.deployment_targets.create(PROJECT, "t")
    tokens = {sent_json(kwargs)["unique_token"] for _, _, kwargs in calls(wire)}
    assert len(calls(wire)) == 2 and len(tokens) == 1


async def test_targets_update_only_given_fields(wire: Wire, client: AsyncClient) -> None:
    """PATCH sends only the keywords given ([] clears a list) plus the token."""
    wire.patch(f"{API}/deployment_targets/{TARGET}", payload=sample("target_update.json"))
    updated = await client.deployment_targets.update(
        TARGET, description="changed", env_vars=[], files=[], unique_token="u-1"
    )
    assert updated.name == "testTargetChanged"
    assert sent_json(only_call(wire)[2]) == {
        "description": "changed",
        "env_vars": [],
        "files": [],
        "unique_token": "u-1",
    }


async def test_targets_update_keeps_the_other_half_of_the_secret(
    wire: Wire, client: AsyncClient
) -> None:
    """The server replaces env vars and files together (deployments/update.ex), so an
    update of env vars alone first reads the files' digests and sends them back, which
    the server reads as "keep this file"."""
    described = {**sample("target_describe.json"), "files": [{"path": "/a", "content": "d1g"}]}
    described["env_vars"] = [{"name": "OLD", "value": "9f86d0"}]
    wire.get(f"{API}/deployment_targets/{TARGET}?include_secrets=true", payload=described)
    wire.patch(f"{API}/deployment_targets/{TARGET}", payload=sample("target_update.json"))
    await client.deployment_targets.update(
        TARGET, env_vars=[{"name": "NEW", "value": "v"}], unique_token="u-2"
    )
    get, patch = calls(wire)
    assert get[0] == "GET"
    assert sent_json(patch[2]) == {
        "env_vars": [{"name": "NEW", "value": "v"}],
        "files": [{"path": "/a", "content": "d1g"}],
        "unique_token": "u-2",
    }


async def test_targets_delete_activate_deactivate(wire: Wire, client: AsyncClient) -> None:
    """DELETE ?unique_token=; PATCH activate/deactivate return {target_id, cordoned}."""
    wire.delete(
        any_query(f"{API}/deployment_targets/{TARGET}"), payload=sample("target_delete.json")
    )
    wire.patch(
        f"{API}/deployment_targets/{TARGET}/deactivate", payload=sample("target_deactivate.json")
    )
    wire.patch(
        f"{API}/deployment_targets/{TARGET}/activate",
        payload={"target_id": TARGET, "cordoned": False},
    )
    await client.deployment_targets.delete(TARGET, unique_token="tok")
    off = await client.deployment_targets.deactivate(TARGET)
    on = await client.deployment_targets.activate(TARGET)
    assert (off.cordoned, on.cordoned) == (True, False)
    sent = calls(wire)
    assert split(sent[0][1])[1] == {"unique_token": "tok"}
    assert [m for m, _, _ in sent] == ["DELETE", "PATCH", "PATCH"]


async def test_targets_history_walks_back(wire: Wire, client: AsyncClient) -> None:
    """cursor_before (µs) drives BEFORE pages until it is 0; filters stay on every page."""
    page1 = sample("target_history.json")
    wire.get(any_query(f"{API}/deployment_targets/{TARGET}/history"), payload=page1)
    wire.get(
        any_query(f"{API}/deployment_targets/{TARGET}/history"),
        payload={**page1, "cursor_before": 0, "cursor_after": 5},
    )
    history = await client.deployment_targets.history(
        TARGET, git_ref_type="branch", triggered_by="u1"
    ).collect()
    assert len(history) == 4
    assert history[0].state is DeploymentState.STARTED
    assert history[0].triggered_at == datetime(2023, 5, 26, 10, 35, tzinfo=UTC)
    queries = [split(url)[1] for _, url, _ in calls(wire)]
    assert queries[0] == {"git_ref_type": "branch", "triggered_by": "u1"}
    assert queries[1] == {
        "git_ref_type": "branch",
        "triggered_by": "u1",
        "cursor_type": "BEFORE",
        "cursor_value": "1685096881121173",
    }


# --- schedules ----------------------------------------------------------------------------


async def test_schedules_list_and_get(wire: Wire, client: AsyncClient) -> None:
    """Text timestamps, "" for unset; get returns .schedule and .triggers."""
    wire.get(any_query(f"{API}/schedules"), payload=sample("schedule_list.json"))
    wire.get(f"{API}/schedules/{SCHEDULE}", payload=sample("schedule_describe.json"))
    schedules = await client.schedules.list(PROJECT, page_size=5).collect()
    assert schedules[0].pause_toggled_at is None
    assert schedules[0].inserted_at == datetime(2023, 7, 25, 8, 35, 54, 819164, tzinfo=UTC)
    assert split(calls(wire)[0][1])[1] == {"project_id": PROJECT, "page_size": "5"}
    described = await client.schedules.get(SCHEDULE)
    assert described.schedule is not None and described.schedule.at == "0 0 * * *"
    assert described.triggers[0].scheduling_status == "PASSED"  # read from "passed"
    assert described.triggers[0].scheduling_status is SchedulingStatus.PASSED


CREATE_YAML = "apiVersion: v1.2\nkind: Schedule\nmetadata: {name: nightly}\nspec: {project: web}\n"
UPDATE_YAML = f"apiVersion: v1.2\nkind: Schedule\nmetadata: {{name: n, id: {SCHEDULE}}}\n"


async def test_schedules_upsert_and_delete(wire: Wire, client: AsyncClient) -> None:
    """POST yml_definition; the bare JSON string is the id. The YAML's metadata.id
    decides create or update (schedules/apply.ex); project_name and periodic_id, read
    only for the permission check, are filled from the YAML."""
    wire.post(any_query(f"{API}/schedules"), body=f'"{SCHEDULE}"'.encode(), repeat=True)
    wire.delete(f"{API}/schedules/{SCHEDULE}", body=b'"Schedule successfully deleted."')
    assert await client.schedules.upsert(CREATE_YAML, project_name="web") == SCHEDULE
    assert await client.schedules.upsert(UPDATE_YAML) == SCHEDULE
    await client.schedules.delete(SCHEDULE)
    created, updated, _ = calls(wire)
    assert split(created[1])[1] == {"project_name": "web"}
    assert sent_json(created[2]) == {"yml_definition": CREATE_YAML}
    assert split(updated[1])[1] == {"periodic_id": SCHEDULE}


@pytest.mark.parametrize(
    ("definition", "keywords", "error"),
    [
        ("x", {}, "YAML mapping"),
        ("a: [", {}, "not valid YAML at line 1"),
        (CREATE_YAML, {"project_name": "other"}, "spec.project is 'web'"),
        (UPDATE_YAML, {"periodic_id": "5b2f5a4d-0000-4000-8000-000000000000"}, "metadata.id"),
    ],
)
async def test_schedules_upsert_refuses_contradictions(
    wire: Wire, client: AsyncClient, definition: str, keywords: dict[str, str], error: str
) -> None:
    """A keyword that contradicts the YAML would point the permission check at another
    scheduler or project than the one changed: refused before anything is sent."""
    with pytest.raises(sa.InvalidArgumentError, match=error):
        await client.schedules.upsert(definition, **keywords)
    assert calls(wire) == []


# --- artifacts and retention --------------------------------------------------------------


async def test_artifacts_signed_urls(wire: Wire, client: AsyncClient) -> None:
    """POST /api/v1/artifacts {paths, type}; URLs keep the wire's capitalised names; an
    artifact_token is sent raw, as the store expects."""
    wire.post(
        f"{ORIGIN}/api/v1/artifacts", payload=sample("artifacts_signed_urls.json"), repeat=True
    )
    urls = await client.artifacts.signed_urls(["semaphoreci-art"], "pull")
    assert (
        urls[0].URL == "https://storage.googleapis.com/semaphoreci-art" and urls[0].method == "GET"
    )
    await client.artifacts.signed_urls(["a"], "PUSH", artifact_token="jwt-abc")
    first, second = calls(wire)
    assert sent_json(first[2]) == {"paths": ["semaphoreci-art"], "type": "PULL"}
    assert first[2]["headers"]["Authorization"] == f"Token {TOKEN}"
    assert second[2]["headers"]["Authorization"] == "jwt-abc"
    with pytest.raises(sa.InvalidArgumentError, match="PUSH, PUSHFORCE, PULL, YANK"):
        await client.artifacts.signed_urls(["a"], "STEAL")


async def test_retention_get_and_configure(wire: Wire, client: AsyncClient) -> None:
    """GET by project; POST with all three levels (missing ones as [])."""
    wire.get(
        f"{API}/artifacts_retention_policies/{PROJECT}", payload=sample("retention_policy.json")
    )
    wire.post(f"{API}/artifacts_retention_policies", payload=sample("retention_policy.json"))
    policy = await client.retention_policies.get(PROJECT)
    assert policy.job_level_retention_policies[0] == RetentionRule(
        selector="/screenshots/**/*.png", age="2 weeks"
    )
    await client.retention_policies.configure(
        PROJECT, job_level=[RetentionRule(selector="/logs/**", age="3 months")]
    )
    assert sent_json(calls(wire, "POST")[0][2]) == {
        "project_id": PROJECT,
        "project_level_retention_policies": [],
        "workflow_level_retention_policies": [],
        "job_level_retention_policies": [{"selector": "/logs/**", "age": "3 months"}],
    }
    with pytest.raises(ValueError, match="at least one rule"):
        await client.retention_policies.configure(PROJECT)


# --- gateway collections ------------------------------------------------------------------


async def test_dashboards(wire: Wire, client: AsyncClient) -> None:
    """Token pages; create from a model; PATCH the bare resource; delete."""
    listing = sample("dashboard_list.json")
    wire.get(any_query(f"{API}/dashboards"), payload={**listing, "next_page_token": "NEXT"})
    wire.get(any_query(f"{API}/dashboards"), payload=listing)
    dashboards = await client.dashboards.list(page_size=50).collect()
    assert len(dashboards) == 2
    assert dashboards[0].metadata is not None and dashboards[0].metadata.create_time == datetime(
        2022, 10, 12, 6, 32, 42, tzinfo=UTC
    )
    assert [split(u)[1] for _, u, _ in calls(wire)] == [
        {"page_size": "50"},
        {"page_size": "50", "page_token": "NEXT"},
    ]
    wire.post(f"{API}/dashboards", payload=sample("dashboard_describe.json"))
    wire.patch(f"{API}/dashboards/tech-support", payload=sample("dashboard_describe.json"))
    wire.delete(f"{API}/dashboards/tech-support", payload={})
    new = Dashboard(metadata=DashboardMetadata(name="tech-support-a", title="Tech Support A"))
    await client.dashboards.create(new)
    await client.dashboards.update("tech-support", {"metadata": {"title": "T"}})
    await client.dashboards.delete("tech-support")
    assert sent_json(calls(wire, "POST")[0][2]) == {
        "metadata": {"name": "tech-support-a", "title": "Tech Support A"}
    }
    assert sent_json(calls(wire, "PATCH")[0][2]) == {"metadata": {"title": "T"}}
    with pytest.raises(ValueError, match="between 1 and 100"):
        client.dashboards.list(page_size=101)


async def test_notifications(wire: Wire, client: AsyncClient) -> None:
    """Notification list with nested rules; page_size up to 300."""
    wire.get(any_query(f"{API}/notifications"), payload=sample("notification_list.json"))
    notifications = await client.notifications.list(page_size=300).collect()
    rule = notifications[0].spec.rules[0]
    assert rule.filter is not None and rule.filter.results == ("passed",)
    assert rule.notify is not None and rule.notify.slack is not None
    assert rule.notify.slack.status is NotifyStatus.ACTIVE
    assert "hooks.slack.com" not in repr(rule)  # the webhook URL is a credential
    with pytest.raises(ValueError, match="between 1 and 300"):
        client.notifications.list(page_size=301)


async def test_notification_failure_times(wire: Wire, client: AsyncClient) -> None:
    """status.failures[].time arrives as an epoch string and becomes a datetime."""
    wire.get(
        f"{API}/notifications/n",
        payload={"status": {"failures": [{"time": "1652655667", "message": "x"}]}},
    )
    failure = (await client.notifications.get("n")).status.failures[0]
    assert failure.time == datetime(2022, 5, 15, 23, 1, 7, tzinfo=UTC)
    assert failure.message == "x"  # the server's name; the docs say "reason"


async def test_org_secrets(wire: Wire, client: AsyncClient) -> None:
    """v1beta paths; order validated; checkout_at "0" is None; values not in repr; bytes
    file content base64-encoded on create."""
    wire.get(
        any_query(f"{ORIGIN}/api/v1beta/secrets"),
        payload={"secrets": [sample("secret_describe.json")], "next_page_token": ""},
    )
    secrets = await client.secrets.list(order="by_create_time_asc").collect()
    assert split(only_call(wire)[1])[1] == {"order": "BY_CREATE_TIME_ASC"}
    secret = secrets[0]
    assert secret.metadata is not None and secret.metadata.checkout_at is None
    assert secret.data is not None and secret.data.files[0].decoded() == b"[default]\n"
    assert "AKIAEXAMPLE" not in repr(secret)
    wire.post(f"{ORIGIN}/api/v1beta/secrets", payload=sample("secret_describe.json"))
    await client.secrets.create(
        Secret(
            metadata=SecretMetadata(name="s"),
            data=SecretData(files=(File.from_bytes("/f", b"\x00"),)),
        )
    )
    await_body = sent_json(calls(wire, "POST")[0][2])
    assert await_body == {
        "metadata": {"name": "s"},
        "data": {"files": [{"path": "/f", "content": "AA=="}]},
    }
    with pytest.raises(ValueError, match="BY_NAME_ASC"):
        client.secrets.list(order="random")


async def test_project_secrets_paths(wire: Wire, client: AsyncClient) -> None:
    """/api/v1/projects/:project/secrets[/:secret], each segment encoded."""
    base = f"{ORIGIN}/api/v1/projects/my%20project/secrets"
    wire.get(f"{base}/db", payload=sample("secret_describe.json"))
    wire.delete(f"{base}/db", payload={})
    wire.patch(f"{base}/db", payload=sample("secret_describe.json"))
    await client.project_secrets.get("my project", "db")
    await client.project_secrets.update(
        "my project", "db", {"metadata": {"name": "db"}, "data": {"env_vars": []}}
    )
    await client.project_secrets.delete("my project", "db")
    assert sorted(m for m, _, _ in calls(wire)) == ["DELETE", "GET", "PATCH"]


# --- projects -----------------------------------------------------------------------------


async def test_projects_list_has_more(wire: Wire, client: AsyncClient) -> None:
    """x-has-more drives page+1, even after a short page."""
    listing = sample("project_list.json")
    wire.get(
        any_query(f"{API}/projects"), payload=[], headers={"x-page": "1", "x-has-more": "true"}
    )
    wire.get(
        any_query(f"{API}/projects"),
        payload=listing,
        headers={"x-page": "2", "x-has-more": "false"},
    )
    projects = await client.projects.list().collect()
    assert [p.name for p in projects] == ["semaphore-demo-go"]
    assert projects[0].spec is not None and projects[0].spec.repository is not None
    assert projects[0].spec.repository.run_on == ("tags", "branches")
    assert [split(u)[1] for _, u, _ in calls(wire)] == [{}, {"page": "2"}]


async def test_projects_create_update_delete(wire: Wire, client: AsyncClient) -> None:
    """Create sends only names the server reads (not apiVersion/kind, which it ignores);
    update by name looks up the id and PATCHes by id, and a model from an answer goes
    back without the server-assigned fields; delete by name accepts an empty 200."""
    created = sample("project_create.json")
    project_id = created["metadata"]["id"]
    wire.post(f"{API}/projects", payload=created)
    wire.get(f"{API}/projects/my-project", payload=created, repeat=True)
    wire.patch(f"{API}/projects/{project_id}", payload=created, repeat=True)
    wire.delete(f"{API}/projects/my-project", body=b"")
    made = await client.projects.create(
        Project(
            metadata=ProjectMetadata(name="my-project"),
            spec=ProjectSpec(repository=Repository(url="git@github.com:acme/x.git")),
        )
    )
    assert made.id == project_id
    await client.projects.update(
        "my-project",
        {"apiVersion": "v1alpha", "metadata": {"name": "my-project", "description": "d"}},
    )
    await client.projects.update("my-project", made)  # an answer sent back as it is
    await client.projects.delete("my-project")
    sent = calls(wire)
    assert [m for m, _, _ in sent] == ["POST", "GET", "PATCH", "GET", "PATCH", "DELETE"]
    assert sent_json(sent[0][2]) == {
        "metadata": {"name": "my-project"},
        "spec": {"repository": {"url": "git@github.com:acme/x.git"}},
    }
    assert sent_json(sent[2][2]) == {"metadata": {"name": "my-project", "description": "d"}}
    back = sent_json(sent[4][2])
    assert set(back) == {"metadata", "spec"}  # no apiVersion, kind
    assert "id" not in back["metadata"] and "owner_id" not in back["metadata"]
    assert "integration_type" not in back["spec"]["repository"]  # read on create only


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"metadata": {"name": "p", "description": "d"}}, "metadata.description cannot be set"),
        ({"metadata": {"name": "p"}, "spec": {"visibility": "public"}}, "spec.visibility"),
        ({"metadata": {"name": "p", "id": "x"}}, "assigned by the server"),
        ({"metadata": {"name": "p"}, "kind": "Dashboard"}, "kind must be 'Project'"),
        ({"metadata": {"name": "p"}, "spec": {"repository": {"run_on": ["tagz"]}}}, "tags"),
        ({"metadata": {"nmae": "p"}}, "did you mean 'name'"),
    ],
)
async def test_projects_create_refuses_what_the_server_would_drop(
    wire: Wire, client: AsyncClient, body: dict[str, Any], error: str
) -> None:
    """The server ignores a description and a visibility on create and unknown names
    anywhere; the SDK refuses them instead of letting them vanish."""
    with pytest.raises(sa.InvalidArgumentError, match=error):
        await client.projects.create(body)
    assert calls(wire) == []


async def test_projects_update_by_id_skips_lookup(wire: Wire, client: AsyncClient) -> None:
    """Given an id, update PATCHes it directly."""
    project_id = "a8b75bd0-6db9-48d6-abaa-98139aef9e69"
    wire.patch(f"{API}/projects/{project_id}", payload=sample("project_create.json"))
    await client.projects.update(project_id, {"metadata": {"name": "my-project"}})
    assert [m for m, _, _ in calls(wire)] == ["PATCH"]


async def test_whole_object_bodies_must_be_models_or_mappings(client: AsyncClient) -> None:
    """A wrong body type is an InvalidArgumentError naming the parameter."""
    with pytest.raises(sa.InvalidArgumentError, match="dashboard must be"):
        await client.dashboards.create(["not", "a", "dashboard"])  # type: ignore[arg-type]


# --- bulk, wait, and the shared gateway CRUD paths ----------------------------------------


@pytest.mark.parametrize(
    ("resource", "base", "args"),
    [
        ("dashboards", f"{API}/dashboards", ()),
        ("notifications", f"{API}/notifications", ()),
        ("secrets", f"{ORIGIN}/api/v1beta/secrets", ()),
        ("project_secrets", f"{ORIGIN}/api/v1/projects/p1/secrets", ("p1",)),
    ],
)
async def test_gateway_crud_paths(
    wire: Wire, client: AsyncClient, resource: str, base: str, args: tuple[str, ...]
) -> None:
    """get/create/update/delete of each gateway collection hit its own paths and methods."""
    api = getattr(client, resource)
    wire.get(f"{base}/x%2Fy", payload={})
    wire.post(base, payload={})
    wire.patch(f"{base}/x%2Fy", payload={})
    wire.delete(f"{base}/x%2Fy", payload={})
    await api.get(*args, "x/y")
    await api.create(*args, {"metadata": {"name": "n"}})
    await api.update(*args, "x/y", {"metadata": {"name": "m"}})
    await api.delete(*args, "x/y")
    sent = [(m, url) for m, url, _ in calls(wire)]
    assert sorted(sent) == sorted(
        [
            ("GET", f"{base}/x%2Fy"),
            ("POST", base),
            ("PATCH", f"{base}/x%2Fy"),
            ("DELETE", f"{base}/x%2Fy"),
        ]
    )
    assert sent_json(calls(wire, "PATCH")[0][2]) == {"metadata": {"name": "m"}}  # bare resource


async def test_get_many_wire(wire: Wire, client: AsyncClient) -> None:
    """pipelines.get_many and jobs.get_many send one GET per id, detailed when asked."""
    wire.get(
        re.compile(rf"{re.escape(API)}/pipelines/p\d\?detailed=true"),
        payload={"pipeline": {}},
        repeat=True,
    )
    wire.get(
        re.compile(rf"{re.escape(API)}/jobs/j\d"), payload=sample("job_describe.json"), repeat=True
    )
    await client.pipelines.get_many(["p1", "p2", "p3"], detailed=True)
    jobs = await client.jobs.get_many(["j1", "j2"])
    assert len(jobs) == 2
    urls = sorted(url for _, url, _ in calls(wire))
    assert urls == [f"{API}/jobs/j1", f"{API}/jobs/j2"] + [
        f"{API}/pipelines/p{i}?detailed=true" for i in (1, 2, 3)
    ]


async def test_wait_polls_until_done(wire: Wire, client: AsyncClient) -> None:
    """wait GETs the pipeline until its state is done, and returns that description."""
    url = f"{API}/pipelines/{PPL}"
    wire.get(url, payload={"pipeline": {"state": "running"}})
    wire.get(url, payload={"pipeline": {"state": "stopping"}})
    wire.get(url, payload={"pipeline": {"state": "done", "result": "stopped"}})
    final = await client.pipelines.wait(PPL, poll_interval=0.001)
    assert final.pipeline is not None and final.pipeline.result == "STOPPED"
    assert len(calls(wire)) == 3
