"""What every event shares, the small references events carry, and the event of an unknown type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

__all__ = ["Event", "ExecutionRef", "TypeRef", "UnknownEvent"]


@dataclass(frozen=True, slots=True)
class TypeRef:
    """An activity or workflow type as an event names it: SWF's ``{"name": ..., "version": ...}``.

    Events do not say which domain a type lives in, so they carry this instead of the models'
    :class:`~aioswf.models.ActivityType` and :class:`~aioswf.models.WorkflowType`. ``key`` is the
    same dictionary as the models' ``key``.
    """

    name: str
    version: str

    @property
    def key(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


@dataclass(frozen=True, slots=True)
class ExecutionRef:
    """A workflow execution as an event names it: SWF's ``{"workflowId": ..., "runId": ...}``."""

    workflow_id: str
    run_id: str

    @property
    def key(self) -> dict[str, str]:
        return {"workflowId": self.workflow_id, "runId": self.run_id}


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One event of a workflow execution's history.

    Every SWF event type has a subclass named as SWF names the type, whose ``event_type`` is that
    name. ``timestamp`` is timezone-aware (as botocore gives it; epoch seconds become UTC).

    The attributes are SWF's, in snake_case: durations are :class:`~datetime.timedelta` (``None``
    for ``"NONE"``), task lists their name, ``taskPriority`` an ``int``, types a :class:`TypeRef`,
    executions an :class:`ExecutionRef`, tag lists tuples. A member SWF marks optional is ``None``
    when absent. A member SWF always sends reads as the empty value of its type (``""``, ``0``,
    ``()``) if a server leaves it out anyway, as moto does with empty values.
    """

    event_type: ClassVar[str]

    event_id: int
    timestamp: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownEvent(Event):
    """An event of a type this version of aioswf does not know, kept so that a decider goes on.

    ``type_name`` is the server's ``eventType``; ``attributes`` its ``...EventAttributes`` as they
    came (botocore drops the attributes of a type that is not in its model, so often ``{}``).
    """

    event_type: ClassVar[str] = "UnknownEvent"

    type_name: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
