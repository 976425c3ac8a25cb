"""Every resource against the stateful emulator: what one call changes, the next sees."""

from __future__ import annotations

import hashlib

import attrs
import pytest

import semaphore_async as sa
from semaphore_async import AsyncClient
from semaphore_async.models import (
    AgentState,
    Dashboard,
    DashboardMetadata,
    EnvVar,
    File,
    JobResult,
    JobState,
    Project,
    ProjectMetadata,
    ProjectSecret,
    ProjectSecretMetadata,
    ProjectSpec,
    Repository,
    RetentionRule,
    Secret,
    SecretData,
    SecretMetadata,
    SubjectRule,
)
from semaphore_async.testing import Emulator

SCHEDULE_YAML = """\
apiVersion: v1.0
kind: Schedule
metadata:
  name: weekly
spec:
  project: project-1
  branch: main
  at: "0 4 * * 1"
"""


async def a_pipeline_with_jobs(sem: AsyncClient, emu: Emulator) -> list[str]:
    ppl = next(iter(emu.state.pipelines.values()))
    described = await sem.pipelines.get(ppl.ppl_id, detailed=True)
    return [job.job_id for block in described.blocks for job in block.jobs if job.job_id]


async def test_promotion_trigger_shows_in_list(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """A triggered promotion is listed afterwards, newest first, with its override."""
    ppl_id = next(iter(semaphore_emulator.state.promotions))
    before = await semaphore_client.promotions.list(ppl_id).collect()
    await semaphore_client.promotions.trigger(
        ppl_id, "canary", override=True, parameters={"PCT": "5"}
    )
    after = await semaphore_client.promotions.list(ppl_id).collect()
    assert len(after) == len(before) + 1
    assert (after[0].name, after[0].override) == ("canary", True)
    assert semaphore_emulator.state.promotions[ppl_id][-1].parameters == {"PCT": "5"}


async def test_jobs_describe_stop_and_bulk(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """A stopped job reads as STOPPED; get_many returns jobs in input order."""
    run = await semaphore_client.workflows.run(semaphore_emulator.project_ids[0], "main")
    assert run.pipeline_id is not None
    pipeline = semaphore_emulator.state.pipelines[run.pipeline_id]
    job_ids = [j.job_id for b in pipeline.blocks for j in b.jobs]
    job = await semaphore_client.jobs.get(job_ids[0])
    assert job.status.state is JobState.QUEUED and job.status.result is JobResult.NONE
    assert job.status.agent is None  # the gateway sends null before the job starts
    assert job.metadata.start_time is None  # "0" on the wire
    semaphore_emulator.control.job_stop_audit_fails = True  # {}{"error": ...} answer
    await semaphore_client.jobs.stop(job_ids[0])
    stopped = await semaphore_client.jobs.get(job_ids[0])
    assert (stopped.status.state, stopped.status.result) == (JobState.FINISHED, JobResult.STOPPED)
    many = await semaphore_client.jobs.get_many(list(reversed(job_ids)), concurrency=3)
    assert [j.id for j in many] == list(reversed(job_ids))
    with pytest.raises(sa.NotFoundError, match="Job nope not found"):
        await semaphore_client.jobs.get("nope")


async def test_job_logs_cloud_and_self_hosted(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """Both log kinds give the same events; storage never sees the API token."""
    job_ids = await a_pipeline_with_jobs(semaphore_client, semaphore_emulator)
    cloud = next(j for j in job_ids if not semaphore_emulator.state.jobs[j].self_hosted)
    hosted = next(j for j in job_ids if semaphore_emulator.state.jobs[j].self_hosted)
    for job_id in (cloud, hosted):
        events = [e async for e in semaphore_client.jobs.log_events(job_id)]
        expected = semaphore_emulator.state.jobs[job_id].log
        assert [e.event for e in events] == [e["event"] for e in expected]
    storage = [r for r in semaphore_emulator.requests if r.path.startswith("/api/v1/logs/")]
    assert len(storage) == 3  # 12 events in chunks of 5: next=5, next=10, next=null
    assert {r.authorized_with for r in storage} == {""}
    text = await semaphore_client.jobs.plain_log(hosted)
    assert text.startswith("checkout\ncheckout: line 1\n")
    assert "make test SHARD=1\n" in text


async def test_self_hosted_log_over_several_continuation_pages(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """A log served 5 events at a time comes back whole and in order, every field read."""
    job_ids = await a_pipeline_with_jobs(semaphore_client, semaphore_emulator)
    hosted = next(j for j in job_ids if semaphore_emulator.state.jobs[j].self_hosted)
    expected = semaphore_emulator.state.jobs[hosted].log
    assert len(expected) > 2 * semaphore_emulator.control.log_chunk  # three pages or more
    semaphore_emulator.reset_counters()
    events = [e async for e in semaphore_client.jobs.log_events(hosted)]
    assert [
        (e.event, e.directive, e.output, e.exit_code, e.result, int(e.timestamp.timestamp()))
        for e in events
        if e.timestamp is not None
    ] == [
        (
            e["event"],
            e.get("directive"),
            e.get("output"),
            e.get("exit_code"),
            e.get("result"),
            e["timestamp"],
        )
        for e in expected
    ]
    storage = [r for r in semaphore_emulator.requests if "/api/v1/logs/" in r.path]
    pages = [dict(r.query).get("token") for r in storage]
    chunk = semaphore_emulator.control.log_chunk
    assert pages == [None, *(str(n) for n in range(chunk, len(expected), chunk))]


async def test_plain_log_from_the_artifact_copy(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """artifact_job_logs=True reads agent/job_logs.txt through the signed redirect; the
    storage never sees the API token."""
    job_ids = await a_pipeline_with_jobs(semaphore_client, semaphore_emulator)
    semaphore_emulator.reset_counters()
    stored = await semaphore_client.jobs.plain_log(job_ids[0], artifact_job_logs=True)
    assert stored == await semaphore_client.jobs.plain_log(job_ids[0])
    storage = [r for r in semaphore_emulator.requests if r.path.startswith("/_storage/")]
    assert len(storage) == 1 and storage[0].authorized_with == ""


async def test_plain_logs_in_input_order_within_the_bound(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """plain_logs: one text per id in input order, at most `concurrency` in flight, an
    unknown id in its place with return_exceptions=True, progress after each log."""
    job_ids = await a_pipeline_with_jobs(semaphore_client, semaphore_emulator)
    singles = [await semaphore_client.jobs.plain_log(j) for j in job_ids]
    semaphore_emulator.set_latency(0.02, path_prefix="/api/v1alpha/logs")
    semaphore_emulator.reset_counters()
    seen: list[tuple[int, int | None]] = []
    ids = [*reversed(job_ids), "nope", job_ids[0]]
    texts = await semaphore_client.jobs.plain_logs(
        ids,
        concurrency=2,
        return_exceptions=True,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert texts[: len(job_ids)] == list(reversed(singles))
    assert isinstance(texts[-2], sa.NotFoundError) and texts[-1] == singles[0]
    assert semaphore_emulator.control.max_in_flight <= 2
    assert seen[-1] == (len(ids), len(ids))
    with pytest.raises(sa.NotFoundError):
        await semaphore_client.jobs.plain_logs(["nope", *job_ids])


async def test_task_run_now(semaphore_client: AsyncClient, semaphore_emulator: Emulator) -> None:
    """run_now starts a workflow on the given branch and records a trigger."""
    task = next(iter(semaphore_emulator.state.schedules.values()))
    run = await semaphore_client.tasks.run_now(
        task.id, branch="hotfix", pipeline_file=".semaphore/x.yml"
    )
    assert run.workflow_id is not None
    workflow = await semaphore_client.workflows.get(run.workflow_id)
    assert workflow.branch_name == "hotfix"
    described = await semaphore_client.schedules.get(task.id)
    assert described.triggers[-1].scheduled_workflow_id == run.workflow_id
    with pytest.raises(sa.InvalidArgumentError, match="must be a UUID"):
        await semaphore_client.tasks.run_now("not-a-uuid")  # the server would say 400


async def test_agent_types_lifecycle(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """Create (with its registration token), update, disable idle agents, delete."""
    created = await semaphore_client.agent_types.create("s1-fresh", release_after=60)
    assert created.status.registration_token
    assert created.spec.agent_name_settings.aws is None  # null for agent-origin types
    updated = await semaphore_client.agent_types.update("s1-fresh", release_after=90)
    assert updated.spec.agent_name_settings.release_after == 90
    assert (await semaphore_client.agent_types.get("s1-fresh")).status.registration_token is None
    with pytest.raises(sa.InvalidArgumentError, match="0 or at least 60"):
        await semaphore_client.agent_types.update("s1-fresh", release_after=30)
    kind = "s1-emulated-1"
    await semaphore_client.agent_types.disable_all(kind)  # only idle ones
    agents = await semaphore_client.agents.list(agent_type=kind).collect()
    for agent in agents:
        disabled = agent.metadata.disabled_at is not None
        assert disabled == (agent.status.state is AgentState.WAITING_FOR_JOB)
    await semaphore_client.agent_types.delete("s1-fresh")
    with pytest.raises(sa.NotFoundError):
        await semaphore_client.agent_types.get("s1-fresh")
    with pytest.raises(sa.BadRequestError, match="must by unique"):  # the server's typo
        await semaphore_client.agent_types.create(kind)


async def test_deployment_target_lifecycle(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """Created, fetched by id and name, updated, deactivated, listed, deleted; a repeated
    unique_token creates one target; secret values are never echoed back."""
    project = semaphore_emulator.project_ids[0]
    dt = semaphore_client.deployment_targets
    created = await dt.create(
        project,
        "qa",
        url="https://qa.example",
        unique_token="8b1c3f6e-2f4a-4b7e-9d1c-0a2b3c4d5e6f",
        subject_rules=[SubjectRule(type="ROLE", subject_id="Admin")],
        env_vars=[EnvVar(name="API_KEY", value="hunter2")],
        files=[File.from_bytes("/etc/qa.conf", b"secret=1")],
    )
    again = await dt.create(project, "qa", unique_token="8b1c3f6e-2f4a-4b7e-9d1c-0a2b3c4d5e6f")
    assert again.id == created.id
    assert sum(t.name == "qa" for t in semaphore_emulator.state.targets.values()) == 1
    assert created.env_vars is None and created.files is None  # not asked for
    stored = semaphore_emulator.state.targets[created.id]
    assert stored.files == [{"path": "/etc/qa.conf", "content": "c2VjcmV0PTE="}]
    secrets = await dt.get(created.id, include_secrets=True)
    digest = hashlib.md5(b"hunter2", usedforsecurity=False).hexdigest()
    assert secrets.env_vars == (EnvVar(name="API_KEY", value=digest),)  # never the value
    assert "hunter2" not in repr(secrets)
    assert (await dt.get_by_name(project, "qa")).id == created.id
    updated = await dt.update(created.id, description="quality")
    assert updated.description == "quality" and updated.url == "https://qa.example"
    # Env vars alone: the files are kept (the SDK sends their digests back).
    await dt.update(created.id, env_vars=[EnvVar(name="API_KEY", value="hunter3")])
    assert stored.env_vars == [{"name": "API_KEY", "value": "hunter3"}]
    assert stored.files == [{"path": "/etc/qa.conf", "content": "c2VjcmV0PTE="}]
    assert (await dt.deactivate(created.id)).cordoned is True
    assert (await dt.get(created.id)).active is False
    assert (await dt.activate(created.id)).cordoned is False
    assert "qa" in [t.name for t in await dt.list(project).collect()]
    await dt.delete(created.id)
    with pytest.raises(sa.NotFoundError):
        await dt.get(created.id)
    with pytest.raises(sa.NotFoundError):
        await dt.get_by_name(project, "qa")
    with pytest.raises(sa.BadRequestError, match="Changeset error"):
        await dt.create(project, "production")


async def test_schedule_upsert_update_delete(semaphore_client: AsyncClient) -> None:
    """upsert creates (id back), updates the scheduler the YAML's metadata.id names, and
    delete removes it; an unknown id is a 400, as the server answers it."""
    schedule_id = await semaphore_client.schedules.upsert(SCHEDULE_YAML, project_name="project-1")
    created = await semaphore_client.schedules.get(schedule_id)
    assert (created.schedule.name, created.schedule.branch) == ("weekly", "main")
    assert created.schedule.reference == "refs/heads/main"
    updated_yaml = SCHEDULE_YAML.replace("0 4", "0 5").replace(
        "name: weekly", f"name: weekly\n  id: {schedule_id}"
    )
    same = await semaphore_client.schedules.upsert(updated_yaml, periodic_id=schedule_id)
    assert same == schedule_id
    assert (await semaphore_client.schedules.get(schedule_id)).schedule.at == "0 5 * * 1"
    await semaphore_client.schedules.delete(schedule_id)
    with pytest.raises(sa.BadRequestError, match="not found"):
        await semaphore_client.schedules.get(schedule_id)


async def test_artifacts_and_retention(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """Signed URLs per path and method; retention ages normalised by the server."""
    job = "8119d8a5-15ec-4b68-8d0b-d1c4921a3d1c"
    urls = await semaphore_client.artifacts.signed_urls(
        [f"artifacts/jobs/{job}/log.txt", f"artifacts/jobs/{job}/x"], "YANK"
    )
    assert [u.method for u in urls] == ["DELETE", "DELETE"]
    assert f"/_storage/artifacts/jobs/{job}/log.txt?signature=" in urls[0].URL
    pushed = await semaphore_client.artifacts.signed_urls([f"artifacts/jobs/{job}/a"], "PUSH")
    assert [u.method for u in pushed] == ["HEAD", "PUT"]  # PUSH signs both per path
    project = semaphore_emulator.project_ids[0]
    assert (
        await semaphore_client.retention_policies.get(project)
    ).job_level_retention_policies == ()
    policy = await semaphore_client.retention_policies.configure(
        project,
        project_level=[{"selector": "/**/*", "age": "12 weeks"}],
        job_level=[RetentionRule(selector="/logs/**", age="3 months")],
    )
    assert policy.project_level_retention_policies[0].age == "12 weeks"
    assert policy.job_level_retention_policies[0].age == "3 months"
    assert policy.workflow_level_retention_policies == ()  # a full replace
    week = await semaphore_client.retention_policies.configure(
        project, job_level=[{"selector": "/x", "age": "7 days"}]
    )
    assert week.job_level_retention_policies[0].age == "1 week"  # normalised
    assert week.project_level_retention_policies == ()
    policy = await semaphore_client.retention_policies.configure(
        project,
        project_level=[{"selector": "/**/*", "age": "12 weeks"}],
        job_level=[RetentionRule(selector="/logs/**", age="3 months")],
    )
    assert (await semaphore_client.retention_policies.get(project)) == policy
    with pytest.raises(sa.BadRequestError):
        await semaphore_client.retention_policies.configure(
            project, job_level=[{"selector": "/x", "age": "forever"}]
        )


async def test_gateway_collections(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """Dashboards, notifications and both kinds of secrets: CRUD by id or name; duplicate
    names are 400 (not 409) and unknown ones 404, both google.rpc.Status bodies."""
    board = await semaphore_client.dashboards.create(
        Dashboard(metadata=DashboardMetadata(name="ops", title="Ops"))
    )
    assert board.metadata.id
    fetched = await semaphore_client.dashboards.get(board.metadata.id)
    assert fetched.metadata.title == "Ops"
    await semaphore_client.dashboards.update(
        "ops", {"metadata": {"name": "ops", "title": "Operations"}}
    )
    assert (await semaphore_client.dashboards.get("ops")).metadata.title == "Operations"
    with pytest.raises(sa.BadRequestError, match="already taken"):
        await semaphore_client.dashboards.create({"metadata": {"name": "ops"}})
    await semaphore_client.dashboards.delete("ops")
    with pytest.raises(sa.NotFoundError) as info:
        await semaphore_client.dashboards.get("ops")
    assert info.value.message == "Dashboard ops not found"

    note = await semaphore_client.notifications.create(
        {"metadata": {"name": "n"}, "spec": {"rules": [{"name": "r", "notify": {}}]}}
    )
    assert note.status.failures == ()
    assert note.metadata.creator_id  # set by the server from the caller
    # The SDK sent the slack and webhook objects the server needs to read the rule back.
    assert note.spec.rules[0].notify.webhook.status == "ACTIVE"
    await semaphore_client.notifications.delete("n")

    secret = Secret(
        metadata=SecretMetadata(name="deploy-key"),
        data=SecretData(
            env_vars=(EnvVar(name="K", value="v"),), files=(File.from_bytes("/k", b"\x01\x02"),)
        ),
    )
    created = await semaphore_client.secrets.create(secret)
    assert created.data.files[0].decoded() == b"\x01\x02"
    assert created.metadata.checkout_at is None
    await semaphore_client.secrets.delete("deploy-key")
    scoped = await semaphore_client.project_secrets.create(
        "project-1",
        ProjectSecret(metadata=ProjectSecretMetadata(name="deploy-key"), data=secret.data),
    )
    assert scoped.metadata.name == "deploy-key"
    assert scoped.metadata.project_id_or_name == semaphore_emulator.project_ids[0]
    assert (
        await semaphore_client.project_secrets.get("project-1", "deploy-key")
    ).data == created.data
    await semaphore_client.project_secrets.update(
        "project-1", "deploy-key", {"metadata": {"name": "renamed"}}
    )
    await semaphore_client.project_secrets.delete("project-1", "renamed")
    with pytest.raises(sa.NotFoundError):
        await semaphore_client.project_secrets.get("project-1", "renamed")


async def test_projects_lifecycle(
    semaphore_client: AsyncClient, semaphore_emulator: Emulator
) -> None:
    """Create, get, update (PATCH by id after a name lookup), delete (empty answer)."""
    project = Project(
        metadata=ProjectMetadata(name="svc"),
        spec=ProjectSpec(repository=Repository(url="git@github.com:acme/svc.git")),
    )
    created = await semaphore_client.projects.create(project)
    assert created.id and created.kind == "Project"
    updated = await semaphore_client.projects.update(
        "svc",
        attrs.evolve(created, metadata=attrs.evolve(created.metadata, description="API")),
    )
    assert updated.metadata.description == "API"
    assert updated.spec.repository.url == "git@github.com:acme/svc.git"
    patch = [r for r in semaphore_emulator.requests if r.method == "PATCH"][-1]
    assert patch.path == f"/api/v1alpha/projects/{created.id}"
    with pytest.raises(sa.BadRequestError):  # 422: the name is taken
        await semaphore_client.projects.create(project)
    await semaphore_client.projects.delete("svc")
    with pytest.raises(sa.NotFoundError):
        await semaphore_client.projects.get("svc")


async def test_unknown_route_and_missing_token(semaphore_emulator: Emulator) -> None:
    """A route the server lacks is 404 `oops`; no token is 401 everywhere."""
    async with semaphore_emulator.client(token="wrong") as sem:
        with pytest.raises(sa.AuthenticationError):
            await sem.dashboards.list().collect()
        with pytest.raises(sa.AuthenticationError):
            await sem.projects.get("project-1")
