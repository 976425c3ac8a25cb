"""The CRUD shape shared by the gateway's resources (dashboards, notifications, secrets):
token-paged lists, get/create/update/delete by id or name, PATCH of the bare resource."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from .._pagination import AsyncPaginator, Scheme, next_from_page_token
from .._paths import path
from .._query import PageRequest, Query
from .._retry import Safety
from ._base import AsyncResource

__all__ = ["GatewayCollection"]

T = TypeVar("T")


class GatewayCollection(AsyncResource, Generic[T]):
    """One gateway collection at ``base`` whose list key is ``items_key``."""

    model: type[T]
    items_key: str
    sensitive = False
    """True for collections whose answers carry secret values: errors show no body."""

    def _list(self, base: str, params: Query) -> AsyncPaginator[T]:
        scheme = Scheme(next_from_page_token, items_key=self.items_key, sensitive=self.sensitive)
        return AsyncPaginator(self._core, PageRequest(base, params), scheme, self.model)

    async def _get(self, base: str, id_or_name: str) -> T:
        return await self._core.request_model(
            "GET",
            path(base + "/{id_or_name}", id_or_name=id_or_name),
            self.model,
            sensitive=self.sensitive,
        )

    async def _create(self, base: str, resource: Any, name: str) -> T:
        # Nothing on the gateway is idempotent: a create is sent once.
        return await self._core.request_model(
            "POST",
            base,
            self.model,
            body=self._wire(resource, name),
            safety=Safety.NOT_IDEMPOTENT,
            sensitive=self.sensitive,
        )

    async def _update(self, base: str, id_or_name: str, resource: Any, name: str) -> T:
        # The gateway takes the bare resource as the PATCH body, not a wrapper.
        return await self._core.request_model(
            "PATCH",
            path(base + "/{id_or_name}", id_or_name=id_or_name),
            self.model,
            body=self._wire(resource, name),
            sensitive=self.sensitive,
            # The whole resource is replaced: sending the same document twice leaves the
            # same state.
            safety=Safety.IDEMPOTENT,
        )

    def _wire(self, resource: Any, name: str) -> dict[str, Any]:
        """The body for ``resource`` (hook for collections that adjust it)."""
        return self._body(resource, self.model, name=name)

    async def _delete(self, base: str, id_or_name: str) -> None:
        await self._core.request("DELETE", path(base + "/{id_or_name}", id_or_name=id_or_name))
