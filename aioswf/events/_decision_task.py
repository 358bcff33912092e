"""The decision task cycle: scheduled, started, completed, timed out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from ._base import Event

__all__ = [
    "EVENTS",
    "DecisionTaskCompleted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskTimedOut",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionTaskScheduled(Event):
    """A decision task was put on ``task_list``."""

    event_type: ClassVar[str] = "DecisionTaskScheduled"

    task_list: str
    task_priority: int | None = None
    start_to_close_timeout: timedelta | None = None
    schedule_to_start_timeout: timedelta | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionTaskStarted(Event):
    """A decider (``identity``) took the decision task scheduled at ``scheduled_event_id``."""

    event_type: ClassVar[str] = "DecisionTaskStarted"

    identity: str | None = None
    scheduled_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionTaskCompleted(Event):
    """The decider answered; the decisions' events follow, each naming this event's id."""

    event_type: ClassVar[str] = "DecisionTaskCompleted"

    execution_context: str | None = None
    scheduled_event_id: int
    started_event_id: int
    task_list: str | None = None
    task_list_schedule_to_start_timeout: timedelta | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionTaskTimedOut(Event):
    """The decider did not answer in time; SWF schedules a new decision task."""

    event_type: ClassVar[str] = "DecisionTaskTimedOut"

    timeout_type: str
    scheduled_event_id: int
    started_event_id: int


#: This module's event classes, in the order of an entity's life.
EVENTS: tuple[type[Event], ...] = (
    DecisionTaskScheduled,
    DecisionTaskStarted,
    DecisionTaskCompleted,
    DecisionTaskTimedOut,
)
