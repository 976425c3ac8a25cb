"""One rule for arguments, the same in every method and in single and bulk calls: a bad
one raises InvalidArgumentError (a SemaphoreError and a ValueError) before anything is
sent; in a bulk call with return_exceptions=True it comes back in its place."""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

import semaphore_async as sa
from semaphore_async import AsyncClient, InvalidArgumentError, bounded_map
from semaphore_async.testing import MockTransport, reply

ID = "7d1e8c52-0000-4000-8000-000000000000"
BAD_IDS: list[Any] = ["", "   ", "\t", ".", "..", 42, None, b"bytes", uuid.UUID(int=1)]

# Every public method with an id parameter, called with ``bad`` in that parameter's place.
IdCall = Callable[[AsyncClient, Any], Any]
ID_PARAMETERS: dict[str, IdCall] = {
    "workflows.run/project_id": lambda s, bad: s.workflows.run(bad, "main"),
    "workflows.get/workflow_id": lambda s, bad: s.workflows.get(bad),
    "workflows.list/project_id": lambda s, bad: s.workflows.list(bad),
    "workflows.rerun/workflow_id": lambda s, bad: s.workflows.rerun(bad),
    "workflows.stop/workflow_id": lambda s, bad: s.workflows.stop(bad),
    "pipelines.get/pipeline_id": lambda s, bad: s.pipelines.get(bad),
    "pipelines.list/project_id": lambda s, bad: s.pipelines.list(bad),
    "pipelines.list/wf_id": lambda s, bad: s.pipelines.list(wf_id=bad),
    "pipelines.stop/pipeline_id": lambda s, bad: s.pipelines.stop(bad),
    "pipelines.wait/pipeline_id": lambda s, bad: s.pipelines.wait(bad),
    "promotions.list/pipeline_id": lambda s, bad: s.promotions.list(bad),
    "promotions.trigger/pipeline_id": lambda s, bad: s.promotions.trigger(bad, "p"),
    "jobs.get/job_id": lambda s, bad: s.jobs.get(bad),
    "jobs.stop/job_id": lambda s, bad: s.jobs.stop(bad),
    "jobs.log_events/job_id": lambda s, bad: _first(s.jobs.log_events(bad)),
    "jobs.plain_log/job_id": lambda s, bad: s.jobs.plain_log(bad),
    "tasks.run_now/task_id": lambda s, bad: s.tasks.run_now(bad),
    "agent_types.get/name": lambda s, bad: s.agent_types.get(bad),
    "agent_types.create/name": lambda s, bad: s.agent_types.create(bad),
    "agent_types.update/name": lambda s, bad: s.agent_types.update(bad),
    "agent_types.delete/name": lambda s, bad: s.agent_types.delete(bad),
    "agent_types.disable_all/name": lambda s, bad: s.agent_types.disable_all(bad),
    "agents.get/name": lambda s, bad: s.agents.get(bad),
    "deployment_targets.list/project_id": lambda s, bad: s.deployment_targets.list(bad),
    "deployment_targets.get/target_id": lambda s, bad: s.deployment_targets.get(bad),
    "deployment_targets.get_by_name/project_id": lambda s, bad: s.deployment_targets.get_by_name(
        bad, "prod"
    ),
    "deployment_targets.create/project_id": lambda s, bad: s.deployment_targets.create(bad, "n"),
    "deployment_targets.update/target_id": lambda s, bad: s.deployment_targets.update(bad),
    "deployment_targets.delete/target_id": lambda s, bad: s.deployment_targets.delete(bad),
    "deployment_targets.activate/target_id": lambda s, bad: s.deployment_targets.activate(bad),
    "deployment_targets.deactivate/target_id": lambda s, bad: s.deployment_targets.deactivate(bad),
    "deployment_targets.history/target_id": lambda s, bad: s.deployment_targets.history(bad),
    "schedules.list/project_id": lambda s, bad: s.schedules.list(bad),
    "schedules.get/schedule_id": lambda s, bad: s.schedules.get(bad),
    "schedules.delete/schedule_id": lambda s, bad: s.schedules.delete(bad),
    "retention_policies.get/project_id": lambda s, bad: s.retention_policies.get(bad),
    "retention_policies.configure/project_id": lambda s, bad: s.retention_policies.configure(
        bad, job_level=[{"selector": "s", "age": "1 day"}]
    ),
    "dashboards.get/id_or_name": lambda s, bad: s.dashboards.get(bad),
    "dashboards.update/id_or_name": lambda s, bad: s.dashboards.update(bad, {}),
    "dashboards.delete/id_or_name": lambda s, bad: s.dashboards.delete(bad),
    "notifications.get/id_or_name": lambda s, bad: s.notifications.get(bad),
    "notifications.update/id_or_name": lambda s, bad: s.notifications.update(bad, {}),
    "notifications.delete/id_or_name": lambda s, bad: s.notifications.delete(bad),
    "secrets.get/id_or_name": lambda s, bad: s.secrets.get(bad),
    "secrets.update/id_or_name": lambda s, bad: s.secrets.update(bad, {}),
    "secrets.delete/id_or_name": lambda s, bad: s.secrets.delete(bad),
    "project_secrets.list/project_id_or_name": lambda s, bad: s.project_secrets.list(bad),
    "project_secrets.get/project_id_or_name": lambda s, bad: s.project_secrets.get(bad, "s"),
    "project_secrets.get/id_or_name": lambda s, bad: s.project_secrets.get("p", bad),
    "project_secrets.create/project_id_or_name": lambda s, bad: s.project_secrets.create(bad, {}),
    "project_secrets.update/project_id_or_name": lambda s, bad: s.project_secrets.update(
        bad, "s", {}
    ),
    "project_secrets.update/id_or_name": lambda s, bad: s.project_secrets.update("p", bad, {}),
    "project_secrets.delete/project_id_or_name": lambda s, bad: s.project_secrets.delete(bad, "s"),
    "project_secrets.delete/id_or_name": lambda s, bad: s.project_secrets.delete("p", bad),
    "projects.get/name": lambda s, bad: s.projects.get(bad),
    "projects.update/id_or_name": lambda s, bad: s.projects.update(bad, {}),
    "projects.delete/name": lambda s, bad: s.projects.delete(bad),
}


async def _first(iterator: AsyncIterator[Any]) -> Any:
    return await iterator.__anext__()


async def _settle(result: Any) -> None:
    """Await a coroutine, or walk a paginator (which checks when it is made)."""
    if inspect.isawaitable(result):
        await result
    elif isinstance(result, sa.AsyncPaginator):
        await result.collect()


@pytest.fixture
def transport() -> MockTransport:
    return MockTransport(lambda request: reply(json={}))


def _cases() -> list[Any]:
    return [
        pytest.param(call, bad, id=f"{name}={bad!r}")
        for name, call in ID_PARAMETERS.items()
        for bad in BAD_IDS
    ]


@pytest.mark.parametrize(("call", "bad"), _cases())
async def test_bad_ids_are_refused_before_anything_is_sent(
    transport: MockTransport, call: IdCall, bad: Any
) -> None:
    """An id must be a non-empty str, not only whitespace, not a dot segment."""
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        with pytest.raises(InvalidArgumentError) as info:
            await _settle(call(sem, bad))
    assert isinstance(info.value, sa.SemaphoreError) and isinstance(info.value, ValueError)
    assert transport.requests == []


TEXT_NAMES = {
    # Names that are text in a body or a filter, never a path segment.
    ("deployment_targets", "get_by_name", "name"),
    ("deployment_targets", "create", "name"),
    ("promotions", "trigger", "name"),
}


def test_the_table_covers_every_id_parameter() -> None:
    """Every positional parameter of a public method that names an id is in the table."""
    sem = AsyncClient(org="acme", token="t")
    expected = set()
    for attribute, resource in vars(sem).items():
        if attribute.startswith("_"):
            continue
        for name, method in inspect.getmembers(resource, inspect.ismethod):
            if name.startswith("_"):
                continue
            for parameter in inspect.signature(method).parameters.values():
                if parameter.kind is not parameter.POSITIONAL_OR_KEYWORD:
                    continue
                if re.search(r"(^|_)(id|name|id_or_name)$", parameter.name):
                    if (attribute, name, parameter.name) in TEXT_NAMES:
                        continue
                    expected.add(f"{attribute}.{name}/{parameter.name}")
    assert expected - set(ID_PARAMETERS) == set()


async def test_bulk_calls_refuse_a_bare_string(transport: MockTransport) -> None:
    """get_many("abc") would fetch /a, /b and /c: refused, as is a non-iterable."""
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        with pytest.raises(InvalidArgumentError, match="not a single str"):
            await sem.pipelines.get_many("abc")
        with pytest.raises(InvalidArgumentError, match="not a single bytes"):
            await sem.jobs.get_many(b"abc")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="iterable of ids"):
            await sem.jobs.get_many(42)  # type: ignore[call-overload]
    assert transport.requests == []


async def test_bad_ids_in_bulk_calls_follow_the_same_rule() -> None:
    """A bad id in get_many raises before anything is sent, or, with
    return_exceptions=True, comes back in its place while the good ones are fetched."""
    transport = MockTransport(lambda request: reply(json={"metadata": {"id": request.url[-4:]}}))
    ids: list[Any] = ["a-01", "", "a-02", "..", " ", 7]
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        with pytest.raises(InvalidArgumentError, match=r"job_ids\[1\]"):
            await sem.jobs.get_many(ids)
        assert transport.requests == []
        results = await sem.jobs.get_many(ids, return_exceptions=True)
    assert [r.id if isinstance(r, sa.models.Job) else type(r) for r in results] == [
        "a-01",
        InvalidArgumentError,
        "a-02",
        InvalidArgumentError,
        InvalidArgumentError,
        InvalidArgumentError,
    ]
    assert len(transport.requests) == 2


Keywords = Callable[[AsyncClient], Awaitable[Any]]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.pipelines.get("p", detailed="yes"), "detailed must be True or False"),
        (lambda s: s.pipelines.get_many(["p"], detailed=1), "detailed must be True or False"),
        (lambda s: s.pipelines.get_many(["p"], return_exceptions="no"), "return_exceptions"),
        (lambda s: s.promotions.trigger("p", "n", override="true"), "override"),
        (lambda s: s.agent_types.disable_all("a", only_idle=None), "only_idle"),
        (lambda s: s.deployment_targets.get("t", include_secrets="1"), "include_secrets"),
        (lambda s: s.pipelines.wait("p", timeout=float("inf")), "finite"),
        (lambda s: s.pipelines.wait("p", timeout=float("nan")), "finite"),
        (lambda s: s.pipelines.wait("p", timeout=0), "above zero"),
        (lambda s: s.pipelines.wait("p", poll_interval=-1), "above zero"),
        (lambda s: s.pipelines.get_many(["p"], progress="x"), "progress must be callable"),
        (lambda s: s.jobs.get_many(["j"], concurrency=0), "positive integer"),
        (lambda s: s.jobs.get_many(["j"], concurrency=True), "positive integer"),
        (lambda s: s.workflows.run("p", "main", parameters={"A": 1}), "must be a str"),
        (lambda s: s.request("GET", "https://elsewhere.example/api"), "starting with /api/"),
        (lambda s: s.request("GET", "/api/v1alpha/x/{id}"), "placeholders"),
        (lambda s: s.request("GET", "/api/{a}", path_params={"a": ".."}), "dot segment"),
    ],
)
async def test_flags_limits_and_callbacks_follow_the_rule(
    transport: MockTransport, call: Keywords, message: str
) -> None:
    """Booleans are bool, time limits finite and positive, callbacks callable."""
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        with pytest.raises(InvalidArgumentError, match=message):
            await call(sem)
    assert transport.requests == []


def test_bounded_map_checks_its_arguments() -> None:
    """bounded_map refuses a bad bound, flag or function at once."""

    async def twice(x: int) -> int:
        return 2 * x

    with pytest.raises(InvalidArgumentError, match="positive integer"):
        bounded_map(twice, [1], concurrency=0)
    with pytest.raises(InvalidArgumentError, match="return_exceptions"):
        bounded_map(twice, [1], return_exceptions="yes")  # type: ignore[call-overload]
    with pytest.raises(InvalidArgumentError, match="func must be callable"):
        bounded_map("twice", [1])  # type: ignore[call-overload]


# Every text and time filter of the lists that take them, by method: a bad value is
# refused with an error naming the keyword, before anything is sent.
FILTERS: dict[str, tuple[Callable[..., Any], tuple[str, ...], tuple[str, ...]]] = {
    "pipelines.list": (
        lambda s, **kw: s.pipelines.list(ID, **kw),
        ("branch_name", "yml_file_path", "label", "queue_id", "pr_head_branch", "pr_target_branch"),
        ("created_after", "created_before", "done_after", "done_before"),
    ),
    "workflows.list": (
        lambda s, **kw: s.workflows.list(ID, **kw),
        ("branch_name", "requester_id", "label"),
        ("created_after", "created_before"),
    ),
    "deployment_targets.history": (
        lambda s, **kw: s.deployment_targets.history(ID, **kw),
        ("git_ref_label", "triggered_by", "parameter1", "parameter2", "parameter3"),
        (),
    ),
}


def _filter_cases() -> list[Any]:
    cases = []
    bad: object
    for method, (call, texts, times) in FILTERS.items():
        for name in texts:
            for bad, why in (("", "must not be empty"), ("  ", "must not be empty"), (7, "str")):
                cases.append(pytest.param(call, name, bad, why, id=f"{method}/{name}={bad!r}"))
        for name in times:
            for bad in ("yesterday", float("inf"), True):
                cases.append(
                    pytest.param(
                        call, name, bad, "datetime or epoch", id=f"{method}/{name}={bad!r}"
                    )
                )
    return cases


@pytest.mark.parametrize(("call", "name", "bad", "why"), _filter_cases())
async def test_bad_list_filters_are_refused_by_name(
    transport: MockTransport, call: Callable[..., Any], name: str, bad: Any, why: str
) -> None:
    """Text filters are non-empty str, time filters a datetime or finite epoch seconds; the
    error names the keyword the caller wrote."""
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        with pytest.raises(InvalidArgumentError, match=rf"^{name} .*{why}"):
            await _settle(call(sem, **{name: bad}))
    assert transport.requests == []


def test_the_filter_table_covers_every_filter() -> None:
    """A new keyword on one of these lists must join the table."""
    for method, (_, texts, times) in FILTERS.items():
        resource, name = method.split(".")
        bound = getattr(getattr(AsyncClient(org="acme", token="t"), resource), name)
        keywords = {
            p.name
            for p in inspect.signature(bound).parameters.values()
            if p.kind is p.KEYWORD_ONLY and p.name not in ("page_size", "wf_id", "git_ref_type")
        }
        assert keywords == set(texts) | set(times), method
