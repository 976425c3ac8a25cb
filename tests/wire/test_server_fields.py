"""The models, the request bodies and the emulator against the server's field tables
(``server_fields.py``, ``server_requests.py``), which are read from the server's source."""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs
import msgspec
import pytest

import semaphore_async.models as models
from semaphore_async import AsyncClient, HTTPRequest, HTTPResponse, InvalidArgumentError
from semaphore_async.models import (
    EnvVar,
    File,
    ObjectRule,
    OrgConfig,
    Project,
    ProjectMetadata,
    ProjectSpec,
    Repository,
    Secret,
    SecretData,
    SecretMetadata,
    SubjectRule,
)
from semaphore_async.testing import Emulator, MockTransport, reply
from tests.wire.server_fields import BY_ID, MESSAGES, Message
from tests.wire.server_requests import READS

ROWS = [m for m in MESSAGES if m.model is not None]


def _type_allows_none(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in (
        typing.get_args(tp)
    )


def _is_model(obj: object) -> bool:
    return isinstance(obj, type) and (
        attrs.has(obj) or (issubclass(obj, msgspec.Struct) and obj is not msgspec.Struct)
    )


def _fields(model: type) -> dict[str, Any]:
    """Each field's type, for the attrs models and the msgspec ones (``LogEvent``)."""
    if attrs.has(model):
        attrs.resolve_types(model)
        return {field.name: field.type for field in attrs.fields(model)}
    return {field.name: field.type for field in msgspec.structs.fields(model)}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_every_field_the_server_sends_is_a_model_attribute(row: Message) -> None:
    """Each field of the message is an attribute of its model, under its wire name."""
    fields = _fields(getattr(models, str(row.model)))
    missing = sorted(set(row.fields) - set(fields))
    assert not missing, f"{row.model} lacks {missing} ({row.source}, {row.message})"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_types_follow_what_the_server_sends(row: Message) -> None:
    """A field the server always sends is typed without None; one it leaves out or nulls
    in some states, and every timestamp (which has an unset value), allows None."""
    fields = _fields(getattr(models, str(row.model)))
    for name, presence in row.fields.items():
        allows_none = _type_allows_none(fields[name])
        assert allows_none == (presence != "always"), (row.id, name, presence, fields[name])


def test_models_hold_only_what_the_server_sends() -> None:
    """Every model field is in some row of its model (no field the server never sends),
    and every model of the package has rows."""
    by_model: dict[str, set[str]] = {}
    for row in ROWS:
        by_model.setdefault(str(row.model), set()).update(row.fields)
    public = {
        name for name, obj in vars(models).items() if _is_model(obj) and not name.startswith("_")
    }
    assert public == set(by_model), sorted(public ^ set(by_model))
    for name, wire in by_model.items():
        assert set(_fields(getattr(models, name))) == wire, name


# --- the emulator answers with the full field set ----------------------------------------


def check(value: Any, message_id: str, where: str) -> list[str]:
    """Where ``value`` differs from the server's message: a field always sent that is
    missing, or a field the server does not send."""
    message = BY_ID[message_id]
    if not isinstance(value, dict):
        return [f"{where}: not an object"]
    problems = [
        f"{where}.{name}: missing"
        for name, presence in message.fields.items()
        if presence != "optional" and name not in value
    ]
    problems += [
        f"{where}.{name}: not sent by the server" for name in value if name not in message.fields
    ]
    for name, nested in message.nested.items():
        inner = value.get(name)
        if isinstance(inner, list):
            for i, item in enumerate(inner):
                problems += check(item, nested, f"{where}.{name}[{i}]")
        elif inner is not None:
            problems += check(inner, nested, f"{where}.{name}")
    return problems


async def test_emulator_replies_carry_the_servers_full_field_set() -> None:
    """Every route the SDK uses answers, on the emulator, exactly the fields the server's
    message has: none missing, none invented."""
    async with Emulator(strict=True) as emu, emu.client() as sem:
        project = emu.project_ids[0]
        wf = next(iter(emu.state.workflows))
        ppl = emu.state.workflows[wf].initial_ppl_id
        target = next(iter(emu.state.targets))
        schedule = next(iter(emu.state.schedules))
        job = next(j for j in emu.state.jobs.values() if not j.self_hosted)
        hosted = next(j for j in emu.state.jobs.values() if j.self_hosted)
        agent = next(iter(emu.state.agents))
        promoted = next(iter(emu.state.promotions))
        await sem.tasks.run_now(schedule, branch="main")  # so the describe has triggers
        await sem.retention_policies.configure(
            project, job_level=[{"selector": "/**", "age": "1 week"}]
        )
        await sem.projects.update(
            "project-1",
            (await sem.projects.get("project-1")).__class__(
                metadata=ProjectMetadata(name="project-1"),
                spec=ProjectSpec(
                    repository=Repository(url="git@github.com:acme/project-1.git"),
                    tasks=(
                        models.ProjectTask(
                            name="t",
                            branch="refs/tags/v1",
                            parameters=(models.TaskParameter(name="P", required=True),),
                        ),
                    ),
                ),
            ),
        )
        art = f"artifacts/jobs/{job.job_id}/out.txt"
        calls: list[tuple[str, str, Any, str, bool]] = [
            ("GET", f"/api/v1alpha/plumber-workflows/{wf}", None, "workflow.describe", False),
            (
                "GET",
                "/api/v1alpha/plumber-workflows?project_id=" + project,
                None,
                "workflow.list.item",
                True,
            ),
            (
                "POST",
                "/api/v1alpha/plumber-workflows",
                {"project_id": project, "reference": "main"},
                "workflow.schedule",
                False,
            ),
            (
                "POST",
                f"/api/v1alpha/plumber-workflows/{wf}/reschedule?request_token=t1",
                None,
                "workflow.reschedule",
                False,
            ),
            (
                "GET",
                f"/api/v1alpha/pipelines/{ppl}?detailed=true",
                None,
                "pipeline.describe",
                False,
            ),
            (
                "GET",
                "/api/v1alpha/pipelines?project_id=" + project,
                None,
                "pipeline.list.item",
                True,
            ),
            (
                "POST",
                "/api/v1alpha/yaml",
                {"yaml_definition": "blocks: []"},
                "yaml.validate",
                False,
            ),
            (
                "GET",
                f"/api/v1alpha/promotions?pipeline_id={promoted}",
                None,
                "promotion.list.item",
                True,
            ),
            (
                "GET",
                "/api/v1alpha/deployment_targets?project_id=" + project,
                None,
                "deployment_target",
                True,
            ),
            (
                "GET",
                f"/api/v1alpha/deployment_targets/{target}?include_secrets=true",
                None,
                "deployment_target",
                False,
            ),
            (
                "GET",
                f"/api/v1alpha/deployment_targets/{target}/history",
                None,
                "deployment_target.history",
                False,
            ),
            (
                "PATCH",
                f"/api/v1alpha/deployment_targets/{target}/activate",
                None,
                "deployment_target.cordon",
                False,
            ),
            ("GET", "/api/v1alpha/schedules?project_id=" + project, None, "schedule", True),
            ("GET", f"/api/v1alpha/schedules/{schedule}", None, "schedule.describe", False),
            ("POST", f"/api/v1alpha/tasks/{schedule}/run_now", {}, "schedule.run_now", False),
            (
                "GET",
                f"/api/v1alpha/artifacts_retention_policies/{project}",
                None,
                "artifacts_retention_policy",
                False,
            ),
            ("GET", "/api/v1alpha/self_hosted_agent_types", None, "sh.agent_type.list", False),
            (
                "GET",
                "/api/v1alpha/self_hosted_agent_types/s1-emulated-1",
                None,
                "sh.agent_type",
                False,
            ),
            (
                "POST",
                "/api/v1alpha/self_hosted_agent_types",
                {"metadata": {"name": "s1-new"}},
                "sh.agent_type",
                False,
            ),
            ("GET", "/api/v1alpha/agents", None, "sh.agent.list", False),
            ("GET", f"/api/v1alpha/agents/{agent}", None, "sh.agent", False),
            ("GET", f"/api/v1alpha/logs/{job.job_id}", None, "logs.cloud", False),
            ("GET", f"/api/v1alpha/logs/{hosted.job_id}", None, "logs.loghub2_page", False),
            ("GET", f"/api/v1alpha/jobs/{job.job_id}", None, "jobs.job", False),
            ("GET", "/api/v1alpha/dashboards", None, "dashboards.list", False),
            ("GET", "/api/v1alpha/dashboards/dashboard-1", None, "dashboards.dashboard", False),
            ("GET", "/api/v1alpha/notifications", None, "notifications.list", False),
            (
                "GET",
                "/api/v1alpha/notifications/notify-1",
                None,
                "notifications.notification",
                False,
            ),
            ("GET", "/api/v1beta/secrets", None, "secrets.list", False),
            ("GET", "/api/v1beta/secrets/secret-1", None, "secrets.secret", False),
            ("GET", f"/api/v1/projects/{project}/secrets", None, "project_secrets.list", False),
            (
                "GET",
                f"/api/v1/projects/{project}/secrets/project-secret-1",
                None,
                "project_secrets.secret",
                False,
            ),
            (
                "POST",
                "/api/v1/artifacts",
                {"paths": [art], "type": "PULL"},
                "artifacts.signed_urls",
                False,
            ),
            ("GET", "/api/v1alpha/projects", None, "project", True),
            ("GET", "/api/v1alpha/projects/project-1", None, "project", False),
        ]
        problems: list[str] = []
        seen = set()
        for method, path, body, message_id, listed in calls:
            route, _, raw_query = path.partition("?")
            params = dict(parse_qsl(raw_query))
            answer = await sem.request(
                method, route, params=params or None, json=body, safe_to_retry=True
            )
            items = answer if listed else [answer]
            assert items, path
            for item in items:
                problems += check(item, message_id, f"{method} {route}")
            seen.add(message_id)
        assert problems == [], "\n".join(problems)
    # Every message of the table was reached, through its route or an enclosing one.
    reached = set(seen)
    pending = list(seen)
    while pending:
        for nested in BY_ID[pending.pop()].nested.values():
            if nested not in reached:
                reached.add(nested)
                pending.append(nested)
    assert set(BY_ID) - reached == set()


# --- every name the SDK sends is one the server reads ------------------------------------

_TEMPLATES = [
    (method, re.compile("^" + re.sub(r":id", r"[^/]+", path) + "$"), method, path)
    for method, path in READS
]


def _route(request: HTTPRequest) -> tuple[str, str]:
    path = urlsplit(request.url).path
    matches = [(m, p) for m, rx, m2, p in _TEMPLATES if m == request.method and rx.match(path)]
    assert matches, f"no server route for {request.method} {path}"
    return max(matches, key=lambda mp: mp[1].count("/"))


def _paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        out: set[str] = set()
        for key, item in value.items():
            name = f"{prefix}{key}"
            inner = _paths(item, f"{name}.") if isinstance(item, dict) else set()
            if isinstance(item, list) and any(isinstance(i, dict) for i in item):
                inner = set().union(*(_paths(i, f"{name}[].") for i in item))
            out |= inner or {name}
        return out
    return set()


def _read(name: str, names: frozenset[str]) -> bool:
    if "*" in names or name in names:
        return True
    if any(n.endswith(".*") and name.startswith(n[:-1]) for n in names):
        return True
    # An empty list or object (``"env_vars": []``, ``"webhook": {}``) of a read one.
    return any(n.startswith((f"{name}[].", f"{name}.")) for n in names)


def _answer(request: HTTPRequest) -> HTTPResponse:
    path = urlsplit(request.url).path
    if path.endswith("/api/v1alpha/schedules") and request.method == "POST":
        return reply(json="5b2f5a4d-0000-4000-8000-000000000000")
    if request.method == "GET" and path.endswith(("/deployment_targets", "/projects")):
        return reply(json=[{"metadata": {"id": "7d1e8c52-0000-4000-8000-000000000000"}}])
    if request.method == "GET" and path.endswith(
        ("/plumber-workflows", "/pipelines", "/promotions", "/schedules")
    ):
        return reply(json=[])
    if "/logs/" in path:
        return reply(json={"events": []})
    if "/plumber-workflows/" in path and request.method == "GET":
        return reply(json={"workflow": {}})
    return reply(json={})


SCHEDULE = "5b2f5a4d-0000-4000-8000-000000000000"
ID = "7d1e8c52-0000-4000-8000-000000000000"
WHEN = datetime(2026, 1, 2, tzinfo=timezone.utc)
Call = Callable[[AsyncClient], Awaitable[Any]]
EVERY_WRITE_AND_FILTER: list[Call] = [
    lambda s: s.workflows.run(
        ID, "main", commit_sha="c", pipeline_file="p.yml", parameters={"A": "1"}
    ),
    lambda s: s.workflows.list(
        ID,
        branch_name="b",
        requester_id="u",
        label="l",
        created_after=WHEN,
        created_before=WHEN,
        page_size=5,
    ).collect(),
    lambda s: s.workflows.get(ID),
    lambda s: s.workflows.rerun(ID),
    lambda s: s.workflows.stop(ID),
    lambda s: s.pipelines.get(ID, detailed=True),
    lambda s: s.pipelines.list(
        ID,
        wf_id=ID,
        branch_name="b",
        yml_file_path="y",
        created_after=WHEN,
        created_before=WHEN,
        done_after=WHEN,
        done_before=WHEN,
        label="l",
        queue_id="q",
        pr_head_branch="h",
        pr_target_branch="t",
        page_size=5,
    ).collect(),
    lambda s: s.pipelines.stop(ID),
    lambda s: s.pipelines.validate_yaml("blocks: []"),
    lambda s: s.promotions.list(ID, name="n", page_size=5).collect(),
    lambda s: s.promotions.trigger(ID, "prod", override=True, parameters={"P": "v"}),
    lambda s: s.jobs.get(ID),
    lambda s: s.jobs.stop(ID),
    lambda s: s.jobs.plain_log(ID),
    lambda s: s.tasks.run_now(
        SCHEDULE, branch="main", pipeline_file="p.yml", parameters={"P": "v"}
    ),
    lambda s: s.agent_types.list().collect(),
    lambda s: s.agent_types.get("s1-x"),
    lambda s: s.agent_types.create(
        "s1-x",
        assignment_origin="assignment_origin_aws_sts",
        release_after=60,
        aws_account_id="1",
        aws_role_name_patterns=["r"],
    ),
    lambda s: s.agent_types.update("s1-x", release_after=0),
    lambda s: s.agent_types.delete("s1-x"),
    lambda s: s.agent_types.disable_all("s1-x", only_idle=False),
    lambda s: s.agents.list(agent_type="s1-x", page_size=5).collect(),
    lambda s: s.agents.get("a"),
    lambda s: s.deployment_targets.list(ID).collect(),
    lambda s: s.deployment_targets.get(ID, include_secrets=True),
    lambda s: s.deployment_targets.get_by_name(ID, "prod"),
    lambda s: s.deployment_targets.create(
        ID,
        "prod",
        description="d",
        url="u",
        bookmark_parameter1="a",
        bookmark_parameter2="b",
        bookmark_parameter3="c",
        subject_rules=[SubjectRule(type="USER", subject_id="u", git_login="g")],
        object_rules=[ObjectRule(type="PR")],
        env_vars=[EnvVar(name="N", value="v")],
        files=[File.from_bytes("/f", b"x")],
    ),
    lambda s: s.deployment_targets.update(ID, name="n", env_vars=[], files=[]),
    lambda s: s.deployment_targets.delete(ID),
    lambda s: s.deployment_targets.activate(ID),
    lambda s: s.deployment_targets.deactivate(ID),
    lambda s: s.deployment_targets.history(
        ID,
        git_ref_type="branch",
        git_ref_label="main",
        triggered_by="u",
        parameter1="a",
        parameter2="b",
        parameter3="c",
    ).collect(),
    lambda s: s.schedules.list(ID, page_size=5).collect(),
    lambda s: s.schedules.get(SCHEDULE),
    lambda s: s.schedules.upsert("metadata: {name: n}\nspec: {project: web}\n", project_name="web"),
    lambda s: s.schedules.delete(SCHEDULE),
    lambda s: s.artifacts.signed_urls([f"artifacts/jobs/{ID}/x"], "PULL"),
    lambda s: s.retention_policies.get(ID),
    lambda s: s.retention_policies.configure(
        ID, project_level=[{"selector": "/**", "age": "1 week"}], workflow_level=[], job_level=[]
    ),
    lambda s: s.dashboards.list(page_size=5).collect(),
    lambda s: s.dashboards.get("d"),
    lambda s: s.dashboards.create(
        {
            "metadata": {"name": "d", "title": "D"},
            "spec": {
                "widgets": [{"name": "w", "type": "list_pipelines", "filters": {"project_id": ID}}]
            },
        }
    ),
    lambda s: s.dashboards.update("d", {"metadata": {"name": "d"}}),
    lambda s: s.dashboards.delete("d"),
    lambda s: s.notifications.list(page_size=5).collect(),
    lambda s: s.notifications.get("n"),
    lambda s: s.notifications.create(
        {
            "metadata": {"name": "n"},
            "spec": {
                "rules": [
                    {
                        "name": "r",
                        "filter": {"projects": ["p"], "tags": ["v1"], "states": ["finished"]},
                        "notify": {"email": {"cc": ["a@b.c"]}},
                    }
                ]
            },
        }
    ),
    lambda s: s.notifications.update("n", {"metadata": {"name": "n"}}),
    lambda s: s.notifications.delete("n"),
    lambda s: s.secrets.list(page_size=5, order="BY_NAME_ASC").collect(),
    lambda s: s.secrets.get("s"),
    lambda s: s.secrets.create(
        Secret(
            metadata=SecretMetadata(name="s"),
            data=SecretData(env_vars=(EnvVar(name="A", value="b"),)),
            org_config=OrgConfig(
                projects_access="ALLOWED",
                project_ids=(ID,),
                debug_access="JOB_DEBUG_NO",
                attach_access="JOB_ATTACH_NO",
            ),
        )
    ),
    lambda s: s.secrets.update(
        "s", {"metadata": {"name": "s"}, "org_config": {"project_access": "NONE"}}
    ),
    lambda s: s.secrets.delete("s"),
    lambda s: s.project_secrets.list("p", page_size=5).collect(),
    lambda s: s.project_secrets.get("p", "s"),
    lambda s: s.project_secrets.create(
        "p", {"metadata": {"name": "s"}, "data": {"files": [{"path": "/a", "content": b"x"}]}}
    ),
    lambda s: s.project_secrets.update("p", "s", {"metadata": {"name": "s"}}),
    lambda s: s.project_secrets.delete("p", "s"),
    lambda s: s.projects.list().collect(),
    lambda s: s.projects.get("p"),
    lambda s: s.projects.create(
        Project(
            metadata=ProjectMetadata(name="p"),
            spec=ProjectSpec(
                repository=Repository(url="u", run_on=("tags",), integration_type="github_app")
            ),
        )
    ),
    lambda s: s.projects.update(
        ID,
        Project(
            metadata=ProjectMetadata(name="p", description="d"),
            spec=ProjectSpec(
                visibility="public", tasks=(models.ProjectTask(name="t", scheduled=True),)
            ),
        ),
    ),
    lambda s: s.projects.delete("p"),
]


async def test_every_name_the_sdk_sends_is_one_the_server_reads() -> None:
    """Every write and filter of the SDK, with every keyword set: each query parameter and
    body field is a name its route reads (server_requests.py)."""
    transport = MockTransport(_answer)
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        for call in EVERY_WRITE_AND_FILTER:
            await call(sem)
    unread: list[str] = []
    routes = set()
    for request in transport.requests:
        route = _route(request)
        routes.add(route)
        reads = READS[route].names
        names = {k for k, _ in parse_qsl(urlsplit(request.url).query)}
        body = json.loads(request.body) if request.body else None
        names |= _paths(body) if isinstance(body, dict) else set()
        unread += [f"{route[0]} {route[1]}: {n}" for n in sorted(names) if not _read(n, reads)]
    assert unread == [], "\n".join(unread)
    assert set(READS) - routes - {("GET", "/api/v1/logs/:id")} == set()  # every route tried


# --- the organization secret's access policy reaches the server -------------------------


@pytest.mark.parametrize(
    "org_config",
    [
        OrgConfig(projects_access="ALLOWED"),
        {"projects_access": "allowed"},
        {"project_access": "ALLOWED"},  # the docs' name, translated
    ],
    ids=["model", "server-name", "docs-name"],
)
async def test_projects_access_reaches_the_server(org_config: Any) -> None:
    """Whichever spelling a caller uses, the policy goes out as projects_access (strict
    mode: any name the server would drop is a 400), and reads back as set."""
    async with Emulator(strict=True) as emu, emu.client() as sem:
        project = emu.project_ids[0]
        if isinstance(org_config, OrgConfig):
            config: Any = attrs.evolve(org_config, project_ids=(project,))
        else:
            config = {**org_config, "project_ids": [project]}
        created = await sem.secrets.create({"metadata": {"name": "scoped"}, "org_config": config})
        (sent,) = [
            r for r in emu.requests if r.method == "POST" and r.path == "/api/v1beta/secrets"
        ]
        assert json.loads(sent.body)["org_config"] == {
            "projects_access": "ALLOWED",
            "project_ids": [project],
        }
        assert created.org_config is not None
        assert (created.org_config.projects_access, created.org_config.project_ids) == (
            "ALLOWED",
            (project,),
        )


@pytest.mark.parametrize(
    ("org_config", "error"),
    [
        ({"project_access": "ALLOWED", "projects_access": "ALL"}, "gives both"),
        ({"projects_access": "ALLOWD"}, "not a value the server knows"),
        ({"project_acess": "ALLOWED"}, "did you mean 'project_access'"),
    ],
)
async def test_projects_access_mistakes_are_refused(org_config: dict[str, str], error: str) -> None:
    """Ambiguous, misspelt or unknown policies are refused before anything is sent: the
    gateway would drop the name, or turn an unknown value into ALL."""
    transport = MockTransport(lambda request: reply(json={}))
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        with pytest.raises(InvalidArgumentError, match=error):
            await sem.secrets.create({"metadata": {"name": "s"}, "org_config": org_config})
    assert transport.requests == []
