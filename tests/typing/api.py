"""Checked by mypy --strict only (not collected by pytest): the public API's types, for
both clients. A `# type: ignore[code]` line is a check too: with warn_unused_ignores
(part of --strict) it fails if the error it expects goes away."""

from __future__ import annotations

from datetime import datetime

from semaphore_async import (
    AsyncClient,
    AsyncPaginator,
    Client,
    Page,
    Paginator,
    Timeout,
    bounded_map,
)
from semaphore_async.models import (
    Job,
    JobState,
    LogEvent,
    Pipeline,
    PipelineDescription,
    PipelineResult,
    PipelineState,
    Workflow,
    WorkflowRun,
)
from semaphore_async.testing import Emulator


async def typed_usage(sem: AsyncClient) -> None:
    wf: Workflow = await sem.workflows.get("id")
    created: datetime | None = wf.created_at  # a timestamp can be unset
    wf_id: str = wf.wf_id  # always sent: no None check
    paginator: AsyncPaginator[Pipeline] = sem.pipelines.list("p", created_after=created)
    async for pipeline in paginator:
        state: PipelineState | str = pipeline.state  # unknown values stay strings
        result: PipelineResult | str | None = pipeline.result  # only once done
        del state, result
    async for page in sem.workflows.list("p").pages():
        first: Page[Workflow] = page
        del first
    run: WorkflowRun = await sem.workflows.run("p", "refs/heads/main")
    final: PipelineDescription = await sem.pipelines.wait(run.pipeline_id, detailed=True)
    name: str = final.pipeline.name  # the nested model is never None
    described: list[PipelineDescription] = await sem.pipelines.get_many(["a"])
    mixed: list[PipelineDescription | Exception] = await sem.pipelines.get_many(
        ["a"], return_exceptions=True
    )
    jobs: list[Job] = await sem.jobs.get_many(["j"])
    job_state: JobState | str = jobs[0].status.state
    texts: list[str] = await sem.jobs.plain_logs(["j"])
    maybe_texts: list[str | Exception] = await sem.jobs.plain_logs(["j"], return_exceptions=True)
    async for event in sem.jobs.log_events("j"):
        kind: str = event.event
        output: str | None = event.output
        del kind, output
    async for item, described_one in bounded_map(
        lambda p: sem.pipelines.get(p.ppl_id), sem.pipelines.list("p"), concurrency=4
    ):
        ppl_id: str = described_one.pipeline.ppl_id  # no exception without return_exceptions
        listed: Pipeline = item
        del ppl_id, listed
    async for _, outcome in bounded_map(
        sem.pipelines.get, ["a"], concurrency=4, return_exceptions=True
    ):
        either: PipelineDescription | Exception = outcome
        del either
        print(outcome.pipeline)  # type: ignore[union-attr]
    del wf_id, name, described, mixed, job_state, texts, maybe_texts


def blocking_usage(sem: Client) -> None:
    wf: Workflow = sem.workflows.get("id")
    paginator: Paginator[Pipeline] = sem.pipelines.list("p")
    for pipeline in paginator:
        state: PipelineState | str = pipeline.state
        del state
    for page in sem.workflows.list("p").pages():
        first: Page[Workflow] = page
        del first
    newest: list[Workflow] = sem.workflows.list("p").collect(limit=10)
    run: WorkflowRun = sem.workflows.run("p", "refs/heads/main")
    final: PipelineDescription = sem.pipelines.wait(run.pipeline_id, timeout=1.0)
    described: list[PipelineDescription] = sem.pipelines.get_many(["a"], concurrency=2)
    mixed: list[PipelineDescription | Exception] = sem.pipelines.get_many(
        ["a"], return_exceptions=True
    )
    for event in sem.jobs.log_events("j"):
        logged: LogEvent = event
        del logged
    text: str = sem.jobs.plain_log("j", artifact_job_logs=True)
    sem.workflows.get(42)  # type: ignore[arg-type]
    del wf, newest, final, described, mixed, text


def emulator_clients(emu: Emulator) -> None:
    sem: AsyncClient = emu.client(timeout=Timeout(total=5, sock_read=1), max_retries=0)
    blocking: Client = emu.sync_client(concurrency=4)
    emu.client(timeout="soon")  # type: ignore[arg-type]
    emu.sync_client(max_retries="3")  # type: ignore[arg-type]
    emu.client(no_such_option=True)  # type: ignore[call-arg]
    del sem, blocking
