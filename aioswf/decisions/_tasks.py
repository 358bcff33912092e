"""Decisions about work inside the execution: activity tasks, Lambda functions, timers, markers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from ..models import ActivityType
from ._base import (
    Decision,
    Timeout,
    identifier,
    kind,
    priority,
    put,
    string,
    task_list,
    text,
    timeout,
    timeout_to_swf,
    type_ref,
)

__all__ = [
    "CancelTimer",
    "RecordMarker",
    "RequestCancelActivityTask",
    "ScheduleActivityTask",
    "ScheduleLambdaFunction",
    "StartTimer",
]


def _set(decision: Decision, name: str, value: Any) -> None:
    object.__setattr__(decision, name, value)


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduleActivityTask(Decision):
    """Schedule an activity task: SWF writes ``ActivityTaskScheduled`` (or ``ScheduleActivityTaskFailed``).

    ``activity_type`` is an :class:`~aioswf.models.ActivityType`, a ``(name, version)`` pair or
    SWF's ``{"name": ..., "version": ...}``; it is kept as ``(name, version)``. Unset timeouts,
    ``task_list`` and ``task_priority`` take the defaults registered with the type; a timeout of
    ``"NONE"`` means no limit.

    Example::

        ScheduleActivityTask(activity_type=resize, activity_id="resize-1", input='{"w":64}',
                             start_to_close_timeout=timedelta(minutes=5))
    """

    decision_type: ClassVar[str] = "ScheduleActivityTask"

    activity_type: ActivityType | tuple[str, str] | Mapping[str, str]
    activity_id: str
    input: str | None = None
    control: str | None = None
    task_list: str | None = None
    task_priority: int | None = None
    schedule_to_close_timeout: Timeout = None
    schedule_to_start_timeout: Timeout = None
    start_to_close_timeout: Timeout = None
    heartbeat_timeout: Timeout = None

    _TIMEOUTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("schedule_to_close_timeout", "scheduleToCloseTimeout"),
        ("schedule_to_start_timeout", "scheduleToStartTimeout"),
        ("start_to_close_timeout", "startToCloseTimeout"),
        ("heartbeat_timeout", "heartbeatTimeout"),
    )

    def __post_init__(self) -> None:
        _set(self, "activity_type", type_ref(self.activity_type, ActivityType, "activity_type"))
        identifier(self.activity_id, "activity_id")
        text(self.input, "input")
        text(self.control, "control")
        task_list(self.task_list)
        priority(self.task_priority)
        for name, _ in self._TIMEOUTS:
            _set(self, name, timeout(getattr(self, name), name))
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        assert isinstance(self.activity_type, tuple)
        attributes: dict[str, Any] = {
            "activityType": kind(self.activity_type),
            "activityId": self.activity_id,
        }
        put(attributes, "input", self.input)
        put(attributes, "control", self.control)
        put(attributes, "taskList", None if self.task_list is None else {"name": self.task_list})
        put(attributes, "taskPriority", None if self.task_priority is None else str(self.task_priority))
        for name, key in self._TIMEOUTS:
            put(attributes, key, timeout_to_swf(getattr(self, name)))
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class RequestCancelActivityTask(Decision):
    """Ask for a scheduled or running activity task to be canceled (``ActivityTaskCancelRequested``).

    A task not yet started is canceled at once; a running one learns of it from its next heartbeat.
    """

    decision_type: ClassVar[str] = "RequestCancelActivityTask"

    activity_id: str

    def __post_init__(self) -> None:
        identifier(self.activity_id, "activity_id")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        return {"activityId": self.activity_id}


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduleLambdaFunction(Decision):
    """Schedule an AWS Lambda function (``LambdaFunctionScheduled``).

    ``id`` names this call in the history, ``name`` is the function's name or ARN. The workflow
    must have been started with a ``lambda_role``.
    """

    decision_type: ClassVar[str] = "ScheduleLambdaFunction"

    id: str
    name: str
    input: str | None = None
    control: str | None = None
    start_to_close_timeout: Timeout = None

    def __post_init__(self) -> None:
        string(self.id, "id")
        string(self.name, "name")
        text(self.input, "input")
        text(self.control, "control")
        _set(self, "start_to_close_timeout", timeout(self.start_to_close_timeout, "start_to_close_timeout"))
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {"id": self.id, "name": self.name}
        put(attributes, "input", self.input)
        put(attributes, "control", self.control)
        put(attributes, "startToCloseTimeout", timeout_to_swf(self.start_to_close_timeout))
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class StartTimer(Decision):
    """Start a timer (``TimerStarted``); SWF writes ``TimerFired`` and a new decision task when it fires.

    ``start_to_fire_timeout`` is required: a ``timedelta`` or whole seconds, 0 or more.
    """

    decision_type: ClassVar[str] = "StartTimer"

    timer_id: str
    start_to_fire_timeout: timedelta | int
    control: str | None = None

    def __post_init__(self) -> None:
        identifier(self.timer_id, "timer_id")
        _set(
            self,
            "start_to_fire_timeout",
            timeout(self.start_to_fire_timeout, "start_to_fire_timeout", optional=False),
        )
        text(self.control, "control")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        fire = timeout_to_swf(self.start_to_fire_timeout)
        attributes: dict[str, Any] = {"timerId": self.timer_id, "startToFireTimeout": fire}
        put(attributes, "control", self.control)
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class CancelTimer(Decision):
    """Cancel a started timer (``TimerCanceled``, or ``CancelTimerFailed`` if SWF knows no such timer)."""

    decision_type: ClassVar[str] = "CancelTimer"

    timer_id: str

    def __post_init__(self) -> None:
        identifier(self.timer_id, "timer_id")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        return {"timerId": self.timer_id}


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordMarker(Decision):
    """Write a ``MarkerRecorded`` event: a note in the history, for the decider's own later use."""

    decision_type: ClassVar[str] = "RecordMarker"

    marker_name: str
    details: str | None = None

    def __post_init__(self) -> None:
        string(self.marker_name, "marker_name")
        text(self.details, "details")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {"markerName": self.marker_name}
        put(attributes, "details", self.details)
        return attributes
