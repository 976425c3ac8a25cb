"""Promotion models (``/api/v1alpha/promotions``)."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import PromotionStatus

__all__ = ["Promotion"]


@attrs.frozen(kw_only=True)
class Promotion:
    """A promotion of a pipeline (triggered or scheduled)."""

    name: str | None = None
    status: PromotionStatus | str | None = None
    override: bool | None = None
    triggered_by: str | None = None
    triggered_at: datetime | None = None
    scheduled_at: datetime | None = None
    scheduled_pipeline_id: str | None = None
