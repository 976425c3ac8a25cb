"""Small shapes shared by several areas, and the field markers every model uses.

``server_set(default)`` marks a field the server assigns (an id, a timestamp, a count):
it is read from answers but never sent in a request body built from a model, and a
mapping body that sets it is refused (the server would ignore it). ``secret(default)``
keeps a value out of ``repr``, so it does not end up in logs or tracebacks.
"""

from __future__ import annotations

import base64
from typing import Any, Final, TypeVar

import attrs

__all__ = ["EnvVar", "File"]  # the public names; the helpers are for the models

T = TypeVar("T")

READ_ONLY: Final = "semaphore_async.read_only"


def server_set(default: T, *, repr: bool = True) -> T:
    """A field the server assigns: read from answers, never sent from a model."""
    field: Any = attrs.field(default=default, repr=repr, metadata={READ_ONLY: True})
    return field  # type: ignore[no-any-return]


def secret(default: T) -> T:
    """A field whose value is a secret: kept out of ``repr``."""
    field: Any = attrs.field(default=default, repr=False)
    return field  # type: ignore[no-any-return]


def is_read_only(field: attrs.Attribute[Any]) -> bool:
    """Whether ``field`` is one the server assigns (see :func:`server_set`)."""
    return bool(field.metadata.get(READ_ONLY))


@attrs.frozen(kw_only=True)
class EnvVar:
    """An environment variable: ``{"name", "value"}``. The value stays out of ``repr``:
    in secrets and deployment targets it is a secret."""

    name: str = ""
    value: str = secret("")


@attrs.frozen(kw_only=True)
class File:
    """A file: ``{"path", "content"}``. On the wire ``content`` is base64; when you build
    a request from ``bytes`` the SDK encodes it for you (see :meth:`File.from_bytes`).
    The content stays out of ``repr``."""

    path: str = ""
    content: str = secret("")

    @classmethod
    def from_bytes(cls, path: str, content: bytes) -> File:
        """A file whose raw ``content`` is base64-encoded for the wire."""
        return cls(path=path, content=base64.b64encode(content).decode("ascii"))

    def decoded(self) -> bytes:
        """The file's raw bytes (``content`` decoded from base64)."""
        return base64.b64decode(self.content)
