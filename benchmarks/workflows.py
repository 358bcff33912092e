"""Figures 1–3: one-activity workflows run by aioswf, raw aiobotocore and boto3 + threads.

``python -m benchmarks.workflows [--repeat N] [--smoke]``

Every repetition runs the same :class:`~benchmarks._workload.Workload` once per implementation
(aioswf twice: with a coroutine decision handler, and with a plain function, which the Decider
runs in threads) and per path, interleaved so that the machine's drift hits them alike, each on
a freshly reset moto server (moto slows down as executions pile up):

- **direct** against moto, whose server closes the connection after every answer, so every call
  pays a new TCP connection;
- **through the hop**, a forwarding proxy in another process that keeps the client's
  connections alive as real SWF does (and pays moto's reconnections in its own process). It
  also counts every request, which gives figure 1.

Client CPU is this process's own (``time.process_time``: every thread, user and system); the
servers run in other processes. moto's CPU is read from ``/proc`` for figure 3: one server
process, bound by its GIL, is the ceiling of the throughput here.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, ScheduleActivityTask
from aioswf.models import ActivityType, Domain, WorkflowType
from aioswf.testing import MotoServer, MotoSettings

from . import baseline_aiobotocore, baseline_boto3
from ._hop import Hop
from ._measure import Figure, Options, Row, format_table, process_cpu_seconds, whole_number
from ._workload import (
    ACTIVITY_TASK_LIST,
    ACTIVITY_TYPE,
    DECISION_TASK_LIST,
    WORKFLOW_TYPE,
    RunResult,
    Target,
    Window,
    Workload,
    activity_result,
    register,
)

__all__ = ["run"]

AIOSWF = "aioswf"
AIOSWF_SYNC = "aioswf, sync decider"
RAW = "raw aiobotocore"
RAW_TUNED = "raw aiobotocore, tuned as aioswf"
BOTO3 = "boto3 + threads"
#: The protocol's minimum: start; decision poll and answer; activity poll and answer; decision
#: poll and answer.
PROTOCOL_CALLS = 7
POLLS = ("PollForDecisionTask", "PollForActivityTask")
ANSWERS = ("RespondDecisionTaskCompleted", "RespondActivityTaskCompleted")


class _CountingConnection(aioswf.Connection):
    """A connection that tells ``on_closed`` of every closing decision SWF has accepted."""

    def __init__(self, on_closed: Callable[[], None], settings: MotoSettings) -> None:
        super().__init__(**settings)
        self.on_closed = on_closed

    async def call(self, operation: str, params: Any = None) -> dict[str, Any]:
        answer = await super().call(operation, params)
        if operation == "RespondDecisionTaskCompleted" and any(
            d["decisionType"] == "CompleteWorkflowExecution" for d in params["decisions"]
        ):
            self.on_closed()
        return answer


async def run_aioswf(target: Target, workload: Workload, *, sync_decider: bool = False) -> RunResult:
    """The workload as an aioswf user writes it: models, a Decider and an ActivityWorker.

    The decider's handler is a coroutine function, or with ``sync_decider`` a plain function,
    which the Decider runs in a thread of its own (it might block).
    """
    unstarted = workload.workflow_ids()
    slots = anyio.Semaphore(workload.in_flight)  # one per open workflow
    done = anyio.Event()
    window = Window(workload, done.set)

    def closed() -> None:
        slots.release()
        window.completed()

    async with _CountingConnection(closed, target.connection_keywords()) as conn:
        domain = Domain(target.domain, connection=conn)
        workflow_type = WorkflowType(domain, WORKFLOW_TYPE["name"], WORKFLOW_TYPE["version"])
        echo_type = ActivityType(domain, ACTIVITY_TYPE["name"], ACTIVITY_TYPE["version"])

        def decide_now(task: DecisionTask) -> list[Decision]:
            state = task.history.compile()
            echo = state.activities.get("echo")
            if echo is None:
                return [
                    ScheduleActivityTask(
                        activity_type=echo_type, activity_id="echo", input=state.execution.input
                    )
                ]
            if echo.status == "completed":
                return [CompleteWorkflowExecution(result=echo.result)]
            return []

        async def decide(task: DecisionTask) -> list[Decision]:
            return decide_now(task)

        async def echo(task: ActivityTask) -> str:
            return activity_result(task.input or "")

        async def start() -> None:
            while True:
                await slots.acquire()
                if not unstarted:
                    return
                await workflow_type.start_execution(workflow_id := unstarted.pop(), input=workflow_id)

        handler = decide_now if sync_decider else decide
        decider = Decider(domain, DECISION_TASK_LIST, handler, connection=conn, pollers=workload.deciders)
        worker = ActivityWorker(
            domain, ACTIVITY_TASK_LIST, {echo_type: echo}, connection=conn, pollers=workload.workers
        )
        async with anyio.create_task_group() as starters, decider, worker:
            for _ in range(workload.starters):
                starters.start_soon(start)
            await done.wait()
            for _ in range(workload.starters):
                slots.release()  # a starter waiting for a slot sees that nothing is left to start
            # Leaving the block stops both actors gracefully: each poll in flight finishes.
    return window.result()


def _run_boto3(target: Target, workload: Workload) -> RunResult:
    return baseline_boto3.run_workflows(target, workload)


def _run_raw(target: Target, workload: Workload) -> RunResult:
    return asyncio.run(baseline_aiobotocore.run_workflows(target, workload))


def _run_raw_tuned(target: Target, workload: Workload) -> RunResult:
    return asyncio.run(baseline_aiobotocore.run_workflows(target, workload, tuned=True))


def _run_aioswf(target: Target, workload: Workload) -> RunResult:
    return asyncio.run(run_aioswf(target, workload))


def _run_aioswf_sync(target: Target, workload: Workload) -> RunResult:
    return asyncio.run(run_aioswf(target, workload, sync_decider=True))


IMPLEMENTATIONS: dict[str, Callable[[Target, Workload], RunResult]] = {
    AIOSWF: _run_aioswf,
    AIOSWF_SYNC: _run_aioswf_sync,
    RAW: _run_raw,
    RAW_TUNED: _run_raw_tuned,
    BOTO3: _run_boto3,
}


@dataclass(frozen=True)
class Measured:
    """One run: its result, moto's CPU share of its wall time, and what the hop counted."""

    result: RunResult
    moto_busy: float
    calls: Counter[str]
    empty_polls: int


def measure_once(moto: MotoServer, hop: Hop | None, name: str, workload: Workload) -> Measured:
    moto.reset()
    settings = moto.settings
    target = Target(
        endpoint_url=hop.url if hop else moto.url,
        region=settings["region"],
        aws_access_key_id=settings["aws_access_key_id"],
        aws_secret_access_key=settings["aws_secret_access_key"],
        domain=f"bench-{uuid.uuid4().hex[:8]}",
    )
    asyncio.run(register(target))
    before = hop.status() if hop else None
    moto_cpu, wall = process_cpu_seconds(moto.pid), time.perf_counter()
    result = IMPLEMENTATIONS[name](target, workload)
    moto_busy = (process_cpu_seconds(moto.pid) - moto_cpu) / (time.perf_counter() - wall)
    calls: Counter[str] = Counter()
    empty = 0
    if hop and before:
        after = hop.status()
        calls = Counter(after["requests"]) - Counter(before["requests"])
        empty = after["empty_polls"] - before["empty_polls"]
    return Measured(result, moto_busy, calls, empty)


def run(options: Options) -> list[Figure]:
    workload = (
        Workload(workflows=2, warmup=1, in_flight=3, deciders=4, workers=4) if options.smoke else Workload()
    )
    runs: dict[tuple[str, str], list[Measured]] = {}
    with MotoServer() as moto, Hop(moto.url) as hop:
        for _ in range(options.repeat):
            for path, via in (("direct", None), ("hop", hop)):
                for name in IMPLEMENTATIONS:
                    runs.setdefault((name, path), []).append(measure_once(moto, via, name, workload))
    return figures(runs, workload)


def figures(runs: dict[tuple[str, str], list[Measured]], workload: Workload) -> list[Figure]:
    n = workload.total  # the hop counts the whole run, warm-up included
    shape = (
        f"{workload.total} workflows per run, {workload.in_flight} kept open, with {workload.deciders} "
        f"decision pollers and {workload.workers} activity pollers in each implementation. CPU and "
        f"throughput are of the last {workload.workflows}, after a warm-up of {workload.warmup} (connection "
        "pools made, actors started)"
    )

    def per_workflow(name: str, pick: Callable[[Measured], float]) -> tuple[float, ...]:
        return tuple(pick(m) / n for m in runs[(name, "hop")])

    def work_calls(m: Measured) -> float:
        polls = sum(m.calls[op] for op in POLLS)
        return m.calls["StartWorkflowExecution"] + sum(m.calls[op] for op in ANSWERS) + polls - m.empty_polls

    def other_calls(m: Measured) -> float:
        counted = ("StartWorkflowExecution", "RecordActivityTaskHeartbeat", *POLLS, *ANSWERS)
        return sum(count for op, count in m.calls.items() if op not in counted)

    calls_rows = []
    for name in (AIOSWF, RAW, BOTO3):
        calls_rows += [
            Row(f"{name}: calls that carry work", per_workflow(name, work_calls), expected=PROTOCOL_CALLS),
            Row(
                f"{name}: empty polls",
                per_workflow(name, lambda m: m.empty_polls),
                against=f"{RAW}: empty polls",
            ),
        ]
    calls_rows += [
        Row(f"{AIOSWF}: heartbeats", per_workflow(AIOSWF, lambda m: m.calls["RecordActivityTaskHeartbeat"])),
        Row(f"{AIOSWF}: other calls", per_workflow(AIOSWF, other_calls)),
    ]
    result = [
        Figure(
            "1",
            "SWF calls per one-activity workflow, counted at the hop",
            "calls",
            tuple(calls_rows),
            notes=(
                f"{shape}. Empty polls are the pollers' idle time at moto (it answers an empty poll "
                "after 1 s); aioswf's other calls are each actor's DescribeDomain at start and the "
                "worker's one DescribeActivityType (for the type's heartbeat timeout).",
            ),
        )
    ]
    for number, path, title in (
        (
            "2a",
            "direct",
            "Client CPU per completed workflow, direct against moto (a new connection per call)",
        ),
        ("2b", "hop", "Client CPU per completed workflow, through the kept-alive hop (as against SWF)"),
    ):
        cpu = {
            name: tuple(m.result.cpu_per_workflow * 1000 for m in runs[(name, path)])
            for name in IMPLEMENTATIONS
        }
        boto3 = statistics.median(cpu[BOTO3])
        tuned = statistics.median(cpu[RAW_TUNED])
        against_boto3 = ", ".join(
            f"{name} {statistics.median(cpu[name]) / boto3:.2f}" for name in (AIOSWF, AIOSWF_SYNC)
        )
        against_tuned = ", ".join(
            f"{name} {statistics.median(cpu[name]) / tuned:.2f}" for name in (AIOSWF, AIOSWF_SYNC)
        )
        result.append(
            Figure(
                number,
                title,
                "ms",
                tuple(Row(name, values) for name, values in cpu.items()),
                baseline=RAW,
                notes=(
                    f"against boto3 + threads: {against_boto3} (goal: below 1)",
                    f"against raw aiobotocore tuned as aioswf (its User-Agent and timestamp parser, "
                    f"so aioswf's own part alone): {against_tuned}",
                ),
            )
        )
    rates = {name: tuple(m.result.throughput for m in runs[(name, "direct")]) for name in IMPLEMENTATIONS}
    busy = {name: statistics.median(m.moto_busy for m in runs[(name, "direct")]) for name in IMPLEMENTATIONS}
    client = {
        name: statistics.median(m.result.cpu / m.result.wall for m in runs[(name, "direct")])
        for name in IMPLEMENTATIONS
    }
    shares = "; ".join(
        f"{name}: moto {busy[name]:.0%}, client {client[name]:.0%}" for name in IMPLEMENTATIONS
    )
    result.append(
        Figure(
            "3",
            "Throughput against moto (direct)",
            "workflows/s",
            tuple(Row(name, values) for name, values in rates.items()),
            baseline=RAW,
            notes=(
                f"the share of one core each process used during the runs ({shares}). Neither is "
                "CPU-bound: moto's threaded server answers each call in several milliseconds, so "
                f"with {workload.deciders} + {workload.workers} pollers its latency sets the pace, "
                "the same for every implementation; against SWF the client's CPU per workflow "
                "(figure 2b) is what bounds one process",
            ),
        )
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.workflows",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--repeat", type=whole_number(1), default=3, help="repetitions")
    parser.add_argument("--smoke", action="store_true")
    arguments = parser.parse_args()
    print(format_table(run(Options(repeat=arguments.repeat, smoke=arguments.smoke))))


if __name__ == "__main__":
    main()
