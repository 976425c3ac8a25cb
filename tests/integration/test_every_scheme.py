"""Every pagination scheme walked over real HTTP: ≥ 3 pages, no duplicates, no gaps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio

import semaphore_async as sa
from semaphore_async import AsyncClient, AsyncPaginator
from semaphore_async.testing import Emulator


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    """An emulator with one project per page, and five projects."""
    async with Emulator(
        strict=True, projects=5, workflows_per_project=3, projects_page_size=1
    ) as emulator:
        yield emulator


def pages_of(emulator: Emulator, path: str) -> int:
    return sum(1 for r in emulator.requests if r.path == path and r.method == "GET")


async def walk(paginator: AsyncPaginator[Any], key: Callable[[Any], Any]) -> list[Any]:
    items = [key(item) async for item in paginator]
    assert len(items) == len(set(items)), "duplicates"
    return items


Case = Callable[[AsyncClient, Emulator], Awaitable[tuple[list[Any], list[Any], str, int]]]


async def link_promotions(sem: AsyncClient, emu: Emulator) -> tuple[list[Any], list[Any], str, int]:
    ppl_id = next(iter(emu.state.promotions))
    got = await walk(sem.promotions.list(ppl_id), lambda p: p.scheduled_pipeline_id)
    want = [
        p.scheduled_pipeline_id
        for p in sorted(emu.state.promotions[ppl_id], key=lambda p: p.triggered_at, reverse=True)
    ]
    return got, want, "/api/v1alpha/promotions", 3


async def link_schedules(sem: AsyncClient, emu: Emulator) -> tuple[list[Any], list[Any], str, int]:
    project = emu.project_ids[0]
    got = await walk(sem.schedules.list(project, page_size=3), lambda s: s.id)
    want = [s.id for s in sorted(emu.state.schedules.values(), key=lambda s: s.name)]
    return got, want, "/api/v1alpha/schedules", 3


async def has_more_projects(
    sem: AsyncClient, emu: Emulator
) -> tuple[list[Any], list[Any], str, int]:
    got = await walk(sem.projects.list(), lambda p: p.id)
    want = [p.id for p in sorted(emu.state.projects.values(), key=lambda p: p.name)]
    return got, want, "/api/v1alpha/projects", 5


async def cursor_agents(sem: AsyncClient, emu: Emulator) -> tuple[list[Any], list[Any], str, int]:
    got = await walk(sem.agents.list(page_size=5), lambda a: a.metadata.name)
    return got, sorted(emu.state.agents), "/api/v1alpha/agents", 3


async def cursor_before_history(
    sem: AsyncClient, emu: Emulator
) -> tuple[list[Any], list[Any], str, int]:
    target = next(t for t in emu.state.targets.values() if t.history)
    got = await walk(sem.deployment_targets.history(target.id), lambda d: d.id)
    want = [d.id for d in sorted(target.history, key=lambda d: d.triggered_at, reverse=True)]
    return got, want, f"/api/v1alpha/deployment_targets/{target.id}/history", 3


async def token_dashboards(
    sem: AsyncClient, emu: Emulator
) -> tuple[list[Any], list[Any], str, int]:
    got = await walk(sem.dashboards.list(page_size=3), lambda d: d.metadata.id)
    want = [r.id for r in sorted(emu.state.dashboards.values(), key=lambda r: r.name)]
    return got, want, "/api/v1alpha/dashboards", 3


async def token_notifications(
    sem: AsyncClient, emu: Emulator
) -> tuple[list[Any], list[Any], str, int]:
    got = await walk(sem.notifications.list(page_size=3), lambda d: d.metadata.id)
    want = [r.id for r in sorted(emu.state.notifications.values(), key=lambda r: r.name)]
    return got, want, "/api/v1alpha/notifications", 3


async def token_secrets(sem: AsyncClient, emu: Emulator) -> tuple[list[Any], list[Any], str, int]:
    got = await walk(sem.secrets.list(page_size=3), lambda d: d.metadata.id)
    want = [r.id for r in sorted(emu.state.secrets.values(), key=lambda r: r.name)]
    return got, want, "/api/v1beta/secrets", 3


async def token_project_secrets(
    sem: AsyncClient, emu: Emulator
) -> tuple[list[Any], list[Any], str, int]:
    project = emu.project_ids[0]
    got = await walk(sem.project_secrets.list(project, page_size=3), lambda d: d.metadata.id)
    records = emu.state.project_secrets[project].values()
    want = [r.id for r in sorted(records, key=lambda r: r.name)]
    return got, want, f"/api/v1/projects/{project}/secrets", 3


async def single_targets(sem: AsyncClient, emu: Emulator) -> tuple[list[Any], list[Any], str, int]:
    project = emu.project_ids[0]
    got = await walk(sem.deployment_targets.list(project), lambda t: t.id)
    want = [t.id for t in emu.state.targets.values() if t.project_id == project]
    return got, want, "/api/v1alpha/deployment_targets", 1


async def single_agent_types(
    sem: AsyncClient, emu: Emulator
) -> tuple[list[Any], list[Any], str, int]:
    got = await walk(sem.agent_types.list(), lambda t: t.metadata.name)
    return got, sorted(emu.state.agent_types), "/api/v1alpha/self_hosted_agent_types", 1


CASES: list[Case] = [
    link_promotions,
    link_schedules,
    has_more_projects,
    cursor_agents,
    cursor_before_history,
    token_dashboards,
    token_notifications,
    token_secrets,
    token_project_secrets,
    single_targets,
    single_agent_types,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
async def test_scheme_walks_every_page(emu: Emulator, case: Case) -> None:
    """All items, in the server's order, in the expected number of pages."""
    async with emu.client() as sem:
        got, want, path, pages = await case(sem, emu)
    assert got == want
    assert pages_of(emu, path) == pages


async def test_short_project_pages_do_not_end_the_walk(emu: Emulator) -> None:
    """A page emptied by the permission filter while x-has-more is true is not the end."""
    hidden = sorted(emu.state.projects.values(), key=lambda p: p.name)[1]
    hidden.hidden = True
    async with emu.client() as sem:
        names = [p.name async for p in sem.projects.list()]
    assert hidden.name not in names and len(names) == 4
    assert pages_of(emu, "/api/v1alpha/projects") == 5


async def test_collect_limit_on_cursor_scheme(emu: Emulator) -> None:
    """collect(limit=N) on a cursor list stops after the page holding item N."""
    async with emu.client() as sem:
        agents = await sem.agents.list(page_size=5).collect(limit=6)
    assert len(agents) == 6
    assert pages_of(emu, "/api/v1alpha/agents") == 2


async def test_token_loop_guard(emu: Emulator) -> None:
    """A gateway list that hands back the same page token raises instead of looping."""
    body = '{"dashboards": [{"metadata": {"name": "x"}}], "next_page_token": "SAME"}'
    emu.fail_next(200, body=body, times=3, path_prefix="/api/v1alpha/dashboards")
    async with emu.client() as sem:
        with pytest.raises(sa.PaginationLoopError):
            await sem.dashboards.list().collect()
    assert pages_of(emu, "/api/v1alpha/dashboards") == 2
