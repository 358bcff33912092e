"""From SWF's event dictionaries to event objects, fast.

Everything that can be worked out once is worked out at import: for each event type the key of its
attributes, and for each attribute the field it fills and the function that converts it. Parsing an
event is then one dictionary lookup for its type, one per attribute it has, and the constructor.
Values that repeat across a history (durations, activity and workflow types) are shared objects.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from . import _activity, _child, _decision_task, _external, _lambda, _timer, _workflow
from ._base import Event, ExecutionRef, TypeRef, UnknownEvent

__all__ = ["EVENT_CLASSES", "event_class", "parse_event", "parse_events"]

#: Every event class, one per SWF event type, by SWF's name for the type.
EVENT_CLASSES: Mapping[str, type[Event]] = MappingProxyType(
    {
        cls.event_type: cls
        for module in (_workflow, _decision_task, _activity, _timer, _child, _external, _lambda)
        for cls in module.EVENTS
    }
)

#: Names servers use for a known type besides SWF's own: moto writes "TimerCancelled".
_ALIASES = {"TimerCancelled": "TimerCanceled"}

# Shared values stop being added past this many, so a hostile history cannot grow them for ever.
_CACHE_LIMIT = 4096
_durations: dict[str, timedelta | None] = {"NONE": None}
_types: dict[tuple[str, str], TypeRef] = {}


def _duration(value: str) -> timedelta | None:
    try:
        return _durations[value]
    except KeyError:
        duration = timedelta(seconds=int(value))
        if len(_durations) < _CACHE_LIMIT:
            _durations[value] = duration
        return duration


def _task_list(value: Mapping[str, str]) -> str:
    return value.get("name", "")


def _type_ref(value: Mapping[str, str]) -> TypeRef:
    key = (value.get("name", ""), value.get("version", ""))
    try:
        return _types[key]
    except KeyError:
        ref = TypeRef(*key)
        if len(_types) < _CACHE_LIMIT:
            _types[key] = ref
        return ref


def _execution_ref(value: Mapping[str, str]) -> ExecutionRef:
    return ExecutionRef(value.get("workflowId", ""), value.get("runId", ""))


def _tags(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _priority(value: str) -> int:
    return int(value)


_Convert = Callable[[Any], Any]

# SWF's member names say what their values are, the same in every event type; each converter is
# also checked against the annotation of the field it fills (see _field_map).
_CONVERTERS: dict[str, _Convert] = {
    "taskList": _task_list,
    "activityType": _type_ref,
    "workflowType": _type_ref,
    "workflowExecution": _execution_ref,
    "externalWorkflowExecution": _execution_ref,
    "parentWorkflowExecution": _execution_ref,
    "tagList": _tags,
    "taskPriority": _priority,
}
_ANNOTATIONS: dict[_Convert | None, str] = {
    _duration: "timedelta",
    _task_list: "str",
    _type_ref: "TypeRef",
    _execution_ref: "ExecutionRef",
    _tags: "tuple[str, ...]",
    _priority: "int",
}
#: What a member SWF always sends reads as when a server leaves it out, by the field's annotation.
_EMPTY: dict[str, object] = {
    "str": "",
    "int": 0,
    "timedelta": timedelta(0),
    "TypeRef": TypeRef("", ""),
    "ExecutionRef": ExecutionRef("", ""),
    "tuple[str, ...]": (),
}
_COMMON = frozenset(field.name for field in dataclasses.fields(Event))


def camel_case(name: str) -> str:
    """``decision_task_completed_event_id`` -> ``decisionTaskCompletedEventId``."""
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def snake_case(name: str) -> str:
    """``decisionTaskCompletedEventId`` -> ``decision_task_completed_event_id``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def attributes_key(event_type: str) -> str:
    """``ActivityTaskCompleted`` -> ``activityTaskCompletedEventAttributes``."""
    return event_type[:1].lower() + event_type[1:] + "EventAttributes"


def _field_map(cls: type[Event]) -> tuple[dict[str, tuple[str, _Convert | None]], dict[str, object]]:
    """SWF member -> (field, converter), and the empty values of the fields SWF always sends."""
    members: dict[str, tuple[str, _Convert | None]] = {}
    empty: dict[str, object] = {}
    for field in dataclasses.fields(cls):
        if field.name in _COMMON:
            continue
        member = camel_case(field.name)
        convert = _duration if member.endswith("Timeout") else _CONVERTERS.get(member)
        annotation = str(field.type).removesuffix(" | None")
        if convert is not None and _ANNOTATIONS[convert] != annotation:
            raise TypeError(f"{cls.__name__}.{field.name}: {annotation} cannot hold {convert.__name__}")
        members[member] = (field.name, convert)
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            empty[field.name] = _EMPTY[annotation]
    return members, empty


def timestamp(value: datetime | float) -> datetime:
    """botocore's aware datetime as it is; epoch seconds (raw JSON) or a naive datetime as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(value, UTC)


_Parser = Callable[[Mapping[str, Any]], Event]


def _parser(cls: type[Event], key: str) -> _Parser:
    members, empty = _field_map(cls)
    get_member = members.get

    def parse(raw: Mapping[str, Any]) -> Event:
        values: dict[str, Any] = {
            "event_id": raw["eventId"],
            "timestamp": timestamp(raw["eventTimestamp"]),
        }
        attributes = raw.get(key)
        if attributes:
            for member, value in attributes.items():
                target = get_member(member)
                if target is not None:  # a member newer than this version of aioswf is skipped
                    name, convert = target
                    values[name] = value if convert is None or value is None else convert(value)
        try:
            return cls(**values)
        except TypeError:  # a member SWF always sends is missing: the slow path, never on SWF
            return cls(**{**empty, **values})

    parse.__qualname__ = f"parse_{cls.__name__}"
    return parse


_PARSERS: dict[str, _Parser] = {
    name: _parser(cls, attributes_key(name)) for name, cls in EVENT_CLASSES.items()
}
_PARSERS.update(
    (alias, _parser(EVENT_CLASSES[name], attributes_key(alias))) for alias, name in _ALIASES.items()
)


def _unknown(raw: Mapping[str, Any]) -> UnknownEvent:
    type_name = str(raw.get("eventType", ""))
    attributes = raw.get(attributes_key(type_name)) or {}
    return UnknownEvent(
        event_id=raw["eventId"],
        timestamp=timestamp(raw["eventTimestamp"]),
        type_name=type_name,
        attributes=MappingProxyType(dict(attributes)),
    )


def event_class(name: str) -> type[Event] | None:
    """The class of SWF's event type ``name`` (``"TimerCancelled"`` too), ``None`` if unknown."""
    return EVENT_CLASSES.get(_ALIASES.get(name, name))


def parse_event(raw: Mapping[str, Any]) -> Event:
    """One event from SWF's dictionary for it, as botocore parses it or as raw JSON has it.

    An event type this version does not know becomes an :class:`UnknownEvent`. An event without
    ``eventId`` or ``eventTimestamp`` is not an event: :class:`ValueError`.
    """
    try:
        parse = _PARSERS.get(raw["eventType"], _unknown)
        return parse(raw)
    except KeyError as err:
        raise ValueError(f"not an SWF history event (no {err.args[0]!r}): {dict(raw)!r:.200}") from None


def parse_events(raws: Iterable[Mapping[str, Any]]) -> list[Event]:
    """:func:`parse_event` for each event, in the same order."""
    parsers = _PARSERS
    events: list[Event] = []
    append = events.append
    try:
        for raw in raws:
            append(parsers.get(raw["eventType"], _unknown)(raw))
    except KeyError as err:
        raise ValueError(f"not an SWF history event (no {err.args[0]!r}): {dict(raw)!r:.200}") from None
    return events
