"""The blocking Client: generated parity, one portal, threads, iterators, lifecycle."""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import signal
import sys
import threading
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import anyio
import anyio.lowlevel
import pytest

import semaphore_async as sa
from semaphore_async import AsyncClient, Client
from semaphore_async._blocking import PortalThread, bridge_iterator
from semaphore_async._http import HTTPRequest, HTTPResponse
from semaphore_async._transport import AiohttpTransport
from semaphore_async.testing import Emulator
from tests.sync.signals import ctrl_c_once

RESOURCES = [
    name
    for name, value in vars(AsyncClient(org="acme", token="t")).items()
    if not name.startswith("_")
]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One emulator in a background thread for the module's blocking tests."""
    with Emulator(strict=True).serve_in_thread() as emulator:
        yield emulator


@pytest.fixture
def sem(emu: Emulator) -> Iterator[Client]:
    """A blocking client for the emulator, closed after the test."""
    with emu.sync_client() as client:
        yield client


def _annotation(value: object) -> str:
    return (
        str(value).replace("AsyncPaginator[", "Paginator[").replace("AsyncIterator[", "Iterator[")
    )


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_method_has_a_blocking_twin(resource: str) -> None:
    """Same names, parameters, kinds, defaults and (rewritten) annotations."""
    async_resource = getattr(AsyncClient(org="acme", token="t"), resource)
    blocking = Client(org="acme", token="t")
    try:
        sync_resource = getattr(blocking, resource)
        names = [
            n
            for n, m in inspect.getmembers(async_resource)
            if inspect.ismethod(m) and not n.startswith("_")
        ]
        assert names
        for name in names:
            a = inspect.signature(getattr(async_resource, name))
            s = inspect.signature(getattr(sync_resource, name))
            assert [(p.name, p.kind, p.default) for p in a.parameters.values()] == [
                (p.name, p.kind, p.default) for p in s.parameters.values()
            ], name
            assert [_annotation(p.annotation) for p in a.parameters.values()] == [
                str(p.annotation) for p in s.parameters.values()
            ], name
            assert _annotation(a.return_annotation) == str(s.return_annotation), name
            assert not inspect.iscoroutinefunction(getattr(sync_resource, name)), name
    finally:
        blocking.close()


def test_constructor_keywords_match() -> None:
    """Client takes exactly AsyncClient's keywords, with the same defaults."""
    a = inspect.signature(AsyncClient.__init__).parameters
    s = inspect.signature(Client.__init__).parameters
    assert [(n, p.default) for n, p in a.items()] == [(n, p.default) for n, p in s.items()]


def test_generated_module_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """semaphore_async/_sync.py is exactly what the generator writes today."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "generate_sync.py"
    spec = importlib.util.spec_from_file_location("generate_sync", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "generate_sync", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    assert module.Generator().generate() == module.TARGET.read_text(encoding="utf-8")


def test_calls_results_and_errors(sem: Client, emu: Emulator) -> None:
    """Plain calls return models; API errors keep their classes."""
    project = emu.project_ids[0]
    run = sem.workflows.run(project, "main")
    assert run.workflow_id is not None and run.pipeline_id is not None
    assert sem.workflows.get(run.workflow_id).wf_id == run.workflow_id
    final = sem.pipelines.wait(run.pipeline_id, poll_interval=0.001)
    assert final.pipeline is not None and final.pipeline.is_done
    with pytest.raises(sa.NotFoundError):
        sem.pipelines.get("missing")
    many = sem.pipelines.get_many([run.pipeline_id, "missing"], return_exceptions=True)
    assert isinstance(many[1], sa.NotFoundError)


def test_paginators_are_plain_iterators(sem: Client, emu: Emulator) -> None:
    """for, .pages() and .collect() over every page."""
    project = emu.project_ids[1]
    items = [wf.wf_id for wf in sem.workflows.list(project)]
    assert len(items) == len(set(items)) == 75
    pages = list(sem.workflows.list(project).pages())
    assert [len(p.items) for p in pages] == [30, 30, 15]
    progress: list[tuple[int, int | None]] = []
    collected = sem.workflows.list(project).collect(
        limit=40, progress=lambda d, t: progress.append((d, t))
    )
    assert [w.wf_id for w in collected] == items[:40]
    assert progress[-1] == (40, 40)


def test_log_events_iterator(sem: Client, emu: Emulator) -> None:
    """An async-generator method becomes a plain iterator; plain_log returns text."""
    job_id = next(j for j, job in emu.state.jobs.items() if job.self_hosted)
    events = list(sem.jobs.log_events(job_id))
    assert [e.event for e in events] == [e["event"] for e in emu.state.jobs[job_id].log]
    assert sem.jobs.plain_log(job_id).startswith("checkout\n")


def test_break_closes_the_async_side(sem: Client, emu: Emulator) -> None:
    """Leaving a for loop early cancels the pump and the prefetch: no task is left."""
    emu.set_latency(0.02)
    try:
        for _ in sem.workflows.list(emu.project_ids[0]):
            break

        async def leftovers() -> list[str]:
            current = asyncio.current_task()
            return [
                repr(t.get_coro())
                for t in asyncio.all_tasks()
                if t is not current
                and not t.done()
                and "PortalThread._start" not in repr(t.get_coro())
            ]

        assert sem._thread.call(leftovers) == []
    finally:
        emu.set_latency(0)


def test_generator_holding_a_cancel_scope_across_yield() -> None:
    """The pump drives an async generator in one task, so a timeout held across yield
    is entered and exited in the same task (anyio would raise otherwise)."""

    async def timed() -> AsyncIterator[int]:
        with anyio.fail_after(30):
            for i in range(5):
                yield i
                await anyio.lowlevel.checkpoint()

    thread = PortalThread("test-portal")
    try:
        assert list(bridge_iterator(thread, timed)) == [0, 1, 2, 3, 4]
        iterator = bridge_iterator(thread, timed)
        assert next(iterator) == 0
        iterator.close()  # early exit: the scope is left in its own task, no error
    finally:
        thread.stop()


def test_errors_inside_iteration_propagate() -> None:
    """An exception raised by the async iterator reaches the for loop unchanged."""

    async def failing() -> AsyncIterator[int]:
        yield 1
        raise sa.ServerError("boom", status=500, method="GET", url="u")

    thread = PortalThread("test-portal")
    seen: list[int] = []

    def consume() -> None:
        for item in bridge_iterator(thread, failing):
            seen.append(item)

    try:
        with pytest.raises(sa.ServerError, match="boom"):
            consume()
        assert seen == [1]
    finally:
        thread.stop()


def test_threads_share_one_client(sem: Client, emu: Emulator) -> None:
    """8 threads x 50 calls on one Client, every answer correct."""
    ids = list(emu.state.pipelines)[:50]

    def worker(offset: int) -> list[bool]:
        ok = []
        for i in range(50):
            ppl_id = ids[(i + offset) % len(ids)]
            described = sem.pipelines.get(ppl_id)
            ok.append(described.pipeline is not None and described.pipeline.ppl_id == ppl_id)
        return ok

    with ThreadPoolExecutor(8) as pool:
        results = [r for chunk in pool.map(worker, range(8)) for r in chunk]
    assert len(results) == 400 and all(results)


class RecordingTransport(AiohttpTransport):
    """Notes the thread each request is sent from."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    async def send(self, request: HTTPRequest, timeout: sa.Timeout) -> HTTPResponse:  # noqa: ASYNC109
        self.threads.add(threading.get_ident())
        return await super().send(request, timeout)


def test_one_loop_thread_serves_every_call(emu: Emulator) -> None:
    """Every call, from any thread, runs in the client's one loop thread."""
    transport = RecordingTransport()
    with emu.sync_client(transport=transport) as client:
        ids = list(emu.state.pipelines)[:20]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(client.pipelines.get, ids))
        for ppl_id in ids[:5]:
            client.pipelines.get(ppl_id)
    assert len(transport.threads) == 1
    assert threading.get_ident() not in transport.threads


def test_no_thread_left_after_with(emu: Emulator) -> None:
    """After `with Client(...)` exits, its loop thread is gone and nothing warns."""
    before = {t.ident for t in threading.enumerate()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with emu.sync_client() as client:
            client.workflows.list(emu.project_ids[0]).collect(limit=1)
            assert any(t.name == "semaphore-async-client" for t in threading.enumerate())
        gc.collect()
    after = [t for t in threading.enumerate() if t.ident not in before]
    assert after == []
    assert all(
        t.daemon or t is threading.main_thread()
        for t in threading.enumerate()
        if t.name.startswith("semaphore")
    )


def test_closed_client_refuses(emu: Emulator) -> None:
    """A closed client raises ClientClosedError; close is idempotent."""
    client = emu.sync_client()
    client.projects.list().collect()
    client.close()
    client.close()
    assert client.is_closed
    with pytest.raises(sa.ClientClosedError):
        client.projects.get("project-1")


def test_unclosed_client_warns_and_stops_its_thread(emu: Emulator) -> None:
    """A client collected while open warns ResourceWarning and its thread stops."""
    before = set(threading.enumerate())
    holder = [emu.sync_client()]
    holder[0].projects.get("project-1")
    (thread,) = set(threading.enumerate()) - before  # the client's loop thread
    assert thread.name == "semaphore-async-client" and thread.is_alive()
    with pytest.warns(ResourceWarning, match="was not closed"):
        holder.clear()  # the last reference: the client is collected at once
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_works_with_sniffio_installed(emu: Emulator) -> None:
    """With sniffio installed (httpx brings it), anyio asks it which async library runs,
    also from the callback that starts each call in the loop: that callback runs in the
    loop's own context, so calls and iterations work (they failed with
    AsyncLibraryNotFoundError, reported as ClientClosedError)."""
    import sniffio

    assert callable(sniffio.current_async_library)  # installed, so anyio consults it
    project = emu.project_ids[0]
    expected = {w.wf_id for w in emu.state.workflows.values() if w.project_id == project}
    with emu.sync_client() as client:
        assert client.projects.get("project-1").name == "project-1"
        assert {wf.wf_id for wf in client.workflows.list(project)} == expected


def test_works_inside_a_running_event_loop(emu: Emulator) -> None:
    """Called from a thread that runs an event loop (a Jupyter cell, an async function),
    the blocking client works: it runs in its own loop thread."""

    async def inside() -> str | None:
        with emu.sync_client() as client:
            return client.projects.get("project-1").name

    # In a thread of its own: asyncio.run() in the test's thread would drop the loop
    # older pytest-asyncio releases keep there (left unclosed, a ResourceWarning later).
    answers: list[str | None] = []
    runner = threading.Thread(target=lambda: answers.append(asyncio.run(inside())))
    runner.start()
    runner.join(timeout=30)
    assert answers == ["project-1"]


def test_calling_from_its_own_loop_is_a_clear_error(emu: Emulator) -> None:
    """A progress callback that calls the blocking client would deadlock: clear error."""
    with emu.sync_client() as client:
        errors: list[BaseException] = []

        def progress(done: int, total: int | None) -> None:
            try:
                client.projects.get("project-1")
            except sa.SemaphoreError as exc:
                errors.append(exc)

        client.workflows.list(emu.project_ids[0]).collect(limit=1, progress=progress)
    assert errors and "use the AsyncClient" in str(errors[0])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork() exists only on POSIX")
def test_fork_gives_a_clear_error(emu: Emulator) -> None:
    """In a forked child the parent's Client raises, telling to create a new one."""
    with emu.sync_client() as client:
        client.projects.get("project-1")
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a multi-threaded process may deadlock.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # child
            code = 1
            try:
                client.projects.get("project-1")
            except sa.SemaphoreError as exc:
                code = 0 if "os.fork()" in str(exc) else 2
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
        assert client.projects.get("project-1").name == "project-1"  # the parent is fine


async def _sleep_until_cancelled(outcome: list[str], first: Callable[[], object]) -> None:
    """Run ``first``, then sleep; record a cancellation when it comes."""
    first()
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        outcome.append("cancelled")
        raise


def _let_cancellation_land(thread: PortalThread, outcome: list[str]) -> None:
    """Give the loop up to ~0.5 s to deliver a cancellation already asked for."""
    for _ in range(50):
        if outcome:
            return
        thread.call(asyncio.sleep, 0.01)


@pytest.mark.skipif(
    not hasattr(signal, "pthread_kill"), reason="signal.pthread_kill exists only on POSIX"
)
def test_ctrl_c_while_waiting_cancels_the_call_in_the_loop() -> None:
    """KeyboardInterrupt in the waiting (main) thread reaches the caller at once and
    cancels the call in the loop thread, rather than leaving it running."""
    thread = PortalThread("interrupt-test")
    started, outcome = threading.Event(), list[str]()
    try:
        with ctrl_c_once(started), pytest.raises(KeyboardInterrupt):
            thread.call(_sleep_until_cancelled, outcome, started.set)
        _let_cancellation_land(thread, outcome)
        assert outcome == ["cancelled"]
    finally:
        thread.stop()


@pytest.mark.skipif(
    not hasattr(signal, "pthread_kill"), reason="signal.pthread_kill exists only on POSIX"
)
def test_ctrl_c_before_the_wait_begins_still_cancels_the_call() -> None:
    """The loop thread may start the call, and a Ctrl-C arrive, before the caller's
    thread reaches its blocking wait. The call in the loop is cancelled all the same.
    The call interrupts itself as its first step, so the signal lands in that gap as
    often as the scheduler allows, and 200 rounds hit it many times over."""
    thread = PortalThread("interrupt-gap")
    main = threading.main_thread().ident or 0
    if threading.get_ident() != main:
        pytest.fail("signals are delivered to the main thread; run this test there")
    outcome: list[str] = []
    try:
        for round_ in range(200):
            outcome.clear()
            with pytest.raises(KeyboardInterrupt):
                thread.call(
                    _sleep_until_cancelled,
                    outcome,
                    lambda: signal.pthread_kill(main, signal.SIGINT),
                )
            _let_cancellation_land(thread, outcome)
            assert outcome == ["cancelled"], f"round {round_}: the call went on running"
    finally:
        thread.stop()


def test_closing_during_a_call_raises_client_closed() -> None:
    """A call in flight when another thread stops the loop ends with ClientClosedError,
    not a hang or a bare CancelledError."""
    thread = PortalThread("close-test")
    started = threading.Event()

    async def forever() -> None:
        started.set()
        await asyncio.sleep(3600)

    errors: list[BaseException] = []

    def caller() -> None:
        try:
            thread.call(forever)
        except BaseException as exc:  # recorded for the assertion below
            errors.append(exc)

    worker = threading.Thread(target=caller)
    worker.start()
    assert started.wait(5)
    thread.stop()
    worker.join(10)
    assert not worker.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], sa.ClientClosedError), errors
    assert "closed during the call" in str(errors[0])
