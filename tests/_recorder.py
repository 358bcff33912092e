"""Typed histories for tests, built event by event with ids and timestamps as SWF writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from aioswf import events as ev
from aioswf.events import Event, TypeRef
from aioswf.history import History

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
E = TypeVar("E", bound=Event)
WF = TypeRef("ingest", "1")
ACT = TypeRef("fetch", "2")
CHILD = TypeRef("child", "1")


class Recorder:
    """Events with ids counting from 1 and timestamps a second apart, as SWF writes them.

    ``decision_task_completed_event_id`` defaults to the latest :meth:`decision`'s.
    """

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.completed = 0

    def __call__(self, cls: type[E], **fields: Any) -> E:
        n = len(self.events) + 1
        if "decision_task_completed_event_id" in cls.__dataclass_fields__:
            fields.setdefault("decision_task_completed_event_id", self.completed)
        event = cls(event_id=n, timestamp=T0 + timedelta(seconds=n), **fields)
        self.events.append(event)
        return event

    def decision(self, context: str | None = None) -> int:
        """A decision task cycle; the id of its DecisionTaskCompleted."""
        scheduled = self(ev.DecisionTaskScheduled, task_list="deciders").event_id
        started = self(ev.DecisionTaskStarted, identity="decider-1", scheduled_event_id=scheduled).event_id
        completed = self(
            ev.DecisionTaskCompleted,
            scheduled_event_id=scheduled,
            started_event_id=started,
            execution_context=context,
        )
        self.completed = completed.event_id
        return self.completed

    def history(self, previous_started_event_id: int = 0) -> History:
        return History(self.events, previous_started_event_id=previous_started_event_id)


def started(r: Recorder, **fields: Any) -> ev.WorkflowExecutionStarted:
    defaults = {"child_policy": "TERMINATE", "task_list": "deciders", "workflow_type": WF}
    return r(ev.WorkflowExecutionStarted, **(defaults | fields))
