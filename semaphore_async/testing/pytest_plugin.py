"""pytest fixtures for code that uses semaphore_async.

Installed with ``pip install "semaphore-async[testing]"``, the plugin registers itself
(the ``pytest11`` entry point): nothing goes in ``conftest.py``. Fixtures:

* ``semaphore_emulator``: a fresh, seeded :class:`~semaphore_async.testing.Emulator`,
  served in a thread of its own, so that both ``def`` and ``async def`` tests can use
  it;
* ``semaphore_sync_client``: a blocking :class:`~semaphore_async.Client` for it, for
  ``def`` tests;
* ``semaphore_client``: an :class:`~semaphore_async.AsyncClient` for it, for
  ``async def`` tests (it needs pytest-asyncio, which the ``testing`` extra brings).

Both clients retry without waiting (``set_testing(True)``) for the test's duration.
``@pytest.mark.semaphore_emulator(**keywords)`` passes keywords to the emulator
(``seed=``, ``projects=``, ``strict=True``, ...).

Whatever pytest-asyncio's mode, an ``async def`` test that uses these fixtures runs: in
strict mode the plugin marks it ``asyncio`` itself. The plugin also silences
pytest-asyncio's reminder to set ``asyncio_default_fixture_loop_scope`` (so that
``-W error`` runs start): its own fixtures are function-scoped, for which every default
is right; set the option yourself to choose another scope.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from .._client import AsyncClient
from .._retry import is_testing, set_testing
from .._sync import Client
from ._emulator import Emulator

__all__ = ["semaphore_client", "semaphore_emulator", "semaphore_sync_client"]

_ASYNC_FIXTURES = frozenset({"semaphore_client"})
_LOOP_SCOPE_REMINDER = r'The configuration option "asyncio_default_fixture_loop_scope" is unset'


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "semaphore_emulator(**keywords): keywords for the semaphore_emulator fixture"
    )
    # Runs before pytest-asyncio's own pytest_configure, inside pytest's warning filters.
    warnings.filterwarnings("ignore", message=_LOOP_SCOPE_REMINDER)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    """Mark ``async def`` tests that use an async fixture of ours ``asyncio``, so that
    pytest-asyncio runs them in its strict mode too (it reads the marker when it
    collects the test, after this hook)."""
    if not inspect.iscoroutinefunction(obj) or not isinstance(
        collector, (pytest.Module, pytest.Class)
    ):
        return
    if not collector.funcnamefilter(name):
        return
    if not _ASYNC_FIXTURES & set(inspect.signature(obj).parameters):
        return
    marks = getattr(obj, "pytestmark", [])
    if not any(getattr(mark, "name", None) == "asyncio" for mark in marks):
        obj.pytestmark = [*marks, pytest.mark.asyncio.mark]  # type: ignore[attr-defined]


@pytest.fixture
def semaphore_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A fresh, seeded emulator on a free loopback port, served in its own thread."""
    marker = request.node.get_closest_marker("semaphore_emulator")
    keywords: dict[str, Any] = dict(marker.kwargs) if marker else {}
    with Emulator(**keywords).serve_in_thread() as emulator:
        yield emulator


@pytest.fixture
def semaphore_sync_client(semaphore_emulator: Emulator) -> Iterator[Client]:
    """A blocking client for ``semaphore_emulator`` that retries without waiting."""
    previous = is_testing()
    set_testing(True)
    try:
        with semaphore_emulator.sync_client() as client:
            yield client
    finally:
        set_testing(previous)


def _async_fixture() -> Any:
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - without the testing extra
        return None

    @pytest_asyncio.fixture
    async def semaphore_client(
        request: pytest.FixtureRequest, semaphore_emulator: Emulator
    ) -> AsyncIterator[AsyncClient]:
        """An AsyncClient for ``semaphore_emulator`` that retries without waiting."""
        if not inspect.iscoroutinefunction(getattr(request, "function", None)):
            pytest.fail(
                "semaphore_client is an AsyncClient, for async def tests; in a def test "
                "use semaphore_sync_client (a blocking Client for the same emulator)",
                pytrace=False,
            )
        previous = is_testing()
        set_testing(True)
        try:
            async with semaphore_emulator.client() as client:
                yield client
        finally:
            set_testing(previous)

    return semaphore_client


_fixture = _async_fixture()
if _fixture is not None:
    semaphore_client = _fixture
else:  # pragma: no cover - without the testing extra

    @pytest.fixture
    def semaphore_client() -> None:
        """Needs pytest-asyncio."""
        pytest.fail(
            'semaphore_client needs pytest-asyncio: pip install "semaphore-async[testing]"',
            pytrace=False,
        )
