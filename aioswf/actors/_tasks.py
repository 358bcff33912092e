"""The tasks that polls hand out: what a decider decides on and what a worker works on."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..exceptions import ValidationError
from ..history import History
from ..models import ActivityType, Domain, WorkflowExecution, WorkflowType

__all__ = ["ActivityTask", "DecisionTask", "heartbeat"]

#: SWF's limit on RecordActivityTaskHeartbeat details (``LimitedData`` in its model).
HEARTBEAT_DETAILS_LIMIT = 2048


@dataclass(frozen=True, repr=False)
class DecisionTask:
    """A decision task with the execution's whole history (every page fetched before it is given out).

    ``history`` holds the typed events, oldest first; ``history.new_events`` those after the
    previous decision task (``previous_started_event_id``, 0 for the first task of a run), and
    ``history.compile()`` the state they add up to.
    """

    token: str
    workflow_execution: WorkflowExecution
    workflow_type: WorkflowType
    history: History
    previous_started_event_id: int
    started_event_id: int

    def __repr__(self) -> str:
        return (
            f"DecisionTask({self.workflow_execution!r}, {self.workflow_type!r}, "
            f"events={len(self.history)}, started_event_id={self.started_event_id})"
        )

    @property
    def new_events(self) -> History:
        return self.history.new_events

    @classmethod
    def from_swf(
        cls, domain: Domain, answer: Mapping[str, Any], events: Iterable[Mapping[str, Any]]
    ) -> DecisionTask:
        execution = answer["workflowExecution"]
        kind = answer["workflowType"]
        workflow_type = WorkflowType(domain, kind["name"], kind["version"], connection=domain.connection)
        # moto leaves the key out of a run's first decision task; SWF sends 0.
        previous = int(answer.get("previousStartedEventId") or 0)
        return cls(
            token=answer["taskToken"],
            workflow_execution=WorkflowExecution(
                domain,
                execution["workflowId"],
                execution["runId"],
                workflow_type=workflow_type,
                connection=domain.connection,
            ),
            workflow_type=workflow_type,
            history=History.from_swf(events, previous),
            previous_started_event_id=previous,
            started_event_id=int(answer.get("startedEventId") or 0),
        )


@dataclass(frozen=True, repr=False)
class ActivityTask:
    """An activity task: which activity, its input, and the execution that scheduled it."""

    token: str
    activity_id: str
    activity_type: ActivityType
    input: str | None
    workflow_execution: WorkflowExecution
    started_event_id: int
    _progress: _Progress = field(default_factory=lambda: _Progress(), compare=False)

    def __repr__(self) -> str:
        return f"ActivityTask({self.activity_id!r}, {self.activity_type!r}, {self.workflow_execution!r})"

    @classmethod
    def from_swf(cls, domain: Domain, answer: dict[str, Any]) -> ActivityTask:
        execution = answer["workflowExecution"]
        kind = answer["activityType"]
        return cls(
            token=answer["taskToken"],
            activity_id=answer["activityId"],
            activity_type=ActivityType(domain, kind["name"], kind["version"], connection=domain.connection),
            input=answer.get("input"),
            workflow_execution=WorkflowExecution(
                domain, execution["workflowId"], execution["runId"], connection=domain.connection
            ),
            started_event_id=int(answer.get("startedEventId") or 0),
        )

    def heartbeat(self, details: str | None = None) -> None:
        """Record progress. It returns at once; the worker sends the latest details, throttled."""
        self._progress.record(details)


class _Progress:
    """The latest progress an activity recorded, waiting for the heartbeat coroutine to send it."""

    __slots__ = ("details", "version")

    def __init__(self) -> None:
        self.details: str | None = None
        self.version = 0

    def record(self, details: str | None) -> None:
        # Checked here, in the activity's own call, so a bad value fails the activity that gave it
        # rather than the heartbeat coroutine that would send it later.
        if details is not None and not isinstance(details, str):
            raise ValidationError(
                f"heartbeat details must be a str or None, got {type(details).__name__}", field="details"
            )
        if details is not None and len(details) > HEARTBEAT_DETAILS_LIMIT:
            raise ValidationError.too_long("details", len(details), HEARTBEAT_DETAILS_LIMIT)
        self.details = details
        self.version += 1


_current: contextvars.ContextVar[ActivityTask] = contextvars.ContextVar("aioswf_activity_task")


def heartbeat(details: str | None = None) -> None:
    """Record progress of the activity running in this context (a thread of a sync activity too).

    Equivalent to ``task.heartbeat(details)``; raises :class:`LookupError` outside an activity.
    """
    try:
        task = _current.get()
    except LookupError:
        raise LookupError("aioswf.actors.heartbeat() was called outside a running activity") from None
    task.heartbeat(details)
