"""Promotion models (``/api/v1alpha/promotions``).

Server: ``public-api/v1alpha/lib/pipelines_api/gofer_client/response_fromatter.ex``
(``format_trigger_event/1`` over ``InternalApi.Gofer.TriggerEvent``).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import PromotionStatus

__all__ = ["Promotion"]


@attrs.frozen(kw_only=True)
class Promotion:
    """A promotion of a pipeline (triggered or scheduled)."""

    name: str = ""
    triggered_at: datetime | None = None
    triggered_by: str = ""
    override: bool = False
    status: PromotionStatus | str = ""
    scheduled_at: datetime | None = None
    scheduled_pipeline_id: str = ""
