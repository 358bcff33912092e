"""DomainQuerySet, WorkflowTypeQuerySet and ActivityTypeQuerySet against moto: every keyword,
get, create, get_or_create (raced), and what a queryset is (lazy, awaitable, async-iterable).

moto ignores ListWorkflowTypes' and ListActivityTypes' ``name`` and never pages; the request
and the paging are tested through SWFProxy in test_querysets_proxied.py.
"""

from __future__ import annotations

from datetime import timedelta

import anyio
import pytest

import aioswf
import aioswf.querysets
from aioswf.constants import DEPRECATED, REGISTERED
from aioswf.exceptions import AlreadyExistsError, DoesNotExistError, ValidationError
from aioswf.models import ActivityType, Domain, WorkflowType
from aioswf.querysets import ActivityTypeQuerySet, DomainQuerySet, QuerySet, WorkflowTypeQuerySet


def test_querysets_are_exported() -> None:
    assert aioswf.querysets.__all__ == [
        "ActivityTypeQuerySet",
        "DomainQuerySet",
        "ExecutionCount",
        "QuerySet",
        "WorkflowExecutionQuerySet",
        "WorkflowTypeQuerySet",
    ]


def test_unknown_keywords_are_named() -> None:
    with pytest.raises(
        ValidationError, match=r"DomainQuerySet.filter\(\) got an unknown keyword argument 'nmae'"
    ):
        DomainQuerySet().filter(nmae="x")
    with pytest.raises(
        ValidationError, match="'registration_status'; it takes status, name, version"
    ) as caught:
        WorkflowTypeQuerySet("d").filter(registration_status=REGISTERED)
    assert caught.value.field == "registration_status"
    with pytest.raises(ValidationError, match="status must be one of REGISTERED, DEPRECATED or None"):
        ActivityTypeQuerySet("d").filter(status="OPEN")
    with pytest.raises(ValidationError, match="name must be a non-empty string"):
        ActivityTypeQuerySet("d").filter(name="")
    with pytest.raises(ValidationError, match="maximum_page_size must be a whole number from 1 to 1000"):
        DomainQuerySet(maximum_page_size=1001)
    with pytest.raises(ValidationError, match="maximum_page_size"):
        WorkflowTypeQuerySet("d", maximum_page_size=0)


def test_querysets_are_immutable_and_lazy() -> None:
    types = WorkflowTypeQuerySet(Domain("d"), maximum_page_size=10)
    deprecated = types.filter(status=DEPRECATED)
    named = deprecated.filter(name="wf")
    assert types.filters == {"status": REGISTERED}
    assert deprecated.filters == {"status": DEPRECATED}
    assert named.filters == {"status": DEPRECATED, "name": "wf"}
    assert named.maximum_page_size == 10 and named.domain == Domain("d")
    assert repr(named) == "WorkflowTypeQuerySet(Domain('d'), status='DEPRECATED', name='wf')"
    assert repr(DomainQuerySet()) == "DomainQuerySet(status='REGISTERED')"
    assert isinstance(named, QuerySet)
    # Nothing was sent, and no coroutine was left unawaited (warnings are errors here).


def names(found: list[Domain]) -> list[str]:
    return [domain.name for domain in found]


def keys(found: list[WorkflowType]) -> list[tuple[str, str]]:
    return [(kind.name, kind.version) for kind in found]


async def test_domain_queryset_filters(connection: aioswf.Connection, domain_name: str) -> None:
    domains = DomainQuerySet(connection=connection)
    for suffix in ("a", "b", "c"):
        await domains.create(f"{domain_name}-{suffix}", description=suffix, tags={"k": suffix})
    await Domain(f"{domain_name}-b", connection=connection).delete()
    assert names(await domains.all()) == [f"{domain_name}-a", f"{domain_name}-c"]
    assert names(await domains.filter(status=DEPRECATED)) == [f"{domain_name}-b"]
    assert names(await domains.all(DEPRECATED)) == [f"{domain_name}-b"]
    assert sorted(names(await domains.filter(status=None))) == [f"{domain_name}-{s}" for s in "abc"]
    assert names(await domains.filter(name=f"{domain_name}-c")) == [f"{domain_name}-c"]
    assert await domains.filter(name=f"{domain_name}-b") == []  # it is deprecated
    assert names(await domains.filter(name=f"{domain_name}-b", status=None)) == [f"{domain_name}-b"]
    streamed = [domain.name async for domain in domains.iterate(REGISTERED)]
    assert streamed == names(await domains.all())
    listed = (await domains.filter(name=f"{domain_name}-a"))[0]
    assert listed.description == "a" and listed.arn
    assert "retention_period" not in listed.known_attributes and "tags" not in listed.known_attributes
    got = await domains.get(f"{domain_name}-a")
    assert (got.retention_period, got.tags) == (30, {"k": "a"})
    with pytest.raises(AlreadyExistsError):
        await domains.create(f"{domain_name}-b")  # deprecated domains still hold their name


async def test_type_querysets_filter_get_and_create(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    workflows = WorkflowTypeQuerySet(domain)
    assert workflows.connection is connection  # the domain's
    created = await workflows.create("wf", "1", task_list="t", execution_timeout=timedelta(minutes=5))
    assert isinstance(created, WorkflowType) and created.task_list == "t"
    await workflows.create("wf", "2")
    await workflows.create("other", "1")
    await (await workflows.get("wf", "2")).delete()
    assert keys(await workflows.all()) == [("other", "1"), ("wf", "1")]
    assert keys(await workflows.filter(name="wf")) == [("wf", "1")]  # moto ignores the name: checked here
    assert keys(await workflows.filter(status=DEPRECATED)) == [("wf", "2")]
    assert keys(await workflows.filter(status=None, name="wf")) == [("wf", "1"), ("wf", "2")]
    assert keys(await workflows.filter(status=None, version="1")) == [("other", "1"), ("wf", "1")]
    assert keys(await workflows.filter(name="wf", version="2")) == []
    got = await workflows.get("wf", "1")
    assert got.execution_timeout == timedelta(minutes=5) and got.creation_date is not None
    listed = (await workflows.filter(name="wf"))[0]
    assert "task_list" not in listed.known_attributes and listed.creation_date == got.creation_date
    with pytest.raises(DoesNotExistError):
        await workflows.get("wf", "9")
    with pytest.raises(ValidationError, match=r"create\(\) got an unknown keyword argument 'heartbeat'"):
        await workflows.create("wf", "3", heartbeat=5)
    with pytest.raises(ValidationError, match="unknown keyword argument 'task_heartbeat_timeout'"):
        await workflows.get_or_create("wf", "3", task_heartbeat_timeout=5)

    activities = domain.activities()
    act, made = await activities.get_or_create("act", "1", task_list="work", task_heartbeat_timeout=10)
    assert made and isinstance(act, ActivityType) and act.task_heartbeat_timeout == timedelta(seconds=10)
    again, made = await activities.get_or_create("act", "1", task_list="ignored")
    assert not made and again.task_list == "work"  # the registered one, as registered
    assert [a.key async for a in activities] == [{"name": "act", "version": "1"}]
    assert await activities.filter(status=DEPRECATED) == []


@pytest.mark.parametrize("kind", ["workflow", "activity"])
async def test_get_or_create_from_ten_tasks_registers_one_type(
    connection: aioswf.Connection, domain_name: str, kind: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    types: WorkflowTypeQuerySet | ActivityTypeQuerySet = (
        domain.workflows() if kind == "workflow" else domain.activities()
    )
    outcomes: list[bool] = []

    async def one() -> None:
        found, created = await types.get_or_create("raced", "1", task_list="t")
        assert (found.name, found.version, found.task_list) == ("raced", "1", "t")
        outcomes.append(created)

    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(one)
    assert sorted(outcomes) == [False] * 9 + [True]
    register = "RegisterWorkflowType" if kind == "workflow" else "RegisterActivityType"
    assert 1 <= connection.statistics().calls[register] <= 10
    assert connection.statistics().failures.get(register, 0) == connection.statistics().calls[register] - 1
    assert len(await types.filter(status=None)) == 1
