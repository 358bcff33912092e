"""WorkflowExecutionQuerySet against moto: every filter keyword, get, create, get_or_create
(raced), and count() where it must list.

moto ignores the time filters, the type filter's version and the execution filter, so the
results here show aioswf's own check of every filter on what comes back. moto's close-status
filter drops what it should keep and its type filter fails without a version (HTTP 500), so those
two are sent to the server only in test_querysets_proxied.py, where the request itself is checked;
here they are combined with a filter that goes first. A terminated execution has no
closeTimestamp in moto, so it matches no close-date filter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import anyio
import pytest

import aioswf
from aioswf.constants import CLOSED, COMPLETED, OPEN, TERMINATED
from aioswf.exceptions import DoesNotExistError, ValidationError, WorkflowExecutionAlreadyStartedError
from aioswf.models import Domain, WorkflowExecution, WorkflowType
from aioswf.querysets import ExecutionCount, WorkflowExecutionQuerySet


async def complete(connection: aioswf.Connection, domain: str, task_list: str) -> None:
    """Answer the decision task waiting on ``task_list`` by completing its execution (never an
    empty poll: the task is scheduled when the execution starts)."""
    task = await connection.call("PollForDecisionTask", {"domain": domain, "taskList": {"name": task_list}})
    assert task.get("taskToken"), "no decision task was waiting"
    decision = {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": {},
    }
    await connection.call(
        "RespondDecisionTaskCompleted", {"taskToken": task["taskToken"], "decisions": [decision]}
    )


@dataclass
class Runs:
    executions: WorkflowExecutionQuerySet
    a: WorkflowExecution  # wf 1, tag x, open
    b: WorkflowExecution  # wf 2, tag y, open
    c: WorkflowExecution  # other 1, tag x, terminated
    d: WorkflowExecution  # wf 1, completed


@pytest.fixture
async def runs(connection: aioswf.Connection, domain_name: str) -> AsyncIterator[Runs]:
    domain = await Domain(domain_name, connection=connection).save()
    wf1 = await WorkflowType(domain, "wf", "1", task_list="decide").save()
    wf2 = await WorkflowType(domain, "wf", "2", task_list="decide").save()
    other = await WorkflowType(domain, "other", "1", task_list="decide").save()
    a = await wf1.start_execution("a", tag_list=["x"])
    b = await wf2.start_execution("b", tag_list=["y"])
    c = await other.start_execution("c", tag_list=["x"])
    await c.terminate()
    d = await wf1.start_execution("d", task_list="d-only")
    await complete(connection, domain_name, "d-only")
    yield Runs(domain.executions(), a, b, c, d)


def ids(found: list[WorkflowExecution]) -> list[str]:
    return [execution.workflow_id for execution in found]


async def test_status_and_the_exclusive_filters(runs: Runs) -> None:
    qs = runs.executions
    assert ids(await qs) == ["a", "b", "c", "d"]  # open first, then closed
    assert ids(await qs.all()) == ["a", "b", "c", "d"]
    assert ids(await qs.filter(status=OPEN)) == ["a", "b"]
    assert ids(await qs.filter(status=CLOSED)) == ["c", "d"]
    assert ids(await qs.filter(status=CLOSED).filter(status=None)) == ["a", "b", "c", "d"]
    assert ids(await qs.filter(workflow_id="c")) == ["c"]
    assert ids(await qs.filter(workflow_type_name="wf", workflow_type_version="1")) == ["a", "d"]
    assert ids(await qs.filter(workflow_type_version="2")) == ["b"]  # a version alone: matched here
    assert ids(await qs.filter(tag="x")) == ["a", "c"]
    assert ids(await qs.filter(tag="x", status=OPEN)) == ["a"]
    # Two exclusive filters: the first goes to SWF, the other is checked here.
    assert ids(await qs.filter(workflow_id="a", tag="y")) == []
    assert ids(await qs.filter(workflow_id="b", tag="y", workflow_type_name="wf")) == ["b"]
    assert ids(await qs.filter(tag="x", close_status=TERMINATED)) == ["c"]
    assert ids(await qs.filter(workflow_id="d", close_status=COMPLETED)) == ["d"]
    assert ids(await qs.filter(workflow_id="d", close_status=TERMINATED)) == []


async def test_dates(runs: Runs) -> None:
    qs = runs.executions
    now = datetime.now(UTC)
    assert ids(await qs.filter(start_oldest_date=timedelta(minutes=5))) == ["a", "b", "c", "d"]
    assert ids(await qs.filter(start_oldest_date=now + timedelta(hours=1))) == []
    assert ids(await qs.filter(start_latest_date=timedelta(hours=1))) == []
    assert ids(await qs.filter(start_oldest_date=now - timedelta(hours=1), start_latest_date=now)) == [
        "a",
        "b",
        "c",
        "d",
    ]
    # python-swf could not filter on close times. A close filter means closed executions only.
    assert ids(await qs.filter(close_oldest_date=timedelta(minutes=5))) == [
        "d"
    ]  # c: no closeTimestamp in moto
    assert ids(await qs.filter(close_latest_date=datetime(2000, 1, 1, tzinfo=UTC))) == []
    assert (
        ids(await qs.filter(close_oldest_date=timedelta(minutes=5), start_latest_date=timedelta(hours=1)))
        == []
    )
    [d] = await qs.filter(
        close_oldest_date=now - timedelta(minutes=5), close_latest_date=now + timedelta(minutes=5)
    )
    assert d.close_status == COMPLETED and d.close_timestamp is not None and d.close_timestamp.tzinfo is UTC


def test_filter_values_are_checked() -> None:
    qs = WorkflowExecutionQuerySet("d")
    with pytest.raises(ValidationError, match="unknown keyword argument 'closed_status'"):
        qs.filter(closed_status=COMPLETED)
    with pytest.raises(ValidationError, match="close_status applies to closed executions only"):
        qs.filter(status=OPEN, close_status=COMPLETED)
    with pytest.raises(ValidationError, match="close_latest_date applies to closed executions only"):
        qs.filter(close_latest_date=timedelta(0)).filter(status=OPEN)
    with pytest.raises(ValidationError, match="timezone-aware datetime or a timedelta"):
        qs.filter(start_oldest_date=datetime(2024, 1, 1))
    with pytest.raises(ValidationError, match="negative"):
        qs.filter(close_oldest_date=timedelta(days=-1))
    with pytest.raises(ValidationError, match="close_status must be one of"):
        qs.filter(close_status="DONE")
    with pytest.raises(ValidationError, match="status must be OPEN, CLOSED or None"):
        qs.filter(status="REGISTERED")
    with pytest.raises(ValidationError, match="tag must be a non-empty string"):
        qs.filter(tag="")
    assert qs.filter(tag=None).filters == {"status": None, "tag": None}  # None: no filter


async def test_streaming_and_pages(runs: Runs) -> None:
    qs = runs.executions
    seen = [execution.workflow_id async for execution in qs.filter(tag="x")]
    assert seen == ["a", "c"]
    assert [ids(page) async for page in qs.pages()] == [["a", "b"], ["c", "d"]]  # one listing each
    listed = (await qs.filter(workflow_id="a"))[0]
    assert (listed.status, listed.tag_list, listed.cancel_requested, listed.parent) == (
        OPEN,
        ("x",),
        False,
        None,
    )
    assert "open_counts" not in listed.known_attributes
    # A listing names the type; it does not describe it.
    assert listed.workflow_type is not None and listed.workflow_type.key == {"name": "wf", "version": "1"}
    assert listed.workflow_type.known_attributes == {"status"}


async def test_get(runs: Runs) -> None:
    qs = runs.executions
    got = await qs.get("a")
    assert got == runs.a and got.open_counts is not None  # described
    assert (await qs.get("c", runs.c.run_id)).close_status == TERMINATED
    again = await runs.d.workflow_type.start_execution("c") if runs.d.workflow_type else None
    assert again is not None and (await qs.get("c")).run_id == again.run_id  # the open run
    with pytest.raises(DoesNotExistError):
        await qs.get("zzz")
    with pytest.raises(DoesNotExistError, match="matching"):
        await qs.filter(status=CLOSED).get("a")
    with pytest.raises(DoesNotExistError):
        await qs.get("a", "not-a-run")


async def test_create_and_get_or_create(runs: Runs) -> None:
    qs = runs.executions
    started = await qs.create(("wf", "1"), "new", "in", tag_list=["t"])
    assert (started.workflow_type.key if started.workflow_type else None) == {"name": "wf", "version": "1"}
    with pytest.raises(WorkflowExecutionAlreadyStartedError):
        await qs.create(("wf", "1"), "new")
    found, created = await qs.get_or_create(("wf", "1"), "new")
    assert (found.run_id, created, found.input) == (started.run_id, False, "in")
    # A closed run does not count: a new one starts.
    reopened, created = await qs.get_or_create(runs.c.workflow_type or ("other", "1"), "c")
    assert created and reopened.run_id != runs.c.run_id
    with pytest.raises(ValidationError, match=r"create\(\) got an unknown keyword argument 'tags'"):
        await qs.create(("wf", "1"), "x", tags=["a"])
    with pytest.raises(ValidationError, match="workflow_type must be a WorkflowType"):
        await qs.create("wf", "x")  # type: ignore[arg-type]


async def test_get_or_create_from_ten_tasks_starts_one_run(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="decide").save()
    outcomes: list[tuple[str | None, bool]] = []

    async def one() -> None:
        execution, created = await domain.executions().get_or_create(workflow, "once")
        outcomes.append((execution.run_id, created))

    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(one)
    assert sorted(created for _, created in outcomes) == [False] * 9 + [True]
    assert len({run for run, _ in outcomes}) == 1
    assert len(await domain.executions()) == 1


async def test_count_lists_when_swf_cannot_count_the_filters(
    runs: Runs, connection: aioswf.Connection
) -> None:
    # Two exclusive filters (or start and close dates) do not fit one Count call: aioswf lists.
    qs = runs.executions
    assert await qs.filter(
        tag="x", workflow_type_name="wf", workflow_type_version="1"
    ).count() == ExecutionCount(1)
    assert await qs.filter(workflow_type_version="1").count() == ExecutionCount(3)
    assert await qs.filter(
        close_oldest_date=timedelta(hours=1), start_oldest_date=timedelta(hours=1)
    ).count() == (ExecutionCount(1, truncated=False))
    calls = connection.statistics().calls
    assert "CountOpenWorkflowExecutions" not in calls and "CountClosedWorkflowExecutions" not in calls
