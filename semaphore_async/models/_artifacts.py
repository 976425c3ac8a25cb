"""Artifact models (``/api/v1/artifacts``, ``/api/v1alpha/artifacts_retention_policies``).

Servers: ``public-api-gateway/api/artifacts.v1/artifacts.v1.pb.go`` (``SignedURL``) and
``public-api/v1alpha/lib/pipelines_api/artifacthub_client.ex``
(``InternalApi.Artifacthub.RetentionPolicy``).
"""

from __future__ import annotations

import attrs

from ._common import secret
from ._enums import ArtifactMethod

__all__ = ["RetentionPolicy", "RetentionRule", "SignedURL"]


@attrs.frozen(kw_only=True)
class SignedURL:
    """A pre-signed storage URL and the HTTP method to use with it (wire names kept).
    The URL is a credential, so it stays out of ``repr``."""

    URL: str = secret("")
    method: ArtifactMethod | str = ""


@attrs.frozen(kw_only=True)
class RetentionRule:
    """Artifacts whose path matches ``selector`` (a ``**`` glob) are deleted after ``age``
    (1 to 12 of ``day(s)``, ``week(s)``, ``month(s)`` or ``year(s)``; the server answers
    it normalised: ``"30 days"`` comes back as ``"1 month"``)."""

    selector: str = ""
    age: str = ""


@attrs.frozen(kw_only=True)
class RetentionPolicy:
    """A project's artifact retention rules, per artifact level, first match wins."""

    project_level_retention_policies: tuple[RetentionRule, ...] = ()
    workflow_level_retention_policies: tuple[RetentionRule, ...] = ()
    job_level_retention_policies: tuple[RetentionRule, ...] = ()
