"""What :meth:`aioswf.history.History.compile` gives: the state of an execution, entity by entity.

Every container is a frozen dataclass; mappings are read-only and keep the order in which their
keys first appeared in the history. Statuses are spelled as SWF spells its events ("canceled").
Where an id was used more than once (an activity scheduled again after it failed), the entry
describes the latest attempt, and ``times_scheduled`` (``times_started``, ``times_initiated``)
counts the attempts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType
from typing import Any, Literal

from .events import Event, ExecutionRef, TypeRef, UnknownEvent

__all__ = [
    "OPEN",
    "ActivityState",
    "ActivityStatus",
    "ChildWorkflowState",
    "ChildWorkflowStatus",
    "DecisionTaskState",
    "ExecutionState",
    "ExecutionStatus",
    "ExternalCancelRequestState",
    "ExternalSignalState",
    "ExternalStatus",
    "LambdaFunctionState",
    "LambdaFunctionStatus",
    "Marker",
    "Signal",
    "TimerState",
    "TimerStatus",
    "WorkflowState",
]

ActivityStatus = Literal[
    "scheduled",
    "started",
    "cancel_requested",
    "completed",
    "failed",
    "timed_out",
    "canceled",
    "schedule_failed",
]
TimerStatus = Literal["started", "fired", "canceled", "start_failed", "cancel_failed"]
ChildWorkflowStatus = Literal[
    "initiated", "started", "completed", "failed", "timed_out", "canceled", "terminated", "start_failed"
]
ExternalStatus = Literal["initiated", "delivered", "failed"]
LambdaFunctionStatus = Literal[
    "scheduled", "started", "completed", "failed", "timed_out", "schedule_failed", "start_failed"
]
ExecutionStatus = Literal[
    "open", "completed", "failed", "canceled", "terminated", "timed_out", "continued_as_new"
]

#: The statuses of an activity, child workflow or Lambda function that has not ended.
OPEN = frozenset({"scheduled", "started", "cancel_requested", "initiated"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityState:
    """An activity id: its latest scheduling and how it went.

    ``cause`` is why SWF refused to schedule it (status ``schedule_failed``); a refused schedule of
    an id that is still open leaves the open activity as it is. ``cancel_failed_cause`` is why a
    RequestCancelActivityTask decision for it was refused. ``times_scheduled`` counts its
    ``ActivityTaskScheduled`` events (refused schedules are not counted).
    """

    activity_id: str
    status: ActivityStatus
    activity_type: TypeRef
    input: str | None = None
    control: str | None = None
    result: str | None = None
    reason: str | None = None
    details: str | None = None
    timeout_type: str | None = None
    cause: str | None = None
    cancel_requested: bool = False
    cancel_failed_cause: str | None = None
    identity: str | None = None
    times_scheduled: int = 0
    scheduled_event_id: int | None = None
    started_event_id: int | None = None

    @property
    def open(self) -> bool:
        """Scheduled, started or asked to cancel, and not yet ended."""
        return self.status in OPEN


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerState:
    """A timer id: its latest start and how it went.

    ``cause`` is why SWF refused to start it; ``cancel_failed_cause`` why a CancelTimer decision for
    it was refused (the status is ``cancel_failed`` only for an id that was never started).
    """

    timer_id: str
    status: TimerStatus
    control: str | None = None
    start_to_fire_timeout: timedelta | None = None
    cause: str | None = None
    cancel_failed_cause: str | None = None
    times_started: int = 0
    started_event_id: int | None = None

    @property
    def open(self) -> bool:
        return self.status == "started"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWorkflowState:
    """A child workflow id: its latest start and how it went (``run_id`` once it started)."""

    workflow_id: str
    status: ChildWorkflowStatus
    workflow_type: TypeRef
    run_id: str | None = None
    input: str | None = None
    control: str | None = None
    result: str | None = None
    reason: str | None = None
    details: str | None = None
    timeout_type: str | None = None
    cause: str | None = None
    times_initiated: int = 0
    initiated_event_id: int | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True, slots=True, kw_only=True)
class Signal:
    """A signal this execution received, with who sent it when another execution did."""

    name: str
    input: str | None
    event_id: int
    external_execution: ExecutionRef | None = None
    external_initiated_event_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Marker:
    """A marker this execution's decider recorded."""

    name: str
    details: str | None
    event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalSignalState:
    """A signal this execution sent to ``workflow_id``: initiated, then delivered or failed."""

    workflow_id: str
    run_id: str | None
    signal_name: str
    status: ExternalStatus
    input: str | None = None
    control: str | None = None
    cause: str | None = None
    initiated_event_id: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalCancelRequestState:
    """A cancel request this execution sent to ``workflow_id``: initiated, then delivered or failed."""

    workflow_id: str
    run_id: str | None
    status: ExternalStatus
    control: str | None = None
    cause: str | None = None
    initiated_event_id: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunctionState:
    """A Lambda function id: its latest scheduling and how it went (``message`` from a failed start)."""

    function_id: str
    name: str
    status: LambdaFunctionStatus
    input: str | None = None
    control: str | None = None
    start_to_close_timeout: timedelta | None = None
    result: str | None = None
    reason: str | None = None
    details: str | None = None
    timeout_type: str | None = None
    cause: str | None = None
    message: str | None = None
    times_scheduled: int = 0
    scheduled_event_id: int | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecutionState:
    """The execution itself: how it started, whether a cancel was asked for, how it closed.

    ``cause`` is a termination's cause; ``new_execution_run_id`` the run it continued as.
    """

    status: ExecutionStatus = "open"
    workflow_type: TypeRef | None = None
    input: str | None = None
    tag_list: tuple[str, ...] = ()
    task_list: str | None = None
    child_policy: str | None = None
    execution_start_to_close_timeout: timedelta | None = None
    task_start_to_close_timeout: timedelta | None = None
    task_priority: int | None = None
    lambda_role: str | None = None
    parent: ExecutionRef | None = None
    parent_initiated_event_id: int | None = None
    continued_execution_run_id: str | None = None
    cancel_requested: bool = False
    cancel_requested_cause: str | None = None
    cancel_requested_by: ExecutionRef | None = None
    result: str | None = None
    reason: str | None = None
    details: str | None = None
    timeout_type: str | None = None
    cause: str | None = None
    new_execution_run_id: str | None = None

    @property
    def closed(self) -> bool:
        return self.status != "open"


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionTaskState:
    """The decision task cycle: how many tasks went each way, and the latest execution context."""

    scheduled: int = 0
    started: int = 0
    completed: int = 0
    timed_out: int = 0
    execution_context: str | None = None
    latest_scheduled_event_id: int | None = None
    latest_started_event_id: int | None = None
    latest_completed_event_id: int | None = None


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowState:
    """The state of an execution as its history tells it; see :meth:`History.compile`.

    ``failed_decisions`` are the events in which SWF refused or could not carry out a decision
    (``ScheduleActivityTaskFailed``, ``StartTimerFailed``, ..., each with its ``cause``), in order,
    also where they left their entity unchanged. ``failed_markers`` gives the cause of the latest
    refused RecordMarker decision by marker name.
    """

    execution: ExecutionState = field(default_factory=ExecutionState)
    decision_tasks: DecisionTaskState = field(default_factory=DecisionTaskState)
    activities: Mapping[str, ActivityState] = field(default_factory=_empty)
    timers: Mapping[str, TimerState] = field(default_factory=_empty)
    children: Mapping[str, ChildWorkflowState] = field(default_factory=_empty)
    signals: tuple[Signal, ...] = ()
    markers: Mapping[str, tuple[Marker, ...]] = field(default_factory=_empty)
    failed_markers: Mapping[str, str] = field(default_factory=_empty)
    external_signals: tuple[ExternalSignalState, ...] = ()
    external_cancel_requests: tuple[ExternalCancelRequestState, ...] = ()
    lambda_functions: Mapping[str, LambdaFunctionState] = field(default_factory=_empty)
    failed_decisions: tuple[Event, ...] = ()
    unknown_events: tuple[UnknownEvent, ...] = ()

    @property
    def open_activities(self) -> tuple[ActivityState, ...]:
        return tuple(activity for activity in self.activities.values() if activity.open)

    @property
    def open_timers(self) -> tuple[TimerState, ...]:
        return tuple(timer for timer in self.timers.values() if timer.open)

    def latest_marker(self, name: str) -> Marker | None:
        """The marker recorded last under ``name``, ``None`` if there is none."""
        markers = self.markers.get(name)
        return markers[-1] if markers else None
