"""Dashboard models (``/api/v1alpha/dashboards``).

Server: ``public-api-gateway/api/dashboards.v1alpha/dashboards.v1alpha.pb.go``
(``Dashboard``, ``Dashboard_Metadata``, ``Dashboard_Spec``, ``Dashboard_Spec_Widget``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import attrs

from ._common import server_set

__all__ = ["Dashboard", "DashboardMetadata", "DashboardSpec", "Widget"]


@attrs.frozen(kw_only=True)
class DashboardMetadata:
    """A dashboard's name and title; ``id`` and the times are set by the server."""

    name: str = ""
    id: str = server_set("")
    title: str = ""
    create_time: datetime | None = server_set(None)
    update_time: datetime | None = server_set(None)


@attrs.frozen(kw_only=True)
class Widget:
    """A widget: ``type`` is ``list_pipelines``, ``list_workflows``,
    ``duration_pipelines`` or ``ratio_pipelines``; ``filters`` maps filter names
    (``project_id``, ``branch``, ``pipeline_file``, ...) to values."""

    name: str = ""
    type: str = ""
    filters: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class DashboardSpec:
    """The widgets of a dashboard, in order."""

    widgets: tuple[Widget, ...] = ()


@attrs.frozen(kw_only=True)
class Dashboard:
    """A dashboard; also what ``dashboards.create``/``update`` take."""

    metadata: DashboardMetadata = DashboardMetadata()
    spec: DashboardSpec = DashboardSpec()
