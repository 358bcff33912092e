"""The fold of a history into a :class:`WorkflowState`: one handler per event type.

Entities are plain dictionaries while the events are read, and become frozen state objects once at
the end. Events that name their entity by the id of an earlier event (``scheduledEventId``,
``initiatedEventId``, ``startedEventId``) are matched through an index of those ids. An event that
refers to something the history does not have (a slice of a history, a server's bug) is left out
of its entity rather than failing the whole compile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import Any

from . import events as ev
from ._history_compile_remote import OPEN, Entity, RemoteHandlers, reset
from ._history_state import (
    ActivityState,
    ChildWorkflowState,
    DecisionTaskState,
    ExecutionState,
    ExternalCancelRequestState,
    ExternalSignalState,
    LambdaFunctionState,
    Marker,
    Signal,
    TimerState,
    WorkflowState,
)
from .events._parse import snake_case

__all__ = ["compile_state"]


class _Compiler(RemoteHandlers):
    """The mutable state of one compile; ``on_<event_type>`` handles each event type."""

    def __init__(self) -> None:
        self.execution: Entity = {}
        self.decisions: Entity = {"scheduled": 0, "started": 0, "completed": 0, "timed_out": 0}
        self.activities: dict[str, Entity] = {}
        self.activity_by_scheduled: dict[int, Entity] = {}
        self.timers: dict[str, Entity] = {}
        self.timer_by_started: dict[int, Entity] = {}
        self.children: dict[str, Entity] = {}
        self.child_by_initiated: dict[int, Entity] = {}
        self.signals: list[Signal] = []
        self.markers: dict[str, list[Marker]] = {}
        self.failed_markers: dict[str, str] = {}
        self.external_signals: dict[int, Entity] = {}
        self.external_cancels: dict[int, Entity] = {}
        self.lambdas: dict[str, Entity] = {}
        self.lambda_by_scheduled: dict[int, Entity] = {}
        self.failed_decisions: list[ev.Event] = []
        self.unknown: list[ev.UnknownEvent] = []

    # The execution itself.

    def on_workflow_execution_started(self, e: ev.WorkflowExecutionStarted) -> None:
        self.execution.update(
            workflow_type=e.workflow_type,
            input=e.input,
            tag_list=e.tag_list or (),
            task_list=e.task_list,
            child_policy=e.child_policy,
            execution_start_to_close_timeout=e.execution_start_to_close_timeout,
            task_start_to_close_timeout=e.task_start_to_close_timeout,
            task_priority=e.task_priority,
            lambda_role=e.lambda_role,
            parent=e.parent_workflow_execution,
            parent_initiated_event_id=e.parent_initiated_event_id,
            continued_execution_run_id=e.continued_execution_run_id,
        )

    def on_workflow_execution_signaled(self, e: ev.WorkflowExecutionSignaled) -> None:
        self.signals.append(
            Signal(
                name=e.signal_name,
                input=e.input,
                event_id=e.event_id,
                external_execution=e.external_workflow_execution,
                external_initiated_event_id=e.external_initiated_event_id,
            )
        )

    def on_workflow_execution_cancel_requested(self, e: ev.WorkflowExecutionCancelRequested) -> None:
        self.execution.update(
            cancel_requested=True,
            cancel_requested_cause=e.cause,
            cancel_requested_by=e.external_workflow_execution,
        )

    def on_workflow_execution_completed(self, e: ev.WorkflowExecutionCompleted) -> None:
        self.execution.update(status="completed", result=e.result)

    def on_workflow_execution_failed(self, e: ev.WorkflowExecutionFailed) -> None:
        self.execution.update(status="failed", reason=e.reason, details=e.details)

    def on_workflow_execution_timed_out(self, e: ev.WorkflowExecutionTimedOut) -> None:
        self.execution.update(status="timed_out", timeout_type=e.timeout_type)

    def on_workflow_execution_canceled(self, e: ev.WorkflowExecutionCanceled) -> None:
        self.execution.update(status="canceled", details=e.details)

    def on_workflow_execution_continued_as_new(self, e: ev.WorkflowExecutionContinuedAsNew) -> None:
        self.execution.update(status="continued_as_new", new_execution_run_id=e.new_execution_run_id)

    def on_workflow_execution_terminated(self, e: ev.WorkflowExecutionTerminated) -> None:
        self.execution.update(status="terminated", reason=e.reason, details=e.details, cause=e.cause)

    def failed_decision(self, e: ev.Event) -> None:
        self.failed_decisions.append(e)

    on_complete_workflow_execution_failed = failed_decision
    on_fail_workflow_execution_failed = failed_decision
    on_cancel_workflow_execution_failed = failed_decision
    on_continue_as_new_workflow_execution_failed = failed_decision

    # Decision tasks.

    def on_decision_task_scheduled(self, e: ev.DecisionTaskScheduled) -> None:
        self.decisions["scheduled"] += 1
        self.decisions["latest_scheduled_event_id"] = e.event_id

    def on_decision_task_started(self, e: ev.DecisionTaskStarted) -> None:
        self.decisions["started"] += 1
        self.decisions["latest_started_event_id"] = e.event_id

    def on_decision_task_completed(self, e: ev.DecisionTaskCompleted) -> None:
        self.decisions["completed"] += 1
        self.decisions["latest_completed_event_id"] = e.event_id
        if e.execution_context is not None:  # as SWF's latestExecutionContext: the latest one given
            self.decisions["execution_context"] = e.execution_context

    def on_decision_task_timed_out(self, e: ev.DecisionTaskTimedOut) -> None:
        self.decisions["timed_out"] += 1

    # Activities.

    def on_activity_task_scheduled(self, e: ev.ActivityTaskScheduled) -> None:
        activity = self.activities.setdefault(
            e.activity_id, {"activity_id": e.activity_id, "times_scheduled": 0}
        )
        reset(activity)
        activity.update(
            status="scheduled",
            activity_type=e.activity_type,
            input=e.input,
            control=e.control,
            cancel_requested=False,
            cancel_failed_cause=None,
            identity=None,
            times_scheduled=activity["times_scheduled"] + 1,
            scheduled_event_id=e.event_id,
            started_event_id=None,
        )
        self.activity_by_scheduled[e.event_id] = activity

    def on_schedule_activity_task_failed(self, e: ev.ScheduleActivityTaskFailed) -> None:
        self.failed_decisions.append(e)
        activity = self.activities.get(e.activity_id)
        if activity is None:
            activity = self.activities[e.activity_id] = {"activity_id": e.activity_id, "times_scheduled": 0}
        elif activity["status"] in OPEN:  # ACTIVITY_ID_ALREADY_IN_USE: the open one goes on
            return
        reset(activity)
        activity.update(status="schedule_failed", activity_type=e.activity_type, cause=e.cause)

    def on_activity_task_started(self, e: ev.ActivityTaskStarted) -> None:
        activity = self.activity_by_scheduled.get(e.scheduled_event_id)
        if activity is not None:
            if activity["status"] == "scheduled":
                activity["status"] = "started"
            activity.update(started_event_id=e.event_id, identity=e.identity)

    def on_activity_task_completed(self, e: ev.ActivityTaskCompleted) -> None:
        activity = self.activity_by_scheduled.get(e.scheduled_event_id)
        if activity is not None:
            activity.update(status="completed", result=e.result)

    def on_activity_task_failed(self, e: ev.ActivityTaskFailed) -> None:
        activity = self.activity_by_scheduled.get(e.scheduled_event_id)
        if activity is not None:
            activity.update(status="failed", reason=e.reason, details=e.details)

    def on_activity_task_timed_out(self, e: ev.ActivityTaskTimedOut) -> None:
        activity = self.activity_by_scheduled.get(e.scheduled_event_id)
        if activity is not None:
            activity.update(status="timed_out", timeout_type=e.timeout_type, details=e.details)

    def on_activity_task_cancel_requested(self, e: ev.ActivityTaskCancelRequested) -> None:
        activity = self.activities.get(e.activity_id)
        if activity is not None:
            activity["cancel_requested"] = True
            if activity["status"] in OPEN:
                activity["status"] = "cancel_requested"

    def on_request_cancel_activity_task_failed(self, e: ev.RequestCancelActivityTaskFailed) -> None:
        self.failed_decisions.append(e)
        activity = self.activities.get(e.activity_id)
        if activity is not None:
            activity["cancel_failed_cause"] = e.cause

    def on_activity_task_canceled(self, e: ev.ActivityTaskCanceled) -> None:
        activity = self.activity_by_scheduled.get(e.scheduled_event_id)
        if activity is not None:
            activity.update(status="canceled", details=e.details)

    # Timers.

    def on_timer_started(self, e: ev.TimerStarted) -> None:
        timer = self.timers.setdefault(e.timer_id, {"timer_id": e.timer_id, "times_started": 0})
        timer.update(
            status="started",
            control=e.control,
            start_to_fire_timeout=e.start_to_fire_timeout,
            cause=None,
            cancel_failed_cause=None,
            times_started=timer["times_started"] + 1,
            started_event_id=e.event_id,
        )
        self.timer_by_started[e.event_id] = timer

    def on_start_timer_failed(self, e: ev.StartTimerFailed) -> None:
        self.failed_decisions.append(e)
        timer = self.timers.get(e.timer_id)
        if timer is None:
            timer = self.timers[e.timer_id] = {"timer_id": e.timer_id, "times_started": 0}
        elif timer["status"] == "started":  # TIMER_ID_ALREADY_IN_USE: the running one goes on
            return
        timer.update(status="start_failed", cause=e.cause)

    def on_timer_fired(self, e: ev.TimerFired) -> None:
        timer = self.timers.get(e.timer_id) or self.timer_by_started.get(e.started_event_id)
        if timer is not None:
            timer["status"] = "fired"

    def on_timer_canceled(self, e: ev.TimerCanceled) -> None:
        timer = self.timers.get(e.timer_id) or self.timer_by_started.get(e.started_event_id)
        if timer is None and not e.timer_id:
            # moto's "TimerCancelled" reaches us without attributes. A cancel can only be of a
            # running timer, so when exactly one is running, it is that one.
            running = [timer for timer in self.timers.values() if timer["status"] == "started"]
            timer = running[0] if len(running) == 1 else None
        if timer is not None:
            timer["status"] = "canceled"

    def on_cancel_timer_failed(self, e: ev.CancelTimerFailed) -> None:
        self.failed_decisions.append(e)
        if not e.timer_id:  # moto leaves the id out
            return
        timer = self.timers.get(e.timer_id)
        if timer is None:
            timer = self.timers[e.timer_id] = {"timer_id": e.timer_id, "status": "cancel_failed"}
        timer["cancel_failed_cause"] = e.cause

    # Markers.

    def on_marker_recorded(self, e: ev.MarkerRecorded) -> None:
        marker = Marker(name=e.marker_name, details=e.details, event_id=e.event_id)
        self.markers.setdefault(e.marker_name, []).append(marker)

    def on_record_marker_failed(self, e: ev.RecordMarkerFailed) -> None:
        self.failed_decisions.append(e)
        self.failed_markers[e.marker_name] = e.cause

    def on_unknown_event(self, e: ev.UnknownEvent) -> None:
        self.unknown.append(e)

    # The end: freeze.

    def state(self) -> WorkflowState:
        return WorkflowState(
            execution=ExecutionState(**self.execution),
            decision_tasks=DecisionTaskState(**self.decisions),
            activities=_freeze(ActivityState, self.activities),
            timers=_freeze(TimerState, self.timers),
            children=_freeze(ChildWorkflowState, self.children),
            signals=tuple(self.signals),
            markers=MappingProxyType({name: tuple(markers) for name, markers in self.markers.items()}),
            failed_markers=MappingProxyType(dict(self.failed_markers)),
            external_signals=tuple(ExternalSignalState(**s) for s in self.external_signals.values()),
            external_cancel_requests=tuple(
                ExternalCancelRequestState(**r) for r in self.external_cancels.values()
            ),
            lambda_functions=_freeze(LambdaFunctionState, self.lambdas),
            failed_decisions=tuple(self.failed_decisions),
            unknown_events=tuple(self.unknown),
        )


def _freeze(cls: Callable[..., Any], entities: dict[str, Entity]) -> MappingProxyType[str, Any]:
    return MappingProxyType({key: cls(**entity) for key, entity in entities.items()})


_Handler = Callable[[_Compiler, Any], None]

#: The handler of every event class: a missing one fails here, at import, not in a decider.
HANDLERS: dict[type[ev.Event], _Handler] = {
    cls: getattr(_Compiler, "on_" + snake_case(name)) for name, cls in ev.EVENT_CLASSES.items()
}
HANDLERS[ev.UnknownEvent] = _Compiler.on_unknown_event


def compile_state(events: Iterable[ev.Event]) -> WorkflowState:
    """Fold ``events`` (oldest first) into the state they describe."""
    compiler = _Compiler()
    handlers = HANDLERS
    for event in events:
        try:
            handler = handlers[type(event)]
        except KeyError:
            handler = _handler_of(type(event))
        handler(compiler, event)
    return compiler.state()


def _handler_of(cls: type[ev.Event]) -> _Handler:
    """The handler of a subclass of an event class: its nearest event class's."""
    for base in cls.__mro__:
        if base in HANDLERS:
            return HANDLERS[base]
    raise TypeError(f"{cls.__name__} is not an event class")
