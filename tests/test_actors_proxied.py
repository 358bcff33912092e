"""What moto cannot show, through SWFProxy in front of it: paged histories, cancel requests, faults."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, ScheduleActivityTask
from aioswf.events import ActivityTaskCompleted, ActivityTaskScheduled, WorkflowExecutionSignaled
from aioswf.models import Domain
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


async def test_answers_get_through_throttling_and_resets_exactly_once(
    connection: aioswf.Connection, via_proxy: aioswf.Connection, proxy: SWFProxy, domain_name: str
) -> None:
    """Every polled task is answered exactly once although its answers meet faults on the way."""
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await workflow.start_execution("faulty")
    proxy.reset_next("RespondDecisionTaskCompleted")
    proxy.fail_next(
        "RespondActivityTaskCompleted", code="ThrottlingException", message="Rate exceeded", times=2
    )
    proxy.fail_next("RespondActivityTaskCompleted", status=503, code="ServiceUnavailable", message="busy")

    def decide(task: DecisionTask) -> list[Decision]:
        state = task.history.compile()
        done = state.activities.get("a")
        if done is None:
            return [ScheduleActivityTask(activity_type=activity, activity_id="a", input="x")]
        if done.status == "completed":
            return [CompleteWorkflowExecution(result=done.result)]
        return []

    local = domain.using(via_proxy)
    async with (
        Decider(local, "decisions", decide),
        ActivityWorker(local, ACTIVITIES, {activity: lambda t: "ok"}),
    ):
        closed = await execution.wait_closed(timeout=30, interval=0.1)
    assert closed.close_status == "COMPLETED"
    history = await execution.history()
    assert len(events_of(history, ActivityTaskScheduled)) == 1  # the reset decision was not applied twice
    assert [e.result for e in events_of(history, ActivityTaskCompleted)] == ["ok"]
    assert proxy.count("RespondActivityTaskCompleted") == 4  # three faults, then through
    assert proxy.count("RespondDecisionTaskCompleted") == 3  # one reset, then two decisions


async def test_heartbeat_faults_are_retried_never_fatal(
    connection: aioswf.Connection, via_proxy: aioswf.Connection, proxy: SWFProxy, domain_name: str
) -> None:
    # moto enforces the 2 s heartbeat timeout: the beat at 1.6 s is throttled, and its retry
    # 0.16 s later must land in time for the activity to survive.
    domain, workflow, activity = await setup_types(connection, domain_name, heartbeat_timeout=2)
    execution = await start_with_activities(workflow, activity, ["x"])
    proxy.fail_next("RecordActivityTaskHeartbeat", code="ThrottlingException", message="Rate exceeded")

    async def slow(task: ActivityTask) -> str:
        await anyio.sleep(3.0)
        return "survived"

    worker = ActivityWorker(domain.using(via_proxy), ACTIVITIES, {activity: slow})
    async with worker:
        with anyio.fail_after(20):
            while not events_of(await execution.history(), ActivityTaskCompleted):
                await anyio.sleep(0.1)
    assert proxy.count("RecordActivityTaskHeartbeat") >= 2
    assert worker.statistics().heartbeats_sent == proxy.count("RecordActivityTaskHeartbeat") - 1
    assert [e.result for e in events_of(await execution.history(), ActivityTaskCompleted)] == ["survived"]


async def test_instant_empty_polls_do_not_spin(
    connection: aioswf.Connection, via_proxy: aioswf.Connection, proxy: SWFProxy, domain_name: str
) -> None:
    # A misconfigured endpoint that answers every poll at once, empty: the proxy plays it.
    await Domain(domain_name, connection=connection).save()
    proxy.answers["PollForActivityTask"] = {"startedEventId": 0}
    worker = ActivityWorker(Domain(domain_name, connection=via_proxy), ACTIVITIES)
    async with worker:
        await anyio.sleep(1.5)
    # One poll per second at most, where a hot loop would have sent hundreds.
    assert 1 <= proxy.count("PollForActivityTask") <= 3
    assert worker.statistics().empty_polls == proxy.count("PollForActivityTask")


async def test_limit_exceeded_backs_off_for_seconds(
    connection: aioswf.Connection, via_proxy: aioswf.Connection, proxy: SWFProxy, domain_name: str
) -> None:
    # SWF allows 1,000 pollers per task list and answers the next with LimitExceededFault.
    await Domain(domain_name, connection=connection).save()
    proxy.fail_next("PollForActivityTask", code="LimitExceededFault", message="too many pollers")
    worker = ActivityWorker(Domain(domain_name, connection=via_proxy), ACTIVITIES)
    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            await group.start(worker.run)
            await anyio.sleep(1.5)
            assert proxy.count("PollForActivityTask") == 1  # still backing off (10-20 s)
            worker.stop(immediate=True)
