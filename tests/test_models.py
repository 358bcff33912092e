"""The foundation's models and DomainQuerySet against the moto server."""

from __future__ import annotations

from datetime import timedelta

import anyio
import pytest

import aioswf
from aioswf.constants import CLOSED, DEPRECATED, OPEN, REGISTERED, TERMINATED
from aioswf.events import WorkflowExecutionSignaled, WorkflowExecutionStarted
from aioswf.exceptions import AlreadyExistsError, DoesNotExistError, ValidationError
from aioswf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from aioswf.querysets import DomainQuerySet
from aioswf.testing import MotoServer


async def test_domain_save_exists_upstream_delete(connection: aioswf.Connection, domain_name: str) -> None:
    domain = Domain(domain_name, description="for tests", retention_period=3, connection=connection)
    assert repr(domain) == f"Domain({domain_name!r})"
    assert not await domain.exists()
    await domain.save()
    assert await domain.exists()
    remote = await domain.upstream()
    assert remote == domain
    assert (remote.status, remote.description, remote.retention_period) == (REGISTERED, "for tests", 3)
    with pytest.raises(AlreadyExistsError):
        await domain.save()
    await domain.delete()
    assert (await domain.upstream()).status == DEPRECATED


async def test_types_round_trip_their_defaults(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflow = WorkflowType(
        domain,
        "wf",
        "1.0",
        task_list="decide",
        execution_timeout=timedelta(hours=2),
        decision_tasks_timeout=None,
        description="a workflow",
        child_policy="ABANDON",
    )
    assert repr(workflow) == "WorkflowType('wf', '1.0')"
    assert workflow.connection is connection  # inherited from the domain
    await workflow.save()
    remote = await workflow.upstream()
    assert remote == workflow
    assert remote.execution_timeout == timedelta(hours=2)
    assert remote.decision_tasks_timeout is None  # SWF's "NONE"
    assert (remote.task_list, remote.child_policy, remote.description) == ("decide", "ABANDON", "a workflow")

    activity = ActivityType(
        domain, "act", "2", task_list="work", task_heartbeat_timeout=timedelta(seconds=30)
    )
    await activity.save()
    assert await activity.upstream() == activity
    assert (await activity.upstream()).task_start_to_close_timeout is None
    assert not await ActivityType(domain, "act", "3").exists()


async def test_start_signal_terminate_and_wait(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="decide").save()
    execution = await workflow.start_execution("job-1", input="hi", tag_list=["a", "b"])
    assert isinstance(execution, WorkflowExecution) and execution.run_id
    current = await execution.upstream()
    assert (current.status, current.tag_list, current.workflow_type) == (OPEN, ("a", "b"), workflow)
    await execution.signal("poke")
    history = await execution.history()
    assert [e.event_type for e in history][:2] == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    assert isinstance(history.first, WorkflowExecutionStarted) and history.first.input == "hi"
    assert [e.signal_name for e in history if isinstance(e, WorkflowExecutionSignaled)] == ["poke"]
    await execution.terminate(reason="done with it")
    closed = await execution.wait_closed(timeout=10, interval=0.05)
    assert (closed.status, closed.close_status) == (CLOSED, TERMINATED)
    with pytest.raises(DoesNotExistError):
        await WorkflowExecution(domain, "job-1", "no-such-run").upstream()


async def test_start_without_input_sends_none_not_null(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="decide").save()
    execution = await workflow.start_execution("no-input")
    started = (await execution.history()).first
    assert isinstance(started, WorkflowExecutionStarted)
    assert started.input is None  # python-swf sent the string "null"


async def test_wait_closed_times_out(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="decide").save()
    execution = await workflow.start_execution("open")
    with pytest.raises(TimeoutError):
        await execution.wait_closed(timeout=0.3, interval=0.05)


async def test_domain_queryset_with_the_default_connection(moto: MotoServer, domain_name: str) -> None:
    aioswf.settings.set(**moto.settings)
    domains = DomainQuerySet()  # no connection: the default one, from the settings
    with pytest.raises(DoesNotExistError):
        await domains.get(domain_name)
    created = await domains.create(domain_name, retention_period=2)
    assert (await domains.get(domain_name)).retention_period == 2
    listed = {d.name: d for d in await domains.all()}
    assert listed[created.name].status == REGISTERED
    assert listed[created.name].retention_period is None  # ListDomains does not say; DescribeDomain does
    assert await domains.all(DEPRECATED) == []


async def test_get_or_create_from_ten_tasks_registers_once(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domains = DomainQuerySet(connection=connection)
    outcomes: list[bool] = []

    async def one() -> None:
        domain, created = await domains.get_or_create(domain_name)
        assert domain.name == domain_name
        outcomes.append(created)

    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(one)
    assert sorted(outcomes) == [False] * 9 + [True]
    assert connection.statistics().calls["RegisterDomain"] <= 10
    assert [d.name for d in await domains.all()].count(domain_name) == 1


def test_bad_model_arguments() -> None:
    with pytest.raises(ValidationError, match="name"):
        Domain("")
    with pytest.raises(ValidationError, match="retention_period"):
        Domain("d", retention_period=-1)
    with pytest.raises(ValidationError, match="child_policy"):
        WorkflowType(Domain("d"), "w", "1", child_policy="EXPLODE")
    with pytest.raises(ValidationError, match="whole seconds"):
        ActivityType(Domain("d"), "a", "1", task_heartbeat_timeout=timedelta(seconds=1.5))
    with pytest.raises(ValidationError, match="domain"):
        WorkflowType(42, "w", "1")  # type: ignore[arg-type]


def test_more_bad_model_arguments() -> None:
    with pytest.raises(ValidationError, match="status must be one of"):
        Domain("d", status="BOGUS")
    with pytest.raises(ValidationError, match="at most 90 days"):
        Domain("d", retention_period=91)
    with pytest.raises(ValidationError, match="domain must be a Domain"):
        WorkflowExecution(5, "w")  # type: ignore[arg-type]


async def test_start_execution_checks_its_arguments(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="decide").save()
    with pytest.raises(ValidationError, match="tag_list must be a list of strings"):
        await workflow.start_execution("w", tag_list="abc")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="child_policy must be one of"):
        await workflow.start_execution("w", child_policy="bogus")
    with pytest.raises(ValidationError, match="task_priority must be a whole number"):
        await workflow.start_execution("w", task_priority="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="input must be a str"):
        await workflow.start_execution("w", input={"a": 1})  # type: ignore[arg-type]
    assert "StartWorkflowExecution" not in connection.statistics().calls  # nothing was sent
    execution = await workflow.start_execution("w")
    with pytest.raises(ValidationError, match="timeout must be a positive"):
        await execution.wait_closed(timeout=-1)
    with pytest.raises(ValidationError, match="interval must be a positive"):
        await execution.wait_closed(timeout=1, interval=0)
    with pytest.raises(TimeoutError, match=r"still open after 0\.2 s"):
        await execution.wait_closed(timeout=0.2, interval=0.05)
