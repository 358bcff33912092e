"""The main job: a real workflow over real files.

A decider fans a directory out into batches, one activity per batch; several activity workers in
this process count the lines, bytes and sha256 of every file of their batch; the decider merges
their results and completes the workflow with a summary. The program then checks the summary
against a direct local computation and says whether it was verified.

    python examples/file_stats.py [ROOT] [--batches N] [--workers N]

ROOT defaults to the running Python's standard library (without ``site-packages`` and
``__pycache__``, which change as programs run). With no SWF endpoint or credentials configured
(see aioswf.settings) it starts an embedded moto server; with ``AWS_ENDPOINT_URL_SWF`` set, or
credentials and a region, it runs against that endpoint instead.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import signal
import sys
import sysconfig
import time
import uuid
from collections.abc import Sequence
from contextlib import AsyncExitStack, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, Decider, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, FailWorkflowExecution, ScheduleActivityTask
from aioswf.events import WorkflowExecutionCompleted, WorkflowExecutionFailed
from aioswf.exceptions import AioswfError, AlreadyExistsError
from aioswf.history import ActivityState
from aioswf.models import ActivityType, Domain, WorkflowType
from aioswf.querysets import DomainQuerySet

DOMAIN = "aioswf-examples"
DECISION_TASK_LIST = "file-stats-decisions"
ACTIVITY_TASK_LIST = "file-stats-activities"
WORKFLOW = ("FileStats", "1")
ACTIVITY = ("StatFiles", "1")
MAX_ATTEMPTS = 3
SKIPPED_DIRECTORIES = frozenset({"__pycache__", "site-packages", "dist-packages"})
TOP = 10


# The work itself: plain functions over files --------------------------------------------------


def list_files(root: str) -> list[str]:
    """Every regular file below ``root`` (no symlinks), as sorted paths relative to it."""
    found: list[str] = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES)
        for name in files:
            path = os.path.join(directory, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found.append(os.path.relpath(path, root))
    return sorted(found)


def batch_of(paths: Sequence[str], index: int, count: int) -> Sequence[str]:
    size = -(-len(paths) // count)  # ceiling division
    return paths[index * size : (index + 1) * size]


def extension(path: str) -> str:
    return os.path.splitext(path)[1].lower() or "(none)"


def stat_files(root: str, paths: Sequence[str]) -> dict[str, Any]:
    """Files, lines and bytes per extension, the largest files, and a digest of every file's sha256.

    The digest XORs sha256(path, sha256(content)) over the files, so batches combine in any order.
    """
    per_extension: dict[str, list[int]] = {}
    largest: list[tuple[int, str]] = []
    digest = 0
    unreadable = 0
    for path in paths:
        try:
            data = Path(root, path).read_bytes()
        except OSError:
            unreadable += 1
            continue
        lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        totals = per_extension.setdefault(extension(path), [0, 0, 0])
        totals[0] += 1
        totals[1] += lines
        totals[2] += len(data)
        largest.append((len(data), path))
        file_sha = hashlib.sha256(data).hexdigest()
        named = os.fsencode(path) + b"\0" + file_sha.encode()  # fsencode: names need not be UTF-8
        digest ^= int.from_bytes(hashlib.sha256(named).digest(), "big")
    largest.sort(key=lambda item: (-item[0], item[1]))
    return {
        "files": sum(t[0] for t in per_extension.values()),
        "lines": sum(t[1] for t in per_extension.values()),
        "bytes": sum(t[2] for t in per_extension.values()),
        "unreadable": unreadable,
        "extensions": per_extension,
        "largest": [[size, path] for size, path in largest[:TOP]],
        "digest": f"{digest:064x}",
    }


def merge(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    per_extension: dict[str, list[int]] = {}
    largest: list[tuple[int, str]] = []
    digest = 0
    for result in results:
        for name, totals in result["extensions"].items():
            merged = per_extension.setdefault(name, [0, 0, 0])
            for position in range(3):
                merged[position] += totals[position]
        largest.extend((size, path) for size, path in result["largest"])
        digest ^= int(result["digest"], 16)
    largest.sort(key=lambda item: (-item[0], item[1]))
    return {
        "files": sum(r["files"] for r in results),
        "lines": sum(r["lines"] for r in results),
        "bytes": sum(r["bytes"] for r in results),
        "unreadable": sum(r["unreadable"] for r in results),
        "extensions": dict(sorted(per_extension.items())),
        "largest": [[size, path] for size, path in largest[:TOP]],
        "digest": f"{digest:064x}",
    }


def stat_batch(task: ActivityTask) -> dict[str, Any]:
    """The activity (sync: it runs in a worker thread). Its input names the root and the batch."""
    job = json.loads(task.input or "{}")
    paths = batch_of(list_files(job["root"]), job["batch"], job["batches"])
    task.heartbeat(f"{len(paths)} files")
    return stat_files(job["root"], paths)


# The decider: replays the history and decides what is left to do --------------------------------


def decide(task: DecisionTask) -> list[Decision]:
    """Replay the typed history: schedule what is new or failed, complete when all are done."""
    state = task.history.compile()
    job = json.loads(state.execution.input or "{}")
    count = int(job["batches"])
    for refused in state.failed_decisions:
        return [FailWorkflowExecution(reason=f"SWF refused a decision: {refused!r}"[:256])]
    # Attempt n of batch b runs as activity "batch-b-attempt-n": the latest attempt decides.
    attempts: dict[int, int] = {}
    latest: dict[int, ActivityState] = {}
    for activity_id, activity in state.activities.items():
        _, batch_text, _, attempt_text = activity_id.split("-")
        batch, attempt = int(batch_text), int(attempt_text)
        if attempt > attempts.get(batch, 0):
            attempts[batch], latest[batch] = attempt, activity

    if len(latest) == count and all(a.status == "completed" for a in latest.values()):
        summary = merge([json.loads(latest[batch].result or "{}") for batch in range(count)])
        summary["execution"] = {
            "events": len(task.history) + 1,  # and the WorkflowExecutionCompleted this decision adds
            "activities": len(state.activities),
            "wall_seconds": round((datetime.now(UTC) - task.history.first.timestamp).total_seconds(), 3),
        }
        return [CompleteWorkflowExecution(result=json.dumps(summary, separators=(",", ":")))]
    decisions: list[Decision] = []
    for batch in range(count):
        attempt, current = attempts.get(batch, 0), latest.get(batch)
        if current is not None and (current.open or current.status == "completed"):
            continue
        if current is not None and attempt >= MAX_ATTEMPTS:
            why = current.reason or current.timeout_type or current.status
            return [
                FailWorkflowExecution(reason=f"batch {batch} gave up after {attempt} attempts: {why}"[:256])
            ]
        decisions.append(
            ScheduleActivityTask(
                activity_type=ACTIVITY,
                activity_id=f"batch-{batch}-attempt-{attempt + 1}",
                input=json.dumps({"root": job["root"], "batch": batch, "batches": count}),
            )
        )
    return decisions


# The program -----------------------------------------------------------------------------------


def default_root() -> str:
    return sysconfig.get_paths()["stdlib"]


def wants_real_swf(settings: aioswf.settings.Settings) -> bool:
    """An endpoint, or credentials (or a profile) and a region: run against that."""
    return bool(settings.endpoint_url) or bool(
        settings.region and (settings.has_credentials or settings.profile)
    )


async def register(domain: Domain, connection: aioswf.Connection) -> tuple[WorkflowType, ActivityType]:
    hour = timedelta(hours=1)
    workflow = WorkflowType(
        domain,
        *WORKFLOW,
        task_list=DECISION_TASK_LIST,
        execution_timeout=hour,
        decision_tasks_timeout=timedelta(minutes=1),
    )
    activity = ActivityType(
        domain,
        *ACTIVITY,
        task_list=ACTIVITY_TASK_LIST,
        task_heartbeat_timeout=timedelta(minutes=2),
        task_schedule_to_close_timeout=hour,
        task_schedule_to_start_timeout=hour,
        task_start_to_close_timeout=timedelta(minutes=10),
    )
    for kind in (workflow, activity):
        with suppress(AlreadyExistsError):
            await kind.save()
    return workflow, activity


async def run(root: str, batches: int, workers: int, timeout: float) -> dict[str, Any]:
    """Run the workflow end to end and return its verified summary (raises on any mismatch)."""
    loop = asyncio.get_running_loop()
    main_task = asyncio.current_task()
    assert main_task is not None
    loop.add_signal_handler(signal.SIGTERM, main_task.cancel)
    try:
        return await _run(root, batches, workers, timeout)
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


async def _run(root: str, batches: int, workers: int, timeout: float) -> dict[str, Any]:
    async with AsyncExitStack() as stack:
        settings = aioswf.settings.load()
        if wants_real_swf(settings):
            print(f"using SWF at {settings.endpoint_url or settings.region}")
            connection = aioswf.Connection(settings)
        else:
            from aioswf.testing import MotoServer

            moto = await stack.enter_async_context(MotoServer())
            print(f"no SWF endpoint or credentials configured: started an embedded moto server at {moto.url}")
            connection = aioswf.Connection(**moto.settings)
        await stack.enter_async_context(connection)

        domain, _ = await DomainQuerySet(connection=connection).get_or_create(DOMAIN, retention_period=1)
        workflow, activity = await register(domain, connection)
        execution = await workflow.start_execution(
            f"file-stats-{uuid.uuid4().hex[:8]}", json.dumps({"root": root, "batches": batches})
        )
        print(f"started {execution!r} over {root} in {batches} batches, {workers} workers")

        decider = Decider(domain, DECISION_TASK_LIST, decide)
        pool = [
            ActivityWorker(domain, ACTIVITY_TASK_LIST, {activity: stat_batch}, max_concurrent=2)
            for _ in range(workers)
        ]
        async with anyio.create_task_group() as group:
            for actor in (decider, *pool):
                await group.start(actor.run)
            closed = await execution.wait_closed(timeout=timeout)
            for actor in (decider, *pool):
                actor.stop()

        history = await execution.history()
        last = history.last
        if isinstance(last, WorkflowExecutionFailed):
            raise RuntimeError(f"the workflow failed: {last.reason}")
        if not isinstance(last, WorkflowExecutionCompleted):
            raise RuntimeError(f"the workflow closed {closed.close_status}: {last!r}")
        summary: dict[str, Any] = json.loads(last.result or "{}")

    expected = await anyio.to_thread.run_sync(lambda: stat_files(root, list_files(root)))
    expected["extensions"] = dict(sorted(expected["extensions"].items()))
    figures = summary.pop("execution")
    if summary != expected:
        differing = sorted(k for k in expected if summary.get(k) != expected[k])
        raise RuntimeError(f"the workflow's summary differs from the local computation in {differing}")
    figures["history_events"] = len(history)
    summary["execution"] = figures
    return summary


def shown(name: str) -> str:
    """A file name as it can be printed, whatever bytes it is made of."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def report(summary: dict[str, Any]) -> None:
    print(f"\n{summary['files']} files, {summary['lines']} lines, {summary['bytes']} bytes")
    print(f"{'extension':<12}{'files':>8}{'lines':>12}{'bytes':>14}")
    ranked = sorted(summary["extensions"].items(), key=lambda item: -item[1][2])
    for name, (files, lines, size) in ranked[:15]:
        print(f"{shown(name):<12}{files:>8}{lines:>12}{size:>14}")
    if len(ranked) > 15:
        print(f"... and {len(ranked) - 15} more extensions")
    print("\nlargest files:")
    for size, path in summary["largest"]:
        print(f"{size:>12}  {shown(path)}")
    figures = summary["execution"]
    print(
        f"\nexecution: {figures['history_events']} events, {figures['activities']} activities, "
        f"{figures['wall_seconds']} s from start to completion"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("root", nargs="?", default=default_root(), help="the directory (default: the stdlib)")
    parser.add_argument("--batches", type=int, default=16, help="activities to fan out into (default 16)")
    parser.add_argument("--workers", type=int, default=4, help="activity workers in this process (default 4)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the workflow")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.root):
        parser.error(f"{args.root!r} is not a directory")
    if not 1 <= args.batches <= 100:
        parser.error("--batches must be between 1 and 100")
    if not 1 <= args.workers <= 16:
        parser.error("--workers must be between 1 and 16")
    if not 0 < args.timeout < math.inf:
        parser.error("--timeout must be a positive number of seconds")
    began = time.monotonic()
    try:
        summary = asyncio.run(run(os.path.abspath(args.root), args.batches, args.workers, args.timeout))
    except KeyboardInterrupt:
        print("interrupted; stopped cleanly", file=sys.stderr)
        return 130
    except asyncio.CancelledError:  # SIGTERM cancels the run the way Ctrl-C does
        print("terminated; stopped cleanly", file=sys.stderr)
        return 143
    except (AioswfError, RuntimeError, TimeoutError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    report(summary)
    print(
        f"\nverified: the workflow's summary of {summary['files']} files matches a direct local "
        f"computation ({time.monotonic() - began:.1f} s in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
