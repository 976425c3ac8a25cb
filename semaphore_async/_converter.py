"""The one cattrs converter that builds every model from JSON.

Made by :func:`make_converter`; the global cattrs converter is never used. Hooks:

* every ``datetime | None`` field goes through :func:`parse_timestamp`, which reads
  all the wire formats the API mixes;
* ``SomeWireEnum | str`` fields go through the enum's ``from_wire``: known values in any
  case (and proto numbers) become members, unknown values are kept as strings;
* ``tuple[X, ...]`` fields accept ``null`` (as ``()``);
* ``bool`` fields accept ``"true"``/``"false"`` as well as JSON booleans.

Unknown fields are ignored. A body that does not fit raises ``DecodeError`` whose
message names each offending field's path (from cattrs' detailed validation).
"""

from __future__ import annotations

import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import BaseValidationError, IterableValidationError, IterableValidationNote

from ._enums import WireEnum

__all__ = ["Converters", "StructureError", "make_converter", "parse_timestamp", "structure"]

T = TypeVar("T")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_TEXT_TS = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\s*(Z|[+-]\d\d:?\d\d)?",
    re.IGNORECASE,
)
_FAST_ISO = sys.version_info >= (3, 11)
# Above these magnitudes an epoch number is in microseconds (deployment-history cursors)
# or milliseconds rather than seconds; seconds stay below 1e11 until the year 5138.
_MICROS_ABOVE = 1e14
_MILLIS_ABOVE = 1e11


class StructureError(ValueError):
    """A JSON value did not fit its model; ``errors`` lists each failure with its path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_timestamp(value: Any) -> datetime | None:
    """Read any of the API's timestamp formats into an aware UTC ``datetime``.

    ``None`` for ``null``, ``""`` and the zero sentinels (``"1970-01-01 00:00:00.000000Z"``,
    ``{"seconds": 0, "nanos": 0}``, ``"0"``, ``0``). Accepted forms:

    * epoch seconds as int, float or numeric string (``1571083003``, ``"1571083003"``);
    * epoch microseconds or milliseconds, told apart by magnitude;
    * ``{"seconds": N, "nanos": N}`` (either part may be a string, as proto JSON does);
    * ``YYYY-MM-DD HH:MM:SS.ffffffZ`` and ISO 8601 with ``T``, any fraction length and a
      ``Z`` or numeric offset (no offset means UTC);
    * an existing ``datetime`` (naive means UTC).

    Anything else raises ``ValueError``.
    """
    if value.__class__ is str and _FAST_ISO and "-" in value[1:11]:
        # The common case first: a text timestamp the C parser reads.
        return _from_text(value)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        result = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return _none_if_epoch(result.astimezone(timezone.utc))
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return _from_epoch_number(value)
    if isinstance(value, str):
        text = value.strip()
        if _looks_numeric(text):
            return _from_epoch_number(float(text) if "." in text else int(text))
        return _from_text(text)
    if isinstance(value, Mapping):
        seconds = value.get("seconds", 0) or 0
        nanos = value.get("nanos", 0) or 0
        try:
            secs, ns = int(seconds), int(nanos)
        except (TypeError, ValueError):
            raise ValueError(f"not a timestamp: {value!r}") from None
        if secs == 0 and ns == 0:
            return None
        return _EPOCH + timedelta(seconds=secs, microseconds=ns // 1000)
    raise ValueError(f"not a timestamp: {value!r}")


def _looks_numeric(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return bool(body) and body.replace(".", "", 1).isdigit()


def _from_epoch_number(number: float) -> datetime | None:
    if number == 0:
        return None
    magnitude = abs(number)
    try:
        if magnitude > _MICROS_ABOVE:
            return _EPOCH + timedelta(microseconds=int(number))
        if magnitude > _MILLIS_ABOVE:
            return _EPOCH + timedelta(milliseconds=number)
        return _EPOCH + timedelta(seconds=number)
    except OverflowError:
        raise ValueError(f"timestamp out of range: {number!r}") from None


def _from_text(text: str) -> datetime | None:
    if _FAST_ISO:
        # The C parser handles the common shapes (Python 3.11+); the regex the rest.
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            elif parsed.utcoffset():
                parsed = parsed.astimezone(timezone.utc)
            return None if parsed == _EPOCH else parsed
    match = _TEXT_TS.fullmatch(text)
    if match is None:
        raise ValueError(f"not a timestamp: {text[:40]!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    tz = timezone.utc
    if zone and zone.upper() != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    result = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micros, tzinfo=tz
    ).astimezone(timezone.utc)
    return _none_if_epoch(result)


def _none_if_epoch(value: datetime) -> datetime | None:
    return None if value == _EPOCH else value


def _is_optional_datetime(tp: Any) -> bool:
    return bool(tp == (datetime | None))


def _enum_of_union(tp: Any) -> type[WireEnum] | None:
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    for arg in typing.get_args(tp):
        if isinstance(arg, type) and issubclass(arg, WireEnum):
            return arg
    return None


def _is_tuple_of(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError(f"not a boolean: {value!r}")


def make_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """Build a converter with every hook the models need. Call once per use, keep it."""
    # omit_if_default only shapes request bodies built from models: an update then sends
    # only the fields the caller set.
    converter = cattrs.Converter(detailed_validation=detailed_validation, omit_if_default=True)
    configure_converter(converter)
    return converter


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the SDK's hooks on ``converter``."""
    converter.register_structure_hook_func(
        _is_optional_datetime, lambda value, _: parse_timestamp(value)
    )
    converter.register_unstructure_hook(datetime, lambda dt: int(dt.timestamp()))

    def enum_hook(tp: Any) -> Callable[[Any, Any], Any]:
        enum_type = _enum_of_union(tp)
        assert enum_type is not None
        # The spellings the wire uses (as declared, and lower-case) hit this dict at once.
        exact = {member.value: member for member in enum_type}
        exact.update({member.value.lower(): member for member in enum_type})
        from_wire = enum_type.from_wire

        def hook(value: Any, _: Any) -> Any:
            if value is None:
                return None
            member = exact.get(value) if value.__class__ is str else None
            return member if member is not None else from_wire(value)

        return hook

    converter.register_structure_hook_factory(lambda tp: _enum_of_union(tp) is not None, enum_hook)
    converter.register_unstructure_hook_func(
        lambda tp: isinstance(tp, type) and issubclass(tp, WireEnum), lambda e: e.value
    )

    def tuple_hook(tp: Any) -> Callable[[Any, Any], Any]:
        inner_type = typing.get_args(tp)[0]
        inner = converter.get_structure_hook(inner_type)

        def hook(value: Any, _: Any) -> tuple[Any, ...]:
            if value is None:
                return ()
            if isinstance(value, (str, bytes, Mapping)):
                raise ValueError(f"expected a list, got {type(value).__name__}")
            if not converter.detailed_validation:
                return tuple(inner(item, inner_type) for item in value)
            items, errors = [], []
            for index, item in enumerate(value):
                try:
                    items.append(inner(item, inner_type))
                except Exception as exc:
                    # The note carries the index, so error paths read $.blocks[0].jobs[2].
                    note = IterableValidationNote(
                        f"Structuring {tp} @ index {index}", index, inner_type
                    )
                    notes = [*getattr(exc, "__notes__", []), note]
                    exc.__notes__ = notes  # type: ignore[attr-defined]  # PEP 678 on 3.10
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp!r}", errors, tp)
            return tuple(items)

        return hook

    converter.register_structure_hook_factory(_is_tuple_of, tuple_hook)
    converter.register_structure_hook(bool, _structure_bool)
    # Direct hooks for the commonest field types: cattrs' generic Optional path costs a
    # dispatch per field, and these are most of the fields of every model.
    converter.register_structure_hook(
        str | None, lambda v, _: v if v is None or v.__class__ is str else str(v)
    )
    converter.register_structure_hook(
        int | None, lambda v, _: v if v is None or v.__class__ is int else int(v)
    )
    converter.register_structure_hook(
        bool | None, lambda v, _: None if v is None else _structure_bool(v, bool)
    )


class Converters:
    """The SDK's converter pair, made by one factory with the same hooks: a lean one
    (no detailed validation) for the hot path, and a detailed one, used only when the
    lean one fails, to name every failing field's path."""

    def __init__(self) -> None:
        self.fast = make_converter(detailed_validation=False)
        self.detailed = make_converter(detailed_validation=True)

    def structure(self, data: Any, model: type[T]) -> T:
        """Build ``model`` from ``data``, or raise :class:`StructureError` with paths."""
        if attrs.has(model) and not isinstance(data, Mapping):
            # cattrs would read a list or string as an object with no fields.
            raise StructureError([f"expected a JSON object, got {type(data).__name__} @ $"])
        try:
            return self.fast.structure(data, model)
        except Exception:  # re-run detailed, to report what failed and where
            return structure(self.detailed, data, model)

    def unstructure(self, value: Any) -> Any:
        return self.fast.unstructure(value)


def structure(converter: cattrs.Converter, data: Any, model: type[T]) -> T:
    """Structure ``data`` into ``model``, turning every cattrs failure into
    :class:`StructureError` with each failing field's path."""
    if attrs.has(model) and not isinstance(data, Mapping):
        # cattrs would read a list or string as an object with no fields.
        raise StructureError([f"expected a JSON object, got {type(data).__name__} @ $"])
    try:
        return converter.structure(data, model)
    except BaseValidationError as exc:
        raise StructureError(cattrs.transform_error(exc, path="$")) from exc
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise StructureError([f"{type(exc).__name__}: {exc} @ $"]) from exc
