"""Activity tasks: scheduled (or refused), started, and how they ended; cancel requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from ._base import Event, TypeRef

__all__ = [
    "EVENTS",
    "ActivityTaskCancelRequested",
    "ActivityTaskCanceled",
    "ActivityTaskCompleted",
    "ActivityTaskFailed",
    "ActivityTaskScheduled",
    "ActivityTaskStarted",
    "ActivityTaskTimedOut",
    "RequestCancelActivityTaskFailed",
    "ScheduleActivityTaskFailed",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityTaskScheduled(Event):
    """A ScheduleActivityTask decision put activity ``activity_id`` on ``task_list``."""

    event_type: ClassVar[str] = "ActivityTaskScheduled"

    activity_type: TypeRef
    activity_id: str
    input: str | None = None
    control: str | None = None
    schedule_to_start_timeout: timedelta | None = None
    schedule_to_close_timeout: timedelta | None = None
    start_to_close_timeout: timedelta | None = None
    task_list: str
    task_priority: int | None = None
    decision_task_completed_event_id: int
    heartbeat_timeout: timedelta | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleActivityTaskFailed(Event):
    """A ScheduleActivityTask decision was refused (``cause``)."""

    event_type: ClassVar[str] = "ScheduleActivityTaskFailed"

    activity_type: TypeRef
    activity_id: str
    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityTaskStarted(Event):
    """A worker (``identity``) took the activity task scheduled at ``scheduled_event_id``."""

    event_type: ClassVar[str] = "ActivityTaskStarted"

    identity: str | None = None
    scheduled_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityTaskCompleted(Event):
    """The activity completed with ``result``."""

    event_type: ClassVar[str] = "ActivityTaskCompleted"

    result: str | None = None
    scheduled_event_id: int
    started_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityTaskFailed(Event):
    """The activity failed with ``reason`` and ``details``."""

    event_type: ClassVar[str] = "ActivityTaskFailed"

    reason: str | None = None
    details: str | None = None
    scheduled_event_id: int
    started_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityTaskTimedOut(Event):
    """The activity ran past one of its timeouts (``timeout_type``); ``details`` are its last heartbeat's."""

    event_type: ClassVar[str] = "ActivityTaskTimedOut"

    timeout_type: str
    scheduled_event_id: int
    started_event_id: int
    details: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityTaskCancelRequested(Event):
    """A RequestCancelActivityTask decision asked activity ``activity_id`` to stop."""

    event_type: ClassVar[str] = "ActivityTaskCancelRequested"

    decision_task_completed_event_id: int
    activity_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestCancelActivityTaskFailed(Event):
    """A RequestCancelActivityTask decision was refused (``cause``)."""

    event_type: ClassVar[str] = "RequestCancelActivityTaskFailed"

    activity_id: str
    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityTaskCanceled(Event):
    """The worker acknowledged a cancel request and the activity ended canceled."""

    event_type: ClassVar[str] = "ActivityTaskCanceled"

    details: str | None = None
    scheduled_event_id: int
    started_event_id: int
    latest_cancel_requested_event_id: int | None = None


#: This module's event classes, in the order of an entity's life.
EVENTS: tuple[type[Event], ...] = (
    ActivityTaskScheduled,
    ScheduleActivityTaskFailed,
    ActivityTaskStarted,
    ActivityTaskCompleted,
    ActivityTaskFailed,
    ActivityTaskTimedOut,
    ActivityTaskCancelRequested,
    RequestCancelActivityTaskFailed,
    ActivityTaskCanceled,
)
