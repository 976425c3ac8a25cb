"""How the real server reads requests and writes answers: bodies without Content-Type,
the three error shapes, timestamp formats, Scrivener's ``link`` pagination headers, and
the names each route reads (for the emulator's strict mode)."""

from __future__ import annotations

import abc
import base64
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, Union
from urllib.parse import urlencode

from aiohttp import web

if TYPE_CHECKING:
    from ._server import EmulatorControl
    from ._state import EmulatorState

__all__ = [
    "ANY",
    "NO_CONTENT_TYPE",
    "Answer",
    "Area",
    "Names",
    "Route",
    "bare",
    "decode_cursor",
    "encode_cursor",
    "is_uuid",
    "json_body",
    "json_string",
    "link_page",
    "params_of",
    "plain",
    "plain_not_found",
    "rpc_error",
    "ts_epoch",
    "ts_iso",
    "ts_object",
    "ts_text",
    "unknown_names",
]

# A private marker header, removed with Content-Type just before the headers are sent.
NO_CONTENT_TYPE = "X-Emulator-No-Content-Type"
_EPOCH_TEXT = "1970-01-01 00:00:00.000000Z"
T = TypeVar("T")
# PipelinesAPI.Util.VerifyData's @uuid_regex (public-api/v1alpha/lib/pipelines_api/util/
# validate.ex): the hyphenated form only, where Python's uuid.UUID also takes braces,
# "urn:uuid:" and 32 bare hex digits.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


class Answer(Exception):
    """Raised by a handler's helper that already has the whole answer (a 404, a bad body).

    The server's middleware answers with ``response``; handlers need no check after each
    helper they call.
    """

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def plain_not_found(key: str) -> web.Response:
    """Plumber's answer for an unknown id in the path (a plain-text 404)."""
    return plain(404, "Not Found")


def is_uuid(value: object) -> bool:
    """Whether the server takes ``value`` as a UUID."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def bare(status: int, body: bytes) -> web.Response:
    """A response without Content-Type, as most plumber-public answers are."""
    response = web.Response(status=status, body=body)
    response.headers[NO_CONTENT_TYPE] = "1"
    return response


def plain(status: int, text: str) -> web.Response:
    return bare(status, text.encode())


def json_body(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    response = bare(status, json.dumps(data).encode())
    if headers:
        response.headers.update(headers)
    return response


def json_string(status: int, text: str) -> web.Response:
    """plumber-public's handler errors: a bare JSON string literal."""
    return bare(status, json.dumps(text).encode())


_GRPC_HTTP = {3: 400, 5: 404, 6: 409, 7: 403, 9: 400, 16: 401, 13: 500}


def rpc_error(code: int, message: str) -> web.Response:
    """The gateway's google.rpc.Status error, with application/json."""
    return web.json_response(
        {"code": code, "message": message, "details": []}, status=_GRPC_HTTP.get(code, 500)
    )


def ts_object(value: datetime | None) -> dict[str, int]:
    if value is None:
        return {"seconds": 0, "nanos": 0}
    return {"seconds": int(value.timestamp()), "nanos": value.microsecond * 1000}


def ts_text(value: datetime | None, *, unset: str = _EPOCH_TEXT) -> str:
    if value is None:
        return unset
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%fZ")


def ts_iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ts_epoch(value: datetime | int | None) -> str:
    """The gateway's int64 epoch seconds, sent as a JSON string (``"0"`` when unset)."""
    if value is None:
        return "0"
    return str(value if isinstance(value, int) else int(value.timestamp()))


ANY = "*"
"""In a :data:`Names` table: a map whose keys are the caller's own (parameters)."""

Names = dict[str, Union["Names", tuple["Names"], str, None]]
"""The names a route reads: ``None`` for a value, a nested table for an object, a
one-element tuple for a list of objects, :data:`ANY` for a free-form map."""


def unknown_names(value: Any, names: Names | str, prefix: str = "") -> list[str]:
    """The names in ``value`` (a decoded body, or a query as a dict) that ``names`` does
    not list, as dotted paths (``org_config.project_access``)."""
    if names == ANY or not isinstance(value, dict) or isinstance(names, str):
        return []
    unknown: list[str] = []
    for key, item in value.items():
        if key not in names:
            unknown.append(f"{prefix}{key}")
            continue
        sub = names[key]
        if isinstance(sub, tuple):
            for element in item if isinstance(item, list) else []:
                unknown.extend(unknown_names(element, sub[0], f"{prefix}{key}[]."))
        elif sub is not None:
            unknown.extend(unknown_names(item, sub, f"{prefix}{key}."))
    return sorted(set(unknown))


def encode_cursor(offset: int) -> str:
    """An opaque keyset-looking token (the emulator's is an offset in disguise)."""
    return base64.urlsafe_b64encode(f"g3Q:{offset}".encode()).decode().rstrip("=")


def decode_cursor(token: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        prefix, _, number = raw.partition(":")
        return int(number) if prefix == "g3Q" else None
    except (ValueError, UnicodeDecodeError):
        return None


async def params_of(request: web.Request) -> dict[str, Any]:
    """Path, body and query merged, as plumber-public does. A body is read only with a
    Content-Type the server parses (JSON or form); any other body is silently ignored."""
    merged: dict[str, Any] = dict(request.query)
    ctype = request.content_type
    if request.body_exists and ctype == "application/json":
        try:
            data = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="Malformed request: invalid JSON") from None
        if isinstance(data, dict):
            merged.update(data)
    elif request.body_exists and ctype == "application/x-www-form-urlencoded":
        merged.update(await request.post())
    merged.update(request.match_info)
    return merged


def page_number(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def link_page(
    request: web.Request,
    items: list[Any],
    resource_path: str,
    control: EmulatorControl,
    *,
    default_size: int = 30,
) -> tuple[list[Any], dict[str, str]]:
    """Cut one page and build Scrivener's headers: ``link`` with next, prev, first, last
    (absolute URLs, keys sorted, ``page`` replaced), ``total``, ``per-page``,
    ``total-pages`` and ``page-number``."""
    size = page_number(request.query.get("page_size"), default_size)
    total_pages = max(1, -(-len(items) // size))
    page = page_number(request.query.get("page"), 1)
    chunk = items[(page - 1) * size : page * size]
    origin = control.link_base or f"http://{request.host}"

    def url(number: int) -> str:
        query = dict(request.query)
        query["page"] = str(number)
        return f"{origin}{resource_path}?{urlencode(sorted(query.items()))}"

    links = []
    if 1 <= page < total_pages:
        links.append(f'<{url(page + 1)}>; rel="next"')
    if 1 < page <= total_pages:
        links.append(f'<{url(page - 1)}>; rel="prev"')
    links.append(f'<{url(1)}>; rel="first"')
    links.append(f'<{url(total_pages)}>; rel="last"')
    headers = {
        "link": ", ".join(links),
        "total": str(len(items)),
        "per-page": str(size),
        "total-pages": str(total_pages),
        "page-number": str(page),
    }
    return chunk, headers


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    """One route of the emulated server and the names it reads.

    ``service`` decides the error shape (``plumber``, ``gateway``, ``projecthub``,
    ``loghub``). ``reads`` lists the body names (and, for plumber-public, which merges
    path, body and query, the query names too); ``query`` the query names of the
    others. ``None`` means the route reads nothing there. In strict mode a request with
    any other name is answered 400, naming them.
    """

    method: str
    path: str
    handler: Handler
    service: str
    reads: Names | str | None = None
    query: Names | None = None


class Area(abc.ABC):
    """The routes of one API area, over the shared state."""

    def __init__(self, state: EmulatorState, control: EmulatorControl) -> None:
        self.state = state
        self.control = control

    @abc.abstractmethod
    def routes(self) -> list[Route]:
        """Every route of the area, with the names each reads."""

    @staticmethod
    def find(
        records: Mapping[str, T],
        request: web.Request,
        segment: str,
        missing: Callable[[str], web.Response] = plain_not_found,
    ) -> T:
        """The record that the path's ``segment`` names, else ``missing(key)``, raised as
        :class:`Answer`."""
        key = request.match_info[segment]
        found = records.get(key)
        if found is None:
            raise Answer(missing(key))
        return found

    def newest_page(
        self, request: web.Request, items: list[T], base: str, render: Callable[[T], Any]
    ) -> web.Response:
        """A plumber list answer: newest first, cut to the page asked for, with
        Scrivener's headers (:func:`link_page`)."""
        items.sort(key=attrgetter("created_at"), reverse=True)
        chunk, headers = link_page(request, items, base, self.control)
        return json_body([render(item) for item in chunk], headers=headers)
