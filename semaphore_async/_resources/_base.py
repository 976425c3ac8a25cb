from __future__ import annotations

from .._core import Core

__all__ = ["AsyncResource"]


class AsyncResource:
    """A group of API calls sharing the client's core (transport, converter, retries)."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._core.config.base_url}>"
