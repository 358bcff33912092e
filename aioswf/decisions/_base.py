"""What every decision shares: SWF's model it is checked against, and the field conversions.

A decision checks itself once, when it is made, against botocore's SWF model: the attributes it
would send must have every required member, no string shorter than its minimum and none longer
than its maximum (the same model-driven checker :mod:`aioswf._limits` runs on every request).
The rules the model cannot express, SWF's naming rules for ids and task lists, are checked here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar, Final, Literal

from botocore.loaders import Loader
from botocore.model import ServiceModel, Shape, StructureShape

from .._durations import seconds_to_swf
from .._limits import _compile
from ..constants import CHILD_POLICIES
from ..exceptions import ValidationError
from ..models import ActivityType, WorkflowType

#: What SWF accepts for an optional timeout: a ``timedelta`` or whole seconds, ``"NONE"`` for no
#: limit at all, and ``None`` (the default) to leave it out, so the type's registered default applies.
Timeout = timedelta | int | Literal["NONE"] | None

#: SWF's spelling of "no limit" for a timeout.
NO_LIMIT: Final = "NONE"

_MIN_PRIORITY, _MAX_PRIORITY = -(2**31), 2**31 - 1
_FORBIDDEN = re.compile(r"[:/|\u0000-\u001f\u007f-\u009f]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@functools.cache
def swf_model() -> ServiceModel:
    """botocore's SWF service model, loaded from botocore's own data once per process."""
    return ServiceModel(Loader().load_service_model("swf", "service-2"), "swf")


def attributes_key(decision_type: str) -> str:
    """``"ScheduleActivityTask"`` -> ``"scheduleActivityTaskDecisionAttributes"``."""
    return decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"


@functools.cache
def attributes_shape(decision_type: str) -> StructureShape:
    return swf_model().shape_for("Decision").members[attributes_key(decision_type)]


@functools.cache
def _length_check(decision_type: str) -> Any:
    return _compile(attributes_shape(decision_type))


def snake_path(path: str) -> str:
    """SWF's ``"activityType.name"`` -> ``"activity_type.name"``; ``"taskList.name"`` -> ``"task_list"``
    (a task list is given by its name)."""
    snake = ".".join(_CAMEL.sub("_", part).lower() for part in path.split("."))
    return snake.removesuffix(".name") if snake.endswith("task_list.name") else snake


class Decision:
    """One of SWF's 13 decisions. :meth:`to_swf` gives the dictionary SWF expects.

    Decisions are frozen and validated when made: a decision that exists can be sent.
    """

    __slots__ = ()

    #: SWF's ``decisionType``.
    decision_type: ClassVar[str]
    #: Whether this decision closes the workflow execution (it must then be the last one).
    closes_workflow: ClassVar[bool] = False

    def _attributes(self) -> dict[str, Any]:  # pragma: no cover - every decision defines it
        raise NotImplementedError

    def to_swf(self) -> dict[str, Any]:
        """``{"decisionType": ..., "<type>DecisionAttributes": {...}}``, unset options left out."""
        return {"decisionType": self.decision_type, attributes_key(self.decision_type): self._attributes()}

    def _validate(self) -> None:
        """Check the attributes against the model; called last by every ``__post_init__``."""
        attributes = self._attributes()
        name = type(self).__name__
        check_present(attributes_shape(self.decision_type), attributes, "", snake_path, f"{name}.")
        check = _length_check(self.decision_type)
        if check is None:
            return
        try:
            check(attributes, "")
        except ValidationError as err:
            assert err.field is not None
            field = snake_path(err.field)
            message = str(err).replace(err.field, f"{name}.{field}", 1)
            raise ValidationError(message, field=field, size=err.size, limit=err.limit) from None


def check_present(
    shape: StructureShape,
    value: Mapping[str, Any],
    path: str,
    field_of: Callable[[str], str],
    prefix: str = "",
) -> None:
    """Required members present and strings not shorter than the model's ``min``, recursively.

    ``field_of`` turns SWF's dotted path into the field to report; ``prefix`` starts the message.
    """
    for member in shape.required_members:
        if value.get(member) is None:
            field = field_of(path + member)
            raise ValidationError(f"{prefix}{field} is required", field=field)
    for member, member_shape in shape.members.items():
        item = value.get(member)
        if item is None:
            continue
        if isinstance(member_shape, StructureShape) and isinstance(item, Mapping):
            check_present(member_shape, item, f"{path}{member}.", field_of, prefix)
        elif _too_short(member_shape, item):
            field = field_of(path + member)
            minimum = member_shape.metadata["min"]
            raise ValidationError(
                f"{prefix}{field} must be at least {minimum} characters long, got {len(item)}",
                field=field,
                size=len(item),
            )


def _too_short(shape: Shape, value: Any) -> bool:
    minimum = shape.metadata.get("min")
    if shape.type_name != "string" or minimum is None or not isinstance(value, str):
        return False
    return len(value) < int(minimum)


# --- field conversions, each naming the field it checks ---------------------------------------------


def text(value: Any, field: str) -> str | None:
    """An optional string payload (input, result, details, control, reason): ``str`` or ``None``."""
    if value is None or isinstance(value, str):
        return value
    raise ValidationError(
        f"{field} must be a str or None, got {type(value).__name__}; encode values with "
        "aioswf.payloads (JSONConverter().encode(value)) first",
        field=field,
    )


def string(value: Any, field: str) -> str:
    """A required, non-empty string."""
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{field} must be a non-empty str, got {value!r}", field=field)
    return value


def identifier(value: Any, field: str) -> str:
    """An id SWF restricts: no ``:`` ``/`` ``|`` or control characters, not the literal ``arn``."""
    name = string(value, field)
    bad = _FORBIDDEN.search(name)
    if bad is not None:
        raise ValidationError(
            f"{field} must not contain {bad.group()!r} (SWF forbids ':', '/', '|' and control "
            f"characters), got {name!r}",
            field=field,
        )
    if name == "arn":
        raise ValidationError(f"{field} must not be the literal string 'arn'", field=field)
    return name


def task_list(value: Any, field: str = "task_list") -> str | None:
    """An optional task-list name: an :func:`identifier` without leading or trailing whitespace."""
    if value is None:
        return None
    name = identifier(value, field)
    if name != name.strip():
        raise ValidationError(f"{field} must not start or end with whitespace, got {name!r}", field=field)
    return name


def type_ref(value: Any, model: type[ActivityType | WorkflowType], field: str) -> tuple[str, str]:
    """An :class:`ActivityType`/:class:`WorkflowType`, a ``(name, version)`` pair or SWF's
    ``{"name": ..., "version": ...}``, as ``(name, version)``."""
    if isinstance(value, model):
        return value.name, value.version
    if isinstance(value, Mapping) and set(value) == {"name", "version"}:
        pair: Any = (value["name"], value["version"])
    elif isinstance(value, tuple | list) and len(value) == 2:
        pair = tuple(value)
    else:
        raise ValidationError(
            f"{field} must be a {model.__name__} or a (name, version) pair, got {value!r}", field=field
        )
    return string(pair[0], f"{field}.name"), string(pair[1], f"{field}.version")


def timeout(value: Any, field: str, *, optional: bool = True) -> timedelta | Literal["NONE"] | None:
    """A :data:`Timeout`, kept as a ``timedelta`` (or ``"NONE"``, or ``None`` when left out)."""
    if value is None and optional:
        return None
    if value == NO_LIMIT and optional:
        return NO_LIMIT
    if value is None or isinstance(value, str):
        wanted = "a timedelta, whole seconds, 'NONE' or None" if optional else "a timedelta or whole seconds"
        raise ValidationError(f"{field} must be {wanted}, got {value!r}", field=field)
    return timedelta(seconds=int(seconds_to_swf(value, field)))


def timeout_to_swf(value: Timeout) -> str | None:
    """A :data:`Timeout` the way SWF sends it: ``"300"``, ``"NONE"``, or ``None`` (left out)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, timedelta):
        return str(int(value.total_seconds()))
    return str(value)


def priority(value: Any, field: str = "task_priority") -> int | None:
    """SWF's task priority: a Java ``int`` (higher is more urgent), sent as a string."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not _MIN_PRIORITY <= value <= _MAX_PRIORITY:
        raise ValidationError(
            f"{field} must be an int from {_MIN_PRIORITY} to {_MAX_PRIORITY}, got {value!r}", field=field
        )
    return value


def child_policy(value: Any, field: str = "child_policy") -> str | None:
    if value is None or value in CHILD_POLICIES:
        return value  # type: ignore[no-any-return]
    raise ValidationError(
        f"{field} must be one of {', '.join(CHILD_POLICIES)} or None, got {value!r}", field=field
    )


def tags(value: Any, field: str = "tag_list") -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError(f"{field} must be a sequence of str, got {value!r}", field=field)
    return tuple(string(tag, f"{field}[{index}]") for index, tag in enumerate(value))


def put(attributes: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is ``None``: SWF never gets a ``null``."""
    if value is not None:
        attributes[key] = value


def kind(pair: tuple[str, str]) -> dict[str, str]:
    return {"name": pair[0], "version": pair[1]}
