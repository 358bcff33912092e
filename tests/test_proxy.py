"""SWFProxy, exercised through aioswf's real client path (aiobotocore over HTTP) against moto.

moto shows none of this by itself: it never pages, never throttles, never holds an empty poll and
always answers heartbeats with ``cancelRequested: false``. Each test compares what the proxy
returns with what moto returns directly.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

import aioswf
from aioswf.exceptions import (
    DoesNotExistError,
    InvalidRequestError,
    ServiceUnavailableError,
    ThrottledError,
    TransportError,
)
from aioswf.testing import MotoServer, MotoSettings, SWFProxy

NO_RETRIES = aioswf.ConnectionConfig(max_attempts=1)
TASK_LIST = {"name": "main"}


@pytest.fixture
async def proxy(moto: MotoServer) -> AsyncIterator[SWFProxy]:
    async with SWFProxy(moto.url) as proxy:
        yield proxy


def through(moto: MotoServer, proxy: SWFProxy) -> MotoSettings:
    """moto's settings, with the proxy as the endpoint."""
    settings = moto.settings
    settings["endpoint_url"] = proxy.url
    return settings


@pytest.fixture
async def via_proxy(moto: MotoServer, proxy: SWFProxy) -> AsyncIterator[aioswf.Connection]:
    async with aioswf.Connection(config=NO_RETRIES, **through(moto, proxy)) as conn:
        yield conn


async def register_workflow(conn: aioswf.Connection, domain: str) -> None:
    await conn.call("RegisterDomain", {"name": domain, "workflowExecutionRetentionPeriodInDays": "1"})
    await conn.call(
        "RegisterWorkflowType",
        {
            "domain": domain,
            "name": "wf",
            "version": "1",
            "defaultTaskList": TASK_LIST,
            "defaultExecutionStartToCloseTimeout": "300",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        },
    )


async def start(conn: aioswf.Connection, domain: str, signals: int = 0) -> dict[str, str]:
    """Start an execution, signal it ``signals`` times, and return its ``workflowExecution``."""
    workflow_id = f"wf-{uuid.uuid4().hex[:8]}"
    started = await conn.call(
        "StartWorkflowExecution",
        {"domain": domain, "workflowId": workflow_id, "workflowType": {"name": "wf", "version": "1"}},
    )
    for n in range(signals):
        signal = {"domain": domain, "workflowId": workflow_id, "signalName": f"s{n}", "input": ""}
        await conn.call("SignalWorkflowExecution", signal)
    return {"workflowId": workflow_id, "runId": started["runId"]}


async def all_pages(conn: aioswf.Connection, operation: str, params: dict[str, Any], key: str) -> list[Any]:
    """Follow ``nextPageToken`` by hand; a list of pages, each the list of items on it."""
    pages: list[Any] = []
    token: str | None = None
    while True:
        answer = await conn.call(operation, {**params, **({"nextPageToken": token} if token else {})})
        pages.append(answer[key])
        token = answer.get("nextPageToken")
        if token is None:
            return pages
        assert isinstance(token, str) and token


async def wait_until(condition: Callable[[], bool]) -> None:
    """Wait for a change of the proxy's plain state (it offers no events to wait on)."""
    while not condition():
        await anyio.sleep(0.01)


def test_page_size_is_checked_and_url_needs_a_running_proxy() -> None:
    with pytest.raises(ValueError):
        SWFProxy("http://127.0.0.1:1", page_size=0)
    with pytest.raises(RuntimeError):
        _ = SWFProxy("http://127.0.0.1:1").url


async def test_forwarding_is_transparent(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    register = {"name": domain_name, "workflowExecutionRetentionPeriodInDays": "1", "description": "é"}
    await via_proxy.call("RegisterDomain", register)
    proxied = await via_proxy.call("DescribeDomain", {"name": domain_name})
    assert proxied == await connection.call("DescribeDomain", {"name": domain_name})
    assert proxied["domainInfo"]["description"] == "é"
    # moto's own faults pass through unchanged, so they map as they do without the proxy.
    with pytest.raises(DoesNotExistError):
        await via_proxy.call("DescribeDomain", {"name": "nope"})
    assert proxy.requests == [
        ("RegisterDomain", register),
        ("DescribeDomain", {"name": domain_name}),
        ("DescribeDomain", {"name": "nope"}),
    ]
    assert proxy.count("DescribeDomain") == 2
    assert proxy.forwarded == {"RegisterDomain": 1, "DescribeDomain": 2}


async def test_list_domains_is_paged(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    for n in range(7):
        await connection.call(
            "RegisterDomain", {"name": f"{domain_name}-{n}", "workflowExecutionRetentionPeriodInDays": "1"}
        )
    unpaged = await connection.call("ListDomains", {"registrationStatus": "REGISTERED"})
    assert "nextPageToken" not in unpaged  # moto never pages
    proxy.page_size = 3
    pages = await all_pages(via_proxy, "ListDomains", {"registrationStatus": "REGISTERED"}, "domainInfos")
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [info for page in pages for info in page] == unpaged["domainInfos"]
    assert len({info["name"] for page in pages for info in page}) == 7
    # Later pages come from the proxy's copy: moto was asked once.
    assert proxy.count("ListDomains") == 3
    assert proxy.forwarded["ListDomains"] == 1


async def test_smaller_maximum_page_size_wins_and_bad_tokens_are_refused(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    await register_workflow(connection, domain_name)
    for _ in range(3):
        await start(connection, domain_name)
    proxy.page_size = 5
    query = {"domain": domain_name, "startTimeFilter": {"oldestDate": 0}, "maximumPageSize": 2}
    # moto alone would cut the list at maximumPageSize with no token; the proxy pages all three.
    pages = await all_pages(via_proxy, "ListOpenWorkflowExecutions", query, "executionInfos")
    assert [len(page) for page in pages] == [2, 1]
    assert proxy.requests[0][1]["maximumPageSize"] == 2

    with pytest.raises(InvalidRequestError) as caught:
        await via_proxy.call("ListOpenWorkflowExecutions", {**query, "nextPageToken": "forged"})
    assert caught.value.code == "ValidationException"
    assert caught.value.status == 400
    first = await via_proxy.call("ListOpenWorkflowExecutions", query)
    with pytest.raises(InvalidRequestError):  # a token is only good for the operation that made it
        await via_proxy.call(
            "ListClosedWorkflowExecutions",
            {
                "domain": domain_name,
                "startTimeFilter": {"oldestDate": 0},
                "nextPageToken": first["nextPageToken"],
            },
        )


async def test_history_is_paged(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    await register_workflow(connection, domain_name)
    execution = await start(connection, domain_name, signals=2)
    query = {"domain": domain_name, "execution": execution}
    unpaged = (await connection.call("GetWorkflowExecutionHistory", query))["events"]
    # SWF: 4 events. moto schedules one more decision task per signal: 6.
    assert len(unpaged) >= 4
    proxy.page_size = 3
    pages = await all_pages(via_proxy, "GetWorkflowExecutionHistory", query, "events")
    assert [len(page) for page in pages[:-1]] == [3] * (len(pages) - 1)
    assert 1 <= len(pages[-1]) <= 3
    assert len(pages) >= 2
    assert [event for page in pages for event in page] == unpaged


async def test_decision_task_is_paged_like_swf(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    await register_workflow(connection, domain_name)
    execution = await start(connection, domain_name, signals=2)
    proxy.page_size = 2
    poll = {"domain": domain_name, "taskList": TASK_LIST, "identity": "decider"}
    first = await via_proxy.call("PollForDecisionTask", poll)
    assert first["taskToken"]
    assert first["workflowExecution"] == execution
    assert len(first["events"]) == 2
    events = list(first["events"])
    token: str | None = first["nextPageToken"]
    while token is not None:
        page = await via_proxy.call("PollForDecisionTask", {**poll, "nextPageToken": token})
        # SWF's later pages belong to the same decision task: same token, the following events.
        assert page["taskToken"] == first["taskToken"]
        assert page["startedEventId"] == first["startedEventId"]
        assert 1 <= len(page["events"]) <= 2
        events += page["events"]
        token = page.get("nextPageToken")
    assert proxy.forwarded["PollForDecisionTask"] == 1
    # moto returns the whole history in one poll; the pages add up to it.
    history = await connection.call(
        "GetWorkflowExecutionHistory", {"domain": domain_name, "execution": execution}
    )
    assert events == history["events"]
    assert [e["eventType"] for e in events][-1] == "DecisionTaskStarted"


async def test_fail_next_answers_with_swf_faults(
    proxy: SWFProxy, via_proxy: aioswf.Connection, domain_name: str
) -> None:
    await via_proxy.call(
        "RegisterDomain", {"name": domain_name, "workflowExecutionRetentionPeriodInDays": "1"}
    )
    describe = {"name": domain_name}
    proxy.fail_next("DescribeDomain", times=2)
    for _ in range(2):
        with pytest.raises(ThrottledError) as throttled:
            await via_proxy.call("DescribeDomain", describe)
        assert throttled.value.code == "ThrottlingException"
        assert throttled.value.status == 400
        assert throttled.value.message == "Rate exceeded"
        assert throttled.value.request_id
    assert (await via_proxy.call("DescribeDomain", describe))["domainInfo"]["name"] == domain_name

    proxy.fail_next("DescribeDomain", status=503, code="ServiceUnavailable", message="try later")
    proxy.fail_next("DescribeDomain", status=500, code="InternalFailure", message="oops")
    with pytest.raises(ServiceUnavailableError) as unavailable:
        await via_proxy.call("DescribeDomain", describe)
    assert (unavailable.value.status, unavailable.value.code) == (503, "ServiceUnavailable")
    with pytest.raises(ServiceUnavailableError) as internal:
        await via_proxy.call("DescribeDomain", describe)
    assert internal.value.status == 500
    assert proxy.count("DescribeDomain") == 5
    assert proxy.forwarded["DescribeDomain"] == 1
    assert via_proxy.statistics().failures == {"DescribeDomain": 4}


async def test_reset_next_is_a_transport_error(proxy: SWFProxy, via_proxy: aioswf.Connection) -> None:
    proxy.reset_next("ListDomains")
    with pytest.raises(TransportError):
        await via_proxy.call("ListDomains", {"registrationStatus": "REGISTERED"})
    assert await via_proxy.call("ListDomains", {"registrationStatus": "REGISTERED"}) == {"domainInfos": []}
    assert proxy.forwarded["ListDomains"] == 1


async def test_delay_next_waits_and_a_short_read_timeout_gives_up(moto: MotoServer, proxy: SWFProxy) -> None:
    config = aioswf.ConnectionConfig(max_attempts=1, read_timeout=0.5)
    async with aioswf.Connection(config=config, **through(moto, proxy)) as conn:
        proxy.delay_next("ListDomains", 0.2)
        began = time.monotonic()
        assert await conn.call("ListDomains", {"registrationStatus": "REGISTERED"}) == {"domainInfos": []}
        assert time.monotonic() - began >= 0.2
        proxy.delay_next("ListDomains", 30)
        with pytest.raises(TransportError):
            await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})
    assert proxy.forwarded["ListDomains"] == 1


async def test_cancel_requested_reaches_a_real_heartbeat(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    await register_workflow(connection, domain_name)
    await connection.call(
        "RegisterActivityType",
        {"domain": domain_name, "name": "act", "version": "1", "defaultTaskList": {"name": "work"}},
    )
    await start(connection, domain_name)
    decision = await connection.call("PollForDecisionTask", {"domain": domain_name, "taskList": TASK_LIST})
    schedule = {
        "activityType": {"name": "act", "version": "1"},
        "activityId": "a1",
        "taskList": {"name": "work"},
        "scheduleToCloseTimeout": "300",
        "scheduleToStartTimeout": "300",
        "startToCloseTimeout": "300",
        "heartbeatTimeout": "300",
    }
    await connection.call(
        "RespondDecisionTaskCompleted",
        {
            "taskToken": decision["taskToken"],
            "decisions": [
                {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": schedule}
            ],
        },
    )
    task = await connection.call("PollForActivityTask", {"domain": domain_name, "taskList": {"name": "work"}})
    beat = {"taskToken": task["taskToken"], "details": "halfway"}
    assert await via_proxy.call("RecordActivityTaskHeartbeat", beat) == {"cancelRequested": False}
    proxy.cancel_requested = True
    assert await via_proxy.call("RecordActivityTaskHeartbeat", beat) == {"cancelRequested": True}
    assert await connection.call("RecordActivityTaskHeartbeat", beat) == {"cancelRequested": False}
    assert proxy.forwarded["RecordActivityTaskHeartbeat"] == 2  # moto still saw every heartbeat


async def test_hold_empty_polls_holds_an_empty_answer(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    await connection.call(
        "RegisterDomain", {"name": domain_name, "workflowExecutionRetentionPeriodInDays": "1"}
    )
    proxy.hold_empty_polls = 0.3
    began = time.monotonic()
    answer = await via_proxy.call(
        "PollForActivityTask", {"domain": domain_name, "taskList": {"name": "idle"}}
    )
    assert not answer.get("taskToken")  # moto omits it, SWF sends ""
    assert time.monotonic() - began >= 0.3
    assert (proxy.held_polls, proxy.abandoned_polls, proxy.holding) == (1, 0, 0)


async def test_empty_polls_are_counted_and_answered_polls_are_held_too(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    await register_workflow(connection, domain_name)
    await connection.call(
        "StartWorkflowExecution",
        {"domain": domain_name, "workflowId": "w", "workflowType": {"name": "wf", "version": "1"}},
    )
    poll = {"domain": domain_name, "taskList": TASK_LIST}
    assert (await via_proxy.call("PollForDecisionTask", poll))["taskToken"]
    assert proxy.empty_polls == 0  # a poll that brought a task is not empty
    # A poll answered by the proxy itself (nothing reaches moto) is held like SWF's long poll.
    proxy.answers["PollForActivityTask"] = {"startedEventId": 0}
    proxy.hold_empty_polls = 0.3
    began = time.monotonic()
    idle = {"domain": domain_name, "taskList": {"name": "idle"}}
    assert await via_proxy.call("PollForActivityTask", idle) == {"startedEventId": 0}
    assert time.monotonic() - began >= 0.3
    assert (proxy.empty_polls, proxy.held_polls) == (1, 1)
    assert proxy.forwarded["PollForActivityTask"] == 0


async def test_a_held_poll_ends_when_the_client_gives_up(
    proxy: SWFProxy, via_proxy: aioswf.Connection, connection: aioswf.Connection, domain_name: str
) -> None:
    await connection.call(
        "RegisterDomain", {"name": domain_name, "workflowExecutionRetentionPeriodInDays": "1"}
    )
    proxy.hold_empty_polls = 60
    poll = {"domain": domain_name, "taskList": TASK_LIST}
    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(via_proxy.call, "PollForDecisionTask", poll)
            await wait_until(lambda: proxy.holding == 1)
            tg.cancel_scope.cancel()
        # The cancelled call closed its HTTP connection; the proxy sees that and stops holding.
        await wait_until(lambda: proxy.holding == 0)
    assert (proxy.held_polls, proxy.abandoned_polls) == (0, 1)
    assert via_proxy.statistics().polls_in_flight == 0


async def test_an_unreachable_upstream_is_a_bad_gateway(moto: MotoServer) -> None:
    with socket.socket() as sock:  # a port nothing listens on once the socket is closed
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    async with (
        SWFProxy(dead) as proxy,
        aioswf.Connection(config=NO_RETRIES, **through(moto, proxy)) as conn,
    ):
        with pytest.raises(ServiceUnavailableError) as caught:
            await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})
    assert caught.value.status == 502


async def test_answers_replace_one_operation_and_forward_the_rest(
    moto: MotoServer, proxy: SWFProxy, via_proxy: aioswf.Connection, domain_name: str
) -> None:
    # moto cannot count executions (HTTP 500): the proxy answers that operation itself.
    proxy.answers["CountOpenWorkflowExecutions"] = {"count": 7, "truncated": False}
    counted = await via_proxy.call(
        "CountOpenWorkflowExecutions", {"domain": domain_name, "startTimeFilter": {"oldestDate": 0}}
    )
    assert counted == {"count": 7, "truncated": False}
    assert proxy.forwarded["CountOpenWorkflowExecutions"] == 0
    with pytest.raises(aioswf.exceptions.DoesNotExistError):  # everything else still reaches moto
        await via_proxy.call("DescribeDomain", {"name": domain_name})
    assert proxy.forwarded["DescribeDomain"] == 1
