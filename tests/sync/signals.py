"""Ctrl-C delivered to the main thread at a chosen moment, for the interrupt tests."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def ctrl_c_once(started: threading.Event) -> Iterator[None]:
    """Send SIGINT to the main thread as soon as `started` is set (within 5 s)."""
    if threading.current_thread() is not threading.main_thread():
        pytest.fail("signals are delivered to the main thread; run this test there")

    def interrupt() -> None:
        started.wait(5)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    killer = threading.Thread(target=interrupt)
    killer.start()
    try:
        yield
    finally:
        killer.join()
