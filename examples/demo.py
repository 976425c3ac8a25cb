"""The demo: trigger a workflow, list pipelines, describe them, against the emulator.

Run with `nox -s demo`, or `python examples/demo.py` once the package is installed.
With `--base-url` and `--token` it runs the same steps against a real Semaphore
(it then triggers a real workflow in the first project you name with `--project`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter

from semaphore_async import AsyncClient, ProgressCallback, SemaphoreError
from semaphore_async.testing import Emulator


def progress_bar(label: str) -> ProgressCallback:
    def show(done: int, total: int | None) -> None:
        if total:
            filled = int(30 * done / total)
            sys.stdout.write(f"\r  {label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        else:
            sys.stdout.write(f"\r  {label} {done}")
        if total is not None and done >= total:
            sys.stdout.write("\n")
        sys.stdout.flush()

    return show


async def tour(sem: AsyncClient, project_id: str) -> None:
    print(f"Client: {sem!r}")

    print("\n1. Trigger a workflow on refs/heads/main")
    run = await sem.workflows.run(project_id, "refs/heads/main")
    print(f"  workflow {run.workflow_id}, first pipeline {run.pipeline_id}")

    print("\n2. Wait for its pipeline to finish")
    final = await sem.pipelines.wait(run.pipeline_id, timeout=30, detailed=True)
    print(f"  {final.pipeline.name}: {final.pipeline.state} / {final.pipeline.result}")
    job_ids = [job.job_id for block in final.blocks for job in block.jobs]

    print("\n3. List every pipeline of the project (all pages)")
    pipelines = await sem.pipelines.list(project_id).collect(progress=progress_bar("pages"))
    print(f"  {len(pipelines)} pipelines")

    print("\n4. Describe the 40 newest in detail, 8 at a time")
    ids = [p.ppl_id for p in pipelines[:40]]
    described = await sem.pipelines.get_many(
        ids, detailed=True, concurrency=8, progress=progress_bar("describe")
    )

    print(f"\n5. Read the logs of its {len(job_ids)} jobs, concurrently")
    logs = await sem.jobs.plain_logs(job_ids, progress=progress_bar("logs"))
    for job_id, text in zip(job_ids, logs, strict=True):
        last = text.rstrip().splitlines()[-1] if text.strip() else "(empty)"
        print(f"  {job_id}: {len(text.splitlines())} lines, last: {last[:60]}")

    print("\n6. Summary")
    results = Counter(str(d.pipeline.result) for d in described)
    jobs = sum(len(block.jobs) for d in described for block in d.blocks)
    print(f"  results: {dict(sorted(results.items()))}; {jobs} jobs in {len(described)} pipelines")
    print(f"  {'pipeline':<38} {'branch':<12} {'result':<8} {'done at (UTC)':<20} jobs")
    for d in described[:8]:
        p = d.pipeline
        done = p.done_at.strftime("%Y-%m-%d %H:%M:%S") if p.done_at else "-"
        n_jobs = sum(len(b.jobs) for b in d.blocks)
        print(f"  {p.ppl_id!s:<38} {p.branch_name!s:<12} {p.result!s:<8} {done:<20} {n_jobs}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", help="a real Semaphore origin instead of the emulator")
    parser.add_argument("--token", help="API token for --base-url")
    parser.add_argument("--project", help="project id for --base-url")
    args = parser.parse_args()
    try:
        if args.base_url:
            if not args.project:
                parser.error("--project is required with --base-url")
            async with AsyncClient(base_url=args.base_url, token=args.token) as sem:
                await tour(sem, args.project)
        else:
            async with Emulator() as emu:
                print(f"Started the Semaphore emulator on {emu.url}")
                async with emu.client() as sem:
                    await tour(sem, emu.project_ids[0])
    except SemaphoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\nDemo finished.")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
