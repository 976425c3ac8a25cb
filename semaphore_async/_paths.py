"""Path parameters, each percent-encoded as exactly one segment.

An id such as ``../projects`` or ``a/b`` must never reach another endpoint: every
value is encoded with no safe characters (``/`` becomes ``%2F``, ``%`` becomes
``%25``), and the dot segments ``.`` and ``..`` are refused outright because some
proxies normalise even their encoded forms. Modelled on openai-python's
``_utils/_path.py``.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

__all__ = ["path", "segment"]

# Ids (UUIDs, names) are nearly always made of these, which quote() leaves alone; the
# first character is not a dot, so "." and ".." never match.
_UNRESERVED = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def segment(value: object, *, name: str = "path parameter") -> str:
    """Encode one path parameter as a single URL segment.

    Raises ``TypeError`` for values that are not ``str``, ``int`` or ``UUID`` and
    ``ValueError`` for empty values and dot segments, before any request is sent.
    """
    if type(value) is str and _UNRESERVED.fullmatch(value):
        return value  # the common case, with nothing to encode (and not a dot segment)
    if isinstance(value, bool) or not isinstance(value, (str, int, uuid.UUID)):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    text = str(value)
    if not text:
        raise ValueError(f"{name} must not be empty")
    if text in (".", ".."):
        raise ValueError(f"{name} {text!r} is a dot segment and cannot be sent as an id")
    return quote(text, safe="")


def path(template: str, **params: object) -> str:
    """Fill ``template``'s ``{name}`` fields, each with :func:`segment`."""
    return template.format(**{key: segment(value, name=key) for key, value in params.items()})
