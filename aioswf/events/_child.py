"""Child workflow executions this execution started, and how they ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from ._base import Event, ExecutionRef, TypeRef

__all__ = [
    "EVENTS",
    "ChildWorkflowExecutionCanceled",
    "ChildWorkflowExecutionCompleted",
    "ChildWorkflowExecutionFailed",
    "ChildWorkflowExecutionStarted",
    "ChildWorkflowExecutionTerminated",
    "ChildWorkflowExecutionTimedOut",
    "StartChildWorkflowExecutionFailed",
    "StartChildWorkflowExecutionInitiated",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class StartChildWorkflowExecutionInitiated(Event):
    """A StartChildWorkflowExecution decision asked SWF to start child ``workflow_id``."""

    event_type: ClassVar[str] = "StartChildWorkflowExecutionInitiated"

    workflow_id: str
    workflow_type: TypeRef
    control: str | None = None
    input: str | None = None
    execution_start_to_close_timeout: timedelta | None = None
    task_list: str
    task_priority: int | None = None
    decision_task_completed_event_id: int
    child_policy: str
    task_start_to_close_timeout: timedelta | None = None
    tag_list: tuple[str, ...] | None = None
    lambda_role: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StartChildWorkflowExecutionFailed(Event):
    """The child workflow could not be started (``cause``)."""

    event_type: ClassVar[str] = "StartChildWorkflowExecutionFailed"

    workflow_type: TypeRef
    cause: str
    workflow_id: str
    initiated_event_id: int
    decision_task_completed_event_id: int
    control: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWorkflowExecutionStarted(Event):
    """The child workflow started as ``workflow_execution``."""

    event_type: ClassVar[str] = "ChildWorkflowExecutionStarted"

    workflow_execution: ExecutionRef
    workflow_type: TypeRef
    initiated_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWorkflowExecutionCompleted(Event):
    """The child workflow completed with ``result``."""

    event_type: ClassVar[str] = "ChildWorkflowExecutionCompleted"

    workflow_execution: ExecutionRef
    workflow_type: TypeRef
    result: str | None = None
    initiated_event_id: int
    started_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWorkflowExecutionFailed(Event):
    """The child workflow failed with ``reason`` and ``details``."""

    event_type: ClassVar[str] = "ChildWorkflowExecutionFailed"

    workflow_execution: ExecutionRef
    workflow_type: TypeRef
    reason: str | None = None
    details: str | None = None
    initiated_event_id: int
    started_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWorkflowExecutionTimedOut(Event):
    """The child workflow timed out."""

    event_type: ClassVar[str] = "ChildWorkflowExecutionTimedOut"

    workflow_execution: ExecutionRef
    workflow_type: TypeRef
    timeout_type: str
    initiated_event_id: int
    started_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWorkflowExecutionCanceled(Event):
    """The child workflow was canceled."""

    event_type: ClassVar[str] = "ChildWorkflowExecutionCanceled"

    workflow_execution: ExecutionRef
    workflow_type: TypeRef
    details: str | None = None
    initiated_event_id: int
    started_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWorkflowExecutionTerminated(Event):
    """The child workflow was terminated."""

    event_type: ClassVar[str] = "ChildWorkflowExecutionTerminated"

    workflow_execution: ExecutionRef
    workflow_type: TypeRef
    initiated_event_id: int
    started_event_id: int


#: This module's event classes, in the order of an entity's life.
EVENTS: tuple[type[Event], ...] = (
    StartChildWorkflowExecutionInitiated,
    StartChildWorkflowExecutionFailed,
    ChildWorkflowExecutionStarted,
    ChildWorkflowExecutionCompleted,
    ChildWorkflowExecutionFailed,
    ChildWorkflowExecutionTimedOut,
    ChildWorkflowExecutionCanceled,
    ChildWorkflowExecutionTerminated,
)
