"""``Emulator``: the in-memory Semaphore server, started on a loopback port."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    import aiohttp
    from typing_extensions import Unpack  # typing.Unpack is 3.11+; only mypy reads it

from aiohttp import web

from .._blocking import PortalThread
from .._client import AsyncClient
from .._config import Timeout
from .._http import Transport
from .._sync import Client
from ._faults import Chaos, Fault, LatencyRule, RateLimit
from ._server import EmulatorControl, RecordedRequest, build_app
from ._state import EmulatorState

__all__ = ["DEFAULT_TOKEN", "Emulator"]

DEFAULT_TOKEN = "emulator-token"
"""The API token an :class:`Emulator` accepts unless given ``token=``."""


class ClientOptions(TypedDict, total=False):
    """The keywords of :meth:`Emulator.client` and :meth:`Emulator.sync_client`: those of
    ``AsyncClient`` but the origin, which is the emulator's."""

    token: str
    timeout: float | aiohttp.ClientTimeout | Timeout | None
    max_retries: int
    max_connections: int
    concurrency: int
    user_agent: str | None
    transport: Transport | None


class Emulator:
    """A stateful, seeded Semaphore API on ``http://127.0.0.1:<port>``.

    ::

        async with Emulator() as emu:
            async with emu.client() as sem:
                async for wf in sem.workflows.list(emu.project_ids[0]):
                    ...

    ``port=0`` (the default) picks a free port; :attr:`url` is then the origin to pass
    as ``base_url`` and :attr:`token` the API token it accepts (``Authorization: Token
    <token>`` or ``Bearer <token>``; default ``"emulator-token"``). :attr:`project_ids`
    lists the seeded projects, each with ``workflows_per_project`` finished workflows;
    ``seed`` makes every id, name and timestamp reproducible.

    It answers as the open-source server does (its sources are cited module by module)
    and, like it, ignores request names it does not read. ``strict=True`` answers those
    with a 400 naming them instead, so a name the server would silently drop fails a
    test. ``secrets_access_policy=False`` emulates an organization without secret access
    policies (secrets then carry ``org_config: null``).

    ``link_base`` makes ``link`` headers point at another origin, as the real server
    does behind its HTTPS ingress (``http://...``); the SDK must re-base them.
    ``projects_page_size`` shrinks the server's fixed 500 projects a page, so that tests
    can walk several pages.
    Everything it answered is in :attr:`requests`; :attr:`max_in_flight` is the
    highest number of requests it was serving at once.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        projects: int = 2,
        workflows_per_project: int = 75,
        pipeline_steps: int = 2,
        link_base: str | None = None,
        projects_page_size: int = 500,
        strict: bool = False,
        secrets_access_policy: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.state = EmulatorState(
            seed=seed,
            projects=projects,
            workflows_per_project=workflows_per_project,
            pipeline_steps=pipeline_steps,
        )
        self.control = EmulatorControl(
            token=token,
            link_base=link_base,
            projects_page_size=projects_page_size,
            strict=strict,
            secrets_access_policy=secrets_access_policy,
        )
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None

    @property
    def token(self) -> str:
        """The API token the emulator accepts."""
        return self.control.token

    @property
    def url(self) -> str:
        """The origin to pass as ``base_url``."""
        if self._runner is None:
            raise RuntimeError("The emulator is not started; use `async with Emulator()`.")
        return f"http://{self.host}:{self.port}"

    @property
    def project_ids(self) -> list[str]:
        """The ids of the projects, in the order they were made (seeded ones first)."""
        return list(self.state.projects)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request answered, in order (credentials never recorded)."""
        return self.control.requests

    @property
    def max_in_flight(self) -> int:
        """The highest number of requests served at once."""
        return self.control.max_in_flight

    async def drained(self) -> None:
        """Wait until no request is being served (a stalled answer ends when its client
        disconnects), so that :attr:`requests` is complete."""
        while self.control.in_flight:
            self.control.idle.clear()
            await self.control.idle.wait()

    def reset_counters(self) -> None:
        """Forget recorded requests and the in-flight maximum."""
        self.control.requests.clear()
        self.control.max_in_flight = 0
        self.control.served = 0

    # --- fault injection (see semaphore_async.testing._faults) ---------------------------

    def set_latency(self, seconds: float, *, jitter: float = 0.0, path_prefix: str = "") -> None:
        """Delay answers (on routes under ``path_prefix``) by ``seconds`` plus up to
        ``jitter`` more at random; replaces earlier latency rules. ``0`` removes them."""
        self.control.book.latency[:] = (
            [LatencyRule(seconds, jitter, path_prefix)] if seconds or jitter else []
        )

    def fail_next(
        self,
        status: int,
        *,
        times: int | None = 1,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
        method: str | None = None,
        path_prefix: str = "",
    ) -> None:
        """Answer the next ``times`` matching requests (``None``: all) with ``status``,
        ``body`` and ``headers``, e.g. ``fail_next(429, headers={"Retry-After": "2"})``."""
        self.inject(
            "status",
            status=status,
            times=times,
            body=body,
            headers=headers,
            method=method,
            path_prefix=path_prefix,
        )

    def inject(
        self,
        kind: str,
        *,
        status: int = 500,
        times: int | None = 1,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
        method: str | None = None,
        path_prefix: str = "",
    ) -> None:
        """Inject a fault of ``kind``: ``status``, ``html``, ``malformed``, ``truncated``,
        ``drop_before``, ``drop_after`` (the request is acted on, then the connection
        drops) or ``stall``, for the next ``times`` matching requests."""
        self.control.book.faults.append(
            Fault(
                kind=kind,
                status=status,
                body=body.encode() if isinstance(body, str) else body,
                headers=dict(headers or {}),
                times=times,
                method=method,
                path_prefix=path_prefix,
            )
        )

    def chaos(
        self,
        probability: float,
        kinds: tuple[str, ...] = ("status",),
        *,
        seed: int = 0,
        max_consecutive: int = 2,
        path_prefix: str = "",
        method: str | None = None,
        status: int = 503,
    ) -> None:
        """Fault each matching request with ``probability`` (seeded), picking among
        ``kinds``, never more than ``max_consecutive`` in a row."""
        faults = [Fault(kind=k, status=status, times=None) for k in kinds]
        self.control.book.chaos.append(
            Chaos(
                probability,
                faults,
                seed=seed,
                max_consecutive=max_consecutive,
                path_prefix=path_prefix,
                method=method,
            )
        )

    def rate_limit(self, requests: int, window: float = 1.0, *, http_date: bool = False) -> None:
        """Answer 429 with ``Retry-After`` above ``requests`` per ``window`` seconds."""
        self.control.book.rate_limit = RateLimit(requests, window, http_date)

    def clear_faults(self) -> None:
        """Remove every fault, chaos, latency and rate-limit rule."""
        self.control.book.clear()

    @property
    def faults_injected(self) -> int:
        """How many answers were faults (rate-limit 429s not included)."""
        return self.control.book.injected

    @property
    def rate_limited(self) -> int:
        """How many requests the rate limiter answered with 429."""
        return self.control.book.rate_limited

    def client(self, **options: Unpack[ClientOptions]) -> AsyncClient:
        """An :class:`~semaphore_async.AsyncClient` for this emulator: its :attr:`url`
        and :attr:`token` (unless ``token=`` says otherwise), with any other keyword of
        ``AsyncClient`` (``timeout``, ``max_retries``, ``max_connections``,
        ``concurrency``, ``user_agent``, ``transport``)."""
        return AsyncClient(**self._client_keywords(options))

    def sync_client(self, **options: Unpack[ClientOptions]) -> Client:
        """A blocking :class:`~semaphore_async.Client` for this emulator, with the same
        keywords as :meth:`client`. The emulator must be served from another thread or
        process than the one that blocks (:meth:`serve_in_thread`)."""
        loop, thread = self._loop, self._loop_thread
        if loop is not None and (not loop.is_running() or thread == threading.get_ident()):
            raise RuntimeError(
                "This emulator runs in an event loop that a blocking Client would block (or "
                "that is not running while your code runs), so every call would hang until "
                "it timed out. Serve it in a thread of its own: `with Emulator()"
                ".serve_in_thread() as emu, emu.sync_client() as sem: ...`; in pytest, use "
                "the `semaphore_sync_client` fixture."
            )
        return Client(**self._client_keywords(options))

    def _client_keywords(self, options: ClientOptions) -> dict[str, Any]:
        return {"base_url": self.url, "token": self.token, **options}

    @contextlib.contextmanager
    def serve_in_thread(self) -> Iterator[Emulator]:
        """Run the emulator in a background event-loop thread, for blocking code::

        with Emulator().serve_in_thread() as emu, emu.sync_client() as sem:
            sem.workflows.list(emu.project_ids[0]).collect()
        """
        thread = PortalThread("semaphore-emulator")
        try:
            thread.call(self.start)
            yield self
        finally:
            if thread.running:
                thread.call(self.close)
            thread.stop()

    async def start(self) -> None:
        """Serve on :attr:`host` and :attr:`port` (a free one for ``0``); ``async with``
        calls it."""
        app = build_app(self.state, self.control)
        # A short shutdown timeout: stalled answers end when the emulator closes.
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, reuse_address=True)
        await site.start()
        self._runner = runner
        self._loop, self._loop_thread = asyncio.get_running_loop(), threading.get_ident()
        # The port the OS picked for port=0 (aiohttp's public BaseRunner.addresses).
        self.port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Stop serving; stalled answers end at once. ``async with`` calls it."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
