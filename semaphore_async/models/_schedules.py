"""Scheduler (periodic task) models (``/api/v1alpha/schedules``, ``/api/v1alpha/tasks``).

Server: ``public-api/v1alpha/lib/pipelines_api/periodic_scheduler_client/response_formatter.ex``
over ``InternalApi.PeriodicScheduler.Periodic`` and ``Trigger``
(``lib/internal_api/periodic_scheduler.pb.ex``).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._enums import SchedulingStatus

__all__ = ["ParameterValue", "Schedule", "ScheduleDescription", "ScheduleTrigger", "TaskParameter"]


@attrs.frozen(kw_only=True)
class TaskParameter:
    """A parameter a scheduler (task) takes when it runs."""

    name: str = ""
    required: bool = False
    description: str = ""
    default_value: str = ""
    options: tuple[str, ...] = ()
    regex_pattern: str = ""
    validate_input_format: bool = False


@attrs.frozen(kw_only=True)
class ParameterValue:
    """The value a trigger gave one parameter."""

    name: str = ""
    value: str = ""


@attrs.frozen(kw_only=True)
class Schedule:
    """A scheduler. ``reference`` is the full git reference (``refs/heads/main``,
    ``refs/tags/v1``); ``branch`` is set only for ``refs/heads/`` references. Unset
    timestamps (``""`` on the wire) are ``None``."""

    id: str = ""
    name: str = ""
    project_id: str = ""
    reference: str = ""
    at: str = ""
    pipeline_file: str = ""
    requester_id: str = ""
    updated_at: datetime | None = None
    suspended: bool = False
    paused: bool = False
    pause_toggled_by: str = ""
    pause_toggled_at: datetime | None = None
    inserted_at: datetime | None = None
    recurring: bool = False
    parameters: tuple[TaskParameter, ...] = ()
    description: str = ""
    organization_id: str = ""
    branch: str | None = None


@attrs.frozen(kw_only=True)
class ScheduleTrigger:
    """One of the last triggers of a scheduler."""

    triggered_at: datetime | None = None
    project_id: str = ""
    reference: str = ""
    pipeline_file: str = ""
    scheduling_status: SchedulingStatus | str = ""
    scheduled_workflow_id: str = ""
    scheduled_at: datetime | None = None
    error_description: str = ""
    run_now_requester_id: str = ""
    periodic_id: str = ""
    parameter_values: tuple[ParameterValue, ...] = ()
    branch: str | None = None


@attrs.frozen(kw_only=True)
class ScheduleDescription:
    """What ``schedules.get`` returns: the scheduler and its last triggers."""

    schedule: Schedule = Schedule()
    triggers: tuple[ScheduleTrigger, ...] = ()
