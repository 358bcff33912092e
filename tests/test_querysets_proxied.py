"""What moto cannot show about querysets, through SWFProxy: pages and tokens, the requests sent
(which filter goes to SWF), and counts.

moto never pages (the proxy cuts its answers into pages with ``nextPageToken`` and serves the
later ones itself), ignores ListActivityTypes' name and most execution filters (the requests are
checked instead, as ``proxy.requests`` holds each one's JSON after botocore validated it),
fails a type filter without a version and any Count call with HTTP 500, and drops every execution
on a close-status filter. For counts and a name-only type filter, which moto cannot answer at all,
the proxy answers the one operation itself (``proxy.answers``) and forwards the rest to moto.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import aioswf
from aioswf.constants import CLOSED, FAILED, OPEN, TERMINATED
from aioswf.exceptions import ServiceUnavailableError
from aioswf.models import ActivityType, Domain, WorkflowType
from aioswf.querysets import ActivityTypeQuerySet, DomainQuerySet, ExecutionCount, WorkflowExecutionQuerySet
from aioswf.testing import MotoServer, MotoSettings, SWFProxy

from .conftest import NO_RETRIES


def through(moto: MotoServer, proxy: SWFProxy) -> MotoSettings:
    """moto's settings, with the proxy as the endpoint."""
    settings = moto.settings
    settings["endpoint_url"] = proxy.url
    return settings


@pytest.fixture
async def proxy(moto: MotoServer) -> AsyncIterator[SWFProxy]:
    async with SWFProxy(moto.url) as proxy:
        yield proxy


@pytest.fixture
async def via_proxy(moto: MotoServer, proxy: SWFProxy) -> AsyncIterator[aioswf.Connection]:
    async with aioswf.Connection(config=NO_RETRIES, **through(moto, proxy)) as conn:
        yield conn


def sent(proxy: SWFProxy, operation: str) -> list[dict[str, Any]]:
    return [params for name, params in proxy.requests if name == operation]


async def test_every_page_of_domains_is_followed(
    proxy: SWFProxy, via_proxy: aioswf.Connection, domain_name: str
) -> None:
    domains = DomainQuerySet(connection=via_proxy)
    for n in range(7):
        await domains.create(f"{domain_name}-{n}")
    proxy.page_size = 3
    assert [d.name for d in await domains.all()] == [f"{domain_name}-{n}" for n in range(7)]
    requests = sent(proxy, "ListDomains")
    assert requests[0] == {"registrationStatus": "REGISTERED", "maximumPageSize": 1000}
    assert len(requests) == 3 and all(r["nextPageToken"] for r in requests[1:])
    assert [len(page) async for page in domains.pages()] == [3, 3, 1]
    # Streaming asks for the next page only when the current one is used up.
    before = proxy.count("ListDomains")
    async with aclosing(aiter(domains)) as stream:
        first = await anext(stream)
    assert first.name == f"{domain_name}-0" and proxy.count("ListDomains") == before + 1


async def test_maximum_page_size_is_sent_and_every_page_followed(
    proxy: SWFProxy, via_proxy: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=via_proxy).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list="t").save()
    for n in range(5):
        await workflow.start_execution(f"w{n}")
    proxy.page_size = 1000  # the proxy pages by the smaller of this and maximumPageSize
    executions = WorkflowExecutionQuerySet(domain, maximum_page_size=2)
    assert [len(page) async for page in executions.filter(status=OPEN).pages()] == [2, 2, 1]
    requests = sent(proxy, "ListOpenWorkflowExecutions")
    assert [r["maximumPageSize"] for r in requests] == [2, 2, 2]
    assert requests[0] == {"domain": domain_name, "startTimeFilter": {"oldestDate": 0}, "maximumPageSize": 2}
    assert [r.get("nextPageToken") is not None for r in requests] == [False, True, True]
    assert len(await executions) == 5  # open (3 pages) then closed (1 empty page)
    assert sent(proxy, "ListClosedWorkflowExecutions")[-1]["startTimeFilter"] == {"oldestDate": 0}


async def test_activity_types_by_name_follow_every_page_with_valid_requests(
    proxy: SWFProxy, via_proxy: aioswf.Connection, domain_name: str
) -> None:
    # python-swf's ActivityTypeQuerySet.filter(name=...) read one page only, and later sent a
    # request SWF refused. moto ignores the name, so each page also holds other types.
    domain = await Domain(domain_name, connection=via_proxy).save()
    for version in range(5):
        await ActivityType(domain, "act", str(version)).save()
    for name in ("b", "c", "d", "e"):
        await ActivityType(domain, name, "1").save()
    proxy.page_size = 2
    found = await ActivityTypeQuerySet(domain).filter(name="act")
    assert [t.version for t in found] == ["0", "1", "2", "3", "4"]
    requests = sent(proxy, "ListActivityTypes")
    assert len(requests) == 5  # 9 types, 2 a page
    expected = {
        "domain": domain_name,
        "registrationStatus": "REGISTERED",
        "name": "act",
        "maximumPageSize": 1000,
    }
    assert requests[0] == expected
    assert all({k: v for k, v in r.items() if k != "nextPageToken"} == expected for r in requests)
    assert await ActivityTypeQuerySet(domain).filter(name="act", version="4") == [found[-1]]


async def test_history_follows_every_page(
    proxy: SWFProxy, via_proxy: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=via_proxy).save()
    execution = await (await WorkflowType(domain, "wf", "1", task_list="t").save()).start_execution("w")
    for n in range(3):
        await execution.signal(f"s{n}")
    proxy.page_size = 2
    history = await execution.history()
    assert len(history) >= 5 and [e.event_id for e in history] == list(range(1, len(history) + 1))
    assert proxy.count("GetWorkflowExecutionHistory") == -(-len(history) // 2)


@pytest.fixture
async def executions(
    proxy: SWFProxy, via_proxy: aioswf.Connection, domain_name: str
) -> WorkflowExecutionQuerySet:
    domain = await Domain(domain_name, connection=via_proxy).save()
    await WorkflowType(domain, "wf", "1", task_list="t").save()
    proxy.requests.clear()
    return domain.executions()


def exclusive(params: dict[str, Any]) -> dict[str, Any]:
    keys = ("executionFilter", "typeFilter", "tagFilter", "closeStatusFilter")
    return {key: params[key] for key in keys if key in params}


async def test_one_exclusive_filter_is_sent_the_most_selective(
    proxy: SWFProxy, executions: WorkflowExecutionQuerySet
) -> None:
    cases: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (
            {"workflow_id": "a", "workflow_type_name": "wf", "tag": "x"},
            {"executionFilter": {"workflowId": "a"}},
        ),
        (
            {"workflow_type_name": "wf", "workflow_type_version": "1", "tag": "x"},
            {"typeFilter": {"name": "wf", "version": "1"}},
        ),
        ({"workflow_type_version": "1", "tag": "x"}, {"tagFilter": {"tag": "x"}}),  # no name: no typeFilter
        ({"tag": "x", "close_status": TERMINATED}, {"tagFilter": {"tag": "x"}}),
        ({"status": OPEN}, {}),
    ]
    for filters, expected in cases:
        proxy.requests.clear()
        await executions.filter(**filters)
        assert proxy.requests, filters
        for _, params in proxy.requests:
            assert exclusive(params) == expected, filters


async def test_close_filters_are_sent_for_closed_executions(
    proxy: SWFProxy, executions: WorkflowExecutionQuerySet
) -> None:
    # python-swf could not use close-time filters at all.
    since = datetime(2024, 5, 1, tzinfo=UTC)
    await executions.filter(close_oldest_date=since, start_oldest_date=datetime(2024, 4, 1, tzinfo=UTC))
    [(operation, params)] = proxy.requests
    assert operation == "ListClosedWorkflowExecutions"  # a close filter: closed executions only
    assert params["closeTimeFilter"] == {"oldestDate": since.timestamp()}
    assert "startTimeFilter" not in params  # SWF takes one time filter: the start date is checked here
    proxy.requests.clear()
    before = datetime.now(UTC)
    await executions.filter(start_oldest_date=timedelta(hours=2), start_latest_date=timedelta(hours=1))
    window = proxy.requests[0][1]["startTimeFilter"]
    assert before.timestamp() - 7200 - 5 < window["oldestDate"] <= datetime.now(UTC).timestamp() - 7200
    assert window["latestDate"] - window["oldestDate"] == pytest.approx(3600)


async def test_close_status_alone_goes_to_swf(
    proxy: SWFProxy, executions: WorkflowExecutionQuerySet, connection: aioswf.Connection
) -> None:
    workflow = WorkflowType(executions.domain, "wf", "1", connection=connection)
    await (await workflow.start_execution("gone")).terminate()
    assert await executions.filter(close_status=TERMINATED) == []  # moto drops every execution here
    assert proxy.requests[-1] == (
        "ListClosedWorkflowExecutions",
        {
            "domain": executions.domain.name,
            "startTimeFilter": {"oldestDate": 0},
            "closeStatusFilter": {"status": TERMINATED},
            "maximumPageSize": 1000,
        },
    )
    # With a filter that goes first, the close status is checked here, and moto's answer is right.
    assert [e.workflow_id for e in await executions.filter(close_status=TERMINATED, workflow_id="gone")] == [
        "gone"
    ]


def info(workflow_id: str, name: str, status: str = OPEN) -> dict[str, Any]:
    return {
        "execution": {"workflowId": workflow_id, "runId": f"run-{workflow_id}"},
        "workflowType": {"name": name, "version": "1"},
        "startTimestamp": 1_704_067_200.0,
        "executionStatus": status,
    }


@pytest.fixture
async def stubbed(moto: MotoServer) -> AsyncIterator[tuple[SWFProxy, WorkflowExecutionQuerySet]]:
    """moto behind a proxy that answers, itself, the operations put in ``proxy.answers``."""
    async with (
        SWFProxy(moto.url) as proxy,
        aioswf.Connection(config=NO_RETRIES, **through(moto, proxy)) as conn,
    ):
        yield proxy, WorkflowExecutionQuerySet(Domain("d", connection=conn))


async def test_a_type_filter_without_version(
    stubbed: tuple[SWFProxy, WorkflowExecutionQuerySet], executions: WorkflowExecutionQuerySet
) -> None:
    # moto requires a version in typeFilter (HTTP 500); SWF takes a name alone.
    with pytest.raises(ServiceUnavailableError):
        await executions.filter(status=OPEN, workflow_type_name="wf")
    # A server that ignored the filter would answer every type: only wf's are kept.
    proxy, qs = stubbed
    proxy.answers["ListOpenWorkflowExecutions"] = {"executionInfos": [info("a", "wf"), info("b", "other")]}
    assert [e.workflow_id for e in await qs.filter(status=OPEN, workflow_type_name="wf")] == ["a"]
    assert exclusive(proxy.requests[-1][1]) == {"typeFilter": {"name": "wf"}}


async def test_count_asks_swf_to_count(
    stubbed: tuple[SWFProxy, WorkflowExecutionQuerySet], executions: WorkflowExecutionQuerySet
) -> None:
    with pytest.raises(ServiceUnavailableError):  # moto: HTTP 500
        await executions.count()
    proxy, qs = stubbed
    proxy.answers["CountOpenWorkflowExecutions"] = {"count": 3, "truncated": False}
    proxy.answers["CountClosedWorkflowExecutions"] = {"count": 5, "truncated": True}
    assert await qs.filter(tag="x").count() == ExecutionCount(8, truncated=True)
    assert proxy.requests == [
        (
            "CountOpenWorkflowExecutions",
            {"domain": "d", "startTimeFilter": {"oldestDate": 0}, "tagFilter": {"tag": "x"}},
        ),
        (
            "CountClosedWorkflowExecutions",
            {"domain": "d", "startTimeFilter": {"oldestDate": 0}, "tagFilter": {"tag": "x"}},
        ),
    ]
    proxy.requests.clear()
    assert await qs.filter(
        status=CLOSED, close_status=FAILED, close_latest_date=datetime(2024, 1, 2, tzinfo=UTC)
    ).count() == (ExecutionCount(5, True))
    assert proxy.requests == [
        (
            "CountClosedWorkflowExecutions",
            {
                "domain": "d",
                "closeTimeFilter": {"oldestDate": 0, "latestDate": 1_704_153_600},
                "closeStatusFilter": {"status": FAILED},
            },
        )
    ]
    proxy.requests.clear()
    assert await qs.filter(status=OPEN).count() == ExecutionCount(3, False)
    assert [name for name, _ in proxy.requests] == ["CountOpenWorkflowExecutions"]
