"""SWF's 13 decisions as frozen, validated dataclasses, and the check of a whole decision list.

Each decision takes SWF's attributes as keyword arguments in snake_case, checks them when it is
made (required fields, SWF's naming rules, and the length limits of botocore's SWF model), and
gives SWF's dictionary with :meth:`~Decision.to_swf` (and :func:`from_swf` reads one back)::

    from datetime import timedelta
    from aioswf.decisions import CompleteWorkflowExecution, ScheduleActivityTask, check_decisions

    decisions = [ScheduleActivityTask(activity_type=hello, activity_id="hello-1", input="world",
                                      start_to_close_timeout=timedelta(minutes=5))]
    await decider.complete(task.token, check_decisions(decisions, task_token=task.token))

Payloads (``input``, ``result``, ``details``, ``control``) are strings; encode other values with
:mod:`aioswf.payloads`. Timeouts are a ``timedelta`` or whole seconds, ``"NONE"`` for no limit,
or ``None`` (left out: the registered default applies).
"""

from ._base import NO_LIMIT, Decision, Timeout
from ._check import (
    CLOSE_DECISION_TYPES,
    MAX_REQUEST_BODY_BYTES,
    MAX_REQUEST_BYTES,
    REQUEST_HEADERS_ALLOWANCE,
    check_decisions,
    from_swf,
)
from ._executions import (
    CancelWorkflowExecution,
    CompleteWorkflowExecution,
    ContinueAsNewWorkflowExecution,
    FailWorkflowExecution,
    RequestCancelExternalWorkflowExecution,
    SignalExternalWorkflowExecution,
    StartChildWorkflowExecution,
)
from ._tasks import (
    CancelTimer,
    RecordMarker,
    RequestCancelActivityTask,
    ScheduleActivityTask,
    ScheduleLambdaFunction,
    StartTimer,
)

__all__ = [
    "CLOSE_DECISION_TYPES",
    "MAX_REQUEST_BODY_BYTES",
    "MAX_REQUEST_BYTES",
    "NO_LIMIT",
    "REQUEST_HEADERS_ALLOWANCE",
    "CancelTimer",
    "CancelWorkflowExecution",
    "CompleteWorkflowExecution",
    "ContinueAsNewWorkflowExecution",
    "Decision",
    "FailWorkflowExecution",
    "RecordMarker",
    "RequestCancelActivityTask",
    "RequestCancelExternalWorkflowExecution",
    "ScheduleActivityTask",
    "ScheduleLambdaFunction",
    "SignalExternalWorkflowExecution",
    "StartChildWorkflowExecution",
    "StartTimer",
    "Timeout",
    "check_decisions",
    "from_swf",
]
