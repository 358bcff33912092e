"""Registered types: what workflow and activity types share (a name and version in a domain, a
registration status and dates, the Register/Describe/Deprecate/Undeprecate calls named after their
kind), and ActivityType, which is no more than that and its default timeouts.

WorkflowType, which also starts executions, lives in ``_workflow_type``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from .._connection import Connection
from .._durations import seconds_from_swf, seconds_to_swf
from ..constants import REGISTERED, REGISTRATION_STATUSES
from ..exceptions import ValidationError
from ._base import (
    Model,
    check_name,
    check_timestamp,
    connection_of,
    forget,
    inherit_connection,
    timestamp_from_swf,
    tolerate,
    tracks_given,
)
from ._domain import Domain

__all__ = ["ActivityType", "RegisteredType"]

#: SWF's task priorities: whole numbers in Java's int range, sent as strings.
MIN_PRIORITY, MAX_PRIORITY = -(2**31), 2**31 - 1


def as_domain(value: Domain | str) -> Domain:
    if isinstance(value, Domain):
        return value
    if isinstance(value, str):
        return Domain(value)
    raise ValidationError(
        f"domain must be a Domain or a domain name, got {type(value).__name__}", field="domain"
    )


def task_list_param(name: str | None) -> dict[str, str] | None:
    return {"name": name} if name is not None else None


def task_list_name(value: Mapping[str, Any] | None) -> str | None:
    return None if not value else value.get("name")


def put(params: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        params[key] = value


def check_priority(value: Any, field: str = "task_priority") -> int | None:
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not MIN_PRIORITY <= value <= MAX_PRIORITY
    ):
        raise ValidationError(
            f"{field} must be a whole number from {MIN_PRIORITY} to {MAX_PRIORITY}, got {value!r}",
            field=field,
        )
    return value


def priority_to_swf(value: int | None) -> str | None:
    return None if value is None else str(value)


def priority_from_swf(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def as_timedelta(value: Any, field: str) -> timedelta | None:
    """Accept whole seconds as an ``int`` too; store a ``timedelta``."""
    if value is None or isinstance(value, timedelta):
        if value is not None:
            seconds_to_swf(value, field)  # validates: whole, non-negative
        return value
    return timedelta(seconds=int(seconds_to_swf(value, field)))


class RegisteredType(Model):
    """The behaviour of :class:`WorkflowType` and :class:`ActivityType`; each subclass is a
    frozen dataclass that names its SWF kind and how its configuration reads and writes."""

    #: SWF's name for the kind: ``"WorkflowType"`` or ``"ActivityType"``.
    _kind: ClassVar[str]
    #: The attributes that come from (and go to) the type's ``configuration``.
    _configured: ClassVar[tuple[str, ...]]
    _identity = ("domain", "name", "version")
    _always_known = ("status",)

    domain: Domain
    name: str
    version: str
    status: str
    description: str | None
    creation_date: datetime | None
    deprecation_date: datetime | None
    connection: Connection | None

    def _check_common(self) -> None:
        object.__setattr__(self, "domain", as_domain(self.domain))
        check_name(self.name, "name")
        check_name(self.version, "version")
        if self.status not in REGISTRATION_STATUSES:
            raise ValidationError(
                f"status must be one of {', '.join(REGISTRATION_STATUSES)}, got {self.status!r}",
                field="status",
            )
        if self.description is not None and not isinstance(self.description, str):
            raise ValidationError(f"description must be a str, got {self.description!r}", field="description")
        for name in ("creation_date", "deprecation_date"):
            object.__setattr__(self, name, check_timestamp(getattr(self, name), name))
        inherit_connection(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.version!r})"

    @property
    def key(self) -> dict[str, str]:
        """The ``{"name": ..., "version": ...}`` that SWF uses to name this type."""
        return {"name": self.name, "version": self.version}

    @property
    def _key_param(self) -> str:
        return self._kind[0].lower() + self._kind[1:]  # "workflowType", "activityType"

    def _configuration(self) -> dict[str, Any]:  # pragma: no cover - every kind defines it
        """The Register call's parameters besides the domain, name and version."""
        raise NotImplementedError

    @classmethod
    def _from_configuration(cls, config: Mapping[str, Any]) -> dict[str, Any]:  # pragma: no cover
        """Constructor arguments from SWF's ``configuration``."""
        raise NotImplementedError

    @classmethod
    def from_swf(
        cls,
        domain: Domain,
        info: Mapping[str, Any],
        configuration: Mapping[str, Any] | None = None,
        *,
        connection: Connection | None = None,
    ) -> Self:
        """A type from SWF's ``typeInfo`` and, when it was described, its ``configuration``.

        List calls return no configuration: a type built from a listing has its configuration
        attributes at ``None`` and unknown (:meth:`upstream` fetches them).
        """
        kind = info[cls._kind[0].lower() + cls._kind[1:]]
        configured = cls._from_configuration(configuration or {})
        built = cls(  # type: ignore[call-arg]
            domain,
            kind["name"],
            kind["version"],
            status=info.get("status", REGISTERED),
            description=info.get("description"),
            creation_date=timestamp_from_swf(info.get("creationDate")),
            deprecation_date=timestamp_from_swf(info.get("deprecationDate")),
            connection=connection,
            **configured,
        )
        return built if configuration is not None else forget(built, *cls._configured)

    async def save(self) -> Self:
        """Register the type. :class:`AlreadyExistsError` if this name and version exist.

        Returns the type as registered: it knows every attribute it sent, so its
        :meth:`changes` compare them all.
        """
        params = {"domain": self.domain.name, **self.key, **self._configuration()}
        if self.description is not None:
            params["description"] = self.description
        await connection_of(self).call(f"Register{self._kind}", params)
        return self._knowing("description", *self._configured)

    async def upstream(self) -> Self:
        """A new instance built from what SWF has now. :class:`DoesNotExistError` if absent."""
        answer = await connection_of(self).call(
            f"Describe{self._kind}", {"domain": self.domain.name, self._key_param: self.key}
        )
        return self.from_swf(
            self.domain, answer["typeInfo"], answer.get("configuration", {}), connection=self.connection
        )

    async def delete(self) -> None:
        """Deprecate the type: no new executions or tasks of it can start. Deprecating a
        deprecated type is not an error (it is in the state asked for)."""
        call = connection_of(self).call
        params = {"domain": self.domain.name, self._key_param: self.key}
        await tolerate(lambda: call(f"Deprecate{self._kind}", params), "TypeDeprecatedFault")

    async def undeprecate(self) -> None:
        """Make a deprecated type registered again; a registered one stays as it is."""
        call = connection_of(self).call
        params = {"domain": self.domain.name, self._key_param: self.key}
        await tolerate(lambda: call(f"Undeprecate{self._kind}", params), "TypeAlreadyExistsFault")


#: The default timeouts: attribute, and SWF's name for it in a type's configuration.
TIMEOUTS = (
    ("task_heartbeat_timeout", "defaultTaskHeartbeatTimeout"),
    ("task_schedule_to_close_timeout", "defaultTaskScheduleToCloseTimeout"),
    ("task_schedule_to_start_timeout", "defaultTaskScheduleToStartTimeout"),
    ("task_start_to_close_timeout", "defaultTaskStartToCloseTimeout"),
)


@tracks_given
@dataclass(frozen=True, repr=False)
class ActivityType(RegisteredType):
    """An activity type. Its timeouts, task list and priority are defaults for the tasks
    scheduled of it (``None``: no default, or ``"NONE"`` for a timeout).

    ``creation_date`` and ``deprecation_date`` are SWF's (aware datetimes, UTC), known once SWF
    reported them; ``==`` leaves them out.
    """

    domain: Domain
    name: str
    version: str
    status: str = REGISTERED
    description: str | None = None
    task_list: str | None = None
    task_heartbeat_timeout: timedelta | None = None
    task_schedule_to_close_timeout: timedelta | None = None
    task_schedule_to_start_timeout: timedelta | None = None
    task_start_to_close_timeout: timedelta | None = None
    task_priority: int | None = None
    creation_date: datetime | None = field(default=None, compare=False, kw_only=True)
    deprecation_date: datetime | None = field(default=None, compare=False, kw_only=True)
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    _kind = "ActivityType"
    _configured = ("task_list", *(attribute for attribute, _ in TIMEOUTS), "task_priority")
    _compared = ("status", "description", *_configured, "creation_date", "deprecation_date")

    def __post_init__(self) -> None:
        self._check_common()
        check_priority(self.task_priority)
        for attribute, _ in TIMEOUTS:
            object.__setattr__(self, attribute, as_timedelta(getattr(self, attribute), attribute))
        if self.task_list is not None:
            check_name(self.task_list, "task_list")

    def _configuration(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            swf_name: seconds_to_swf(getattr(self, attribute), attribute) for attribute, swf_name in TIMEOUTS
        }
        put(params, "defaultTaskList", task_list_param(self.task_list))
        put(params, "defaultTaskPriority", priority_to_swf(self.task_priority))
        return params

    @classmethod
    def _from_configuration(cls, config: Mapping[str, Any]) -> dict[str, Any]:
        timeouts = {attribute: seconds_from_swf(config.get(swf_name)) for attribute, swf_name in TIMEOUTS}
        return {
            "task_list": task_list_name(config.get("defaultTaskList")),
            "task_priority": priority_from_swf(config.get("defaultTaskPriority")),
            **timeouts,
        }
