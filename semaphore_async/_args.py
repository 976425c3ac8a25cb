"""One rule for arguments, shared by every method: a bad argument raises
:class:`~semaphore_async.InvalidArgumentError` before anything is sent, the same way in
single and bulk calls.

* an id (a path parameter, an element of ``get_many``'s list) is a ``str`` that is not
  empty, not only whitespace, and not a dot segment (``.``, ``..``);
* a list of ids is any iterable but a bare ``str`` or ``bytes`` (which would be read one
  character at a time);
* flags are ``bool``; time limits are finite and positive; callbacks are callable.

Also here: query arguments encoded as the server reads them (:func:`query`).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar

from ._errors import InvalidArgumentError
from ._query import Query

__all__ = [
    "callback",
    "epoch_seconds",
    "flag",
    "idempotency_token",
    "identifier",
    "identifiers",
    "is_uuid",
    "optional_text",
    "positive_seconds",
    "query",
    "string_map",
    "text",
    "uuid_id",
]

F = TypeVar("F", bound=Callable[..., Any])


def identifier(name: str, value: object) -> str:
    """An id: a non-empty ``str``, not only whitespace, not ``.`` or ``..``."""
    if not isinstance(value, str):
        raise InvalidArgumentError(
            f"{name} must be a str, got {type(value).__name__} {value!r}"
            + (f"; pass str({name})" if isinstance(value, (int, uuid.UUID)) else "")
        )
    if not value or value.isspace():
        raise InvalidArgumentError(f"{name} must not be empty or only whitespace, got {value!r}")
    if value in (".", ".."):
        raise InvalidArgumentError(f"{name} {value!r} is a dot segment and cannot be an id")
    return value


def uuid_id(name: str, value: object) -> str:
    """An id the server reads only as a UUID (schedulers, tasks): it answers 400 to
    anything else, so the SDK says so first."""
    checked = identifier(name, value)
    if not is_uuid(checked):
        raise InvalidArgumentError(f"{name} must be a UUID, got {checked!r}")
    return checked


def identifiers(name: str, values: Iterable[object]) -> list[str | InvalidArgumentError]:
    """Each of ``values`` checked as an id; a bad one becomes its error, in its place
    (bulk calls raise it, or with ``return_exceptions=True`` return it there)."""
    if isinstance(values, (str, bytes)):
        raise InvalidArgumentError(
            f"{name} must be a list of ids, not a single {type(values).__name__}; "
            f"wrap it in a list: [{values!r}]"
        )
    try:
        items = list(values)
    except TypeError:
        raise InvalidArgumentError(
            f"{name} must be an iterable of ids, got {type(values).__name__}"
        ) from None
    checked: list[str | InvalidArgumentError] = []
    for index, value in enumerate(items):
        try:
            checked.append(identifier(f"{name}[{index}]", value))
        except InvalidArgumentError as exc:
            checked.append(exc)
    return checked


def text(name: str, value: object) -> str:
    """A required string argument that is not empty or only whitespace."""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise InvalidArgumentError(f"{name} must not be empty or only whitespace")
    return value


def optional_text(name: str, value: object) -> str | None:
    """An optional string argument: ``None`` or a non-empty string."""
    return None if value is None else text(name, value)


def optional_texts(**values: object) -> dict[str, str | None]:
    """:func:`optional_text` for each keyword, each named by its keyword in an error."""
    return {name: optional_text(name, value) for name, value in values.items()}


def string_map(name: str, value: object) -> dict[str, str]:
    """A mapping of strings to strings (parameters, which the server reads as text)."""
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"{name} must be a mapping of str to str, got {value!r}")
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError(f"{name} keys must be non-empty str, got {key!r}")
        if not isinstance(item, str):
            raise InvalidArgumentError(
                f"{name}[{key!r}] must be a str (the server reads parameters as text), "
                f"got {type(item).__name__}"
            )
    return dict(value)


def flag(name: str, value: object) -> bool:
    """A boolean argument: ``True`` or ``False`` only (``"yes"`` and ``1`` are refused)."""
    if value is not True and value is not False:
        raise InvalidArgumentError(f"{name} must be True or False, got {value!r}")
    return value


def positive_seconds(name: str, value: object) -> float:
    """A time limit: a finite number of seconds above zero."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentError(f"{name} must be a number of seconds, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise InvalidArgumentError(f"{name} must be finite and above zero, got {value!r}")
    return float(value)


def callback(name: str, value: F | None) -> F | None:
    """An optional callback: ``None`` or something callable."""
    if value is not None and not callable(value):
        raise InvalidArgumentError(f"{name} must be callable, got {type(value).__name__}")
    return value


def epoch_seconds(name: str, value: datetime | float | None) -> int | None:
    """A time as integer epoch seconds (``datetime`` or a number).

    A naive ``datetime`` means UTC, here and in request bodies alike.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return int(aware.timestamp())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be a datetime or epoch seconds, got {value!r}")
    return int(value)


def epochs(**values: datetime | float | None) -> dict[str, int | None]:
    """:func:`epoch_seconds` for each keyword, each named by its keyword in an error."""
    return {name: epoch_seconds(name, value) for name, value in values.items()}


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


def query(**params: object) -> Query:
    """Build a query from keywords, dropping ``None``.

    Booleans become ``true``/``false``, datetimes integer epoch seconds (naive means
    UTC), and lists or tuples repeat the parameter, as the server reads them.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else (value,)
        pairs.extend((key, _query_value(item)) for item in values)
    return tuple(pairs)


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return str(epoch_seconds("time", value))
    return str(value)
