"""Where a request goes: a query encoded as the server reads it, and the location of one
page of a list (:class:`PageRequest`), which errors name when a page fails."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import urlencode

import attrs

__all__ = ["PageContext", "PageRequest", "Query", "encode_query"]

Query = tuple[tuple[str, str], ...]


@functools.lru_cache(maxsize=512)
def _encoded(params: Query) -> str:
    # Most calls repeat a handful of queries (detailed=true, a list's filters).
    return urlencode(params)


def encode_query(params: Iterable[tuple[str, str]]) -> str:
    """``params`` form-encoded, as the server's query parser reads them."""
    return _encoded(params if isinstance(params, tuple) else tuple(params))


@attrs.frozen
class PageRequest:
    """Where one page lives: an encoded path on the client's origin and its query."""

    path: str
    params: Query = ()

    def with_params(self, **changes: str | None) -> PageRequest:
        """A copy with the given parameters replaced (``None`` removes one)."""
        kept = [(k, v) for k, v in self.params if k not in changes]
        kept.extend((k, v) for k, v in changes.items() if v is not None)
        return PageRequest(self.path, tuple(kept))

    def param(self, name: str) -> str | None:
        """The first value of parameter ``name``, if any."""
        return next((v for k, v in self.params if k == name), None)

    def __str__(self) -> str:
        query = urlencode(self.params)
        return f"{self.path}?{query}" if query else self.path


class PageContext(NamedTuple):
    """Which page of a list a request fetches; errors raised for it carry both."""

    request: PageRequest
    number: int
