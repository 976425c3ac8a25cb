"""pytest fixtures for code that uses semaphore_async (needs pytest-asyncio).

Enable with ``pytest_plugins = ["semaphore_async.testing.pytest_plugin"]`` in a
``conftest.py``. Fixtures:

* ``semaphore_emulator``: a running :class:`~semaphore_async.testing.Emulator`;
* ``semaphore_client``: an :class:`~semaphore_async.AsyncClient` pointed at it, with
  retry waits set to zero for the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .._client import AsyncClient
from .._retry import is_testing, set_testing
from ._emulator import Emulator


@pytest_asyncio.fixture
async def semaphore_emulator() -> AsyncIterator[Emulator]:
    """A fresh, seeded emulator on a free loopback port."""
    async with Emulator() as emulator:
        yield emulator


@pytest_asyncio.fixture
async def semaphore_client(semaphore_emulator: Emulator) -> AsyncIterator[AsyncClient]:
    """A client for ``semaphore_emulator`` that retries without waiting."""
    previous = is_testing()
    set_testing(True)
    try:
        async with semaphore_emulator.client() as client:
            yield client
    finally:
        set_testing(previous)
