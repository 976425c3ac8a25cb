"""Deployment target models (``/api/v1alpha/deployment_targets``)."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import EnvVar, File
from ._enums import DeploymentState, MatchMode, ObjectRuleType, SubjectRuleType, TargetState

__all__ = ["CordonStatus", "Deployment", "DeploymentTarget", "ObjectRule", "SubjectRule"]


@attrs.frozen(kw_only=True)
class SubjectRule:
    """Who may promote: ``type`` ANY, USER, ROLE or AUTO; ``subject_id`` a role name or a
    user id; or ``git_login`` for a USER rule."""

    type: SubjectRuleType | str | None = None
    subject_id: str | None = None
    git_login: str | None = None


@attrs.frozen(kw_only=True)
class ObjectRule:
    """Which references may be promoted: ``type`` BRANCH, TAG or PR; ``match_mode`` ALL,
    EXACT or REGEX; ``pattern``."""

    type: ObjectRuleType | str | None = None
    match_mode: MatchMode | str | None = None
    pattern: str | None = None


@attrs.frozen(kw_only=True)
class Deployment:
    """One deployment in a target's history."""

    id: str | None = None
    target_id: str | None = None
    target_name: str | None = None
    pipeline_id: str | None = None
    prev_pipeline_id: str | None = None
    switch_id: str | None = None
    triggered_by: str | None = None
    triggered_at: datetime | None = None
    state: DeploymentState | str | None = None
    state_message: str | None = None
    env_vars: tuple[EnvVar, ...] = ()


@attrs.frozen(kw_only=True)
class DeploymentTarget:
    """A deployment target. ``active`` is False once deactivated (cordoned)."""

    id: str | None = None
    name: str | None = None
    project_id: str | None = None
    organization_id: str | None = None
    description: str | None = None
    url: str | None = None
    state: TargetState | str | None = None
    state_message: str | None = None
    active: bool | None = None
    subject_rules: tuple[SubjectRule, ...] = ()
    object_rules: tuple[ObjectRule, ...] = ()
    env_vars: tuple[EnvVar, ...] = attrs.field(default=(), repr=False)
    files: tuple[File, ...] = attrs.field(default=(), repr=False)
    bookmark_parameter1: str | None = None
    bookmark_parameter2: str | None = None
    bookmark_parameter3: str | None = None
    last_deployment: Deployment | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None


@attrs.frozen(kw_only=True)
class CordonStatus:
    """What ``activate``/``deactivate`` answer: ``cordoned`` is True once deactivated."""

    target_id: str | None = None
    cordoned: bool | None = None
