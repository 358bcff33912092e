"""The boto3 + threads baseline: how python-swf and simpleflow deciders and workers run today.

Synchronous boto3 calls, one thread per poller (and per starter), all sharing one client (boto3
clients are thread-safe; its pool holds a connection per thread). Each thread loops on its poll
and answers what it gets, like those libraries' actors do, one per thread or process.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

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


def run_workflows(target: Target, workload: Workload) -> RunResult:
    threads = workload.deciders + workload.workers + workload.starters
    config = Config(
        read_timeout=70, max_pool_connections=threads, retries={"mode": "standard", "total_max_attempts": 1}
    )
    client: Any = boto3.session.Session().client("swf", config=config, **target.client_keywords())
    domain = target.domain
    unstarted = workload.workflow_ids()
    unstarted_lock = threading.Lock()
    slots = threading.Semaphore(workload.in_flight)  # one per open workflow
    done = threading.Event()
    window = Window(workload, done.set)

    def start() -> None:
        while True:
            slots.acquire()
            with unstarted_lock:
                if not unstarted:
                    return
                workflow_id = unstarted.pop()
            client.start_workflow_execution(
                domain=domain, workflowId=workflow_id, workflowType=WORKFLOW_TYPE, input=workflow_id
            )

    def decide() -> None:
        while not done.is_set():
            task = client.poll_for_decision_task(domain=domain, taskList={"name": DECISION_TASK_LIST})
            if not task.get("taskToken"):
                continue
            decision = raw_decision(task["events"])
            try:
                client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[decision])
            except ClientError:
                continue  # moto now and then hands one task to two pollers
            if decision["decisionType"] == "CompleteWorkflowExecution":
                slots.release()
                window.completed()

    def work() -> None:
        while not done.is_set():
            task = client.poll_for_activity_task(domain=domain, taskList={"name": ACTIVITY_TASK_LIST})
            if not task.get("taskToken"):
                continue
            try:
                client.respond_activity_task_completed(
                    taskToken=task["taskToken"], result=activity_result(task["input"])
                )
            except ClientError:
                continue

    running = [threading.Thread(target=start) for _ in range(workload.starters)]
    running += [threading.Thread(target=decide) for _ in range(workload.deciders)]
    running += [threading.Thread(target=work) for _ in range(workload.workers)]
    for thread in running:
        thread.start()
    done.wait()
    for _ in range(workload.starters):
        slots.release()  # a starter waiting for a slot sees that nothing is left to start
    for thread in running:
        thread.join()  # each poller ends after the poll it has in flight
    client.close()
    return window.result()
