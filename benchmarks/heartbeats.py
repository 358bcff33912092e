"""Figure 6: heartbeat calls per activity, for an activity that reports progress very often.

``python -m benchmarks.heartbeats [--repeat N] [--smoke]``

Each repetition is one activity of 10 s whose type has a 2 s heartbeat timeout, and which calls
``task.heartbeat(...)`` every 10 ms (about a thousand progress reports). ``heartbeat()`` only
records the latest details; the worker's heartbeat coroutine sends them every 0.8 × the timeout,
so the expectation is one RecordActivityTaskHeartbeat per 1.6 s, never one per report. The
repetitions run side by side (one workflow each, on one worker); every heartbeat is counted at a
forwarding proxy and grouped by task token. moto enforces heartbeat timeouts, so a worker that
sent too few would see its activity time out, and the run fails.
"""

from __future__ import annotations

import argparse
import math
import uuid
from collections import Counter
from datetime import timedelta

import anyio

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, FailWorkflowExecution, ScheduleActivityTask
from aioswf.models import ActivityType, Domain, WorkflowType
from aioswf.testing import MotoServer, MotoSettings, SWFProxy

from ._measure import Figure, Options, Row, format_table, whole_number

__all__ = ["run"]

#: SWF's heartbeat timeout takes whole seconds; the worker beats at 0.8 × this.
HEARTBEAT_FRACTION = 0.8
#: Seconds of heartbeat timeout granted to moto on top of the type's (see ``decide``).
MOTO_QUEUE_ALLOWANCE = 2


def _through(proxy: SWFProxy, settings: MotoSettings) -> MotoSettings:
    """moto's settings with every call sent through the proxy, which counts them."""
    settings["endpoint_url"] = proxy.url
    return settings


async def measure(moto: MotoServer, activities: int, duration: float, timeout: int, every: float) -> Figure:
    async with (
        SWFProxy(moto.url) as proxy,
        aioswf.Connection(**_through(proxy, moto.settings)) as conn,
    ):
        domain = await Domain(f"bench-{uuid.uuid4().hex[:8]}", retention_period=1, connection=conn).save()
        long = timedelta(minutes=10)
        workflow_type = await WorkflowType(
            domain,
            "BenchHeartbeats",
            "1",
            task_list="hb-decisions",
            execution_timeout=long,
            decision_tasks_timeout=long,
        ).save()
        slow_type = await ActivityType(
            domain,
            "BenchSlow",
            "1",
            task_list="hb-activities",
            task_heartbeat_timeout=timedelta(seconds=timeout),
            task_start_to_close_timeout=long,
            task_schedule_to_start_timeout=long,
            task_schedule_to_close_timeout=long,
        ).save()

        def decide(task: DecisionTask) -> list[Decision]:
            slow = task.history.compile().activities.get("slow")
            if slow is None:
                # moto starts the heartbeat clock when it schedules the task (SWF: when a worker
                # starts it), and the task may wait out a poller's 1 s empty-poll sleep first:
                # moto alone is given a longer timeout, while the worker beats by the type's.
                allowance = timedelta(seconds=timeout + MOTO_QUEUE_ALLOWANCE)
                return [
                    ScheduleActivityTask(
                        activity_type=slow_type, activity_id="slow", heartbeat_timeout=allowance
                    )
                ]
            if slow.status == "completed":
                return [CompleteWorkflowExecution(result=slow.result)]
            if slow.status in ("failed", "timed_out", "canceled"):
                return [
                    FailWorkflowExecution(
                        reason=f"the activity {slow.status}: {slow.timeout_type or slow.reason}"
                    )
                ]
            return []

        async def report_often(task: ActivityTask) -> str:
            reports = 0
            with anyio.move_on_after(duration):
                while True:
                    reports += 1
                    task.heartbeat(f"{reports} reports so far")
                    await anyio.sleep(every)
            return str(reports)

        executions = [await workflow_type.start_execution(f"hb-{number}") for number in range(activities)]
        async with (
            Decider(domain, "hb-decisions", decide, connection=conn),
            ActivityWorker(
                domain, "hb-activities", {slow_type: report_often}, connection=conn, max_concurrent=activities
            ),
        ):
            closed = [await execution.wait_closed(timeout=duration * 3 + 30) for execution in executions]
        outcomes = [await _outcome(execution) for execution in closed]
        if not all(outcome.isdigit() for outcome in outcomes):
            raise RuntimeError(f"not every activity completed: {outcomes}")
        reports = [int(outcome) for outcome in outcomes]
        beats = Counter(
            params["taskToken"] for name, params in proxy.requests if name == "RecordActivityTaskHeartbeat"
        )
    calls = tuple(float(count) for count in beats.values())
    if len(calls) != activities:
        raise RuntimeError(f"heartbeats came for {len(calls)} activities, not {activities}")
    interval = timeout * HEARTBEAT_FRACTION
    return Figure(
        "6",
        f"Heartbeats for a {duration:g} s activity with a {timeout} s heartbeat timeout, "
        f"progress every {every * 1000:g} ms",
        "per activity",
        (
            Row("aioswf: RecordActivityTaskHeartbeat calls", calls, expected=math.floor(duration / interval)),
            Row("progress reports (one call each, sent naively)", tuple(float(n) for n in reports)),
        ),
        notes=(
            f"expected: one call per {interval:g} s (0.8 × the timeout); {activities} activities side by "
            "side, counted at a forwarding proxy by task token",
            f"the worker beats by the type's {timeout} s timeout; moto, which starts the heartbeat clock at "
            f"scheduling rather than at the start, enforces {timeout + MOTO_QUEUE_ALLOWANCE} s",
        ),
    )


async def _outcome(execution: aioswf.models.WorkflowExecution) -> str:
    """The workflow's result (the activity's count of its reports), or why it failed."""
    state = (await execution.history()).compile().execution
    return state.result if state.status == "completed" and state.result else f"{state.status}: {state.reason}"


def run(options: Options) -> list[Figure]:
    duration, timeout = (2.0, 1) if options.smoke else (10.0, 2)
    with MotoServer() as moto:
        return [anyio.run(measure, moto, options.repeat, duration, timeout, 0.01)]


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.heartbeats",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--repeat", type=whole_number(1), default=3, help="activities side by side, one value each"
    )
    parser.add_argument("--smoke", action="store_true")
    arguments = parser.parse_args()
    print(format_table(run(Options(repeat=arguments.repeat, smoke=arguments.smoke))))


if __name__ == "__main__":
    main()
