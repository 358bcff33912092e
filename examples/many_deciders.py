"""Many actors in one process: 100 deciders on 100 task lists, and a few activity workers.

Every decider polls a task list of its own, and one workflow is started on each list. Each
workflow schedules one activity (squaring its number) on a task list that the workers share,
and completes with the activity's result and the name of the task list it was decided on. The
program checks every result, then prints how many workflows completed and how long they took.

    python examples/many_deciders.py [--deciders N] [--workers N] [--timeout SECONDS]

All the actors run under one :class:`aioswf.actors.ActorGroup`, through ``run_until_signal()``:
Ctrl-C or SIGTERM stops them gracefully (a second one, at once). With no SWF endpoint or
credentials configured (see aioswf.settings) it starts an embedded moto server.

What it costs against moto (moto 5.2.5 on 2 cores shared with this program; measured with this
script, workflow seconds from the first start to the last completion):

    deciders   workflow s   empty polls   moto server CPU
           1          2.6            12    0.2 s in  3.7 s wall  (5 %)
          25          2.7            84    0.9 s in  4.2 s wall (21 %)
          50          2.8           159    1.7 s in  4.6 s wall (36 %)
         100      4.5-6.1       430-550    4.4-5.1 s in 7.5-8.9 s wall (59 %)
         150      13.7-15     1460-1500   13.8 s in 17.1 s wall (81 %)
         200        53-64     5900-6400   59.9 s in 65.2 s wall (92 %)

moto holds no poll open: it sleeps 1 s and answers "no task", so every idle decider sends a
request a second, and a task scheduled during that second waits for the next poll (a workflow
here needs three hand-offs: start → decision → activity → decision). 100 idle polls on their own
cost little (100 pollers: 100 polls/s, median 1.02 s each). But every moto call first walks every
execution the server holds to apply timeouts, so its cost grows with the executions while the
number of calls grows with the pollers: the one server process is GIL-bound, and past ~120
deciders it saturates a core, every call queues, and the time grows much faster than linearly.
Against real SWF a poll is held until a task arrives (up to 60 s), so idle deciders cost about a
request a minute each and the hand-offs are immediate.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
import uuid
from collections.abc import Sequence
from contextlib import AsyncExitStack, suppress
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
from anyio.abc import TaskStatus

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, ActorGroup, Decider, DecisionHandler, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, FailWorkflowExecution, ScheduleActivityTask
from aioswf.events import WorkflowExecutionCompleted
from aioswf.exceptions import AioswfError, AlreadyExistsError
from aioswf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from aioswf.querysets import DomainQuerySet

DOMAIN = "aioswf-examples"
WORKFLOW = ("ManyDeciders", "1")
ACTIVITY = ("Square", "1")
ACTIVITY_TASK_LIST = "many-deciders-activities"
#: moto now and then hands one task to two pollers when more than about four poll one task list
#: at once; the workers share theirs, so keep them few.
MAX_WORKERS = 4


class Stopped(Exception):
    """A signal stopped the program before every workflow completed."""

    def __init__(self, received: signal.Signals) -> None:
        super().__init__(f"stopped by {received.name}")
        self.received = received


def decider_task_list(number: int) -> str:
    return f"many-deciders-{number}"


def decision_handler(task_list: str) -> DecisionHandler:
    """The decisions of the decider on ``task_list``: async, so 100 of them need no threads."""

    async def decide(task: DecisionTask) -> list[Decision]:
        state = task.history.compile()
        square = state.activities.get("square")
        if square is None:
            return [
                ScheduleActivityTask(
                    activity_type=ACTIVITY, activity_id="square", input=state.execution.input
                )
            ]
        if square.status == "completed":
            result = {"decided_on": task_list, "square": int(square.result or "0")}
            return [CompleteWorkflowExecution(result=json.dumps(result))]
        if square.open:
            return []  # still running: nothing to decide
        return [FailWorkflowExecution(reason=f"the activity ended {square.status}")]

    return decide


async def square(task: ActivityTask) -> str:
    number = int(task.input or "0")
    return str(number * number)


def wants_real_swf(settings: aioswf.settings.Settings) -> bool:
    """An endpoint, or credentials (or a profile) and a region: run against that."""
    return bool(settings.endpoint_url) or bool(
        settings.region and (settings.has_credentials or settings.profile)
    )


async def register(connection: aioswf.Connection) -> tuple[WorkflowType, ActivityType]:
    domain, _ = await DomainQuerySet(connection=connection).get_or_create(DOMAIN, retention_period=1)
    workflow = WorkflowType(
        domain,
        *WORKFLOW,
        task_list=decider_task_list(0),  # every start names its own list; this is the default
        execution_timeout=timedelta(minutes=30),
        decision_tasks_timeout=timedelta(minutes=1),
    )
    minutes = timedelta(minutes=10)
    activity = ActivityType(
        domain,
        *ACTIVITY,
        task_list=ACTIVITY_TASK_LIST,
        task_start_to_close_timeout=minutes,
        task_schedule_to_start_timeout=minutes,
        task_schedule_to_close_timeout=minutes,
    )
    for kind in (workflow, activity):
        with suppress(AlreadyExistsError):
            await kind.save()
    return workflow, activity


async def count_open(domain: Domain, connection: aioswf.Connection, since: datetime, prefix: str) -> int:
    """Open executions of this run: one List call every half second is far lighter on the
    server than 100 Describes. Every page counts (other programs may have runs open here)."""
    params: dict[str, Any] = {"domain": domain.name, "startTimeFilter": {"oldestDate": since}}
    count = 0
    while True:
        answer = await connection.call("ListOpenWorkflowExecutions", params)
        infos = answer.get("executionInfos", ())
        count += sum(1 for info in infos if info["execution"]["workflowId"].startswith(prefix))
        token = answer.get("nextPageToken")
        if not token:
            return count
        params = {**params, "nextPageToken": token}


async def run(deciders: int, workers: int, timeout: float) -> dict[str, Any]:
    """Run the workflows; return the figures. Raises if any result is wrong."""
    async with AsyncExitStack() as stack:
        settings = aioswf.settings.load()
        # Every decider and worker keeps one poll in flight, each on a connection of its own
        # from the poll pool: the pool must be at least that large (the default is 1000).
        config = aioswf.ConnectionConfig(max_poll_connections=max(deciders + workers, 1000))
        if wants_real_swf(settings):
            print(f"using SWF at {settings.endpoint_url or settings.region}")
            connection = aioswf.Connection(settings, config=config)
        else:
            from aioswf.testing import MotoServer

            moto = await stack.enter_async_context(MotoServer())
            print(f"no SWF endpoint or credentials configured: started an embedded moto server at {moto.url}")
            connection = aioswf.Connection(config=config, **moto.settings)
        await stack.enter_async_context(connection)
        workflow, activity = await register(connection)
        domain = workflow.domain

        group = ActorGroup()
        for number in range(deciders):
            task_list = decider_task_list(number)
            group.add(Decider(domain, task_list, decision_handler(task_list)))
        for _ in range(workers):
            group.add(ActivityWorker(domain, ACTIVITY_TASK_LIST, {activity: square}, max_concurrent=10))

        prefix = f"many-{uuid.uuid4().hex[:8]}-"
        figures: dict[str, Any] = {}
        executions: list[WorkflowExecution] = []
        received: list[signal.Signals] = []
        began = time.monotonic()
        try:
            async with anyio.create_task_group() as tg:

                async def serve(*, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
                    stopped_by = await group.run_until_signal(task_status=task_status)
                    if stopped_by is not None:
                        received.append(stopped_by)
                        tg.cancel_scope.cancel()  # stop waiting for the workflows

                await tg.start(serve)  # returns once every actor's first poll is on its way
                figures["start_up_seconds"] = time.monotonic() - began
                since = datetime.now(UTC) - timedelta(minutes=5)  # clocks may differ a little
                started = time.monotonic()
                executions = await start_all(workflow, deciders, prefix)
                figures["start_seconds"] = time.monotonic() - started
                with anyio.fail_after(timeout, reason=f"the workflows were not all closed after {timeout} s"):
                    while await count_open(domain, connection, since, prefix):
                        await anyio.sleep(0.5)
                figures["workflow_seconds"] = time.monotonic() - started
                stopping = time.monotonic()
                group.stop()
        except BaseExceptionGroup as group_error:
            if len(group_error.exceptions) == 1:  # one error: show it as itself
                raise group_error.exceptions[0] from None
            raise
        if received:
            raise Stopped(received[0])
        figures["stop_seconds"] = time.monotonic() - stopping  # the polls in flight finish
        figures["statistics"] = group.statistics()
        checking = time.monotonic()
        figures["results"] = await check_results(executions)
        figures["check_seconds"] = time.monotonic() - checking
    return figures


async def start_all(workflow: WorkflowType, count: int, prefix: str) -> list[WorkflowExecution]:
    """Start one workflow per decider task list; at most 20 starts in flight at once."""
    executions: list[WorkflowExecution | None] = [None] * count
    limiter = anyio.CapacityLimiter(20)

    async def start(number: int) -> None:
        async with limiter:
            executions[number] = await workflow.start_execution(
                f"{prefix}{number}", str(number), task_list=decider_task_list(number)
            )

    async with anyio.create_task_group() as tg:
        for number in range(count):
            tg.start_soon(start, number)
    return [execution for execution in executions if execution is not None]


async def check_results(executions: Sequence[WorkflowExecution]) -> int:
    """Every workflow completed, on its own decider's task list, with its number squared."""
    for number, execution in enumerate(executions):
        last = (await execution.history()).last
        if not isinstance(last, WorkflowExecutionCompleted):
            raise RuntimeError(f"{execution!r} did not complete: {last!r}")
        expected = {"decided_on": decider_task_list(number), "square": number * number}
        if json.loads(last.result or "{}") != expected:
            raise RuntimeError(f"{execution!r} gave {last.result!r}, not {expected!r}")
    return len(executions)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--deciders", type=int, default=100, help="deciders and workflows (default 100)")
    parser.add_argument("--workers", type=int, default=3, help="activity workers (default 3)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for the workflows")
    args = parser.parse_args(argv)
    if not 1 <= args.deciders <= 1000:
        parser.error("--deciders must be between 1 and 1000")
    if not 1 <= args.workers <= MAX_WORKERS:
        parser.error(f"--workers must be between 1 and {MAX_WORKERS}")
    if not 0 < args.timeout < math.inf:
        parser.error("--timeout must be a positive number of seconds")
    began = time.monotonic()
    try:
        figures = anyio.run(run, args.deciders, args.workers, args.timeout, backend="asyncio")
    except Stopped as stopped:
        print(f"{stopped}; stopped cleanly", file=sys.stderr)
        return 128 + stopped.received.value
    except (AioswfError, RuntimeError, TimeoutError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    stats = figures["statistics"]
    print(
        f"{figures['results']} workflows completed, each on its own decider's task list, in "
        f"{figures['workflow_seconds']:.1f} s ({args.deciders} deciders and {args.workers} workers in one "
        f"process, live after {figures['start_up_seconds']:.1f} s; {time.monotonic() - began:.1f} s in all)"
    )
    print(
        f"decision and activity tasks done: {stats.tasks_done}, failed: {stats.tasks_failed}; "
        f"empty polls: {stats.empty_polls}"
    )
    print(
        f"seconds: {figures['start_seconds']:.2f} starting the workflows, {figures['stop_seconds']:.2f} "
        f"stopping the actors, {figures['check_seconds']:.2f} checking the results"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
