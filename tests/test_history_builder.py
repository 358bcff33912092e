"""HistoryBuilder: histories in botocore's shape, with SWF's cross-references, built in memory."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, ServiceModel, Shape, StructureShape
from botocore.validate import ParamValidator

import aioswf.testing
from aioswf.actors import DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, ScheduleActivityTask
from aioswf.models import ActivityType, Domain, WorkflowType
from aioswf.testing import HistoryBuilder


@functools.cache
def swf_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("swf")


def enum_errors(shape: Shape, value: Any, path: str) -> list[str]:
    """botocore's validator does not check enums; this does, recursively."""
    errors: list[str] = []
    if shape.type_name == "string" and "enum" in shape.metadata and value not in shape.enum:
        errors.append(f"{path}: {value!r} is not one of {shape.enum}")
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                errors.extend(enum_errors(member, value[name], f"{path}.{name}"))
    if isinstance(shape, ListShape) and isinstance(value, list):
        for index, item in enumerate(value):
            errors.extend(enum_errors(shape.member, item, f"{path}[{index}]"))
    return errors


def attributes_key(event_type: str) -> str:
    return event_type[0].lower() + event_type[1:] + "EventAttributes"


def model_errors(event: dict[str, Any]) -> list[str]:
    """Everything botocore's model says is wrong with one event dict."""
    shape = swf_model().shape_for("HistoryEvent")
    report = ParamValidator().validate(event, shape)
    errors = [report.generate_report()] if report.has_errors() else []
    errors += enum_errors(shape, event, f"event {event.get('eventId')}")
    key = attributes_key(event["eventType"])
    if key not in shape.members:
        errors.append(f"{key} is not an attributes member of HistoryEvent")
    attributes = [name for name in event if name.endswith("EventAttributes")]
    if attributes != [key]:
        errors.append(f"event {event['eventId']} has attributes {attributes}, expected [{key!r}]")
    else:
        members = shape.members[key]
        missing = set(members.required_members) - set(event[key])
        unknown = set(event[key]) - set(members.members)
        if missing or unknown:
            errors.append(f"{key}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return errors


#: The event a cross-reference must point at, by the referring event's family and the attribute.
REFERENCES = {
    "decisionTaskCompletedEventId": {"": "DecisionTaskCompleted"},
    "scheduledEventId": {"DecisionTask": "DecisionTaskScheduled", "ActivityTask": "ActivityTaskScheduled"},
    "startedEventId": {
        "DecisionTask": "DecisionTaskStarted",
        "ActivityTask": "ActivityTaskStarted",
        "Timer": "TimerStarted",
        "ChildWorkflowExecution": "ChildWorkflowExecutionStarted",
    },
    "initiatedEventId": {
        "ChildWorkflowExecution": "StartChildWorkflowExecutionInitiated",
        "StartChildWorkflowExecution": "StartChildWorkflowExecutionInitiated",
        "ExternalWorkflowExecutionSignaled": "SignalExternalWorkflowExecutionInitiated",
        "ExternalWorkflowExecutionCancelRequested": "RequestCancelExternalWorkflowExecutionInitiated",
    },
    "latestCancelRequestedEventId": {"ActivityTask": "ActivityTaskCancelRequested"},
}


def reference_errors(events: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    by_id = {event["eventId"]: event for event in events}
    for position, event in enumerate(events, 1):
        if event["eventId"] != position:
            errors.append(f"event {position} has id {event['eventId']}")
        attributes = event[attributes_key(event["eventType"])]
        for name, families in REFERENCES.items():
            if name not in attributes:
                continue
            target = attributes[name]
            if target == 0 and event["eventType"] in ("ActivityTaskTimedOut", "ActivityTaskCanceled"):
                continue  # a task that never started
            family = max((f for f in families if f in event["eventType"]), key=len, default=None)
            if family is None:
                errors.append(f"event {position} ({event['eventType']}) has an unexpected {name}")
                continue
            if not 0 < target < position or by_id[target]["eventType"] != families[family]:
                errors.append(f"event {position} ({event['eventType']}).{name} = {target}")
    stamps = [event["eventTimestamp"] for event in events]
    if stamps != sorted(stamps) or any(stamp.tzinfo is None for stamp in stamps):
        errors.append("timestamps are not aware and in order")
    return errors


def every_kind_of_event() -> HistoryBuilder:
    """One history that uses every method of the builder."""
    domain = Domain("d")
    builder = (
        HistoryBuilder()
        .start(
            input='{"n":1}',
            workflow_type=WorkflowType(domain, "wf", "1"),
            tag_list=["t1"],
            parent=("parent-id", "parent-run"),
            parent_initiated_event_id=7,
        )
        .decision_task(execution_context="ctx")
        .schedule_activity("a1", ActivityType(domain, "act", "1"), input="in", control="c", task_priority=2)
        .schedule_activity("a2", heartbeat_timeout=30)
        .schedule_activity("a3")
        .schedule_activity("a4")
        .schedule_activity("a5")
        .schedule_activity_failed("bad", ("missing", "1"))
        .start_timer("t1", 60, control="c")
        .start_timer("t2", timedelta(hours=1))
        .record_marker("m1", "details")
        .initiate_child_workflow("c1", ("child", "1"), input="ci")
        .initiate_child_workflow("c2")
        .initiate_child_workflow("c3")
        .initiate_child_workflow("c4")
        .initiate_child_workflow("c5")
        .initiate_child_workflow("c6")
        .signal_external_workflow("other", "go", run_id="r", input="i", control="c")
        .request_cancel_external_workflow("other", control="c")
        .start_activity("a1")
        .complete_activity("a1", "result")
        .start_activity("a2")
        .fail_activity("a2", "reason", "details")
        .start_activity("a3")
        .time_out_activity("a3", "HEARTBEAT", details="last beat")
        .time_out_activity("a4", "SCHEDULE_TO_START")
        .fire_timer("t1")
        .start_child_workflow("c1", "c1-run")
        .complete_child_workflow("c1", "child result")
        .start_child_workflow("c2")
        .fail_child_workflow("c2", "r", "d")
        .start_child_workflow("c3")
        .time_out_child_workflow("c3")
        .start_child_workflow("c4")
        .cancel_child_workflow("c4", "d")
        .start_child_workflow("c5")
        .terminate_child_workflow("c5")
        .fail_to_start_child_workflow("c6")
        .external_workflow_signaled("other")
        .external_workflow_cancel_requested("other")
        .signal(
            "poke", "signal input", external_workflow_execution=("other", "r"), external_initiated_event_id=3
        )
        .request_cancel_workflow()
        .decision_task()
        .request_cancel_activity("a5")
        .cancel_timer("t2")
        .decision_task(current=True)
        .time_out_decision_task()
        .decision_task()
        .cancel_activity("a5", "canceled")
        .add_event("LambdaFunctionScheduled", {"id": "l1", "name": "fn", "decisionTaskCompletedEventId": 4})
        .decision_task()
    )
    return builder


#: The event types :func:`every_kind_of_event` writes, besides the one that closes the execution.
BUILT_KINDS = {
    "ActivityTaskCancelRequested",
    "ActivityTaskCanceled",
    "ActivityTaskCompleted",
    "ActivityTaskFailed",
    "ActivityTaskScheduled",
    "ActivityTaskStarted",
    "ActivityTaskTimedOut",
    "ChildWorkflowExecutionCanceled",
    "ChildWorkflowExecutionCompleted",
    "ChildWorkflowExecutionFailed",
    "ChildWorkflowExecutionStarted",
    "ChildWorkflowExecutionTerminated",
    "ChildWorkflowExecutionTimedOut",
    "DecisionTaskCompleted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskTimedOut",
    "ExternalWorkflowExecutionCancelRequested",
    "ExternalWorkflowExecutionSignaled",
    "LambdaFunctionScheduled",
    "MarkerRecorded",
    "RequestCancelExternalWorkflowExecutionInitiated",
    "ScheduleActivityTaskFailed",
    "SignalExternalWorkflowExecutionInitiated",
    "StartChildWorkflowExecutionFailed",
    "StartChildWorkflowExecutionInitiated",
    "TimerCanceled",
    "TimerFired",
    "TimerStarted",
    "WorkflowExecutionCancelRequested",
    "WorkflowExecutionSignaled",
    "WorkflowExecutionStarted",
}
CLOSE_KINDS = {
    "WorkflowExecutionCompleted",
    "WorkflowExecutionFailed",
    "WorkflowExecutionCanceled",
    "WorkflowExecutionContinuedAsNew",
    "WorkflowExecutionTerminated",
    "WorkflowExecutionTimedOut",
}


@pytest.mark.parametrize(
    "close",
    [
        lambda b: b.complete_workflow("result"),
        lambda b: b.fail_workflow("reason", "details"),
        lambda b: b.cancel_workflow("details"),
        lambda b: b.continue_as_new("run-2", input="next"),
        lambda b: b.terminate_workflow("why", "details", cause="OPERATOR_INITIATED"),
        lambda b: b.time_out_workflow(),
    ],
    ids=["complete", "fail", "cancel", "continue_as_new", "terminate", "time_out"],
)
def test_every_event_passes_the_model(close: Any) -> None:
    builder = close(every_kind_of_event())
    events = builder.events
    errors = [error for event in events for error in model_errors(event)]
    assert errors == []
    assert reference_errors(events) == []
    kinds = {event["eventType"] for event in events}
    assert kinds - {events[-1]["eventType"]} == BUILT_KINDS
    assert events[-1]["eventType"] in CLOSE_KINDS
    assert kinds <= set(swf_model().shape_for("EventType").enum)


def test_the_validation_above_can_fail() -> None:
    """The checks of the test above catch what they are meant to catch."""
    event = HistoryBuilder().start().events[0]
    assert model_errors(event) == []
    broken = {**event, "workflowExecutionStartedEventAttributes": {"childPolicy": "TERMINATE"}}
    assert model_errors(broken)
    assert model_errors({**event, "eventType": "WorkflowExecutionTerminate"})
    assert model_errors({**event, "timerFiredEventAttributes": {"timerId": "t", "startedEventId": 1}})
    wrong_enum = {
        **event,
        "workflowExecutionStartedEventAttributes": {
            **event["workflowExecutionStartedEventAttributes"],
            "childPolicy": "KILL",
        },
    }
    assert model_errors(wrong_enum)
    events = HistoryBuilder().start().decision_task().events
    events[3] = {
        **events[3],
        "decisionTaskCompletedEventAttributes": {"scheduledEventId": 3, "startedEventId": 2},
    }
    assert len(reference_errors(events)) == 2


def test_a_first_workflow_in_detail() -> None:
    start = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    builder = (
        HistoryBuilder(start_time=start, step=timedelta(milliseconds=10))
        .start(input="world", workflow_type=("Greet", "1.0"), task_list="decisions", workflow_id="greet-1")
        .decision_task()
        .schedule_activity("hello", ("Hello", "1.0"), input="world", task_list="activities")
        .start_activity("hello")
        .complete_activity("hello", result="hello, world")
        .decision_task(current=True)
    )
    events = builder.events
    assert [(e["eventId"], e["eventType"]) for e in events] == [
        (1, "WorkflowExecutionStarted"),
        (2, "DecisionTaskScheduled"),
        (3, "DecisionTaskStarted"),
        (4, "DecisionTaskCompleted"),
        (5, "ActivityTaskScheduled"),
        (6, "ActivityTaskStarted"),
        (7, "ActivityTaskCompleted"),
        (8, "DecisionTaskScheduled"),
        (9, "DecisionTaskStarted"),
    ]
    assert events[0] == {
        "eventId": 1,
        "eventType": "WorkflowExecutionStarted",
        "eventTimestamp": start,
        "workflowExecutionStartedEventAttributes": {
            "workflowType": {"name": "Greet", "version": "1.0"},
            "taskList": {"name": "decisions"},
            "childPolicy": "TERMINATE",
            "executionStartToCloseTimeout": "3600",
            "taskStartToCloseTimeout": "300",
            "input": "world",
        },
    }
    assert events[3]["decisionTaskCompletedEventAttributes"] == {"scheduledEventId": 2, "startedEventId": 3}
    assert events[4]["activityTaskScheduledEventAttributes"] == {
        "activityType": {"name": "Hello", "version": "1.0"},
        "activityId": "hello",
        "taskList": {"name": "activities"},
        "scheduleToCloseTimeout": "600",
        "scheduleToStartTimeout": "300",
        "startToCloseTimeout": "300",
        "heartbeatTimeout": "NONE",
        "decisionTaskCompletedEventId": 4,
        "input": "world",
    }
    assert events[6]["activityTaskCompletedEventAttributes"] == {
        "scheduledEventId": 5,
        "startedEventId": 6,
        "result": "hello, world",
    }
    assert events[8]["eventTimestamp"] == start + timedelta(milliseconds=80)
    assert (builder.previous_started_event_id, builder.started_event_id, builder.last_event_id) == (3, 9, 9)

    answer = builder.as_poll_response(task_token="token-1")
    output = swf_model().operation_model("PollForDecisionTask").output_shape
    report = ParamValidator().validate(answer, output)
    assert not report.has_errors(), report.generate_report()
    assert answer["taskToken"] == "token-1"
    assert answer["workflowExecution"] == {"workflowId": "greet-1", "runId": "run-1"}
    assert answer["workflowType"] == {"name": "Greet", "version": "1.0"}
    assert (answer["previousStartedEventId"], answer["startedEventId"]) == (3, 9)
    assert answer["events"] == events and answer["events"] is not builder.events


def greet(task: DecisionTask) -> list[Decision]:
    """The README's decider logic, on typed decisions."""
    state = task.history.compile()
    hello = state.activities.get("hello")
    if hello is not None and hello.status == "completed":
        return [CompleteWorkflowExecution(result=hello.result)]
    return [
        ScheduleActivityTask(activity_type=("Hello", "1.0"), activity_id="hello", input=state.execution.input)
    ]


def test_unit_testing_a_decider() -> None:
    first = HistoryBuilder().start(input="world").decision_task(current=True).as_decision_task("my-domain")
    assert isinstance(first, DecisionTask)
    assert first.workflow_execution.domain.name == "my-domain"
    assert (first.previous_started_event_id, first.started_event_id) == (0, 3)
    assert [e.event_id for e in first.new_events] == [1, 2, 3]
    assert greet(first) == [
        ScheduleActivityTask(activity_type=("Hello", "1.0"), activity_id="hello", input="world")
    ]

    later = (
        HistoryBuilder()
        .start(input="world")
        .decision_task()
        .schedule_activity("hello", ("Hello", "1.0"), input="world")
        .start_activity("hello")
        .complete_activity("hello", "hello, world")
        .decision_task(current=True)
        .as_decision_task()
    )
    assert [e.event_type for e in later.new_events] == [
        "DecisionTaskCompleted",
        "ActivityTaskScheduled",
        "ActivityTaskStarted",
        "ActivityTaskCompleted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    assert greet(later) == [CompleteWorkflowExecution(result="hello, world")]


def test_a_signal_while_a_decision_task_runs() -> None:
    """SWF schedules the next decision task while one is started; the decision's effects still
    follow its completion, and the scheduled task is the one started next."""
    builder = (
        HistoryBuilder()
        .start()
        .decision_task(current=True)
        .signal("poke", "now")
        .schedule_decision_task()
        .schedule_decision_task()  # at most one scheduled: no second event
        .complete_decision_task()
        .start_timer("wait", 30)
        .decision_task(current=True)
    )
    assert [e["eventType"] for e in builder.events] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "DecisionTaskCompleted",
        "TimerStarted",
        "DecisionTaskStarted",
    ]
    events = builder.events
    assert events[3]["workflowExecutionSignaledEventAttributes"] == {"signalName": "poke", "input": "now"}
    assert events[5]["decisionTaskCompletedEventAttributes"] == {"scheduledEventId": 2, "startedEventId": 3}
    assert events[6]["timerStartedEventAttributes"]["decisionTaskCompletedEventId"] == 6
    assert events[7]["decisionTaskStartedEventAttributes"]["scheduledEventId"] == 5
    assert (builder.previous_started_event_id, builder.started_event_id) == (3, 8)
    assert reference_errors(events) == []


def test_a_timed_out_decision_task_is_not_a_previous_one() -> None:
    builder = HistoryBuilder().start().decision_task().decision_task(current=True).time_out_decision_task()
    assert builder.started_event_id == 0
    with pytest.raises(ValueError, match="no decision task is in progress"):
        builder.as_poll_response()
    builder.decision_task(current=True)
    assert [e["eventType"] for e in builder.events][-4:] == [
        "DecisionTaskStarted",
        "DecisionTaskTimedOut",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    assert builder.events[6]["decisionTaskTimedOutEventAttributes"] == {
        "timeoutType": "START_TO_CLOSE",
        "scheduledEventId": 5,
        "startedEventId": 6,
    }
    assert (builder.previous_started_event_id, builder.started_event_id) == (3, 9)
    with pytest.raises(ValueError, match="decision's effect"):
        builder.record_marker("late")  # the timed-out task's decisions were never applied


def test_timers_fire_at_their_deadline() -> None:
    builder = (
        HistoryBuilder().start().decision_task().start_timer("t", timedelta(minutes=5)).start_timer("u", 1)
    )
    started_at = builder.events[-2]["eventTimestamp"]
    builder.fire_timer("u").fire_timer("t")
    fired = builder.events[-1]
    assert fired["timerFiredEventAttributes"] == {"timerId": "t", "startedEventId": 5}
    assert fired["eventTimestamp"] == started_at + timedelta(minutes=5)
    builder.advance(timedelta(hours=1)).signal("s")  # one step (1 s) after the firing, and an hour
    assert builder.events[-1]["eventTimestamp"] == started_at + timedelta(hours=1, minutes=5, seconds=1)


def test_retries_reuse_an_activity_id_once_closed() -> None:
    builder = (
        HistoryBuilder()
        .start()
        .decision_task()
        .schedule_activity("a")
        .start_activity("a")
        .fail_activity("a", "flaky")
        .decision_task()
        .schedule_activity("a")
    )
    scheduled = [e["eventId"] for e in builder.events if e["eventType"] == "ActivityTaskScheduled"]
    assert scheduled == [5, 11]
    builder.start_activity("a").complete_activity("a", "ok")
    assert builder.events[-1]["activityTaskCompletedEventAttributes"] == {
        "scheduledEventId": 11,
        "startedEventId": 12,
        "result": "ok",
    }


def test_what_swf_would_never_write_is_refused() -> None:
    started = HistoryBuilder().start()
    with pytest.raises(ValueError, match="begins with start"):
        HistoryBuilder().signal("s")
    with pytest.raises(ValueError, match="has begun"):
        started.start()
    with pytest.raises(ValueError, match="decision's effect"):
        started.schedule_activity("a")
    with pytest.raises(ValueError, match="no decision task is scheduled"):
        started.start_decision_task()
    with pytest.raises(ValueError, match="no decision task is started"):
        started.complete_decision_task()

    decided = HistoryBuilder().start().decision_task().schedule_activity("a").start_timer("t")
    with pytest.raises(ValueError, match="open already"):
        decided.schedule_activity("a")
    with pytest.raises(ValueError, match="running already"):
        decided.start_timer("t")
    with pytest.raises(ValueError, match="was not started"):
        decided.complete_activity("a")
    with pytest.raises(ValueError, match="cannot time out START_TO_CLOSE"):
        decided.time_out_activity("a")
    with pytest.raises(ValueError, match="no open activity"):
        decided.start_activity("b")
    with pytest.raises(ValueError, match="no running timer"):
        decided.fire_timer("nope")
    decided.start_activity("a")
    with pytest.raises(ValueError, match="started already"):
        decided.start_activity("a")
    decided.signal("s").schedule_decision_task()
    with pytest.raises(ValueError, match="decision's effect"):
        decided.record_marker("m")  # a new decision task is scheduled: the last one's effects are done
    with pytest.raises(ValueError, match="decision's effect"):
        decided.complete_workflow()
    with pytest.raises(ValueError, match="no open child workflow"):
        decided.start_child_workflow("kid")
    with pytest.raises(ValueError, match="outstanding"):
        decided.external_workflow_signaled("other")
    with pytest.raises(ValueError, match="decision task is in progress"):
        decided.as_poll_response()

    closed = decided.decision_task().complete_workflow("done")
    assert closed.events[-1]["workflowExecutionCompletedEventAttributes"] == {
        "result": "done",
        "decisionTaskCompletedEventId": closed.last_event_id - 1,
    }
    with pytest.raises(ValueError, match="closed"):
        closed.signal("late")
    with pytest.raises(ValueError, match="aware"):
        HistoryBuilder(start_time=datetime(2024, 1, 1))


def test_payloads_are_strings() -> None:
    with pytest.raises(aioswf.exceptions.ValidationError):
        HistoryBuilder().start(input={"n": 1})  # type: ignore[arg-type]


def test_child_workflows_in_detail() -> None:
    builder = (
        HistoryBuilder()
        .start()
        .decision_task()
        .initiate_child_workflow("kid", ("child", "2"), input="ci")
        .start_child_workflow("kid", "kid-run")
        .complete_child_workflow("kid", "grown up")
    )
    initiated, started, completed = builder.events[-3:]
    assert (
        initiated["startChildWorkflowExecutionInitiatedEventAttributes"]["decisionTaskCompletedEventId"] == 4
    )
    assert started["childWorkflowExecutionStartedEventAttributes"] == {
        "workflowExecution": {"workflowId": "kid", "runId": "kid-run"},
        "workflowType": {"name": "child", "version": "2"},
        "initiatedEventId": 5,
    }
    assert completed["childWorkflowExecutionCompletedEventAttributes"] == {
        "workflowExecution": {"workflowId": "kid", "runId": "kid-run"},
        "workflowType": {"name": "child", "version": "2"},
        "initiatedEventId": 5,
        "startedEventId": 6,
        "result": "grown up",
    }
    with pytest.raises(ValueError, match="no open child workflow"):
        builder.fail_child_workflow("kid")  # closed already


def test_exported_from_aioswf_testing() -> None:
    from aioswf.testing import _history

    assert "HistoryBuilder" in aioswf.testing.__all__
    assert aioswf.testing.HistoryBuilder is _history.HistoryBuilder
    assert list(aioswf.testing.__all__) == sorted(aioswf.testing.__all__, key=lambda n: (not n.isupper(), n))


def test_the_clock_only_moves_forward() -> None:
    builder = HistoryBuilder().start()
    with pytest.raises(ValueError, match="only moves forward"):
        builder.advance(-5)
    with pytest.raises(ValueError, match="only moves forward"):
        builder.advance(timedelta(seconds=-1))
    builder.advance(0).advance(timedelta(minutes=1)).decision_task()
    stamps = [event["eventTimestamp"] for event in builder.events]
    assert stamps == sorted(stamps) and stamps[-1] - stamps[0] >= timedelta(minutes=1)
