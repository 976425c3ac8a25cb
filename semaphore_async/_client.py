"""``AsyncClient``: the asyncio core of the SDK."""

from __future__ import annotations

import enum
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._args import flag, query, text
from ._config import (
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    NOT_GIVEN,
    Config,
    NotGiven,
    Timeout,
    resolve_config,
)
from ._core import NO_BODY, Core
from ._errors import ClientClosedError, InvalidArgumentError
from ._http import Transport
from ._paths import path as fill_path
from ._resources.agents import AsyncAgents, AsyncAgentTypes
from ._resources.artifacts import AsyncArtifacts, AsyncRetentionPolicies
from ._resources.dashboards import AsyncDashboards, AsyncNotifications
from ._resources.deployment_targets import AsyncDeploymentTargets
from ._resources.jobs import AsyncJobs
from ._resources.pipelines import AsyncPipelines
from ._resources.projects import AsyncProjects
from ._resources.promotions import AsyncPromotions
from ._resources.schedules import AsyncSchedules
from ._resources.secrets import AsyncProjectSecrets, AsyncSecrets
from ._resources.tasks import AsyncTasks
from ._resources.workflows import AsyncWorkflows
from ._retry import Safety

if TYPE_CHECKING:
    import aiohttp

__all__ = ["AsyncClient"]


class _State(enum.Enum):
    UNOPENED = 1
    OPENED = 2
    CLOSED = 3


class AsyncClient:
    """The asyncio Semaphore client: one pooled connection set, shared by its resources.

    ::

        async with AsyncClient(org="acme", token="...") as sem:
            wf = await sem.workflows.get(workflow_id)

    Keywords (all optional; see the README's Configuration section for the fallbacks):

    * ``org``: organization name, for ``https://{org}.semaphoreci.com``;
    * ``base_url``: a full origin instead (Semaphore CE, the emulator); ``http://`` only
      for loopback hosts;
    * ``token``: the API token, sent as ``Authorization: Token ...``;
    * ``timeout``: seconds per request attempt, a :class:`~semaphore_async.Timeout`, or an
      ``aiohttp.ClientTimeout`` (``total``, ``connect``, ``sock_read``,
      ``sock_connect``); ``None`` for no limit (default: 60 s in all, 10 s to connect);
    * ``max_retries``: automatic retries of failed calls that are safe to repeat (3);
    * ``max_connections``: size of the connection pool, and the bound on requests that
      bulk helpers have in flight across the whole client (100);
    * ``concurrency``: default bound of one bulk call (16);
    * ``user_agent``: a product token appended to the SDK's User-Agent;
    * ``transport``: an object with ``send``/``aclose`` replacing aiohttp (for tests).

    The connection pool is created on the first request, inside the running loop. Close
    the client with ``async with`` or :meth:`close`; a client garbage-collected while
    open emits a ``ResourceWarning``. The client is safe to share between tasks of one
    event loop.
    """

    def __init__(
        self,
        *,
        org: str | None = None,
        token: str | None = None,
        base_url: str | None = None,
        timeout: float | Timeout | aiohttp.ClientTimeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        concurrency: int = DEFAULT_CONCURRENCY,
        user_agent: str | None = None,
        transport: Transport | None = None,
    ) -> None:
        self._state = _State.UNOPENED
        config = resolve_config(
            org=org,
            token=token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            concurrency=concurrency,
            user_agent=user_agent,
        )
        if transport is None:
            from ._transport import AiohttpTransport

            transport = AiohttpTransport(max_connections=config.max_connections)
        self._core = core = Core(config, transport)
        self.workflows = AsyncWorkflows(core)
        """Workflows: run, get, list, rerun, stop."""
        self.pipelines = AsyncPipelines(core)
        """Pipelines: get, list, stop, validate_yaml, wait, get_many."""
        self.promotions = AsyncPromotions(core)
        """Promotions of a pipeline: list, trigger."""
        self.jobs = AsyncJobs(core)
        """Jobs: get, stop, log_events, plain_log, get_many."""
        self.tasks = AsyncTasks(core)
        """Tasks: run_now."""
        self.agent_types = AsyncAgentTypes(core)
        """Self-hosted agent types: list, get, create, update, delete, disable_all."""
        self.agents = AsyncAgents(core)
        """Self-hosted agents: list, get."""
        self.deployment_targets = AsyncDeploymentTargets(core)
        """Deployment targets: list, get, get_by_name, create, update, delete, activate,
        deactivate, history."""
        self.schedules = AsyncSchedules(core)
        """Schedulers: list, get, upsert, delete."""
        self.artifacts = AsyncArtifacts(core)
        """Artifacts: signed_urls."""
        self.retention_policies = AsyncRetentionPolicies(core)
        """Artifact retention policies: get, configure."""
        self.dashboards = AsyncDashboards(core)
        """Dashboards: list, get, create, update, delete."""
        self.notifications = AsyncNotifications(core)
        """Notifications: list, get, create, update, delete."""
        self.secrets = AsyncSecrets(core)
        """Organization secrets (v1beta): list, get, create, update, delete."""
        self.project_secrets = AsyncProjectSecrets(core)
        """Project secrets (v1): list, get, create, update, delete."""
        self.projects = AsyncProjects(core)
        """Projects: list, get, create, update, delete."""

    @property
    def config(self) -> Config:
        """The resolved configuration (its ``repr`` never shows the token)."""
        return self._core.config

    @property
    def is_closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._state is _State.CLOSED

    def __repr__(self) -> str:
        if self._state is _State.CLOSED:
            state = "closed"
        elif self._state is _State.OPENED or getattr(self._core.transport, "is_open", False):
            state = "open"
        else:
            state = "unopened"
        return f"<AsyncClient {self.config.base_url} {state}>"

    async def __aenter__(self) -> AsyncClient:
        if self._state is _State.CLOSED:
            raise ClientClosedError("This client is closed; create a new AsyncClient.")
        self._state = _State.OPENED
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str] | None = None,
        params: Mapping[str, object] | None = None,
        json: Any = None,
        safe_to_retry: bool = False,
    ) -> Any:
        """Call any route of the API, with this client's authentication, retries, errors,
        logging and redaction; returns the decoded JSON (``None`` for an empty body).

        ``path`` is a path on the client's origin (``/api/v1alpha/...``); its ``{name}``
        placeholders are filled from ``path_params``, each percent-encoded as one
        segment. ``params`` go in the query as the typed methods send them (booleans as
        ``true``/``false``, datetimes as epoch seconds, lists repeated). ``json`` is sent
        as the body. GET, HEAD, PUT, DELETE and OPTIONS are retried like any read; give
        ``safe_to_retry=True`` for a POST or PATCH that is safe to repeat (it carries an
        idempotency token, say)::

            body = await sem.request(
                "GET", "/api/v1alpha/pipelines/{id}/describe_topology", path_params={"id": pid}
            )
        """
        verb = text("method", method).upper()
        if not isinstance(path, str) or not path.startswith("/api/"):
            raise InvalidArgumentError(
                f"path must be a path on the client's origin starting with /api/, got {path!r}"
            )
        flag("safe_to_retry", safe_to_retry)
        if path_params:
            try:
                filled = fill_path(path, **dict(path_params))
            except (KeyError, IndexError, ValueError) as exc:
                raise InvalidArgumentError(
                    f"path {path!r} does not fit path_params {sorted(path_params)}: {exc}"
                ) from None
        elif "{" in path or "}" in path:
            raise InvalidArgumentError(f"path {path!r} has placeholders: give path_params")
        else:
            filled = path
        safety = Safety.IDEMPOTENT if safe_to_retry else None
        response = await self._core.request(
            verb,
            filled,
            params=query(**dict(params or {})),
            body=NO_BODY if json is None else json,
            safety=safety,
        )
        return self._core.decode(response, verb)

    async def close(self) -> None:
        """Close the connection pool. Safe to call twice; the client is unusable after."""
        self._state = _State.CLOSED
        await self._core.aclose()

    def __del__(self) -> None:
        # Only a client that opened a pool can leak one.
        if getattr(self, "_state", _State.CLOSED) is not _State.CLOSED:
            transport = getattr(getattr(self, "_core", None), "transport", None)
            if getattr(transport, "is_open", False):
                warnings.warn(
                    f"{self!r} was not closed; use `async with AsyncClient(...)` or "
                    "`await client.close()`",
                    ResourceWarning,
                    stacklevel=2,
                    source=self,
                )
