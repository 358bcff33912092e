"""compile()'s handlers for the work an execution hands to others: child workflows, signals and
cancel requests sent to other executions, and Lambda functions."""

from __future__ import annotations

from typing import Any, TypeAlias

from . import events as ev
from ._history_state import OPEN

__all__ = ["OPEN", "Entity", "RemoteHandlers", "reset"]

_OUTCOME = ("result", "reason", "details", "timeout_type", "cause")

#: An entity while the events are read: the keyword arguments of its frozen state class.
Entity = dict[str, Any]


def reset(entity: Entity) -> None:
    """Forget how an earlier attempt with the same id ended."""
    for key in _OUTCOME:
        entity[key] = None


_ChildClosed: TypeAlias = (
    ev.ChildWorkflowExecutionCompleted
    | ev.ChildWorkflowExecutionFailed
    | ev.ChildWorkflowExecutionTimedOut
    | ev.ChildWorkflowExecutionCanceled
    | ev.ChildWorkflowExecutionTerminated
)


class RemoteHandlers:
    """``on_<event_type>`` for the child, external and Lambda event types (see ``_Compiler``)."""

    children: dict[str, Entity]
    child_by_initiated: dict[int, Entity]
    external_signals: dict[int, Entity]
    external_cancels: dict[int, Entity]
    lambdas: dict[str, Entity]
    lambda_by_scheduled: dict[int, Entity]
    failed_decisions: list[ev.Event]

    # Child workflows.

    def on_start_child_workflow_execution_initiated(self, e: ev.StartChildWorkflowExecutionInitiated) -> None:
        child = self.children.setdefault(e.workflow_id, {"workflow_id": e.workflow_id, "times_initiated": 0})
        reset(child)
        child.update(
            status="initiated",
            workflow_type=e.workflow_type,
            run_id=None,
            input=e.input,
            control=e.control,
            times_initiated=child["times_initiated"] + 1,
            initiated_event_id=e.event_id,
        )
        self.child_by_initiated[e.event_id] = child

    def on_start_child_workflow_execution_failed(self, e: ev.StartChildWorkflowExecutionFailed) -> None:
        self.failed_decisions.append(e)
        child = self.child_by_initiated.get(e.initiated_event_id)
        if child is None:  # refused before it was initiated (no initiatedEventId)
            child = self.children.get(e.workflow_id)
            if child is None:
                child = self.children[e.workflow_id] = {"workflow_id": e.workflow_id, "times_initiated": 0}
            elif child["status"] in OPEN:
                return
        reset(child)
        child.update(status="start_failed", workflow_type=e.workflow_type, cause=e.cause)

    def _child(self, e: ev.ChildWorkflowExecutionStarted | _ChildClosed) -> Entity | None:
        return self.child_by_initiated.get(e.initiated_event_id) or self.children.get(
            e.workflow_execution.workflow_id
        )

    def on_child_workflow_execution_started(self, e: ev.ChildWorkflowExecutionStarted) -> None:
        if (child := self._child(e)) is not None:
            child.update(status="started", run_id=e.workflow_execution.run_id)

    def on_child_workflow_execution_completed(self, e: ev.ChildWorkflowExecutionCompleted) -> None:
        if (child := self._child(e)) is not None:
            child.update(status="completed", run_id=e.workflow_execution.run_id, result=e.result)

    def on_child_workflow_execution_failed(self, e: ev.ChildWorkflowExecutionFailed) -> None:
        if (child := self._child(e)) is not None:
            child.update(
                status="failed", run_id=e.workflow_execution.run_id, reason=e.reason, details=e.details
            )

    def on_child_workflow_execution_timed_out(self, e: ev.ChildWorkflowExecutionTimedOut) -> None:
        if (child := self._child(e)) is not None:
            child.update(status="timed_out", run_id=e.workflow_execution.run_id, timeout_type=e.timeout_type)

    def on_child_workflow_execution_canceled(self, e: ev.ChildWorkflowExecutionCanceled) -> None:
        if (child := self._child(e)) is not None:
            child.update(status="canceled", run_id=e.workflow_execution.run_id, details=e.details)

    def on_child_workflow_execution_terminated(self, e: ev.ChildWorkflowExecutionTerminated) -> None:
        if (child := self._child(e)) is not None:
            child.update(status="terminated", run_id=e.workflow_execution.run_id)

    # Signals and cancel requests sent to other executions.

    def on_signal_external_workflow_execution_initiated(
        self, e: ev.SignalExternalWorkflowExecutionInitiated
    ) -> None:
        self.external_signals[e.event_id] = {
            "workflow_id": e.workflow_id,
            "run_id": e.run_id,
            "signal_name": e.signal_name,
            "status": "initiated",
            "input": e.input,
            "control": e.control,
            "initiated_event_id": e.event_id,
        }

    def on_external_workflow_execution_signaled(self, e: ev.ExternalWorkflowExecutionSignaled) -> None:
        if (signal := self.external_signals.get(e.initiated_event_id)) is not None:
            signal.update(status="delivered", run_id=e.workflow_execution.run_id)

    def on_signal_external_workflow_execution_failed(
        self, e: ev.SignalExternalWorkflowExecutionFailed
    ) -> None:
        self.failed_decisions.append(e)
        if (signal := self.external_signals.get(e.initiated_event_id)) is not None:
            signal.update(status="failed", cause=e.cause)

    def on_request_cancel_external_workflow_execution_initiated(
        self, e: ev.RequestCancelExternalWorkflowExecutionInitiated
    ) -> None:
        self.external_cancels[e.event_id] = {
            "workflow_id": e.workflow_id,
            "run_id": e.run_id,
            "status": "initiated",
            "control": e.control,
            "initiated_event_id": e.event_id,
        }

    def on_external_workflow_execution_cancel_requested(
        self, e: ev.ExternalWorkflowExecutionCancelRequested
    ) -> None:
        if (request := self.external_cancels.get(e.initiated_event_id)) is not None:
            request.update(status="delivered", run_id=e.workflow_execution.run_id)

    def on_request_cancel_external_workflow_execution_failed(
        self, e: ev.RequestCancelExternalWorkflowExecutionFailed
    ) -> None:
        self.failed_decisions.append(e)
        if (request := self.external_cancels.get(e.initiated_event_id)) is not None:
            request.update(status="failed", cause=e.cause)

    # Lambda functions.

    def on_lambda_function_scheduled(self, e: ev.LambdaFunctionScheduled) -> None:
        function = self.lambdas.setdefault(e.id, {"function_id": e.id, "times_scheduled": 0})
        reset(function)
        function.update(
            name=e.name,
            status="scheduled",
            input=e.input,
            control=e.control,
            start_to_close_timeout=e.start_to_close_timeout,
            message=None,
            times_scheduled=function["times_scheduled"] + 1,
            scheduled_event_id=e.event_id,
        )
        self.lambda_by_scheduled[e.event_id] = function

    def on_schedule_lambda_function_failed(self, e: ev.ScheduleLambdaFunctionFailed) -> None:
        self.failed_decisions.append(e)
        function = self.lambdas.get(e.id)
        if function is None:
            function = self.lambdas[e.id] = {"function_id": e.id, "times_scheduled": 0}
        elif function["status"] in OPEN:
            return
        reset(function)
        function.update(name=e.name, status="schedule_failed", cause=e.cause)

    def on_lambda_function_started(self, e: ev.LambdaFunctionStarted) -> None:
        if (function := self.lambda_by_scheduled.get(e.scheduled_event_id)) is not None:
            function["status"] = "started"

    def on_start_lambda_function_failed(self, e: ev.StartLambdaFunctionFailed) -> None:
        self.failed_decisions.append(e)
        if (function := self.lambda_by_scheduled.get(e.scheduled_event_id or 0)) is not None:
            function.update(status="start_failed", cause=e.cause, message=e.message)

    def on_lambda_function_completed(self, e: ev.LambdaFunctionCompleted) -> None:
        if (function := self.lambda_by_scheduled.get(e.scheduled_event_id)) is not None:
            function.update(status="completed", result=e.result)

    def on_lambda_function_failed(self, e: ev.LambdaFunctionFailed) -> None:
        if (function := self.lambda_by_scheduled.get(e.scheduled_event_id)) is not None:
            function.update(status="failed", reason=e.reason, details=e.details)

    def on_lambda_function_timed_out(self, e: ev.LambdaFunctionTimedOut) -> None:
        if (function := self.lambda_by_scheduled.get(e.scheduled_event_id)) is not None:
            function.update(status="timed_out", timeout_type=e.timeout_type)
