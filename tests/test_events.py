"""aioswf.events against botocore's SWF model: every event type, every member, every conversion."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import botocore.parsers
import botocore.session
import pytest
from botocore.model import ServiceModel, Shape

import aioswf.events
import aioswf.history
from aioswf.events import (
    EVENT_CLASSES,
    ActivityTaskCompleted,
    ActivityTaskScheduled,
    Event,
    ExecutionRef,
    TimerCanceled,
    TimerFired,
    TypeRef,
    UnknownEvent,
    WorkflowExecutionStarted,
    parse_event,
    parse_events,
)

MODEL: ServiceModel = botocore.session.get_session().get_service_model("swf")
EVENT_TYPES: list[str] = list(MODEL.shape_for("EventType").enum)
T0 = 1_700_000_000.25


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def attributes_shape(event_type: str) -> Any:
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    return MODEL.shape_for("HistoryEvent").members[key]


def data_fields(cls: type[Event]) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(cls) if f.name not in ("event_id", "timestamp")}


def is_required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


# The model, read independently of aioswf: what each shape becomes.
EXPECTED_ANNOTATION = {
    "DurationInSeconds": "timedelta",
    "DurationInSecondsOptional": "timedelta",
    "TaskList": "str",
    "ActivityType": "TypeRef",
    "WorkflowType": "TypeRef",
    "WorkflowExecution": "ExecutionRef",
    "TagList": "tuple[str, ...]",
    "TaskPriority": "int",
}


def expected_annotation(shape: Shape) -> str:
    if shape.name in EXPECTED_ANNOTATION:
        return EXPECTED_ANNOTATION[shape.name]
    return {"long": "int", "string": "str"}[shape.type_name]


class Samples:
    """A raw value for each member (as SWF sends it) and the value aioswf must turn it into."""

    def __init__(self, none_durations: bool = False) -> None:
        self.number = 100
        self.none_durations = none_durations

    def __call__(self, member: str, shape: Shape) -> tuple[Any, Any]:
        self.number += 1
        if shape.name.startswith("DurationInSeconds"):
            if self.none_durations and shape.name == "DurationInSecondsOptional":
                return "NONE", None
            return str(self.number), timedelta(seconds=self.number)
        if shape.name == "TaskList":
            return {"name": f"list-{member}"}, f"list-{member}"
        if shape.name in ("ActivityType", "WorkflowType"):
            return {"name": f"type-{member}", "version": "1.0"}, TypeRef(f"type-{member}", "1.0")
        if shape.name == "WorkflowExecution":
            return {"workflowId": f"wf-{member}", "runId": "run-1"}, ExecutionRef(f"wf-{member}", "run-1")
        if shape.name == "TagList":
            return ["red", "green"], ("red", "green")
        if shape.name == "TaskPriority":
            return f"-{self.number}", -self.number
        if shape.type_name == "long":
            return self.number, self.number
        if shape.enum:
            return shape.enum[-1], shape.enum[-1]
        return f"{member} é ✓ {self.number}", f"{member} é ✓ {self.number}"


def raw_event(
    event_type: str, samples: Samples, *, required_only: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    shape = attributes_shape(event_type)
    attributes, expected = {}, {}
    for member, member_shape in shape.members.items():
        if required_only and member not in shape.required_members:
            continue
        attributes[member], expected[snake(member)] = samples(member, member_shape)
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    raw = {"eventId": 42, "eventType": event_type, "eventTimestamp": T0, key: attributes}
    return raw, expected


def through_botocore(*raws: dict[str, Any]) -> list[dict[str, Any]]:
    """What aiobotocore hands over for this JSON body of GetWorkflowExecutionHistory."""
    body = json.dumps({"events": list(raws)}).encode()
    shape = MODEL.operation_model("GetWorkflowExecutionHistory").output_shape
    parsed = botocore.parsers.create_parser("json").parse(
        {"body": body, "headers": {}, "status_code": 200}, shape
    )
    events: list[dict[str, Any]] = parsed["events"]
    return events


# The classes, compared with the model.


def test_there_is_one_class_per_event_type_of_the_model() -> None:
    assert len(EVENT_TYPES) == 54
    assert sorted(EVENT_CLASSES) == sorted(EVENT_TYPES)
    for name, cls in EVENT_CLASSES.items():
        assert cls.__name__ == name == cls.event_type
        assert getattr(aioswf.events, name) is cls
        assert issubclass(cls, Event)


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_fields_are_the_members_of_the_model(event_type: str) -> None:
    shape = attributes_shape(event_type)
    fields = data_fields(EVENT_CLASSES[event_type])
    assert set(fields) == {snake(member) for member in shape.members}, "missing or extra fields"
    for member, member_shape in shape.members.items():
        f = fields[snake(member)]
        required = member in shape.required_members
        assert is_required(f) is required, f"{member}: required in the model: {required}"
        annotation = expected_annotation(member_shape)
        assert f.type == (annotation if required else f"{annotation} | None"), member


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_classes_are_frozen_slotted_and_keyword_only(event_type: str) -> None:
    cls = EVENT_CLASSES[event_type]
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    event = parse_event(raw_event(event_type, Samples())[0])
    assert "__slots__" in vars(cls) and not hasattr(event, "__dict__")
    assert all(f.kw_only for f in dataclasses.fields(cls))


# Parsing every type, as botocore gives it and as raw JSON has it.


@pytest.mark.parametrize("none_durations", [False, True], ids=["durations", "NONE"])
@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_event_type_parses_with_every_member(event_type: str, none_durations: bool) -> None:
    raw, expected = raw_event(event_type, Samples(none_durations))
    [from_botocore] = through_botocore(raw)
    assert isinstance(from_botocore["eventTimestamp"], datetime)  # botocore did its part
    for source in (from_botocore, raw):
        event = parse_event(source)
        assert type(event) is EVENT_CLASSES[event_type]
        assert event.event_id == 42
        assert event.timestamp.tzinfo is not None
        assert event.timestamp.timestamp() == T0
        for name, value in expected.items():
            got = getattr(event, name)
            assert got == value, name
            assert type(got) is type(value), name


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_optional_members_default_to_none(event_type: str) -> None:
    raw, expected = raw_event(event_type, Samples(), required_only=True)
    event = parse_event(raw)
    for name, f in data_fields(type(event)).items():
        assert getattr(event, name) == (expected[name] if is_required(f) else None), name


def test_conversions() -> None:
    raw = {
        "eventId": 5,
        "eventType": "ActivityTaskScheduled",
        "eventTimestamp": datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),
        "activityTaskScheduledEventAttributes": {
            "activityType": {"name": "resize", "version": "2"},
            "activityId": "img-1",
            "taskList": {"name": "workers"},
            "taskPriority": "10",
            "decisionTaskCompletedEventId": 4,
            "startToCloseTimeout": "300",
            "heartbeatTimeout": "NONE",
            "scheduleToCloseTimeout": "86400",
        },
    }
    event = parse_event(raw)
    assert isinstance(event, ActivityTaskScheduled)
    assert event.activity_type == TypeRef("resize", "2")
    assert event.activity_type.key == {"name": "resize", "version": "2"}
    assert event.task_list == "workers"
    assert event.task_priority == 10
    assert event.start_to_close_timeout == timedelta(minutes=5)
    assert event.heartbeat_timeout is None
    assert event.schedule_to_close_timeout == timedelta(days=1)
    assert event.schedule_to_start_timeout is None  # absent
    assert event.timestamp == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)  # aware, kept as given
    assert ExecutionRef("w", "r").key == {"workflowId": "w", "runId": "r"}


def test_timestamps() -> None:
    def at(value: Any) -> datetime:
        return parse_event({"eventId": 1, "eventType": "TimerFired", "eventTimestamp": value}).timestamp

    assert at(T0) == datetime.fromtimestamp(T0, UTC) and at(T0).tzinfo is UTC
    assert at(1_700_000_000) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert at(datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)  # naive: taken as UTC


def test_repeated_values_are_shared() -> None:
    raw, _ = raw_event("ActivityTaskScheduled", Samples())
    first, second = parse_events([raw, raw])
    assert isinstance(first, ActivityTaskScheduled) and isinstance(second, ActivityTaskScheduled)
    assert first == second and first is not second
    assert first.activity_type is second.activity_type
    assert first.start_to_close_timeout is second.start_to_close_timeout


def test_a_member_newer_than_aioswf_is_ignored() -> None:
    event = parse_event(
        {
            "eventId": 3,
            "eventType": "TimerFired",
            "eventTimestamp": T0,
            "timerFiredEventAttributes": {"timerId": "t", "startedEventId": 2, "shinyNewMember": 1},
        }
    )
    assert event == TimerFired(
        event_id=3, timestamp=datetime.fromtimestamp(T0, UTC), timer_id="t", started_event_id=2
    )


def test_members_a_server_left_out_read_as_empty() -> None:
    """moto leaves out every falsy value (``input: ""``), even of members SWF always sends."""
    event = parse_event({"eventId": 9, "eventType": "ActivityTaskCompleted", "eventTimestamp": T0})
    assert isinstance(event, ActivityTaskCompleted)
    assert (event.scheduled_event_id, event.started_event_id, event.result) == (0, 0, None)
    started = parse_event({"eventId": 1, "eventType": "WorkflowExecutionStarted", "eventTimestamp": T0})
    assert isinstance(started, WorkflowExecutionStarted)
    assert (started.child_policy, started.task_list, started.workflow_type) == ("", "", TypeRef("", ""))
    assert started.tag_list is None


def test_motos_timer_cancelled_is_a_timer_canceled() -> None:
    raw = {
        "eventId": 7,
        "eventType": "TimerCancelled",  # sic: moto's spelling
        "eventTimestamp": T0,
        "timerCancelledEventAttributes": {
            "timerId": "t1",
            "startedEventId": 5,
            "decisionTaskCompletedEventId": 6,
        },
    }
    expected = TimerCanceled(
        event_id=7,
        timestamp=datetime.fromtimestamp(T0, UTC),
        timer_id="t1",
        started_event_id=5,
        decision_task_completed_event_id=6,
    )
    assert parse_event(raw) == expected  # raw JSON keeps the attributes
    [botocore_event] = through_botocore(raw)
    assert "timerCancelledEventAttributes" not in botocore_event  # not in botocore's model
    assert parse_event(botocore_event) == TimerCanceled(
        event_id=7,
        timestamp=expected.timestamp,
        timer_id="",
        started_event_id=0,
        decision_task_completed_event_id=0,
    )


def test_an_unknown_event_type_does_not_crash() -> None:
    raw = {
        "eventId": 11,
        "eventType": "WorkflowExecutionTeleported",
        "eventTimestamp": T0,
        "workflowExecutionTeleportedEventAttributes": {"destination": "mars", "eta": 3},
    }
    event = parse_event(raw)
    assert isinstance(event, UnknownEvent)
    assert (event.event_id, event.type_name, event.event_type) == (
        11,
        "WorkflowExecutionTeleported",
        "UnknownEvent",
    )
    assert dict(event.attributes) == {"destination": "mars", "eta": 3}
    with pytest.raises(TypeError):
        event.attributes["destination"] = "venus"  # type: ignore[index]
    [botocore_event] = through_botocore(raw)
    unknown = parse_event(botocore_event)
    assert isinstance(unknown, UnknownEvent) and dict(unknown.attributes) == {}
    assert unknown.type_name == "WorkflowExecutionTeleported"


def test_what_is_not_an_event_is_refused() -> None:
    with pytest.raises(ValueError, match="eventId"):
        parse_event({"eventType": "TimerFired", "eventTimestamp": T0})
    with pytest.raises(ValueError, match="eventTimestamp"):
        parse_events([{"eventId": 1, "eventType": "TimerFired"}])
    with pytest.raises(ValueError, match="eventType"):
        parse_event({"eventId": 1, "eventTimestamp": T0})


def test_events_are_immutable_hashable_values_that_match() -> None:
    raw, _ = raw_event("TimerFired", Samples())
    event = parse_event(raw)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.event_id = 1  # type: ignore[misc]
    assert hash(event) == hash(parse_event(raw))
    match event:
        case TimerFired(timer_id=timer_id, started_event_id=started):
            assert (timer_id, started) == (raw["timerFiredEventAttributes"]["timerId"], 102)
        case _:  # pragma: no cover
            pytest.fail("no match")


def test_parse_events_keeps_the_order() -> None:
    raws = [raw_event(name, Samples())[0] | {"eventId": n} for n, name in enumerate(EVENT_TYPES, 1)]
    events = parse_events(iter(raws))
    assert [e.event_type for e in events] == EVENT_TYPES
    assert [e.event_id for e in events] == list(range(1, 55))


# The public names.


def _iter_exports() -> Iterator[str]:
    yield "EVENT_CLASSES"
    yield from sorted([*EVENT_TYPES, "Event", "ExecutionRef", "TypeRef", "UnknownEvent"])
    yield from ["parse_event", "parse_events"]


def test_events_exports_are_pinned() -> None:
    assert list(aioswf.events.__all__) == list(_iter_exports())


def test_history_exports_are_pinned() -> None:
    assert aioswf.history.__all__ == [
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
    for name in aioswf.history.__all__:
        assert hasattr(aioswf.history, name)
