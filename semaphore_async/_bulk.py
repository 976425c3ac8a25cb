"""Bounded concurrent fetching: results in input order (``bounded_gather``, behind
``get_many``), or streamed as they complete (``bounded_map``, public)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from ._args import callback, flag, identifiers
from ._errors import InvalidArgumentError
from ._types import ProgressCallback

if TYPE_CHECKING:
    from ._core import Core

__all__ = ["bounded_gather", "bounded_map", "check_concurrency", "get_many"]

A = TypeVar("A")
R = TypeVar("R")


def check_concurrency(core: Core, concurrency: int | None) -> int:
    """The call's bound: the keyword if given, else the client's ``concurrency``."""
    if concurrency is None:
        return core.config.concurrency
    return _positive_int("concurrency", concurrency)


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name} must be a positive integer, got {value!r}")
    return value


async def get_many(
    core: Core,
    call: Callable[[str], Awaitable[R]],
    ids: Iterable[str],
    *,
    name: str,
    concurrency: int | None,
    return_exceptions: bool,
    progress: ProgressCallback | None,
) -> list[Any]:
    """What every ``get_many`` does: check the ids and the keywords by the one argument
    rule, then :func:`bounded_gather`. A bad id raises before anything is sent, or with
    ``return_exceptions=True`` comes back in its place as its
    :class:`~semaphore_async.InvalidArgumentError`."""
    checked = identifiers(name, ids)
    flag("return_exceptions", return_exceptions)
    bound = check_concurrency(core, concurrency)
    callback("progress", progress)
    if not return_exceptions:
        for item in checked:
            if isinstance(item, InvalidArgumentError):
                raise item
    return await bounded_gather(
        core,
        call,
        checked,
        concurrency=bound,
        return_exceptions=return_exceptions,
        progress=progress,
    )


async def bounded_gather(
    core: Core,
    call: Callable[[A], Awaitable[R]],
    args: Iterable[A | InvalidArgumentError],
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
    limiter = core.limiter

    async def worker() -> None:
        nonlocal next_index, done
        while next_index < total:
            index = next_index
            next_index += 1
            # acquire/release rather than `async with`: no __aenter__ coroutine per item.
            item = items[index]
            if isinstance(item, InvalidArgumentError):  # refused before sending
                results[index] = item
                done += 1
                if progress is not None:
                    progress(done, total)
                continue
            await limiter.acquire()
            try:
                results[index] = await call(item)
            except Exception as exc:
                if not return_exceptions:
                    raise
                results[index] = exc
            finally:
                limiter.release()
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


@overload
def bounded_map(
    func: Callable[[A], Awaitable[R]],
    items: Iterable[A] | AsyncIterable[A],
    *,
    concurrency: int = 16,
    return_exceptions: Literal[False] = False,
) -> AsyncGenerator[tuple[A, R], None]: ...


@overload
def bounded_map(
    func: Callable[[A], Awaitable[R]],
    items: Iterable[A] | AsyncIterable[A],
    *,
    concurrency: int = 16,
    return_exceptions: Literal[True],
) -> AsyncGenerator[tuple[A, R | Exception], None]: ...


def bounded_map(
    func: Callable[[A], Awaitable[R]],
    items: Iterable[A] | AsyncIterable[A],
    *,
    concurrency: int = 16,
    return_exceptions: bool = False,
) -> AsyncGenerator[tuple[A, R], None] | AsyncGenerator[tuple[A, R | Exception], None]:
    """Run ``func`` over ``items`` with at most ``concurrency`` calls in flight, yielding
    ``(item, result)`` pairs **as they complete** (not in input order).

    ``items`` may be a list or an async iterable such as a paginator; it is read lazily,
    only as fast as calls finish, so a pipeline of stages starts working on the first
    page before the last one is fetched and never holds the whole list::

        pipelines = sem.pipelines.list(project_id)          # stage 1: pages, prefetched
        async for ppl, described in bounded_map(             # stage 2: describe each
            lambda p: sem.pipelines.get(p.ppl_id, detailed=True), pipelines, concurrency=20
        ):
            job_ids = [j.job_id for b in described.blocks for j in b.jobs]
            jobs = await sem.jobs.get_many(job_ids)          # stage 3: its jobs

    With ``return_exceptions=True`` a failed call yields ``(item, exception)``; otherwise
    the first failure cancels the calls in flight and is raised. Closing the generator
    early (``break`` inside ``contextlib.aclosing``) cancels what is still in flight.
    """
    _positive_int("concurrency", concurrency)
    flag("return_exceptions", return_exceptions)
    callback("func", func)
    return _stream(func, items, concurrency, return_exceptions)


async def _stream(
    func: Callable[[A], Awaitable[R]],
    items: Iterable[A] | AsyncIterable[A],
    concurrency: int,
    return_exceptions: bool,
) -> AsyncGenerator[tuple[A, Any], None]:
    source = _aiter(items)
    running: dict[asyncio.Future[R], A] = {}
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < concurrency:
                try:
                    item = await source.__anext__()
                except StopAsyncIteration:
                    exhausted = True
                    break
                running[asyncio.ensure_future(func(item))] = item
            if not running:
                return
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                item = running.pop(future)
                exc = future.exception()
                if exc is None:
                    yield item, future.result()
                elif return_exceptions and isinstance(exc, Exception):
                    yield item, exc
                else:
                    raise exc
    finally:
        for future in running:
            future.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        closer = getattr(source, "aclose", None)
        if closer is not None:
            await closer()


async def _aiter(items: Iterable[A] | AsyncIterable[A]) -> AsyncGenerator[A, None]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item
