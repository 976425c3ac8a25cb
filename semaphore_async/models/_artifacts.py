"""Artifact models (``/api/v1/artifacts``, ``/api/v1alpha/artifacts_retention_policies``)."""

from __future__ import annotations

import attrs

__all__ = ["RetentionPolicy", "RetentionRule", "SignedURL"]


@attrs.frozen(kw_only=True)
class SignedURL:
    """A pre-signed storage URL and the HTTP method to use with it (wire names kept)."""

    URL: str | None = attrs.field(default=None, repr=False)
    method: str | None = None


@attrs.frozen(kw_only=True)
class RetentionRule:
    """Artifacts whose path matches ``selector`` (a ``**`` glob) are deleted after ``age``
    (``"2 weeks"``, ``"3 months"``, ``"1 year"``; the server normalises ``"14 days"``)."""

    selector: str | None = None
    age: str | None = None


@attrs.frozen(kw_only=True)
class RetentionPolicy:
    """A project's artifact retention rules, per artifact level, first match wins."""

    project_id: str | None = None
    project_level_retention_policies: tuple[RetentionRule, ...] = ()
    workflow_level_retention_policies: tuple[RetentionRule, ...] = ()
    job_level_retention_policies: tuple[RetentionRule, ...] = ()
