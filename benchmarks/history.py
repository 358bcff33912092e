"""How long a decider takes to read a 25,000-event history, against ``json.loads`` of its bytes.

Run it standalone: ``python -m benchmarks.history [--events N] [--repeat R]``. It builds the body
of a GetWorkflowExecutionHistory answer as SWF sends it (JSON, epoch-float timestamps) for a
workflow that fans out activities, with heartbeat details, failures, timeouts, timers, markers and
signals, then times in one run:

- ``json.loads`` of the bytes: the baseline every ratio is against;
- the whole path a decider pays: botocore's JSON-protocol response parser (what aiobotocore runs on
  the body), then ``History.from_swf`` and ``compile()``;
- aioswf's part alone, from botocore's parsed dictionaries: ``History.from_swf`` + ``compile()``;
- the same from ``json.loads``'s dictionaries (epoch floats instead of datetimes), for reference;

and the peak memory of each (tracemalloc, in a separate untimed pass) as a ratio to ``json.loads``'
(for aioswf's part alone: what it allocates on top of the dictionaries it reads, which it keeps
no copies of).
"""

from __future__ import annotations

import argparse
import gc
import json
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import botocore.parsers
import botocore.session

from aioswf.history import History

from ._measure import Figure, Options, Row, format_table, whole_number

Raw = dict[str, Any]


class _Builder:
    """SWF's event dictionaries, with ids and timestamps that count up."""

    def __init__(self) -> None:
        self.events: list[Raw] = []
        self.clock = 1_700_000_000.0

    def add(self, event_type: str, **attributes: Any) -> int:
        self.clock += 0.137
        event_id = len(self.events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append(
            {"eventId": event_id, "eventType": event_type, "eventTimestamp": self.clock, key: attributes}
        )
        return event_id

    def decision(self, context: str | None = None) -> int:
        scheduled = self.add(
            "DecisionTaskScheduled", taskList={"name": "deciders"}, startToCloseTimeout="300"
        )
        started = self.add("DecisionTaskStarted", identity="decider-host-7:4242", scheduledEventId=scheduled)
        extra = {"executionContext": context} if context else {}
        return self.add("DecisionTaskCompleted", scheduledEventId=scheduled, startedEventId=started, **extra)


def build_history(size: int) -> list[Raw]:
    """About ``size`` events of a fan-out workflow, closed at the end."""
    b = _Builder()
    b.add(
        "WorkflowExecutionStarted",
        input=json.dumps({"bucket": "s3://data/2024/", "batch": 25_000, "options": {"retries": 3}}),
        executionStartToCloseTimeout="86400",
        taskStartToCloseTimeout="300",
        childPolicy="TERMINATE",
        taskList={"name": "deciders"},
        workflowType={"name": "ingest", "version": "2.1"},
        tagList=["ingest", "nightly"],
    )
    activity_type = {"name": "process-file", "version": "3"}
    n = 0
    while len(b.events) < size - 20:
        completed = b.decision(context=json.dumps({"cursor": n}) if n % 5 == 0 else None)
        batch = []
        for _ in range(8):
            n += 1
            scheduled = b.add(
                "ActivityTaskScheduled",
                activityType=activity_type,
                activityId=f"file-{n:06d}",
                input=json.dumps({"key": f"2024/part-{n:06d}.csv.gz", "offset": n * 4096, "size": 4096}),
                control=json.dumps({"attempt": 1}),
                scheduleToStartTimeout="600",
                scheduleToCloseTimeout="3600",
                startToCloseTimeout="1800",
                heartbeatTimeout="120",
                taskList={"name": "workers"},
                taskPriority="0",
                decisionTaskCompletedEventId=completed,
            )
            batch.append(scheduled)
        timer = 0
        if n % 40 == 0:
            timer = b.add(
                "TimerStarted",
                timerId=f"backoff-{n}",
                startToFireTimeout="30",
                decisionTaskCompletedEventId=completed,
            )
            b.add("MarkerRecorded", markerName="progress", details=json.dumps({"done": n}),
                  decisionTaskCompletedEventId=completed)  # fmt: skip
        for index, scheduled in enumerate(batch):
            started = b.add("ActivityTaskStarted", identity=f"worker-{index}:{1000 + index}",
                            scheduledEventId=scheduled)  # fmt: skip
            if (scheduled + index) % 23 == 0:
                b.add("ActivityTaskFailed", reason="IOError: connection reset by peer",
                      details="Traceback (most recent call last):\n" + "  File \"work.py\", line 12\n" * 6,
                      scheduledEventId=scheduled, startedEventId=started)  # fmt: skip
            elif (scheduled + index) % 41 == 0:
                b.add("ActivityTaskTimedOut", timeoutType="HEARTBEAT", details="42%",
                      scheduledEventId=scheduled, startedEventId=started)  # fmt: skip
            else:
                result = {"rows": 1000 + scheduled, "sha256": f"{scheduled:064x}", "errors": []}
                b.add("ActivityTaskCompleted", result=json.dumps(result),
                      scheduledEventId=scheduled, startedEventId=started)  # fmt: skip
        if timer:
            b.add("TimerFired", timerId=f"backoff-{n}", startedEventId=timer)
        if n % 64 == 0:
            b.add("WorkflowExecutionSignaled", signalName="pause", input=json.dumps({"until": n}))
    completed = b.decision()
    b.add(
        "WorkflowExecutionCompleted", result=json.dumps({"files": n}), decisionTaskCompletedEventId=completed
    )
    return b.events


def _measure(label: str, run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result
    return times


def _peak(run: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def run(options: Options, events_count: int = 25_000) -> list[Figure]:
    events = build_history(100 if options.smoke else events_count)
    body = json.dumps({"events": events}).encode()
    model = botocore.session.get_session().get_service_model("swf")
    output_shape = model.operation_model("GetWorkflowExecutionHistory").output_shape
    response_parser = botocore.parsers.create_parser("json")

    def botocore_parse() -> list[Raw]:
        response = {
            "body": body,
            "headers": {"content-type": "application/x-amz-json-1.0"},
            "status_code": 200,
        }
        parsed: list[Raw] = response_parser.parse(response, output_shape)["events"]
        return parsed

    botocore_events = botocore_parse()
    json_events = json.loads(body)["events"]
    # The same history both ways, before anything is timed.
    state = History.from_swf(botocore_events).compile()
    assert state == History.from_swf(json_events).compile()
    assert state.execution.status == "completed" and len(state.activities) > 10

    baseline = "json.loads of the bytes"
    runs: list[tuple[str, Callable[[], object]]] = [
        (baseline, lambda: json.loads(body)),
        (
            "aioswf: from_swf + compile (botocore's dicts)",
            lambda: History.from_swf(botocore_events).compile(),
        ),
        ("  of which from_swf (parse)", lambda: History.from_swf(botocore_events)),
        (
            "aioswf: from_swf + compile (json.loads' dicts)",
            lambda: History.from_swf(json_events).compile(),
        ),
        ("botocore's response parser alone", botocore_parse),
        (
            "whole path: botocore's parser + from_swf + compile",
            lambda: History.from_swf(botocore_parse()).compile(),
        ),
    ]
    times = {label: _measure(label, call, options.repeat) for label, call in runs}
    peaks = {label: _peak(call) for label, call in runs}
    size = f"{len(events):,} events, {len(body) / 1e6:.1f} MB of JSON"
    return [
        Figure(
            "5a",
            f"History: parse and compile {size}",
            "ms",
            tuple(Row(label, tuple(t * 1000 for t in times[label])) for label, _ in runs),
            baseline=baseline,
            notes=(
                "aioswf's own part is what a decider adds to the dictionaries aiobotocore hands it "
                "(target: 3 × json.loads or less)",
            ),
        ),
        Figure(
            "5b",
            "History: peak memory (tracemalloc, a separate untimed pass)",
            "MB",
            tuple(Row(label, (peaks[label] / 1e6,)) for label, _ in runs[:4]),
            baseline=baseline,
            notes=(
                "aioswf's rows count what it allocates on top of the dictionaries it reads "
                "(it keeps no copies)",
            ),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.history", description=__doc__.splitlines()[0] if __doc__ else None
    )
    # Fewer events than a few hundred make a history without every kind of event in it.
    parser.add_argument("--events", type=whole_number(500), default=25_000)
    parser.add_argument("--repeat", type=whole_number(1), default=3)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    print(format_table(run(Options(repeat=args.repeat, smoke=args.smoke), args.events)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
