"""An execution's history as typed events, and the state it adds up to.

A decider gets SWF's event dictionaries with each decision task; ``History.from_swf`` turns them
into :mod:`aioswf.events` objects, oldest first::

    history = History.from_swf(task.events, task.previous_started_event_id)
    state = history.compile()
    if state.activities["fetch"].status == "completed":
        ...
    for signal in history.new_events.filter(WorkflowExecutionSignaled):
        ...

:meth:`History.compile` folds the events into a :class:`WorkflowState`: activities, timers and
child workflows by id, signals, markers, external requests, Lambda functions and the execution
itself. Every SWF event type has its place in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any, overload

from ._history_compile import compile_state
from ._history_state import (
    ActivityState,
    ActivityStatus,
    ChildWorkflowState,
    ChildWorkflowStatus,
    DecisionTaskState,
    ExecutionState,
    ExecutionStatus,
    ExternalCancelRequestState,
    ExternalSignalState,
    ExternalStatus,
    LambdaFunctionState,
    LambdaFunctionStatus,
    Marker,
    Signal,
    TimerState,
    TimerStatus,
    WorkflowState,
)
from .events import Event, UnknownEvent, parse_events
from .events._parse import event_class

__all__ = [
    "ActivityState",
    "ActivityStatus",
    "ChildWorkflowState",
    "ChildWorkflowStatus",
    "DecisionTaskState",
    "EventType",
    "ExecutionState",
    "ExecutionStatus",
    "ExternalCancelRequestState",
    "ExternalSignalState",
    "ExternalStatus",
    "History",
    "LambdaFunctionState",
    "LambdaFunctionStatus",
    "Marker",
    "Signal",
    "TimerState",
    "TimerStatus",
    "WorkflowState",
]

#: What :meth:`History.filter` takes as ``type``: an event class or SWF's name for the type.
EventType = type[Event] | str

_MISSING = object()
_event_id = attrgetter("event_id")


class History(Sequence[Event]):
    """The events of an execution, oldest first: an immutable, indexable, iterable sequence.

    Build one with :meth:`from_swf` from SWF's dictionaries, or from event objects.
    ``previous_started_event_id`` is the id of the previous decision task's ``DecisionTaskStarted``
    (SWF's ``previousStartedEventId``; 0 before the first decision task); :attr:`new_events` are
    those after it. Slices, :meth:`latest` and :meth:`filter` are histories with the same
    ``previous_started_event_id``.
    """

    __slots__ = ("_events", "_previous_started_event_id", "_state")

    def __init__(self, events: Iterable[Event] = (), *, previous_started_event_id: int = 0) -> None:
        ordered = tuple(events)
        for event in ordered:
            if not isinstance(event, Event):
                raise TypeError(
                    f"History takes aioswf.events objects, got {type(event).__name__}; "
                    "for SWF's event dictionaries use History.from_swf(events)"
                )
        if isinstance(previous_started_event_id, bool) or not (
            isinstance(previous_started_event_id, int) and previous_started_event_id >= 0
        ):
            raise ValueError(
                f"previous_started_event_id must be an event id or 0, got {previous_started_event_id!r}"
            )
        ids = list(map(_event_id, ordered))
        if len(set(ids)) != len(ids):
            duplicated = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"a history holds each event id once; these come twice: {duplicated[:10]}")
        if ids != sorted(ids):  # fetched with reverseOrder, or pages out of order
            ordered = tuple(sorted(ordered, key=_event_id))
        self._events = ordered
        self._previous_started_event_id = previous_started_event_id
        self._state: WorkflowState | None = None

    @classmethod
    def from_swf(
        cls, raw_events: Iterable[Mapping[str, Any]], previous_started_event_id: int | None = 0
    ) -> History:
        """A history from SWF's event dictionaries (botocore's, or raw JSON with epoch timestamps).

        ``previous_started_event_id`` is the decision task's ``previousStartedEventId``; ``None``
        (moto leaves the key out of a run's first decision task) counts as 0.
        """
        if isinstance(raw_events, Mapping | str | bytes):
            raise TypeError(
                "History.from_swf takes the list of events (an answer's 'events'), "
                f"not a {type(raw_events).__name__}"
            )
        return cls(parse_events(raw_events), previous_started_event_id=previous_started_event_id or 0)

    @property
    def previous_started_event_id(self) -> int:
        return self._previous_started_event_id

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __reversed__(self) -> Iterator[Event]:
        return reversed(self._events)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> History: ...

    def __getitem__(self, index: int | slice) -> Event | History:
        if isinstance(index, slice):
            return self._derive(self._events[index])
        return self._events[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return (
            self._events == other._events
            and self._previous_started_event_id == other._previous_started_event_id
        )

    __hash__ = None  # type: ignore[assignment]  # a History is a value, but holds unhashable events

    def __repr__(self) -> str:
        last = f", last={self._events[-1].event_type}#{self._events[-1].event_id}" if self._events else ""
        return (
            f"History({len(self._events)} events{last}, "
            f"previous_started_event_id={self._previous_started_event_id})"
        )

    def _derive(self, events: Iterable[Event]) -> History:
        history = History.__new__(History)
        history._events = tuple(events)
        history._previous_started_event_id = self._previous_started_event_id
        history._state = None
        return history

    @property
    def first(self) -> Event:
        """The first event (``WorkflowExecutionStarted`` in a whole history); IndexError if empty."""
        if not self._events:
            raise IndexError("the history is empty")
        return self._events[0]

    @property
    def last(self) -> Event:
        """The latest event; IndexError if the history is empty."""
        if not self._events:
            raise IndexError("the history is empty")
        return self._events[-1]

    def latest(self, n: int) -> History:
        """The latest ``n`` events, oldest first."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"latest() takes a count of events, 0 or more, got {n!r}")
        return self._derive(self._events[-n:] if n > 0 else ())

    @property
    def new_events(self) -> History:
        """The events after ``previous_started_event_id``: what happened since the last decision."""
        previous = self._previous_started_event_id
        return self._derive(event for event in self._events if event.event_id > previous)

    def by_id(self, event_id: int) -> Event:
        """The event with id ``event_id``; KeyError if there is none."""
        events = self._events
        # Ids count from 1 without gaps in a whole history: look there first.
        if 0 < event_id <= len(events) and events[event_id - 1].event_id == event_id:
            return events[event_id - 1]
        for event in events:
            if event.event_id == event_id:
                return event
        raise KeyError(f"no event with id {event_id} in this history of {len(events)} events")

    def filter(
        self,
        type: EventType | tuple[EventType, ...] | None = None,  # noqa: A002 - the word everyone reaches for
        **attributes: Any,
    ) -> History:
        """The events of ``type`` (a class such as ``TimerFired``, a name such as ``"TimerFired"``,
        or a tuple of them; a class matches its subclasses, so ``Event`` matches all) whose
        ``attributes`` equal the values given: ``history.filter(ActivityTaskScheduled,
        activity_id="fetch")``.

        A name SWF has but this version does not know matches the :class:`UnknownEvent` of it.
        :class:`ValueError` for an attribute that none of the given types has.
        """
        matches = _matcher(type, attributes)
        return self._derive(event for event in self._events if matches(event))

    def compile(self) -> WorkflowState:
        """The state these events add up to (computed once per history, then kept)."""
        if self._state is None:
            self._state = compile_state(self._events)
        return self._state


def _matcher(
    kinds: EventType | tuple[EventType, ...] | None, attributes: Mapping[str, Any]
) -> Callable[[Event], bool]:
    """The test of :meth:`History.filter`, worked out once for all the events it looks at."""
    classes: list[type[Event]] = []
    unknown: set[str] = set()
    for kind in kinds if isinstance(kinds, tuple) else () if kinds is None else (kinds,):
        if isinstance(kind, str):
            cls = event_class(kind)
            if cls is None:
                unknown.add(kind)
            else:
                classes.append(cls)
        else:
            classes.append(kind)
    if kinds is not None:
        fields = {name for cls in classes for name in getattr(cls, "__dataclass_fields__", ())}
        if unknown:
            fields.update(UnknownEvent.__dataclass_fields__)
        if missing := set(attributes) - fields:
            raise ValueError(f"no event of the given types has {', '.join(sorted(missing))}")
    wanted = tuple(classes)
    items = tuple(attributes.items())

    def matches(event: Event) -> bool:
        if kinds is not None and not (
            isinstance(event, wanted) or (isinstance(event, UnknownEvent) and event.type_name in unknown)
        ):
            return False
        return all(getattr(event, name, _MISSING) == value for name, value in items)

    return matches
