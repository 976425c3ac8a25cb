"""Scheduler (periodic task) models (``/api/v1alpha/schedules``)."""

from __future__ import annotations

from datetime import datetime

import attrs

__all__ = ["Schedule", "ScheduleDescription", "ScheduleTrigger"]


@attrs.frozen(kw_only=True)
class Schedule:
    """A scheduler. ``branch`` is absent for tag references."""

    id: str | None = None
    name: str | None = None
    project_id: str | None = None
    branch: str | None = None
    at: str | None = None
    pipeline_file: str | None = None
    requester_id: str | None = None
    paused: bool | None = None
    suspended: bool | None = None
    pause_toggled_by: str | None = None
    pause_toggled_at: datetime | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None


@attrs.frozen(kw_only=True)
class ScheduleTrigger:
    """One of the last triggers of a scheduler."""

    periodic_id: str | None = None
    project_id: str | None = None
    branch: str | None = None
    pipeline_file: str | None = None
    scheduling_status: str | None = None
    scheduled_workflow_id: str | None = None
    run_now_requester_id: str | None = None
    error_description: str | None = None
    triggered_at: datetime | None = None
    scheduled_at: datetime | None = None


@attrs.frozen(kw_only=True)
class ScheduleDescription:
    """What ``schedules.get`` returns: the scheduler and its last triggers."""

    schedule: Schedule | None = None
    triggers: tuple[ScheduleTrigger, ...] = ()
