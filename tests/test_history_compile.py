"""History.compile() over built histories: every event type has its place, every outcome its state."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest

from aioswf import events as ev
from aioswf.events import EVENT_CLASSES, Event, ExecutionRef
from aioswf.history import History, Marker, Signal, WorkflowState

from ._recorder import ACT, CHILD, T0, WF, Recorder, started


def full_recorder() -> Recorder:
    """A history with every entity and every outcome SWF has; closed by continuing as new."""
    r = Recorder()
    started(
        r,
        input="in",
        tag_list=("nightly", "eu"),
        execution_start_to_close_timeout=timedelta(hours=1),
        task_start_to_close_timeout=timedelta(seconds=30),
        task_priority=3,
        parent_workflow_execution=ExecutionRef("parent", "parent-run"),
        parent_initiated_event_id=17,
        continued_execution_run_id="previous-run",
        lambda_role="arn:aws:iam::1:role/swf",
    )
    r.decision(context="ctx-1")
    # What the first decisions started: one entity per outcome, and some refusals.
    acts = {
        name: r(ev.ActivityTaskScheduled, activity_type=ACT, activity_id=name, input=f"in-{name}",
                control=f"ctl-{name}", task_list="workers").event_id
        for name in ("done", "fail", "slow", "cancel", "asked")
    }  # fmt: skip
    r(ev.ScheduleActivityTaskFailed, activity_type=ACT, activity_id="bad", cause="ACTIVITY_TYPE_DEPRECATED")
    r(
        ev.ScheduleActivityTaskFailed,
        activity_type=ACT,
        activity_id="done",
        cause="ACTIVITY_ID_ALREADY_IN_USE",
    )
    fire = r(ev.TimerStarted, timer_id="fire", control="tc", start_to_fire_timeout=timedelta(seconds=5))
    stop = r(ev.TimerStarted, timer_id="stop", start_to_fire_timeout=timedelta(minutes=1))
    r(ev.StartTimerFailed, timer_id="fire", cause="TIMER_ID_ALREADY_IN_USE")
    r(ev.StartTimerFailed, timer_id="many", cause="OPEN_TIMERS_LIMIT_EXCEEDED")
    r(ev.MarkerRecorded, marker_name="progress", details="1")
    r(ev.RecordMarkerFailed, marker_name="broken", cause="OPERATION_NOT_PERMITTED")
    kids = {
        name: r(ev.StartChildWorkflowExecutionInitiated, workflow_id=name, workflow_type=CHILD,
                input=f"in-{name}", control=f"ctl-{name}", task_list="kids", child_policy="ABANDON").event_id
        for name in ("k-done", "k-fail", "k-slow", "k-cancel", "k-term", "k-bad")
    }  # fmt: skip
    signals = [
        r(ev.SignalExternalWorkflowExecutionInitiated, workflow_id=f"peer-{n}", signal_name="hello",
          input=f"hi-{n}", control=f"sc-{n}").event_id
        for n in (1, 2)
    ]  # fmt: skip
    cancels = [
        r(ev.RequestCancelExternalWorkflowExecutionInitiated, workflow_id=f"peer-{n}", run_id=f"peer-run-{n}",
          control=f"cc-{n}").event_id
        for n in (1, 2)
    ]  # fmt: skip
    lambdas = {
        name: r(ev.LambdaFunctionScheduled, id=name, name="resize", input=f"in-{name}", control=f"ctl-{name}",
                start_to_close_timeout=timedelta(seconds=20)).event_id
        for name in ("l-done", "l-fail", "l-slow", "l-nostart")
    }  # fmt: skip
    r(ev.ScheduleLambdaFunctionFailed, id="l-bad", name="resize", cause="ID_ALREADY_IN_USE")

    # What happened while no decider looked.
    starts = {
        name: r(ev.ActivityTaskStarted, identity=f"worker-{name}", scheduled_event_id=scheduled).event_id
        for name, scheduled in acts.items()
    }
    r(ev.WorkflowExecutionSignaled, signal_name="go", input="g1")

    def act(name: str) -> dict[str, int]:
        return {"scheduled_event_id": acts[name], "started_event_id": starts[name]}

    r(ev.ActivityTaskCompleted, result="r-done", **act("done"))
    r(ev.ActivityTaskFailed, reason="IOError", details="trace", **act("fail"))
    r(ev.ActivityTaskTimedOut, timeout_type="HEARTBEAT", details="50%", **act("slow"))
    r(ev.TimerFired, timer_id="fire", started_event_id=fire.event_id)
    kid_starts = {
        name: r(ev.ChildWorkflowExecutionStarted, workflow_execution=ExecutionRef(name, f"run-{name}"),
                workflow_type=CHILD, initiated_event_id=initiated).event_id
        for name, initiated in kids.items()
        if name != "k-bad"
    }  # fmt: skip

    def kid(name: str) -> dict[str, Any]:
        return {
            "workflow_execution": ExecutionRef(name, f"run-{name}"),
            "workflow_type": CHILD,
            "initiated_event_id": kids[name],
            "started_event_id": kid_starts[name],
        }

    r(ev.ChildWorkflowExecutionCompleted, result="k-result", **kid("k-done"))
    r(ev.ChildWorkflowExecutionFailed, reason="k-reason", details="k-details", **kid("k-fail"))
    r(ev.ChildWorkflowExecutionTimedOut, timeout_type="START_TO_CLOSE", **kid("k-slow"))
    r(ev.ChildWorkflowExecutionCanceled, details="k-canceled", **kid("k-cancel"))
    r(ev.ChildWorkflowExecutionTerminated, **kid("k-term"))
    r(ev.StartChildWorkflowExecutionFailed, workflow_type=CHILD, cause="WORKFLOW_ALREADY_RUNNING",
      workflow_id="k-bad", initiated_event_id=kids["k-bad"])  # fmt: skip
    peer = ExecutionRef("peer-1", "peer-run-1")
    unknown = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
    r(ev.ExternalWorkflowExecutionSignaled, workflow_execution=peer, initiated_event_id=signals[0])
    r(
        ev.SignalExternalWorkflowExecutionFailed,
        workflow_id="peer-2",
        cause=unknown,
        initiated_event_id=signals[1],
    )
    r(ev.ExternalWorkflowExecutionCancelRequested, workflow_execution=peer, initiated_event_id=cancels[0])
    r(ev.RequestCancelExternalWorkflowExecutionFailed, workflow_id="peer-2", run_id="peer-run-2",
      cause=unknown, initiated_event_id=cancels[1])  # fmt: skip
    l_starts = {
        name: r(ev.LambdaFunctionStarted, scheduled_event_id=scheduled).event_id
        for name, scheduled in lambdas.items()
        if name != "l-nostart"
    }

    def fn(name: str) -> dict[str, int]:
        return {"scheduled_event_id": lambdas[name], "started_event_id": l_starts[name]}

    r(
        ev.StartLambdaFunctionFailed,
        scheduled_event_id=lambdas["l-nostart"],
        cause="ASSUME_ROLE_FAILED",
        message="no role",
    )
    r(ev.LambdaFunctionCompleted, result="l-result", **fn("l-done"))
    r(ev.LambdaFunctionFailed, reason="l-reason", details="l-details", **fn("l-fail"))
    r(ev.LambdaFunctionTimedOut, timeout_type="START_TO_CLOSE", **fn("l-slow"))
    r(ev.WorkflowExecutionSignaled, signal_name="go", input="g2",
      external_workflow_execution=ExecutionRef("peer-1", "x"), external_initiated_event_id=3)  # fmt: skip
    r(ev.WorkflowExecutionCancelRequested, external_workflow_execution=ExecutionRef("parent", "parent-run"),
      external_initiated_event_id=4, cause="CHILD_POLICY_APPLIED")  # fmt: skip

    # A decision task that timed out, then one that answered, and what its decisions did.
    scheduled = r(ev.DecisionTaskScheduled, task_list="deciders").event_id
    started_id = r(ev.DecisionTaskStarted, scheduled_event_id=scheduled).event_id
    r(
        ev.DecisionTaskTimedOut,
        timeout_type="START_TO_CLOSE",
        scheduled_event_id=scheduled,
        started_event_id=started_id,
    )
    r.decision(context="ctx-2")
    cancel = r(ev.ActivityTaskCancelRequested, activity_id="cancel")
    r(ev.ActivityTaskCancelRequested, activity_id="asked")
    r(ev.RequestCancelActivityTaskFailed, activity_id="done", cause="ACTIVITY_ID_UNKNOWN")
    r(ev.TimerCanceled, timer_id="stop", started_event_id=stop.event_id)
    r(ev.CancelTimerFailed, timer_id="fire", cause="TIMER_ID_UNKNOWN")
    r(ev.CancelTimerFailed, timer_id="ghost", cause="TIMER_ID_UNKNOWN")
    r(ev.MarkerRecorded, marker_name="progress", details="2")
    r(ev.CompleteWorkflowExecutionFailed, cause="UNHANDLED_DECISION")
    r(
        ev.ActivityTaskCanceled,
        details="stopped",
        latest_cancel_requested_event_id=cancel.event_id,
        **act("cancel"),
    )
    r.decision()
    r(ev.FailWorkflowExecutionFailed, cause="UNHANDLED_DECISION")
    r(ev.CancelWorkflowExecutionFailed, cause="UNHANDLED_DECISION")
    r(ev.ContinueAsNewWorkflowExecutionFailed, cause="UNHANDLED_DECISION")
    r.decision()
    r(ev.WorkflowExecutionContinuedAsNew, input="next", new_execution_run_id="next-run", task_list="deciders",
      child_policy="TERMINATE", workflow_type=WF)  # fmt: skip
    return r


def closing_events(r: Recorder) -> None:
    """The other ways to close, after the first: no real history has them all, compile() must."""
    r(ev.WorkflowExecutionCompleted, result="ok", decision_task_completed_event_id=1)
    r(ev.WorkflowExecutionFailed, reason="why", details="how", decision_task_completed_event_id=1)
    r(ev.WorkflowExecutionCanceled, details="bye", decision_task_completed_event_id=1)
    r(ev.WorkflowExecutionTimedOut, timeout_type="START_TO_CLOSE", child_policy="TERMINATE")
    r(
        ev.WorkflowExecutionTerminated,
        reason="ops",
        details="manual",
        child_policy="TERMINATE",
        cause="OPERATOR_INITIATED",
    )


@pytest.fixture(scope="module")
def full() -> History:
    return full_recorder().history()


@pytest.fixture(scope="module")
def state(full: History) -> WorkflowState:
    return full.compile()


# compile(): every event type has its place.


def test_the_full_history_has_every_event_type() -> None:
    r = full_recorder()
    closing_events(r)
    assert {type(e) for e in r.events} == set(EVENT_CLASSES.values())


def test_every_event_changes_the_compiled_state() -> None:
    """Each event, added to the history before it, changes what compile() says: none is dropped."""
    r = full_recorder()
    closing_events(r)
    r(ev.UnknownEvent, type_name="SomethingNew", attributes={"x": 1})
    before = History().compile()
    assert before == WorkflowState()
    for n in range(1, len(r.events) + 1):
        after = History(r.events[:n]).compile()
        assert after != before, f"{r.events[n - 1]!r} left the state as it was"
        before = after
    assert before == History(list(r.events)).compile()  # states compare by value, not identity


def test_the_execution(state: WorkflowState) -> None:
    execution = state.execution
    assert (execution.status, execution.closed) == ("continued_as_new", True)
    assert execution.new_execution_run_id == "next-run"
    assert (execution.workflow_type, execution.input, execution.tag_list) == (WF, "in", ("nightly", "eu"))
    assert (execution.task_list, execution.child_policy, execution.task_priority) == (
        "deciders",
        "TERMINATE",
        3,
    )
    assert execution.execution_start_to_close_timeout == timedelta(hours=1)
    assert execution.task_start_to_close_timeout == timedelta(seconds=30)
    assert (execution.parent, execution.parent_initiated_event_id) == (
        ExecutionRef("parent", "parent-run"),
        17,
    )
    assert execution.continued_execution_run_id == "previous-run"
    assert execution.lambda_role == "arn:aws:iam::1:role/swf"
    assert execution.cancel_requested
    assert execution.cancel_requested_cause == "CHILD_POLICY_APPLIED"
    assert execution.cancel_requested_by == ExecutionRef("parent", "parent-run")
    assert execution.result is None


@pytest.mark.parametrize(
    ("close", "status", "values"),
    [
        (ev.WorkflowExecutionCompleted(event_id=9, timestamp=T0, result="ok",
                                       decision_task_completed_event_id=8),
         "completed", {"result": "ok"}),
        (ev.WorkflowExecutionFailed(event_id=9, timestamp=T0, reason="why", details="how",
                                    decision_task_completed_event_id=8),
         "failed", {"reason": "why", "details": "how"}),
        (ev.WorkflowExecutionCanceled(event_id=9, timestamp=T0, details="bye",
                                      decision_task_completed_event_id=8),
         "canceled", {"details": "bye"}),
        (ev.WorkflowExecutionTimedOut(event_id=9, timestamp=T0, timeout_type="START_TO_CLOSE",
                                      child_policy="ABANDON"),
         "timed_out", {"timeout_type": "START_TO_CLOSE"}),
        (ev.WorkflowExecutionTerminated(event_id=9, timestamp=T0, reason="ops", details="manual",
                                        child_policy="TERMINATE", cause="OPERATOR_INITIATED"),
         "terminated", {"reason": "ops", "details": "manual", "cause": "OPERATOR_INITIATED"}),
    ],
)  # fmt: skip
def test_each_way_to_close(close: Event, status: str, values: dict[str, Any]) -> None:
    r = Recorder()
    started(r, input="x")
    r.decision()
    execution = History([*r.events, close]).compile().execution
    assert execution.status == status and execution.closed
    for name in ("result", "reason", "details", "timeout_type", "cause"):
        assert getattr(execution, name) == values.get(name), name
    assert not History(r.events).compile().execution.closed


def test_decision_tasks(state: WorkflowState) -> None:
    tasks = state.decision_tasks
    assert (tasks.scheduled, tasks.started, tasks.completed, tasks.timed_out) == (5, 5, 4, 1)
    assert tasks.execution_context == "ctx-2"  # the latest one given; later tasks gave none
    assert tasks.latest_completed_event_id is not None
    assert tasks.latest_started_event_id == tasks.latest_completed_event_id - 1
    assert tasks.latest_scheduled_event_id == tasks.latest_completed_event_id - 2


def test_activities(state: WorkflowState) -> None:
    a = state.activities
    assert list(a) == ["done", "fail", "slow", "cancel", "asked", "bad"]
    done = a["done"]
    assert (done.status, done.result, done.activity_type, done.input, done.control) == (
        "completed", "r-done", ACT, "in-done", "ctl-done"
    )  # fmt: skip
    assert done.identity == "worker-done" and done.times_scheduled == 1
    assert done.cause is None  # its refused second schedule left it alone ...
    assert done.cancel_failed_cause == "ACTIVITY_ID_UNKNOWN"  # ... as did a refused cancel
    assert (a["fail"].status, a["fail"].reason, a["fail"].details) == ("failed", "IOError", "trace")
    assert (a["slow"].status, a["slow"].timeout_type, a["slow"].details) == ("timed_out", "HEARTBEAT", "50%")
    cancel = a["cancel"]
    assert (cancel.status, cancel.details, cancel.cancel_requested) == ("canceled", "stopped", True)
    asked = a["asked"]
    assert (asked.status, asked.cancel_requested, asked.open) == ("cancel_requested", True, True)
    bad = a["bad"]
    assert (bad.status, bad.cause, bad.times_scheduled, bad.open) == (
        "schedule_failed",
        "ACTIVITY_TYPE_DEPRECATED",
        0,
        False,
    )
    assert [x.activity_id for x in state.open_activities] == ["asked"]
    for activity in a.values():  # a started activity started after it was scheduled
        if activity.started_event_id is not None:
            assert activity.scheduled_event_id is not None
            assert activity.scheduled_event_id < activity.started_event_id


def test_an_open_activity_through_its_life() -> None:
    r = Recorder()
    started(r)
    r.decision()
    scheduled = r(ev.ActivityTaskScheduled, activity_type=ACT, activity_id="a", task_list="w")
    a = r.history().compile().activities["a"]
    assert (a.status, a.open, a.scheduled_event_id, a.started_event_id) == (
        "scheduled",
        True,
        scheduled.event_id,
        None,
    )
    start = r(ev.ActivityTaskStarted, identity="w1", scheduled_event_id=scheduled.event_id)
    a = r.history().compile().activities["a"]
    assert (a.status, a.open, a.identity, a.started_event_id) == ("started", True, "w1", start.event_id)
    r.decision()
    r(ev.ActivityTaskCancelRequested, activity_id="a")
    a = r.history().compile().activities["a"]
    assert (a.status, a.cancel_requested, a.open) == ("cancel_requested", True, True)
    r(ev.ActivityTaskCompleted, result="won the race", scheduled_event_id=scheduled.event_id,
      started_event_id=start.event_id)  # fmt: skip
    a = r.history().compile().activities["a"]
    assert (a.status, a.result, a.cancel_requested, a.open) == ("completed", "won the race", True, False)


def test_an_activity_scheduled_again_describes_its_latest_attempt() -> None:
    r = Recorder()
    started(r)
    dc = r.decision()
    first = r(
        ev.ActivityTaskScheduled,
        activity_type=ACT,
        activity_id="a",
        task_list="w",
        decision_task_completed_event_id=dc,
    )
    s = r(ev.ActivityTaskStarted, identity="w1", scheduled_event_id=first.event_id)
    r(
        ev.ActivityTaskFailed,
        reason="flaky",
        details="d",
        scheduled_event_id=first.event_id,
        started_event_id=s.event_id,
    )
    dc = r.decision()
    second = r(ev.ActivityTaskScheduled, activity_type=ACT, activity_id="a", input="retry", task_list="w",
               decision_task_completed_event_id=dc)  # fmt: skip
    state = r.history().compile()
    a = state.activities["a"]
    assert (a.status, a.times_scheduled, a.scheduled_event_id) == ("scheduled", 2, second.event_id)
    assert (a.reason, a.details, a.identity, a.started_event_id, a.input) == (None, None, None, None, "retry")
    # A late event of the first attempt would still be matched by its scheduled id.
    assert state.activities["a"].open


def test_timers(state: WorkflowState) -> None:
    t = state.timers
    assert list(t) == ["fire", "stop", "many", "ghost"]
    fire = t["fire"]
    assert (fire.status, fire.control, fire.start_to_fire_timeout, fire.times_started) == (
        "fired", "tc", timedelta(seconds=5), 1
    )  # fmt: skip
    assert fire.cause is None  # the refused second start left the running timer alone
    assert fire.cancel_failed_cause == "TIMER_ID_UNKNOWN"
    assert (t["stop"].status, t["stop"].start_to_fire_timeout) == ("canceled", timedelta(minutes=1))
    assert (t["many"].status, t["many"].cause, t["many"].times_started) == (
        "start_failed",
        "OPEN_TIMERS_LIMIT_EXCEEDED",
        0,
    )
    assert (t["ghost"].status, t["ghost"].cancel_failed_cause) == ("cancel_failed", "TIMER_ID_UNKNOWN")
    assert state.open_timers == ()


def test_a_moto_timer_cancel_without_attributes_is_matched_when_it_can_be() -> None:
    """moto's TimerCancelled reaches aioswf with no timer id: only one running timer can be it."""
    r = Recorder()
    started(r)
    dc = r.decision()
    one = r(
        ev.TimerStarted,
        timer_id="one",
        start_to_fire_timeout=timedelta(seconds=1),
        decision_task_completed_event_id=dc,
    )
    r(
        ev.TimerStarted,
        timer_id="two",
        start_to_fire_timeout=timedelta(seconds=9),
        decision_task_completed_event_id=dc,
    )
    moto_cancel = {"timer_id": "", "started_event_id": 0, "decision_task_completed_event_id": 0}
    ambiguous = Recorder()
    ambiguous.events = [*r.events]
    ambiguous(ev.TimerCanceled, **moto_cancel)
    assert {t.status for t in ambiguous.history().compile().timers.values()} == {
        "started"
    }  # two ran: unknown
    r(ev.TimerFired, timer_id="one", started_event_id=one.event_id)
    r(ev.TimerCanceled, **moto_cancel)
    timers = r.history().compile().timers
    assert (timers["one"].status, timers["two"].status) == ("fired", "canceled")


def test_children(state: WorkflowState) -> None:
    c = state.children
    assert list(c) == ["k-done", "k-fail", "k-slow", "k-cancel", "k-term", "k-bad"]
    done = c["k-done"]
    assert (done.status, done.result, done.run_id, done.workflow_type) == (
        "completed",
        "k-result",
        "run-k-done",
        CHILD,
    )
    assert (done.input, done.control, done.times_initiated) == ("in-k-done", "ctl-k-done", 1)
    assert (c["k-fail"].status, c["k-fail"].reason, c["k-fail"].details) == (
        "failed",
        "k-reason",
        "k-details",
    )
    assert (c["k-slow"].status, c["k-slow"].timeout_type) == ("timed_out", "START_TO_CLOSE")
    assert (c["k-cancel"].status, c["k-cancel"].details) == ("canceled", "k-canceled")
    assert (c["k-term"].status, c["k-term"].run_id) == ("terminated", "run-k-term")
    bad = c["k-bad"]
    assert (bad.status, bad.cause, bad.run_id, bad.open) == (
        "start_failed",
        "WORKFLOW_ALREADY_RUNNING",
        None,
        False,
    )


def test_a_child_started_then_open() -> None:
    r = Recorder()
    started(r)
    dc = r.decision()
    init = r(ev.StartChildWorkflowExecutionInitiated, workflow_id="k", workflow_type=CHILD, task_list="t",
             child_policy="TERMINATE", decision_task_completed_event_id=dc)  # fmt: skip
    assert r.history().compile().children["k"].status == "initiated"
    r(ev.ChildWorkflowExecutionStarted, workflow_execution=ExecutionRef("k", "rk"), workflow_type=CHILD,
      initiated_event_id=init.event_id)  # fmt: skip
    child = r.history().compile().children["k"]
    assert (child.status, child.run_id, child.open, child.initiated_event_id) == (
        "started",
        "rk",
        True,
        init.event_id,
    )


def test_signals_and_markers(state: WorkflowState) -> None:
    assert [(s.name, s.input) for s in state.signals] == [("go", "g1"), ("go", "g2")]
    assert state.signals[0].external_execution is None
    assert state.signals[1] == Signal(
        name="go",
        input="g2",
        event_id=state.signals[1].event_id,
        external_execution=ExecutionRef("peer-1", "x"),
        external_initiated_event_id=3,
    )
    assert list(state.markers) == ["progress"]
    assert [(m.name, m.details) for m in state.markers["progress"]] == [("progress", "1"), ("progress", "2")]
    latest = state.latest_marker("progress")
    assert isinstance(latest, Marker) and latest.details == "2"
    assert state.latest_marker("nothing") is None
    assert dict(state.failed_markers) == {"broken": "OPERATION_NOT_PERMITTED"}


def test_external_requests(state: WorkflowState) -> None:
    delivered, failed = state.external_signals
    assert (delivered.workflow_id, delivered.signal_name, delivered.input, delivered.control) == (
        "peer-1", "hello", "hi-1", "sc-1"
    )  # fmt: skip
    assert (delivered.status, delivered.run_id, delivered.cause) == ("delivered", "peer-run-1", None)
    assert (failed.workflow_id, failed.status, failed.cause) == (
        "peer-2",
        "failed",
        "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
    )
    asked, refused = state.external_cancel_requests
    assert (asked.workflow_id, asked.status, asked.control, asked.run_id) == (
        "peer-1",
        "delivered",
        "cc-1",
        "peer-run-1",
    )
    assert (refused.workflow_id, refused.status, refused.cause) == (
        "peer-2",
        "failed",
        "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
    )


def test_lambda_functions(state: WorkflowState) -> None:
    f = state.lambda_functions
    assert list(f) == ["l-done", "l-fail", "l-slow", "l-nostart", "l-bad"]
    done = f["l-done"]
    assert (done.status, done.result, done.name, done.input, done.control) == (
        "completed", "l-result", "resize", "in-l-done", "ctl-l-done"
    )  # fmt: skip
    assert (done.start_to_close_timeout, done.times_scheduled) == (timedelta(seconds=20), 1)
    assert (f["l-fail"].status, f["l-fail"].reason, f["l-fail"].details) == (
        "failed",
        "l-reason",
        "l-details",
    )
    assert (f["l-slow"].status, f["l-slow"].timeout_type) == ("timed_out", "START_TO_CLOSE")
    assert (f["l-nostart"].status, f["l-nostart"].cause, f["l-nostart"].message) == (
        "start_failed", "ASSUME_ROLE_FAILED", "no role"
    )  # fmt: skip
    assert (f["l-bad"].status, f["l-bad"].cause, f["l-bad"].open) == (
        "schedule_failed",
        "ID_ALREADY_IN_USE",
        False,
    )


def test_failed_decisions_in_order(state: WorkflowState) -> None:
    assert [type(e).__name__ for e in state.failed_decisions] == [
        "ScheduleActivityTaskFailed",
        "ScheduleActivityTaskFailed",
        "StartTimerFailed",
        "StartTimerFailed",
        "RecordMarkerFailed",
        "ScheduleLambdaFunctionFailed",
        "StartChildWorkflowExecutionFailed",
        "SignalExternalWorkflowExecutionFailed",
        "RequestCancelExternalWorkflowExecutionFailed",
        "StartLambdaFunctionFailed",
        "RequestCancelActivityTaskFailed",
        "CancelTimerFailed",
        "CancelTimerFailed",
        "CompleteWorkflowExecutionFailed",
        "FailWorkflowExecutionFailed",
        "CancelWorkflowExecutionFailed",
        "ContinueAsNewWorkflowExecutionFailed",
    ]
    assert state.unknown_events == ()


def test_the_state_is_frozen(state: WorkflowState) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.execution = state.execution  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.activities["new"] = state.activities["done"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.activities["done"].status = "failed"  # type: ignore[misc]


def test_unknown_events_and_events_referring_to_nothing() -> None:
    r = Recorder()
    started(r)
    new = r(ev.UnknownEvent, type_name="SomethingNew")
    r(ev.ActivityTaskCompleted, result="?", scheduled_event_id=99, started_event_id=98)  # a slice's orphan
    r(ev.TimerFired, timer_id="never-started", started_event_id=97)
    state = r.history().compile()
    assert state.unknown_events == (new,)
    assert dict(state.activities) == {} and dict(state.timers) == {}
