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

Two converters are made with these hooks (:class:`Converters`): a lean one for the hot
path and a detailed one that runs only when the lean one fails, to name the failing
fields. The lean one structures models with straight-line functions this module
generates once per model (:func:`model_hook`), registered on it as a cattrs hook factory.
"""

from __future__ import annotations

import linecache
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


def _enum_spellings(tp: Any) -> tuple[dict[str, WireEnum], Callable[[Any], Any]]:
    """For ``SomeWireEnum | str | None``: the spellings the wire uses (as declared, and
    lower-case), which hit a dict at once, and ``from_wire`` for everything else."""
    enum_type = _enum_of_union(tp)
    assert enum_type is not None
    exact = {member.value: member for member in enum_type}
    exact.update({member.value.lower(): member for member in enum_type})
    return exact, enum_type.from_wire


def _optional_plain_model(tp: Any) -> Any:
    """``Model`` for ``Model | None`` when ``Model`` is a :func:`plain_model`, else None."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    args = [arg for arg in typing.get_args(tp) if arg is not type(None)]
    if len(args) == 1 and len(typing.get_args(tp)) == 2 and plain_model(args[0]):
        return args[0]
    return None


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
        exact, from_wire = _enum_spellings(tp)

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

    detailed = converter.detailed_validation

    def tuple_hook(tp: Any) -> Callable[[Any, Any], Any]:
        inner_type = typing.get_args(tp)[0]
        inner = converter.get_structure_hook(inner_type)

        def hook(value: Any, _: Any) -> tuple[Any, ...]:
            if value is None:
                return ()
            if value.__class__ is not list and isinstance(value, (str, bytes, Mapping)):
                raise ValueError(f"expected a list, got {type(value).__name__}")
            if not detailed:
                return tuple([inner(item, inner_type) for item in value])
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
    if detailed:
        # cattrs' own functions read a nested model from any value that supports `in`, so
        # "text" or [] where an object belongs became an empty model; refuse them, and
        # the error carries the field's path like any other.
        def object_hook(cls: Any) -> Callable[[Any, Any], Any]:
            build = converter.gen_structure_attrs_fromdict(cls)

            def hook(value: Any, tp: Any) -> Any:
                if not isinstance(value, Mapping):
                    raise ValueError(f"expected a JSON object, got {type(value).__name__}")
                return build(value, tp)

            return hook

        converter.register_structure_hook_factory(attrs.has, object_hook)
    else:
        # Registered last, so it wins over cattrs' own attrs support for plain models.
        converter.register_structure_hook_factory(
            plain_model, lambda cls: model_hook(converter, cls)
        )


def plain_model(cls: Any) -> bool:
    """True for an attrs class whose ``__init__`` does nothing but store each field in
    its slot: every field has a constant default, no validator, converter or alias, and
    the class has no pre/post-init and no slot of its own (such as a cached hash).
    All the SDK's models are plain; :func:`model_hook` relies on it."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        return False
    if hasattr(cls, "__attrs_pre_init__") or hasattr(cls, "__attrs_post_init__"):
        return False
    fields = attrs.fields(cls)
    names = {field.name for field in fields}
    for field in fields:
        if (
            not field.init
            or field.validator is not None
            or field.converter is not None
            or field.alias != field.name
            or field.default is attrs.NOTHING
            or isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
            or not isinstance(getattr(cls, field.name, None), types.MemberDescriptorType)
        ):
            return False
    return all(
        slot in names or slot == "__weakref__"
        for klass in cls.__mro__
        for slot in klass.__dict__.get("__slots__", ())
    )


_ABSENT = object()


def model_hook(converter: cattrs.Converter, cls: Any) -> Callable[[Any, Any], Any]:
    """A straight-line structure function for the plain model ``cls``, generated once.

    cattrs' generated function gathers the fields into a dict, calls a hook per field and
    then the frozen ``__init__``, which stores each field through ``object.__setattr__``.
    For the fields the API sends most (text, numbers, enums, timestamps) this one does the
    conversion inline, and it fills a new instance's slots through their descriptors,
    skipping ``__init__`` (which, for a :func:`plain_model`, would store the same values).
    Everything else goes through the converter's own hook for the field's type, so the
    results are the detailed converter's, as ``tests/unit/test_converter.py`` checks for
    every model. The detailed pipeline body structures in ~16 µs this way, against ~33 µs
    through cattrs' own generated functions with the same hooks and ~40 µs through the
    detailed converter (timeit, best of 7; ``nox -s bench`` reports ours and detailed).

    A value the inline code cannot take raises, and :class:`Converters` then re-runs the
    detailed converter, which names the field.
    """
    attrs.resolve_types(cls)
    namespace: dict[str, Any] = {
        "__cl": cls,
        "__new": object.__new__,
        "__timestamp": parse_timestamp,
        "__absent": _ABSENT,
    }
    lines = ["    get = o.get", "    self = __new(__cl)"]
    for i, field in enumerate(attrs.fields(cls)):
        tp = field.type
        namespace[f"set{i}"] = getattr(cls, field.name).__set__
        namespace[f"hook{i}"] = converter.get_structure_hook(tp)
        namespace[f"type{i}"] = tp
        if field.default is None:
            lines.append(f"    v = get({field.name!r})")
            if tp == (str | None) or tp == (int | None):
                exact_type = "str" if tp == (str | None) else "int"
                lines.append(
                    f"    if v is not None and v.__class__ is not {exact_type}: "
                    f"v = hook{i}(v, type{i})"
                )
            elif _is_optional_datetime(tp):
                lines.append("    if v is not None: v = __timestamp(v)")
            elif _enum_of_union(tp) is not None:
                namespace[f"exact{i}"], namespace[f"from_wire{i}"] = _enum_spellings(tp)
                lines += [
                    "    if v is not None:",
                    f"        m = exact{i}.get(v) if v.__class__ is str else None",
                    f"        v = m if m is not None else from_wire{i}(v)",
                ]
            elif (inner := _optional_plain_model(tp)) is not None:
                # A nested model: its own generated function, without cattrs' Optional hop.
                namespace[f"hook{i}"] = converter.get_structure_hook(inner)
                lines.append(f"    if v is not None: v = hook{i}(v)")
            else:  # every other optional type's hook maps null to None
                lines.append(f"    if v is not None: v = hook{i}(v, type{i})")
        elif _is_tuple_of(tp) and field.default == ():
            lines.append(f"    v = get({field.name!r})")
            item_type = typing.get_args(tp)[0]
            if plain_model(item_type):
                # A list of nested models: a C loop over their generated function.
                namespace[f"item{i}"] = converter.get_structure_hook(item_type)
                lines += [
                    "    if v is None: v = ()",
                    f"    elif v.__class__ is list: v = tuple(map(item{i}, v))",
                    f"    else: v = hook{i}(v, type{i})",
                ]
            else:
                lines.append(f"    v = () if v is None else hook{i}(v, type{i})")
        else:
            namespace[f"default{i}"] = field.default
            lines.append(f"    v = get({field.name!r}, __absent)")
            lines.append(f"    v = default{i} if v is __absent else hook{i}(v, type{i})")
        lines.append(f"    set{i}(self, v)")
    name = f"structure_{cls.__name__}"
    script = "\n".join([f"def {name}(o, _=None):", *lines, "    return self", ""])
    filename = f"<semaphore_async structure {cls.__module__}.{cls.__qualname__}>"
    # Registered like cattrs' own generated code, so tracebacks show the source.
    linecache.cache[filename] = (len(script), None, script.splitlines(True), filename)
    exec(compile(script, filename, "exec"), namespace)  # noqa: S102 - our own template
    function: Callable[[Any, Any], Any] = namespace[name]
    return function


class Converters:
    """The SDK's converter pair, made by one factory with the same hooks: a lean one
    (no detailed validation) for the hot path, and a detailed one, used only when the
    lean one fails, to name every failing field's path."""

    def __init__(self) -> None:
        self.fast = make_converter(detailed_validation=False)
        self.detailed = make_converter(detailed_validation=True)
        self._hooks: dict[Any, Callable[[Any, Any], Any]] = {}

    def structure(self, data: Any, model: type[T]) -> T:
        """Build ``model`` from ``data``, or raise :class:`StructureError` with paths."""
        if data.__class__ is not dict and attrs.has(model) and not isinstance(data, Mapping):
            # cattrs would read a list or string as an object with no fields.
            raise StructureError([f"expected a JSON object, got {type(data).__name__} @ $"])
        hook = self._hooks.get(model)
        if hook is None:
            hook = self._hooks[model] = self.fast.get_structure_hook(model)
        try:
            result: T = hook(data, model)
            return result
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
