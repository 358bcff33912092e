"""WorkflowExecution against moto, and through SWFProxy in front of it where moto cannot answer.

What moto cannot show, and how it is tested instead:

* RequestCancelWorkflowExecution is not implemented (HTTP 500): the test shows that, then lets
  :class:`~aioswf.testing.SWFProxy` answer that one operation itself and checks the JSON sent.
* moto never describes an execution with a parent, a Lambda role, a task priority, a cancel
  request, open Lambda functions or a latest execution context: a DescribeWorkflowExecution
  answer given by the proxy, through the same HTTP path, shows that each is read.
* DescribeWorkflowExecution's startTimestamp is fake in moto (always 2014-12-31T23:00:00.123Z),
  while listings carry the real one: the test shows changes() reporting exactly that.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

import aioswf
from aioswf.constants import ABANDON, CLOSED, OPEN, TERMINATE, TERMINATED
from aioswf.exceptions import DoesNotExistError, ServiceUnavailableError, ValidationError
from aioswf.models import Difference, Domain, OpenCounts, WorkflowExecution, WorkflowType
from aioswf.testing import MotoServer, MotoSettings, SWFProxy

from .conftest import NO_RETRIES


def through(moto: MotoServer, proxy: SWFProxy) -> MotoSettings:
    """moto's settings, with the proxy as the endpoint."""
    settings = moto.settings
    settings["endpoint_url"] = proxy.url
    return settings


EPOCH_2024 = 1_704_067_200.0  # 2024-01-01T00:00:00Z
D = Domain("d")


async def setup(connection: aioswf.Connection, domain_name: str) -> WorkflowType:
    domain = await Domain(domain_name, connection=connection).save()
    return await WorkflowType(
        domain,
        "wf",
        "1",
        task_list="decide",
        execution_timeout=timedelta(minutes=10),
        decision_tasks_timeout=timedelta(seconds=30),
    ).save()


async def test_a_started_execution_knows_what_it_was_started_with(
    connection: aioswf.Connection, domain_name: str
) -> None:
    workflow = await setup(connection, domain_name)
    execution = await workflow.start_execution("job", "the input", tag_list=["a", "b"], child_policy=ABANDON)
    assert (execution.status, execution.input, execution.tag_list) == (OPEN, "the input", ("a", "b"))
    assert execution.known_attributes == {"workflow_type", "status", "tag_list", "input", "child_policy"}
    assert await execution.is_synced()

    current = await execution.upstream()
    assert current.workflow_type is workflow  # the richer local type, as it names the same one
    assert (current.status, current.close_status, current.close_timestamp) == (OPEN, None, None)
    assert current.input == "the input"  # from the history's first event
    assert (current.task_list, current.child_policy) == ("decide", ABANDON)
    assert (current.execution_timeout, current.decision_tasks_timeout) == (
        timedelta(seconds=600),
        timedelta(seconds=30),
    )
    assert current.open_counts == OpenCounts(decision_tasks=1)
    assert (current.cancel_requested, current.parent, current.latest_execution_context) == (False, None, None)
    assert isinstance(current.start_timestamp, datetime) and current.start_timestamp.tzinfo is UTC

    await execution.terminate(reason="enough", child_policy=TERMINATE)
    assert list(await execution.changes()) == [Difference("status", OPEN, CLOSED)]
    closed = await execution.upstream()
    assert list(current.diff(closed))[:2] == [
        Difference("status", OPEN, CLOSED),
        Difference("close_status", None, TERMINATED),
    ]
    assert await closed.is_synced()


async def test_moto_fakes_the_described_start_timestamp(
    connection: aioswf.Connection, domain_name: str
) -> None:
    workflow = await setup(connection, domain_name)
    await workflow.start_execution("job")
    [listed] = await workflow.domain.executions()
    assert listed.start_timestamp is not None
    assert abs(listed.start_timestamp - datetime.now(UTC)) < timedelta(minutes=1)  # the real one
    # moto's description says 2014-12-31T23:00:00.123Z; on SWF both agree and this is empty.
    described = await listed.upstream()
    assert described.start_timestamp == datetime(2014, 12, 31, 23, 0, 0, 123000, tzinfo=UTC)
    assert (await listed.changes()).attrs == ("start_timestamp",)


async def test_without_a_run_id_the_open_run_is_meant(
    connection: aioswf.Connection, domain_name: str
) -> None:
    workflow = await setup(connection, domain_name)
    first = await workflow.start_execution("job", "one")
    await first.terminate()
    second = await workflow.start_execution("job", "two")
    by_id = WorkflowExecution(workflow.domain, "job", connection=connection)
    with pytest.raises(ValidationError, match="no run_id"):
        _ = by_id.key
    found = await by_id.upstream()
    assert (found.run_id, found.input, found.status) == (second.run_id, "two", OPEN)
    await by_id.signal("poke")  # SignalWorkflowExecution without a runId: the open run
    assert [e.event_type for e in await by_id.history()][-1] == "DecisionTaskScheduled"
    await by_id.terminate()
    assert (await second.upstream()).close_status == TERMINATED
    # Both runs closed: the latest started one is meant.
    assert (await by_id.upstream()).run_id == second.run_id
    closed = await by_id.wait_closed(timeout=5, interval=0.05)
    assert (closed.run_id, closed.input) == (second.run_id, "two")
    with pytest.raises(DoesNotExistError, match="no execution with workflow id 'nope'"):
        await WorkflowExecution(workflow.domain, "nope", connection=connection).upstream()


async def test_wait_closed_returns_the_closed_state_with_its_input(
    connection: aioswf.Connection, domain_name: str
) -> None:
    workflow = await setup(connection, domain_name)
    execution = await workflow.start_execution("job", "payload")
    await execution.terminate()
    closed = await execution.wait_closed(timeout=5, interval=0.05)
    assert (closed.status, closed.close_status, closed.input) == (CLOSED, TERMINATED, "payload")
    assert "input" in closed.known_attributes


@pytest.fixture
async def stub(moto: MotoServer) -> AsyncIterator[tuple[SWFProxy, aioswf.Connection]]:
    """moto behind a proxy that answers, itself, the operations put in ``proxy.answers``."""
    async with (
        SWFProxy(moto.url) as proxy,
        aioswf.Connection(config=NO_RETRIES, **through(moto, proxy)) as conn,
    ):
        yield proxy, conn


async def test_request_cancel(
    connection: aioswf.Connection,
    domain_name: str,
    stub: tuple[SWFProxy, aioswf.Connection],
) -> None:
    workflow = await setup(connection, domain_name)
    execution = await workflow.start_execution("job")
    # moto has no RequestCancelWorkflowExecution: HTTP 500.
    with pytest.raises(ServiceUnavailableError) as caught:
        await execution.request_cancel()
    assert caught.value.status == 500
    # What aioswf sends, answered as SWF answers it (an empty body).
    proxy, via_stub = stub
    proxy.answers["RequestCancelWorkflowExecution"] = {}
    await execution.using(via_stub).request_cancel()
    await WorkflowExecution(Domain(domain_name), "job", connection=via_stub).request_cancel()
    assert proxy.requests == [
        (
            "RequestCancelWorkflowExecution",
            {"domain": domain_name, "workflowId": "job", "runId": execution.run_id},
        ),
        ("RequestCancelWorkflowExecution", {"domain": domain_name, "workflowId": "job"}),
    ]


DESCRIBED = {
    "executionInfo": {
        "execution": {"workflowId": "child", "runId": "run-2"},
        "workflowType": {"name": "wf", "version": "1"},
        "startTimestamp": EPOCH_2024,
        "closeTimestamp": EPOCH_2024 + 90,
        "executionStatus": "CLOSED",
        "closeStatus": "CANCELED",
        "parent": {"workflowId": "parent", "runId": "run-1"},
        "tagList": ["t"],
        "cancelRequested": True,
    },
    "executionConfiguration": {
        "taskStartToCloseTimeout": "NONE",
        "executionStartToCloseTimeout": "3600",
        "taskList": {"name": "decide"},
        "taskPriority": "-4",
        "childPolicy": "REQUEST_CANCEL",
        "lambdaRole": "arn:aws:iam::123456789012:role/l",
    },
    "openCounts": {
        "openActivityTasks": 1,
        "openDecisionTasks": 0,
        "openTimers": 2,
        "openChildWorkflowExecutions": 3,
        "openLambdaFunctions": 4,
    },
    "latestActivityTaskTimestamp": EPOCH_2024 + 60,
    "latestExecutionContext": "ctx",
}
FIRST_EVENT = {
    "eventId": 1,
    "eventTimestamp": EPOCH_2024,
    "eventType": "WorkflowExecutionStarted",
    "workflowExecutionStartedEventAttributes": {
        "input": "started with this",
        "childPolicy": "REQUEST_CANCEL",
        "taskList": {"name": "decide"},
        "workflowType": {"name": "wf", "version": "1"},
        "parentWorkflowExecution": {"workflowId": "parent", "runId": "run-1"},
        "parentInitiatedEventId": 7,
    },
}


async def test_every_described_field_is_read(stub: tuple[SWFProxy, aioswf.Connection]) -> None:
    proxy, conn = stub
    proxy.answers["DescribeWorkflowExecution"] = DESCRIBED
    proxy.answers["GetWorkflowExecutionHistory"] = {"events": [FIRST_EVENT]}
    domain = Domain("d", connection=conn)
    execution = await WorkflowExecution(domain, "child", "run-2").upstream()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    assert (execution.status, execution.close_status, execution.cancel_requested) == (
        CLOSED,
        "CANCELED",
        True,
    )
    assert (execution.start_timestamp, execution.close_timestamp) == (start, start + timedelta(seconds=90))
    assert execution.parent == WorkflowExecution(domain, "parent", "run-1")
    assert execution.tag_list == ("t",)
    assert (execution.task_list, execution.child_policy, execution.task_priority) == (
        "decide",
        "REQUEST_CANCEL",
        -4,
    )
    assert (execution.execution_timeout, execution.decision_tasks_timeout) == (timedelta(hours=1), None)
    assert execution.lambda_role == "arn:aws:iam::123456789012:role/l"
    assert execution.open_counts == OpenCounts(1, 0, 2, 3, 4)
    assert execution.latest_activity_task_timestamp == start + timedelta(seconds=60)
    assert (execution.latest_execution_context, execution.input) == ("ctx", "started with this")
    assert execution.workflow_type == WorkflowType(domain, "wf", "1")
    assert execution.known_attributes == set(WorkflowExecution._compared)
    # The input costs one history request of one event, however long the history is.
    assert proxy.requests[1] == (
        "GetWorkflowExecutionHistory",
        {"domain": "d", "execution": {"workflowId": "child", "runId": "run-2"}, "maximumPageSize": 1},
    )


def test_execution_arguments_are_checked() -> None:
    with pytest.raises(ValidationError, match="status must be OPEN, CLOSED or None"):
        WorkflowExecution(D, "w", status="RUNNING")
    with pytest.raises(ValidationError, match="close_status must be one of"):
        WorkflowExecution(D, "w", close_status="DONE")
    with pytest.raises(ValidationError, match="tag_list must be strings"):
        WorkflowExecution(D, "w", tag_list="ab")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="start_timestamp must be a timezone-aware"):
        WorkflowExecution(D, "w", start_timestamp=datetime(2024, 1, 1))
    with pytest.raises(ValidationError, match="run_id"):
        WorkflowExecution(D, "w", "")
    with pytest.raises(ValidationError, match="child_policy"):
        WorkflowExecution(D, "w", child_policy="KEEP")
    assert WorkflowExecution(D, "w", tag_list=["a"]).tag_list == ("a",)  # type: ignore[arg-type]
    # Equal by domain and ids only: two snapshots of one run compare equal.
    assert WorkflowExecution(D, "w", "r", status=OPEN) == WorkflowExecution(D, "w", "r", status=CLOSED)


async def test_terminate_checks_the_child_policy_before_sending(
    connection: aioswf.Connection, domain_name: str
) -> None:
    workflow = await setup(connection, domain_name)
    execution = await workflow.start_execution("job")
    with pytest.raises(ValidationError, match="child_policy"):
        await execution.terminate(child_policy="KEEP")
    assert "TerminateWorkflowExecution" not in connection.statistics().calls


async def test_a_none_input_is_never_sent_as_null(moto: MotoServer, domain_name: str) -> None:
    # python-swf sent a None input as the string "null". The requests, as botocore sent them:
    async with (
        SWFProxy(moto.url) as proxy,
        aioswf.Connection(config=NO_RETRIES, **through(moto, proxy)) as conn,
    ):
        workflow = await setup(conn, domain_name)
        execution = await workflow.start_execution("job")
        await execution.signal("poke")
        await execution.signal("data", input="null")  # a real "null" string goes as given
    [start] = [params for name, params in proxy.requests if name == "StartWorkflowExecution"]
    assert "input" not in start
    signals = [params["input"] for name, params in proxy.requests if name == "SignalWorkflowExecution"]
    assert signals == ["", "null"]  # no input: "" (moto fails without one; SWF reads it as none)
    assert execution.using(None).known_attributes == execution.known_attributes


async def test_exists(connection: aioswf.Connection, domain_name: str) -> None:
    workflow = await setup(connection, domain_name)
    execution = await workflow.start_execution("job")
    assert await execution.exists()
    assert "GetWorkflowExecutionHistory" not in connection.statistics().calls  # one description
    assert await WorkflowExecution(workflow.domain, "job", connection=connection).exists()
    assert not await WorkflowExecution(workflow.domain, "job", "no-such-run", connection=connection).exists()
    assert not await WorkflowExecution(workflow.domain, "other", connection=connection).exists()
