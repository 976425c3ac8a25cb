"""Bounded concurrent fetching: results in input order, or streamed as they complete."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ._core import Core
    from ._pagination import ProgressCallback

__all__ = ["bounded_gather", "check_concurrency"]

A = TypeVar("A")
R = TypeVar("R")


def check_concurrency(core: Core, concurrency: int | None) -> int:
    """The call's bound: the keyword if given, else the client's ``concurrency``."""
    if concurrency is None:
        return core.config.concurrency
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive integer, got {concurrency!r}")
    return concurrency


async def bounded_gather(
    core: Core,
    call: Callable[[A], Awaitable[R]],
    args: Iterable[A],
    *,
    concurrency: int,
    return_exceptions: bool,
    progress: ProgressCallback | None = None,
) -> list[Any]:
    """Run ``call`` over ``args`` with at most ``concurrency`` calls in flight.

    Results come back in input order. With ``return_exceptions`` an exception takes its
    item's place; otherwise the first one cancels the calls still in flight and is
    raised. ``concurrency`` workers pull from one queue, so ten thousand ids cost ten
    thousand requests but only ``concurrency`` tasks. Every request also takes a slot of
    the client-wide limiter (``max_connections`` slots), so several bulk calls running
    at once never queue inside the connection pool, where waiting counts against the
    connect timeout.
    """
    items = list(args)
    results: list[Any] = [None] * len(items)
    total = len(items)
    next_index = 0
    done = 0

    async def worker() -> None:
        nonlocal next_index, done
        while next_index < total:
            index = next_index
            next_index += 1
            async with core.limiter:
                try:
                    results[index] = await call(items[index])
                except Exception as exc:
                    if not return_exceptions:
                        raise
                    results[index] = exc
            done += 1
            if progress is not None:
                progress(done, total)

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, total))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return results
