"""HistoryBuilder: realistic SWF histories, event by event, for testing deciders without a server.

The events are the dictionaries botocore gives for ``GetWorkflowExecutionHistory`` and
``PollForDecisionTask``: ``eventId`` counting from 1, ``eventType``, ``eventTimestamp`` as an
aware ``datetime``, and ``<eventType>EventAttributes`` with SWF's cross-references filled in
(``scheduledEventId``, ``startedEventId``, ``initiatedEventId``, ``decisionTaskCompletedEventId``).

The builder keeps to SWF's order of things and says so when a test asks for something SWF would
never write: a decision's effect without a completed decision task before it, a completion of an
activity that was never started, any event after the execution closed. Every method returns the
builder, so a history reads as a chain::

    history = (
        HistoryBuilder()
        .start(input='{"n": 3}')
        .decision_task()
        .schedule_activity("a1", ("resize", "1"))
        .start_activity("a1")
        .complete_activity("a1", result="ok")
        .decision_task(current=True)  # the task the decider is asked about: started, not completed
    )
    task = history.as_decision_task()        # an aioswf.actors.DecisionTask
    decisions = my_decider_logic(task)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from .._durations import Duration, seconds_to_swf
from ..actors import DecisionTask
from ..decisions._base import text, type_ref
from ..models import Domain, WorkflowType
from ._history_tasks import _Child, _key, _put, _TaskHistory

__all__ = ["HistoryBuilder"]

WorkflowTypeRef = WorkflowType | tuple[str, str]


class HistoryBuilder(_TaskHistory):
    """Builds one workflow execution's history. Call :meth:`start` first.

    ``start_time`` is the first event's timestamp (aware; 2024-01-01 00:00 UTC by default)
    and each event is ``step`` after the one before; :meth:`advance` moves the clock further.
    """

    @property
    def previous_started_event_id(self) -> int:
        """``DecisionTaskStarted`` of the last completed decision task; 0 before the first."""
        return self._previous_started

    @property
    def started_event_id(self) -> int:
        """``DecisionTaskStarted`` of the decision task in progress; 0 when there is none."""
        return self._decision_started

    def as_poll_response(self, task_token: str = "t") -> dict[str, Any]:
        """What PollForDecisionTask answers for the decision task in progress (the whole history)."""
        if not self._decision_started:
            raise ValueError("no decision task is in progress: end with decision_task(current=True)")
        return {
            "taskToken": task_token,
            "startedEventId": self._decision_started,
            "previousStartedEventId": self._previous_started,
            "workflowExecution": {"workflowId": self.workflow_id, "runId": self.run_id},
            "workflowType": dict(self._workflow_type),
            "events": self.events,
        }

    def as_decision_task(self, domain: Domain | str = "test-domain", task_token: str = "t") -> DecisionTask:
        """The :class:`~aioswf.actors.DecisionTask` a :class:`~aioswf.actors.Decider` would hand out."""
        answer = self.as_poll_response(task_token)
        return DecisionTask.from_swf(
            domain if isinstance(domain, Domain) else Domain(domain), answer, answer["events"]
        )

    # --- the execution -------------------------------------------------------------------------

    def start(
        self,
        input: str | None = None,  # noqa: A002 - SWF's name for it
        *,
        workflow_type: WorkflowTypeRef = ("workflow", "1"),
        task_list: str = "decisions",
        workflow_id: str = "workflow-1",
        run_id: str = "run-1",
        child_policy: str = "TERMINATE",
        execution_start_to_close_timeout: Duration = 3600,
        task_start_to_close_timeout: Duration = 300,
        tag_list: Sequence[str] | None = None,
        parent: tuple[str, str] | None = None,
        parent_initiated_event_id: int | None = None,
    ) -> Self:
        """``WorkflowExecutionStarted``. ``parent`` is the parent's ``(workflow_id, run_id)``."""
        if self._events:
            raise ValueError("start() begins a history; this one has begun")
        self.workflow_id, self.run_id = workflow_id, run_id
        self._workflow_type = _key(type_ref(workflow_type, WorkflowType, "workflow_type"))
        self._task_list = task_list
        self._decision_timeout = seconds_to_swf(task_start_to_close_timeout, "task_start_to_close_timeout")
        attributes: dict[str, Any] = {
            "workflowType": dict(self._workflow_type),
            "taskList": {"name": task_list},
            "childPolicy": child_policy,
            "executionStartToCloseTimeout": seconds_to_swf(
                execution_start_to_close_timeout, "execution_start_to_close_timeout"
            ),
            "taskStartToCloseTimeout": self._decision_timeout,
        }
        _put(attributes, "input", text(input, "input"))
        _put(attributes, "tagList", None if tag_list is None else list(tag_list))
        if parent is not None:
            attributes["parentWorkflowExecution"] = {"workflowId": parent[0], "runId": parent[1]}
        _put(attributes, "parentInitiatedEventId", parent_initiated_event_id)
        self._add("WorkflowExecutionStarted", attributes)
        return self

    def signal(
        self,
        signal_name: str,
        input: str | None = None,  # noqa: A002
        *,
        external_workflow_execution: tuple[str, str] | None = None,
        external_initiated_event_id: int | None = None,
    ) -> Self:
        """``WorkflowExecutionSignaled``; ``external_workflow_execution`` is the sender's
        ``(workflow_id, run_id)`` when another execution's decision sent it."""
        attributes: dict[str, Any] = {"signalName": signal_name}
        _put(attributes, "input", text(input, "input"))
        if external_workflow_execution is not None:
            workflow_id, run_id = external_workflow_execution
            attributes["externalWorkflowExecution"] = {"workflowId": workflow_id, "runId": run_id}
        _put(attributes, "externalInitiatedEventId", external_initiated_event_id)
        self._add("WorkflowExecutionSignaled", attributes)
        return self

    def request_cancel_workflow(self, cause: str | None = None) -> Self:
        """``WorkflowExecutionCancelRequested`` (``cause`` is ``"CHILD_POLICY_APPLIED"`` or absent)."""
        attributes: dict[str, Any] = {}
        _put(attributes, "cause", cause)
        self._add("WorkflowExecutionCancelRequested", attributes)
        return self

    def complete_workflow(self, result: str | None = None) -> Self:
        return self._close("WorkflowExecutionCompleted", {"result": text(result, "result")})

    def fail_workflow(self, reason: str | None = None, details: str | None = None) -> Self:
        return self._close(
            "WorkflowExecutionFailed", {"reason": text(reason, "reason"), "details": text(details, "details")}
        )

    def cancel_workflow(self, details: str | None = None) -> Self:
        return self._close("WorkflowExecutionCanceled", {"details": text(details, "details")})

    def continue_as_new(self, new_execution_run_id: str = "run-2", input: str | None = None) -> Self:  # noqa: A002
        """``WorkflowExecutionContinuedAsNew``, with this run's type, task list and timeouts."""
        started = self._events[0]["workflowExecutionStartedEventAttributes"] if self._events else {}
        attributes = {
            "newExecutionRunId": new_execution_run_id,
            "input": text(input, "input"),
            **{key: started.get(key) for key in ("workflowType", "taskList", "childPolicy")},
            "executionStartToCloseTimeout": started.get("executionStartToCloseTimeout"),
            "taskStartToCloseTimeout": started.get("taskStartToCloseTimeout"),
        }
        return self._close("WorkflowExecutionContinuedAsNew", attributes)

    def _close(self, event_type: str, attributes: dict[str, Any]) -> Self:
        decision = self._decided(event_type)
        present = {key: value for key, value in attributes.items() if value is not None}
        self._add(event_type, {**present, "decisionTaskCompletedEventId": decision})
        self._closed = True
        return self

    def terminate_workflow(
        self,
        reason: str | None = None,
        details: str | None = None,
        *,
        child_policy: str = "TERMINATE",
        cause: str | None = None,
    ) -> Self:
        """``WorkflowExecutionTerminated``: closed from outside, at any time."""
        attributes: dict[str, Any] = {"childPolicy": child_policy}
        _put(attributes, "reason", text(reason, "reason"))
        _put(attributes, "details", text(details, "details"))
        _put(attributes, "cause", cause)
        self._add("WorkflowExecutionTerminated", attributes)
        self._closed = True
        return self

    def time_out_workflow(self, child_policy: str = "TERMINATE") -> Self:
        self._add("WorkflowExecutionTimedOut", {"timeoutType": "START_TO_CLOSE", "childPolicy": child_policy})
        self._closed = True
        return self

    # --- child workflow executions -------------------------------------------------------------

    def initiate_child_workflow(
        self,
        workflow_id: str,
        workflow_type: WorkflowTypeRef = ("child", "1"),
        *,
        input: str | None = None,  # noqa: A002
        control: str | None = None,
        task_list: str = "decisions",
        child_policy: str = "TERMINATE",
        execution_start_to_close_timeout: Duration = 3600,
        task_start_to_close_timeout: Duration = 300,
    ) -> Self:
        """``StartChildWorkflowExecutionInitiated``: the effect of a StartChildWorkflowExecution decision."""
        decision = self._decided("StartChildWorkflowExecutionInitiated")
        if workflow_id in self._children:
            raise ValueError(f"child workflow {workflow_id!r} is open already")
        kind = _key(type_ref(workflow_type, WorkflowType, "workflow_type"))
        attributes: dict[str, Any] = {
            "workflowId": workflow_id,
            "workflowType": kind,
            "taskList": {"name": task_list},
            "childPolicy": child_policy,
            "executionStartToCloseTimeout": seconds_to_swf(
                execution_start_to_close_timeout, "execution_start_to_close_timeout"
            ),
            "taskStartToCloseTimeout": seconds_to_swf(
                task_start_to_close_timeout, "task_start_to_close_timeout"
            ),
            "decisionTaskCompletedEventId": decision,
        }
        _put(attributes, "input", text(input, "input"))
        _put(attributes, "control", text(control, "control"))
        initiated = self._add("StartChildWorkflowExecutionInitiated", attributes)
        self._children[workflow_id] = _Child(initiated, decision, kind)
        return self

    def fail_to_start_child_workflow(
        self, workflow_id: str, cause: str = "WORKFLOW_TYPE_DOES_NOT_EXIST"
    ) -> Self:
        """``StartChildWorkflowExecutionFailed`` for an initiated child that never started."""
        child = self._child(workflow_id)
        attributes = {
            "workflowType": dict(child.workflow_type),
            "workflowId": workflow_id,
            "cause": cause,
            "initiatedEventId": child.initiated,
            "decisionTaskCompletedEventId": child.decision,
        }
        self._add("StartChildWorkflowExecutionFailed", attributes)
        del self._children[workflow_id]
        return self

    def start_child_workflow(self, workflow_id: str, run_id: str | None = None) -> Self:
        """``ChildWorkflowExecutionStarted`` (the child's run id is ``<workflow_id>-run`` by default)."""
        child = self._child(workflow_id)
        if child.started:
            raise ValueError(f"child workflow {workflow_id!r} is started already")
        child.run_id = run_id or f"{workflow_id}-run"
        child.started = self._add(
            "ChildWorkflowExecutionStarted",
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": child.run_id},
                "workflowType": dict(child.workflow_type),
                "initiatedEventId": child.initiated,
            },
        )
        return self

    def complete_child_workflow(self, workflow_id: str, result: str | None = None) -> Self:
        return self._close_child(
            workflow_id, "ChildWorkflowExecutionCompleted", result=text(result, "result")
        )

    def fail_child_workflow(
        self, workflow_id: str, reason: str | None = None, details: str | None = None
    ) -> Self:
        return self._close_child(
            workflow_id,
            "ChildWorkflowExecutionFailed",
            reason=text(reason, "reason"),
            details=text(details, "details"),
        )

    def time_out_child_workflow(self, workflow_id: str) -> Self:
        return self._close_child(workflow_id, "ChildWorkflowExecutionTimedOut", timeoutType="START_TO_CLOSE")

    def cancel_child_workflow(self, workflow_id: str, details: str | None = None) -> Self:
        return self._close_child(
            workflow_id, "ChildWorkflowExecutionCanceled", details=text(details, "details")
        )

    def terminate_child_workflow(self, workflow_id: str) -> Self:
        return self._close_child(workflow_id, "ChildWorkflowExecutionTerminated")

    def _child(self, workflow_id: str) -> _Child:
        try:
            return self._children[workflow_id]
        except KeyError:
            raise ValueError(
                f"no open child workflow {workflow_id!r}: initiate_child_workflow() it first"
            ) from None

    def _close_child(self, workflow_id: str, event_type: str, **extra: str | None) -> Self:
        child = self._child(workflow_id)
        if not child.started:
            raise ValueError(
                f"child workflow {workflow_id!r} was not started: start_child_workflow() it first"
            )
        attributes: dict[str, Any] = {
            "workflowExecution": {"workflowId": workflow_id, "runId": child.run_id},
            "workflowType": dict(child.workflow_type),
            "initiatedEventId": child.initiated,
            "startedEventId": child.started,
        }
        attributes.update({key: value for key, value in extra.items() if value is not None})
        self._add(event_type, attributes)
        del self._children[workflow_id]
        return self

    # --- other executions ----------------------------------------------------------------------

    def signal_external_workflow(
        self,
        workflow_id: str,
        signal_name: str,
        *,
        run_id: str | None = None,
        input: str | None = None,  # noqa: A002
        control: str | None = None,
    ) -> Self:
        """``SignalExternalWorkflowExecutionInitiated``: the effect of that decision."""
        attributes: dict[str, Any] = {
            "workflowId": workflow_id,
            "signalName": signal_name,
            "decisionTaskCompletedEventId": self._decided("SignalExternalWorkflowExecutionInitiated"),
        }
        _put(attributes, "runId", run_id)
        _put(attributes, "input", text(input, "input"))
        _put(attributes, "control", text(control, "control"))
        initiated = self._add("SignalExternalWorkflowExecutionInitiated", attributes)
        self._external.setdefault(("signal", workflow_id), []).append(initiated)
        return self

    def external_workflow_signaled(self, workflow_id: str, run_id: str = "external-run") -> Self:
        """``ExternalWorkflowExecutionSignaled`` for the oldest signal initiated to ``workflow_id``."""
        return self._external_done("signal", workflow_id, run_id, "ExternalWorkflowExecutionSignaled")

    def request_cancel_external_workflow(
        self, workflow_id: str, *, run_id: str | None = None, control: str | None = None
    ) -> Self:
        """``RequestCancelExternalWorkflowExecutionInitiated``: the effect of that decision."""
        attributes: dict[str, Any] = {
            "workflowId": workflow_id,
            "decisionTaskCompletedEventId": self._decided("RequestCancelExternalWorkflowExecutionInitiated"),
        }
        _put(attributes, "runId", run_id)
        _put(attributes, "control", text(control, "control"))
        initiated = self._add("RequestCancelExternalWorkflowExecutionInitiated", attributes)
        self._external.setdefault(("cancel", workflow_id), []).append(initiated)
        return self

    def external_workflow_cancel_requested(self, workflow_id: str, run_id: str = "external-run") -> Self:
        """``ExternalWorkflowExecutionCancelRequested`` for the oldest request to ``workflow_id``."""
        return self._external_done("cancel", workflow_id, run_id, "ExternalWorkflowExecutionCancelRequested")

    def _external_done(self, what: str, workflow_id: str, run_id: str, event_type: str) -> Self:
        waiting = self._external.get((what, workflow_id))
        if not waiting:
            raise ValueError(f"no {what} request to {workflow_id!r} is outstanding")
        initiated = waiting.pop(0)
        self._add(
            event_type,
            {
                "workflowExecution": {"workflowId": workflow_id, "runId": run_id},
                "initiatedEventId": initiated,
            },
        )
        return self
