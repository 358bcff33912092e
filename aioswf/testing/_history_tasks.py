"""The machinery under :class:`~aioswf.testing.HistoryBuilder`: the clock, event ids, and the
events of decision tasks, activity tasks, timers and markers, each with SWF's cross-references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from .._durations import Duration, seconds_to_swf
from ..decisions._base import text, type_ref
from ..models import ActivityType

#: Where a builder's clock starts unless told otherwise: fixed, so histories are reproducible.
DEFAULT_START_TIME = datetime(2024, 1, 1, tzinfo=UTC)

ActivityTypeRef = ActivityType | tuple[str, str]


@dataclass
class _Activity:
    scheduled: int
    started: int = 0
    cancel_requested: int | None = None


@dataclass
class _Child:
    initiated: int
    decision: int
    workflow_type: dict[str, str]
    started: int = 0
    run_id: str = ""


def _key(pair: tuple[str, str]) -> dict[str, str]:
    return {"name": pair[0], "version": pair[1]}


def _put(attributes: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        attributes[key] = value


class _TaskHistory:
    """State and the task-level events; :class:`HistoryBuilder` adds the execution's own."""

    def __init__(self, *, start_time: datetime | None = None, step: timedelta = timedelta(seconds=1)) -> None:
        now = start_time or DEFAULT_START_TIME
        if now.tzinfo is None:
            raise ValueError("start_time must be an aware datetime (SWF's timestamps are)")
        self._now = now
        self._step = step
        self._events: list[dict[str, Any]] = []
        self.workflow_id = ""
        self.run_id = ""
        self._workflow_type: dict[str, str] = {}
        self._task_list = ""
        self._decision_timeout = "300"
        self._closed = False
        self._decision_scheduled = 0  # DecisionTaskScheduled not started yet
        self._decision_started = 0  # DecisionTaskStarted not completed or timed out yet
        self._deciding = 0  # the DecisionTaskCompleted whose effects may follow, until the next task
        self._previous_started = 0  # DecisionTaskStarted of the last completed decision task
        self._activities: dict[str, _Activity] = {}
        self._timers: dict[str, tuple[int, datetime]] = {}
        self._children: dict[str, _Child] = {}
        self._external: dict[tuple[str, str], list[int]] = {}

    # --- what a test reads ---------------------------------------------------------------------

    @property
    def events(self) -> list[dict[str, Any]]:
        """The events so far, oldest first (a new list of the builder's event dicts)."""
        return list(self._events)

    @property
    def last_event_id(self) -> int:
        return len(self._events)

    # --- the clock and raw events --------------------------------------------------------------

    def advance(self, by: timedelta | int) -> Self:
        """Move the clock ``by`` (a timedelta or seconds, never backwards) before the next event."""
        step = by if isinstance(by, timedelta) else timedelta(seconds=by)
        if step < timedelta(0):
            raise ValueError(f"a history's clock only moves forward; advance() got {by!r}")
        self._now += step
        return self

    def add_event(self, event_type: str, attributes: dict[str, Any] | None = None) -> Self:
        """Append any event as it is, for the types this builder has no method for (Lambda, ...)."""
        self._add(event_type, dict(attributes or {}))
        return self

    def _add(self, event_type: str, attributes: dict[str, Any]) -> int:
        if not self._events and event_type != "WorkflowExecutionStarted":
            raise ValueError("a history begins with start()")
        if self._closed:
            raise ValueError(f"the workflow execution is closed; SWF writes no {event_type} after that")
        event_id = len(self._events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self._events.append(
            {"eventId": event_id, "eventType": event_type, "eventTimestamp": self._now, key: attributes}
        )
        self._now += self._step
        return event_id

    def _decided(self, what: str) -> int:
        """The DecisionTaskCompleted that a decision's effect refers to.

        SWF writes a decision's effects right after the DecisionTaskCompleted of the task that
        made it, so they may follow only until another decision task is scheduled or started.
        """
        if not self._deciding:
            raise ValueError(
                f"{what} is a decision's effect: it follows a completed decision_task(), "
                "before the next decision task is scheduled"
            )
        return self._deciding

    # --- decision tasks ------------------------------------------------------------------------

    def schedule_decision_task(self) -> Self:
        """``DecisionTaskScheduled``, unless one is scheduled already (SWF keeps at most one).

        One may be scheduled while another is started, as SWF does when an event arrives then.
        """
        if not self._decision_scheduled:
            self._decision_scheduled = self._add(
                "DecisionTaskScheduled",
                {"taskList": {"name": self._task_list}, "startToCloseTimeout": self._decision_timeout},
            )
            self._deciding = 0
        return self

    def start_decision_task(self, identity: str = "decider") -> Self:
        if not self._decision_scheduled:
            raise ValueError("no decision task is scheduled: call schedule_decision_task() first")
        if self._decision_started:
            raise ValueError("a decision task is started already; SWF hands out one at a time")
        scheduled, self._decision_scheduled = self._decision_scheduled, 0
        self._deciding = 0
        self._decision_started = self._add(
            "DecisionTaskStarted", {"identity": identity, "scheduledEventId": scheduled}
        )
        return self

    def complete_decision_task(self, execution_context: str | None = None) -> Self:
        started = self._take_started_decision()
        attributes: dict[str, Any] = {
            "scheduledEventId": self._scheduled_of(started),
            "startedEventId": started,
        }
        _put(attributes, "executionContext", text(execution_context, "execution_context"))
        self._deciding = self._add("DecisionTaskCompleted", attributes)
        self._previous_started = started
        return self

    def time_out_decision_task(self) -> Self:
        """``DecisionTaskTimedOut``: the decider did not answer in time. Call :meth:`decision_task`
        for the one SWF schedules next."""
        started = self._take_started_decision()
        self._add(
            "DecisionTaskTimedOut",
            {
                "timeoutType": "START_TO_CLOSE",
                "scheduledEventId": self._scheduled_of(started),
                "startedEventId": started,
            },
        )
        return self

    def _scheduled_of(self, started: int) -> int:
        scheduled: int = self._events[started - 1]["decisionTaskStartedEventAttributes"]["scheduledEventId"]
        return scheduled

    def _take_started_decision(self) -> int:
        if not self._decision_started:
            raise ValueError("no decision task is started")
        started, self._decision_started = self._decision_started, 0
        return started

    def decision_task(
        self, *, current: bool = False, identity: str = "decider", execution_context: str | None = None
    ) -> Self:
        """A decision task cycle: scheduled (unless it is already), started and completed.

        With ``current=True`` it is left started: the task a decider is asked to decide, which
        :meth:`as_poll_response` and :meth:`as_decision_task` describe.
        """
        self.schedule_decision_task().start_decision_task(identity)
        if not current:
            self.complete_decision_task(execution_context)
        return self

    # --- activity tasks ------------------------------------------------------------------------

    def schedule_activity(
        self,
        activity_id: str,
        activity_type: ActivityTypeRef = ("activity", "1"),
        *,
        input: str | None = None,  # noqa: A002
        control: str | None = None,
        task_list: str = "activities",
        task_priority: int | None = None,
        schedule_to_close_timeout: Duration = 600,
        schedule_to_start_timeout: Duration = 300,
        start_to_close_timeout: Duration = 300,
        heartbeat_timeout: Duration = None,
    ) -> Self:
        """``ActivityTaskScheduled``, with the timeouts resolved as SWF writes them (``None`` is
        ``"NONE"``). An id may be scheduled again once its last task closed (a retry)."""
        decision = self._decided("ActivityTaskScheduled")
        if activity_id in self._activities:
            raise ValueError(f"activity {activity_id!r} is open already (SWF: ACTIVITY_ID_ALREADY_IN_USE)")
        attributes: dict[str, Any] = {
            "activityType": _key(type_ref(activity_type, ActivityType, "activity_type")),
            "activityId": activity_id,
            "taskList": {"name": task_list},
            "scheduleToCloseTimeout": seconds_to_swf(schedule_to_close_timeout, "schedule_to_close_timeout"),
            "scheduleToStartTimeout": seconds_to_swf(schedule_to_start_timeout, "schedule_to_start_timeout"),
            "startToCloseTimeout": seconds_to_swf(start_to_close_timeout, "start_to_close_timeout"),
            "heartbeatTimeout": seconds_to_swf(heartbeat_timeout, "heartbeat_timeout"),
            "decisionTaskCompletedEventId": decision,
        }
        _put(attributes, "input", text(input, "input"))
        _put(attributes, "control", text(control, "control"))
        _put(attributes, "taskPriority", None if task_priority is None else str(task_priority))
        self._activities[activity_id] = _Activity(self._add("ActivityTaskScheduled", attributes))
        return self

    def schedule_activity_failed(
        self,
        activity_id: str,
        activity_type: ActivityTypeRef = ("activity", "1"),
        cause: str = "ACTIVITY_TYPE_DOES_NOT_EXIST",
    ) -> Self:
        """``ScheduleActivityTaskFailed``: SWF refused a ScheduleActivityTask decision."""
        attributes = {
            "activityType": _key(type_ref(activity_type, ActivityType, "activity_type")),
            "activityId": activity_id,
            "cause": cause,
            "decisionTaskCompletedEventId": self._decided("ScheduleActivityTaskFailed"),
        }
        self._add("ScheduleActivityTaskFailed", attributes)
        return self

    def start_activity(self, activity_id: str, identity: str = "worker") -> Self:
        activity = self._activity(activity_id)
        if activity.started:
            raise ValueError(f"activity {activity_id!r} is started already")
        activity.started = self._add(
            "ActivityTaskStarted", {"identity": identity, "scheduledEventId": activity.scheduled}
        )
        return self

    def complete_activity(self, activity_id: str, result: str | None = None) -> Self:
        attributes: dict[str, Any] = self._running(activity_id, "completed")
        _put(attributes, "result", text(result, "result"))
        return self._close_activity(activity_id, "ActivityTaskCompleted", attributes)

    def fail_activity(self, activity_id: str, reason: str | None = None, details: str | None = None) -> Self:
        attributes: dict[str, Any] = self._running(activity_id, "failed")
        _put(attributes, "reason", text(reason, "reason"))
        _put(attributes, "details", text(details, "details"))
        return self._close_activity(activity_id, "ActivityTaskFailed", attributes)

    def time_out_activity(
        self, activity_id: str, timeout_type: str = "START_TO_CLOSE", details: str | None = None
    ) -> Self:
        """``ActivityTaskTimedOut``. A task that never started can only time out
        ``SCHEDULE_TO_START`` or ``SCHEDULE_TO_CLOSE`` (its ``startedEventId`` is then 0);
        ``details`` are the last heartbeat's."""
        activity = self._activity(activity_id)
        if not activity.started and timeout_type not in ("SCHEDULE_TO_START", "SCHEDULE_TO_CLOSE"):
            raise ValueError(
                f"activity {activity_id!r} was not started, so it cannot time out {timeout_type}"
            )
        attributes: dict[str, Any] = {
            "timeoutType": timeout_type,
            "scheduledEventId": activity.scheduled,
            "startedEventId": activity.started,
        }
        _put(attributes, "details", text(details, "details"))
        return self._close_activity(activity_id, "ActivityTaskTimedOut", attributes)

    def request_cancel_activity(self, activity_id: str) -> Self:
        """``ActivityTaskCancelRequested``: the effect of a RequestCancelActivityTask decision."""
        activity = self._activity(activity_id)
        decision = self._decided("ActivityTaskCancelRequested")
        activity.cancel_requested = self._add(
            "ActivityTaskCancelRequested",
            {"activityId": activity_id, "decisionTaskCompletedEventId": decision},
        )
        return self

    def cancel_activity(self, activity_id: str, details: str | None = None) -> Self:
        """``ActivityTaskCanceled`` (``startedEventId`` 0 if it never started)."""
        activity = self._activity(activity_id)
        attributes: dict[str, Any] = {
            "scheduledEventId": activity.scheduled,
            "startedEventId": activity.started,
        }
        _put(attributes, "details", text(details, "details"))
        _put(attributes, "latestCancelRequestedEventId", activity.cancel_requested)
        return self._close_activity(activity_id, "ActivityTaskCanceled", attributes)

    def _activity(self, activity_id: str) -> _Activity:
        try:
            return self._activities[activity_id]
        except KeyError:
            raise ValueError(f"no open activity {activity_id!r}: schedule_activity() it first") from None

    def _running(self, activity_id: str, how: str) -> dict[str, Any]:
        activity = self._activity(activity_id)
        if not activity.started:
            raise ValueError(f"activity {activity_id!r} was not started, so it cannot be {how}")
        return {"scheduledEventId": activity.scheduled, "startedEventId": activity.started}

    def _close_activity(self, activity_id: str, event_type: str, attributes: dict[str, Any]) -> Self:
        self._add(event_type, attributes)
        del self._activities[activity_id]
        return self

    # --- timers and markers --------------------------------------------------------------------

    def start_timer(
        self, timer_id: str, start_to_fire_timeout: timedelta | int = 60, control: str | None = None
    ) -> Self:
        decision = self._decided("TimerStarted")
        if timer_id in self._timers:
            raise ValueError(f"timer {timer_id!r} is running already (SWF: TIMER_ID_ALREADY_IN_USE)")
        seconds = seconds_to_swf(start_to_fire_timeout, "start_to_fire_timeout")
        attributes: dict[str, Any] = {
            "timerId": timer_id,
            "startToFireTimeout": seconds,
            "decisionTaskCompletedEventId": decision,
        }
        _put(attributes, "control", text(control, "control"))
        fires_at = self._now + timedelta(seconds=int(seconds))
        self._timers[timer_id] = (self._add("TimerStarted", attributes), fires_at)
        return self

    def fire_timer(self, timer_id: str) -> Self:
        """``TimerFired``, no earlier than the timer's deadline (the clock moves on to it)."""
        started, fires_at = self._timer(timer_id)
        self._now = max(self._now, fires_at)
        self._add("TimerFired", {"timerId": timer_id, "startedEventId": started})
        del self._timers[timer_id]
        return self

    def cancel_timer(self, timer_id: str) -> Self:
        """``TimerCanceled``: the effect of a CancelTimer decision."""
        started, _ = self._timer(timer_id)
        decision = self._decided("TimerCanceled")
        attributes = {
            "timerId": timer_id,
            "startedEventId": started,
            "decisionTaskCompletedEventId": decision,
        }
        self._add("TimerCanceled", attributes)
        del self._timers[timer_id]
        return self

    def _timer(self, timer_id: str) -> tuple[int, datetime]:
        try:
            return self._timers[timer_id]
        except KeyError:
            raise ValueError(f"no running timer {timer_id!r}: start_timer() it first") from None

    def record_marker(self, marker_name: str, details: str | None = None) -> Self:
        attributes: dict[str, Any] = {
            "markerName": marker_name,
            "decisionTaskCompletedEventId": self._decided("MarkerRecorded"),
        }
        _put(attributes, "details", text(details, "details"))
        self._add("MarkerRecorded", attributes)
        return self
