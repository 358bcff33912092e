"""The execution's own events: started, signaled, cancel requested, and how it closed (or failed to)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from ._base import Event, ExecutionRef, TypeRef

__all__ = [
    "EVENTS",
    "CancelWorkflowExecutionFailed",
    "CompleteWorkflowExecutionFailed",
    "ContinueAsNewWorkflowExecutionFailed",
    "FailWorkflowExecutionFailed",
    "WorkflowExecutionCancelRequested",
    "WorkflowExecutionCanceled",
    "WorkflowExecutionCompleted",
    "WorkflowExecutionContinuedAsNew",
    "WorkflowExecutionFailed",
    "WorkflowExecutionSignaled",
    "WorkflowExecutionStarted",
    "WorkflowExecutionTerminated",
    "WorkflowExecutionTimedOut",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionStarted(Event):
    """The execution started with its input, type, task list, timeouts and tags: the first event."""

    event_type: ClassVar[str] = "WorkflowExecutionStarted"

    input: str | None = None
    execution_start_to_close_timeout: timedelta | None = None
    task_start_to_close_timeout: timedelta | None = None
    child_policy: str
    task_list: str
    task_priority: int | None = None
    workflow_type: TypeRef
    tag_list: tuple[str, ...] | None = None
    continued_execution_run_id: str | None = None
    parent_workflow_execution: ExecutionRef | None = None
    parent_initiated_event_id: int | None = None
    lambda_role: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionSignaled(Event):
    """A signal arrived, from a client or from another execution's decision."""

    event_type: ClassVar[str] = "WorkflowExecutionSignaled"

    signal_name: str
    input: str | None = None
    external_workflow_execution: ExecutionRef | None = None
    external_initiated_event_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionCancelRequested(Event):
    """Someone asked for this execution to be canceled; the decider decides whether to."""

    event_type: ClassVar[str] = "WorkflowExecutionCancelRequested"

    external_workflow_execution: ExecutionRef | None = None
    external_initiated_event_id: int | None = None
    cause: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionCompleted(Event):
    """A CompleteWorkflowExecution decision closed the execution with ``result``."""

    event_type: ClassVar[str] = "WorkflowExecutionCompleted"

    result: str | None = None
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteWorkflowExecutionFailed(Event):
    """A CompleteWorkflowExecution decision was refused (``cause``); the execution stays open."""

    event_type: ClassVar[str] = "CompleteWorkflowExecutionFailed"

    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionFailed(Event):
    """A FailWorkflowExecution decision closed the execution with ``reason`` and ``details``."""

    event_type: ClassVar[str] = "WorkflowExecutionFailed"

    reason: str | None = None
    details: str | None = None
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FailWorkflowExecutionFailed(Event):
    """A FailWorkflowExecution decision was refused (``cause``); the execution stays open."""

    event_type: ClassVar[str] = "FailWorkflowExecutionFailed"

    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionTimedOut(Event):
    """The execution ran past its start-to-close timeout and SWF closed it."""

    event_type: ClassVar[str] = "WorkflowExecutionTimedOut"

    timeout_type: str
    child_policy: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionCanceled(Event):
    """A CancelWorkflowExecution decision closed the execution."""

    event_type: ClassVar[str] = "WorkflowExecutionCanceled"

    details: str | None = None
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelWorkflowExecutionFailed(Event):
    """A CancelWorkflowExecution decision was refused (``cause``); the execution stays open."""

    event_type: ClassVar[str] = "CancelWorkflowExecutionFailed"

    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionContinuedAsNew(Event):
    """A ContinueAsNewWorkflowExecution decision closed this run and started ``new_execution_run_id``."""

    event_type: ClassVar[str] = "WorkflowExecutionContinuedAsNew"

    input: str | None = None
    decision_task_completed_event_id: int
    new_execution_run_id: str
    execution_start_to_close_timeout: timedelta | None = None
    task_list: str
    task_priority: int | None = None
    task_start_to_close_timeout: timedelta | None = None
    child_policy: str
    tag_list: tuple[str, ...] | None = None
    workflow_type: TypeRef
    lambda_role: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContinueAsNewWorkflowExecutionFailed(Event):
    """A ContinueAsNewWorkflowExecution decision was refused (``cause``)."""

    event_type: ClassVar[str] = "ContinueAsNewWorkflowExecutionFailed"

    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowExecutionTerminated(Event):
    """The execution was terminated: by a TerminateWorkflowExecution call, a parent's child policy, or SWF."""

    event_type: ClassVar[str] = "WorkflowExecutionTerminated"

    reason: str | None = None
    details: str | None = None
    child_policy: str
    cause: str | None = None


#: This module's event classes, in the order of an entity's life.
EVENTS: tuple[type[Event], ...] = (
    WorkflowExecutionStarted,
    WorkflowExecutionSignaled,
    WorkflowExecutionCancelRequested,
    WorkflowExecutionCompleted,
    CompleteWorkflowExecutionFailed,
    WorkflowExecutionFailed,
    FailWorkflowExecutionFailed,
    WorkflowExecutionTimedOut,
    WorkflowExecutionCanceled,
    CancelWorkflowExecutionFailed,
    WorkflowExecutionContinuedAsNew,
    ContinueAsNewWorkflowExecutionFailed,
    WorkflowExecutionTerminated,
)
