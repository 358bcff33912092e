"""ActorGroup against the moto server: many actors in one task group, stops, failures, signals."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, Actor, ActorGroup, Decider, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, ScheduleActivityTask
from aioswf.events import ActivityTaskCompleted, ActivityTaskFailed, ActivityTaskStarted
from aioswf.exceptions import DoesNotExistError, InvalidCredentialsError, ValidationError
from aioswf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from aioswf.testing import MotoServer

ROOT = Path(__file__).resolve().parent.parent
ACTIVITY = ("work", "1")


async def register(connection: aioswf.Connection, domain_name: str) -> tuple[Domain, WorkflowType]:
    domain = await Domain(domain_name, retention_period=1, connection=connection).save()
    workflow = await WorkflowType(
        domain, "wf", "1", task_list="d0", decision_tasks_timeout=timedelta(seconds=5)
    ).save()
    minutes = timedelta(minutes=5)
    await ActivityType(
        domain,
        *ACTIVITY,
        task_list="a0",
        task_start_to_close_timeout=minutes,
        task_schedule_to_start_timeout=minutes,
        task_schedule_to_close_timeout=minutes,
    ).save()
    return domain, workflow


def decide(task: DecisionTask) -> list[Decision]:
    """One activity, on the task list the workflow's input names; complete with its result."""
    state = task.history.compile()
    job = json.loads(state.execution.input or "{}")
    activity = state.activities.get("only")
    if activity is None:
        return [
            ScheduleActivityTask(
                activity_type=ACTIVITY, activity_id="only", input=job["text"], task_list=job["activities"]
            )
        ]
    if activity.status == "completed":
        return [CompleteWorkflowExecution(result=activity.result)]
    return []


async def shout(task: ActivityTask) -> str:
    return f"{task.input}!".upper()


def tagged(name: str) -> Callable[[ActivityTask], Any]:
    async def work(task: ActivityTask) -> str:
        return f"{name}:{task.input}"

    return work


async def has_event(execution: WorkflowExecution, kind: type[Any]) -> bool:
    return any(isinstance(event, kind) for event in await execution.history())


async def wait_for_event(execution: WorkflowExecution, kind: type[Any], timeout: float = 20) -> None:
    with anyio.fail_after(timeout):
        while not await has_event(execution, kind):
            await anyio.sleep(0.05)


async def test_deciders_and_workers_on_several_task_lists_complete_workflows(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow = await register(connection, domain_name)
    deciders = [Decider(domain, f"d{n}", decide) for n in range(3)]
    workers = [ActivityWorker(domain, f"a{n}", {ACTIVITY: tagged(f"worker{n}")}) for n in range(2)]
    group = ActorGroup(*deciders, workers[0])
    executions = [
        await workflow.start_execution(
            f"w{n}", json.dumps({"text": f"job{n}", "activities": f"a{n % 2}"}), task_list=f"d{n % 3}"
        )
        for n in range(6)
    ]
    async with group:
        assert "running" in repr(group)
        group.add(workers[1])  # a running group starts an added actor at once
        closed = [await execution.wait_closed(timeout=30, interval=0.2) for execution in executions]
    assert [c.close_status for c in closed] == ["COMPLETED"] * 6
    results = []
    for execution in executions:
        last = (await execution.history()).last
        results.append(getattr(last, "result", None))
    assert results == [f"worker{n % 2}:job{n}" for n in range(6)]
    # Every decider decided for its own two workflows, twice each; every worker ran three.
    assert [d.statistics().tasks_done for d in deciders] == [4, 4, 4]
    assert [w.statistics().tasks_done for w in workers] == [3, 3]
    total = group.statistics()
    assert (total.tasks_done, total.tasks_failed, total.tasks_running, total.polls_in_flight) == (18, 0, 0, 0)
    assert total.empty_polls == sum(a.statistics().empty_polls for a in group.actors)
    assert len(group) == 5 and "stopped" in repr(group)


async def test_stop_ends_run_gracefully_and_an_empty_group_waits_for_it(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow = await register(connection, domain_name)
    execution = await workflow.start_execution("w", json.dumps({"text": "x", "activities": "a0"}))
    started = anyio.Event()
    release = anyio.Event()

    async def slow(task: ActivityTask) -> str:
        started.set()
        await release.wait()
        return "finished"

    group = ActorGroup()
    async with anyio.create_task_group() as tg:
        await tg.start(group.run)  # no actors: it runs until stop() all the same
        group.add(Decider(domain, "d0", decide))
        group.add(ActivityWorker(domain, "a0", {ACTIVITY: slow}))
        with anyio.fail_after(20):
            await started.wait()
        group.stop()  # graceful: the running activity finishes and is reported
        with pytest.raises(RuntimeError, match="stopping"):
            group.add(Decider(domain, "d1", decide))
        release.set()
    history = await execution.history()
    assert [e.result for e in history if isinstance(e, ActivityTaskCompleted)] == ["finished"]
    assert group.statistics().tasks_running == 0


async def test_immediate_stop_hands_running_activities_back(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow = await register(connection, domain_name)
    executions = [
        await workflow.start_execution(f"w{n}", json.dumps({"text": "x", "activities": f"a{n}"}))
        for n in range(2)
    ]
    running = 0

    async def forever(task: ActivityTask) -> str:
        nonlocal running
        running += 1
        await anyio.sleep(3600)
        return "never"

    group = ActorGroup(
        Decider(domain, "d0", decide),
        *(ActivityWorker(domain, f"a{n}", {ACTIVITY: forever}) for n in range(2)),
    )
    with anyio.fail_after(30):
        async with group:
            while running < 2:
                await anyio.sleep(0.05)
            group.stop(immediate=True)
    for execution in executions:
        [failed] = [e for e in await execution.history() if isinstance(e, ActivityTaskFailed)]
        assert failed.reason == "worker shutting down"


async def test_a_grace_period_for_the_whole_group(connection: aioswf.Connection, domain_name: str) -> None:
    domain, workflow = await register(connection, domain_name)
    execution = await workflow.start_execution("w", json.dumps({"text": "x", "activities": "a0"}))
    running = anyio.Event()

    async def forever(task: ActivityTask) -> str:
        running.set()
        await anyio.sleep(3600)
        return "never"

    group = ActorGroup(Decider(domain, "d0", decide), ActivityWorker(domain, "a0", {ACTIVITY: forever}))
    await group.wait_stopped()  # not started: returns at once
    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            await group.start(tg)  # the seed's start(), with an explicit owner
            await running.wait()
            began = anyio.current_time()
            group.stop(grace_period=0.3)  # over the workers' own 60 s
            await group.wait_stopped()
            waited = anyio.current_time() - began
    [failed] = [e for e in await execution.history() if isinstance(e, ActivityTaskFailed)]
    assert failed.reason == "worker shutting down"
    assert 0.3 <= waited < 5  # the grace period, then the decider's poll in flight (about 1 s)
    with pytest.raises(ValidationError, match="grace_period"):
        group.stop(grace_period=-1)


async def test_an_actor_failing_at_start_up_raises_unwrapped_and_stops_the_others(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, _ = await register(connection, domain_name)
    good = Decider(domain, "d0", decide)
    never_started = ActivityWorker(domain, "a0", {ACTIVITY: shout})
    group = ActorGroup(good, Decider(Domain("no-such-domain", connection=connection), "d0"), never_started)
    with anyio.fail_after(20), pytest.raises(DoesNotExistError) as caught:
        async with group:
            pytest.fail("the block must not run")  # pragma: no cover
    assert type(caught.value) is DoesNotExistError  # not an ExceptionGroup around it
    assert "stopped" in repr(good) and good.statistics().polls_in_flight == 0
    assert never_started.statistics().empty_polls == 0  # it was never started


class FailingDecider(Decider):
    """A decider whose poll fails the way a revoked key does, once ``fail`` is set."""

    def __init__(self, domain: Domain, task_list: str, fail: anyio.Event) -> None:
        super().__init__(domain, task_list)
        self.fail = fail

    async def poll(
        self, task_list: str | None = None, identity: str | None = None, maximum_page_size: int | None = None
    ) -> DecisionTask | None:
        await self.fail.wait()
        raise InvalidCredentialsError("the key was revoked", operation="PollForDecisionTask", code="x")


async def test_an_actor_failing_later_lets_the_others_finish_their_work_first(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow = await register(connection, domain_name)
    execution = await workflow.start_execution("w", json.dumps({"text": "x", "activities": "a0"}))
    fail = anyio.Event()

    async def slow(task: ActivityTask) -> str:
        fail.set()  # the other actor fails while this activity runs
        await anyio.sleep(0.5)
        return "finished anyway"

    worker = ActivityWorker(domain, "a0", {ACTIVITY: slow})
    group = ActorGroup(Decider(domain, "d0", decide), worker, FailingDecider(domain, "d1", fail))
    with anyio.fail_after(30), pytest.raises(InvalidCredentialsError, match="revoked"):
        await group.run()
    # Stopped gracefully, not cancelled: the activity ran to its end and was reported.
    history = await execution.history()
    assert [e.result for e in history if isinstance(e, ActivityTaskCompleted)] == ["finished anyway"]
    assert not [e for e in history if isinstance(e, ActivityTaskFailed)]


async def test_a_failure_cancels_the_block_once_and_comes_out_unwrapped(
    connection: aioswf.Connection, domain_name: str
) -> None:
    """Like asyncio.TaskGroup: the block is cancelled once, so its own clean-up can still await
    (an aiohttp cleanup_ctx holds a group across the whole serving loop and needs exactly this)."""
    domain, _ = await register(connection, domain_name)
    fail = anyio.Event()
    cleaned_up = False
    group = ActorGroup(Decider(domain, "d0", decide), FailingDecider(domain, "d1", fail))
    with anyio.fail_after(20), pytest.raises(InvalidCredentialsError) as caught:
        async with group:
            fail.set()
            try:
                await anyio.sleep(30)
            finally:
                await anyio.sleep(0.05)  # not cancelled a second time
                cleaned_up = True
    assert type(caught.value) is InvalidCredentialsError and cleaned_up
    task = asyncio.current_task()
    assert task is not None and task.cancelling() == 0  # the group took its cancellation back


async def test_cancelling_the_block_from_outside_stops_the_group(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, _ = await register(connection, domain_name)
    group = ActorGroup(Decider(domain, "d0", decide), Decider(domain, "d1", decide))
    with anyio.move_on_after(0.5) as scope:
        async with group:
            await anyio.sleep(30)
    assert scope.cancelled_caught
    assert "stopped" in repr(group) and group.statistics().polls_in_flight == 0


async def test_several_failures_come_out_as_one_exception_group(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, _ = await register(connection, domain_name)
    fail = anyio.Event()
    group = ActorGroup(FailingDecider(domain, "d0", fail), FailingDecider(domain, "d1", fail))
    with anyio.fail_after(20), pytest.raises(ExceptionGroup) as caught:
        async with anyio.create_task_group() as tg:
            await tg.start(group.run)
            fail.set()
    # The task group above wraps what run() raised; run() itself raised one ExceptionGroup.
    [inner] = caught.value.exceptions
    assert isinstance(inner, ExceptionGroup)
    assert [type(e) for e in inner.exceptions] == [InvalidCredentialsError] * 2


def test_bad_members_are_refused() -> None:
    decider = Decider("some-domain", "d0")
    with pytest.raises(ValidationError, match="runs actors"):
        ActorGroup(decider, "not an actor")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="already"):
        ActorGroup(decider, decider)
    group = ActorGroup(decider)
    assert group.actors == (decider,) and isinstance(group.actors[0], Actor)


async def test_running_twice_is_refused(connection: aioswf.Connection, domain_name: str) -> None:
    domain, _ = await register(connection, domain_name)
    async with ActorGroup(Decider(domain, "d0", decide)) as group:
        with pytest.raises(RuntimeError, match="running already"):
            await group.run()
        group.stop(immediate=True)  # nothing is in flight but idle polls


async def test_run_until_signal_without_a_signal(connection: aioswf.Connection, domain_name: str) -> None:
    domain, _ = await register(connection, domain_name)
    bad = ActorGroup(Decider(Domain("no-such-domain", connection=connection), "d0"))
    with pytest.raises(DoesNotExistError):
        await bad.run_until_signal()
    group = ActorGroup(Decider(domain, "d0", decide))
    returned: list[signal.Signals | None] = []

    async def serve() -> None:
        returned.append(await group.run_until_signal([signal.SIGUSR1]))

    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            tg.start_soon(serve)
            await anyio.sleep(0.1)
            group.stop(immediate=True)  # stopped otherwise: it returns None
    assert returned == [None]
    with pytest.raises(ValidationError, match="at least one signal"):
        await group.run_until_signal([])


# A group in a process of its own, stopped by a real signal ------------------------------------


def child_main() -> int:
    """Run in the child: a decider and a worker until SIGTERM; the workflow's id on stdout."""
    return anyio.run(_child, backend="asyncio")


async def _child() -> int:
    async with aioswf.Connection(config=aioswf.ConnectionConfig(max_attempts=1)) as connection:
        domain, workflow = await register(connection, os.environ["TEST_DOMAIN"])
        execution = await workflow.start_execution("w", json.dumps({"text": "x", "activities": "a0"}))

        async def slow(task: ActivityTask) -> str:
            print("activity running", flush=True)
            await anyio.sleep(1.5)
            return "finished"

        group = ActorGroup(Decider(domain, "d0", decide), ActivityWorker(domain, "a0", {ACTIVITY: slow}))
        received = await group.run_until_signal()
        name = received.name if received is not None else None
        print(f"stopped by {name}: {execution.run_id}", flush=True)
    return 0


@pytest.mark.parametrize("signals", [1, 2], ids=["graceful", "immediate"])
async def test_a_real_signal_stops_a_group_in_another_process(
    moto: MotoServer, domain_name: str, signals: int
) -> None:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL_SWF": moto.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "TEST_DOMAIN": domain_name,
    }
    code = "import sys, tests.test_group as t; sys.exit(t.child_main())"
    process = await anyio.open_process(
        [sys.executable, "-W", "error", "-c", code], env=env, cwd=ROOT, stderr=subprocess.PIPE
    )
    async with process:
        assert process.stdout is not None and process.stderr is not None
        with anyio.fail_after(30):
            output = b""
            while b"activity running" not in output:
                output += await process.stdout.receive()
            for _ in range(signals):
                process.send_signal(signal.SIGTERM)
                await anyio.sleep(0.05)
            rest = [chunk async for chunk in process.stdout]
            errors = b"".join([chunk async for chunk in process.stderr]).decode()
            assert await process.wait() == 0, errors
    # Nothing on stderr but the group's log line about a second signal.
    expected = (
        ["SIGTERM received again: stopping <ActorGroup of 2 actors, running> now"] if signals == 2 else []
    )
    assert errors.splitlines() == expected
    last_line = b"".join([output, *rest]).decode().strip().splitlines()[-1]
    assert last_line.startswith("stopped by SIGTERM: ")
    run_id = last_line.rsplit(" ", 1)[-1]
    async with aioswf.Connection(**moto.settings) as connection:
        execution = WorkflowExecution(Domain(domain_name, connection=connection), "w", run_id)
        history = await execution.history()
    assert any(isinstance(e, ActivityTaskStarted) for e in history)
    completed = [e.result for e in history if isinstance(e, ActivityTaskCompleted)]
    failed = [e.reason for e in history if isinstance(e, ActivityTaskFailed)]
    if signals == 1:  # graceful: the activity ran to its end
        assert (completed, failed) == (["finished"], [])
    else:  # the second signal cancelled it, and it was handed back
        assert (completed, failed) == ([], ["worker shutting down"])
