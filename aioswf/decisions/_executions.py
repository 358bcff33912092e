"""Decisions about workflow executions: closing this one, and child and external executions.

The four close decisions (:class:`CompleteWorkflowExecution`, :class:`FailWorkflowExecution`,
:class:`CancelWorkflowExecution`, :class:`ContinueAsNewWorkflowExecution`) must be the last
decision of a list, and a list has at most one (:func:`~aioswf.decisions.check_decisions`).
SWF has no decision that terminates an execution: that is the ``TerminateWorkflowExecution``
API call, made from outside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..models import WorkflowType
from ._base import (
    Decision,
    Timeout,
    child_policy,
    identifier,
    kind,
    priority,
    put,
    string,
    tags,
    task_list,
    text,
    timeout,
    timeout_to_swf,
    type_ref,
)

__all__ = [
    "CancelWorkflowExecution",
    "CompleteWorkflowExecution",
    "ContinueAsNewWorkflowExecution",
    "FailWorkflowExecution",
    "RequestCancelExternalWorkflowExecution",
    "SignalExternalWorkflowExecution",
    "StartChildWorkflowExecution",
]


def _set(decision: Decision, name: str, value: Any) -> None:
    object.__setattr__(decision, name, value)


@dataclass(frozen=True, kw_only=True, slots=True)
class CompleteWorkflowExecution(Decision):
    """Close the execution as completed, with an optional ``result``."""

    decision_type: ClassVar[str] = "CompleteWorkflowExecution"
    closes_workflow: ClassVar[bool] = True

    result: str | None = None

    def __post_init__(self) -> None:
        text(self.result, "result")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        put(attributes, "result", self.result)
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class FailWorkflowExecution(Decision):
    """Close the execution as failed. ``reason`` is short (256 characters), ``details`` long."""

    decision_type: ClassVar[str] = "FailWorkflowExecution"
    closes_workflow: ClassVar[bool] = True

    reason: str | None = None
    details: str | None = None

    def __post_init__(self) -> None:
        text(self.reason, "reason")
        text(self.details, "details")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        put(attributes, "reason", self.reason)
        put(attributes, "details", self.details)
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class CancelWorkflowExecution(Decision):
    """Close the execution as canceled, usually after ``WorkflowExecutionCancelRequested``.

    SWF refuses it (``CancelWorkflowExecutionFailed``, ``UNHANDLED_DECISION``) while new events
    wait for a decision: decide on those first.
    """

    decision_type: ClassVar[str] = "CancelWorkflowExecution"
    closes_workflow: ClassVar[bool] = True

    details: str | None = None

    def __post_init__(self) -> None:
        text(self.details, "details")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        put(attributes, "details", self.details)
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class ContinueAsNewWorkflowExecution(Decision):
    """Close the execution and start a new run with the same workflow id and a fresh history.

    Unset options are the ones this run was started with; ``workflow_type_version`` moves the new
    run to another version of the same type.
    """

    decision_type: ClassVar[str] = "ContinueAsNewWorkflowExecution"
    closes_workflow: ClassVar[bool] = True

    input: str | None = None
    execution_start_to_close_timeout: Timeout = None
    task_list: str | None = None
    task_priority: int | None = None
    task_start_to_close_timeout: Timeout = None
    child_policy: str | None = None
    tag_list: Sequence[str] | None = None
    workflow_type_version: str | None = None
    lambda_role: str | None = None

    def __post_init__(self) -> None:
        text(self.input, "input")
        _timeouts(self)
        task_list(self.task_list)
        priority(self.task_priority)
        child_policy(self.child_policy)
        _set(self, "tag_list", tags(self.tag_list))
        if self.workflow_type_version is not None:
            string(self.workflow_type_version, "workflow_type_version")
        if self.lambda_role is not None:
            string(self.lambda_role, "lambda_role")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        put(attributes, "input", self.input)
        _options(self, attributes)
        put(attributes, "workflowTypeVersion", self.workflow_type_version)
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class StartChildWorkflowExecution(Decision):
    """Start a child execution (``StartChildWorkflowExecutionInitiated``, then
    ``ChildWorkflowExecutionStarted`` or ``StartChildWorkflowExecutionFailed``).

    ``workflow_type`` is a :class:`~aioswf.models.WorkflowType`, a ``(name, version)`` pair or
    SWF's ``{"name": ..., "version": ...}``; it is kept as ``(name, version)``. ``child_policy``
    says what happens to the child when this execution closes. Unset options take the type's
    registered defaults.
    """

    decision_type: ClassVar[str] = "StartChildWorkflowExecution"

    workflow_type: WorkflowType | tuple[str, str] | Mapping[str, str]
    workflow_id: str
    input: str | None = None
    control: str | None = None
    execution_start_to_close_timeout: Timeout = None
    task_list: str | None = None
    task_priority: int | None = None
    task_start_to_close_timeout: Timeout = None
    child_policy: str | None = None
    tag_list: Sequence[str] | None = None
    lambda_role: str | None = None

    def __post_init__(self) -> None:
        _set(self, "workflow_type", type_ref(self.workflow_type, WorkflowType, "workflow_type"))
        identifier(self.workflow_id, "workflow_id")
        text(self.input, "input")
        text(self.control, "control")
        _timeouts(self)
        task_list(self.task_list)
        priority(self.task_priority)
        child_policy(self.child_policy)
        _set(self, "tag_list", tags(self.tag_list))
        if self.lambda_role is not None:
            string(self.lambda_role, "lambda_role")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        assert isinstance(self.workflow_type, tuple)
        attributes: dict[str, Any] = {
            "workflowType": kind(self.workflow_type),
            "workflowId": self.workflow_id,
        }
        put(attributes, "input", self.input)
        put(attributes, "control", self.control)
        _options(self, attributes)
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class SignalExternalWorkflowExecution(Decision):
    """Send a signal to another execution (``SignalExternalWorkflowExecutionInitiated``).

    Without ``run_id`` the signal goes to the open run of ``workflow_id``.
    """

    decision_type: ClassVar[str] = "SignalExternalWorkflowExecution"

    workflow_id: str
    signal_name: str
    run_id: str | None = None
    input: str | None = None
    control: str | None = None

    def __post_init__(self) -> None:
        identifier(self.workflow_id, "workflow_id")
        string(self.signal_name, "signal_name")
        text(self.run_id, "run_id")
        text(self.input, "input")
        text(self.control, "control")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {"workflowId": self.workflow_id, "signalName": self.signal_name}
        put(attributes, "runId", self.run_id)
        put(attributes, "input", self.input)
        put(attributes, "control", self.control)
        return attributes


@dataclass(frozen=True, kw_only=True, slots=True)
class RequestCancelExternalWorkflowExecution(Decision):
    """Ask another execution to cancel itself (``RequestCancelExternalWorkflowExecutionInitiated``).

    Without ``run_id`` the request goes to the open run of ``workflow_id``.
    """

    decision_type: ClassVar[str] = "RequestCancelExternalWorkflowExecution"

    workflow_id: str
    run_id: str | None = None
    control: str | None = None

    def __post_init__(self) -> None:
        identifier(self.workflow_id, "workflow_id")
        text(self.run_id, "run_id")
        text(self.control, "control")
        self._validate()

    def _attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {"workflowId": self.workflow_id}
        put(attributes, "runId", self.run_id)
        put(attributes, "control", self.control)
        return attributes


_Execution = ContinueAsNewWorkflowExecution | StartChildWorkflowExecution


def _timeouts(decision: _Execution) -> None:
    for name in ("execution_start_to_close_timeout", "task_start_to_close_timeout"):
        _set(decision, name, timeout(getattr(decision, name), name))


def _options(decision: _Execution, attributes: dict[str, Any]) -> None:
    """The options a new run shares with a child: timeouts, task list, priority, policy, tags, role."""
    put(attributes, "executionStartToCloseTimeout", timeout_to_swf(decision.execution_start_to_close_timeout))
    put(attributes, "taskList", None if decision.task_list is None else {"name": decision.task_list})
    put(attributes, "taskPriority", None if decision.task_priority is None else str(decision.task_priority))
    put(attributes, "taskStartToCloseTimeout", timeout_to_swf(decision.task_start_to_close_timeout))
    put(attributes, "childPolicy", decision.child_policy)
    put(attributes, "tagList", None if decision.tag_list is None else list(decision.tag_list))
    put(attributes, "lambdaRole", decision.lambda_role)
