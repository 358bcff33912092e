"""Typed SWF history events: one frozen class per event type, named as SWF names it.

Parse SWF's event dictionaries with :func:`parse_event` or :func:`parse_events` (or build a
:class:`aioswf.history.History` with ``History.from_swf``). Match on the classes::

    match event:
        case ActivityTaskCompleted(result=result):
            ...
        case TimerFired(timer_id=timer_id):
            ...

Every event has ``event_id``, ``timestamp`` and SWF's attributes of its type in snake_case; see
:class:`Event` for how values are converted. An event type this version does not know is an
:class:`UnknownEvent`, never an error."""

from ._activity import (
    ActivityTaskCanceled,
    ActivityTaskCancelRequested,
    ActivityTaskCompleted,
    ActivityTaskFailed,
    ActivityTaskScheduled,
    ActivityTaskStarted,
    ActivityTaskTimedOut,
    RequestCancelActivityTaskFailed,
    ScheduleActivityTaskFailed,
)
from ._base import Event, ExecutionRef, TypeRef, UnknownEvent
from ._child import (
    ChildWorkflowExecutionCanceled,
    ChildWorkflowExecutionCompleted,
    ChildWorkflowExecutionFailed,
    ChildWorkflowExecutionStarted,
    ChildWorkflowExecutionTerminated,
    ChildWorkflowExecutionTimedOut,
    StartChildWorkflowExecutionFailed,
    StartChildWorkflowExecutionInitiated,
)
from ._decision_task import (
    DecisionTaskCompleted,
    DecisionTaskScheduled,
    DecisionTaskStarted,
    DecisionTaskTimedOut,
)
from ._external import (
    ExternalWorkflowExecutionCancelRequested,
    ExternalWorkflowExecutionSignaled,
    RequestCancelExternalWorkflowExecutionFailed,
    RequestCancelExternalWorkflowExecutionInitiated,
    SignalExternalWorkflowExecutionFailed,
    SignalExternalWorkflowExecutionInitiated,
)
from ._lambda import (
    LambdaFunctionCompleted,
    LambdaFunctionFailed,
    LambdaFunctionScheduled,
    LambdaFunctionStarted,
    LambdaFunctionTimedOut,
    ScheduleLambdaFunctionFailed,
    StartLambdaFunctionFailed,
)
from ._parse import EVENT_CLASSES, parse_event, parse_events
from ._timer import (
    CancelTimerFailed,
    MarkerRecorded,
    RecordMarkerFailed,
    StartTimerFailed,
    TimerCanceled,
    TimerFired,
    TimerStarted,
)
from ._workflow import (
    CancelWorkflowExecutionFailed,
    CompleteWorkflowExecutionFailed,
    ContinueAsNewWorkflowExecutionFailed,
    FailWorkflowExecutionFailed,
    WorkflowExecutionCanceled,
    WorkflowExecutionCancelRequested,
    WorkflowExecutionCompleted,
    WorkflowExecutionContinuedAsNew,
    WorkflowExecutionFailed,
    WorkflowExecutionSignaled,
    WorkflowExecutionStarted,
    WorkflowExecutionTerminated,
    WorkflowExecutionTimedOut,
)

__all__ = [
    "EVENT_CLASSES",
    "ActivityTaskCancelRequested",
    "ActivityTaskCanceled",
    "ActivityTaskCompleted",
    "ActivityTaskFailed",
    "ActivityTaskScheduled",
    "ActivityTaskStarted",
    "ActivityTaskTimedOut",
    "CancelTimerFailed",
    "CancelWorkflowExecutionFailed",
    "ChildWorkflowExecutionCanceled",
    "ChildWorkflowExecutionCompleted",
    "ChildWorkflowExecutionFailed",
    "ChildWorkflowExecutionStarted",
    "ChildWorkflowExecutionTerminated",
    "ChildWorkflowExecutionTimedOut",
    "CompleteWorkflowExecutionFailed",
    "ContinueAsNewWorkflowExecutionFailed",
    "DecisionTaskCompleted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskTimedOut",
    "Event",
    "ExecutionRef",
    "ExternalWorkflowExecutionCancelRequested",
    "ExternalWorkflowExecutionSignaled",
    "FailWorkflowExecutionFailed",
    "LambdaFunctionCompleted",
    "LambdaFunctionFailed",
    "LambdaFunctionScheduled",
    "LambdaFunctionStarted",
    "LambdaFunctionTimedOut",
    "MarkerRecorded",
    "RecordMarkerFailed",
    "RequestCancelActivityTaskFailed",
    "RequestCancelExternalWorkflowExecutionFailed",
    "RequestCancelExternalWorkflowExecutionInitiated",
    "ScheduleActivityTaskFailed",
    "ScheduleLambdaFunctionFailed",
    "SignalExternalWorkflowExecutionFailed",
    "SignalExternalWorkflowExecutionInitiated",
    "StartChildWorkflowExecutionFailed",
    "StartChildWorkflowExecutionInitiated",
    "StartLambdaFunctionFailed",
    "StartTimerFailed",
    "TimerCanceled",
    "TimerFired",
    "TimerStarted",
    "TypeRef",
    "UnknownEvent",
    "WorkflowExecutionCancelRequested",
    "WorkflowExecutionCanceled",
    "WorkflowExecutionCompleted",
    "WorkflowExecutionContinuedAsNew",
    "WorkflowExecutionFailed",
    "WorkflowExecutionSignaled",
    "WorkflowExecutionStarted",
    "WorkflowExecutionTerminated",
    "WorkflowExecutionTimedOut",
    "parse_event",
    "parse_events",
]
