"""Deployment target models (``/api/v1alpha/deployment_targets``).

Server: ``public-api/v1alpha/lib/pipelines_api/deployments_client/response_formatter.ex``
over ``InternalApi.Gofer.DeploymentTargets`` (``lib/internal_api/gofer.dt.pb.ex``), and
``deployments/secrets.ex`` for the env vars and files of ``include_secrets``.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import EnvVar, File
from ._enums import DeploymentState, MatchMode, ObjectRuleType, SubjectRuleType, TargetState

__all__ = ["CordonStatus", "Deployment", "DeploymentTarget", "ObjectRule", "SubjectRule"]


@attrs.frozen(kw_only=True)
class SubjectRule:
    """Who may promote: ``type`` ANY, USER, ROLE, GROUP or AUTO, with ``subject_id`` a
    user, role or group id. A USER rule may be given by ``git_login`` instead; answers
    carry ``git_login`` on USER rules when the server can resolve it (else ``None``)."""

    type: SubjectRuleType | str = ""
    subject_id: str = ""
    git_login: str | None = None


@attrs.frozen(kw_only=True)
class ObjectRule:
    """Which references may be promoted: ``type`` BRANCH, TAG or PR; ``match_mode`` ALL,
    EXACT or REGEX; ``pattern``. The server needs all three keys in every rule, PR
    rules included, so the SDK always sends them."""

    type: ObjectRuleType | str = ""
    match_mode: MatchMode | str = ""
    pattern: str = ""


@attrs.frozen(kw_only=True)
class Deployment:
    """One deployment in a target's history (``can_requester_rerun`` is always False
    through this API: the server never names the requester)."""

    id: str = ""
    target_id: str = ""
    prev_pipeline_id: str = ""
    pipeline_id: str = ""
    triggered_by: str = ""
    triggered_at: datetime | None = None
    state: DeploymentState | str = ""
    state_message: str = ""
    switch_id: str = ""
    target_name: str = ""
    env_vars: tuple[EnvVar, ...] = ()
    can_requester_rerun: bool = False


@attrs.frozen(kw_only=True)
class DeploymentTarget:
    """A deployment target. ``active`` is False once deactivated (cordoned).

    ``env_vars`` and ``files`` are ``None`` unless the target was described with
    ``include_secrets=True``; their values are then MD5 digests of the secrets, never
    the secrets themselves (sending a digest back in an update keeps the stored value).
    ``last_deployment`` is set only in lists (``None`` in a describe)."""

    id: str = ""
    name: str = ""
    description: str = ""
    url: str = ""
    organization_id: str = ""
    project_id: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    updated_by: str = ""
    updated_at: datetime | None = None
    state: TargetState | str = ""
    state_message: str = ""
    subject_rules: tuple[SubjectRule, ...] = ()
    object_rules: tuple[ObjectRule, ...] = ()
    last_deployment: Deployment | None = None
    active: bool = False
    bookmark_parameter1: str = ""
    bookmark_parameter2: str = ""
    bookmark_parameter3: str = ""
    env_vars: tuple[EnvVar, ...] | None = attrs.field(default=None, repr=False)
    files: tuple[File, ...] | None = attrs.field(default=None, repr=False)


@attrs.frozen(kw_only=True)
class CordonStatus:
    """What ``activate``/``deactivate`` answer: ``cordoned`` is True once deactivated."""

    target_id: str = ""
    cordoned: bool = False
