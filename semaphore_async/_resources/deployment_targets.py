"""Deployment targets: ``/api/v1alpha/deployment_targets``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._args import flag, idempotency_token, identifier, optional_text, optional_texts, query, text
from .._errors import InvalidArgumentError, NotFoundError
from .._pagination import AsyncPaginator, Scheme, next_from_cursor_before, no_next_page
from .._paths import path
from .._query import PageRequest
from .._retry import Safety
from ..models import (
    CordonStatus,
    Deployment,
    DeploymentTarget,
    EnvVar,
    File,
    ObjectRule,
    SubjectRule,
)
from ._base import AsyncResource

__all__ = ["AsyncDeploymentTargets"]

_BASE = "/api/v1alpha/deployment_targets"
_SECRETS = query(include_secrets=True)
_BOOKMARKS = ("bookmark_parameter1", "bookmark_parameter2", "bookmark_parameter3")
_LISTS: dict[str, type] = {
    "subject_rules": SubjectRule,
    "object_rules": ObjectRule,
    "env_vars": EnvVar,
    "files": File,
}
_LIST = Scheme(no_next_page)
_HISTORY = Scheme(next_from_cursor_before, items_key="deployments")

Rules = Iterable[SubjectRule | Mapping[str, Any]]
ObjectRules = Iterable[ObjectRule | Mapping[str, Any]]
EnvVars = Iterable[EnvVar | Mapping[str, Any]]
Files = Iterable[File | Mapping[str, Any]]


class AsyncDeploymentTargets(AsyncResource):
    """Create, describe, list, update, (de)activate and delete deployment targets, and
    read their deployment history.

    Create, update and delete carry a ``unique_token`` (a fresh uuid4 unless given),
    reused on every retry, so the server acts once however often the call is retried.
    A file's ``content`` given as ``bytes`` is base64-encoded for you; a ``str`` is sent as
    it is (already base64).
    """

    def list(self, project_id: str) -> AsyncPaginator[DeploymentTarget]:
        """Every target of a project (the server returns them all at once), each with its
        ``last_deployment``. ``GET /api/v1alpha/deployment_targets?project_id=...``"""
        params = query(project_id=identifier("project_id", project_id))
        return AsyncPaginator(self._core, PageRequest(_BASE, params), _LIST, DeploymentTarget)

    async def get(self, target_id: str, *, include_secrets: bool = False) -> DeploymentTarget:
        """Describe a target. ``GET /api/v1alpha/deployment_targets/:id``.

        With ``include_secrets=True`` the answer also has ``env_vars`` and ``files``,
        whose values are MD5 digests of the secrets (the server never returns the
        secrets themselves); an update that sends a digest back keeps that value.
        """
        return await self._core.request_model(
            "GET",
            path(_BASE + "/{target_id}", target_id=target_id),
            DeploymentTarget,
            params=_SECRETS if flag("include_secrets", include_secrets) else (),
            sensitive=include_secrets,
        )

    async def get_by_name(self, project_id: str, name: str) -> DeploymentTarget:
        """The target called ``name`` in a project; ``NotFoundError`` if there is none.
        ``GET /api/v1alpha/deployment_targets?project_id=...&target_name=...``"""
        params = query(
            project_id=identifier("project_id", project_id), target_name=text("name", name)
        )
        found = await self._core.request_model("GET", _BASE, list[DeploymentTarget], params=params)
        if not found:
            raise NotFoundError(
                f"no deployment target named {name!r} in project {project_id}",
                status=404,
                method="GET",
                url=self._core.url(_BASE),
            )
        return found[0]

    async def create(
        self,
        project_id: str,
        name: str,
        *,
        description: str | None = None,
        url: str | None = None,
        bookmark_parameter1: str | None = None,
        bookmark_parameter2: str | None = None,
        bookmark_parameter3: str | None = None,
        subject_rules: Rules | None = None,
        object_rules: ObjectRules | None = None,
        env_vars: EnvVars | None = None,
        files: Files | None = None,
        unique_token: str | None = None,
    ) -> DeploymentTarget:
        """Create a target. ``POST /api/v1alpha/deployment_targets?project_id=...``.

        ``subject_rules`` and ``object_rules`` take :class:`~semaphore_async.models.SubjectRule`
        and :class:`~semaphore_async.models.ObjectRule` or mappings of their fields;
        ``env_vars`` and ``files`` the same with ``EnvVar`` and ``File``.
        """
        project = identifier("project_id", project_id)
        body = self._target_body(
            name=text("name", name),
            description=description,
            url=url,
            bookmark_parameter1=bookmark_parameter1,
            bookmark_parameter2=bookmark_parameter2,
            bookmark_parameter3=bookmark_parameter3,
            subject_rules=subject_rules,
            object_rules=object_rules,
            env_vars=env_vars,
            files=files,
        )
        body["project_id"] = project
        body["unique_token"] = idempotency_token("unique_token", unique_token)
        return await self._core.request_model(
            "POST",
            _BASE,
            DeploymentTarget,
            params=query(project_id=project),
            body=body,
            safety=Safety.IDEMPOTENT,  # the unique_token makes the server act once
        )

    async def update(
        self,
        target_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        url: str | None = None,
        bookmark_parameter1: str | None = None,
        bookmark_parameter2: str | None = None,
        bookmark_parameter3: str | None = None,
        subject_rules: Rules | None = None,
        object_rules: ObjectRules | None = None,
        env_vars: EnvVars | None = None,
        files: Files | None = None,
        unique_token: str | None = None,
    ) -> DeploymentTarget:
        """Change a target; only the keywords given are sent (``[]`` clears a list), and
        the server keeps the rest. ``PATCH /api/v1alpha/deployment_targets/:id``.

        The server stores ``env_vars`` and ``files`` as one secret and replaces it whole
        when either is sent, so given only one of the two, the SDK first reads the other
        (``get(include_secrets=True)``) and sends its digests back, which keeps it.
        """
        target_id = identifier("target_id", target_id)
        if (env_vars is None) != (files is None):
            current = await self.get(target_id, include_secrets=True)
            if env_vars is None:
                env_vars = current.env_vars or ()
            else:
                files = current.files or ()
        body = self._target_body(
            name=optional_text("name", name),
            description=description,
            url=url,
            bookmark_parameter1=bookmark_parameter1,
            bookmark_parameter2=bookmark_parameter2,
            bookmark_parameter3=bookmark_parameter3,
            subject_rules=subject_rules,
            object_rules=object_rules,
            env_vars=env_vars,
            files=files,
        )
        body["unique_token"] = idempotency_token("unique_token", unique_token)
        return await self._core.request_model(
            "PATCH",
            path(_BASE + "/{target_id}", target_id=target_id),
            DeploymentTarget,
            body=body,
            safety=Safety.IDEMPOTENT,  # the unique_token makes the server act once
        )

    async def delete(self, target_id: str, *, unique_token: str | None = None) -> None:
        """Delete a target. ``DELETE /api/v1alpha/deployment_targets/:id?unique_token=...``."""
        token = idempotency_token("unique_token", unique_token)
        await self._core.request(
            "DELETE",
            path(_BASE + "/{target_id}", target_id=target_id),
            params=query(unique_token=token),
        )

    async def activate(self, target_id: str) -> CordonStatus:
        """(Re)activate a target. ``PATCH .../deployment_targets/:id/activate``."""
        return await self._core.request_model(
            "PATCH",
            path(_BASE + "/{target_id}/activate", target_id=target_id),
            CordonStatus,
            safety=Safety.IDEMPOTENT,  # activating twice does no harm
        )

    async def deactivate(self, target_id: str) -> CordonStatus:
        """Deactivate (cordon) a target. ``PATCH .../deployment_targets/:id/deactivate``."""
        return await self._core.request_model(
            "PATCH",
            path(_BASE + "/{target_id}/deactivate", target_id=target_id),
            CordonStatus,
            safety=Safety.IDEMPOTENT,  # deactivating twice does no harm
        )

    def history(
        self,
        target_id: str,
        *,
        git_ref_type: str | None = None,
        git_ref_label: str | None = None,
        triggered_by: str | None = None,
        parameter1: str | None = None,
        parameter2: str | None = None,
        parameter3: str | None = None,
    ) -> AsyncPaginator[Deployment]:
        """The target's deployments, newest first, walking back 10 at a time
        (``cursor_before``). ``git_ref_type`` is ``branch``, ``tag`` or ``pr``;
        ``parameter1..3`` filter on the bookmark parameters.
        ``GET /api/v1alpha/deployment_targets/:id/history``"""
        params = query(
            git_ref_type=_git_ref_type(git_ref_type),
            **optional_texts(
                git_ref_label=git_ref_label,
                triggered_by=triggered_by,
                parameter1=parameter1,
                parameter2=parameter2,
                parameter3=parameter3,
            ),
        )
        request = PageRequest(path(_BASE + "/{target_id}/history", target_id=target_id), params)
        return AsyncPaginator(self._core, request, _HISTORY, Deployment)

    def _target_body(self, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for key in ("name", "description", "url", *_BOOKMARKS):
            value = fields[key]
            if value is not None:
                if not isinstance(value, str):
                    raise InvalidArgumentError(f"{key} must be a str, got {type(value).__name__}")
                body[key] = text(key, value) if key == "name" else value
        for key, model in _LISTS.items():
            items = self._body_list(fields[key], model, name=key)
            if items is not None:
                body[key] = items
        return body


def _git_ref_type(value: str | None) -> str | None:
    # Matched exactly against the stored, lower-case kinds (deployments/history.ex).
    if value is None:
        return None
    kind = text("git_ref_type", value).lower()
    if kind not in ("branch", "tag", "pr"):
        raise InvalidArgumentError(f"git_ref_type must be branch, tag or pr, got {value!r}")
    return kind
