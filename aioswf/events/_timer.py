"""Timers and markers: the decider's own bookkeeping in the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from ._base import Event

__all__ = [
    "EVENTS",
    "CancelTimerFailed",
    "MarkerRecorded",
    "RecordMarkerFailed",
    "StartTimerFailed",
    "TimerCanceled",
    "TimerFired",
    "TimerStarted",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerStarted(Event):
    """A StartTimer decision started timer ``timer_id``, to fire after ``start_to_fire_timeout``."""

    event_type: ClassVar[str] = "TimerStarted"

    timer_id: str
    control: str | None = None
    start_to_fire_timeout: timedelta
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StartTimerFailed(Event):
    """A StartTimer decision was refused (``cause``)."""

    event_type: ClassVar[str] = "StartTimerFailed"

    timer_id: str
    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerFired(Event):
    """Timer ``timer_id`` fired."""

    event_type: ClassVar[str] = "TimerFired"

    timer_id: str
    started_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerCanceled(Event):
    """A CancelTimer decision canceled timer ``timer_id`` before it fired.

    moto names this type ``TimerCancelled`` (and botocore then drops its attributes, so the
    ``timer_id`` of such an event reads ``""`` and its ids ``0``); it is parsed as this class.
    """

    event_type: ClassVar[str] = "TimerCanceled"

    timer_id: str
    started_event_id: int
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelTimerFailed(Event):
    """A CancelTimer decision was refused (``cause``)."""

    event_type: ClassVar[str] = "CancelTimerFailed"

    timer_id: str
    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkerRecorded(Event):
    """A RecordMarker decision recorded ``details`` under ``marker_name``."""

    event_type: ClassVar[str] = "MarkerRecorded"

    marker_name: str
    details: str | None = None
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordMarkerFailed(Event):
    """A RecordMarker decision was refused (``cause``)."""

    event_type: ClassVar[str] = "RecordMarkerFailed"

    marker_name: str
    cause: str
    decision_task_completed_event_id: int


#: This module's event classes, in the order of an entity's life.
EVENTS: tuple[type[Event], ...] = (
    TimerStarted,
    StartTimerFailed,
    TimerFired,
    TimerCanceled,
    CancelTimerFailed,
    MarkerRecorded,
    RecordMarkerFailed,
)
