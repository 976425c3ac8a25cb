"""Settings and policies that decide what a call does: timeouts, retry safety per
operation, secrets kept out of text, proxies, configuration reading, naive datetimes."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from yarl import URL

import semaphore_async as sa
from semaphore_async import AsyncClient, HTTPRequest, HTTPResponse
from semaphore_async._args import query
from semaphore_async._config import resolve_config
from semaphore_async._converter import Converters
from semaphore_async._transport import env_proxy
from semaphore_async.models import (
    AgentTypeStatus,
    EnvVar,
    File,
    SignedURL,
    SlackNotify,
    WebhookNotify,
)
from semaphore_async.testing import MockTransport, reply

ID = "7d1e8c52-0000-4000-8000-000000000000"

# --- timeouts ---------------------------------------------------------------------------


def test_client_timeout_fields_are_all_kept() -> None:
    """Every limit of an aiohttp.ClientTimeout the SDK accepts reaches the transport:
    sock_read=30 alone still bounds a stalled answer."""
    config = resolve_config(org="acme", token="t", timeout=aiohttp.ClientTimeout(sock_read=30))
    assert (config.timeout.total, config.timeout.sock_read) == (None, 30.0)
    both = resolve_config(
        org="acme", token="t", timeout=aiohttp.ClientTimeout(total=9, connect=2, sock_connect=1)
    )
    assert both.timeout == sa.Timeout(total=9.0, connect=2.0, sock_read=None, sock_connect=1.0)


@pytest.mark.parametrize(
    ("timeout", "message"),
    [
        (aiohttp.ClientTimeout(total=5, ceil_threshold=10), "ceil_threshold"),
        (math.inf, "finite"),
        (math.nan, "finite"),
        (-1, "above zero"),
        (aiohttp.ClientTimeout(sock_read=math.inf), "timeout.sock_read"),
    ],
)
def test_timeouts_the_sdk_cannot_honour_are_refused(timeout: Any, message: str) -> None:
    """A limit the SDK would drop, or one that is not a finite positive number, is a
    ConfigurationError when the client is built, not a surprise on the first request."""
    with pytest.raises(sa.ConfigurationError, match=message):
        AsyncClient(org="acme", token="t", timeout=timeout)


async def test_the_client_timeout_is_what_each_attempt_gets() -> None:
    """Through the transport seam: each attempt is sent with the client's Timeout."""
    transport = MockTransport(lambda request: reply(json={"workflow": {}}))
    timeout = aiohttp.ClientTimeout(total=20, sock_read=3)
    async with AsyncClient(org="acme", token="t", timeout=timeout, transport=transport) as sem:
        await sem.workflows.get("w")
    assert transport.timeouts == [sa.Timeout(total=20.0, sock_read=3.0)]


# --- retry safety, operation by operation ------------------------------------------------

Call = Callable[[AsyncClient], Awaitable[Any]]
RETRIED = "retried"
ONCE = "once"
SAFETY: list[tuple[str, Call, str]] = [
    ("workflows.run", lambda s: s.workflows.run(ID, "main"), ONCE),
    ("workflows.get", lambda s: s.workflows.get(ID), RETRIED),
    ("workflows.rerun", lambda s: s.workflows.rerun(ID), RETRIED),  # request_token
    ("workflows.stop", lambda s: s.workflows.stop(ID), RETRIED),  # harmless twice
    ("pipelines.get", lambda s: s.pipelines.get(ID), RETRIED),
    ("pipelines.stop", lambda s: s.pipelines.stop(ID), RETRIED),
    ("pipelines.validate_yaml", lambda s: s.pipelines.validate_yaml("x"), RETRIED),
    ("promotions.trigger", lambda s: s.promotions.trigger(ID, "p"), RETRIED),  # request_token
    ("jobs.get", lambda s: s.jobs.get(ID), RETRIED),
    ("jobs.stop", lambda s: s.jobs.stop(ID), RETRIED),
    ("tasks.run_now", lambda s: s.tasks.run_now(ID), ONCE),
    ("agent_types.get", lambda s: s.agent_types.get("a"), RETRIED),
    ("agent_types.create", lambda s: s.agent_types.create("a"), ONCE),
    ("agent_types.update", lambda s: s.agent_types.update("a"), RETRIED),
    ("agent_types.delete", lambda s: s.agent_types.delete("a"), RETRIED),
    ("agent_types.disable_all", lambda s: s.agent_types.disable_all("a"), RETRIED),
    ("agents.get", lambda s: s.agents.get("a"), RETRIED),
    ("deployment_targets.get", lambda s: s.deployment_targets.get(ID), RETRIED),
    ("deployment_targets.create", lambda s: s.deployment_targets.create(ID, "n"), RETRIED),
    ("deployment_targets.update", lambda s: s.deployment_targets.update(ID, url="u"), RETRIED),
    ("deployment_targets.delete", lambda s: s.deployment_targets.delete(ID), RETRIED),
    ("deployment_targets.activate", lambda s: s.deployment_targets.activate(ID), RETRIED),
    ("deployment_targets.deactivate", lambda s: s.deployment_targets.deactivate(ID), RETRIED),
    ("schedules.get", lambda s: s.schedules.get(ID), RETRIED),
    ("schedules.upsert (create)", lambda s: s.schedules.upsert("spec: {project: p}"), ONCE),
    (
        "schedules.upsert (update)",
        lambda s: s.schedules.upsert(f"metadata: {{id: {ID}}}"),
        RETRIED,
    ),
    ("schedules.delete", lambda s: s.schedules.delete(ID), RETRIED),
    ("artifacts.signed_urls", lambda s: s.artifacts.signed_urls(["a"], "PULL"), RETRIED),
    ("retention_policies.get", lambda s: s.retention_policies.get(ID), RETRIED),
    (
        "retention_policies.configure",
        lambda s: s.retention_policies.configure(ID, job_level=[{"selector": "s", "age": "1 day"}]),
        RETRIED,
    ),
    ("dashboards.get", lambda s: s.dashboards.get("d"), RETRIED),
    ("dashboards.create", lambda s: s.dashboards.create({"metadata": {"name": "d"}}), ONCE),
    ("dashboards.update", lambda s: s.dashboards.update("d", {}), RETRIED),
    ("dashboards.delete", lambda s: s.dashboards.delete("d"), RETRIED),
    ("notifications.create", lambda s: s.notifications.create({}), ONCE),
    ("notifications.update", lambda s: s.notifications.update("n", {}), RETRIED),
    ("secrets.create", lambda s: s.secrets.create({}), ONCE),
    ("secrets.update", lambda s: s.secrets.update("s", {}), RETRIED),
    ("secrets.delete", lambda s: s.secrets.delete("s"), RETRIED),
    ("project_secrets.create", lambda s: s.project_secrets.create("p", {}), ONCE),
    ("project_secrets.update", lambda s: s.project_secrets.update("p", "s", {}), RETRIED),
    ("projects.get", lambda s: s.projects.get("p"), RETRIED),
    ("projects.create", lambda s: s.projects.create({}), ONCE),
    ("projects.update", lambda s: s.projects.update(ID, {}), RETRIED),
    ("projects.delete", lambda s: s.projects.delete("p"), RETRIED),
    ("request GET", lambda s: s.request("GET", "/api/v1alpha/x"), RETRIED),
    ("request POST", lambda s: s.request("POST", "/api/v1alpha/x"), ONCE),
    (
        "request POST, safe",
        lambda s: s.request("POST", "/api/v1alpha/x", safe_to_retry=True),
        RETRIED,
    ),
    ("request PATCH", lambda s: s.request("PATCH", "/api/v1alpha/x"), ONCE),
    ("request PUT", lambda s: s.request("PUT", "/api/v1alpha/x"), RETRIED),
]


def _good_answer(request: HTTPRequest) -> HTTPResponse:
    if request.method == "POST" and urlsplit(request.url).path.endswith("/schedules"):
        return reply(json=ID)
    if "/plumber-workflows/" in request.url and request.method == "GET":
        return reply(json={"workflow": {}})
    return reply(json={})


@pytest.mark.parametrize(("name", "call", "expected"), SAFETY, ids=[s[0] for s in SAFETY])
async def test_retry_safety_of_every_operation(name: str, call: Call, expected: str) -> None:
    """Each operation meets one 503 (which a server may answer after acting): the safe
    ones are retried, the ones that could act twice are sent once. GET, HEAD, PUT and
    DELETE are safe by method; POST and PATCH only when the call says why."""
    answers = iter([reply(503, body=b"upstream connect error")])
    transport = MockTransport(lambda request: next(answers, None) or _good_answer(request))
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        if expected == ONCE:
            with pytest.raises(sa.ServerError):
                await call(sem)
        else:
            await call(sem)
    assert len(transport.requests) == (2 if expected == RETRIED else 1), name


# --- secrets stay out of text ------------------------------------------------------------


def test_secret_values_are_not_in_any_repr() -> None:
    """The value of every secret-bearing field stays out of repr, at every level."""
    values = ["hunter2", "LS0tc2VjcmV0", "https://signed.example/x?sig=1", "hook-secret"]
    shown = repr(
        [
            EnvVar(name="PASSWORD", value=values[0]),
            File(path="/key", content=values[1]),
            SignedURL(URL=values[2], method="GET"),
            WebhookNotify(endpoint="https://hooks.example", secret=values[3]),
            SlackNotify(endpoint=values[2]),
            AgentTypeStatus(registration_token=values[3]),
        ]
    )
    assert "PASSWORD" in shown and "/key" in shown  # names stay: they are not secrets
    for value in values:
        assert value not in shown


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.secrets.get("s"),
        lambda s: s.project_secrets.get("p", "s"),
        lambda s: s.secrets.list().collect(),
        lambda s: s.deployment_targets.get(ID, include_secrets=True),
        lambda s: s.artifacts.signed_urls(["a"], "PULL"),
    ],
)
async def test_errors_from_secret_routes_carry_no_body(call: Call) -> None:
    """A reply that cannot be read, from a route that answers secret values, gives a
    DecodeError with neither an excerpt nor the body."""
    body = b'{"data": {"env_vars": [{"name": "K", "value": "hunter2"}]}, "metadata": 7'
    transport = MockTransport(lambda request: reply(body=body))
    async with AsyncClient(org="acme", token="t", transport=transport) as sem:
        with pytest.raises(sa.DecodeError) as info:
            await call(sem)
    text = str(info.value) + repr(vars(info.value))
    assert "hunter2" not in text and info.value.body == ""
    assert "not shown" in str(info.value)


# --- what the transport relies on in aiohttp ---------------------------------------------


async def test_aiohttp_still_has_the_resend_switch_the_sdk_turns_off() -> None:
    """aiohttp resends an idempotent request once on a dropped reused connection, unless
    ClientSession._retry_connection is False (no public switch; aiohttp/client.py). If a
    release renames it, the SDK's attempt counts would silently be wrong: fail here."""
    async with aiohttp.ClientSession() as session:
        assert hasattr(session, "_retry_connection"), (
            "aiohttp no longer has ClientSession._retry_connection: find its new switch "
            "and update semaphore_async/_transport.py, or max_retries and .attempts lie"
        )


@pytest.mark.parametrize(
    ("environ", "url", "expected"),
    [
        ({}, "https://acme.semaphoreci.com/x", (None, None)),
        (
            {"HTTPS_PROXY": "http://p.internal:3128"},
            "https://a.example/x",
            ("http://p.internal:3128", None),
        ),
        (
            {"https_proxy": "p.internal:3128"},
            "https://a.example/x",
            ("http://p.internal:3128", None),
        ),
        ({"HTTP_PROXY": "http://p:1"}, "https://a.example/x", (None, None)),
        (
            {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "a.example"},
            "https://a.example/x",
            (None, None),
        ),
        (
            {"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".example"},
            "https://a.example/x",
            (None, None),
        ),
        (
            {"HTTPS_PROXY": "http://us%40er:pa%3Ass@p:1"},
            "https://a.example/x",
            ("http://p:1", "Basic dXNAZXI6cGE6c3M="),
        ),
    ],
)
def test_environment_proxies(
    proxy_env: pytest.MonkeyPatch,
    environ: dict[str, str],
    url: str,
    expected: tuple[str | None, str | None],
) -> None:
    """The proxy for a URL, read from the environment with the standard library's
    public getproxies/proxy_bypass: scheme-specific, NO_PROXY honoured, credentials
    decoded and moved to Proxy-Authorization."""
    for key, value in environ.items():
        proxy_env.setenv(key, value)
    proxy, auth = env_proxy(URL(url))
    assert (None if proxy is None else str(proxy), auth) == expected


# --- configuration -----------------------------------------------------------------------


class Untouchable(type(Path())):  # type: ignore[misc]
    """A path whose file must not be read."""

    def read_text(self, *args: Any, **kwargs: Any) -> str:
        raise AssertionError("~/.sem.yaml was read although keywords gave every setting")


def test_sem_yaml_is_read_only_when_a_setting_is_missing(tmp_path: Path) -> None:
    """With org= and token= given, the sem CLI's file is not even opened; with one
    missing, it is."""
    untouchable = Untouchable(tmp_path / ".sem.yaml")
    config = resolve_config(org="acme", token="t", sem_config_path=untouchable)
    assert config.base_url == "https://acme.semaphoreci.com"
    with pytest.raises(AssertionError, match="was read"):
        resolve_config(org="acme", sem_config_path=untouchable)


def test_naive_datetimes_mean_utc_in_bodies_as_in_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a local time zone far from UTC, a naive datetime still goes out as its UTC
    epoch, in a body as in a query filter."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14
    time.tzset()
    try:
        naive = datetime(2024, 1, 2, 3, 4, 5)
        utc = int(naive.replace(tzinfo=timezone.utc).timestamp())
        assert Converters().unstructure(naive) == utc
        assert query(created_after=naive) == (("created_after", str(utc)),)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
