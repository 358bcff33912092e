"""AWS Lambda functions scheduled by decisions, and how they ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from ._base import Event

__all__ = [
    "EVENTS",
    "LambdaFunctionCompleted",
    "LambdaFunctionFailed",
    "LambdaFunctionScheduled",
    "LambdaFunctionStarted",
    "LambdaFunctionTimedOut",
    "ScheduleLambdaFunctionFailed",
    "StartLambdaFunctionFailed",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunctionScheduled(Event):
    """A ScheduleLambdaFunction decision scheduled Lambda function ``name`` as ``id``."""

    event_type: ClassVar[str] = "LambdaFunctionScheduled"

    id: str
    name: str
    control: str | None = None
    input: str | None = None
    start_to_close_timeout: timedelta | None = None
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleLambdaFunctionFailed(Event):
    """A ScheduleLambdaFunction decision was refused (``cause``)."""

    event_type: ClassVar[str] = "ScheduleLambdaFunctionFailed"

    id: str
    name: str
    cause: str
    decision_task_completed_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunctionStarted(Event):
    """SWF invoked the Lambda function scheduled at ``scheduled_event_id``."""

    event_type: ClassVar[str] = "LambdaFunctionStarted"

    scheduled_event_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StartLambdaFunctionFailed(Event):
    """SWF could not invoke the Lambda function (``cause``, ``message``)."""

    event_type: ClassVar[str] = "StartLambdaFunctionFailed"

    scheduled_event_id: int | None = None
    cause: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunctionCompleted(Event):
    """The Lambda function returned ``result``."""

    event_type: ClassVar[str] = "LambdaFunctionCompleted"

    scheduled_event_id: int
    started_event_id: int
    result: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunctionFailed(Event):
    """The Lambda function failed with ``reason`` and ``details``."""

    event_type: ClassVar[str] = "LambdaFunctionFailed"

    scheduled_event_id: int
    started_event_id: int
    reason: str | None = None
    details: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunctionTimedOut(Event):
    """The Lambda function ran past its start-to-close timeout."""

    event_type: ClassVar[str] = "LambdaFunctionTimedOut"

    scheduled_event_id: int
    started_event_id: int
    timeout_type: str | None = None


#: This module's event classes, in the order of an entity's life.
EVENTS: tuple[type[Event], ...] = (
    LambdaFunctionScheduled,
    ScheduleLambdaFunctionFailed,
    LambdaFunctionStarted,
    StartLambdaFunctionFailed,
    LambdaFunctionCompleted,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
)
