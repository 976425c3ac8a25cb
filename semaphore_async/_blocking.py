"""The machinery under the blocking ``Client``: one event-loop thread per client, with an
anyio blocking portal that owns everything run in it, and a bridge from async iterators
to plain ones.

Why a thread of our own rather than ``anyio.from_thread.start_blocking_portal()``: that
helper runs the loop in a non-daemon executor thread, and a script that forgets
``close()`` would then hang at interpreter exit. Ours is a daemon thread that ``close()``
stops and joins, so after ``with Client(...)`` no thread is left, and a forgotten client
never blocks exit (it warns ``ResourceWarning`` when collected).

**One way into the loop.** Every blocking call, single or part of an iteration, goes
through :meth:`PortalThread.call`, which starts the call as a task of a task group that
lives inside the portal (``serve`` below) and waits for it. When the portal stops, that
task group is cancelled with it, and any call still waiting is told the client closed.
``portal.call`` itself is not used per call: it makes two thread hops (one to spawn the
task, one for its result) and measured 135-185 µs for a no-op against 98-127 µs for
``asyncio.run_coroutine_threadsafe`` and 112 µs for the single hop used here
(``call_soon_threadsafe`` of the task group's ``start_soon``, result handed back through a
lock; ``benchmarks/`` measures the whole blocking call).
"""

from __future__ import annotations

import asyncio
import contextlib
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


@attrs.frozen
class _Running:
    """Everything a call needs, published at once when the loop thread is ready."""

    loop: asyncio.AbstractEventLoop
    portal: BlockingPortal
    calls: TaskGroup
    thread: threading.Thread


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
        started: list[tuple[asyncio.AbstractEventLoop, BlockingPortal, TaskGroup]] = []
        failure: list[BaseException] = []

        async def serve() -> None:
            async with BlockingPortal() as portal, anyio.create_task_group() as calls:
                started.append((asyncio.get_running_loop(), portal, calls))
                ready.set()
                await portal.sleep_until_stopped()
                # Calls still running when the client closes end with ClientClosedError.
                calls.cancel_scope.cancel()

        def run() -> None:
            try:
                anyio.run(serve, backend="asyncio")
            except BaseException as exc:  # pragma: no cover - reported to the starter
                failure.append(exc)
            finally:
                ready.set()

        thread = threading.Thread(target=run, name=self._name, daemon=True)
        thread.start()
        ready.wait()
        if not started:  # pragma: no cover - anyio could not start a loop
            raise SemaphoreError("could not start the client's event loop") from (
                failure[0] if failure else None
            )
        loop, portal, calls = started[0]
        return _Running(loop, portal, calls, thread)

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
                running.loop.call_soon_threadsafe(pending.start, running.calls)
            except RuntimeError:  # the loop closed in between
                raise ClientClosedError(_CLOSED) from None
            return pending.wait(running.loop)
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
    """One call into the loop. The loop thread runs it as a task of the portal's call
    group, inside a cancel scope of its own, and releases ``_done``; the caller waits on
    that lock (cheaper on both sides than a ``concurrent.futures.Future``)."""

    __slots__ = ("_args", "_cancelled", "_done", "_func", "_kwargs", "_ok", "_scope", "_value")

    def __init__(
        self, func: Callable[..., Awaitable[R]], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        self._func, self._args, self._kwargs = func, args, kwargs
        self._done = threading.Lock()
        self._done.acquire()
        self._value: Any = None
        self._ok = False
        self._cancelled = False
        self._scope: anyio.CancelScope | None = None

    def start(self, calls: TaskGroup) -> None:
        """In the loop thread: start the call as a task of ``calls``."""
        try:
            calls.start_soon(self._run)
        except RuntimeError:  # the group is shutting down
            self.abandon()

    async def _run(self) -> None:
        try:
            with anyio.CancelScope() as self._scope:
                if self._cancelled:
                    self._scope.cancel()
                self._value = await self._func(*self._args, **self._kwargs)
                self._ok = True
        except anyio.get_cancelled_exc_class():
            self._value = ClientClosedError("This client was closed during the call.")
            raise  # the group's own cancellation: let it through
        except BaseException as exc:  # handed to the caller, whatever it is
            self._value = exc
        finally:
            if not self._ok and self._value is None:  # our own scope was cancelled
                self._value = ClientClosedError("The call was cancelled.")
            self._done.release()

    def abandon(self) -> None:
        """Fail the call without running it (the loop is gone)."""
        if self._done.locked():
            self._value = ClientClosedError("This client was closed during the call.")
            self._done.release()

    def _cancel(self) -> None:
        self._cancelled = True
        if self._scope is not None:
            self._scope.cancel()

    def wait(self, loop: asyncio.AbstractEventLoop) -> R:
        """In the caller's thread: block until the call ends, and return or raise."""
        try:
            self._done.acquire()
        except BaseException:
            # Interrupted (Ctrl-C in the main thread): stop the call in the loop as well.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._cancel)
            raise
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
        self._make = make
        self._send: MemoryObjectSendStream[Any]
        self._receive: MemoryObjectReceiveStream[Any]
        self._send, self._receive = anyio.create_memory_object_stream[Any](buffer)
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self._handing_over = False
        self._pumping = anyio.Event()

    async def open(self, calls: TaskGroup) -> None:
        if self._stopped:  # stopped before it started: nothing to run
            self._pumping.set()
            return
        self._task = asyncio.ensure_future(self._iterate())
        calls.start_soon(self._pump)

    async def _pump(self) -> None:
        assert self._task is not None
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
        self._receive.close()
        task = self._task
        if task is not None and not task.done() and not self._handing_over:
            task.cancel()

    async def stop(self) -> None:
        """Ask the iteration to end and wait until its clean-up has run to the end."""
        self.stop_soon()
        if self._task is None:  # it never started (open() will not start it now)
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
