from __future__ import annotations

from typing import Any

from .._bodies import to_wire, to_wire_list
from .._core import Core
from .._errors import InvalidArgumentError

__all__ = ["AsyncResource", "check_page_size"]


def check_page_size(value: int | None, *, low: int, high: int | None) -> int | None:
    """A page size within the endpoint's bounds, checked before any request (the server
    answers 400 or worse otherwise)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(f"page_size must be an integer, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidArgumentError(f"page_size must be {bounds} for this endpoint, got {value}")
    return value


class AsyncResource:
    """A group of API calls sharing the client's core (transport, converter, retries)."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._core.config.base_url}>"

    def _body(self, value: Any, model: type, *, name: str) -> dict[str, Any]:
        return to_wire(self._core.converter, value, model, name=name)

    def _body_list(self, values: Any, model: type, *, name: str) -> list[dict[str, Any]] | None:
        return to_wire_list(self._core.converter, values, model, name=name)
