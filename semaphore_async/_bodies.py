"""Request bodies: built from the SDK's models or from plain mappings, checked against
the names the server reads, so that nothing a caller sets is silently dropped.

The gateway discards unknown JSON fields (``public-api-gateway/main.go``:
``DiscardUnknown``), and so does every plumber-public and projecthub handler, so a
misspelt or docs-only name would simply vanish on the server. Every body therefore goes
through :func:`to_wire`, which walks it against the model of the resource:

* a name the model does not have is refused with :class:`InvalidArgumentError`, naming
  the closest real field; a name the docs use where the server reads another
  (``project_access`` for ``projects_access``) is translated, unless both are given;
* a field the server assigns (``server_set`` in ``models/_common.py``: ids, timestamps)
  is left out when it comes from a model (a model from an answer may be sent back as it
  is) and refused in a mapping;
* an enum value must be one the server knows (any case): the gateway turns an unknown
  enum *name* into the enum's zero value, so ``"ALLOWD"`` would open a secret to
  ``ALL`` projects;
* ``bytes`` (a file's ``content``) are base64-encoded; a ``str`` content is sent as it
  is, taken to be base64 already; a ``datetime`` becomes epoch seconds (naive is UTC).

Models are unstructured with fields at their default left out, so an update sends only
what the caller set, except where the server needs a key present (:data:`ALWAYS_SENT`).
"""

from __future__ import annotations

import base64
import difflib
import functools
import types
import typing
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final

import attrs
import cattrs

from ._args import epoch_seconds
from ._enums import WireEnum
from ._errors import InvalidArgumentError
from .models import Notify, ObjectRule, OrgConfig, ProjectTask
from .models._common import is_read_only

__all__ = ["ALIASES", "ALWAYS_SENT", "to_wire", "to_wire_list"]

ALIASES: Final[Mapping[type, Mapping[str, str]]] = {
    # The docs' names on the left, the server's on the right.
    OrgConfig: {"project_access": "projects_access"},  # secrets.v1beta.pb.go Secret_OrgConfig
    ProjectTask: {"recurring": "scheduled"},  # http_api.ex construct_tasks/1
}
"""Names the docs (or the server's own proto) use where the wire reads another."""

ALWAYS_SENT: Final[Mapping[type, tuple[str, ...]]] = {
    # deployments/common.ex is_map_of_object_rule: a rule without all three is a 400.
    ObjectRule: ("type", "match_mode", "pattern"),
    # A rule stored without slack or webhook breaks every later read of it
    # (notifications/lib/notifications/util/transforms.ex decode_spec/2).
    Notify: ("slack", "webhook"),
}
"""Keys sent even at their zero value, because the server needs them present."""


def to_wire(converter: cattrs.Converter, value: Any, model: type, *, name: str) -> dict[str, Any]:
    """One whole-object body of type ``model`` from a model instance or a mapping."""
    return _nested(converter, value, model, name, from_model=False)


def _nested(
    converter: cattrs.Converter, value: Any, model: type, where: str, *, from_model: bool
) -> dict[str, Any]:
    """A model instance (an answer sent back: its server-set fields are skipped) or a
    mapping (the caller's: a server-set field in it is an error, unless it comes from
    inside a model) as the object the server reads."""
    if isinstance(value, model):
        return _object(converter, converter.unstructure(value), model, where, from_model=True)
    if isinstance(value, Mapping):
        return _object(converter, value, model, where, from_model=from_model)
    raise InvalidArgumentError(
        f"{where} must be a {model.__name__} or a mapping, got {type(value).__name__}"
    )


def to_wire_list(
    converter: cattrs.Converter, values: Iterable[Any] | None, model: type, *, name: str
) -> list[dict[str, Any]] | None:
    """A list of objects (rules, env vars, files) from models or mappings; ``None`` stays
    ``None`` so that it is not sent."""
    if values is None:
        return None
    if isinstance(values, (str, bytes, Mapping)) or attrs.has(type(values)):
        raise InvalidArgumentError(
            f"{name} must be a list of {model.__name__} or mappings, not a single value"
        )
    return [to_wire(converter, item, model, name=f"{name}[{i}]") for i, item in enumerate(values)]


@functools.cache
def _fields(model: type) -> dict[str, attrs.Attribute[Any]]:
    attrs.resolve_types(model)
    return {field.name: field for field in attrs.fields(model)}


def _object(
    converter: cattrs.Converter,
    data: Mapping[Any, Any],
    model: type,
    where: str,
    *,
    from_model: bool,
) -> dict[str, Any]:
    fields = _fields(model)
    aliases = ALIASES.get(model, {})
    out: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise InvalidArgumentError(f"{where}: field names must be str, got {key!r}")
        field = fields.get(key)
        if field is None and key in aliases:
            target = aliases[key]
            if target in data:
                raise InvalidArgumentError(
                    f"{where} gives both {key!r} (the docs' name) and {target!r}; the server "
                    f"reads only {target!r}: pass that one alone"
                )
            field = fields[target]
        if field is None:
            raise InvalidArgumentError(_unknown(where, key, model, fields))
        if is_read_only(field):
            if from_model:
                continue  # an answer sent back as it is: the server assigns these
            raise InvalidArgumentError(
                f"{where}.{field.name} is assigned by the server and cannot be sent; remove it"
            )
        out[field.name] = _value(converter, value, field.type, f"{where}.{field.name}", from_model)
    for key in ALWAYS_SENT.get(model, ()):
        if key not in out:
            out[key] = converter.unstructure(fields[key].default)
    return out


def _unknown(where: str, key: str, model: type, fields: Mapping[str, Any]) -> str:
    known = sorted(name for name, field in fields.items() if not is_read_only(field))
    close = difflib.get_close_matches(key, [*known, *ALIASES.get(model, {})], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return (
        f"{where} has no field {key!r}: the server would drop it silently{hint} "
        f"({model.__name__} fields: {', '.join(known)})"
    )


def _value(converter: cattrs.Converter, value: Any, tp: Any, where: str, from_model: bool) -> Any:
    if value is None:
        return None
    inner = _strip_optional(tp)
    if attrs.has(inner):
        return _nested(converter, value, inner, where, from_model=from_model)
    enum = _enum_of(inner)
    if enum is not None:
        return _enum_value(enum, value, where)
    args = typing.get_args(inner)
    if typing.get_origin(inner) is tuple and len(args) == 2 and args[1] is Ellipsis:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise InvalidArgumentError(f"{where} must be a list, got {type(value).__name__}")
        return [
            _value(converter, item, args[0], f"{where}[{i}]", from_model)
            for i, item in enumerate(value)
        ]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime):
        return epoch_seconds(where, value)
    return value


def _enum_value(enum: type[WireEnum], value: Any, where: str) -> Any:
    if value == "":
        return value  # unset: the server's default, as if left out
    member = enum.from_wire(value)
    if not isinstance(member, enum):
        allowed = ", ".join(m.value for m in enum)
        raise InvalidArgumentError(
            f"{where}={value!r} is not a value the server knows ({allowed}); the server "
            "would replace an unknown value with its default"
        )
    return member.value


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        models = [a for a in args if attrs.has(a)]
        if len(args) == 1:
            return args[0]
        if models:
            return models[0]
    return tp


def _enum_of(tp: Any) -> type[WireEnum] | None:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if isinstance(arg, type) and issubclass(arg, WireEnum):
                return arg
    if isinstance(tp, type) and issubclass(tp, WireEnum):
        return tp
    return None
