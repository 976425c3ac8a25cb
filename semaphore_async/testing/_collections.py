"""The gateway's CRUD collections (dashboards, notifications, secrets), written once.

As grpc-gateway serves them (``public-api-gateway/main.go`` and ``api/*/*.pb.gw.go``):
bodies are JSON whatever the Content-Type, proto names or their lowerCamel forms,
unknown names dropped; create takes the whole resource, PATCH the bare resource; a list
pages with ``page_size``/``page_token``; errors are ``google.rpc.Status`` JSON. What
differs per collection (its fields, how it renders, what it checks) is a :class:`Kind`.
"""

from __future__ import annotations

import abc
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ._state import GatewayRec
from ._wire import Answer, Area, Names, Route, decode_cursor, encode_cursor, rpc_error

__all__ = ["Collection", "Kind", "Records", "snake_keys"]

Records = dict[str, GatewayRec]

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake_keys(value: Any) -> Any:
    """protojson reads ``projectsAccess`` as ``projects_access``: normalise to proto names."""
    if isinstance(value, dict):
        return {_CAMEL.sub(r"_\1", k).lower(): snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value


@dataclass(frozen=True)
class Kind:
    """One collection: where it lives and how its documents look."""

    name: str
    """The list's key and the error messages' noun (``secrets``)."""
    base: str
    fields: Names
    render: Callable[[GatewayRec], dict[str, Any]]
    default_size: int = 100
    max_size: int = 100
    store: Callable[[dict[str, Any]], dict[str, Any] | str] = lambda doc: doc
    """Normalise a written document as the backend stores it, or say why it is refused."""
    by_create_time: bool = True
    """Whether ``order=BY_CREATE_TIME_ASC`` is honoured (project secrets ignore it)."""
    per_project: bool = False


class Collection(Area):
    """The five routes of every kind in ``kinds``."""

    kinds: tuple[Kind, ...] = ()

    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for kind in self.kinds:
            query: Names = {"page_size": None, "page_token": None, "order": None}
            routes += [
                Route("GET", kind.base, self._bind(self.list_, kind), "gateway", query=query),
                Route("POST", kind.base, self._bind(self.create, kind), "gateway", kind.fields),
                Route("GET", kind.base + "/{key}", self._bind(self.get, kind), "gateway"),
                Route(
                    "PATCH",
                    kind.base + "/{key}",
                    self._bind(self.update, kind),
                    "gateway",
                    kind.fields,
                ),
                Route("DELETE", kind.base + "/{key}", self._bind(self.delete, kind), "gateway"),
            ]
        return routes

    def _bind(self, method: Any, kind: Kind) -> Any:
        async def handle(request: web.Request) -> web.Response:
            answer: web.Response = await method(request, kind, self.records(request, kind))
            return answer

        return handle

    @abc.abstractmethod
    def records(self, request: web.Request, kind: Kind) -> Records:
        """The stored documents of ``kind`` this request addresses."""

    @staticmethod
    def _find(records: Records, key: str) -> GatewayRec | None:
        return records.get(key) or next((r for r in records.values() if r.name == key), None)

    def _existing(self, records: Records, request: web.Request, kind: Kind) -> GatewayRec:
        key = request.match_info["key"]
        record = self._find(records, key)
        if record is None:
            raise Answer(rpc_error(5, f"{kind.name[:-1].capitalize()} {key} not found"))
        return record

    def _answer(self, kind: Kind, record: GatewayRec) -> web.Response:
        try:
            return web.json_response(kind.render(record))
        except LookupError:  # a stored document the backend cannot read back
            return rpc_error(2, "Internal Server Error")

    async def list_(self, request: web.Request, kind: Kind, records: Records) -> web.Response:
        try:
            size = int(request.query.get("page_size") or 0) or kind.default_size
        except ValueError:
            return rpc_error(3, "page_size must be an integer")
        if size > kind.max_size:
            return rpc_error(3, f"Page size can't exceed {kind.max_size}")
        order = request.query.get("order", "BY_NAME_ASC")
        if order not in ("BY_NAME_ASC", "BY_CREATE_TIME_ASC", "0", "1"):
            return rpc_error(3, f"invalid value for enum field order: {order!r}")
        by_time = kind.by_create_time and order in ("BY_CREATE_TIME_ASC", "1")
        ordered = sorted(
            records.values(), key=(lambda r: r.create_time) if by_time else (lambda r: r.name)
        )
        token = request.query.get("page_token")
        offset = decode_cursor(token) if token else 0
        if offset is None:
            return rpc_error(3, "invalid page token")
        chunk = ordered[offset : offset + size]
        more = offset + size < len(ordered)
        try:
            items = [kind.render(r) for r in chunk]
        except LookupError:
            return rpc_error(2, "Internal Server Error")
        body: dict[str, Any] = {
            kind.name: items,
            "next_page_token": encode_cursor(offset + size) if more else "",
        }
        if kind.name == "dashboards":
            body["total_size"] = 0  # never set by the server
        return web.json_response(body)

    async def get(self, request: web.Request, kind: Kind, records: Records) -> web.Response:
        return self._answer(kind, self._existing(records, request, kind))

    async def _document(self, request: web.Request, kind: Kind) -> dict[str, Any]:
        try:
            document = json.loads(await request.read() or b"{}")  # whatever the Content-Type
        except ValueError as exc:
            raise Answer(rpc_error(3, f"invalid character in JSON body: {exc}")) from None
        if not isinstance(document, dict):
            raise Answer(rpc_error(3, "the body must be a JSON object"))
        stored = kind.store(snake_keys(document))
        if isinstance(stored, str):
            raise Answer(rpc_error(3, stored))
        return stored

    async def create(self, request: web.Request, kind: Kind, records: Records) -> web.Response:
        document = await self._document(request, kind)
        name = (document.get("metadata") or {}).get("name")
        if not name:
            return rpc_error(3, "metadata.name is required")
        if self._find(records, name) is not None:
            # A duplicate is failed_precondition or invalid_argument: 400, not 409.
            return rpc_error(9, f"{kind.name[:-1]} name {name!r} is already taken")
        record = self.state.gateway_create(records, name, document)
        return self._answer(kind, record)

    async def update(self, request: web.Request, kind: Kind, records: Records) -> web.Response:
        record = self._existing(records, request, kind)
        document = await self._document(request, kind)
        name = (document.get("metadata") or {}).get("name")
        if not name:
            return rpc_error(2, "Internal Server Error")  # an empty resource crashes it
        record.name = name
        record.document = document
        record.update_time = self.state.epoch()
        record.creator_id = self.state.user_id  # the updater, from the caller
        return self._answer(kind, record)

    async def delete(self, request: web.Request, kind: Kind, records: Records) -> web.Response:
        del records[self._existing(records, request, kind).id]
        return web.json_response({})
