"""Small shapes shared by several areas: environment variables and files."""

from __future__ import annotations

import attrs

__all__ = ["EnvVar", "File"]


@attrs.frozen(kw_only=True)
class EnvVar:
    """An environment variable: ``{"name", "value"}``."""

    name: str | None = None
    value: str | None = None


@attrs.frozen(kw_only=True)
class File:
    """A file: ``{"path", "content"}``. On the wire ``content`` is base64; when you build
    a request from ``bytes``, the SDK encodes it for you (see :func:`File.from_bytes`)."""

    path: str | None = None
    content: str | None = None

    @classmethod
    def from_bytes(cls, path: str, content: bytes) -> File:
        """A file whose raw ``content`` is base64-encoded for the wire."""
        import base64

        return cls(path=path, content=base64.b64encode(content).decode("ascii"))

    def decoded(self) -> bytes:
        """The file's raw bytes (``content`` decoded from base64)."""
        import base64

        return base64.b64decode(self.content or "")
