"""The base of every enum the API sends: case-insensitive, and tolerant of new values."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["WireEnum", "proto_numbers"]

E = TypeVar("E", bound="WireEnum")
_PROTO_NUMBERS: dict[type[WireEnum], Mapping[int, str]] = {}


def proto_numbers(numbers: Mapping[int, str]) -> Any:
    """Class decorator: the proto enum numbers some endpoints send instead of names."""

    def decorate(cls: type[E]) -> type[E]:
        _PROTO_NUMBERS[cls] = numbers
        return cls

    return decorate


class WireEnum(str, enum.Enum):
    """A string enum read from the wire.

    The same value arrives as ``"done"`` in one endpoint and ``"DONE"`` in another, and
    some lists send proto numbers instead of names; :meth:`from_wire` maps all of them to
    one member, so values from different endpoints compare equal. A value this SDK does
    not know yet is returned as a plain ``str``: new server values never break a client.
    Members compare equal to their upper-case string values.
    """

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def from_wire(cls, value: Any) -> Any:
        """Return the member for ``value`` (any case, name, or proto number), else ``value``
        as a string."""
        if isinstance(value, cls):
            return value
        lookup = cls.__dict__.get("_lookup_cache_")
        if lookup is None:
            lookup = {member.value.upper(): member for member in cls}
            numbers: Mapping[int, str] = _PROTO_NUMBERS.get(cls, {})
            lookup.update({str(n): cls(name) for n, name in numbers.items()})
            type.__setattr__(cls, "_lookup_cache_", lookup)
        if isinstance(value, bool):
            return str(value)
        key = str(value).upper()
        member = lookup.get(key)
        return member if member is not None else str(value)
