"""What moto cannot show, through SWFProxy in front of it: paged histories, cancel requests, faults."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, Decider
from aioswf.events import ActivityTaskCompleted, WorkflowExecutionSignaled
from aioswf.testing import MotoServer, MotoSettings, SWFProxy

from .conftest import NO_RETRIES
from .test_actors import ACTIVITIES, events_of, setup_types, start_with_activities


@pytest.fixture
async def proxy(moto: MotoServer) -> AsyncIterator[SWFProxy]:
    async with SWFProxy(moto.url) as proxy:
        yield proxy


@pytest.fixture
async def via_proxy(moto: MotoServer, proxy: SWFProxy) -> AsyncIterator[aioswf.Connection]:
    settings: MotoSettings = moto.settings
    settings["endpoint_url"] = proxy.url
    async with aioswf.Connection(config=NO_RETRIES, **settings) as conn:
        yield conn


async def test_decider_follows_every_history_page(
    connection: aioswf.Connection, via_proxy: aioswf.Connection, proxy: SWFProxy, domain_name: str
) -> None:
    # moto never pages a decision task's history; the proxy cuts it into pages of 2 events.
    domain, workflow, _ = await setup_types(connection, domain_name)
    execution = await workflow.start_execution("paged")
    for number in range(3):
        await execution.signal(f"s{number}", input=str(number))
    proxy.page_size = 2
    task = await Decider(domain.using(via_proxy), "decisions").poll()
    assert task is not None
    full = await execution.history()
    assert [e.event_id for e in task.history] == [e.event_id for e in full[: len(task.history)]]
    assert len(task.history) == task.started_event_id  # every event up to the task's own start
    assert proxy.count("PollForDecisionTask") == -(-len(task.history) // 2)  # one request per page
    assert [e.input for e in task.history if isinstance(e, WorkflowExecutionSignaled)] == ["0", "1", "2"]


async def test_cancel_requested_heartbeat_cancels_the_activity(
    connection: aioswf.Connection, via_proxy: aioswf.Connection, proxy: SWFProxy, domain_name: str
) -> None:
    # moto always answers cancelRequested=false and has no RespondActivityTaskCanceled (HTTP 500):
    # the proxy sets the flag, and the test checks what the worker sends.
    domain, workflow, activity = await setup_types(connection, domain_name, heartbeat_timeout=1)
    await start_with_activities(workflow, activity, ["x"])
    proxy.cancel_requested = True
    cancelled = anyio.Event()

    async def long(task: ActivityTask) -> str:
        try:
            while True:
                task.heartbeat("working")
                await anyio.sleep(0.05)
        finally:
            cancelled.set()

    worker = ActivityWorker(domain.using(via_proxy), ACTIVITIES, {activity: long})
    async with worker:
        with anyio.fail_after(10):
            await cancelled.wait()
        with anyio.fail_after(10):
            while proxy.count("RespondActivityTaskCanceled") == 0:
                await anyio.sleep(0.02)
    assert proxy.count("RespondActivityTaskCompleted") == 0
    assert proxy.count("RespondActivityTaskFailed") == 0
    assert worker.statistics().tasks_failed == 1


async def test_worker_keeps_polling_through_throttling_and_resets(
    connection: aioswf.Connection, via_proxy: aioswf.Connection, proxy: SWFProxy, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["x"])
    proxy.fail_next("PollForActivityTask", code="ThrottlingException", message="Rate exceeded")
    proxy.fail_next("PollForActivityTask", status=503, code="ServiceUnavailable", message="busy")
    proxy.reset_next("PollForActivityTask")
    worker = ActivityWorker(domain.using(via_proxy), ACTIVITIES, {activity: lambda task: "ok"})
    async with worker:
        with anyio.fail_after(30):
            while not events_of(await execution.history(), ActivityTaskCompleted):
                await anyio.sleep(0.1)
    assert proxy.count("PollForActivityTask") >= 4  # three faults, then the task
    assert [e.result for e in events_of(await execution.history(), ActivityTaskCompleted)] == ["ok"]
