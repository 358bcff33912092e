"""Figure 7: the client CPU of one SWF call, through aioswf, raw aiobotocore and the floor.

Run it: ``python -m benchmarks.calls [--repeat R] [--calls N] [--smoke] [--profile]``.

Two calls a worker makes all day: a decision poll that hands out an 11-event task (7a) and an
activity heartbeat (7b). Each way makes ``N`` calls per repetition, one after the other, and the
CPU this process spends over them (``time.process_time``: every thread, user and system) is
divided by ``N``. The ways:

- **the floor**: one ``aiohttp.ClientSession``, the request built as SWF's JSON protocol wants it
  (``X-Amz-Target``, ``Content-Type: application/x-amz-json-1.0``, body by ``json.dumps``),
  signed by botocore's ``SigV4Auth``, the answer decoded by ``json.loads``. Nothing an SWF client
  can leave out: what is above it is the price of a general SDK;
- **raw aiobotocore**: ``client.poll_for_decision_task(...)`` and
  ``client.record_activity_task_heartbeat(...)``, a client made with the defaults;
- **aioswf**: ``Connection.call(...)``, its one seam for every SWF call; for the poll also
  ``Decider.poll()``, what a running ``Decider`` pays per poll: the call, then the
  ``DecisionTask`` with its typed ``History`` (and for an 11-event task no further pages).

The answers come from :mod:`benchmarks._canned`, a server in another process that answers from
bytes built once and keeps connections alive, as SWF does: its CPU is not counted, and no row
pays a TCP connection per call. A repetition's calls are made in slices interleaved across the
rows, in an order that rotates, so that noise from other work on the machine falls on all rows
alike; ratios are taken between medians of the same run. Before anything is timed every way is
checked to give SWF's answer, and afterwards the server's count of requests must match the calls
made (no retries, nothing lost).

``--profile`` adds where the time goes (:func:`profile`): CPU samples of the same calls,
attributed to request building, signing, the HTTP layer, response parsing, the event loop and
aioswf's own parts.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import signal
import statistics
import time
import types
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import aioswf
from aioswf._connection import USER_AGENT
from aioswf._timestamps import parse_timestamp
from aioswf.actors import Decider

from ._canned import HEARTBEAT_ANSWER, TASK_TOKEN, Canned, decision_task
from ._measure import Figure, Options, Row, cpu_seconds, format_table, whole_number

__all__ = ["main", "profile", "run"]

REGION = "us-east-1"
ACCESS_KEY = SECRET_KEY = "x"

#: What a Decider sends (its own identity, SWF's largest page): the same body every way.
POLL_PARAMS: dict[str, Any] = {
    "domain": "bench",
    "taskList": {"name": "deciders"},
    "identity": "bench-host:4242",
    "maximumPageSize": 1000,
}
HEARTBEAT_PARAMS: dict[str, Any] = {"taskToken": TASK_TOKEN, "details": "42% of 2024/06/01/part-00017"}

POLL, HEARTBEAT = "PollForDecisionTask", "RecordActivityTaskHeartbeat"

FLOOR = "floor (aiohttp, SigV4, json)"
RAW = "raw aiobotocore"
#: The same client given aioswf's two transport options, so that aioswf's own part shows.
RAW_TUNED = "raw aiobotocore, tuned as aioswf"
CALL = "aioswf Connection.call"
DECIDER = "aioswf Decider.poll (+ typed History)"

#: Calls per row and repetition by default: the figure takes about 25 s on a 2-core machine.
DEFAULT_CALLS = 600
#: Untimed calls per row before the first repetition: connections open, caches fill.
WARM_UP = 30
#: Slices of each repetition, interleaved across the rows.
ROUNDS = 10

Call = Callable[[], Awaitable[object]]


@dataclass(frozen=True, eq=False)
class _Case:
    """One row: a figure, a label, the call to make and a check of its answer."""

    figure: str
    label: str
    operation: str
    call: Call
    check: Callable[[Any], None]


# The three clients ------------------------------------------------------------------------------


class _Floor:
    """The least an SWF client does: SWF's JSON protocol by hand, over one aiohttp session."""

    def __init__(self, http: aiohttp.ClientSession, endpoint_url: str) -> None:
        self.http = http
        self.url = endpoint_url.rstrip("/") + "/"
        self.signer = SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "swf", REGION)

    async def call(self, operation: str, params: Mapping[str, Any]) -> Any:
        body = json.dumps(params).encode()
        request = AWSRequest(
            method="POST",
            url=self.url,
            data=body,
            headers={
                "X-Amz-Target": f"SimpleWorkflowService.{operation}",
                "Content-Type": "application/x-amz-json-1.0",
            },
        )
        # A new signature per request, as every client makes: its date and body hash change.
        self.signer.add_auth(request)
        async with self.http.post(self.url, data=body, headers=dict(request.headers.items())) as response:
            answer = await response.read()
            if response.status != 200:
                raise RuntimeError(f"{operation}: HTTP {response.status}: {answer[:200]!r}")
        return json.loads(answer)


@dataclass
class _Clients:
    floor: _Floor
    raw: Any  # an aiobotocore SWF client
    raw_tuned: Any  # one with aioswf's User-Agent and timestamp parser
    connection: aioswf.Connection
    decider: Decider


@asynccontextmanager
async def _open_clients(endpoint_url: str) -> AsyncIterator[_Clients]:
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(aiohttp.ClientSession())
        raw = await stack.enter_async_context(
            AioSession().create_client(
                "swf",
                region_name=REGION,
                endpoint_url=endpoint_url,
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
            )
        )
        tuned_session = AioSession()
        tuned_session.get_component("response_parser_factory").set_parser_defaults(
            timestamp_parser=parse_timestamp
        )
        raw_tuned = await stack.enter_async_context(
            tuned_session.create_client(
                "swf",
                config=AioConfig(user_agent=USER_AGENT),
                region_name=REGION,
                endpoint_url=endpoint_url,
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
            )
        )
        connection = await stack.enter_async_context(
            aioswf.Connection(
                endpoint_url=endpoint_url,
                region=REGION,
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
            )
        )
        decider = Decider(
            POLL_PARAMS["domain"],
            POLL_PARAMS["taskList"]["name"],
            connection=connection,
            identity=POLL_PARAMS["identity"],
        )
        yield _Clients(_Floor(http, endpoint_url), raw, raw_tuned, connection, decider)


def _as_sent(value: Any) -> Any:
    """An answer as SWF's JSON had it: datetimes back to epoch floats, no ``ResponseMetadata``."""
    if isinstance(value, datetime):
        return round(value.timestamp(), 6)
    if isinstance(value, dict):
        return {key: _as_sent(item) for key, item in value.items() if key != "ResponseMetadata"}
    if isinstance(value, list):
        return [_as_sent(item) for item in value]
    return value


def _expect(condition: bool, what: str, answer: Any) -> None:
    if not condition:
        raise RuntimeError(f"{what}, got {answer!r:.300}")


def _cases(clients: _Clients) -> list[_Case]:
    floor, raw, connection, decider = clients.floor, clients.raw, clients.connection, clients.decider
    task = decision_task()

    def answered_task(answer: Any) -> None:
        _expect(_as_sent(answer) == task, "the decision task as the server sent it", answer)

    def typed_task(answer: Any) -> None:
        _expect(
            answer.token == task["taskToken"]
            and [event.event_id for event in answer.history] == [e["eventId"] for e in task["events"]]
            and answer.previous_started_event_id == task["previousStartedEventId"]
            and answer.started_event_id == task["startedEventId"],
            "a DecisionTask of the server's task",
            answer,
        )

    def heartbeat_answer(answer: Any) -> None:
        _expect(_as_sent(answer) == HEARTBEAT_ANSWER, f"{HEARTBEAT_ANSWER}", answer)

    return [
        _Case("7a", FLOOR, POLL, lambda: floor.call(POLL, POLL_PARAMS), answered_task),
        _Case("7a", RAW, POLL, lambda: raw.poll_for_decision_task(**POLL_PARAMS), answered_task),
        _Case(
            "7a",
            RAW_TUNED,
            POLL,
            lambda: clients.raw_tuned.poll_for_decision_task(**POLL_PARAMS),
            answered_task,
        ),
        _Case("7a", CALL, POLL, lambda: connection.call(POLL, POLL_PARAMS), answered_task),
        _Case("7a", DECIDER, POLL, decider.poll, typed_task),
        _Case("7b", FLOOR, HEARTBEAT, lambda: floor.call(HEARTBEAT, HEARTBEAT_PARAMS), heartbeat_answer),
        _Case(
            "7b",
            RAW,
            HEARTBEAT,
            lambda: raw.record_activity_task_heartbeat(**HEARTBEAT_PARAMS),
            heartbeat_answer,
        ),
        _Case(
            "7b",
            RAW_TUNED,
            HEARTBEAT,
            lambda: clients.raw_tuned.record_activity_task_heartbeat(**HEARTBEAT_PARAMS),
            heartbeat_answer,
        ),
        _Case("7b", CALL, HEARTBEAT, lambda: connection.call(HEARTBEAT, HEARTBEAT_PARAMS), heartbeat_answer),
    ]


# The figure -------------------------------------------------------------------------------------


async def _repeat(call: Call, times: int) -> None:
    for _ in range(times):
        await call()


async def _measure(
    endpoint_url: str, chunk: int, rounds: int, repeat: int, warm_up: int
) -> tuple[dict[tuple[str, str], list[float]], Counter[str]]:
    """ms of CPU per call of every case, one value per repetition; and the calls made."""
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    made: Counter[str] = Counter()
    async with _open_clients(endpoint_url) as clients:
        cases = _cases(clients)
        for case in cases:
            case.check(await case.call())
            await _repeat(case.call, warm_up)
            made[case.operation] += 1 + warm_up
        for repetition in range(repeat):
            # Each repetition is made of rounds in which every row makes a slice of its calls, in
            # an order that rotates: a burst of other work on the machine, or a collection of
            # the heap, falls on all rows alike instead of on whichever ran at that moment.
            spent = dict.fromkeys(cases, 0.0)
            for turn in range(rounds):
                gc.collect()
                shift = (repetition * rounds + turn) % len(cases)
                for case in cases[shift:] + cases[:shift]:
                    with cpu_seconds() as reading:
                        await _repeat(case.call, chunk)
                    spent[case] += reading.cpu
                    made[case.operation] += chunk
            for case, cpu in spent.items():
                values[case.figure, case.label].append(cpu / (chunk * rounds) * 1e3)
    return values, made


def _figure(
    number: str, title: str, values: Mapping[tuple[str, str], list[float]], notes: tuple[str, ...]
) -> Figure:
    # aioswf's rows are compared with raw aiobotocore (what it adds), aiobotocore's with the
    # floor (what a general SDK adds); a note gives aioswf against the floor too.
    rows = tuple(
        Row(label, tuple(samples), against=RAW if label.startswith("aioswf") else "")
        for (figure, label), samples in values.items()
        if figure == number
    )
    floor = statistics.median(values[number, FLOOR])
    tuned = statistics.median(values[number, RAW_TUNED])
    ours = [row for row in rows if row.label.startswith("aioswf")]
    against_floor = "; ".join(f"{row.label} {row.median / floor:.2f}×" for row in ours)
    against_tuned = "; ".join(f"{row.label} {row.median / tuned:.2f}×" for row in ours)
    return Figure(
        number,
        title,
        "ms CPU / call",
        rows,
        FLOOR,
        (
            f"against the floor: {against_floor}.",
            f"against raw aiobotocore tuned as aioswf (its User-Agent and timestamp parser, "
            f"so aioswf's own part alone): {against_tuned}.",
            *notes,
        ),
    )


def run(options: Options, *, calls: int | None = None) -> list[Figure]:
    """Figures 7a (decision poll, 11 events) and 7b (heartbeat), against a canned server."""
    if calls is None:
        calls = 5 if options.smoke else DEFAULT_CALLS
    repeat = 1 if options.smoke else options.repeat
    warm_up = 1 if options.smoke else WARM_UP
    if calls < 1 or repeat < 1:
        raise ValueError("calls and repeat must be at least 1")
    rounds = min(ROUNDS, calls)
    chunk = calls // rounds
    calls = chunk * rounds
    with Canned() as server:
        values, made = asyncio.run(_measure(server.url, chunk, rounds, repeat, warm_up))
        answered = server.status()
    if answered != dict(made):
        # A retried or lost request would make a row's calls cost what they did not.
        raise RuntimeError(f"the server answered {answered}, the clients made {dict(made)}")
    common = (
        f"{calls} sequential calls per row and repetition, in {rounds} slices interleaved across "
        "the rows, against a canned server in another process (connections kept alive); this "
        "process's CPU only.",
    )
    poll_notes = (
        "aiobotocore gives timestamps as local datetimes (botocore's parser), the tuned client and "
        "Connection.call as UTC datetimes (aioswf's parser); the floor leaves them as epoch "
        "floats; Decider.poll adds typed events.",
    )
    return [
        _figure("7a", "Decision poll, 11 events", values, poll_notes + common),
        _figure(
            "7b", "Activity heartbeat", values, (f"measured as 7a, {calls} calls per row and repetition.",)
        ),
    ]


# The profile ------------------------------------------------------------------------------------

# Where a CPU sample is counted: the innermost frame on the stack whose module names a bucket.
# Helpers that serve everyone (the standard library's email, urllib, hmac, logging...; botocore's
# model, utils and request objects) name none, so their time goes to the code that called them:
# header handling inside the signer counts as signing, inside the client as request building.
_VALIDATION = "request: parameter validation"
_SERIALIZATION = "request: serialization"
_ENDPOINT = "request: endpoint ruleset"
_HOOKS = "request: event hooks and handlers"
_USER_AGENT = "request: User-Agent header"
_RETRIES = "request: retry bookkeeping"
_PLUMBING = "request: client and endpoint plumbing"
_SIGNING = "signing (SigV4)"
_HTTP = "HTTP layer (aiohttp, aiobotocore's session)"
_PARSING = "response parsing (botocore parser, timestamps; json.loads)"
_LOOP = "event loop and sockets (asyncio)"
_SEAM = "aioswf: the call seam (length checks, faults, counters, logging)"
_TYPED = "aioswf: DecisionTask and typed History"
_OTHER = "other"
BUCKETS = (
    _VALIDATION,
    _SERIALIZATION,
    _ENDPOINT,
    _HOOKS,
    _USER_AGENT,
    _RETRIES,
    _PLUMBING,
    _SIGNING,
    _HTTP,
    _PARSING,
    _LOOP,
    _SEAM,
    _TYPED,
    _OTHER,
)

_MODULE_BUCKETS: dict[str, str] = {
    "botocore.validate": _VALIDATION,
    "botocore.serialize": _SERIALIZATION,
    "json.encoder": _SERIALIZATION,
    "botocore.regions": _ENDPOINT,
    "botocore.endpoint_provider": _ENDPOINT,
    "aiobotocore.regions": _ENDPOINT,
    "botocore.hooks": _HOOKS,
    "botocore.handlers": _HOOKS,
    "botocore.discovery": _HOOKS,
    "aiobotocore.hooks": _HOOKS,
    "aiobotocore.handlers": _HOOKS,
    "aiobotocore.discovery": _HOOKS,
    "aiobotocore._helpers": _HOOKS,  # resolve_awaitable, run on every handler's answer
    "botocore.useragent": _USER_AGENT,
    "aiobotocore.useragent": _USER_AGENT,
    "botocore.retries": _RETRIES,
    "botocore.retryhandler": _RETRIES,
    "aiobotocore.retries": _RETRIES,
    "aiobotocore.retryhandler": _RETRIES,
    "botocore.client": _PLUMBING,
    "botocore.context": _PLUMBING,
    "botocore.endpoint": _PLUMBING,
    "botocore.httpchecksum": _PLUMBING,
    "botocore.compress": _PLUMBING,
    "aiobotocore.client": _PLUMBING,
    "aiobotocore.context": _PLUMBING,
    "aiobotocore.endpoint": _PLUMBING,
    "aiobotocore.httpchecksum": _PLUMBING,
    __name__: _PLUMBING,  # the floor's own lines: it builds its request by hand
    "botocore.auth": _SIGNING,
    "botocore.signers": _SIGNING,
    "botocore.credentials": _SIGNING,
    "aiobotocore.signers": _SIGNING,
    "aiobotocore.credentials": _SIGNING,
    "aiohttp": _HTTP,
    "aiobotocore.httpsession": _HTTP,
    "aiobotocore.awsrequest": _HTTP,
    "aiobotocore._endpoint_helpers": _HTTP,
    "yarl": _HTTP,
    "multidict": _HTTP,
    "aiohappyeyeballs": _HTTP,
    "aiosignal": _HTTP,
    "frozenlist": _HTTP,
    "propcache": _HTTP,
    "botocore.parsers": _PARSING,
    "aiobotocore.parsers": _PARSING,
    "json.decoder": _PARSING,
    "asyncio": _LOOP,
    "selectors": _LOOP,
    "aioswf._timestamps": _PARSING,  # aioswf's own timestamp parser, which botocore's parser calls
    "aioswf._connection": _SEAM,
    "aioswf._limits": _SEAM,
    "aioswf._faults": _SEAM,
    "aioswf._default": _SEAM,
    "aioswf": _TYPED,  # the rest of aioswf on these paths: actors, models, history, events
}


def _module_bucket(module: str) -> str | None:
    """The bucket of a module (by its longest listed prefix), or ``None`` for a shared helper."""
    while module:
        bucket = _MODULE_BUCKETS.get(module)
        if bucket is not None:
            return bucket
        module = module.rpartition(".")[0]
    return None


class _Sampler:
    """Counts, at each tick of this process's CPU clock, the bucket and the innermost function.

    A deterministic profiler (cProfile) pays its overhead per function call, and botocore makes
    thousands of small calls per request where the floor makes a few C calls: its shares would
    be skewed towards call-heavy code, and with a CPU timer every call costs several times its
    own time. A ``SIGPROF`` timer costs nothing between samples and counts CPU only (an idle
    ``epoll`` wait gets no sample). Its resolution is the kernel's tick (a few hundred samples
    a CPU-second on Linux), hence thousands of calls per profile. Time in a C function
    (``json.loads``, a ``send`` system call) lands on the Python function that called it.
    """

    #: Asked for; the kernel delivers at its tick, which is coarser.
    INTERVAL = 0.001

    def __init__(self) -> None:
        self.samples: Counter[tuple[str, types.CodeType]] = Counter()
        self.modules: dict[types.CodeType, str] = {}
        self._buckets: dict[str, str | None] = {}

    def _on_tick(self, signum: int, frame: types.FrameType | None) -> None:
        if frame is None:
            return
        innermost = frame.f_code
        if innermost not in self.modules:
            self.modules[innermost] = frame.f_globals.get("__name__", "?")
        bucket = _OTHER
        walking: types.FrameType | None = frame
        while walking is not None:
            module = walking.f_globals.get("__name__", "")
            try:
                found = self._buckets[module]
            except KeyError:
                found = self._buckets[module] = _module_bucket(module)
            if found is not None:
                bucket = found
                break
            walking = walking.f_back
        self.samples[bucket, innermost] += 1

    @contextmanager
    def sampling(self) -> Iterator[None]:
        previous = signal.signal(signal.SIGPROF, self._on_tick)
        signal.setitimer(signal.ITIMER_PROF, self.INTERVAL, self.INTERVAL)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            signal.signal(signal.SIGPROF, previous)

    def buckets(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for (bucket, _), count in self.samples.items():
            totals[bucket] += count
        return totals


@dataclass
class _Profiled:
    """One way's profile: its samples, the CPU per call over the sampled run, its call counts."""

    label: str
    cpu_ms: float
    sampler: _Sampler
    #: Python function calls per call, by cProfile's key (file, first line, name).
    function_calls: Mapping[tuple[str, int, str], float]

    def __post_init__(self) -> None:
        self.buckets = self.sampler.buckets()
        self.total_samples = sum(self.buckets.values())

    def ms(self, samples: int) -> float:
        """The CPU per call that ``samples`` of this profile stand for."""
        return samples / self.total_samples * self.cpu_ms if self.total_samples else 0.0


async def _profile_case(case: _Case, calls: int, counted: int) -> _Profiled:
    case.check(await case.call())
    await _repeat(case.call, WARM_UP)
    sampler = _Sampler()
    gc.collect()
    with sampler.sampling(), cpu_seconds() as reading:
        await _repeat(case.call, calls)
    # Counts do not depend on a timer: a short deterministic run gives them exactly.
    profiler = cProfile.Profile()
    profiler.enable()
    await _repeat(case.call, counted)
    profiler.disable()
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    function_calls = {key: entry[1] / counted for key, entry in stats.items()}
    return _Profiled(case.label, reading.cpu / calls * 1e3, sampler, function_calls)


def _bucket_table(title: str, profiles: list[_Profiled]) -> list[str]:
    lines = [
        f"**{title}**: ms of CPU per call (share of the samples)",
        "",
        "| bucket | " + " | ".join(p.label for p in profiles) + " |",
        "|---|" + "---:|" * len(profiles),
    ]
    for bucket in BUCKETS:
        cells = [
            f"{p.ms(p.buckets[bucket]):.3f} ({p.buckets[bucket] / p.total_samples:.0%})"
            if p.buckets[bucket]
            else ""
            for p in profiles
        ]
        if any(cells):
            lines.append(f"| {bucket} | " + " | ".join(cells) + " |")
    lines += [
        "| **total** | " + " | ".join(f"**{p.cpu_ms:.3f}**" for p in profiles) + " |",
        "| samples | " + " | ".join(str(p.total_samples) for p in profiles) + " |",
        "| Python function calls per call | "
        + " | ".join(f"{sum(p.function_calls.values()):,.0f}" for p in profiles)
        + " |",
    ]
    return lines


def _top_functions(title: str, profiled: _Profiled, count: int) -> list[str]:
    sampler = profiled.sampler
    by_code: dict[types.CodeType, Counter[str]] = defaultdict(Counter)
    for (bucket, code), samples in sampler.samples.items():
        by_code[code][bucket] += samples
    lines = [
        f"**{title}**: the functions the samples fell in (C functions they call included)",
        "",
        "| function | bucket | share | ms / call | its calls per call |",
        "|---|---|---:|---:|---:|",
    ]
    ranked = sorted(by_code.items(), key=lambda item: -item[1].total())
    for code, buckets in ranked[:count]:
        samples = buckets.total()
        name = f"{sampler.modules.get(code, '?')}.{code.co_qualname}"
        calls = profiled.function_calls.get((code.co_filename, code.co_firstlineno, code.co_name))
        lines.append(
            f"| `{name}` | {buckets.most_common(1)[0][0]} | {samples / profiled.total_samples:.0%} "
            f"| {profiled.ms(samples):.3f} | {'' if calls is None else f'{calls:,.0f}'} |"
        )
    return lines


#: The ways profiled, with the short labels of the profile's columns. Connection.call's poll is
#: left out: Decider.poll makes it, and shows the seam's share apart from the typed history's.
_PROFILED = {
    ("7a", FLOOR): "floor",
    ("7a", RAW): "raw aiobotocore",
    ("7a", DECIDER): "aioswf Decider.poll",
    ("7b", FLOOR): "floor",
    ("7b", RAW): "raw aiobotocore",
    ("7b", CALL): "aioswf Connection.call",
}


async def _profile_all(endpoint_url: str, calls: int, counted: int) -> dict[tuple[str, str], _Profiled]:
    profiles: dict[tuple[str, str], _Profiled] = {}
    async with _open_clients(endpoint_url) as clients:
        for case in _cases(clients):
            label = _PROFILED.get((case.figure, case.label))
            if label is not None:
                profiled = await _profile_case(case, calls, counted)
                profiled.label = label
                profiles[case.figure, case.label] = profiled
    return profiles


def profile(calls: int = 3000, *, smoke: bool = False) -> str:
    """Where the CPU of each way goes, as Markdown: buckets with ms per call, the top functions.

    ``calls`` per way are sampled (see :class:`_Sampler`); a bucket's ms is its share of the
    samples times the CPU per call measured over the same run. ``smoke`` makes it a few calls
    (numbers that mean nothing). Call it from the main thread, on Linux or macOS: it uses
    ``SIGPROF``.
    """
    if smoke:
        calls = 20
    if calls < 1:
        raise ValueError("calls must be at least 1")
    counted = max(1, min(200, calls // 10))
    with Canned() as server:
        profiles = asyncio.run(_profile_all(server.url, calls, counted))
    polls = [profiles[key] for key in _PROFILED if key[0] == "7a"]
    heartbeats = [profiles[key] for key in _PROFILED if key[0] == "7b"]
    return "\n".join(
        [
            f"### Where the time goes: {calls} calls per way, sampled on this process's CPU clock",
            "",
            *_bucket_table("7a, decision poll (11 events)", polls),
            "",
            *_bucket_table("7b, heartbeat", heartbeats),
            "",
            *_top_functions("7a, raw aiobotocore", profiles["7a", RAW], 12),
            "",
            *_top_functions("7b, raw aiobotocore", profiles["7b", RAW], 8),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.calls", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--repeat", type=whole_number(1), default=Options.repeat, help="repetitions per row")
    parser.add_argument(
        "--calls", type=whole_number(1), default=None, help=f"calls per row ({DEFAULT_CALLS})"
    )
    parser.add_argument("--smoke", action="store_true", help="the smallest run through every step")
    parser.add_argument("--profile", action="store_true", help="also print where the time goes")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    figures = run(Options(repeat=arguments.repeat, smoke=arguments.smoke), calls=arguments.calls)
    print(format_table(figures))
    print(f"\n(the figure took {time.perf_counter() - started:.0f} s)")
    if arguments.profile:
        print()
        print(profile(smoke=arguments.smoke))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
