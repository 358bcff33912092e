"""Signals and cancel requests this execution sent to other executions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ._base import Event, ExecutionRef

__all__ = [
    "EVENTS",
    "ExternalWorkflowExecutionCancelRequested",
    "ExternalWorkflowExecutionSignaled",
    "RequestCancelExternalWorkflowExecutionFailed",
    "RequestCancelExternalWorkflowExecutionInitiated",
    "SignalExternalWorkflowExecutionFailed",
    "SignalExternalWorkflowExecutionInitiated",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalExternalWorkflowExecutionInitiated(Event):
    """A SignalExternalWorkflowExecution decision asked SWF to signal ``workflow_id``."""

    event_type: ClassVar[str] = "SignalExternalWorkflowExecutionInitiated"

    workflow_id: str
    run_id: str | None = None
    signal_name: str
    input: str | None = None
    decision_task_completed_event_id: int
    control: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalExternalWorkflowExecutionFailed(Event):
    """The signal could not be delivered (``cause``)."""

    event_type: ClassVar[str] = "SignalExternalWorkflowExecutionFailed"

    workflow_id: str
    run_id: str | None = None
    cause: str
    initiated_event_id: int
    decision_task_completed_event_id: int
    control: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalWorkflowExecutionSignaled(Event):
    """The signal initiated at ``initiated_event_id`` was delivered."""

    event_type: ClassVar[str] = "ExternalWorkflowExecutionSignaled"

    workflow_execution: ExecutionRef
    initiated_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestCancelExternalWorkflowExecutionInitiated(Event):
    """A RequestCancelExternalWorkflowExecution decision asked SWF to cancel ``workflow_id``."""

    event_type: ClassVar[str] = "RequestCancelExternalWorkflowExecutionInitiated"

    workflow_id: str
    run_id: str | None = None
    decision_task_completed_event_id: int
    control: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestCancelExternalWorkflowExecutionFailed(Event):
    """The cancel request could not be delivered (``cause``)."""

    event_type: ClassVar[str] = "RequestCancelExternalWorkflowExecutionFailed"

    workflow_id: str
    run_id: str | None = None
    cause: str
    initiated_event_id: int
    decision_task_completed_event_id: int
    control: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalWorkflowExecutionCancelRequested(Event):
    """The cancel request initiated at ``initiated_event_id`` was delivered."""

    event_type: ClassVar[str] = "ExternalWorkflowExecutionCancelRequested"

    workflow_execution: ExecutionRef
    initiated_event_id: int


#: This module's event classes, in the order of an entity's life.
EVENTS: tuple[type[Event], ...] = (
    SignalExternalWorkflowExecutionInitiated,
    SignalExternalWorkflowExecutionFailed,
    ExternalWorkflowExecutionSignaled,
    RequestCancelExternalWorkflowExecutionInitiated,
    RequestCancelExternalWorkflowExecutionFailed,
    ExternalWorkflowExecutionCancelRequested,
)
