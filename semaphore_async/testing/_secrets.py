"""Gateway: organization secrets (``/api/v1beta/secrets``) and project secrets
(``/api/v1/projects/:project/secrets``), as ``secrets.v1beta.pb.go`` and
``project_secrets.v1.pb.go`` marshal them, over secrethub.

``org_config`` is read as ``projects_access`` (the docs' ``project_access`` is an unknown
name, dropped); an unknown enum *name* becomes the enum's zero value, as protojson's
DiscardUnknown makes it; ``ALLOWED`` with no project reads back as ``NONE``. With
``secrets_access_policy`` off (``Emulator(secrets_access_policy=False)``) ``org_config``
is ignored on write and null on read, as for an organization without the feature.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ._collections import Collection, Kind, Records
from ._state import GatewayRec
from ._wire import Answer, Names

__all__ = ["SecretRoutes"]

_DATA: Names = {
    "env_vars": ({"name": None, "value": None},),
    "files": ({"path": None, "content": None},),
}
_TIMES = {"create_time": None, "update_time": None, "checkout_at": None, "content_included": None}
_SECRET: Names = {
    "metadata": {"name": None, "id": None, **_TIMES},
    "data": _DATA,
    "org_config": {
        "projects_access": None,
        "project_ids": None,
        "debug_access": None,
        "attach_access": None,
    },
}
_PROJECT_SECRET: Names = {
    "metadata": {"name": None, "id": None, "project_id_or_name": None, **_TIMES},
    "data": _DATA,
}
_ENUMS = {
    "projects_access": ("ALL", "ALLOWED", "NONE"),
    "debug_access": ("JOB_DEBUG_YES", None, "JOB_DEBUG_NO"),
    "attach_access": ("JOB_ATTACH_YES", None, "JOB_ATTACH_NO"),
}


def _enum(name: str, value: Any) -> str:
    values = _ENUMS[name]
    if isinstance(value, int) and 0 <= value < len(values) and values[value]:
        return str(values[value])
    if value in values and value is not None:
        return str(value)
    return str(values[0])  # unknown names are dropped: the zero value


def _org_config(config: dict[str, Any]) -> dict[str, Any]:
    """The policy as secrethub stores it: NONE keeps no projects, ALLOWED with none
    reads back as NONE."""
    access = _enum("projects_access", config.get("projects_access"))
    ids = [str(i) for i in config.get("project_ids") or []] if access == "ALLOWED" else []
    return {
        "projects_access": "NONE" if access == "ALLOWED" and not ids else access,
        "project_ids": ids,
        "debug_access": _enum("debug_access", config.get("debug_access")),
        "attach_access": _enum("attach_access", config.get("attach_access")),
    }


def _data(document: dict[str, Any]) -> dict[str, Any]:
    data = document.get("data") or {}
    return {
        "env_vars": [
            {"name": str(e.get("name", "")), "value": str(e.get("value", ""))}
            for e in data.get("env_vars") or []
        ],
        "files": [
            {"path": str(f.get("path", "")), "content": str(f.get("content", ""))}
            for f in data.get("files") or []
        ],
    }


class SecretRoutes(Collection):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.kinds = (
            Kind("secrets", "/api/v1beta/secrets", _SECRET, self.render_secret, store=self.store),
            Kind(
                "secrets",
                "/api/v1/projects/{project}/secrets",
                _PROJECT_SECRET,
                self.render_project_secret,
                by_create_time=False,
                per_project=True,
            ),
        )

    def records(self, request: web.Request, kind: Kind) -> Records:
        if not kind.per_project:
            return self.state.secrets
        key = request.match_info["project"]
        project = self.state.projects.get(key) or self.state.project_named(key)
        if project is None:
            raise Answer(web.json_response({"secrets": [], "next_page_token": ""}))
        return self.state.project_secrets.setdefault(project.id, {})

    def store(self, document: dict[str, Any]) -> dict[str, Any]:
        config = document.get("org_config")
        if not self.control.secrets_access_policy or not isinstance(config, dict):
            document.pop("org_config", None)
        else:
            document["org_config"] = _org_config(config)
        return document

    def _metadata(self, record: GatewayRec) -> dict[str, Any]:
        return {
            "name": record.name,
            "id": record.id,
            "create_time": str(record.create_time),
            "update_time": str(record.update_time),
            "checkout_at": "0",
            "content_included": True,
        }

    def render_secret(self, record: GatewayRec) -> dict[str, Any]:
        config = _org_config(record.document.get("org_config") or {})
        return {
            "metadata": self._metadata(record),
            "data": _data(record.document),
            "org_config": config if self.control.secrets_access_policy else None,
        }

    def render_project_secret(self, record: GatewayRec) -> dict[str, Any]:
        project_id = next(
            (p for p, secrets in self.state.project_secrets.items() if record.id in secrets), ""
        )
        metadata = self._metadata(record)
        return {
            "metadata": {**metadata, "project_id_or_name": project_id},
            "data": _data(record.document),
        }
