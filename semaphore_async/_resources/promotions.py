"""Promotions: ``/api/v1alpha/promotions``.

Server: ``public-api/v1alpha/lib/pipelines_api/promotions/{list,trigger}.ex`` and
``gofer_client/request_formatter.ex``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._args import flag, idempotency_token, identifier, optional_text, query, string_map, text
from .._errors import InvalidArgumentError
from .._pagination import LINK, AsyncPaginator
from .._query import PageRequest
from .._retry import Safety
from ..models import Promotion
from ._base import AsyncResource, check_page_size

__all__ = ["AsyncPromotions"]

_BASE = "/api/v1alpha/promotions"
# Every other name the server reads as a promotion parameter (trigger.ex).
_RESERVED = frozenset({"pipeline_id", "name", "override", "request_token", "switch_id", "user_id"})


class AsyncPromotions(AsyncResource):
    """List and trigger promotions of a pipeline."""

    def list(
        self, pipeline_id: str, *, name: str | None = None, page_size: int | None = None
    ) -> AsyncPaginator[Promotion]:
        """Every promotion of a pipeline (of the target ``name`` only, if given), newest
        first, across all pages (``link`` header, 10 a page by default; ``page_size`` 1
        to 99). ``GET /api/v1alpha/promotions?pipeline_id=...``
        """
        params = query(
            pipeline_id=identifier("pipeline_id", pipeline_id),
            name=optional_text("name", name),
            page_size=check_page_size(page_size, low=1, high=99),
        )
        return AsyncPaginator(self._core, PageRequest(_BASE, params), LINK, Promotion)

    async def trigger(
        self,
        pipeline_id: str,
        name: str,
        *,
        override: bool = False,
        parameters: Mapping[str, str] | None = None,
        request_token: str | None = None,
    ) -> None:
        """Trigger the promotion ``name`` of a pipeline. ``POST /api/v1alpha/promotions``.

        ``override=True`` promotes a failed or running pipeline. ``parameters`` of a
        parameterized promotion are sent as top-level fields, as the server reads them;
        their values must be strings. ``request_token`` (a fresh uuid4 if not given) is
        sent with every retry of the call, and the server records a token once, so the
        call is retried safely and promotes at most once.
        """
        body: dict[str, object] = {
            "pipeline_id": identifier("pipeline_id", pipeline_id),
            "name": text("name", name),
            "override": flag("override", override),
            "request_token": idempotency_token("request_token", request_token),
        }
        for key, value in string_map("parameters", parameters or {}).items():
            if key in _RESERVED:
                raise InvalidArgumentError(
                    f"promotion parameter {key!r} clashes with a request field the server "
                    f"reads itself ({', '.join(sorted(_RESERVED))})"
                )
            body[key] = value
        # gofer answers a repeated request_token as already recorded (trigger_impl.ex).
        await self._core.request("POST", _BASE, body=body, safety=Safety.IDEMPOTENT)
