"""Secrets: organization (``/api/v1beta/secrets``) and project
(``/api/v1/projects/:project/secrets``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._args import query
from .._errors import InvalidArgumentError
from .._pagination import AsyncPaginator
from .._paths import path
from ..models import ProjectSecret, Secret, SecretOrder
from ._base import check_page_size
from ._gateway import GatewayCollection

__all__ = ["AsyncProjectSecrets", "AsyncSecrets"]

_ORG = "/api/v1beta/secrets"


def _order(order: SecretOrder | str | None) -> str | None:
    if order is None:
        return None
    value = SecretOrder.from_wire(order)
    if not isinstance(value, SecretOrder):
        raise InvalidArgumentError(
            f"order must be BY_NAME_ASC or BY_CREATE_TIME_ASC, got {order!r}"
        )
    return value.value


def _project_base(project_id_or_name: str) -> str:
    return path("/api/v1/projects/{project}/secrets", project=project_id_or_name)


def _same_project(body: dict[str, Any], project_id_or_name: str) -> None:
    named = body.get("metadata", {}).get("project_id_or_name")
    if named and named != project_id_or_name:
        raise InvalidArgumentError(
            f"secret.metadata.project_id_or_name is {named!r} but the call is for project "
            f"{project_id_or_name!r}; the server uses the project in the path"
        )


class AsyncSecrets(GatewayCollection[Secret]):
    """Organization secrets (v1beta). A file's ``content`` given as ``bytes`` is
    base64-encoded for you. Values are never logged, shown in a ``repr`` or put in an
    error message.

    ``org_config`` says which projects may use a secret; the server reads its policy as
    ``projects_access`` (the docs' ``project_access`` is translated) and replaces an
    unknown value with ``ALL``, so the SDK refuses unknown values. The server applies
    ``org_config`` only in organizations with secret access policies.
    """

    model = Secret
    items_key = "secrets"
    sensitive = True

    def list(
        self, *, page_size: int | None = None, order: SecretOrder | str | None = None
    ) -> AsyncPaginator[Secret]:
        """Every organization secret, across all pages (``page_size`` 1 to 100, ``order``
        BY_NAME_ASC or BY_CREATE_TIME_ASC). ``GET /api/v1beta/secrets``"""
        params = query(page_size=check_page_size(page_size, low=1, high=100), order=_order(order))
        return self._list(_ORG, params)

    async def get(self, id_or_name: str) -> Secret:
        """Describe a secret. ``GET /api/v1beta/secrets/:id_or_name``."""
        return await self._get(_ORG, id_or_name)

    async def create(self, secret: Secret | Mapping[str, Any]) -> Secret:
        """Create a secret. ``POST /api/v1beta/secrets``."""
        return await self._create(_ORG, secret, "secret")

    async def update(self, id_or_name: str, secret: Secret | Mapping[str, Any]) -> Secret:
        """Replace a secret. ``PATCH /api/v1beta/secrets/:id_or_name``."""
        return await self._update(_ORG, id_or_name, secret, "secret")

    async def delete(self, id_or_name: str) -> None:
        """Delete a secret. ``DELETE /api/v1beta/secrets/:id_or_name``."""
        await self._delete(_ORG, id_or_name)


class AsyncProjectSecrets(GatewayCollection[ProjectSecret]):
    """Project secrets (v1); every method takes the project's id or name first. The
    server lists them by name whatever ``order`` says."""

    model = ProjectSecret
    items_key = "secrets"
    sensitive = True

    def list(
        self,
        project_id_or_name: str,
        *,
        page_size: int | None = None,
        order: SecretOrder | str | None = None,
    ) -> AsyncPaginator[ProjectSecret]:
        """Every secret of a project, across all pages.
        ``GET /api/v1/projects/:project/secrets``"""
        params = query(page_size=check_page_size(page_size, low=1, high=100), order=_order(order))
        return self._list(_project_base(project_id_or_name), params)

    async def get(self, project_id_or_name: str, id_or_name: str) -> ProjectSecret:
        """Describe a project secret. ``GET /api/v1/projects/:project/secrets/:secret``."""
        return await self._get(_project_base(project_id_or_name), id_or_name)

    async def create(
        self, project_id_or_name: str, secret: ProjectSecret | Mapping[str, Any]
    ) -> ProjectSecret:
        """Create a project secret. ``POST /api/v1/projects/:project/secrets``.

        The server takes the project from the path; a ``metadata.project_id_or_name``
        naming another project is refused rather than silently overridden.
        """
        base = _project_base(project_id_or_name)
        body = self._body(secret, ProjectSecret, name="secret")
        _same_project(body, project_id_or_name)
        return await self._core.request_model(
            "POST", base, ProjectSecret, body=body, sensitive=True
        )

    async def update(
        self,
        project_id_or_name: str,
        id_or_name: str,
        secret: ProjectSecret | Mapping[str, Any],
    ) -> ProjectSecret:
        """Replace a project secret. ``PATCH /api/v1/projects/:project/secrets/:secret``."""
        return await self._update(_project_base(project_id_or_name), id_or_name, secret, "secret")

    async def delete(self, project_id_or_name: str, id_or_name: str) -> None:
        """Delete a project secret. ``DELETE /api/v1/projects/:project/secrets/:secret``."""
        await self._delete(_project_base(project_id_or_name), id_or_name)
