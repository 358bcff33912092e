"""Decisions: every one of SWF's 13 passes botocore's validation, checks itself, and works on moto."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import anyio
import botocore.session
import pytest
from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StructureShape
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator

import aioswf
import aioswf.decisions
from aioswf.actors import ActivityWorker, Decider
from aioswf.decisions import (
    CLOSE_DECISION_TYPES,
    MAX_REQUEST_BODY_BYTES,
    MAX_REQUEST_BYTES,
    CancelTimer,
    CancelWorkflowExecution,
    CompleteWorkflowExecution,
    ContinueAsNewWorkflowExecution,
    Decision,
    FailWorkflowExecution,
    RecordMarker,
    RequestCancelActivityTask,
    RequestCancelExternalWorkflowExecution,
    ScheduleActivityTask,
    ScheduleLambdaFunction,
    SignalExternalWorkflowExecution,
    StartChildWorkflowExecution,
    StartTimer,
    check_decisions,
    from_swf,
)
from aioswf.exceptions import ValidationError
from aioswf.models import ActivityType, Domain, WorkflowType

DOMAIN = Domain("unit-domain")
RESIZE = ActivityType(DOMAIN, "resize", "2")
CHILD = WorkflowType(DOMAIN, "child", "3")

#: The fewest arguments each decision takes.
MINIMAL: dict[type[Decision], dict[str, Any]] = {
    ScheduleActivityTask: {"activity_type": ("resize", "2"), "activity_id": "a1"},
    RequestCancelActivityTask: {"activity_id": "a1"},
    CompleteWorkflowExecution: {},
    FailWorkflowExecution: {},
    CancelWorkflowExecution: {},
    ContinueAsNewWorkflowExecution: {},
    RecordMarker: {"marker_name": "m"},
    StartTimer: {"timer_id": "t1", "start_to_fire_timeout": 30},
    CancelTimer: {"timer_id": "t1"},
    SignalExternalWorkflowExecution: {"workflow_id": "other", "signal_name": "go"},
    RequestCancelExternalWorkflowExecution: {"workflow_id": "other"},
    StartChildWorkflowExecution: {"workflow_type": ("child", "3"), "workflow_id": "kid"},
    ScheduleLambdaFunction: {"id": "l1", "name": "my-function"},
}

ROLE = "arn:aws:iam::123456789012:role/swf-lambda"

#: Every argument each decision takes, set.
FULL: dict[type[Decision], dict[str, Any]] = {
    ScheduleActivityTask: {
        "activity_type": RESIZE,
        "activity_id": "a1",
        "input": "日本語 ✓",
        "control": "c",
        "task_list": "activities",
        "task_priority": -5,
        "schedule_to_close_timeout": timedelta(minutes=10),
        "schedule_to_start_timeout": 60,
        "start_to_close_timeout": timedelta(seconds=300),
        "heartbeat_timeout": "NONE",
    },
    RequestCancelActivityTask: {"activity_id": "a1"},
    CompleteWorkflowExecution: {"result": "done"},
    FailWorkflowExecution: {"reason": "boom", "details": "traceback"},
    CancelWorkflowExecution: {"details": "asked to"},
    ContinueAsNewWorkflowExecution: {
        "input": "{}",
        "execution_start_to_close_timeout": timedelta(days=1),
        "task_list": "decisions",
        "task_priority": 3,
        "task_start_to_close_timeout": 30,
        "child_policy": "ABANDON",
        "tag_list": ["a", "b"],
        "workflow_type_version": "2",
        "lambda_role": ROLE,
    },
    RecordMarker: {"marker_name": "m", "details": "d"},
    StartTimer: {"timer_id": "t1", "start_to_fire_timeout": timedelta(hours=1), "control": "c"},
    CancelTimer: {"timer_id": "t1"},
    SignalExternalWorkflowExecution: {
        "workflow_id": "other",
        "signal_name": "go",
        "run_id": "run-9",
        "input": "payload",
        "control": "c",
    },
    RequestCancelExternalWorkflowExecution: {"workflow_id": "other", "run_id": "run-9", "control": "c"},
    StartChildWorkflowExecution: {
        "workflow_type": CHILD,
        "workflow_id": "kid",
        "input": "i",
        "control": "c",
        "execution_start_to_close_timeout": 3600,
        "task_list": "children",
        "task_priority": 7,
        "task_start_to_close_timeout": "NONE",
        "child_policy": "REQUEST_CANCEL",
        "tag_list": ["x"],
        "lambda_role": ROLE,
    },
    ScheduleLambdaFunction: {
        "id": "l1",
        "name": "my-function",
        "input": '{"k":1}',
        "control": "c",
        "start_to_close_timeout": 120,
    },
}

CLASSES = list(MINIMAL)


@functools.cache
def swf_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("swf")


def respond_operation() -> OperationModel:
    return swf_model().operation_model("RespondDecisionTaskCompleted")


def attributes_shape(cls: type[Decision]) -> StructureShape:
    key = cls.decision_type[0].lower() + cls.decision_type[1:] + "DecisionAttributes"
    shape: StructureShape = swf_model().shape_for("Decision").members[key]
    return shape


def botocore_errors(decisions: list[dict[str, Any]]) -> str:
    report = ParamValidator().validate(
        {"taskToken": "t", "decisions": decisions}, respond_operation().input_shape
    )
    return str(report.generate_report()) if report.has_errors() else ""


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def test_there_is_one_class_per_decision_type_of_the_model() -> None:
    assert sorted(cls.decision_type for cls in CLASSES) == sorted(swf_model().shape_for("DecisionType").enum)
    assert {cls.__name__ for cls in CLASSES} == {cls.decision_type for cls in CLASSES}
    assert len(CLASSES) == 13
    assert not hasattr(aioswf.decisions, "TerminateWorkflowExecution")
    assert {cls.decision_type for cls in CLASSES if cls.closes_workflow} == CLOSE_DECISION_TYPES
    assert {
        "CompleteWorkflowExecution",
        "FailWorkflowExecution",
        "CancelWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
    } == CLOSE_DECISION_TYPES


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_fields_are_the_model_attributes_in_snake_case(cls: type[Decision]) -> None:
    fields = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    assert fields == {snake(member) for member in attributes_shape(cls).members}


@pytest.mark.parametrize("arguments", [MINIMAL, FULL], ids=["minimal", "full"])
@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_botocore_accepts_every_decision(cls: type[Decision], arguments: dict[type[Decision], Any]) -> None:
    decision = cls(**arguments[cls])
    assert botocore_errors([decision.to_swf()]) == ""
    assert botocore_errors(check_decisions([decision])) == ""


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_a_full_decision_sends_every_attribute_of_the_model(cls: type[Decision]) -> None:
    sent = cls(**FULL[cls]).to_swf()
    key = cls.decision_type[0].lower() + cls.decision_type[1:] + "DecisionAttributes"
    assert set(sent) == {"decisionType", key}
    assert sent["decisionType"] == cls.decision_type
    assert set(sent[key]) == set(attributes_shape(cls).members)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_unset_options_are_left_out_never_null(cls: type[Decision]) -> None:
    sent = cls(**MINIMAL[cls]).to_swf()
    attributes = next(value for key, value in sent.items() if key != "decisionType")
    assert set(attributes) == set(attributes_shape(cls).required_members)
    assert "null" not in json.dumps(sent)


@pytest.mark.parametrize("arguments", [MINIMAL, FULL], ids=["minimal", "full"])
@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_round_trip_through_swf_dicts(cls: type[Decision], arguments: dict[type[Decision], Any]) -> None:
    decision = cls(**arguments[cls])
    sent = decision.to_swf()
    back = from_swf(sent)
    assert type(back) is cls
    assert back == decision
    assert back.to_swf() == sent
    assert from_swf(json.loads(json.dumps(sent))) == decision  # as it would come off the wire


def test_from_swf_refuses_what_is_not_a_decision() -> None:
    with pytest.raises(ValidationError) as caught:
        from_swf({"decisionType": "TerminateWorkflowExecution"})
    assert caught.value.field == "decisionType"
    with pytest.raises(ValidationError) as caught:
        from_swf({"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": "t", "x": 1}})
    assert caught.value.field == "x"
    with pytest.raises(ValidationError) as caught:
        from_swf({"decisionType": "CancelTimer", "startTimerDecisionAttributes": {"timerId": "t"}})
    assert caught.value.field == "startTimerDecisionAttributes"
    with pytest.raises(ValidationError) as caught:  # read back, a decision is validated like any other
        from_swf({"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": "a:b"}})
    assert caught.value.field == "timer_id"


def test_schedule_activity_task_in_swf_shape() -> None:
    assert ScheduleActivityTask(**FULL[ScheduleActivityTask]).to_swf() == {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "resize", "version": "2"},
            "activityId": "a1",
            "input": "日本語 ✓",
            "control": "c",
            "taskList": {"name": "activities"},
            "taskPriority": "-5",
            "scheduleToCloseTimeout": "600",
            "scheduleToStartTimeout": "60",
            "startToCloseTimeout": "300",
            "heartbeatTimeout": "NONE",
        },
    }


def test_child_and_continue_as_new_in_swf_shape() -> None:
    child = StartChildWorkflowExecution(**FULL[StartChildWorkflowExecution]).to_swf()
    assert child["startChildWorkflowExecutionDecisionAttributes"] == {
        "workflowType": {"name": "child", "version": "3"},
        "workflowId": "kid",
        "input": "i",
        "control": "c",
        "executionStartToCloseTimeout": "3600",
        "taskList": {"name": "children"},
        "taskPriority": "7",
        "taskStartToCloseTimeout": "NONE",
        "childPolicy": "REQUEST_CANCEL",
        "tagList": ["x"],
        "lambdaRole": ROLE,
    }
    new = ContinueAsNewWorkflowExecution(**FULL[ContinueAsNewWorkflowExecution]).to_swf()
    attributes = new["continueAsNewWorkflowExecutionDecisionAttributes"]
    assert attributes["executionStartToCloseTimeout"] == "86400"
    assert attributes["tagList"] == ["a", "b"]
    assert attributes["workflowTypeVersion"] == "2"


def test_types_are_kept_as_name_and_version() -> None:
    from_model = ScheduleActivityTask(activity_type=RESIZE, activity_id="a")
    from_pair = ScheduleActivityTask(activity_type=("resize", "2"), activity_id="a")
    from_key = ScheduleActivityTask(activity_type=RESIZE.key, activity_id="a")
    assert from_model.activity_type == ("resize", "2")
    assert from_model == from_pair == from_key
    assert hash(from_model) == hash(from_pair)
    assert StartChildWorkflowExecution(workflow_type=CHILD, workflow_id="k").workflow_type == ("child", "3")
    with pytest.raises(ValidationError) as caught:
        # A workflow type is not an activity type.
        ScheduleActivityTask(activity_type=CHILD, activity_id="a")  # type: ignore[arg-type]
    assert caught.value.field == "activity_type"
    with pytest.raises(ValidationError) as caught:
        ScheduleActivityTask(activity_type=("resize", ""), activity_id="a")
    assert caught.value.field == "activity_type.version"


def test_timeouts() -> None:
    timer = StartTimer(timer_id="t", start_to_fire_timeout=90)
    assert timer.start_to_fire_timeout == timedelta(seconds=90)
    assert timer == StartTimer(timer_id="t", start_to_fire_timeout=timedelta(minutes=1, seconds=30))
    assert timer.to_swf()["startTimerDecisionAttributes"]["startToFireTimeout"] == "90"
    assert StartTimer(timer_id="t", start_to_fire_timeout=0).to_swf()["startTimerDecisionAttributes"] == {
        "timerId": "t",
        "startToFireTimeout": "0",
    }
    bad: Any
    for bad in (timedelta(seconds=1.5), -1, True, "60", None, "NONE"):
        with pytest.raises(ValidationError) as caught:
            StartTimer(timer_id="t", start_to_fire_timeout=bad)
        assert caught.value.field == "start_to_fire_timeout"
    with pytest.raises(ValidationError) as caught:
        ScheduleActivityTask(activity_type=RESIZE, activity_id="a", heartbeat_timeout="none")  # type: ignore[arg-type]
    assert caught.value.field == "heartbeat_timeout"
    with pytest.raises(ValidationError) as caught:  # SWF's durations have at most 8 digits
        StartTimer(timer_id="t", start_to_fire_timeout=10**8)
    assert (caught.value.field, caught.value.size, caught.value.limit) == ("start_to_fire_timeout", 9, 8)
    longest = StartTimer(timer_id="t", start_to_fire_timeout=10**8 - 1).start_to_fire_timeout
    assert longest == timedelta(seconds=99_999_999)


def test_other_option_checks() -> None:
    with pytest.raises(ValidationError) as caught:
        StartChildWorkflowExecution(workflow_type=CHILD, workflow_id="k", child_policy="KILL")
    assert caught.value.field == "child_policy"
    bad: Any
    for bad in (2**31, -(2**31) - 1, "5", True):
        with pytest.raises(ValidationError) as caught:
            ScheduleActivityTask(activity_type=RESIZE, activity_id="a", task_priority=bad)
        assert caught.value.field == "task_priority"
    with pytest.raises(ValidationError) as caught:
        ContinueAsNewWorkflowExecution(tag_list="one-tag")
    assert caught.value.field == "tag_list"
    with pytest.raises(ValidationError) as caught:
        ContinueAsNewWorkflowExecution(tag_list=["ok", ""])
    assert caught.value.field == "tag_list[1]"


def test_decisions_are_frozen() -> None:
    marker = RecordMarker(marker_name="m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        marker.marker_name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        RecordMarker("m")  # type: ignore[call-arg]  # keyword arguments only


def test_payloads_must_be_strings() -> None:
    with pytest.raises(ValidationError) as caught:
        CompleteWorkflowExecution(result={"answer": 42})  # type: ignore[arg-type]
    assert caught.value.field == "result"
    assert "aioswf.payloads" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        ScheduleActivityTask(activity_type=RESIZE, activity_id="a", input=b"bytes")  # type: ignore[arg-type]
    assert caught.value.field == "input"


# --- lengths: every limit of every decision's attributes, from the model --------------------------


def limited(shape: Shape, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Shape]]:
    if shape.type_name in ("string", "list") and "max" in shape.metadata:
        yield path, shape
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            yield from limited(member, (*path, name))
    elif isinstance(shape, ListShape):
        yield from limited(shape.member, (*path, 0))


def sized_arguments(
    cls: type[Decision], path: tuple[str | int, ...], size: int
) -> tuple[dict[str, Any], str]:
    """The arguments that make the attribute at ``path`` ``size`` long, and the field to report."""
    arguments = dict(MINIMAL[cls])
    top = str(path[0])
    field = snake(top)
    if top in ("activityType", "workflowType"):
        name, version = ("x" * size, "1") if path[1] == "name" else ("a", "x" * size)
        arguments[field] = (name, version)
        return arguments, f"{field}.{path[1]}"
    if top == "taskList":
        arguments[field] = "x" * size
        return arguments, field
    if top == "tagList":
        arguments[field] = ["t"] * size if len(path) == 1 else ["x" * size]
        return arguments, field if len(path) == 1 else f"{field}[0]"
    if field.endswith("timeout"):
        arguments[field] = int("9" * size)
        return arguments, field
    arguments[field] = "x" * size
    return arguments, field


def limit_cases() -> Iterator[Any]:
    for cls in CLASSES:
        for path, shape in limited(attributes_shape(cls)):
            dotted = ".".join(str(part) for part in path)
            yield pytest.param(cls, path, int(shape.metadata["max"]), id=f"{cls.__name__}.{dotted}")


@pytest.mark.parametrize(("cls", "path", "limit"), list(limit_cases()))
def test_every_length_limit_of_the_model(
    cls: type[Decision], path: tuple[str | int, ...], limit: int
) -> None:
    at_limit, _ = sized_arguments(cls, path, limit)
    assert botocore_errors([cls(**at_limit).to_swf()]) == ""
    over, field = sized_arguments(cls, path, limit + 1)
    with pytest.raises(ValidationError) as caught:
        cls(**over)
    error = caught.value
    assert (error.field, error.size, error.limit) == (field, limit + 1, limit)
    assert f"{cls.__name__}.{field}" in str(error)
    assert str(limit + 1) in str(error) and str(limit) in str(error)
    assert isinstance(error, ValueError)


def test_the_limits_that_matter_are_walked() -> None:
    cases = {case.id: case.values[2] for case in limit_cases()}
    assert cases["ScheduleActivityTask.activityId"] == 256
    assert cases["ScheduleActivityTask.input"] == 32768
    assert cases["CompleteWorkflowExecution.result"] == 32768
    assert cases["FailWorkflowExecution.reason"] == 256
    assert cases["FailWorkflowExecution.details"] == 32768
    assert cases["RecordMarker.markerName"] == 256
    assert cases["StartChildWorkflowExecution.tagList"] == 5
    assert cases["ScheduleLambdaFunction.name"] == 64
    assert len(cases) > 50


def test_limits_count_characters() -> None:
    RecordMarker(marker_name="m", details="é" * 32768)  # 65,536 bytes in UTF-8: still allowed
    with pytest.raises(ValidationError):
        RecordMarker(marker_name="m", details="😀" * 32769)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["a:b", "a/b", "a|b", "a\x00b", "tab\there", "a\x7fb", "a\x85b", "arn", ""])
def test_ids_follow_swf_naming_rules(bad: str) -> None:
    for make, field in (
        (lambda: ScheduleActivityTask(activity_type=RESIZE, activity_id=bad), "activity_id"),
        (lambda: StartTimer(timer_id=bad, start_to_fire_timeout=1), "timer_id"),
        (lambda: StartChildWorkflowExecution(workflow_type=CHILD, workflow_id=bad), "workflow_id"),
        (lambda: ScheduleActivityTask(activity_type=RESIZE, activity_id="a", task_list=bad), "task_list"),
    ):
        with pytest.raises(ValidationError) as caught:
            make()
        assert caught.value.field == field


@pytest.mark.parametrize("bad", [" leading", "trailing ", "\u00a0nbsp"])
def test_task_lists_have_no_surrounding_whitespace(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        StartChildWorkflowExecution(workflow_type=CHILD, workflow_id="k", task_list=bad)
    assert caught.value.field == "task_list"
    assert "whitespace" in str(caught.value)


def test_names_that_look_odd_but_are_allowed() -> None:
    for name in ("arnold", "ARN", "a.b-c_d", "日本語", "with inner space", "x" * 256):
        assert (
            ScheduleActivityTask(activity_type=RESIZE, activity_id=name, task_list=name).activity_id == name
        )


def test_required_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduleActivityTask(activity_type=RESIZE, activity_id=None)  # type: ignore[arg-type]
    assert caught.value.field == "activity_id"
    with pytest.raises(ValidationError) as caught:
        RecordMarker(marker_name="")
    assert caught.value.field == "marker_name"
    with pytest.raises(ValidationError) as caught:
        ScheduleLambdaFunction(id="l", name="")
    assert caught.value.field == "name"
    with pytest.raises(TypeError):
        SignalExternalWorkflowExecution(workflow_id="w")  # type: ignore[call-arg]


# --- check_decisions -------------------------------------------------------------------------------


def test_check_decisions_converts_objects_and_dicts() -> None:
    raw = {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "raw"}}
    checked = check_decisions(
        [StartTimer(timer_id="t", start_to_fire_timeout=5), raw, CompleteWorkflowExecution()]
    )
    assert checked == [
        {
            "decisionType": "StartTimer",
            "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "5"},
        },
        raw,
        {"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {}},
    ]
    assert checked[1] is not raw  # a copy: the caller's dict is not shared
    assert check_decisions([]) == []
    assert check_decisions(iter([CancelTimer(timer_id="t")])) == [
        {"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": "t"}}
    ]


def test_check_decisions_refuses_bad_dicts() -> None:
    cases: list[tuple[Any, str]] = [
        ({"decisionType": "TerminateWorkflowExecution"}, "decisions[0].decisionType"),
        ({"scheduleActivityTaskDecisionAttributes": {}}, "decisions[0].decisionType"),
        (
            {"decisionType": "StartTimer", "recordMarkerDecisionAttributes": {"markerName": "m"}},
            "decisions[0]",
        ),
        ({"decisionType": "StartTimer"}, "decisions[0].startTimerDecisionAttributes"),
        (
            {"decisionType": "StartTimer", "startTimerDecisionAttributes": {"timerId": "t"}},
            "decisions[0].startTimerDecisionAttributes.startToFireTimeout",
        ),
        (
            {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": ""}},
            "decisions[0].recordMarkerDecisionAttributes.markerName",
        ),
        ("CompleteWorkflowExecution", "decisions[0]"),
    ]
    for decision, field in cases:
        with pytest.raises(ValidationError) as caught:
            check_decisions([decision])
        assert caught.value.field == field, decision
    with pytest.raises(ValidationError) as caught:
        check_decisions(
            [
                RecordMarker(marker_name="ok"),
                {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "m" * 257}},
            ]
        )
    error = caught.value
    assert (error.field, error.size, error.limit) == (
        "decisions[1].recordMarkerDecisionAttributes.markerName",
        257,
        256,
    )
    # A dict with only optional attributes may leave them out, as SWF allows.
    assert check_decisions([{"decisionType": "CompleteWorkflowExecution"}]) == [
        {"decisionType": "CompleteWorkflowExecution"}
    ]


def test_a_close_decision_must_be_last_and_alone() -> None:
    marker = RecordMarker(marker_name="m")
    for close in (
        CompleteWorkflowExecution(),
        FailWorkflowExecution(reason="r"),
        CancelWorkflowExecution(),
        ContinueAsNewWorkflowExecution(),
    ):
        assert len(check_decisions([marker, marker, close])) == 3
        with pytest.raises(ValidationError) as caught:
            check_decisions([marker, close, marker])
        assert caught.value.field == "decisions[1]"
        assert close.decision_type in str(caught.value)
        assert "last" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        check_decisions([CompleteWorkflowExecution(), FailWorkflowExecution()])
    assert caught.value.field == "decisions[1]"
    assert "CompleteWorkflowExecution" in str(caught.value) and "FailWorkflowExecution" in str(caught.value)
    as_dict = {"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {}}
    with pytest.raises(ValidationError) as caught:
        check_decisions([as_dict, marker])
    assert caught.value.field == "decisions[0]"


def botocore_body_bytes(decisions: list[dict[str, Any]], token: str) -> int:
    request = create_serializer("json").serialize_to_request(
        {"taskToken": token, "decisions": decisions}, respond_operation()
    )
    return len(request["body"])


def test_the_request_size_is_measured_as_botocore_sends_it() -> None:
    token = "k" * 1024  # the longest task token in the model
    decisions = [RecordMarker(marker_name="m", details="x" * 32768) for _ in range(31)]
    empty = RecordMarker(marker_name="m", details="")
    base = botocore_body_bytes(check_decisions([*decisions, empty], task_token=token), token)
    room = MAX_REQUEST_BODY_BYTES - base
    assert 0 < room <= 32768
    # One ASCII character is one byte: fill the body to exactly the limit, then one byte over.
    exact = [*decisions, RecordMarker(marker_name="m", details="x" * room)]
    assert botocore_body_bytes(check_decisions(exact, task_token=token), token) == MAX_REQUEST_BODY_BYTES
    check_decisions(exact)  # without a token, a 1,024-character one is counted: the same size
    over = [*decisions, RecordMarker(marker_name="m", details="x" * (room + 1))]
    with pytest.raises(ValidationError) as caught:
        check_decisions(over, task_token=token)
    error = caught.value
    assert (error.field, error.size, error.limit) == (
        "decisions",
        MAX_REQUEST_BODY_BYTES + 1,
        MAX_REQUEST_BODY_BYTES,
    )
    assert f"{MAX_REQUEST_BODY_BYTES + 1:,}" in str(error)
    assert f"{MAX_REQUEST_BYTES:,}" in str(error)
    # The execution context travels in the same request, and counts.
    with pytest.raises(ValidationError):
        check_decisions(exact, task_token=token, execution_context="c")
    assert len(check_decisions(exact, task_token="short", execution_context="c")) == 32


def test_non_ascii_costs_what_botocore_sends() -> None:
    """botocore writes JSON with ASCII escapes: "é" is 6 bytes on the wire, an emoji 12."""
    accents = [RecordMarker(marker_name="m", details="é" * 32768) for _ in range(6)]
    ascii_only = [RecordMarker(marker_name="m", details="e" * 32768) for _ in range(6)]
    assert len(check_decisions(ascii_only)) == 6  # about 197 KB
    with pytest.raises(ValidationError) as caught:
        check_decisions(accents)  # about 1.18 MB once escaped
    assert caught.value.size == botocore_body_bytes([d.to_swf() for d in accents], "t" * 1024)
    assert caught.value.size > 6 * 6 * 32768
    emoji = [RecordMarker(marker_name="m", details="😀" * 16384) for _ in range(6)]
    with pytest.raises(ValidationError) as caught:
        check_decisions(emoji)
    assert caught.value.size == botocore_body_bytes([d.to_swf() for d in emoji], "t" * 1024)


def test_many_full_size_decisions_are_refused() -> None:
    decisions = [
        ScheduleActivityTask(
            activity_type=RESIZE, activity_id=f"a{n}", input="i" * 32768, control="c" * 32768
        )
        for n in range(20)
    ]
    assert len(check_decisions(decisions[:15])) == 15
    with pytest.raises(ValidationError) as caught:
        check_decisions(decisions)
    assert caught.value.size is not None and caught.value.size > MAX_REQUEST_BYTES
    assert caught.value.limit == MAX_REQUEST_BODY_BYTES


def test_public_names() -> None:
    assert aioswf.decisions.__all__ == [
        "CLOSE_DECISION_TYPES",
        "MAX_REQUEST_BODY_BYTES",
        "MAX_REQUEST_BYTES",
        "NO_LIMIT",
        "REQUEST_HEADERS_ALLOWANCE",
        "CancelTimer",
        "CancelWorkflowExecution",
        "CompleteWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
        "Decision",
        "FailWorkflowExecution",
        "RecordMarker",
        "RequestCancelActivityTask",
        "RequestCancelExternalWorkflowExecution",
        "ScheduleActivityTask",
        "ScheduleLambdaFunction",
        "SignalExternalWorkflowExecution",
        "StartChildWorkflowExecution",
        "StartTimer",
        "Timeout",
        "check_decisions",
        "from_swf",
    ]
    for name in aioswf.decisions.__all__:
        assert getattr(aioswf.decisions, name) is not None
    assert MAX_REQUEST_BYTES == 1024 * 1024


# --- against moto ----------------------------------------------------------------------------------


async def raw_history(execution: aioswf.models.WorkflowExecution) -> list[dict[str, Any]]:
    """The events as moto wrote them on the wire (no page tokens there: one call)."""
    assert execution.connection is not None
    answer = await execution.connection.call(
        "GetWorkflowExecutionHistory", {"domain": execution.domain.name, "execution": execution.key}
    )
    events: list[dict[str, Any]] = answer["events"]
    return events


def events_of(history: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    key = kind[0].lower() + kind[1:] + "EventAttributes"
    return [event[key] for event in history if event["eventType"] == kind]


async def test_decisions_answer_a_decision_task_on_moto(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, retention_period=1, connection=connection).save()
    workflow = await WorkflowType(
        domain, "wf", "1", task_list="decisions", decision_tasks_timeout=timedelta(seconds=30)
    ).save()
    activity = await ActivityType(
        domain,
        "act",
        "1",
        task_list="activities",
        task_start_to_close_timeout=timedelta(minutes=5),
        task_schedule_to_start_timeout=timedelta(minutes=5),
        task_schedule_to_close_timeout=timedelta(minutes=10),
    ).save()
    execution = await workflow.start_execution("decided")
    decider = Decider(domain, "decisions")
    task = await decider.poll()  # a decision task is waiting: no empty poll
    assert task is not None

    first = [
        ScheduleActivityTask(activity_type=activity, activity_id="a1", input="日本語 ✓ é 🎉"),
        StartTimer(timer_id="t1", start_to_fire_timeout=1),
        RecordMarker(marker_name="checkpoint", details="step 1"),
    ]
    # A close decision that is not last is refused here, before any request is made.
    with pytest.raises(ValidationError):
        check_decisions([CompleteWorkflowExecution(), *first], task_token=task.token)
    assert "RespondDecisionTaskCompleted" not in connection.statistics().calls

    await decider.complete(task.token, check_decisions(first, task_token=task.token))
    worker = ActivityWorker(domain, "activities")
    activity_task = await worker.poll()  # scheduled by the decision above: waiting
    assert activity_task is not None and activity_task.input == "日本語 ✓ é 🎉"
    await worker.complete(activity_task.token, "worked")

    with anyio.fail_after(10):  # moto fires the timer in wall-clock time, one second on
        while not events_of(await raw_history(execution), "TimerFired"):
            await anyio.sleep(0.05)
    task = await decider.poll()  # scheduled by the activity's completion
    assert task is not None
    await decider.complete(task.token, [d.to_swf() for d in [CompleteWorkflowExecution(result="all done")]])

    history = await raw_history(execution)
    kinds = [event["eventType"] for event in history]
    assert kinds[:7] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "ActivityTaskScheduled",  # the three decisions, in their order
        "TimerStarted",
        "MarkerRecorded",
    ]
    assert kinds[-3:] == ["DecisionTaskStarted", "DecisionTaskCompleted", "WorkflowExecutionCompleted"]
    middle = kinds[7:-3]
    assert sorted(kind for kind in middle if kind != "DecisionTaskScheduled") == [
        "ActivityTaskCompleted",
        "ActivityTaskStarted",
        "TimerFired",
    ]
    # SWF keeps at most one decision task scheduled; moto schedules one for the activity's
    # completion and another when the timer fires.
    assert 1 <= middle.count("DecisionTaskScheduled") <= 2
    [first_completed, second_completed] = [
        event["eventId"] for event in history if event["eventType"] == "DecisionTaskCompleted"
    ]
    [scheduled] = events_of(history, "ActivityTaskScheduled")
    assert scheduled["activityType"] == {"name": "act", "version": "1"}
    assert scheduled["activityId"] == "a1"
    assert scheduled["input"] == "日本語 ✓ é 🎉"
    assert scheduled["decisionTaskCompletedEventId"] == first_completed
    [timer] = events_of(history, "TimerStarted")
    assert (timer["timerId"], timer["startToFireTimeout"]) == ("t1", "1")
    assert timer["decisionTaskCompletedEventId"] == first_completed
    [marker] = events_of(history, "MarkerRecorded")
    assert (marker["markerName"], marker["details"]) == ("checkpoint", "step 1")
    [fired] = events_of(history, "TimerFired")
    assert fired["timerId"] == "t1"
    [completed] = events_of(history, "WorkflowExecutionCompleted")
    assert completed == {"result": "all done", "decisionTaskCompletedEventId": second_completed}
    assert connection.statistics().calls["RespondDecisionTaskCompleted"] == 2


def test_a_dict_decision_is_held_to_the_same_rules_as_an_object() -> None:
    """Found by a user trial: a dict passed checks its Decision twin would fail."""
    cases = [
        (
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"bogus": 5},
            },
            "bogus",
        ),
        (
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": 5},
            },
            "result",
        ),
        (
            {
                "decisionType": "StartTimer",
                "startTimerDecisionAttributes": {"timerId": "a:b", "startToFireTimeout": "1"},
            },
            "':'",
        ),
    ]
    for decision, named in cases:
        with pytest.raises(ValidationError, match=named):
            check_decisions([decision])
    with pytest.raises(ValidationError, match="a decision is a dict"):
        from_swf("x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="needs startToFireTimeout, timerId"):
        from_swf({"decisionType": "StartTimer"})
