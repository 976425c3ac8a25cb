"""The machinery under the blocking ``Client``: one event-loop thread per client, with an
anyio blocking portal that owns everything run in it, and a bridge from async iterators
to plain ones.

Why a thread of our own rather than ``anyio.from_thread.start_blocking_portal()``: that
helper runs the loop in a non-daemon executor thread, and a script that forgets
``close()`` would then hang at interpreter exit. Ours is a daemon thread that ``close()``
stops and joins, so after ``with Client(...)`` no thread is left, and a forgotten client
never blocks exit (it warns ``ResourceWarning`` when collected).

**One way into the loop.** Every blocking call, single or part of an iteration, goes
through :meth:`PortalThread.call`: one ``call_soon_threadsafe`` hop starts it as an
asyncio task that the portal owns, and a lock hands the result back. The portal's
``serve`` (below) holds every such task: when the client closes it cancels them and
waits for them before its task group (where iterations run) and the loop end, so a call
still waiting is told the client closed. Neither ``portal.call`` nor the task group's
``start_soon`` is used per call, for speed, measured: ``portal.call`` makes two thread
hops (135-185 µs for a no-op, against 98-127 µs for ``run_coroutine_threadsafe``), and
starting each call through ``start_soon`` inside an anyio ``CancelScope`` cost about
40 µs more per call than the plain task used here (156-174 µs against 116-130 µs for a
no-op, on the bench machine); ``nox -s bench`` measures the whole blocking call against
a ``run_coroutine_threadsafe`` round trip.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import threading
import warnings
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import anyio
import attrs
from anyio.abc import TaskGroup
from anyio.from_thread import BlockingPortal
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from ._errors import ClientClosedError, SemaphoreError
from ._pagination import AsyncPaginator, Page
from ._query import PageRequest
from ._types import ProgressCallback

if TYPE_CHECKING:
    from ._client import AsyncClient

__all__ = ["BlockingBase", "Paginator", "PortalThread", "bridge_iterator"]

T = TypeVar("T")
R = TypeVar("R")

_HANDOFF_BATCH = 256
_CLOSED = "This client is closed; create a new Client."
_CLOSED_DURING = "This client was closed during the call."


@attrs.frozen
class _Running:
    """Everything a call needs, published at once when the loop thread is ready."""

    loop: asyncio.AbstractEventLoop
    portal: BlockingPortal
    calls: TaskGroup
    thread: threading.Thread
    context: contextvars.Context
    """The loop's own context, in which every callback from another thread runs: anyio
    (through sniffio, when installed) reads from it which async library is running, and
    a bare callback would not know (``AsyncLibraryNotFoundError``)."""
    owned: _Owned
    """The tasks of the calls in flight, which the portal cancels and awaits on close."""


class _Owned:
    """The call tasks the portal owns; touched only in the loop thread."""

    __slots__ = ("closing", "tasks")

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()
        self.closing = False

    async def close(self) -> None:
        """Cancel every call still running and wait until each has ended."""
        self.closing = True
        for task in self.tasks:
            task.cancel()
        if self.tasks:
            with anyio.CancelScope(shield=True):
                await asyncio.wait(list(self.tasks))


class PortalThread:
    """A daemon thread running an asyncio loop with an anyio portal, started on first use
    and stopped by :meth:`stop`.

    The start-up state is one immutable record assigned under the lock once the thread
    is fully up, so any number of threads may make the first call at once. Using it after
    ``os.fork()`` in the child raises a clear error: the loop thread does not survive a
    fork, and the parent's pooled connections must not be shared with the child.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._lock = threading.Lock()
        self._running: _Running | None = None
        self._stopped = False
        self._pending: set[_Call[Any]] = set()
        self._pid = os.getpid()

    @property
    def running(self) -> bool:
        """True while the loop thread is up."""
        return self._running is not None

    def _get(self) -> _Running:
        if self._pid != os.getpid():
            raise SemaphoreError(
                "This Client was created in another process (before os.fork()); its event "
                "loop thread and connections stay with the parent. Create a new Client in "
                "the child process."
            )
        running = self._running
        if running is not None:
            return running
        with self._lock:
            if self._stopped:
                raise ClientClosedError(_CLOSED)
            if self._running is None:
                self._running = self._start()
            return self._running

    def start(self) -> None:
        """Start the loop thread now (it otherwise starts on the first call)."""
        self._get()

    def _start(self) -> _Running:
        ready = threading.Event()
        started: list[_Running] = []
        failure: list[BaseException] = []
        this_thread: list[threading.Thread] = []

        async def serve() -> None:
            owned = _Owned()
            async with BlockingPortal() as portal, anyio.create_task_group() as calls:
                loop, context = asyncio.get_running_loop(), contextvars.copy_context()
                started.append(_Running(loop, portal, calls, this_thread[0], context, owned))
                ready.set()
                await portal.sleep_until_stopped()
                # Calls still running when the client closes end with ClientClosedError,
                # then the iterations of the task group.
                await owned.close()
                calls.cancel_scope.cancel()

        def run() -> None:
            try:
                anyio.run(serve, backend="asyncio")
            except BaseException as exc:  # pragma: no cover - reported to the starter
                failure.append(exc)
            finally:
                ready.set()

        thread = threading.Thread(target=run, name=self._name, daemon=True)
        this_thread.append(thread)
        thread.start()
        ready.wait()
        if not started:  # pragma: no cover - anyio could not start a loop
            raise SemaphoreError("could not start the client's event loop") from (
                failure[0] if failure else None
            )
        return started[0]

    def call(self, func: Callable[..., Awaitable[R]], *args: Any, **kwargs: Any) -> R:
        """Run ``func(*args, **kwargs)`` as a task in the loop and wait for its result,
        from any thread but the loop's own. Interrupting the wait (Ctrl-C) cancels the
        task."""
        running = self._get()
        if threading.get_ident() == running.thread.ident:
            raise SemaphoreError(
                "A blocking Client was called from inside its own event loop (for "
                "example from a progress callback); use the AsyncClient there."
            )
        pending: _Call[R] = _Call(func, args, kwargs)
        with self._lock:
            if self._stopped:
                raise ClientClosedError(_CLOSED)
            self._pending.add(pending)
        try:
            try:
                running.loop.call_soon_threadsafe(
                    pending.start, running.owned, context=running.context
                )
            except RuntimeError:  # the loop closed in between
                raise ClientClosedError(_CLOSED) from None
            return pending.wait()
        except BaseException:
            # Ctrl-C lands wherever this thread happens to be, in the blocking wait or in
            # a line before it (the loop thread may start the call first): either way,
            # the call in the loop is stopped too, unless it had already answered.
            if not pending.answered:
                pending.interrupt(running)
            raise
        finally:
            with self._lock:
                self._pending.discard(pending)

    def stop(self) -> None:
        """Stop the portal, cancel what still runs in it, and join the thread. Idempotent."""
        with self._lock:
            self._stopped = True
            running, self._running = self._running, None
        if running is not None and self._pid == os.getpid():
            with contextlib.suppress(RuntimeError):  # the loop is already gone
                running.portal.call(running.portal.stop)
            if running.thread is not threading.current_thread():
                running.thread.join()
        # A call whose start the loop never got to run would wait forever: release it.
        with self._lock:
            leftover, self._pending = list(self._pending), set()
        for pending in leftover:
            pending.abandon()


class _Call(Generic[R]):
    """One call into the loop. The loop thread runs it as a task the portal owns and
    releases ``_done``; the caller waits on that lock (cheaper on both sides than a
    ``concurrent.futures.Future``)."""

    __slots__ = (
        "_args",
        "_cancelled",
        "_done",
        "_func",
        "_kwargs",
        "_ok",
        "_task",
        "_value",
        "answered",
    )

    def __init__(
        self, func: Callable[..., Awaitable[R]], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        self._func, self._args, self._kwargs = func, args, kwargs
        self._done = threading.Lock()
        self._done.acquire()
        self._value: Any = None
        self._ok = False
        self._cancelled = False
        self._task: asyncio.Task[None] | None = None
        self.answered = False  # the caller holds the outcome: nothing left to interrupt

    def start(self, owned: _Owned) -> None:
        """In the loop thread: start the call as a task the portal owns."""
        if owned.closing:
            self.abandon()
            return
        task = asyncio.get_running_loop().create_task(self._run())
        owned.tasks.add(task)
        task.add_done_callback(owned.tasks.discard)
        self._task = task

    async def _run(self) -> None:
        try:
            if self._cancelled:  # interrupted before the loop got to start it
                raise asyncio.CancelledError
            self._value = await self._func(*self._args, **self._kwargs)
            self._ok = True
        except asyncio.CancelledError:
            # Ctrl-C in the caller's thread, or the portal closing: the task is ours and
            # nobody else awaits it, so the cancellation ends here, told to the caller.
            reason = "The call was cancelled." if self._cancelled else _CLOSED_DURING
            self._value = ClientClosedError(reason)
        except BaseException as exc:  # handed to the caller, whatever it is
            self._value = exc
        finally:
            self._done.release()

    def abandon(self) -> None:
        """Fail the call without running it (the loop is gone)."""
        if self._done.locked():
            self._value = ClientClosedError(_CLOSED_DURING)
            self._done.release()

    def _cancel(self) -> None:
        self._cancelled = True
        if self._task is not None:
            self._task.cancel()

    def interrupt(self, running: _Running) -> None:
        """From the caller's thread: cancel the call in the loop, started or not."""
        with contextlib.suppress(RuntimeError):  # the loop is gone: nothing runs there
            running.loop.call_soon_threadsafe(self._cancel, context=running.context)

    def wait(self) -> R:
        """In the caller's thread: block until the call ends, and return or raise."""
        self._done.acquire()
        self.answered = True
        if self._ok:
            result: R = self._value
            return result
        error: BaseException = self._value
        self._value = None  # no reference cycle through the traceback
        raise error


# --- iterators ------------------------------------------------------------------------


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


class _Bridge:
    """One blocking iteration of an async iterator.

    The whole async iteration (every ``__anext__`` and the final ``aclose``) runs in one
    asyncio task, so an async generator that holds a timeout, a cancel scope or a
    connection across ``yield`` enters and exits it in the same task. That task feeds a
    bounded hand-off (``buffer`` items), so the async side runs at most that far ahead of
    the caller. A pump task in the portal's call group owns it, so stopping the portal
    stops the iteration too.

    :meth:`stop`, when the caller leaves early, closes the hand-off: an iteration waiting
    to hand an item over then ends at once, and one waiting inside ``__anext__`` is
    cancelled **once**, the asyncio way, so that the iterator's ``finally`` (the
    paginator's cancelling of the pages in flight, say) runs to completion, awaits
    included. ``stop`` returns only when all of that is done.
    """

    def __init__(self, make: Callable[[], AsyncIterator[Any]], buffer: int) -> None:
        # The hand-off and the event are made in open(), in the loop: anyio 4.0 builds
        # them only inside a running async library.
        self._make = make
        self._buffer = buffer
        self._send: MemoryObjectSendStream[Any] | None = None
        self._receive: MemoryObjectReceiveStream[Any] | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self._handing_over = False
        self._pumping: anyio.Event | None = None

    async def open(self, calls: TaskGroup) -> None:
        self._pumping = anyio.Event()
        self._send, self._receive = anyio.create_memory_object_stream[Any](self._buffer)
        if self._stopped:  # stopped before it started: nothing to run
            self._pumping.set()
            return
        self._task = asyncio.ensure_future(self._iterate())
        calls.start_soon(self._pump)

    async def _pump(self) -> None:
        assert self._task is not None and self._pumping is not None
        try:
            await asyncio.wait([self._task])
        finally:
            if not self._task.done():  # the portal is stopping
                self._task.cancel()
                with anyio.CancelScope(shield=True):
                    await asyncio.wait([self._task])
            self._pumping.set()

    async def _iterate(self) -> None:
        iterator = self._make()
        send = self._send
        assert send is not None
        try:
            async for item in iterator:
                self._handing_over = True
                try:
                    await send.send(item)
                finally:
                    self._handing_over = False
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            pass  # the caller left
        except Exception as exc:
            with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                await send.send(_Failure(exc))
        finally:
            send.close()
            closer = getattr(iterator, "aclose", None)
            if closer is not None:
                await closer()

    async def receive_batch(self) -> list[Any]:
        # Wait for one item, then take whatever else is ready: one thread hop per batch.
        receive = self._receive
        assert receive is not None
        try:
            batch = [await receive.receive()]
        except anyio.EndOfStream:
            return [_END]
        while len(batch) < _HANDOFF_BATCH:
            try:
                batch.append(receive.receive_nowait())
            except anyio.WouldBlock:
                break
            except anyio.EndOfStream:
                batch.append(_END)
                break
        return batch

    def stop_soon(self) -> None:
        """In the loop thread: ask the iteration to end, without waiting for it."""
        self._stopped = True
        if self._receive is not None:
            self._receive.close()
        task = self._task
        if task is not None and not task.done() and not self._handing_over:
            task.cancel()

    async def stop(self) -> None:
        """Ask the iteration to end and wait until its clean-up has run to the end."""
        self.stop_soon()
        if self._task is None or self._pumping is None:  # it never started (nor will)
            return
        with anyio.CancelScope(shield=True):
            await self._pumping.wait()


def bridge_iterator(
    thread: PortalThread, make: Callable[[], AsyncIterator[T]], *, buffer: int = 1
) -> Generator[T, None, None]:
    """A plain iterator over the async iterator ``make()`` builds.

    Leaving the ``for`` loop (``break``, an exception, Ctrl-C, or garbage collection of
    the iterator) stops the async iteration and waits until its ``finally`` has run to
    completion; the next call on the same client then works as usual.
    """
    bridge = _Bridge(make, buffer)
    running = thread._get()
    try:
        # Inside the try: an interrupt while the iteration starts still stops it.
        thread.call(bridge.open, running.calls)
        while True:
            for item in thread.call(bridge.receive_batch):
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
    finally:
        if threading.get_ident() == running.thread.ident:
            # Collected inside the loop thread itself: nothing may block here.
            bridge.stop_soon()
        else:
            with contextlib.suppress(ClientClosedError):
                thread.call(bridge.stop)


class Paginator(Generic[T]):
    """The blocking twin of :class:`~semaphore_async.AsyncPaginator`.

    ::

        for wf in sem.workflows.list(project_id): ...
        for page in sem.workflows.list(project_id).pages(): ...
        wfs = sem.workflows.list(project_id).collect(limit=100)

    Pages are fetched ahead in the client's event loop exactly as the async paginator
    does; leaving a ``for`` loop early stops that work and waits until the pages in
    flight are cancelled.
    """

    def __init__(self, thread: PortalThread, paginator: AsyncPaginator[T]) -> None:
        self._thread = thread
        self._async = paginator

    def __repr__(self) -> str:
        return repr(self._async).replace("AsyncPaginator", "Paginator", 1)

    @property
    def first_request(self) -> PageRequest:
        """The request of the first page."""
        return self._async.first_request

    def with_prefetch(self, prefetch: int) -> Paginator[T]:
        """A copy that keeps up to ``prefetch`` pages in flight."""
        return Paginator(self._thread, self._async.with_prefetch(prefetch))

    def resume_from(self, request: PageRequest) -> Paginator[T]:
        """A paginator that starts at ``request`` (e.g. ``exc.page_request``)."""
        return Paginator(self._thread, self._async.resume_from(request))

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def pages(self) -> Iterator[Page[T]]:
        """Iterate over :class:`~semaphore_async.Page` objects."""
        return bridge_iterator(self._thread, self._async.pages)

    def collect(
        self, limit: int | None = None, *, progress: ProgressCallback | None = None
    ) -> list[T]:
        """Every item, or the first ``limit``; ``progress(done, total)`` after each page
        (called in the client's event-loop thread)."""
        return self._thread.call(self._async.collect, limit, progress=progress)


def _shutdown(thread: PortalThread, client: AsyncClient) -> None:
    try:
        if thread.running:
            thread.call(client.close)
    finally:
        thread.stop()


class BlockingBase:
    """Lifecycle of the blocking client: the portal thread, ``with``, ``close()``."""

    _thread: PortalThread
    _async: AsyncClient

    def _start_portal(self, name: str) -> None:
        self._thread = PortalThread(name)
        self._closed = False
        # Closes the pool and stops the loop thread if the client is collected without
        # close() (the warning itself comes from __del__, where the repr still works).
        # It holds the thread and the async client, never `self`.
        self._finalizer = weakref.finalize(self, _shutdown, self._thread, self._async)

    def __enter__(self: Any) -> Any:
        if self._closed:
            raise ClientClosedError(_CLOSED)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool and stop the event-loop thread. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._finalizer()

    def __del__(self) -> None:
        thread = getattr(self, "_thread", None)
        if not getattr(self, "_closed", True) and thread is not None and thread.running:
            warnings.warn(
                f"{self!r} was not closed; use `with Client(...)` or call close()",
                ResourceWarning,
                stacklevel=2,
                source=self,
            )
