"""Deciders and activity workers against the moto server: results, failures, heartbeats, stops."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import anyio
import pytest

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision
from aioswf.events import (
    ActivityTaskCompleted,
    ActivityTaskFailed,
    ActivityTaskTimedOut,
    DecisionTaskTimedOut,
    Event,
)
from aioswf.history import History
from aioswf.models import ActivityType, Domain, WorkflowExecution, WorkflowType

E = TypeVar("E", bound=Event)
DECISIONS = "decisions"
ACTIVITIES = "activities"


async def setup_types(
    connection: aioswf.Connection, domain_name: str, *, heartbeat_timeout: int | None = None
) -> tuple[Domain, WorkflowType, ActivityType]:
    domain = await Domain(domain_name, retention_period=1, connection=connection).save()
    workflow = await WorkflowType(
        domain, "wf", "1", task_list=DECISIONS, decision_tasks_timeout=timedelta(seconds=1)
    ).save()
    activity = await ActivityType(
        domain,
        "act",
        "1",
        task_list=ACTIVITIES,
        task_heartbeat_timeout=timedelta(seconds=heartbeat_timeout) if heartbeat_timeout else None,
        task_start_to_close_timeout=timedelta(minutes=5),
        task_schedule_to_start_timeout=timedelta(minutes=5),
        task_schedule_to_close_timeout=timedelta(minutes=10),
    ).save()
    return domain, workflow, activity


def schedule(activity: ActivityType, activity_id: str, input: str = "") -> dict[str, Any]:  # noqa: A002
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": activity.key,
            "activityId": activity_id,
            "input": input,
        },
    }


async def start_with_activities(
    workflow: WorkflowType, activity: ActivityType, inputs: Sequence[str], workflow_id: str = "w"
) -> WorkflowExecution:
    """Start an execution and answer its first decision task by scheduling one activity per input."""
    execution = await workflow.start_execution(workflow_id)
    decider = Decider(workflow.domain, DECISIONS)
    task = await decider.poll()  # a decision task is waiting: this poll does not idle
    assert task is not None and task.workflow_execution == execution
    await decider.complete(task.token, [schedule(activity, f"a{n}", value) for n, value in enumerate(inputs)])
    return execution


def events_of(history: History, kind: type[E]) -> list[E]:
    return [event for event in history if isinstance(event, kind)]


async def wait_for(condition: Any, timeout: float = 20.0) -> None:
    with anyio.fail_after(timeout):
        while not await condition():
            await anyio.sleep(0.05)


async def test_worker_completes_and_fails_activities(connection: aioswf.Connection, domain_name: str) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["ok", "boom", "json"])

    async def work(task: ActivityTask) -> Any:
        if task.input == "boom":
            raise ValueError("the input said boom " + "x" * 300)
        if task.input == "json":
            return {"answer": 42, "text": "é"}
        return task.input.upper() if task.input else None

    worker = ActivityWorker(domain, ACTIVITIES, {activity: work}, max_concurrent=3)

    async def three_answered() -> bool:
        history = await execution.history()
        return len(events_of(history, ActivityTaskCompleted) + events_of(history, ActivityTaskFailed)) == 3

    async with worker:
        await wait_for(three_answered)
    history = await execution.history()
    results = sorted(str(e.result) for e in events_of(history, ActivityTaskCompleted))
    assert results == ["OK", '{"answer":42,"text":"é"}']
    [failed] = events_of(history, ActivityTaskFailed)
    assert failed.reason is not None and failed.details is not None
    assert failed.reason.startswith("ValueError: the input said boom xxx")
    assert len(failed.reason) == 256 and failed.reason.endswith("…[cut]")
    assert "Traceback (most recent call last)" in failed.details
    assert "in work" in failed.details
    stats = worker.statistics()
    assert (stats.tasks_done, stats.tasks_failed, stats.tasks_running) == (2, 1, 0)


async def test_sync_activity_runs_in_a_thread_and_heartbeats_keep_it_alive(
    connection: aioswf.Connection, domain_name: str
) -> None:
    # moto enforces heartbeat timeouts: without heartbeats this 2.5 s activity would time out after 1 s.
    domain, workflow, activity = await setup_types(connection, domain_name, heartbeat_timeout=1)
    execution = await start_with_activities(workflow, activity, ["slow"])

    def slow(task: ActivityTask) -> str:
        for step in range(25):
            aioswf.actors.heartbeat(f"step {step}")
            time.sleep(0.1)  # blocking on purpose: it must not block the event loop
        return "done"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: slow})
    ticks = 0

    async def done() -> bool:
        nonlocal ticks
        ticks += 1
        return bool(events_of(await execution.history(), ActivityTaskCompleted))

    async with worker:
        await wait_for(done)
    history = await execution.history()
    assert events_of(history, ActivityTaskTimedOut) == []
    assert [e.result for e in events_of(history, ActivityTaskCompleted)] == ["done"]
    # About one heartbeat per 0.8 s, never one per progress report (25 of them).
    assert 2 <= worker.statistics().heartbeats_sent <= 5
    assert connection.statistics().calls["RecordActivityTaskHeartbeat"] == worker.statistics().heartbeats_sent
    assert ticks > 5  # the loop kept running while the activity's thread slept


async def test_keep_alive_heartbeats_cover_a_quiet_activity(
    connection: aioswf.Connection, domain_name: str
) -> None:
    """An activity that reports no progress is kept alive when its heartbeat timeout is known."""
    domain, workflow, activity = await setup_types(connection, domain_name, heartbeat_timeout=1)
    execution = await start_with_activities(workflow, activity, ["quiet"])

    async def quiet(task: ActivityTask) -> str:
        await anyio.sleep(2.2)
        return "in time"

    # Keyed by name: the worker asks SWF for the type's heartbeat timeout.
    worker = ActivityWorker(domain, ACTIVITIES, {"act": quiet})
    async with worker:

        async def completed() -> bool:
            return bool(events_of(await execution.history(), ActivityTaskCompleted))

        await wait_for(completed)
    assert events_of(await execution.history(), ActivityTaskTimedOut) == []
    assert worker.statistics().heartbeats_sent >= 2


async def test_an_unknown_heartbeat_timeout_sends_only_progress(
    connection: aioswf.Connection, domain_name: str
) -> None:
    """The counter-test: the decider sets a heartbeat timeout the type does not have, so the worker
    cannot know it; a quiet activity then sends nothing, and moto times it out."""
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await workflow.start_execution("w")
    decider = Decider(domain, DECISIONS)
    task = await decider.poll()
    assert task is not None
    decision = schedule(activity, "a0")
    decision["scheduleActivityTaskDecisionAttributes"]["heartbeatTimeout"] = "1"
    await decider.complete(task.token, [decision])

    async def quiet(task: ActivityTask) -> str:
        await anyio.sleep(2.2)
        return "too late"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: quiet})
    async with worker:

        async def timed_out() -> bool:
            return bool(events_of(await execution.history(), ActivityTaskTimedOut))

        await wait_for(timed_out)
    assert worker.statistics().heartbeats_sent == 0
    [timeout] = events_of(await execution.history(), ActivityTaskTimedOut)
    assert timeout.timeout_type == "HEARTBEAT"


async def test_immediate_stop_hands_running_activities_back(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, [str(n) for n in range(5)])
    started = 0

    async def forever(task: ActivityTask) -> str:
        nonlocal started
        started += 1
        await anyio.sleep(3600)
        return "never"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: forever}, max_concurrent=5)
    async with anyio.create_task_group() as group:
        await group.start(worker.run)
        with anyio.fail_after(20):
            while started < 5:
                await anyio.sleep(0.05)
        worker.stop(immediate=True)
    history = await execution.history()
    reasons = [e.reason for e in events_of(history, ActivityTaskFailed)]
    assert reasons == ["worker shutting down"] * 5
    assert worker.statistics().tasks_running == 0


async def test_cancelling_the_runner_is_an_immediate_stop(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["x"])
    running = anyio.Event()

    async def forever(task: ActivityTask) -> str:
        running.set()
        await anyio.sleep(3600)
        return "never"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: forever})
    with anyio.move_on_after(20) as scope:
        async with anyio.create_task_group() as group:
            await group.start(worker.run)
            await running.wait()
            group.cancel_scope.cancel()
    assert not scope.cancelled_caught
    [failed] = events_of(await execution.history(), ActivityTaskFailed)
    assert failed.reason == "worker shutting down"


async def test_graceful_stop_lets_running_activities_finish(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["a", "b"])
    running = 0

    async def short(task: ActivityTask) -> str:
        nonlocal running
        running += 1
        await anyio.sleep(0.5)
        return f"finished {task.input}"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: short}, max_concurrent=2)
    async with anyio.create_task_group() as group:
        await group.start(worker.run)
        with anyio.fail_after(20):
            while running < 2:
                await anyio.sleep(0.02)
        worker.stop()
    results = sorted(str(e.result) for e in events_of(await execution.history(), ActivityTaskCompleted))
    assert results == ["finished a", "finished b"]


async def test_unknown_activity_type_is_failed_not_lost(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["x"])
    worker = ActivityWorker(domain, ACTIVITIES, {("other", "1"): lambda task: "no"})
    async with worker:

        async def failed() -> bool:
            return bool(events_of(await execution.history(), ActivityTaskFailed))

        await wait_for(failed)
    [event] = events_of(await execution.history(), ActivityTaskFailed)
    assert event.reason == "no activity function for act 1"


async def test_decider_survives_its_handler_failing(connection: aioswf.Connection, domain_name: str) -> None:
    domain, workflow, _ = await setup_types(connection, domain_name)
    execution = await workflow.start_execution("flaky", input="in")
    calls: list[DecisionTask] = []

    async def flaky(task: DecisionTask) -> list[dict[str, Any]]:
        calls.append(task)
        if len(calls) == 1:
            raise RuntimeError("a bug in the decider")
        return [
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": json.dumps(len(calls))},
            }
        ]

    decider = Decider(domain, DECISIONS, flaky)
    async with decider:
        # The first task is left to its 1 s decision timeout; moto then schedules another one.
        closed = await execution.wait_closed(timeout=20, interval=0.1)
    assert closed.close_status == "COMPLETED"
    assert len(calls) == 2
    assert calls[0].previous_started_event_id == 0
    assert events_of(await execution.history(), DecisionTaskTimedOut)[0].timeout_type == "START_TO_CLOSE"
    stats = decider.statistics()
    assert (stats.tasks_done, stats.tasks_failed) == (1, 1)


async def test_empty_poll_returns_none(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    worker = ActivityWorker(domain, "nobody-schedules-here")
    assert await worker.poll() is None  # moto answers an empty poll after about 1 s, with no taskToken


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(aioswf.exceptions.ValidationError, match="task_list"):
        Decider("d", "")
    with pytest.raises(aioswf.exceptions.ValidationError, match="max_concurrent"):
        ActivityWorker("d", "t", max_concurrent=0)
    with pytest.raises(aioswf.exceptions.ValidationError, match="activity key"):
        ActivityWorker("d", "t", {42: lambda task: None})  # type: ignore[dict-item]


async def test_bad_results_and_heartbeats_fail_the_activity_not_the_worker(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["object", "huge", "beat", "fine"])

    async def work(task: ActivityTask) -> Any:
        if task.input == "object":
            return object()  # JSON cannot encode it
        if task.input == "huge":
            return "x" * 40_000  # SWF takes 32,768 characters at most
        if task.input == "beat":
            task.heartbeat("y" * 3000)  # heartbeat details take 2,048 at most
        return "fine"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: work}, max_concurrent=4)

    async def all_answered() -> bool:
        history = await execution.history()
        return len(events_of(history, ActivityTaskCompleted) + events_of(history, ActivityTaskFailed)) == 4

    async with worker:
        await wait_for(all_answered)
    history = await execution.history()
    reasons = sorted(str(e.reason) for e in events_of(history, ActivityTaskFailed))
    assert reasons == [
        "TypeError: JSONConverter cannot encode a builtins.object; give it dicts, lists, str, int, "
        "float, bool, None, dataclasses, datetimes or timedeltas",
        "ValidationError: details is 3000 characters long; SWF allows at most 2048",
        "ValidationError: result is 40000 characters long; SWF allows at most 32768",
    ]
    assert [e.result for e in events_of(history, ActivityTaskCompleted)] == ["fine"]
    assert worker.statistics().tasks_done == 1


async def test_errors_come_out_unwrapped(connection: aioswf.Connection, domain_name: str) -> None:
    """No ExceptionGroup from an actor's context: `except` clauses work as written."""
    with pytest.raises(aioswf.exceptions.DoesNotExistError):
        async with Decider(Domain(domain_name, connection=connection), DECISIONS):
            pass  # the domain does not exist
    domain = await Domain(domain_name, connection=connection).save()
    with pytest.raises(KeyError, match="from the body"):
        async with Decider(domain, DECISIONS):
            raise KeyError("from the body")
    with pytest.raises(TimeoutError):
        async with ActivityWorker(domain, ACTIVITIES):
            with anyio.fail_after(0.01):
                await anyio.sleep(1)


def test_bad_worker_arguments_are_refused() -> None:
    for interval in (-1, 0, float("nan"), float("inf"), True):
        with pytest.raises(aioswf.exceptions.ValidationError, match="heartbeat_interval"):
            ActivityWorker("d", "t", heartbeat_interval=interval)
    with pytest.raises(aioswf.exceptions.ValidationError, match="activities must map"):
        ActivityWorker("d", "t", ["a"])  # type: ignore[arg-type]
    with pytest.raises(aioswf.exceptions.ValidationError, match="not callable"):
        ActivityWorker("d", "t", {"a": 5})  # type: ignore[dict-item]
    with pytest.raises(aioswf.exceptions.ValidationError, match="converter must have encode"):
        ActivityWorker("d", "t", converter=5)  # type: ignore[arg-type]
    with pytest.raises(aioswf.exceptions.ValidationError, match="pollers"):
        Decider("d", "t", pollers=True)


class _PickyConverter:
    """A user's converter that raises its own error, or hands back bytes instead of a str."""

    def encode(self, value: Any) -> Any:
        if value == {"raise": True}:
            raise RuntimeError("picky says no")
        return b"bytes, not text"

    def decode(self, text: str | None) -> Any:
        return text


async def test_a_converter_that_fails_fails_the_activity_not_the_worker(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["raise", "bytes", "fine"])

    async def work(task: ActivityTask) -> Any:
        if task.input == "fine":
            return "fine"
        return {"raise": True} if task.input == "raise" else {"raise": False}

    worker = ActivityWorker(
        domain, ACTIVITIES, {activity: work}, max_concurrent=3, converter=_PickyConverter()
    )

    async def all_answered() -> bool:
        history = await execution.history()
        return len(events_of(history, ActivityTaskCompleted) + events_of(history, ActivityTaskFailed)) == 3

    async with worker:
        await wait_for(all_answered)
    history = await execution.history()
    reasons = sorted(str(e.reason) for e in events_of(history, ActivityTaskFailed))
    assert reasons == [
        "RuntimeError: picky says no",
        "TypeError: _PickyConverter.encode() returned a bytes, not a str",
    ]
    assert [e.result for e in events_of(history, ActivityTaskCompleted)] == ["fine"]


async def test_a_handler_returning_a_string_is_logged_not_split(
    connection: aioswf.Connection, domain_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    domain, workflow, _ = await setup_types(connection, domain_name)
    await workflow.start_execution("stringly")
    decider = Decider(domain, DECISIONS, lambda task: "CompleteWorkflowExecution")  # type: ignore[arg-type, return-value]
    task = await decider.poll()
    assert task is not None
    with pytest.raises(aioswf.exceptions.ValidationError, match="returns a list of decisions, got str"):
        await decider.decide(task)
    with pytest.raises(aioswf.exceptions.ValidationError, match="handler must be callable"):
        Decider(domain, DECISIONS, "not callable")  # type: ignore[arg-type]


async def test_start_stop_and_wait_stopped(connection: aioswf.Connection, domain_name: str) -> None:
    """The seed's start()/stop(): the task group given to start() owns the polling task."""
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["x"])
    worker = ActivityWorker(domain, ACTIVITIES, {activity: lambda task: "started"})
    await worker.wait_stopped()  # not running: returns at once
    async with anyio.create_task_group() as group:
        await worker.start(group)
        assert worker.statistics().polls_in_flight + worker.statistics().tasks_running >= 1
        await wait_for(lambda: _completed(execution))
        worker.stop()
        await worker.wait_stopped()
        assert "stopped" in repr(worker)
    assert [e.result for e in events_of(await execution.history(), ActivityTaskCompleted)] == ["started"]


async def _completed(execution: WorkflowExecution) -> bool:
    return bool(events_of(await execution.history(), ActivityTaskCompleted))


async def test_two_workers_answering_one_token(connection: aioswf.Connection, domain_name: str) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    await start_with_activities(workflow, activity, ["x"])
    first, second = ActivityWorker(domain, ACTIVITIES), ActivityWorker(domain, ACTIVITIES)
    task = await first.poll()
    assert task is not None
    await first.complete(task.token, "first")
    with pytest.raises(aioswf.exceptions.TaskGoneError):
        await second.complete(task.token, "second")


async def test_log_records_name_the_workflow_and_activity_never_the_token(
    connection: aioswf.Connection, domain_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, ["boom"])
    tokens: list[str] = []

    async def boom(task: ActivityTask) -> str:
        tokens.append(task.token)
        raise RuntimeError("boom")

    caplog.set_level("DEBUG", logger="aioswf")
    async with ActivityWorker(domain, ACTIVITIES, {activity: boom}):
        await wait_for(lambda: _failed(execution))
    [record] = [r for r in caplog.records if r.getMessage().startswith("activity a0 failed")]
    assert (record.__dict__["workflow_id"], record.__dict__["run_id"], record.__dict__["activity_id"]) == (
        "w",
        execution.run_id,
        "a0",
    )
    assert tokens and not any(tokens[0] in r.getMessage() for r in caplog.records)


async def _failed(execution: WorkflowExecution) -> bool:
    return bool(events_of(await execution.history(), ActivityTaskFailed))


async def test_a_stop_before_run_is_kept_and_the_actor_can_run_again(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    worker = ActivityWorker(domain, ACTIVITIES)
    worker.stop()
    with anyio.fail_after(5):
        await worker.run()  # returns at once: no poll is sent
    assert worker.statistics().empty_polls == 0
    assert connection.statistics().calls.get("PollForActivityTask", 0) == 0


async def test_a_handler_may_yield_its_decisions(connection: aioswf.Connection, domain_name: str) -> None:
    domain, workflow, _ = await setup_types(connection, domain_name)
    await workflow.start_execution("generated")

    def handler(task: DecisionTask) -> Iterator[Decision]:
        yield CompleteWorkflowExecution(result="from a generator")

    decider = Decider(domain, DECISIONS, handler)  # type: ignore[arg-type]
    task = await decider.poll()
    assert task is not None
    assert await decider.decide(task) == [CompleteWorkflowExecution(result="from a generator")]
