"""The one cattrs converter that builds every model from JSON.

Made by :func:`make_converter` (the global cattrs converter is never used); each model's
structure function is the one cattrs generates for it (``make_dict_structure_fn``,
without detailed validation), and these hooks teach it the wire's quirks:

* every ``datetime | None`` field goes through :func:`parse_timestamp`, which reads
  all the timestamp formats the API mixes;
* ``SomeWireEnum | str`` fields go through the enum's ``from_wire``: known values in any
  case (and proto numbers) become members, unknown values are kept as strings;
* a field the server always sends is typed without ``None``; if it ever arrives ``null``
  or not at all it takes the proto zero value: ``""``, ``0``, ``False``, ``()``, an empty
  mapping, or the nested model with every field at its zero value. It never raises and
  never becomes the text ``"None"``;
* ``bool`` fields accept ``"true"``/``"false"`` as well as JSON booleans, and numbers
  accept their proto-JSON string form (``"42"``);
* a nested model must arrive as a JSON object (``"text"`` or ``[]`` there is an error,
  never an empty model).

Unknown fields are ignored. When a body does not fit, a second pass with cattrs' detailed
validation runs only to name each offending field's path (``$.blocks[0].jobs[2].index``)
in the :class:`StructureError`; its result is never used.

Why cattrs' own generated functions and not a generator of ours (the SDK had one, last in
d0cf7da, which wrote slots past ``__init__``): timed in one process on 2026-12-02, the
detailed pipeline body took ~32 µs with cattrs' functions against ~21.5 µs with the old
generator (fastest of 40 rounds; medians 37-54 against 25-37 µs). That 10.5-17 µs is
1.6-3.0% of a describe (574-648 µs a call on that VM the same hour), at or below the 3%
that would have paid for keeping our own code generation. ``docs/guide/performance.md`` gives
the method.
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
from cattrs.gen import make_dict_structure_fn

from ._args import epoch_seconds
from ._enums import WireEnum

__all__ = ["Converters", "StructureError", "make_converter", "parse_timestamp", "structure"]

T = TypeVar("T")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_TEXT_TS = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\s*(Z|[+-]\d\d:?\d\d)?",
    re.IGNORECASE,
)
_FAST_ISO = sys.version_info >= (3, 11)
_UTC = timezone.utc
_fromisoformat = datetime.fromisoformat
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
    if value.__class__ is str and value[4:5] == "-" and _FAST_ISO:
        # The common case first and inline (six of these per pipeline): a UTC text
        # timestamp the C parser reads; anything unusual takes the general path below.
        try:
            parsed = _fromisoformat(value)
        except ValueError:
            return _from_text(value)
        if parsed.tzinfo is _UTC:
            return None if parsed == _EPOCH else parsed
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


def _union_args(tp: Any) -> tuple[Any, ...]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return ()


def _enum_of_union(tp: Any) -> type[WireEnum] | None:
    for arg in _union_args(tp):
        if isinstance(arg, type) and issubclass(arg, WireEnum):
            return arg
    return None


def _is_tuple_of(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_mapping(tp: Any) -> bool:
    return typing.get_origin(tp) in (Mapping, dict, typing.Mapping)


def _structure_bool(value: Any, _: Any = None) -> bool:
    if value is True or value is False:
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError(f"not a boolean: {value!r}")


def _structure_str(value: Any, _: Any = None) -> str:
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"not a string: {type(value).__name__}")


def _structure_int(value: Any, _: Any = None) -> int:
    if value.__class__ is int:
        return value
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise ValueError(f"not an integer: {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"not an integer: {value!r}")
    return int(value)  # proto JSON sends int64 as a string: "42"


def _structure_float(value: Any, _: Any = None) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def _optional(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def optional(value: Any, tp: Any) -> Any:
        return None if value is None else hook(value, tp)

    return optional


def make_converter(*, detailed_validation: bool = False) -> cattrs.Converter:
    """Build a converter with every hook the models need. Call once per use, keep it.

    ``detailed_validation=True`` makes the error pass, which names failing fields.
    """
    # omit_if_default only shapes request bodies built from models: an update then sends
    # only the fields the caller set.
    converter = cattrs.Converter(detailed_validation=detailed_validation, omit_if_default=True)
    configure_converter(converter)
    return converter


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the SDK's hooks on ``converter``."""
    for tp, hook in (
        (str, _structure_str),
        (int, _structure_int),
        (float, _structure_float),
        (bool, _structure_bool),
    ):
        converter.register_structure_hook(tp, hook)
        converter.register_structure_hook(tp | None, _optional(hook))
    # The commonest field types by far, without the None check's extra call.
    converter.register_structure_hook(
        str | None, lambda v, _: v if v is None or v.__class__ is str else _structure_str(v)
    )
    converter.register_structure_hook(datetime | None, lambda v, _: parse_timestamp(v))
    # Outgoing bodies: a naive datetime means UTC, as in query filters.
    converter.register_unstructure_hook(datetime, lambda dt: epoch_seconds("time", dt))

    def enum_hook(tp: Any) -> Callable[[Any, Any], Any]:
        enum_type = _enum_of_union(tp)
        assert enum_type is not None
        exact: dict[Any, Any] = {member.value: member for member in enum_type}
        exact.update({member.value.lower(): member for member in enum_type})
        from_wire = enum_type.from_wire
        zero: Any = None if type(None) in _union_args(tp) else ""

        def hook(value: Any, _: Any) -> Any:
            if value is None:
                return zero
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
        if converter.detailed_validation:
            # cattrs' own sequence hook, for the index in error paths ($.blocks[0]).
            listed = converter.get_structure_hook(list[inner_type])  # type: ignore[valid-type]

            def detailed(value: Any, _: Any) -> tuple[Any, ...]:
                if value is None:
                    return ()
                if not isinstance(value, list):
                    raise ValueError(f"expected a list, got {type(value).__name__}")
                return tuple(listed(value, list[inner_type]))  # type: ignore[valid-type]

            return detailed

        def hook(value: Any, _: Any) -> tuple[Any, ...]:
            if value.__class__ is list:
                return tuple([inner(item, inner_type) for item in value])
            if value is None:
                return ()
            raise ValueError(f"expected a list, got {type(value).__name__}")

        return hook

    converter.register_structure_hook_factory(_is_tuple_of, tuple_hook)

    def mapping_hook(tp: Any) -> Callable[[Any, Any], Any]:
        key_type, value_type = typing.get_args(tp) or (str, Any)
        key_hook = converter.get_structure_hook(key_type)
        value_hook = converter.get_structure_hook(value_type)

        def hook(value: Any, _: Any) -> dict[Any, Any]:
            if value is None:
                return {}
            if not isinstance(value, Mapping):
                raise ValueError(f"expected a JSON object, got {type(value).__name__}")
            return {key_hook(k, key_type): value_hook(v, value_type) for k, v in value.items()}

        return hook

    converter.register_structure_hook_factory(_is_mapping, mapping_hook)

    def model_hook(cls: Any) -> Callable[[Any, Any], Any]:
        build = make_dict_structure_fn(cls, converter)
        zero: list[Any] = []

        def hook(value: Any, tp: Any) -> Any:
            if value.__class__ is dict:
                return build(value, tp)
            if value is None:
                # Absent where the server always sends one: the model at its zero value.
                if not zero:
                    zero.append(cls())
                return zero[0]
            if not isinstance(value, Mapping):
                raise ValueError(f"expected a JSON object, got {type(value).__name__}")
            return build(value, tp)

        return hook

    converter.register_structure_hook_factory(attrs.has, model_hook)


class Converters:
    """The SDK's converter, and the error pass that names failing fields (made only
    when a body first fails to fit)."""

    def __init__(self) -> None:
        self.converter = make_converter()
        self._detailed: cattrs.Converter | None = None
        self._hooks: dict[Any, Callable[[Any, Any], Any]] = {}

    def structure(self, data: Any, model: type[T]) -> T:
        """Build ``model`` from ``data``, or raise :class:`StructureError` with paths."""
        hook = self._hooks.get(model)
        if hook is None:
            if attrs.has(model):
                hook = self._top_level(self.converter.get_structure_hook(model))
            else:
                hook = self.converter.get_structure_hook(model)
            self._hooks[model] = hook
        try:
            result: T = hook(data, model)
            return result
        except Exception as exc:
            raise self._explain(data, model, exc) from exc

    @staticmethod
    def _top_level(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def top_level(data: Any, model: Any) -> Any:
            if data.__class__ is not dict and not isinstance(data, Mapping):
                # A body of null, a list or a string is not the object promised.
                raise ValueError(f"expected a JSON object, got {type(data).__name__}")
            return hook(data, model)

        return top_level

    def _explain(self, data: Any, model: Any, exc: Exception) -> StructureError:
        if self._detailed is None:
            self._detailed = make_converter(detailed_validation=True)
        try:
            structure(self._detailed, data, model)
        except StructureError as explained:
            return explained
        # The error pass accepted what the converter refused: report the refusal itself.
        return StructureError([f"{type(exc).__name__}: {exc} @ $"])

    def unstructure(self, value: Any) -> Any:
        return self.converter.unstructure(value)


def structure(converter: cattrs.Converter, data: Any, model: type[T]) -> T:
    """Structure ``data`` into ``model``, turning every cattrs failure into
    :class:`StructureError` with each failing field's path."""
    if attrs.has(model) and not isinstance(data, Mapping):
        raise StructureError([f"expected a JSON object, got {type(data).__name__} @ $"])
    try:
        return converter.structure(data, model)
    except cattrs.BaseValidationError as exc:
        raise StructureError(cattrs.transform_error(exc, path="$")) from exc
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise StructureError([f"{type(exc).__name__}: {exc} @ $"]) from exc
