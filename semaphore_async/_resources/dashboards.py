"""Dashboards (``/api/v1alpha/dashboards``) and notifications (``/api/v1alpha/notifications``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._args import query
from .._pagination import AsyncPaginator
from ..models import Dashboard, Notification
from ._base import check_page_size
from ._gateway import GatewayCollection

__all__ = ["AsyncDashboards", "AsyncNotifications"]

_DASHBOARDS = "/api/v1alpha/dashboards"
_NOTIFICATIONS = "/api/v1alpha/notifications"


class AsyncDashboards(GatewayCollection[Dashboard]):
    """Create, describe, list, update and delete dashboards."""

    model = Dashboard
    items_key = "dashboards"

    def list(self, *, page_size: int | None = None) -> AsyncPaginator[Dashboard]:
        """Every dashboard, across all pages (``next_page_token``; ``page_size`` 1 to 100).
        ``GET /api/v1alpha/dashboards``"""
        return self._list(_DASHBOARDS, query(page_size=check_page_size(page_size, low=1, high=100)))

    async def get(self, id_or_name: str) -> Dashboard:
        """Describe a dashboard. ``GET /api/v1alpha/dashboards/:id_or_name``."""
        return await self._get(_DASHBOARDS, id_or_name)

    async def create(self, dashboard: Dashboard | Mapping[str, Any]) -> Dashboard:
        """Create a dashboard from a model or a mapping. ``POST /api/v1alpha/dashboards``."""
        return await self._create(_DASHBOARDS, dashboard, "dashboard")

    async def update(self, id_or_name: str, dashboard: Dashboard | Mapping[str, Any]) -> Dashboard:
        """Replace a dashboard. ``PATCH /api/v1alpha/dashboards/:id_or_name``."""
        return await self._update(_DASHBOARDS, id_or_name, dashboard, "dashboard")

    async def delete(self, id_or_name: str) -> None:
        """Delete a dashboard. ``DELETE /api/v1alpha/dashboards/:id_or_name``."""
        await self._delete(_DASHBOARDS, id_or_name)


class AsyncNotifications(GatewayCollection[Notification]):
    """Create, describe, list, update and delete notifications."""

    model = Notification
    items_key = "notifications"

    def list(self, *, page_size: int | None = None) -> AsyncPaginator[Notification]:
        """Every notification, across all pages (``next_page_token``; ``page_size`` 1 to
        300). ``GET /api/v1alpha/notifications``"""
        return self._list(
            _NOTIFICATIONS, query(page_size=check_page_size(page_size, low=1, high=300))
        )

    async def get(self, id_or_name: str) -> Notification:
        """Describe a notification. ``GET /api/v1alpha/notifications/:id_or_name``."""
        return await self._get(_NOTIFICATIONS, id_or_name)

    async def create(self, notification: Notification | Mapping[str, Any]) -> Notification:
        """Create a notification. ``POST /api/v1alpha/notifications``."""
        return await self._create(_NOTIFICATIONS, notification, "notification")

    async def update(
        self, id_or_name: str, notification: Notification | Mapping[str, Any]
    ) -> Notification:
        """Replace a notification. ``PATCH /api/v1alpha/notifications/:id_or_name``."""
        return await self._update(_NOTIFICATIONS, id_or_name, notification, "notification")

    async def delete(self, id_or_name: str) -> None:
        """Delete a notification. ``DELETE /api/v1alpha/notifications/:id_or_name``."""
        await self._delete(_NOTIFICATIONS, id_or_name)
