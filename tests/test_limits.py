"""Maximum lengths from botocore's SWF model are checked before anything is sent."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, OperationModel, Shape, StructureShape

import aioswf
from aioswf._limits import check_lengths
from aioswf.exceptions import ValidationError

Segment = str | int


@functools.cache
def swf_model() -> Any:
    return botocore.session.get_session().get_service_model("swf")


def limited(
    shape: Shape, path: tuple[Segment, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[Segment, ...], Shape]]:
    """Every (path, shape) below ``shape`` whose shape is a string or a list with a ``max``."""
    assert depth < 20, "the SWF model is not recursive"
    if shape.type_name in ("string", "list") and "max" in shape.metadata:
        yield path, shape
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            yield from limited(member, (*path, name), depth + 1)
    elif isinstance(shape, ListShape):
        yield from limited(shape.member, (*path, 0), depth + 1)


def dotted(path: tuple[Segment, ...]) -> str:
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += f".{segment}" if text else segment
    return text


def placeholder(shape: Shape) -> Any:
    return {"string": "x", "structure": {}, "list": []}.get(shape.type_name, "1")


def nest(path: tuple[Segment, ...], leaf: Any) -> Any:
    """``{"decisions": [{"x": leaf}]}`` for the path ``("decisions", 0, "x")``."""
    value = leaf
    for segment in reversed(path):
        value = [value] if isinstance(segment, int) else {segment: value}
    return value


def sized(shape: Shape, size: int) -> Any:
    if isinstance(shape, ListShape):
        return [placeholder(shape.member)] * size
    return "x" * size


def operations() -> list[str]:
    return list(swf_model().operation_names)


@pytest.mark.parametrize("operation", operations())
def test_every_limit_in_the_model_is_enforced_exactly(operation: str) -> None:
    model: OperationModel = swf_model().operation_model(operation)
    wrong: list[str] = []
    for path, shape in limited(model.input_shape):
        limit = int(shape.metadata["max"])
        field = dotted(path)
        try:
            check_lengths(model, nest(path, sized(shape, limit)))
        except ValidationError as err:
            wrong.append(f"{field}: {limit} refused ({err})")
        try:
            check_lengths(model, nest(path, sized(shape, limit + 1)))
        except ValidationError as err:
            if (err.field, err.size, err.limit) != (field, limit + 1, limit):
                wrong.append(f"{field}: reported as {(err.field, err.size, err.limit)}")
        else:
            wrong.append(f"{field}: {limit + 1} accepted, the limit is {limit}")
    assert not wrong


def test_the_walk_finds_the_limits_that_matter() -> None:
    """Guards the test above against walking nothing."""
    found = {
        (name, dotted(path)): int(shape.metadata["max"])
        for name in operations()
        for path, shape in limited(swf_model().operation_model(name).input_shape)
    }
    assert found[("StartWorkflowExecution", "input")] == 32768
    assert found[("StartWorkflowExecution", "tagList")] == 5
    assert found[("StartWorkflowExecution", "tagList[0]")] == 256
    assert found[("RecordActivityTaskHeartbeat", "details")] == 2048
    assert found[("RespondActivityTaskFailed", "reason")] == 256
    decision = "decisions[0].completeWorkflowExecutionDecisionAttributes.result"
    assert found[("RespondDecisionTaskCompleted", decision)] == 32768
    activity_id = "decisions[0].scheduleActivityTaskDecisionAttributes.activityId"
    assert found[("RespondDecisionTaskCompleted", activity_id)] == 256
    assert len(found) > 100


def test_limits_count_characters_not_bytes() -> None:
    model = swf_model().operation_model("RecordActivityTaskHeartbeat")
    check_lengths(model, {"taskToken": "t", "details": "é" * 2048})  # 4,096 bytes in UTF-8
    with pytest.raises(ValidationError):
        check_lengths(model, {"taskToken": "t", "details": "é" * 2049})


def test_the_first_bad_field_is_named_in_a_later_list_item() -> None:
    model = swf_model().operation_model("RespondDecisionTaskCompleted")
    decisions = [
        {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "ok"}},
        {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "m" * 257}},
    ]
    with pytest.raises(ValidationError) as caught:
        check_lengths(model, {"taskToken": "t", "decisions": decisions})
    assert caught.value.field == "decisions[1].recordMarkerDecisionAttributes.markerName"


# --- through a real connection: refused before sending -------------------------------------------


async def workflow_domain(connection: aioswf.Connection, domain: str) -> dict[str, str]:
    await connection.call("RegisterDomain", {"name": domain, "workflowExecutionRetentionPeriodInDays": "1"})
    kind = {"name": "wf", "version": "1"}
    await connection.call(
        "RegisterWorkflowType",
        {
            "domain": domain,
            **kind,
            "defaultTaskList": {"name": "decisions"},
            "defaultChildPolicy": "TERMINATE",
            "defaultExecutionStartToCloseTimeout": "600",
            "defaultTaskStartToCloseTimeout": "300",
        },
    )
    return kind


async def open_workflow_ids(connection: aioswf.Connection, domain: str) -> list[str]:
    answer = await connection.call(
        "ListOpenWorkflowExecutions", {"domain": domain, "startTimeFilter": {"oldestDate": 0}}
    )
    return [info["execution"]["workflowId"] for info in answer["executionInfos"]]


async def test_too_long_input_is_refused_before_sending(
    connection: aioswf.Connection, domain_name: str
) -> None:
    kind = await workflow_domain(connection, domain_name)
    start = {"domain": domain_name, "workflowId": "too-long", "workflowType": kind}
    with pytest.raises(ValidationError) as caught:
        await connection.call("StartWorkflowExecution", {**start, "input": "x" * 32769})
    error = caught.value
    assert (error.field, error.size, error.limit) == ("input", 32769, 32768)
    assert "input" in str(error)
    assert "32769" in str(error)
    assert "32768" in str(error)
    assert isinstance(error, ValueError)
    # Nothing was sent: the connection counted no such call, and moto started no execution.
    assert "StartWorkflowExecution" not in connection.statistics().calls
    assert await open_workflow_ids(connection, domain_name) == []
    # Exactly the limit is sent, and moto accepts it.
    await connection.call("StartWorkflowExecution", {**start, "input": "x" * 32768})
    assert await open_workflow_ids(connection, domain_name) == ["too-long"]
    assert connection.statistics().calls["StartWorkflowExecution"] == 1


async def test_too_long_heartbeat_details(connection: aioswf.Connection) -> None:
    with pytest.raises(ValidationError) as caught:
        await connection.call("RecordActivityTaskHeartbeat", {"taskToken": "garbage", "details": "d" * 2049})
    assert (caught.value.field, caught.value.size, caught.value.limit) == ("details", 2049, 2048)
    assert "RecordActivityTaskHeartbeat" not in connection.statistics().calls
    # 2,048 characters are sent; moto then refuses the made-up token, which shows the request left.
    with pytest.raises(aioswf.exceptions.InvalidRequestError):
        await connection.call("RecordActivityTaskHeartbeat", {"taskToken": "garbage", "details": "d" * 2048})
    assert connection.statistics().calls == {"RecordActivityTaskHeartbeat": 1}


async def test_too_long_nested_decision_field(connection: aioswf.Connection) -> None:
    decisions = [
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": "r" * 32769},
        }
    ]
    with pytest.raises(ValidationError) as caught:
        await connection.call(
            "RespondDecisionTaskCompleted", {"taskToken": "garbage", "decisions": decisions}
        )
    error = caught.value
    assert error.field == "decisions[0].completeWorkflowExecutionDecisionAttributes.result"
    assert (error.size, error.limit) == (32769, 32768)
    assert "decisions[0].completeWorkflowExecutionDecisionAttributes.result" in str(error)
    assert connection.statistics().calls == {}


async def test_too_many_tags(connection: aioswf.Connection, domain_name: str) -> None:
    kind = await workflow_domain(connection, domain_name)
    start = {"domain": domain_name, "workflowId": "tagged", "workflowType": kind}
    with pytest.raises(ValidationError) as caught:
        await connection.call("StartWorkflowExecution", {**start, "tagList": [f"t{i}" for i in range(6)]})
    error = caught.value
    assert (error.field, error.size, error.limit) == ("tagList", 6, 5)
    assert "items" in str(error)
    assert "StartWorkflowExecution" not in connection.statistics().calls
    with pytest.raises(ValidationError) as caught:
        await connection.call("StartWorkflowExecution", {**start, "tagList": ["ok", "t" * 257]})
    assert (caught.value.field, caught.value.size, caught.value.limit) == ("tagList[1]", 257, 256)
    await connection.call("StartWorkflowExecution", {**start, "tagList": [f"t{i}" for i in range(5)]})
    assert await open_workflow_ids(connection, domain_name) == ["tagged"]
