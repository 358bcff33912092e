"""A whole decision list, checked the way SWF will check it before it is sent; and SWF's decision
dictionaries read back into decisions."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from .._limits import _compile
from ..exceptions import ValidationError
from ._base import Decision, attributes_key, attributes_shape, check_present, snake_path, swf_model
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
    "REQUEST_HEADERS_ALLOWANCE",
    "check_decisions",
    "from_swf",
]

#: SWF's quota on one API request, headers included: 1 MB.
MAX_REQUEST_BYTES: Final = 1_048_576
#: What :func:`check_decisions` keeps free of :data:`MAX_REQUEST_BYTES` for the HTTP headers
#: (signature, session token, target, user agent): a few hundred bytes to about 2 KB in practice.
REQUEST_HEADERS_ALLOWANCE: Final = 8_192
#: The most JSON a RespondDecisionTaskCompleted body may carry.
MAX_REQUEST_BODY_BYTES: Final = MAX_REQUEST_BYTES - REQUEST_HEADERS_ALLOWANCE
#: The decisions that close the workflow execution: at most one per list, and only last.
CLOSE_DECISION_TYPES: Final = frozenset(
    {
        "CancelWorkflowExecution",
        "CompleteWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
        "FailWorkflowExecution",
    }
)

_CLASSES: dict[str, type[Decision]] = {
    cls.decision_type: cls
    for cls in (
        ScheduleActivityTask,
        RequestCancelActivityTask,
        CompleteWorkflowExecution,
        FailWorkflowExecution,
        CancelWorkflowExecution,
        ContinueAsNewWorkflowExecution,
        RecordMarker,
        StartTimer,
        CancelTimer,
        SignalExternalWorkflowExecution,
        RequestCancelExternalWorkflowExecution,
        StartChildWorkflowExecution,
        ScheduleLambdaFunction,
    )
}
_MAX_TOKEN_CHARACTERS = 1024  # the model's TaskToken maximum, counted when the token is not given


@functools.cache
def _decision_types() -> tuple[str, ...]:
    return tuple(swf_model().shape_for("DecisionType").enum)


@functools.cache
def _length_check() -> Any:
    return _compile(swf_model().shape_for("Decision"))


def check_decisions(
    decisions: Iterable[Decision | Mapping[str, Any]],
    *,
    task_token: str | None = None,
    execution_context: str | None = None,
) -> list[dict[str, Any]]:
    """The ``decisions`` parameter of RespondDecisionTaskCompleted, checked before it is sent.

    Each item is a :class:`~aioswf.decisions.Decision` (checked when it was made) or a
    dictionary in SWF's shape, checked here against botocore's SWF model: a known
    ``decisionType``, only its own attributes, required members present, no field too long.
    Then the whole list: at most one close decision (:data:`CLOSE_DECISION_TYPES`) and only as
    the last one, and the request's JSON body at most :data:`MAX_REQUEST_BODY_BYTES` bytes,
    measured as botocore encodes it (``json.dumps`` with its ASCII escapes, so ``"é"`` costs 6
    bytes and an emoji 12). Without ``task_token`` the longest token SWF issues is counted.

    Raises :class:`~aioswf.exceptions.ValidationError` naming the decision (``decisions[2]``) or
    field, with ``size`` and ``limit`` for a length.
    """
    converted: list[dict[str, Any]] = []
    for index, decision in enumerate(decisions):
        if isinstance(decision, Decision):
            converted.append(decision.to_swf())
        elif isinstance(decision, Mapping):
            converted.append(_checked_mapping(decision, f"decisions[{index}]"))
        else:
            raise ValidationError(
                f"decisions[{index}] must be an aioswf.decisions.Decision or a dict, "
                f"got {type(decision).__name__}",
                field=f"decisions[{index}]",
            )
    _check_close(converted)
    request: dict[str, Any] = {
        "taskToken": "t" * _MAX_TOKEN_CHARACTERS if task_token is None else task_token,
        "decisions": converted,
    }
    if execution_context is not None:
        request["executionContext"] = execution_context
    size = len(json.dumps(request).encode("utf-8"))
    if size > MAX_REQUEST_BODY_BYTES:
        raise ValidationError(
            f"decisions make a RespondDecisionTaskCompleted request of {size:,} bytes; SWF allows "
            f"1 MB ({MAX_REQUEST_BYTES:,} bytes) per request with its headers, which leaves "
            f"{MAX_REQUEST_BODY_BYTES:,} bytes for the body: send fewer or smaller decisions",
            field="decisions",
            size=size,
            limit=MAX_REQUEST_BODY_BYTES,
        )
    return converted


def _checked_mapping(decision: Mapping[str, Any], path: str) -> dict[str, Any]:
    kind = decision.get("decisionType")
    if kind not in _decision_types():
        raise ValidationError(
            f"{path}.decisionType {kind!r} is not an SWF decision; SWF knows {', '.join(_decision_types())}",
            field=f"{path}.decisionType",
        )
    key = attributes_key(kind)
    others = sorted(set(decision) - {"decisionType", key})
    if others:
        raise ValidationError(
            f"{path} is a {kind} decision, which takes only {key!r}, not {', '.join(map(repr, others))}",
            field=path,
        )
    attributes = decision.get(key)
    shape = attributes_shape(kind)
    if attributes is None:
        if shape.required_members:
            raise ValidationError(f"{path}.{key} is required for a {kind} decision", field=f"{path}.{key}")
    elif not isinstance(attributes, Mapping):
        raise ValidationError(
            f"{path}.{key} must be a dict, got {type(attributes).__name__}", field=f"{path}.{key}"
        )
    else:
        check_present(shape, attributes, f"{path}.{key}.", lambda field: field)
    check = _length_check()
    if check is not None:
        check(decision, path)
    # Then every rule the Decision classes check (types, unknown attributes, SWF's naming rules),
    # so a dictionary is held to exactly what the same decision made as an object would be.
    try:
        from_swf(decision)
    except ValidationError as err:
        raise ValidationError(f"{path}: {err}", field=f"{path}.{err.field}" if err.field else path) from None
    return dict(decision)


def _check_close(decisions: list[dict[str, Any]]) -> None:
    closing = [index for index, item in enumerate(decisions) if item["decisionType"] in CLOSE_DECISION_TYPES]
    if len(closing) > 1:
        first, second = closing[0], closing[1]
        raise ValidationError(
            f"decisions[{first}] ({decisions[first]['decisionType']}) and decisions[{second}] "
            f"({decisions[second]['decisionType']}) both close the workflow execution; "
            "a decision list may close it once",
            field=f"decisions[{second}]",
        )
    if closing and closing[0] != len(decisions) - 1:
        index = closing[0]
        after = len(decisions) - 1 - index
        raise ValidationError(
            f"decisions[{index}] ({decisions[index]['decisionType']}) closes the workflow execution "
            f"and must be the last decision, but {after} more follow it",
            field=f"decisions[{index}]",
        )


def from_swf(decision: Mapping[str, Any]) -> Decision:
    """The :class:`~aioswf.decisions.Decision` for one of SWF's decision dictionaries.

    The inverse of :meth:`~aioswf.decisions.Decision.to_swf`: ``from_swf(d.to_swf()) == d``.
    The result is validated like any decision; an unknown ``decisionType`` or attribute raises
    :class:`~aioswf.exceptions.ValidationError`.
    """
    if not isinstance(decision, Mapping):
        raise ValidationError(f"a decision is a dict in SWF's shape, got {type(decision).__name__}")
    kind = decision.get("decisionType")
    cls = _CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValidationError(f"{kind!r} is not an SWF decision type", field="decisionType")
    key = attributes_key(cls.decision_type)
    others = sorted(set(decision) - {"decisionType", key})
    if others:
        raise ValidationError(f"a {kind} decision takes only {key!r}, not {others}", field=others[0])
    members = attributes_shape(cls.decision_type).members
    arguments: dict[str, Any] = {}
    for name, value in (decision.get(key) or {}).items():
        if name not in members:
            raise ValidationError(f"{name!r} is not an attribute of a {kind} decision", field=name)
        arguments[snake_path(name)] = _argument(name, value)
    missing = sorted(set(attributes_shape(cls.decision_type).required_members) - set(decision.get(key) or {}))
    if missing:
        raise ValidationError(f"a {kind} decision needs {', '.join(missing)}", field=missing[0])
    return cls(**arguments)


def _argument(name: str, value: Any) -> Any:
    """One of SWF's attribute values as the decision's keyword argument."""
    if name in ("activityType", "workflowType") and isinstance(value, Mapping):
        return (value.get("name"), value.get("version"))
    if name == "taskList" and isinstance(value, Mapping):
        return value.get("name")
    if name == "taskPriority" and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if name.endswith("Timeout") and isinstance(value, str) and value.isdigit():
        return int(value)
    return value
