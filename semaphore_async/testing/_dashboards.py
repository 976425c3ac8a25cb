"""Gateway: dashboards (``/api/v1alpha/dashboards``) and notifications
(``/api/v1alpha/notifications``), as ``dashboards.v1alpha.pb.go`` and
``notifications.v1alpha.pb.go`` marshal them: every field present.

A notification rule stored without ``slack`` or ``webhook`` makes the server fail every
later read of it with 500 (``notifications/lib/notifications/util/transforms.ex``
``decode_spec/2``, read from the source, not observed); the emulator does the same.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ._collections import Collection, Kind, Records
from ._state import GatewayRec
from ._wire import ANY, Names

__all__ = ["DashboardRoutes"]

_DASHBOARD: Names = {
    "metadata": {"name": None, "id": None, "title": None, "create_time": None, "update_time": None},
    "spec": {"widgets": ({"name": None, "type": None, "filters": ANY},)},
}
_NOTIFY: Names = {
    "slack": {"endpoint": None, "channels": None, "message": None, "status": None},
    "email": {"subject": None, "cc": None, "bcc": None, "content": None, "status": None},
    "webhook": {
        "endpoint": None,
        "timeout": None,
        "action": None,
        "retries": None,
        "status": None,
        "secret": None,
    },
}
_FILTER = ("projects", "branches", "pipelines", "blocks", "states", "results", "tags")
_NOTIFICATION: Names = {
    "metadata": {
        "name": None,
        "id": None,
        "create_time": None,
        "update_time": None,
        "creator_id": None,
    },
    "spec": {"rules": ({"name": None, "filter": dict.fromkeys(_FILTER), "notify": _NOTIFY},)},
    "status": {"failures": ({"time": None, "message": None},)},
}
_WIDGET_TYPES = ("list_pipelines", "list_workflows", "duration_pipelines", "ratio_pipelines")


def render_dashboard(record: GatewayRec) -> dict[str, Any]:
    document = record.document
    metadata = document.get("metadata") or {}
    spec = document.get("spec") or {}
    return {
        "metadata": {
            "name": record.name,
            "id": record.id,
            "title": metadata.get("title") or record.name.replace("-", " ").title(),
            "create_time": str(record.create_time),
            "update_time": str(record.update_time),
        },
        "spec": {
            "widgets": [
                {
                    "name": str(w.get("name", "")),
                    "type": str(w.get("type", "")),
                    "filters": dict(w.get("filters") or {}),
                }
                for w in spec.get("widgets") or []
            ]
        },
    }


def store_dashboard(document: dict[str, Any]) -> dict[str, Any] | str:
    for widget in (document.get("spec") or {}).get("widgets") or []:
        if widget.get("type") not in _WIDGET_TYPES:
            return f"widget type should be one of: {', '.join(_WIDGET_TYPES)}"
    return document


def _channel(rule_notify: dict[str, Any], name: str) -> dict[str, Any]:
    channel = rule_notify.get(name)
    if channel is None and name != "email":
        # deep_new! of a nil nested message fails; only email has a fallback.
        raise LookupError(name)
    channel = channel or {}
    status = channel.get("status") or "ACTIVE"
    keys: dict[str, Any]
    if name == "slack":
        keys = {"endpoint": "", "channels": [], "message": ""}
    elif name == "email":
        keys = {"subject": "", "cc": [], "bcc": [], "content": ""}
    else:
        keys = {"endpoint": "", "timeout": 0, "action": "", "retries": 0, "secret": ""}
    rendered = {key: channel.get(key, default) for key, default in keys.items()}
    rendered["status"] = "INACTIVE" if status in ("INACTIVE", 1) else "ACTIVE"
    return rendered


def render_notification(record: GatewayRec) -> dict[str, Any]:
    spec = record.document.get("spec") or {}
    rules = []
    for rule in spec.get("rules") or []:
        notify = rule.get("notify") or {}
        flt = rule.get("filter") or {}
        rules.append(
            {
                "name": str(rule.get("name", "")),
                "filter": {key: list(flt.get(key) or []) for key in _FILTER},
                "notify": {name: _channel(notify, name) for name in ("slack", "email", "webhook")},
            }
        )
    return {
        "metadata": {
            "name": record.name,
            "id": record.id,
            "create_time": str(record.create_time),
            "update_time": str(record.update_time),
            "creator_id": record.creator_id,
        },
        "spec": {"rules": rules},
        "status": {"failures": []},  # never filled in by the server
    }


def store_notification(document: dict[str, Any]) -> dict[str, Any] | str:
    for rule in (document.get("spec") or {}).get("rules") or []:
        if not isinstance(rule.get("notify"), dict):
            return "A notification rule must have a notify field."
    return document


class DashboardRoutes(Collection):
    kinds = (
        Kind(
            "dashboards",
            "/api/v1alpha/dashboards",
            _DASHBOARD,
            render_dashboard,
            store=store_dashboard,
        ),
        Kind(
            "notifications",
            "/api/v1alpha/notifications",
            _NOTIFICATION,
            render_notification,
            max_size=300,
            store=store_notification,
            by_create_time=False,
        ),
    )

    def records(self, request: web.Request, kind: Kind) -> Records:
        return self.state.dashboards if kind.name == "dashboards" else self.state.notifications
