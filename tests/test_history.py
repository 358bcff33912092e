"""History: an ordered, indexable, filterable sequence of events; and a real history from moto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest

import aioswf
from aioswf import events as ev
from aioswf.actors import ActivityWorker, Decider
from aioswf.events import Event, TypeRef
from aioswf.history import History
from aioswf.models import ActivityType, Domain, WorkflowType

from ._recorder import Recorder, started

# The History API.


def small() -> History:
    r = Recorder()
    started(r, input="x")  # 1
    r.decision()  # 2, 3, 4
    r(
        ev.TimerStarted,
        timer_id="t",
        start_to_fire_timeout=timedelta(seconds=1),
        decision_task_completed_event_id=4,
    )
    r(ev.WorkflowExecutionSignaled, signal_name="s", input="i")  # 6
    r(ev.TimerFired, timer_id="t", started_event_id=5)  # 7
    r.decision()  # 8, 9, 10
    return r.history(previous_started_event_id=3)


def test_sequence() -> None:
    history = small()
    assert len(history) == 10
    assert [e.event_id for e in history] == list(range(1, 11))
    assert isinstance(history[0], ev.WorkflowExecutionStarted) and history[-1].event_id == 10
    assert history.first is history[0] and history.last is history[-1]
    part = history[4:7]
    assert isinstance(part, History) and [e.event_id for e in part] == [5, 6, 7]
    assert part.previous_started_event_id == 3
    assert [e.event_id for e in reversed(history)][:2] == [10, 9]
    assert history[5] in history and history.index(history[5]) == 5
    with pytest.raises(IndexError):
        history[10]
    assert history == small() and history != small()[1:] and history != list(history)
    assert repr(history) == "History(10 events, last=DecisionTaskCompleted#10, previous_started_event_id=3)"
    with pytest.raises(AttributeError):
        history.extra = 1  # type: ignore[attr-defined]


def test_empty() -> None:
    empty = History()
    assert len(empty) == 0 and list(empty) == [] and empty.latest(3) == empty
    with pytest.raises(IndexError, match="empty"):
        _ = empty.first
    with pytest.raises(IndexError, match="empty"):
        _ = empty.last
    assert repr(empty) == "History(0 events, previous_started_event_id=0)"


def test_latest_and_new_events_and_by_id() -> None:
    history = small()
    assert [e.event_id for e in history.latest(3)] == [8, 9, 10]
    assert history.latest(0) == History(previous_started_event_id=3)
    assert len(history.latest(100)) == 10
    assert [e.event_id for e in history.new_events] == list(range(4, 11))
    assert [e.event_id for e in History(history).new_events] == list(range(1, 11))
    assert history.by_id(6).event_type == "WorkflowExecutionSignaled"
    assert history[5:].by_id(6) is history.by_id(6)  # not where a whole history has it: searched
    with pytest.raises(KeyError):
        history.by_id(11)


def test_filter() -> None:
    history = small()
    assert [e.event_id for e in history.filter(ev.DecisionTaskStarted)] == [3, 9]
    assert [e.event_id for e in history.filter("DecisionTaskStarted")] == [3, 9]
    assert [e.event_id for e in history.filter((ev.TimerFired, "TimerStarted"))] == [5, 7]
    assert [e.event_id for e in history.filter(type=ev.TimerFired, timer_id="t")] == [7]
    assert list(history.filter(ev.TimerFired, timer_id="other")) == []
    assert [e.event_id for e in history.filter(input="i")] == [6]  # any type with that value
    assert len(history.filter(Event)) == 10 and history.filter() == history
    assert [e.event_id for e in history.new_events.filter(ev.DecisionTaskScheduled)] == [8]
    assert list(history.filter("TimerCancelled")) == []  # moto's name for TimerCanceled: known
    with pytest.raises(ValueError, match="timer_idd"):
        history.filter(ev.TimerFired, timer_idd="t")


def test_filter_finds_unknown_types_by_name() -> None:
    r = Recorder()
    started(r)
    new = r(ev.UnknownEvent, type_name="SomethingNew", attributes={"a": 1})
    history = r.history()
    assert list(history.filter("SomethingNew")) == [new]
    assert list(history.filter("SomethingNew", type_name="SomethingNew")) == [new]
    assert list(history.filter(ev.UnknownEvent)) == [new]
    assert list(history.filter("SomethingElse")) == []


def test_from_swf_orders_and_defaults() -> None:
    raws = [
        {"eventId": n, "eventType": "DecisionTaskScheduled", "eventTimestamp": 1_700_000_000 + n,
         "decisionTaskScheduledEventAttributes": {"taskList": {"name": "d"}}}
        for n in (3, 2, 1)
    ]  # fmt: skip
    history = History.from_swf(raws, None)  # moto's first decision task has no previousStartedEventId
    assert [e.event_id for e in history] == [1, 2, 3]  # a reverseOrder fetch, put in order
    assert history.previous_started_event_id == 0 and len(history.new_events) == 3
    assert History.from_swf(raws, 2).new_events.first.event_id == 3
    assert history.first.timestamp == datetime.fromtimestamp(1_700_000_001, UTC)


def test_compile_is_computed_once() -> None:
    history = small()
    state = history.compile()
    assert history.compile() is state
    assert [(t.timer_id, t.status) for t in state.timers.values()] == [("t", "fired")]
    assert [s.input for s in state.signals] == ["i"]
    assert history[:6].compile().timers["t"].status == "started"


# A real history, from moto.

DECISIONS = "decisions"
ACTIVITIES = "activities"


def decision(kind: str, **attributes: Any) -> dict[str, Any]:
    return {"decisionType": kind, f"{kind[0].lower()}{kind[1:]}DecisionAttributes": attributes}


async def test_a_real_history_from_moto_compiles(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, retention_period=1, connection=connection).save()
    workflow = await WorkflowType(domain, "wf", "1", task_list=DECISIONS).save()
    activity = await ActivityType(
        domain,
        "act",
        "1",
        task_list=ACTIVITIES,
        task_start_to_close_timeout=timedelta(minutes=5),
        task_schedule_to_start_timeout=timedelta(minutes=5),
        task_schedule_to_close_timeout=timedelta(minutes=10),
    ).save()
    execution = await workflow.start_execution("hist", input="in", tag_list=["a", "b"])
    decider = Decider(domain, DECISIONS)
    worker = ActivityWorker(domain, ACTIVITIES)

    first = await decider.poll()  # a decision task is waiting: no empty poll
    assert first is not None
    history = first.history
    assert history.previous_started_event_id == 0 and history.new_events == history
    assert isinstance(history.first, ev.WorkflowExecutionStarted) and history.first.input == "in"
    schedule = [
        decision("ScheduleActivityTask", activityType=activity.key, activityId=activity_id, input=activity_id)
        for activity_id in ("ok", "bad")
    ]
    await decider.complete(
        first.token,
        [
            *schedule,
            decision("StartTimer", timerId="tick", startToFireTimeout="1"),  # moto fires it in wall time
            decision("StartTimer", timerId="long", startToFireTimeout="3600"),
            decision("RecordMarker", markerName="phase", details="one"),
        ],
    )
    await execution.signal("go", "payload")
    for _ in range(2):
        task = await worker.poll()  # both were scheduled: no empty poll either
        assert task is not None
        if task.activity_id == "ok":
            await worker.complete(task.token, "OK")
        else:
            await worker.fail(task.token, details="it said bad", reason="bad input")

    with anyio.fail_after(10):
        while not (await execution.history()).filter(ev.TimerFired):
            await anyio.sleep(0.05)
    second = await decider.poll()
    assert second is not None
    history = second.history
    assert history.previous_started_event_id == first.started_event_id
    new = {type(e).__name__ for e in history.new_events}
    assert {"ActivityTaskCompleted", "ActivityTaskFailed", "WorkflowExecutionSignaled", "TimerFired"} <= new
    assert "WorkflowExecutionStarted" not in new
    await decider.complete(
        second.token,
        [
            decision("CancelTimer", timerId="long"),
            decision("RecordMarker", markerName="phase", details="two"),
            decision("CompleteWorkflowExecution", result="done"),
        ],
    )

    history = await execution.history()
    state = history.compile()
    assert isinstance(history.last, ev.WorkflowExecutionCompleted)
    assert (state.execution.status, state.execution.result) == ("completed", "done")
    assert state.execution.input == "in"
    assert state.execution.tag_list == ()  # moto leaves tagList out of WorkflowExecutionStarted; SWF sends it
    assert state.execution.workflow_type == TypeRef("wf", "1")
    assert state.execution.task_list == DECISIONS
    ok, bad = state.activities["ok"], state.activities["bad"]
    assert (ok.status, ok.result, ok.input, ok.activity_type, ok.times_scheduled) == (
        "completed", "OK", "ok", TypeRef("act", "1"), 1
    )  # fmt: skip
    assert (bad.status, bad.reason, bad.details) == ("failed", "bad input", "it said bad")
    assert ok.identity is not None and ok.started_event_id is not None
    assert (state.timers["tick"].status, state.timers["tick"].start_to_fire_timeout) == (
        "fired",
        timedelta(seconds=1),
    )
    # moto writes "TimerCancelled", whose attributes botocore drops; the one running timer is it.
    assert state.timers["long"].status == "canceled"
    [moto_cancel] = history.filter(ev.TimerCanceled)
    assert isinstance(moto_cancel, ev.TimerCanceled) and moto_cancel.timer_id == ""
    assert [(m.name, m.details) for m in state.markers["phase"]] == [("phase", "one"), ("phase", "two")]
    assert [(s.name, s.input) for s in state.signals] == [("go", "payload")]
    assert state.decision_tasks.completed == 2
    assert state.failed_decisions == () and state.unknown_events == ()
    assert dict(state.children) == {} and dict(state.lambda_functions) == {}


def test_history_refuses_what_no_history_holds() -> None:
    """Found by a user trial: these were accepted, or failed deep inside."""
    from aioswf.testing import HistoryBuilder

    events = HistoryBuilder().start(input="x").decision_task().events
    history = History.from_swf(events)
    with pytest.raises(TypeError, match=r"History\.from_swf"):
        History(events)  # type: ignore[arg-type]  # raw dicts, not events
    with pytest.raises(TypeError, match="the list of events"):
        History.from_swf({"events": events})  # type: ignore[dict-item]  # the whole answer
    with pytest.raises(ValueError, match="each event id once"):
        History([*history, history.first])
    with pytest.raises(ValueError, match="previous_started_event_id"):
        History(history, previous_started_event_id=-1)
    with pytest.raises(ValueError, match="latest"):
        history.latest(-1)
    with pytest.raises(KeyError, match="no event with id 99"):
        history.by_id(99)
