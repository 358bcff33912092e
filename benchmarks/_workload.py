"""The one-activity workflow every implementation runs, and how a run is measured.

Each implementation (aioswf, raw aiobotocore, boto3 + threads) gets the same :class:`Workload`
on one domain registered beforehand: a closed loop that keeps ``in_flight`` workflows open
(``starters`` start a new one whenever one completes), with ``deciders`` decision pollers and
``workers`` activity pollers. A workflow schedules one activity and completes with its result:
the protocol's minimum is 7 calls (start; decision poll and answer; activity poll and answer;
decision poll and answer).

The measured :class:`Window` is the steady state: it opens when the first ``warmup`` workflows
have completed (clients have made their connection pools, actors have started) and closes when
``workflows`` more have. Stopping the pollers afterwards (each finishes the poll it has in flight,
so that a forwarding proxy can count every poll) is outside it too.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aioswf
from aioswf.testing import MotoSettings

__all__ = ["RunResult", "Target", "Window", "Workload", "register"]

WORKFLOW_TYPE = {"name": "BenchOneActivity", "version": "1"}
ACTIVITY_TYPE = {"name": "BenchEcho", "version": "1"}
DECISION_TASK_LIST = "bench-decisions"
ACTIVITY_TASK_LIST = "bench-activities"
#: Generous timeouts: a run on a loaded 2-core machine must never see one fire.
TIMEOUT = "600"


@dataclass(frozen=True)
class Target:
    """Where the calls go: ``endpoint_url`` is moto's or the hop's, ``settings`` the rest."""

    endpoint_url: str
    region: str
    aws_access_key_id: str
    aws_secret_access_key: str
    domain: str

    def connection_keywords(self) -> MotoSettings:
        """Keywords for :class:`aioswf.Connection`."""
        return MotoSettings(
            endpoint_url=self.endpoint_url,
            region=self.region,
            aws_access_key_id=self.aws_access_key_id,
            aws_secret_access_key=self.aws_secret_access_key,
        )

    def client_keywords(self) -> dict[str, str]:
        """Keywords for botocore's and aiobotocore's ``create_client("swf", ...)``."""
        return {
            "endpoint_url": self.endpoint_url,
            "region_name": self.region,
            "aws_access_key_id": self.aws_access_key_id,
            "aws_secret_access_key": self.aws_secret_access_key,
        }


@dataclass(frozen=True)
class Workload:
    workflows: int = 100
    warmup: int = 20
    #: Enough open workflows that a poller always finds a task: moto answers an empty poll only
    #: after a 1 s sleep, and a task scheduled meanwhile waits for it, so a short queue measures
    #: moto's sleep, not the client.
    in_flight: int = 40
    starters: int = 2
    deciders: int = 4
    workers: int = 4

    @property
    def total(self) -> int:
        return self.warmup + self.workflows

    def workflow_ids(self) -> list[str]:
        run = uuid.uuid4().hex[:8]
        return [f"bench-{run}-{number}" for number in range(self.total)]


@dataclass(frozen=True)
class RunResult:
    """The measured window of one run: ``cpu`` and ``wall`` seconds for ``completed`` workflows."""

    completed: int
    cpu: float
    wall: float

    @property
    def cpu_per_workflow(self) -> float:
        return self.cpu / self.completed

    @property
    def throughput(self) -> float:
        return self.completed / self.wall


class Window:
    """Counts completed workflows, and reads this process's CPU and the clock around the window.

    ``completed()`` is called once per workflow whose closing decision SWF has accepted, from any
    thread; ``on_done`` runs (in that thread) when the last one has.
    """

    def __init__(self, workload: Workload, on_done: Callable[[], None]) -> None:
        self.workload = workload
        self.on_done = on_done
        self.count = 0
        self._lock = threading.Lock()
        self._opened = (time.process_time(), time.perf_counter())
        self._closed = self._opened

    def completed(self) -> None:
        with self._lock:
            self.count += 1
            if self.count == self.workload.warmup:
                self._opened = (time.process_time(), time.perf_counter())
            if self.count != self.workload.total:
                return
            self._closed = (time.process_time(), time.perf_counter())
        self.on_done()

    def result(self) -> RunResult:
        if self.count < self.workload.total:
            raise RuntimeError(f"only {self.count} of {self.workload.total} workflows completed")
        cpu = self._closed[0] - self._opened[0]
        return RunResult(self.workload.workflows, cpu, self._closed[1] - self._opened[1])


def activity_result(value: str) -> str:
    """What the activity computes: the same in every implementation."""
    return value.upper()


def schedule_activity(workflow_input: str) -> dict[str, Any]:
    """The ScheduleActivityTask decision, as SWF's JSON, for the raw implementations."""
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": ACTIVITY_TYPE,
            "activityId": "echo",
            "input": workflow_input,
        },
    }


def complete_workflow(result: str) -> dict[str, Any]:
    return {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": {"result": result},
    }


def raw_decision(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The raw implementations' decider: schedule the activity, or complete with its result."""
    for event in reversed(events):
        if event["eventType"] == "ActivityTaskCompleted":
            return complete_workflow(event["activityTaskCompletedEventAttributes"]["result"])
    started = events[0]["workflowExecutionStartedEventAttributes"]
    return schedule_activity(started["input"])


async def register(target: Target) -> None:
    """The domain and both types, with every default a start and a schedule need."""
    async with aioswf.Connection(**target.connection_keywords()) as conn:
        calls: list[tuple[str, dict[str, Any]]] = [
            ("RegisterDomain", {"name": target.domain, "workflowExecutionRetentionPeriodInDays": "1"}),
            (
                "RegisterWorkflowType",
                {
                    "domain": target.domain,
                    **WORKFLOW_TYPE,
                    "defaultTaskList": {"name": DECISION_TASK_LIST},
                    "defaultTaskStartToCloseTimeout": TIMEOUT,
                    "defaultExecutionStartToCloseTimeout": TIMEOUT,
                    "defaultChildPolicy": "TERMINATE",
                },
            ),
            (
                "RegisterActivityType",
                {
                    "domain": target.domain,
                    **ACTIVITY_TYPE,
                    "defaultTaskList": {"name": ACTIVITY_TASK_LIST},
                    "defaultTaskHeartbeatTimeout": "NONE",
                    "defaultTaskStartToCloseTimeout": TIMEOUT,
                    "defaultTaskScheduleToStartTimeout": TIMEOUT,
                    "defaultTaskScheduleToCloseTimeout": TIMEOUT,
                },
            ),
        ]
        for operation, params in calls:
            await conn.call(operation, params)  # a fresh domain on a reset server
