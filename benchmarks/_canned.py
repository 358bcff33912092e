"""A canned SWF endpoint in a process of its own: fixed answers, so a client's cost is all there is.

Figure 7 measures what one call costs the client. Against moto the server's work (and moto's
habit of closing the connection after every answer) would run in the measured process or change
what the client does; this server answers from bytes built once, keeps connections alive as SWF
does, and runs in another process, so the client's CPU is all the measured process spends.

It answers by ``X-Amz-Target``: ``PollForDecisionTask`` with the decision task of
:func:`decision_task` (11 events, SWF's JSON shape), ``RecordActivityTaskHeartbeat`` with
``{"cancelRequested": false}``, anything else with SWF's ``UnknownOperationException``. It
checks no signature: the clients sign all the same, which is what is measured.

``python -m benchmarks._canned`` prints its URL, then answers each ``status`` line on its standard
input with one JSON line (requests so far, by operation), and exits when its standard input
closes: it ends with the process that started it, even one killed without a chance to clean up.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections import Counter
from typing import Any

from aiohttp import web

from ._server import ServerProcess

__all__ = ["HEARTBEAT_ANSWER", "TASK_TOKEN", "Canned", "decision_task"]

#: A token of the length and alphabet SWF hands out (base64 of an opaque blob, ~ 700 characters).
TASK_TOKEN = "AAAAKgAAAAIAAAAAAAAAA" + "Q2FubmVkVGFza1Rva2Vu" * 34 + "=="

HEARTBEAT_ANSWER: dict[str, Any] = {"cancelRequested": False}


def decision_task() -> dict[str, Any]:
    """The second decision task of a one-activity workflow, as SWF's JSON sends it (11 events).

    The first decision recorded a version marker, scheduled the activity and started a guard
    timer; the activity ran and completed, which scheduled this decision task. Timestamps are
    epoch floats, as SWF sends them; ``previousStartedEventId`` points at the first decision's
    ``DecisionTaskStarted``.
    """
    clock = 1_700_000_000.125
    events: list[dict[str, Any]] = []

    def add(event_type: str, seconds: float, **attributes: Any) -> int:
        nonlocal clock
        clock += seconds
        event_id = len(events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        events.append(
            {"eventId": event_id, "eventType": event_type, "eventTimestamp": round(clock, 3), key: attributes}
        )
        return event_id

    workflow_type = {"name": "ingest-file", "version": "1.4"}
    add(
        "WorkflowExecutionStarted",
        0.0,
        input=json.dumps({"bucket": "incoming", "key": "2024/06/01/part-00017.csv.gz", "retries": 3}),
        executionStartToCloseTimeout="3600",
        taskStartToCloseTimeout="30",
        childPolicy="TERMINATE",
        taskList={"name": "deciders"},
        taskPriority="0",
        workflowType=workflow_type,
        tagList=["ingest", "nightly"],
    )
    scheduled = add("DecisionTaskScheduled", 0.004, taskList={"name": "deciders"}, startToCloseTimeout="30")
    started = add("DecisionTaskStarted", 0.031, identity="decider-host-3:4711", scheduledEventId=scheduled)
    completed = add("DecisionTaskCompleted", 0.012, scheduledEventId=scheduled, startedEventId=started)
    add(
        "MarkerRecorded",
        0.0,
        markerName="workflow-version",
        details=json.dumps({"version": 2}),
        decisionTaskCompletedEventId=completed,
    )
    activity = add(
        "ActivityTaskScheduled",
        0.0,
        activityType={"name": "count-lines", "version": "1.0"},
        activityId="count-lines-1",
        input=json.dumps({"key": "2024/06/01/part-00017.csv.gz"}),
        scheduleToStartTimeout="300",
        scheduleToCloseTimeout="900",
        startToCloseTimeout="600",
        heartbeatTimeout="60",
        taskList={"name": "workers"},
        taskPriority="0",
        decisionTaskCompletedEventId=completed,
    )
    add(
        "TimerStarted",
        0.0,
        timerId="guard",
        startToFireTimeout="1200",
        decisionTaskCompletedEventId=completed,
    )
    activity_started = add(
        "ActivityTaskStarted", 0.118, identity="worker-host-5:5123", scheduledEventId=activity
    )
    add(
        "ActivityTaskCompleted",
        2.734,
        result=json.dumps({"lines": 184_467, "bytes": 12_583_221, "sha256": "9f" * 32}),
        scheduledEventId=activity,
        startedEventId=activity_started,
    )
    scheduled = add("DecisionTaskScheduled", 0.002, taskList={"name": "deciders"}, startToCloseTimeout="30")
    started = add("DecisionTaskStarted", 0.027, identity="decider-host-3:4711", scheduledEventId=scheduled)
    return {
        "taskToken": TASK_TOKEN,
        "startedEventId": started,
        "previousStartedEventId": 3,
        "workflowExecution": {"workflowId": "ingest-2024-06-01-00017", "runId": "22Xq2tiOhUKMHdWb5cMLzA9z"},
        "workflowType": workflow_type,
        "events": events,
    }


class Canned(ServerProcess):
    """The server's process, as a context manager: ``with Canned() as server: server.url``."""

    def __init__(self) -> None:
        super().__init__("benchmarks._canned")

    def status(self) -> dict[str, int]:
        """The requests answered so far, by operation (``"?"`` for an unknown target)."""
        answer: dict[str, int] = self._status()
        return answer


_PREFIX = "SimpleWorkflowService."
_HEADERS = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "canned-0000"}


def _answers() -> dict[str, bytes]:
    return {
        "PollForDecisionTask": json.dumps(decision_task()).encode(),
        "RecordActivityTaskHeartbeat": json.dumps(HEARTBEAT_ANSWER).encode(),
    }


async def _serve() -> None:
    answers = _answers()
    unknown = json.dumps(
        {"__type": "com.amazon.coral.service#UnknownOperationException", "message": "not canned"}
    ).encode()
    requests: Counter[str] = Counter()

    async def answer(request: web.Request) -> web.Response:
        await request.read()  # the whole body, as a real server would, before answering
        target = request.headers.get("X-Amz-Target", "")
        operation = target.removeprefix(_PREFIX) if target.startswith(_PREFIX) else ""
        body = answers.get(operation)
        requests[operation if body is not None else "?"] += 1
        if body is None:
            return web.Response(status=400, body=unknown, headers=_HEADERS)
        return web.Response(body=body, headers=_HEADERS)

    app = web.Application()
    app.router.add_post("/", answer)
    # No access log: its formatting would be most of this server's work.
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    # A socket bound here, on a free loopback port, so its port is known before serving.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, listener)
    await site.start()
    print(f"http://127.0.0.1:{listener.getsockname()[1]}", flush=True)
    loop = asyncio.get_running_loop()
    try:
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            if line.strip() == "status":
                print(json.dumps(requests), flush=True)
    finally:
        await runner.cleanup()


def main() -> None:
    asyncio.run(_serve())


if __name__ == "__main__":
    main()
