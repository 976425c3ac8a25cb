"""Promotions: ``/api/v1alpha/promotions``."""

from __future__ import annotations

from collections.abc import Mapping

from .._args import text
from .._core import query
from .._pagination import LINK, AsyncPaginator, PageRequest
from .._retry import Safety
from ..models import Promotion
from ._base import AsyncResource

__all__ = ["AsyncPromotions"]

_BASE = "/api/v1alpha/promotions"
_RESERVED = frozenset({"pipeline_id", "name", "override", "request_token"})


class AsyncPromotions(AsyncResource):
    """List and trigger promotions of a pipeline."""

    def list(self, pipeline_id: str) -> AsyncPaginator[Promotion]:
        """Every promotion of a pipeline, across all pages (``link`` header, 10 a page).

        ``GET /api/v1alpha/promotions?pipeline_id=...``
        """
        params = query(pipeline_id=text("pipeline_id", pipeline_id))
        return AsyncPaginator(self._core, PageRequest(_BASE, params), LINK, Promotion)

    async def trigger(
        self,
        pipeline_id: str,
        name: str,
        *,
        override: bool = False,
        parameters: Mapping[str, str] | None = None,
    ) -> None:
        """Trigger the promotion ``name`` of a pipeline. ``POST /api/v1alpha/promotions``.

        ``override=True`` promotes a failed or running pipeline. ``parameters`` of a
        parameterized promotion are sent as top-level fields, as the server expects; their
        values must be strings. Like every creating call, this is sent once: retried only
        if the connection was refused before anything was sent.
        """
        if not isinstance(override, bool):
            raise TypeError(f"override must be a bool, got {type(override).__name__}")
        body: dict[str, object] = {
            "pipeline_id": text("pipeline_id", pipeline_id),
            "name": text("name", name),
            "override": override,
        }
        for key, value in (parameters or {}).items():
            if key in _RESERVED:
                raise ValueError(f"promotion parameter {key!r} clashes with a request field")
            if not isinstance(value, str):
                raise TypeError(
                    f"promotion parameter {key!r} must be a string, got {type(value).__name__}"
                )
            body[text("parameter name", key)] = value
        await self._core.request("POST", _BASE, body=body, safety=Safety.NOT_IDEMPOTENT)
