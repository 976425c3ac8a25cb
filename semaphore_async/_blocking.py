"""The machinery under the blocking ``Client``: one event-loop thread with an anyio
blocking portal per client, and a bridge from async iterators to plain ones.

Why a thread of our own rather than ``anyio.from_thread.start_blocking_portal()``: that
helper runs the loop in a non-daemon executor thread, and a script that forgets
``close()`` would then hang at interpreter exit. Ours is a daemon thread that ``close()``
stops and joins, so after ``with Client(...)`` no thread is left, and a forgotten client
never blocks exit (it warns ``ResourceWarning`` when collected).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import threading
import warnings
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import anyio
from anyio.from_thread import BlockingPortal
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from ._errors import ClientClosedError, SemaphoreError
from ._pagination import AsyncPaginator, Page, PageRequest, ProgressCallback

if TYPE_CHECKING:
    from ._client import AsyncClient

__all__ = ["BlockingBase", "Paginator", "PortalThread", "bridge_iterator"]

T = TypeVar("T")
R = TypeVar("R")

_HANDOFF_BATCH = 256


class PortalThread:
    """A daemon thread running an asyncio loop, reached through one anyio portal.

    Started on first use, stopped by :meth:`stop`. Using it after ``os.fork()`` in the
    child raises a clear error: the loop thread does not survive a fork, and the
    parent's pooled connections must not be shared with the child.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._stopped = False

    @property
    def running(self) -> bool:
        return self._portal is not None

    def portal(self) -> BlockingPortal:
        """The running portal, starting the thread on first use."""
        if self._pid != os.getpid():
            raise SemaphoreError(
                "This Client was created in another process (before os.fork()); its event "
                "loop thread and connections stay with the parent. Create a new Client in "
                "the child process."
            )
        portal = self._portal
        if portal is not None:
            return portal
        with self._lock:
            if self._stopped:
                raise ClientClosedError("This client is closed; create a new Client.")
            if self._portal is None:
                self._start()
            assert self._portal is not None
            return self._portal

    def _start(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []

        async def serve() -> None:
            async with BlockingPortal() as portal:
                self._loop = asyncio.get_running_loop()
                self._portal = portal
                ready.set()
                await portal.sleep_until_stopped()

        def run() -> None:
            try:
                anyio.run(serve, backend="asyncio")
            except BaseException as exc:  # pragma: no cover - reported to the starter
                failure.append(exc)
                ready.set()

        thread = threading.Thread(target=run, name=self._name, daemon=True)
        thread.start()
        ready.wait()
        if failure:  # pragma: no cover
            raise SemaphoreError("could not start the client's event loop") from failure[0]
        self._thread = thread

    def call(self, func: Callable[..., Awaitable[R]], *args: Any, **kwargs: Any) -> R:
        """Run ``func(*args, **kwargs)`` in the portal's loop and wait for it, from any
        thread but the loop's own.

        Single calls skip anyio's task-group spawn and go to the portal's loop with one
        thread hop each way (:class:`_PendingCall`). The portal still owns the loop, its
        lifetime and every iterator's pump task.
        """
        self.portal()
        if threading.current_thread() is self._thread:
            raise SemaphoreError(
                "A blocking Client was called from inside its own event loop (for "
                "example from a progress callback); use the AsyncClient there."
            )
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:  # stopped by another thread meanwhile
            raise ClientClosedError("This client is closed; create a new Client.")
        pending: _PendingCall[R] = _PendingCall(func, args, kwargs)
        try:
            loop.call_soon_threadsafe(pending.start)
        except RuntimeError:  # the loop closed in between
            raise ClientClosedError("This client is closed; create a new Client.") from None
        return pending.wait(loop, thread)

    def stop(self) -> None:
        """Stop the loop and join the thread. Idempotent."""
        with self._lock:
            self._stopped = True
            portal, self._portal = self._portal, None
            thread, self._thread = self._thread, None
            self._loop = None
        if portal is not None and self._pid == os.getpid():
            with contextlib.suppress(RuntimeError):
                portal.call(portal.stop)
        if thread is not None and thread is not threading.current_thread():
            thread.join()


class _PendingCall(Generic[R]):
    """One blocking call: the loop thread calls ``func`` (so even its synchronous part
    runs in the loop), awaits it and releases ``done``, on which the caller waits.

    A bare lock rather than the ``concurrent.futures.Future`` of
    ``asyncio.run_coroutine_threadsafe``, whose Condition costs more on both sides of
    the hop: a no-op call took ~340 µs against ~450 µs that way on the benchmark VM,
    and the blocking facade is measured in ``benchmarks/``.
    """

    __slots__ = ("_args", "_done", "_failed", "_func", "_kwargs", "_result", "_task")

    def __init__(
        self, func: Callable[..., Awaitable[R]], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        self._func, self._args, self._kwargs = func, args, kwargs
        self._done = threading.Lock()
        self._done.acquire()
        self._result: Any = None
        self._failed = False
        self._task: asyncio.Future[None] | None = None

    def start(self) -> None:
        """In the loop thread: run the call as a task."""
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        try:
            self._result = await self._func(*self._args, **self._kwargs)
        except BaseException as exc:  # handed to the caller, whatever it is
            self._result, self._failed = exc, True
        finally:
            self._done.release()

    def wait(self, loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> R:
        """In the caller's thread: block until the call ends, and return or raise."""
        try:
            # A timeout only to notice a loop thread that died without running the call.
            while not self._done.acquire(timeout=1.0):
                if not thread.is_alive():
                    raise ClientClosedError("This client was closed during the call.")
        except BaseException:
            # Interrupted (Ctrl-C in the main thread): stop the call in the loop as well.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._cancel)
            raise
        if not self._failed:
            result: R = self._result
            return result
        error: BaseException = self._result
        self._result = None  # no reference cycle through the traceback
        if isinstance(error, asyncio.CancelledError):
            raise ClientClosedError("This client was closed during the call.") from error
        raise error

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()


# --- iterators ------------------------------------------------------------------------


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


async def _pump(make: Callable[[], AsyncIterator[Any]], send: MemoryObjectSendStream[Any]) -> None:
    # The whole async iteration runs in this one task, so an async generator that holds
    # a timeout, a cancel scope or a connection across `yield` enters and exits it in the
    # same task.
    async with send:
        iterator = make()
        try:
            async for item in iterator:
                await send.send(item)
        except anyio.get_cancelled_exc_class():
            raise
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            return  # the consumer went away
        except BaseException as exc:
            with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                await send.send(_Failure(exc))
        finally:
            # Close the generator right here, under no new cancel scope: scopes it entered
            # before its last `yield` are still open in this task and must be the
            # innermost ones when they exit (a shield scope here would break that).
            closer = getattr(iterator, "aclose", None)
            if closer is not None:
                await closer()


async def _receive_batch(receive: MemoryObjectReceiveStream[Any]) -> list[Any]:
    # Wait for one item, then take whatever else is ready: one thread hop per batch.
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


def bridge_iterator(
    thread: PortalThread, make: Callable[[], AsyncIterator[T]], *, buffer: int = 1
) -> Generator[T, None, None]:
    """A plain iterator over the async iterator ``make()`` builds.

    One pump task per iteration feeds a bounded hand-off (``buffer`` items), so the async
    side runs at most that far ahead of the caller. Leaving the ``for`` loop (``break``,
    an exception, or garbage collection) cancels the pump, which closes the async
    iterator inside its own task.
    """
    send, receive = anyio.create_memory_object_stream[Any](max_buffer_size=buffer)
    pump = thread.portal().start_task_soon(_pump, make, send)
    try:
        while True:
            for item in thread.call(_receive_batch, receive):
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
    finally:
        if not pump.done():
            pump.cancel()
        concurrent.futures.wait([pump])
        with contextlib.suppress(ClientClosedError, SemaphoreError, RuntimeError):
            thread.call(receive.aclose)


class Paginator(Generic[T]):
    """The blocking twin of :class:`~semaphore_async.AsyncPaginator`.

    ::

        for wf in sem.workflows.list(project_id): ...
        for page in sem.workflows.list(project_id).pages(): ...
        wfs = sem.workflows.list(project_id).collect(limit=100)

    Pages are fetched ahead in the client's event loop exactly as the async paginator
    does; leaving a ``for`` loop early stops that work.
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
            raise ClientClosedError("This client is closed; create a new Client.")
        self._thread.portal()
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
