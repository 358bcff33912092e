"""Figure 4, idle pollers: what a held long poll costs in memory and CPU, aioswf against boto3 threads.

Run it: ``python -m benchmarks.pollers [--repeat R] [--smoke]``.

SWF holds an empty long poll for 60 s before it answers it, so a program that polls many task
lists spends nearly all its life with every poll held open. This figure measures that state:
1,000 and 10,000 concurrent polls (10,000 across ten task lists, as SWF allows 1,000 pollers per
task list), all held, in one process, two ways:

- **aioswf**: what a user writes: one ``Decider`` of 1,000 pollers per task list, under an
  ``ActorGroup``, on one ``aioswf.Connection`` whose ``max_poll_connections`` is raised to the
  number of polls. A held poll's cost so includes the actor's own task per poller.
- **boto3 + threads**, the python-swf / simpleflow model, written plainly: one thread per poller,
  each calling ``poll_for_decision_task`` in a loop, on one shared boto3 client (clients are
  thread-safe) whose pool holds a connection per thread; threads of the default stack size.

Both talk to the same endpoint with the same credentials: a hop (:mod:`benchmarks._hop`, an
``SWFProxy`` in a process of its own, in front of a moto server that holds the domain) that
answers every poll itself, empty, after holding it 60 s as SWF does.

Each run of a configuration is a fresh child process (``--child KIND POLLS``), so that one kind's
heap never inflates the other's reading. The child imports everything, opens its client and
makes one call with it (the one-time costs: service model, endpoint rules), reads its resident
memory, starts the pollers and says so. The parent waits until the hop holds every poll and tells
the child, which lets it settle, reads its resident memory again (**4a**: the growth over the
number of polls, bytes per held poll) and then its CPU time (``time.process_time``: every
thread, user and system) over two windows while everything is held (**4b**: the quieter one,
as % of one core). Before the child is let go, the parent checks with the hop that it
still holds every poll and received no other: nothing was answered or sent again while
measuring, which all ends well within the 60 s hold. Runs of the four configurations are
interleaved, each repetition going through all of them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import select
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ._measure import Figure, Options, Row, format_table, resident_bytes, whole_number

if TYPE_CHECKING:
    from aioswf.testing import MotoSettings

    from ._hop import Hop

__all__ = ["main", "run"]

_PROJECT_ROOT = Path(__file__).resolve().parent.parent

DOMAIN = "benchmark-pollers"
#: Seconds the hop holds each empty poll, as SWF does.
HOLD = 60.0
#: SWF allows 1,000 pollers per task list: more polls are spread over more task lists.
POLLERS_PER_TASK_LIST = 1000
#: The boto3 client's read timeout: above the 60 s hold, as AWS asks of long pollers.
BOTO3_READ_TIMEOUT = 70
#: File descriptors a process needs beside one socket per poll (modules, pipes, the event loop).
SPARE_FDS = 256
#: Seconds to spare between a child's last reading and the answer to its first poll.
MARGIN = 5.0
#: CPU windows per run: each run gives its quieter window, the steady state, which a one-off in
#: one window (see 4b's notes) does not stand for.
WINDOWS = 2
KINDS = ("aioswf", "boto3")


@dataclass(frozen=True)
class _Plan:
    """The sizes and timings of one run of the figure."""

    sizes: tuple[int, ...]
    per_task_list: int
    settle: float  # seconds between "every poll is held" and the memory reading
    window: float  # seconds of each CPU window


_FULL = _Plan(sizes=(1000, 10_000), per_task_list=POLLERS_PER_TASK_LIST, settle=1.0, window=2.0)
# Two task lists for the larger size, so that the smoke run goes through every step.
_SMOKE = _Plan(sizes=(10, 20), per_task_list=10, settle=0.1, window=0.1)


# The child: one kind, one number of polls -------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """What a child measured, sent to the parent as one JSON line."""

    rss_before: int  # bytes, with the client open, before the first poller starts
    rss_held: int  # bytes, every poll held, after the settling pause
    idle: list[float]  # CPU seconds over wall seconds, window by window, every poll held
    start_cpu: float  # CPU seconds from the first poller's start until every poll was held
    answered: int  # polls that came back (or failed) before the end: none is expected


def _task_lists(polls: int, per_task_list: int) -> list[tuple[str, int]]:
    """``(task list, pollers)`` pairs, at most ``per_task_list`` pollers on each."""
    return [
        (f"pollers-{number}", min(per_task_list, polls - first))
        for number, first in enumerate(range(0, polls, per_task_list))
    ]


def _raise_fd_limit(needed: int) -> None:
    """Raise the soft limit on open files to the hard one; fail clearly if even that is too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise RuntimeError(
            f"benchmarks.pollers needs {needed} open files (a socket per poll, in this process and "
            f"in the hop), but the hard limit is {hard}: raise it (ulimit -Hn) as root"
        )
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _clocks() -> tuple[float, float]:
    """CPU and wall time now. One reading ends a window and starts the next: with 10,000 threads
    each costs 0.5 ms of CPU (the kernel sums the threads' times), which the window counts."""
    return time.process_time(), time.perf_counter()


def _idle(clocks: list[tuple[float, float]]) -> list[float]:
    """CPU seconds over wall seconds between each reading and the next."""
    return [(cpu - last_cpu) / (wall - last_wall) for (last_cpu, last_wall), (cpu, wall) in pairwise(clocks)]


def _send(message: dict[str, Any]) -> None:
    print(json.dumps(message), flush=True)


def _child_boto3(hop_url: str, polls: int, per_task_list: int, settle: float, window: float) -> None:
    import boto3
    import botocore.config

    from aioswf.testing import MOTO_SETTINGS

    client = boto3.client(
        "swf",
        region_name=MOTO_SETTINGS["region"],
        endpoint_url=hop_url,
        aws_access_key_id=MOTO_SETTINGS["aws_access_key_id"],
        aws_secret_access_key=MOTO_SETTINGS["aws_secret_access_key"],
        config=botocore.config.Config(
            # A pooled connection per thread; a poll is sent once, as aioswf sends it.
            max_pool_connections=polls,
            read_timeout=BOTO3_READ_TIMEOUT,
            retries={"total_max_attempts": 1},
        ),
    )
    client.describe_domain(name=DOMAIN)
    identity = f"{socket.gethostname()}:{os.getpid()}"  # what aioswf's actors send
    answered: list[BaseException | None] = []

    def poller(task_list: str) -> None:
        while True:
            try:
                client.poll_for_decision_task(domain=DOMAIN, taskList={"name": task_list}, identity=identity)
                answered.append(None)
            except Exception as err:  # a real poller logs it, pauses and polls again
                answered.append(err)
                time.sleep(1.0)

    gc.collect()
    rss_before = resident_bytes()
    cpu_at_start = time.process_time()
    started = time.monotonic()
    for task_list, pollers in _task_lists(polls, per_task_list):
        for _ in range(pollers):
            # Daemon threads: a thread blocked in a 60 s recv cannot be stopped, so the child
            # ends with os._exit once the parent has its reading, and they end with it.
            threading.Thread(target=poller, args=(task_list,), daemon=True).start()
    # time.monotonic() is CLOCK_MONOTONIC, one clock for every process of a Linux machine (the
    # only kind resident_bytes reads): the parent times the start from this instant.
    _send({"polling": started})
    if not sys.stdin.readline():  # the parent's word that the hop holds every poll
        os._exit(1)
    start_cpu = time.process_time() - cpu_at_start
    time.sleep(settle)
    gc.collect()
    rss_held = resident_bytes()
    clocks = [_clocks()]
    for _ in range(WINDOWS):
        time.sleep(window)  # the main thread sleeps as every poller thread waits in recv
        clocks.append(_clocks())
    reading = _Reading(
        rss_before=rss_before, rss_held=rss_held, idle=_idle(clocks), start_cpu=start_cpu,
        answered=len(answered),
    )  # fmt: skip
    _send({"reading": asdict(reading)})
    sys.stdin.readline()  # until the parent has checked the hop's counts
    os._exit(0)


async def _child_aioswf(hop_url: str, polls: int, per_task_list: int, settle: float, window: float) -> None:
    import anyio
    import anyio.to_thread

    import aioswf
    from aioswf.actors import ActorGroup, Decider, DecisionTask
    from aioswf.decisions import Decision
    from aioswf.testing import MOTO_SETTINGS

    def decide(task: DecisionTask) -> list[Decision]:  # never called: every poll comes back empty
        return []

    config = aioswf.ConnectionConfig(max_poll_connections=polls)
    async with aioswf.Connection(**{**MOTO_SETTINGS, "endpoint_url": hop_url}, config=config) as connection:
        await connection.call("DescribeDomain", {"name": DOMAIN})
        deciders = [
            Decider(DOMAIN, task_list, decide, connection=connection, pollers=pollers)
            for task_list, pollers in _task_lists(polls, per_task_list)
        ]
        group = ActorGroup(*deciders)
        # The worker thread that reads the parent's words, started before the first reading.
        await anyio.to_thread.run_sync(lambda: None)
        gc.collect()
        rss_before = resident_bytes()
        cpu_at_start = time.process_time()
        started = time.monotonic()
        async with anyio.create_task_group() as task_group:
            await task_group.start(group.run)  # returns once every poller has sent its first poll
            _send({"polling": started})
            if not await anyio.to_thread.run_sync(sys.stdin.readline):
                os._exit(1)
            start_cpu = time.process_time() - cpu_at_start
            await anyio.sleep(settle)
            gc.collect()
            rss_held = resident_bytes()
            clocks = [_clocks()]
            for _ in range(WINDOWS):
                await anyio.sleep(window)  # the event loop waits, as it does between tasks
                clocks.append(_clocks())
            # A poll that came back was an empty one, or a failure (which the actor retries).
            empty = sum(decider.statistics().empty_polls for decider in deciders)
            answered = empty + connection.statistics().failures.get("PollForDecisionTask", 0)
            reading = _Reading(
                rss_before=rss_before, rss_held=rss_held, idle=_idle(clocks), start_cpu=start_cpu,
                answered=answered,
            )  # fmt: skip
            _send({"reading": asdict(reading)})
            await anyio.to_thread.run_sync(sys.stdin.readline)  # until the parent has checked
            # What a program does on its way out: the polls in flight are cancelled.
            group.stop(immediate=True)
        # Closing the connection's 10,000 sockets one by one would only make the figure slower:
        # the process's exit closes them.
        os._exit(0)


def _exit_with_parent(parent: int) -> None:
    """End this child once its parent is gone (killed, say), whatever the child is doing then."""
    while os.getppid() == parent:
        time.sleep(0.25)
    os._exit(1)


def _child(kind: str, hop_url: str, polls: int, per_task_list: int, settle: float, window: float) -> None:
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _raise_fd_limit(polls + SPARE_FDS)
    if kind == "boto3":
        _child_boto3(hop_url, polls, per_task_list, settle, window)  # ends with os._exit
    else:
        import anyio

        anyio.run(_child_aioswf, hop_url, polls, per_task_list, settle, window)


# The parent: the servers, the children, the figures ---------------------------------------------


def _read_message(child: subprocess.Popen[str], deadline: float, what: str) -> dict[str, Any]:
    """The child's next JSON line, or an error that says what was awaited."""
    stdout: IO[str] | None = child.stdout
    assert stdout is not None
    ready, _, _ = select.select([stdout], [], [], max(deadline - time.monotonic(), 0))
    if not ready:
        raise RuntimeError(f"benchmarks.pollers: the child sent no {what} in time")
    line = stdout.readline()
    if not line:  # the end of its output: it is exiting
        try:
            code: int | None = child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        raise RuntimeError(f"benchmarks.pollers: the child ended (status {code}) before sending {what}")
    message: dict[str, Any] = json.loads(line)
    return message


def _polls_received(hop: Hop) -> tuple[int, int]:
    """How many polls the hop holds now, and how many it received so far."""
    status = hop.status()
    return int(status["holding"]), int(status["requests"].get("PollForDecisionTask", 0))


@dataclass(frozen=True)
class _Run:
    reading: _Reading
    held_after: float  # seconds from the first poller's start until the hop held every poll


def _run_child(hop: Hop, kind: str, polls: int, plan: _Plan) -> _Run:
    """One run of one configuration, in a fresh child process."""
    deadline = time.monotonic() + 30
    # The polls of the last child end when the hop sees their connections close.
    while (holding := _polls_received(hop)[0]) != 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the hop still holds {holding} polls of an earlier run")
        time.sleep(0.05)
    received_before = _polls_received(hop)[1]
    command = [
        sys.executable, "-m", "benchmarks.pollers", "--child", kind, str(polls), "--hop-url", hop.url,
        "--per-task-list", str(plan.per_task_list),
        "--settle", str(plan.settle), "--window", str(plan.window),
    ]  # fmt: skip
    spawned = time.monotonic()
    child = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=_PROJECT_ROOT
    )
    assert child.stdin is not None
    try:
        # Every poll must be held, and the readings taken, before the first poll is answered.
        readings_take = plan.settle + WINDOWS * plan.window + MARGIN
        started = float(_read_message(child, spawned + HOLD - readings_take, "word of its polls")["polling"])
        deadline = started + HOLD - readings_take
        while (holding := _polls_received(hop)[0]) < polls:
            if time.monotonic() > deadline or child.poll() is not None:
                raise RuntimeError(
                    f"{kind} with {polls} polls: the hop held only {holding} of them "
                    f"{time.monotonic() - started:.0f} s after the first poller started"
                )
            time.sleep(0.02)
        held_after = time.monotonic() - started
        child.stdin.write("held\n")
        child.stdin.flush()
        reading = _Reading(**_read_message(child, started + HOLD - MARGIN, "its reading")["reading"])
        holding, received = _polls_received(hop)
        received -= received_before
        if holding != polls or received != polls or reading.answered:
            raise RuntimeError(
                f"{kind} with {polls} polls: at the end the hop held {holding} and had received "
                f"{received} polls, {reading.answered} came back: the readings are not of held polls"
            )
        return _Run(reading, held_after)
    finally:
        child.stdin.close()  # the child's word to exit
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()


def _create_domain(settings: MotoSettings) -> None:
    import anyio

    import aioswf
    from aioswf.querysets import DomainQuerySet

    async def create() -> None:
        async with aioswf.Connection(**settings) as connection:
            await DomainQuerySet(connection=connection).get_or_create(DOMAIN, retention_period=1)

    anyio.run(create)


def _label(kind: str, polls: int) -> str:
    return f"aioswf, {polls:,} polls" if kind == "aioswf" else f"boto3 + threads, {polls:,} threads"


def _stack_size() -> str:
    """The stack a thread gets: with ``threading.stack_size()`` 0, glibc's default, RLIMIT_STACK."""
    chosen = threading.stack_size()
    if chosen:
        return f"{chosen / 2**20:g} MiB (threading.stack_size)"
    limit = resource.getrlimit(resource.RLIMIT_STACK)[0]
    size = (
        "unlimited, so the C library's own size"
        if limit == resource.RLIM_INFINITY
        else f"{limit / 2**20:g} MiB"
    )
    return f"the default: threading.stack_size() is 0, so RLIMIT_STACK, {size}"


def run(options: Options) -> list[Figure]:
    """Figures 4a (memory per held poll) and 4b (idle CPU), each run in a fresh child process."""
    from aioswf.testing import MotoServer

    from ._hop import Hop

    plan = _SMOKE if options.smoke else _FULL
    repeat = 1 if options.smoke else options.repeat
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    # The hop inherits this process's limit, and holds a socket per poll too.
    _raise_fd_limit(max(plan.sizes) + SPARE_FDS)
    runs: dict[tuple[str, int], list[_Run]] = {}
    began = time.perf_counter()
    with MotoServer() as moto:
        _create_domain(moto.settings)
        with Hop(moto.url, hold=HOLD, answer_polls=True) as hop:
            for _ in range(repeat):
                for polls in plan.sizes:
                    for kind in KINDS:
                        runs.setdefault((kind, polls), []).append(_run_child(hop, kind, polls, plan))
    took = time.perf_counter() - began

    configurations = [(kind, polls) for polls in plan.sizes for kind in KINDS]
    memory_rows, cpu_rows = [], []
    for kind, polls in configurations:
        label = _label(kind, polls)
        against = _label("boto3", polls) if kind == "aioswf" else ""
        readings = [each.reading for each in runs[(kind, polls)]]
        per_poll = tuple((r.rss_held - r.rss_before) / polls / 1024 for r in readings)
        memory_rows.append(Row(label, per_poll, against=against))
        idle = tuple(100 * min(r.idle) for r in readings)
        cpu_rows.append(Row(label, idle, against=against))

    def took_to_hold(kind: str, polls: int) -> str:
        wall = statistics.median(each.held_after for each in runs[(kind, polls)])
        cpu = statistics.median(each.reading.start_cpu for each in runs[(kind, polls)])
        return f"{_label(kind, polls)}: {wall:.1f} s, {cpu:.1f} s of the child's CPU"

    starting = "; ".join(took_to_hold(kind, polls) for kind, polls in configurations)
    busiest = "; ".join(
        f"{_label(kind, polls)}: {100 * max(max(each.reading.idle) for each in runs[(kind, polls)]):.2g} %"
        for kind, polls in configurations
    )
    common = (
        f"every poll held {HOLD:.0f} s, as SWF holds them, by a hop in a process of its own (an SWFProxy "
        f"that answers them empty), the same endpoint and credentials for both; {plan.per_task_list:,} "
        f"pollers per task list; each of the {repeat} runs per row a fresh child process, the four "
        f"configurations interleaved; the whole figure took {took:.0f} s",
    )
    memory = Figure(
        "4a",
        "Idle pollers: resident memory per held poll",
        "KB",
        tuple(memory_rows),
        notes=(
            *common,
            f"the growth of the child's resident set (VmRSS) from before its first poll to {plan.settle:g} s "
            f"after the hop held the last one, over the number of polls; 1 KB = 1,024 bytes",
            f"boto3 threads' stack: {_stack_size()} of address space each, resident only as far as touched",
            f"from the first poller's start until the hop held every poll (median, the hop sharing this "
            f"machine's {os.cpu_count()} cores): {starting}",
        ),
    )
    cpu = Figure(
        "4b",
        "Idle pollers: CPU while every poll is held",
        "% of one core",
        tuple(cpu_rows),
        notes=(
            f"the child's CPU time (time.process_time: every thread, user and system) over wall time, in "
            f"{WINDOWS} windows of {plan.window:g} s with every poll held; each run gives its quieter "
            f"window, the steady state",
            f"the busier window of each run, highest of the runs: {busiest}",
            "a window may catch a one-off: in a process that has just opened 10,000 connections, asyncio "
            "drops the cancelled connect-timeout timers that aiohttp left in its heap all at once (some "
            "20 ms) when the first keep-alive clean-up timer of a pool fires, about 12 s after the start",
            "both kinds otherwise wait in the kernel (epoll, or a recv per thread): a fraction of a "
            "millisecond per window, the readings' own cost included (with 10,000 threads a reading "
            "costs 0.5 ms: the kernel sums their times); ratios of such small numbers say little",
        ),
    )
    return [memory, cpu]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pollers", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument(
        "--repeat", type=whole_number(1), default=Options.repeat, help="runs per configuration"
    )
    parser.add_argument("--smoke", action="store_true", help="the smallest run through every step")
    # One run of one configuration, as the parent starts it: it speaks JSON lines on stdout.
    parser.add_argument("--child", nargs=2, metavar=("KIND", "POLLS"), help=argparse.SUPPRESS)
    parser.add_argument("--hop-url", help=argparse.SUPPRESS)
    parser.add_argument("--per-task-list", type=int, default=POLLERS_PER_TASK_LIST, help=argparse.SUPPRESS)
    parser.add_argument("--settle", type=float, default=_FULL.settle, help=argparse.SUPPRESS)
    parser.add_argument("--window", type=float, default=_FULL.window, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        kind, polls = arguments.child
        if kind not in KINDS or not polls.isdigit() or not arguments.hop_url:
            parser.error(f"--child takes one of {', '.join(KINDS)} and a number of polls, and --hop-url")
        _child(
            kind, arguments.hop_url, int(polls), arguments.per_task_list, arguments.settle, arguments.window
        )
        return 0
    print(format_table(run(Options(repeat=arguments.repeat, smoke=arguments.smoke))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
