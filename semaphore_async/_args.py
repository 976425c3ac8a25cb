"""Argument checks shared by the resources: wrong arguments fail before any request."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timezone

__all__ = ["epoch_seconds", "idempotency_token", "is_uuid", "optional_text", "text"]


def text(name: str, value: object) -> str:
    """A required, non-empty string argument."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def optional_text(name: str, value: object) -> str | None:
    """An optional string argument: ``None`` or a non-empty string."""
    return None if value is None else text(name, value)


def epoch_seconds(name: str, value: datetime | float | None) -> int | None:
    """A time filter as integer epoch seconds (``datetime`` or a number); naive is UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return int(aware.timestamp())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"{name} must be a datetime or epoch seconds, got {value!r}")
    return int(value)


def idempotency_token(name: str, value: str | None) -> str:
    """The caller's token, or a fresh uuid4; made once per call and reused on retries."""
    return str(uuid.uuid4()) if value is None else text(name, value)


def is_uuid(value: str) -> bool:
    """Whether ``value`` parses as a UUID (ids, idempotency tokens)."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
