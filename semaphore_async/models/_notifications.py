"""Notification models (``/api/v1alpha/notifications``)."""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import NotifyStatus

__all__ = [
    "EmailNotify",
    "Notification",
    "NotificationFailure",
    "NotificationFilter",
    "NotificationMetadata",
    "NotificationRule",
    "NotificationSpec",
    "NotificationStatus",
    "Notify",
    "SlackNotify",
    "WebhookNotify",
]


@attrs.frozen(kw_only=True)
class NotificationMetadata:
    name: str | None = None
    id: str | None = None
    create_time: datetime | None = None
    update_time: datetime | None = None


@attrs.frozen(kw_only=True)
class NotificationFilter:
    projects: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()
    pipelines: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    results: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class SlackNotify:
    endpoint: str | None = attrs.field(default=None, repr=False)
    channels: tuple[str, ...] = ()
    message: str | None = None
    status: NotifyStatus | str | None = None


@attrs.frozen(kw_only=True)
class EmailNotify:
    subject: str | None = None
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    content: str | None = None
    status: NotifyStatus | str | None = None


@attrs.frozen(kw_only=True)
class WebhookNotify:
    endpoint: str | None = None
    timeout: int | None = None
    action: str | None = None
    retries: int | None = None
    status: NotifyStatus | str | None = None
    secret: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(kw_only=True)
class Notify:
    slack: SlackNotify | None = None
    email: EmailNotify | None = None
    webhook: WebhookNotify | None = None


@attrs.frozen(kw_only=True)
class NotificationRule:
    name: str | None = None
    filter: NotificationFilter | None = None
    notify: Notify | None = None


@attrs.frozen(kw_only=True)
class NotificationSpec:
    rules: tuple[NotificationRule, ...] = ()


@attrs.frozen(kw_only=True)
class NotificationFailure:
    """A failed delivery; ``time`` arrives as an epoch-seconds string."""

    time: datetime | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class NotificationStatus:
    failures: tuple[NotificationFailure, ...] = ()


@attrs.frozen(kw_only=True)
class Notification:
    """A notification; also what ``notifications.create``/``update`` take."""

    metadata: NotificationMetadata | None = None
    spec: NotificationSpec | None = None
    status: NotificationStatus | None = None
