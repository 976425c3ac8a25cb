"""Secrets stay secret: the token and secret values appear in no exception, repr or log
record, and Authorization never goes to another origin."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import attrs
import pytest
import pytest_asyncio

import semaphore_async as sa
from semaphore_async.models import EnvVar, File, Secret, SecretData, SecretMetadata
from semaphore_async.testing import Emulator

TOKEN = "tok-VERY-SECRET-0123456789"
SECRET_VALUE = "hunter2-SECRET-VALUE"
FILE_BYTES = b"-----BEGIN PRIVATE KEY----- s3cr3t"


class Everything(logging.Handler):
    """Keeps every record of every logger, at every level."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        parts = []
        for record in self.records:
            parts.append(record.getMessage())
            parts.append(repr(record.__dict__))
            if record.exc_info and record.exc_info[1] is not None:
                parts.append(repr(record.exc_info[1]))
        return "\n".join(parts)


@pytest.fixture
def all_logs() -> Iterator[Everything]:
    handler = Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.NOTSET)
    for name in ("semaphore_async", "aiohttp", "asyncio"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(strict=True, token=TOKEN) as emulator:
        yield emulator


async def test_token_and_secret_values_never_leak(emu: Emulator, all_logs: Everything) -> None:
    """Across successes, every kind of failure and secret round trips, at DEBUG."""
    seen: list[BaseException] = []
    async with emu.client(max_retries=1) as sem:
        text = repr(sem) + repr(sem.config) + repr(sem.secrets) + str(sem.config)
        secret = Secret(
            metadata=SecretMetadata(name="db"),
            data=SecretData(
                env_vars=(EnvVar(name="PASSWORD", value=SECRET_VALUE),),
                files=(File.from_bytes("/key.pem", FILE_BYTES),),
            ),
        )
        created = await sem.secrets.create(secret)
        fetched = await sem.secrets.get("db")
        scoped = await sem.project_secrets.create(
            "project-1", {"metadata": {"name": "db"}, "data": attrs.asdict(secret.data)}
        )
        project = emu.project_ids[0]
        target = await sem.deployment_targets.create(
            project,
            "vault",
            env_vars=[{"name": "K", "value": SECRET_VALUE}],
            files=[{"path": "/f", "content": FILE_BYTES}],
        )
        described = await sem.deployment_targets.get(target.id, include_secrets=True)
        text += repr(secret) + repr(created) + repr(fetched) + repr(target) + repr(scoped)
        text += repr(described) + repr(created.data.env_vars[0]) + repr(created.data.files[0])
        for kind in ("status", "html", "truncated", "drop_before", "malformed"):
            emu.inject(kind, status=503, times=2, path_prefix="/api/v1beta/secrets")
            try:
                await sem.secrets.get("db")
            except sa.SemaphoreError as exc:
                seen.append(exc)
            emu.clear_faults()
        for call in (
            sem.secrets.get("missing"),
            sem.secrets.create({"metadata": {"name": "db"}}),  # duplicate: 400
            sem.pipelines.get("../../secrets"),
        ):
            try:
                await call
            except sa.SemaphoreError as exc:
                seen.append(exc)
    async with emu.client(token="wrong-" + TOKEN) as bad:
        try:
            await bad.secrets.get("db")
        except sa.SemaphoreError as exc:
            seen.append(exc)
    assert len(seen) == 9
    for error in seen:
        text += str(error) + repr(error) + repr(vars(error)) + repr(error.__cause__)
    text += all_logs.text()
    text += "".join(repr(r) for r in emu.requests)  # what a test would print
    assert any(r.name == "semaphore_async" for r in all_logs.records)
    assert TOKEN not in text
    assert SECRET_VALUE not in text
    assert FILE_BYTES.decode() not in text
    assert "LS0tLS1CRUdJTiBQUklWQVRF" not in text  # nor its base64 form


async def test_link_to_another_origin_is_rebased(emu: Emulator) -> None:
    """A next link naming another host is followed on our own origin: the other host
    never receives a request, let alone the token."""
    async with Emulator(strict=True, token="other") as elsewhere:
        emu.control.link_base = elsewhere.url
        async with emu.client() as sem:
            items = await sem.workflows.list(emu.project_ids[0]).collect()
        assert len(items) == 75
        assert elsewhere.requests == []


async def test_redirect_to_another_origin_drops_authorization(emu: Emulator) -> None:
    """A redirect to another host is followed without the Authorization header."""
    async with Emulator(strict=True, token="other") as elsewhere:
        target = f"{elsewhere.url}/api/v1alpha/projects/project-1"
        emu.fail_next(302, headers={"Location": target}, path_prefix="/api/v1alpha/projects")
        async with emu.client() as sem:
            with pytest.raises(sa.AuthenticationError):  # the other host wants its own token
                await sem.projects.get("project-1")
        assert [r.authorized_with for r in elsewhere.requests] == [""]


async def test_signed_urls_are_never_fetched(emu: Emulator) -> None:
    """signed_urls returns storage URLs; the SDK sends nothing (and no token) there."""
    async with Emulator(strict=True, token="storage") as storage:
        async with emu.client() as sem:
            urls = await sem.artifacts.signed_urls(
                ["artifacts/jobs/8119d8a5-15ec-4b68-8d0b-d1c4921a3d1c/x"], "PULL"
            )
        assert urls[0].URL and urls[0].URL.startswith("http://127.0.0.1:")
        assert storage.requests == []
