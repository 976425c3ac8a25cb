"""Artifacts: signed URLs (``/api/v1/artifacts``) and retention policies
(``/api/v1alpha/artifacts_retention_policies``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any

from .._args import identifier, text
from .._core import API_TOKEN
from .._errors import InvalidArgumentError
from .._paths import path
from .._retry import Safety
from ..models import ArtifactAction, RetentionPolicy, RetentionRule, SignedURL
from ._base import AsyncResource

__all__ = ["AsyncArtifacts", "AsyncRetentionPolicies"]

RetentionRules = Iterable[RetentionRule | Mapping[str, Any]]


class AsyncArtifacts(AsyncResource):
    """Signed storage URLs for artifact paths."""

    async def signed_urls(
        self,
        paths: Iterable[str],
        type: ArtifactAction | str,  # shadows the builtin: the wire name, as API.md fixes it
        *,
        artifact_token: str | None = None,
    ) -> builtins.list[SignedURL]:
        """Signed URLs for ``paths`` (``artifacts/{projects|workflows|jobs}/<id>/...``)
        for ``type`` PUSH, PUSHFORCE, PULL or YANK. ``POST /api/v1/artifacts``.

        The artifact store authorises by the job's artifact token: pass it as
        ``artifact_token`` and it is sent as the raw ``Authorization`` value the store
        expects, instead of the API token. The URLs are returned, never fetched: the API
        token is never sent to storage.
        """
        action = ArtifactAction.from_wire(type)
        if not isinstance(action, ArtifactAction):
            raise InvalidArgumentError(
                f"type must be one of PUSH, PUSHFORCE, PULL, YANK; got {type!r}"
            )
        if isinstance(paths, (str, bytes)):
            raise InvalidArgumentError("paths must be a list of strings, not one string")
        wanted = [text("path", p) for p in paths]
        if not wanted:
            raise InvalidArgumentError("paths must not be empty")
        core = self._core
        response = await core.request(
            "POST",
            "/api/v1/artifacts",
            body={"paths": wanted, "type": action.value},
            authorization=artifact_token if artifact_token is not None else API_TOKEN,
            safety=Safety.IDEMPOTENT,  # only signs URLs; nothing changes until they are used
        )
        # Signed URLs are credentials: no body excerpt in any error.
        body = core.decode(response, "POST", sensitive=True)
        if not isinstance(body, dict):
            raise core.decode_error(
                response, "POST", "expected an object with 'URLs'", sensitive=True
            )
        return core.structure(
            body.get("URLs") or [],
            builtins.list[SignedURL],
            response=response,
            method="POST",
            sensitive=True,
        )


class AsyncRetentionPolicies(AsyncResource):
    """A project's artifact retention policy."""

    async def get(self, project_id: str) -> RetentionPolicy:
        """The project's rules (empty lists when none are configured).
        ``GET /api/v1alpha/artifacts_retention_policies/:project_id``."""
        return await self._core.request_model(
            "GET",
            path("/api/v1alpha/artifacts_retention_policies/{project_id}", project_id=project_id),
            RetentionPolicy,
        )

    async def configure(
        self,
        project_id: str,
        *,
        project_level: RetentionRules | None = None,
        workflow_level: RetentionRules | None = None,
        job_level: RetentionRules | None = None,
    ) -> RetentionPolicy:
        """Set the project's rules per artifact level; each rule is a
        :class:`~semaphore_async.models.RetentionRule` or ``{"selector", "age"}``. Levels
        not given are sent as empty lists (no rules). At least one level must have rules.
        ``POST /api/v1alpha/artifacts_retention_policies``."""
        levels = {
            "project_level_retention_policies": self._body_list(
                project_level, RetentionRule, name="project_level"
            ),
            "workflow_level_retention_policies": self._body_list(
                workflow_level, RetentionRule, name="workflow_level"
            ),
            "job_level_retention_policies": self._body_list(
                job_level, RetentionRule, name="job_level"
            ),
        }
        if not any(levels.values()):
            raise InvalidArgumentError(
                "give at least one rule in project_level, workflow_level or job_level"
            )
        body: dict[str, Any] = {"project_id": identifier("project_id", project_id)}
        body.update({key: rules or [] for key, rules in levels.items()})
        return await self._core.request_model(
            "POST",
            "/api/v1alpha/artifacts_retention_policies",
            RetentionPolicy,
            body=body,
            safety=Safety.IDEMPOTENT,  # sets the whole policy: the same state twice
        )
