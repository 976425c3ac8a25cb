"""Testing support shipped with the SDK: an in-memory Semaphore emulator.

* :class:`Emulator` serves the API on a loopback port with the real server's wire
  formats, pagination headers and error bodies, over a seeded, stateful store;
* ``python -m semaphore_async.testing --port 8000`` serves it from the command line;
* :func:`set_testing` turns the client's retry waits into zero for fast test suites;
* :class:`MockTransport` and :func:`reply` answer a client in memory, for unit tests
  that pin what goes over the wire;
* the pytest plugin (registered by ``pip install "semaphore-async[testing]"``) gives the
  fixtures ``semaphore_emulator``, ``semaphore_client`` and ``semaphore_sync_client``.
"""

from .._retry import set_testing
from ._emulator import DEFAULT_TOKEN, Emulator
from ._mock import MockTransport, reply
from ._server import RecordedRequest
from ._state import EmulatorState

__all__ = [
    "DEFAULT_TOKEN",
    "Emulator",
    "EmulatorState",
    "MockTransport",
    "RecordedRequest",
    "reply",
    "set_testing",
]
