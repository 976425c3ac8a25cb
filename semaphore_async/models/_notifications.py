"""Notification models (``/api/v1alpha/notifications``).

Server: ``public-api-gateway/api/notifications.v1alpha/notifications.v1alpha.pb.go``
(``Notification`` and its nested messages, marshalled with every field present).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._common import secret, server_set
from ._enums import NotifyState, NotifyStatus

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
    """``creator_id`` is set by the server from the caller, on create and on update."""

    name: str = ""
    id: str = server_set("")
    create_time: datetime | None = server_set(None)
    update_time: datetime | None = server_set(None)
    creator_id: str = server_set("")


@attrs.frozen(kw_only=True)
class NotificationFilter:
    """Which pipelines a rule fires for; ``/.../`` entries are regular expressions."""

    projects: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()
    pipelines: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    states: tuple[NotifyState | str, ...] = ()
    results: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class SlackNotify:
    """The Slack webhook URL is a credential, so it stays out of ``repr``."""

    endpoint: str = secret("")
    channels: tuple[str, ...] = ()
    message: str = ""
    status: NotifyStatus | str = ""


@attrs.frozen(kw_only=True)
class EmailNotify:
    """Where and how a notification rule sends e-mail."""

    subject: str = ""
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    content: str = ""
    status: NotifyStatus | str = ""


@attrs.frozen(kw_only=True)
class WebhookNotify:
    """``secret`` signs the webhook's payloads; it stays out of ``repr``."""

    endpoint: str = ""
    timeout: int = 0
    action: str = ""
    retries: int = 0
    status: NotifyStatus | str = ""
    secret: str = secret("")


@attrs.frozen(kw_only=True)
class Notify:
    """Where a rule notifies. The SDK always sends ``slack`` and ``webhook`` (empty when
    unused): a rule stored without them makes the server fail every later read of the
    notification (inferred from ``notifications/lib/notifications/util/transforms.ex``)."""

    slack: SlackNotify = SlackNotify()
    email: EmailNotify = EmailNotify()
    webhook: WebhookNotify = WebhookNotify()


@attrs.frozen(kw_only=True)
class NotificationRule:
    """One rule of a notification: which events (``filter``) go where (``notify``)."""

    name: str = ""
    filter: NotificationFilter = NotificationFilter()
    notify: Notify = Notify()


@attrs.frozen(kw_only=True)
class NotificationSpec:
    """The rules of a notification."""

    rules: tuple[NotificationRule, ...] = ()


@attrs.frozen(kw_only=True)
class NotificationFailure:
    """A failed delivery (the server never fills these in today)."""

    time: datetime | None = None
    message: str = ""


@attrs.frozen(kw_only=True)
class NotificationStatus:
    """Failed deliveries of a notification."""

    failures: tuple[NotificationFailure, ...] = ()


@attrs.frozen(kw_only=True)
class Notification:
    """A notification; also what ``notifications.create``/``update`` take."""

    metadata: NotificationMetadata = NotificationMetadata()
    spec: NotificationSpec = NotificationSpec()
    status: NotificationStatus = server_set(NotificationStatus())
