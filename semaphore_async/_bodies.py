"""Request bodies: built from the SDK's models or from plain mappings, the same way.

Models are unstructured with fields left at their default (``None``, ``()``) omitted, so
an update sends only what the caller set. Any ``bytes`` value (a file's ``content``) is
base64-encoded; a ``str`` content is sent as it is, taken to be base64 already.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import cattrs

__all__ = ["to_wire", "to_wire_list"]


def to_wire(converter: cattrs.Converter, value: Any, *, name: str) -> dict[str, Any]:
    """One whole-object body from a model instance or a mapping."""
    if attrs.has(type(value)):
        data = converter.unstructure(value)
    elif isinstance(value, Mapping):
        data = dict(value)
    else:
        raise TypeError(
            f"{name} must be a semaphore_async model or a mapping, got {type(value).__name__}"
        )
    return _encode_bytes(data)  # type: ignore[no-any-return]


def to_wire_list(
    converter: cattrs.Converter, values: Iterable[Any] | None, *, name: str
) -> list[dict[str, Any]] | None:
    """A list of objects (rules, env vars, files) from models or mappings; ``None`` stays
    ``None`` so that it is not sent."""
    if values is None:
        return None
    if isinstance(values, (str, bytes, Mapping)):
        raise TypeError(f"{name} must be a list of models or mappings, not a single value")
    return [to_wire(converter, item, name=f"{name}[{i}]") for i, item in enumerate(values)]


def _encode_bytes(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping):
        return {key: _encode_bytes(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode_bytes(item) for item in value]
    return value
