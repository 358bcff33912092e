"""Models against the moto server: the foundation's tests, what a model knows and how it differs
from SWF (ModelDiff), and the issue's quickstart as written.

Domains are tested in full in test_models_domains.py, types in test_models_types.py, executions
in test_models_executions.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import anyio
import pytest

import aioswf
import aioswf.models
from aioswf.constants import CLOSED, DEPRECATED, OPEN, REGISTERED, TERMINATED
from aioswf.events import WorkflowExecutionSignaled, WorkflowExecutionStarted
from aioswf.exceptions import AlreadyExistsError, DoesNotExistError, ValidationError
from aioswf.models import ActivityType, Difference, Domain, ModelDiff, WorkflowExecution, WorkflowType
from aioswf.querysets import DomainQuerySet, WorkflowExecutionQuerySet, WorkflowTypeQuerySet
from aioswf.testing import MotoServer

from .conftest import NO_RETRIES


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


# What a model knows, and ModelDiff -------------------------------------------------------------


def test_models_are_exported() -> None:
    assert aioswf.models.__all__ == [
        "ActivityType",
        "Difference",
        "Domain",
        "Model",
        "ModelDiff",
        "OpenCounts",
        "WorkflowExecution",
        "WorkflowType",
    ]


def test_a_model_knows_what_it_was_given_and_its_status() -> None:
    assert Domain("d").known_attributes == {"status"}
    assert Domain("d", REGISTERED, "text").known_attributes == {"status", "description"}  # positional too
    assert Domain("d", retention_period=3, tags={}).known_attributes == {"status", "retention_period", "tags"}
    # The defaults are still there to read and to register; they are just not claims about SWF.
    assert Domain("d").retention_period == 30
    bare = WorkflowType(Domain("d"), "wf", "1")
    assert bare.known_attributes == {"status"}
    assert bare.execution_timeout == timedelta(days=365)
    assert WorkflowType(Domain("d"), "wf", "1", task_list="t").known_attributes == {"status", "task_list"}
    assert WorkflowExecution(Domain("d"), "w", "r").known_attributes == set()
    # using() and knowing() keep what was known.
    assert Domain("d", description="x").using(None).known_attributes == {"status", "description"}


def test_diff_compares_only_what_both_sides_know() -> None:
    local = Domain("d", description="mine")
    remote = Domain("d", "DEPRECATED", "theirs", 5, tags={"a": "1"})
    diff = local.diff(remote)
    assert isinstance(diff, ModelDiff)
    assert list(diff) == [
        Difference("status", REGISTERED, DEPRECATED),
        Difference("description", "mine", "theirs"),
    ]
    assert diff.attrs == ("status", "description")
    assert len(diff) == 2 and diff[0].attr == "status" and diff[-1].upstream == "theirs"
    assert bool(diff) and not Domain("d").diff(Domain("d"))
    # Equal tags are no difference; a retention period only one side knows is not compared.
    assert Domain("d", tags={"a": "1"}).diff(remote).attrs == ("status",)


def test_tags_are_compared_as_mappings() -> None:
    mine = Domain("d", tags={"a": "1", "b": "2"})
    assert not mine.diff(Domain("d", tags={"b": "2", "a": "1"}))
    assert list(mine.diff(Domain("d", tags={"a": "1"}))) == [
        Difference("tags", {"a": "1", "b": "2"}, {"a": "1"})
    ]
    assert mine.tags == {"a": "1", "b": "2"}
    with pytest.raises(TypeError):
        mine.tags["c"] = "3"  # type: ignore[index]
    with pytest.raises(ValidationError, match="tag 'a' must be a str"):
        Domain("d", tags={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="tags must be a mapping"):
        Domain("d", tags=["a"])  # type: ignore[arg-type]


# The issue's quickstart ------------------------------------------------------------------------


@pytest.fixture
async def default_connection_to(moto: MotoServer) -> AsyncIterator[MotoServer]:
    aioswf.settings.set(**moto.settings)
    yield moto
    await aioswf.close_default_connection()


async def test_the_issue_quickstart_runs_as_written(default_connection_to: MotoServer) -> None:
    moto = default_connection_to
    # What the quickstart finds in the account: two more domains, one with a deprecated type and
    # an open execution.
    await Domain("test2").save()
    my = await Domain("MyTestDomain").save()
    old = await WorkflowType(my, "TestType1", "1.0", task_list="t").save()
    await WorkflowType(my, "TestType2", "1.0", task_list="t").save()
    await old.delete()
    await WorkflowType(my, "TestType2", "1.0").start_execution("job-1")

    # As written in the issue, with what each line returns checked.
    D = Domain("test1", description="...", retention_period=30)
    await D.save()  # registers it; AlreadyExistsError if it exists
    with pytest.raises(AlreadyExistsError):
        await D.save()
    assert await D.exists()
    assert await D.is_synced()

    # The remote change: another client deprecates the domain.
    async with aioswf.Connection(config=NO_RETRIES, **moto.settings) as second:
        await Domain("test1", connection=second).delete()
    assert not await D.is_synced()
    assert list(await D.changes()) == [Difference("status", "REGISTERED", "DEPRECATED")]
    D = await D.upstream()  # a new instance built from the remote object
    assert D.status == DEPRECATED and await D.is_synced()
    await D.delete()  # deprecates it (SWF cannot delete a domain): it already is

    qs = DomainQuerySet()
    assert repr(await qs.all()) == "[Domain('MyTestDomain'), Domain('test2')]"  # by name; test1 is deprecated
    assert repr(await qs.all(DEPRECATED)) == "[Domain('test1')]"
    d = await qs.get("MyTestDomain")
    with pytest.raises(DoesNotExistError):
        await qs.get("NoSuchDomain")
    assert (
        repr(await WorkflowTypeQuerySet(d).filter(status=DEPRECATED)) == "[WorkflowType('TestType1', '1.0')]"
    )
    seen = []
    async for execution in WorkflowExecutionQuerySet(d).filter(status=OPEN):
        seen.append((execution.workflow_id, execution.status, execution.workflow_type))
    assert seen == [("job-1", OPEN, WorkflowType(d, "TestType2", "1.0"))]


async def test_start_execution_applies_swfs_id_rules(connection: aioswf.Connection, domain_name: str) -> None:
    """Found by a user trial: moto takes 'a:b' as a workflow id; SWF refuses it."""
    domain = await Domain(domain_name, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="decide").save()
    for bad in ("a:b", "a/b", "a|b", "tab\there", "arn"):
        with pytest.raises(ValidationError, match="workflow_id"):
            await workflow.start_execution(bad)
    assert "StartWorkflowExecution" not in connection.statistics().calls
