"""The blocking Client's lifecycle under threads, early exits and interrupts."""

from __future__ import annotations

import asyncio
import gc
import signal
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest

import semaphore_async as sa
from semaphore_async import Client
from semaphore_async._blocking import PortalThread, bridge_iterator
from semaphore_async._pagination import DEFAULT_PREFETCH
from semaphore_async.testing import Emulator
from tests.sync.signals import ctrl_c_once


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One emulator in a background thread for the module's blocking tests."""
    with Emulator(strict=True).serve_in_thread() as emulator:
        yield emulator


def _client_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "semaphore-async-client"]


def test_fresh_clients_shared_by_threads_from_the_first_call(emu: Emulator) -> None:
    """40 fresh clients, never entered with `with`; for each, 8 threads released by a
    barrier make the first call together. Every call succeeds, and after close() no loop
    thread is left behind."""
    threads_before = len(_client_threads())
    ppl_id = next(iter(emu.state.pipelines))
    failures: list[BaseException] = []
    answers: list[str] = []
    for _ in range(40):
        client = emu.sync_client()
        barrier = threading.Barrier(8)

        def first_call(client: Client = client, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                answers.append(client.pipelines.get(ppl_id).pipeline.ppl_id)
            except BaseException as exc:  # recorded: any failure fails the test below
                failures.append(exc)

        workers = [threading.Thread(target=first_call) for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert len(_client_threads()) == threads_before + 1  # one loop thread per client
        client.close()
    assert failures == []
    assert answers == [ppl_id] * 320
    assert len(_client_threads()) == threads_before


def _finalizing(record: list[str], started: threading.Event | None = None) -> AsyncIterator[int]:
    async def gen() -> AsyncIterator[int]:
        try:
            for i in range(1000):
                if started is not None and i == 1:
                    started.set()
                yield i
                await asyncio.sleep(0)
        finally:
            record.append("cleaning")
            await asyncio.sleep(0.05)  # an await in finally: must not be cut short
            await asyncio.sleep(0)
            record.append("done")

    return gen()


@pytest.mark.parametrize("how", ["break", "exception", "garbage"])
def test_leaving_a_blocking_iteration_runs_its_cleanup_to_the_end(how: str) -> None:
    """Abandoned after one item (break, an exception, or garbage collection), the async
    iterator's finally runs to its end, awaits included; the next call works."""
    thread = PortalThread("early-exit")
    record: list[str] = []
    try:
        if how == "break":
            for _ in bridge_iterator(thread, lambda: _finalizing(record)):
                break
        elif how == "exception":
            with pytest.raises(ZeroDivisionError):  # noqa: PT012 - raised from the loop body
                for _ in bridge_iterator(thread, lambda: _finalizing(record)):
                    raise ZeroDivisionError
        else:
            iterator = bridge_iterator(thread, lambda: _finalizing(record))
            assert next(iterator) == 0
            del iterator
            gc.collect()
        assert record == ["cleaning", "done"]

        async def still_works() -> str:
            return "ok"

        assert thread.call(still_works) == "ok"
    finally:
        thread.stop()


def test_leaving_a_paginator_early_cancels_and_awaits_the_pages_in_flight(
    emu: Emulator,
) -> None:
    """A break while pages are being fetched ahead returns once they are cancelled: the
    emulator drains to nothing in flight, and no page is asked for afterwards."""
    emu.set_latency(0.2, path_prefix="/api/v1alpha/plumber-workflows")
    emu.reset_counters()

    def pages() -> int:
        return sum(r.path == "/api/v1alpha/plumber-workflows" for r in emu.requests)

    try:
        with emu.sync_client() as client:
            for _ in client.workflows.list(emu.project_ids[0]):
                break  # pages 2..5 are in flight now (a prefetch window of 4)
            # A request cancelled after its bytes were written still reaches the
            # server, a little later: wait until nothing is in flight and the count
            # has held still for longer than a page's latency.
            deadline = time.monotonic() + 10
            asked = -1
            while time.monotonic() < deadline:
                before = pages()
                time.sleep(0.3)
                if emu.control.in_flight == 0 and pages() == before == asked:
                    break
                asked = pages()
            assert emu.control.in_flight == 0
            # Only the first page and the window fetched ahead were ever asked for:
            # the cancelled pages started nothing after them.
            assert 1 <= asked <= 1 + DEFAULT_PREFETCH
            assert client.projects.get("project-1").name == "project-1"  # usable after
    finally:
        emu.set_latency(0)


@pytest.mark.skipif(
    not hasattr(signal, "pthread_kill"), reason="signal.pthread_kill exists only on POSIX"
)
def test_ctrl_c_during_a_blocking_iteration() -> None:
    """KeyboardInterrupt while iterating stops the iteration, lets the async iterator's
    finally run to the end, and leaves the loop usable."""
    thread = PortalThread("interrupt-iteration")
    record: list[str] = []
    started = threading.Event()
    try:
        with ctrl_c_once(started), pytest.raises(KeyboardInterrupt):  # noqa: PT012 - the loop is under test
            for _ in bridge_iterator(thread, lambda: _finalizing(record, started)):
                time.sleep(0.01)
        assert record == ["cleaning", "done"]

        async def still_works() -> int:
            return 42

        assert thread.call(still_works) == 42
    finally:
        thread.stop()


def test_stop_fails_calls_the_loop_never_started() -> None:
    """A call whose start never ran (the loop stopped first) is failed, not left waiting."""
    thread = PortalThread("stopped")
    thread.start()
    thread.stop()

    async def nothing() -> None:
        return None

    with pytest.raises(sa.ClientClosedError):
        thread.call(nothing)


def test_every_call_of_a_client_has_one_owner(emu: Emulator) -> None:
    """Single calls and iterations both run inside the portal's lifecycle (call tasks it
    owns, iterations in its task group): after close() nothing of theirs is left in any
    thread."""
    before = set(threading.enumerate())
    with emu.sync_client() as client:
        client.projects.list().collect()
        for _ in client.workflows.list(emu.project_ids[0]):
            break
    gc.collect()
    assert set(threading.enumerate()) - before == set()
