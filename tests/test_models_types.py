"""WorkflowType and ActivityType against moto: every attribute SWF returns, what they know, how they
differ from SWF, deprecation and undeprecation.

moto's type dates are fake (creationDate is always 2014-12-31T23:00:00Z, deprecationDate
2015-01-31T23:00:00Z): the tests check that they arrive as aware UTC datetimes, not their values.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import aioswf
from aioswf.constants import ABANDON, DEPRECATED, REGISTERED, REQUEST_CANCEL, TERMINATE
from aioswf.exceptions import AlreadyExistsError, DoesNotExistError, ValidationError
from aioswf.models import ActivityType, Difference, Domain, WorkflowType

ROLE = "arn:aws:iam::123456789012:role/lambda"
D = Domain("d")


async def test_workflow_type_round_trips_every_attribute(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    local = WorkflowType(
        domain,
        "wf",
        "1.0",
        task_list="decide",
        child_policy=REQUEST_CANCEL,
        execution_timeout=timedelta(hours=3),
        decision_tasks_timeout=None,
        description="all of it",
        task_priority=-7,
        lambda_role=ROLE,
    )
    saved = await local.save()
    assert saved == local
    assert saved.known_attributes == set(WorkflowType._compared) - {"creation_date", "deprecation_date"}
    remote = await local.upstream()
    assert remote == local
    assert (remote.task_list, remote.child_policy, remote.task_priority, remote.lambda_role) == (
        "decide",
        REQUEST_CANCEL,
        -7,
        ROLE,
    )
    assert (remote.execution_timeout, remote.decision_tasks_timeout) == (timedelta(hours=3), None)
    assert remote.description == "all of it" and remote.status == REGISTERED
    assert isinstance(remote.creation_date, datetime) and remote.creation_date.tzinfo is UTC
    assert remote.deprecation_date is None
    assert await saved.is_synced() and await local.is_synced() and await remote.is_synced()

    await local.delete()
    await local.delete()  # TypeDeprecatedFault: already deprecated, as asked
    gone = await local.upstream()
    assert gone.status == DEPRECATED
    assert isinstance(gone.deprecation_date, datetime) and gone.deprecation_date.tzinfo is UTC
    # The snapshot from before knew the deprecation date (none); the saved one did not.
    assert (await remote.changes()).attrs == ("status", "deprecation_date")
    assert list(await saved.changes()) == [Difference("status", REGISTERED, DEPRECATED)]
    await local.undeprecate()
    await local.undeprecate()  # TypeAlreadyExistsFault: registered, as asked
    assert await saved.is_synced()


async def test_a_bare_reference_knows_only_its_status(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    await WorkflowType(domain, "wf", "1", child_policy=ABANDON, execution_timeout=timedelta(minutes=1)).save()
    bare = WorkflowType(domain, "wf", "1")  # as a decision task names it
    assert bare.child_policy == TERMINATE and bare.execution_timeout == timedelta(days=365)  # defaults
    assert await bare.is_synced()  # they are not claims about SWF's type
    claimed = WorkflowType(domain, "wf", "1", child_policy=TERMINATE)
    assert list(await claimed.changes()) == [Difference("child_policy", TERMINATE, ABANDON)]
    assert await bare.exists() and not await WorkflowType(domain, "wf", "2").exists()
    with pytest.raises(DoesNotExistError):
        await WorkflowType(domain, "wf", "2").changes()


async def test_a_type_registered_without_defaults_reads_as_none(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    # Registered by another tool, with no defaults at all.
    await connection.call("RegisterWorkflowType", {"domain": domain_name, "name": "raw", "version": "1"})
    remote = await WorkflowType(domain, "raw", "1").upstream()
    assert remote.child_policy is None  # not TERMINATE: SWF has no default child policy for it
    assert (remote.task_list, remote.execution_timeout, remote.decision_tasks_timeout) == (None, None, None)
    assert (remote.task_priority, remote.lambda_role) == (None, None)


async def test_activity_type_round_trips_every_attribute(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    local = ActivityType(
        domain,
        "act",
        "2",
        description="work",
        task_list="work",
        task_heartbeat_timeout=timedelta(seconds=30),
        task_schedule_to_close_timeout=600,  # type: ignore[arg-type]  # seconds, as SWF has them
        task_schedule_to_start_timeout=None,
        task_start_to_close_timeout=timedelta(minutes=5),
    )
    assert local.task_schedule_to_close_timeout == timedelta(minutes=10)  # whole seconds as an int
    saved = await local.save()
    remote = await local.upstream()
    assert remote == local and await saved.is_synced() and await remote.is_synced()
    assert (remote.task_list, remote.description, remote.task_schedule_to_start_timeout) == (
        "work",
        "work",
        None,
    )
    assert remote.task_heartbeat_timeout == timedelta(seconds=30)
    assert isinstance(remote.creation_date, datetime) and remote.creation_date.tzinfo is UTC
    with pytest.raises(AlreadyExistsError):
        await local.save()
    await saved.delete()
    assert list(await saved.changes()) == [Difference("status", REGISTERED, DEPRECATED)]
    await saved.undeprecate()
    assert await saved.is_synced()


async def test_changes_catch_what_the_server_did_not_keep(
    connection: aioswf.Connection, domain_name: str
) -> None:
    # moto drops an activity type's defaultTaskPriority ("TODO ... when boto gets to support it");
    # SWF keeps it. Either way the saved type says what it sent, and changes() shows the gap.
    domain = await Domain(domain_name, connection=connection).save()
    saved = await ActivityType(domain, "act", "1", task_priority=3).save()
    assert list(await saved.changes()) == [Difference("task_priority", 3, None)]


async def test_activity_type_changes_compare_with_its_own_domain(
    connection: aioswf.Connection, domain_name: str
) -> None:
    # python-swf's ActivityType diff fetched the type with its name where the domain belonged.
    # The same name and version in two domains, with different task lists.
    first = await Domain(f"{domain_name}-a", connection=connection).save()
    second = await Domain(f"{domain_name}-b", connection=connection).save()
    await ActivityType(first, "act", "1", task_list="first").save()
    await ActivityType(second, "act", "1", task_list="second").save()
    assert await ActivityType(first, "act", "1", task_list="first").is_synced()
    assert await ActivityType(second, "act", "1", task_list="second").is_synced()
    assert list(await ActivityType(second, "act", "1", task_list="first").changes()) == [
        Difference("task_list", "first", "second")
    ]
    assert (await ActivityType(second, "act", "1").upstream()).domain == second


async def test_start_execution_sends_lambda_role_and_priority(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="t").save()
    execution = await workflow.start_execution(
        "job", "in", task_priority=5, lambda_role=ROLE, child_policy=ABANDON, execution_timeout=90
    )
    assert (execution.task_priority, execution.lambda_role, execution.child_policy) == (5, ROLE, ABANDON)
    assert execution.execution_timeout == timedelta(seconds=90)
    described = await connection.call(
        "DescribeWorkflowExecution", {"domain": domain_name, "execution": execution.key}
    )
    config = described["executionConfiguration"]
    assert (config["childPolicy"], config["executionStartToCloseTimeout"]) == (ABANDON, "90")
    # moto keeps neither the priority nor the Lambda role of an execution: what SWF would do with
    # them is not shown here; the request is checked by botocore's own parameter validation.


def test_type_arguments_are_checked() -> None:
    domain = Domain("d")
    with pytest.raises(ValidationError, match="task_priority must be a whole number from"):
        WorkflowType(domain, "w", "1", task_priority=2**31)
    assert WorkflowType(domain, "w", "1", task_priority=-(2**31)).task_priority == -(2**31)
    with pytest.raises(ValidationError, match="status must be one of"):
        ActivityType(domain, "a", "1", status="GONE")
    with pytest.raises(ValidationError, match="creation_date must be a timezone-aware"):
        ActivityType(domain, "a", "1", creation_date=datetime(2020, 1, 1))
    with pytest.raises(ValidationError, match="task_list"):
        ActivityType(domain, "a", "1", task_list="")
    with pytest.raises(ValidationError, match="lambda_role"):
        WorkflowType(domain, "w", "1", lambda_role="")
    with pytest.raises(ValidationError, match="version"):
        WorkflowType(domain, "w", "")
    assert repr(ActivityType(D, "a", "1")) == "ActivityType('a', '1')"
    aware = datetime(2020, 1, 1, 12, tzinfo=UTC)
    assert ActivityType(D, "a", "1", creation_date=aware).creation_date == aware


def test_types_stay_hashable_and_equal_by_definition() -> None:
    # Workers key their functions by ActivityType: hashing must ignore SWF's dates.
    one = ActivityType(D, "a", "1", creation_date=datetime(2020, 1, 1, tzinfo=UTC))
    assert one == ActivityType(D, "a", "1")
    assert {one: "f"}[ActivityType(D, "a", "1")] == "f"
    assert hash(WorkflowType(D, "w", "1")) == hash(WorkflowType("d", "w", "1"))  # type: ignore[arg-type]
