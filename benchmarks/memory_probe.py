"""Peak RSS of iterating 30,000 workflows, keeping them or not (run in a fresh process
by the harness, so that the peak belongs to this measurement alone)."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path

from semaphore_async import AsyncClient


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far.

    Linux: ``VmHWM`` from ``/proc/self/status``, the high-water mark of this process's
    own memory. ``ru_maxrss`` is not used there: it survives ``exec``, so a probe started
    by a parent that had grown larger would start at the parent's peak and see nothing.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


async def run(origin: str, keep: bool) -> dict[str, int]:
    async with AsyncClient(base_url=origin, token="bench-token") as sem:
        warm = sem.workflows.list("p")
        await warm.collect(limit=30)  # imports, pool, converter: paid before the baseline
        before = peak_rss_bytes()
        kept = []
        count = 0
        async for wf in (
            sem.workflows.list("p")
            .with_prefetch(4)
            .resume_from(warm.first_request.with_params(total="30000"))
        ):
            count += 1
            if keep:
                kept.append(wf)
        return {"before": before, "peak": peak_rss_bytes(), "items": count, "kept": len(kept)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(sys.argv[1], sys.argv[2] == "keep"))))
