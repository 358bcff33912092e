"""The raw aiobotocore baseline: the workload's SWF calls, hand-written, with no SDK in between.

One aiobotocore client (a pool big enough for every coroutine, a read timeout above SWF's 60 s
long poll, no retries), and plain coroutines: starters, decision pollers that schedule the
activity or complete with its result, activity pollers that answer at once. It makes exactly
the calls the protocol needs and nothing else, which is what aioswf's own overhead is measured
against.
"""

from __future__ import annotations

import anyio
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError

from aioswf._connection import USER_AGENT
from aioswf._timestamps import parse_timestamp

from ._workload import (
    ACTIVITY_TASK_LIST,
    DECISION_TASK_LIST,
    WORKFLOW_TYPE,
    RunResult,
    Target,
    Window,
    Workload,
    activity_result,
    raw_decision,
)

__all__ = ["run_workflows"]


async def run_workflows(target: Target, workload: Workload, *, tuned: bool = False) -> RunResult:
    """The workload; ``tuned`` gives the client aioswf's two transport options (a fixed
    User-Agent, epoch timestamps parsed straight to UTC), so that what aioswf adds on top of
    them can be told apart from what they save."""
    pollers = workload.deciders + workload.workers
    session = AioSession()
    if tuned:
        parsers = session.get_component("response_parser_factory")
        parsers.set_parser_defaults(timestamp_parser=parse_timestamp)
    config = AioConfig(
        user_agent=USER_AGENT if tuned else None,
        read_timeout=70,
        max_pool_connections=pollers + workload.starters,
        retries={"mode": "standard", "total_max_attempts": 1},
    )
    async with session.create_client("swf", config=config, **target.client_keywords()) as client:
        domain = target.domain
        unstarted = workload.workflow_ids()
        slots = anyio.Semaphore(workload.in_flight)  # one per open workflow
        done = anyio.Event()
        window = Window(workload, done.set)
        stopping = False

        async def start() -> None:
            while True:
                await slots.acquire()
                if not unstarted:
                    return
                workflow_id = unstarted.pop()
                await client.start_workflow_execution(
                    domain=domain, workflowId=workflow_id, workflowType=WORKFLOW_TYPE, input=workflow_id
                )

        async def decide() -> None:
            while not stopping:
                task = await client.poll_for_decision_task(
                    domain=domain, taskList={"name": DECISION_TASK_LIST}
                )
                if not task.get("taskToken"):
                    continue
                decision = raw_decision(task["events"])
                try:
                    await client.respond_decision_task_completed(
                        taskToken=task["taskToken"], decisions=[decision]
                    )
                except ClientError:
                    continue  # moto now and then hands one task to two pollers
                if decision["decisionType"] == "CompleteWorkflowExecution":
                    slots.release()
                    window.completed()

        async def work() -> None:
            while not stopping:
                task = await client.poll_for_activity_task(
                    domain=domain, taskList={"name": ACTIVITY_TASK_LIST}
                )
                if not task.get("taskToken"):
                    continue
                try:
                    await client.respond_activity_task_completed(
                        taskToken=task["taskToken"], result=activity_result(task["input"])
                    )
                except ClientError:
                    continue

        async with anyio.create_task_group() as tg:
            for _ in range(workload.starters):
                tg.start_soon(start)
            for _ in range(workload.deciders):
                tg.start_soon(decide)
            for _ in range(workload.workers):
                tg.start_soon(work)
            await done.wait()
            stopping = True  # each poller ends after the poll it has in flight
            for _ in range(workload.starters):
                slots.release()  # a starter waiting for a slot sees that nothing is left to start
        return window.result()
