"""Dashboard models (``/api/v1alpha/dashboards``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import attrs

__all__ = ["Dashboard", "DashboardMetadata", "DashboardSpec", "Widget"]


@attrs.frozen(kw_only=True)
class DashboardMetadata:
    name: str | None = None
    id: str | None = None
    title: str | None = None
    create_time: datetime | None = None
    update_time: datetime | None = None


@attrs.frozen(kw_only=True)
class Widget:
    name: str | None = None
    type: str | None = None
    filters: Mapping[str, str] | None = None


@attrs.frozen(kw_only=True)
class DashboardSpec:
    widgets: tuple[Widget, ...] = ()


@attrs.frozen(kw_only=True)
class Dashboard:
    """A dashboard; also what ``dashboards.create``/``update`` take."""

    metadata: DashboardMetadata | None = None
    spec: DashboardSpec | None = None
