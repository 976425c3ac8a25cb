"""Path parameters, each percent-encoded as exactly one segment.

An id such as ``../projects`` or ``a/b`` must never reach another endpoint: every
value is encoded with no safe characters (``/`` becomes ``%2F``, ``%`` becomes
``%25``), and the dot segments ``.`` and ``..`` are refused outright because some
proxies normalise even their encoded forms. Modelled on openai-python's
``_utils/_path.py``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ._args import identifier

__all__ = ["path", "segment"]

# Ids (UUIDs, names) are nearly always made of these, which quote() leaves alone; the
# first character is not a dot, so "." and ".." never match.
_UNRESERVED = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def segment(value: object, *, name: str = "path parameter") -> str:
    """Encode one id as a single URL segment.

    Raises :class:`~semaphore_async.InvalidArgumentError` for anything but a non-empty
    ``str`` that is not only whitespace nor a dot segment, before any request is sent.
    """
    if isinstance(value, str) and _UNRESERVED.fullmatch(value):
        return value  # the common case: nothing to encode
    return quote(identifier(name, value), safe="")


def path(template: str, **params: object) -> str:
    """Fill ``template``'s ``{name}`` fields, each with :func:`segment`."""
    return template.format(**{key: segment(value, name=key) for key, value in params.items()})
