"""WorkflowType and ActivityType: named, versioned kinds of work registered in a domain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from .._connection import Connection
from .._durations import Duration, seconds_from_swf, seconds_to_swf
from ..constants import CHILD_POLICIES, REGISTERED, TERMINATE
from ..exceptions import ValidationError
from ._base import Model, check_name, connection_of, inherit_connection
from ._domain import Domain

if TYPE_CHECKING:
    from ._execution import WorkflowExecution

__all__ = ["ActivityType", "WorkflowType"]


def _domain(value: Domain | str) -> Domain:
    if isinstance(value, Domain):
        return value
    if isinstance(value, str):
        return Domain(value)
    raise ValidationError(
        f"domain must be a Domain or a domain name, got {type(value).__name__}", field="domain"
    )


def _task_list(name: str | None) -> dict[str, str] | None:
    return {"name": name} if name is not None else None


def _put(params: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        params[key] = value


@dataclass(frozen=True, repr=False)
class WorkflowType(Model):
    """A workflow type. The timeouts and the task list are defaults for its executions."""

    domain: Domain
    name: str
    version: str
    status: str = REGISTERED
    task_list: str | None = None
    child_policy: str = TERMINATE
    execution_timeout: timedelta | None = timedelta(days=365)
    decision_tasks_timeout: timedelta | None = timedelta(seconds=300)
    description: str | None = None
    task_priority: int | None = None
    lambda_role: str | None = None
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "domain", _domain(self.domain))
        check_name(self.name, "name")
        check_name(self.version, "version")
        if self.child_policy not in CHILD_POLICIES:
            raise ValidationError(
                f"child_policy must be one of {', '.join(CHILD_POLICIES)}, got {self.child_policy!r}",
                field="child_policy",
            )
        object.__setattr__(
            self, "execution_timeout", _as_timedelta(self.execution_timeout, "execution_timeout")
        )
        object.__setattr__(
            self,
            "decision_tasks_timeout",
            _as_timedelta(self.decision_tasks_timeout, "decision_tasks_timeout"),
        )
        inherit_connection(self)

    def __repr__(self) -> str:
        return f"WorkflowType({self.name!r}, {self.version!r})"

    @property
    def key(self) -> dict[str, str]:
        """The ``{"name": ..., "version": ...}`` that SWF uses to name this type."""
        return {"name": self.name, "version": self.version}

    async def save(self) -> WorkflowType:
        """Register the type. :class:`AlreadyExistsError` if this name and version exist."""
        params: dict[str, Any] = {
            "domain": self.domain.name,
            **self.key,
            "defaultChildPolicy": self.child_policy,
            "defaultExecutionStartToCloseTimeout": seconds_to_swf(
                self.execution_timeout, "execution_timeout"
            ),
            "defaultTaskStartToCloseTimeout": seconds_to_swf(
                self.decision_tasks_timeout, "decision_tasks_timeout"
            ),
        }
        _put(params, "defaultTaskList", _task_list(self.task_list))
        _put(params, "description", self.description)
        _put(params, "defaultTaskPriority", None if self.task_priority is None else str(self.task_priority))
        _put(params, "defaultLambdaRole", self.lambda_role)
        await connection_of(self).call("RegisterWorkflowType", params)
        return self

    async def upstream(self) -> WorkflowType:
        answer = await connection_of(self).call(
            "DescribeWorkflowType", {"domain": self.domain.name, "workflowType": self.key}
        )
        info, config = answer["typeInfo"], answer.get("configuration", {})
        priority = config.get("defaultTaskPriority")
        return WorkflowType(
            self.domain,
            info["workflowType"]["name"],
            info["workflowType"]["version"],
            status=info.get("status", REGISTERED),
            task_list=(config.get("defaultTaskList") or {}).get("name"),
            child_policy=config.get("defaultChildPolicy", TERMINATE),
            execution_timeout=seconds_from_swf(config.get("defaultExecutionStartToCloseTimeout")),
            decision_tasks_timeout=seconds_from_swf(config.get("defaultTaskStartToCloseTimeout")),
            description=info.get("description"),
            task_priority=int(priority) if priority is not None else None,
            lambda_role=config.get("defaultLambdaRole"),
            connection=self.connection,
        )

    async def start_execution(
        self,
        workflow_id: str,
        input: str | None = None,  # noqa: A002 - SWF's name for it
        *,
        task_list: str | None = None,
        tag_list: list[str] | None = None,
        execution_timeout: Duration = None,
        decision_tasks_timeout: Duration = None,
        child_policy: str | None = None,
        task_priority: int | None = None,
    ) -> WorkflowExecution:
        """Start an execution of this type. Unset arguments take the type's defaults.

        ``input`` is sent as it is (a ``None`` input is left out, never sent as ``"null"``).
        """
        from ._execution import WorkflowExecution

        check_name(workflow_id, "workflow_id")
        if input is not None and not isinstance(input, str):
            raise ValidationError(
                f"input must be a str (see aioswf.payloads to encode values), got {type(input).__name__}",
                field="input",
            )
        if tag_list is not None and (
            isinstance(tag_list, str) or not all(isinstance(tag, str) for tag in tag_list)
        ):
            raise ValidationError(f"tag_list must be a list of strings, got {tag_list!r}", field="tag_list")
        if child_policy is not None and child_policy not in CHILD_POLICIES:
            raise ValidationError(
                f"child_policy must be one of {', '.join(CHILD_POLICIES)}, got {child_policy!r}",
                field="child_policy",
            )
        _check_priority(task_priority)
        params: dict[str, Any] = {
            "domain": self.domain.name,
            "workflowId": workflow_id,
            "workflowType": self.key,
        }
        _put(params, "input", input)
        _put(params, "taskList", _task_list(task_list))
        _put(params, "tagList", list(tag_list) if tag_list is not None else None)
        if execution_timeout is not None:
            params["executionStartToCloseTimeout"] = seconds_to_swf(execution_timeout, "execution_timeout")
        if decision_tasks_timeout is not None:
            params["taskStartToCloseTimeout"] = seconds_to_swf(
                decision_tasks_timeout, "decision_tasks_timeout"
            )
        _put(params, "childPolicy", child_policy)
        _put(params, "taskPriority", None if task_priority is None else str(task_priority))
        answer = await connection_of(self).call("StartWorkflowExecution", params)
        return WorkflowExecution(
            self.domain, workflow_id, answer["runId"], workflow_type=self, connection=self.connection
        )


@dataclass(frozen=True, repr=False)
class ActivityType(Model):
    """An activity type. Its timeouts and task list are defaults for the tasks scheduled of it."""

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
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    _TIMEOUTS = (
        ("task_heartbeat_timeout", "defaultTaskHeartbeatTimeout"),
        ("task_schedule_to_close_timeout", "defaultTaskScheduleToCloseTimeout"),
        ("task_schedule_to_start_timeout", "defaultTaskScheduleToStartTimeout"),
        ("task_start_to_close_timeout", "defaultTaskStartToCloseTimeout"),
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "domain", _domain(self.domain))
        check_name(self.name, "name")
        check_name(self.version, "version")
        for attribute, _ in self._TIMEOUTS:
            object.__setattr__(self, attribute, _as_timedelta(getattr(self, attribute), attribute))
        inherit_connection(self)

    def __repr__(self) -> str:
        return f"ActivityType({self.name!r}, {self.version!r})"

    @property
    def key(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}

    async def save(self) -> ActivityType:
        """Register the type. :class:`AlreadyExistsError` if this name and version exist."""
        params: dict[str, Any] = {"domain": self.domain.name, **self.key}
        for attribute, swf_name in self._TIMEOUTS:
            params[swf_name] = seconds_to_swf(getattr(self, attribute), attribute)
        _put(params, "defaultTaskList", _task_list(self.task_list))
        _put(params, "description", self.description)
        _put(params, "defaultTaskPriority", None if self.task_priority is None else str(self.task_priority))
        await connection_of(self).call("RegisterActivityType", params)
        return self

    async def upstream(self) -> ActivityType:
        answer = await connection_of(self).call(
            "DescribeActivityType", {"domain": self.domain.name, "activityType": self.key}
        )
        info, config = answer["typeInfo"], answer.get("configuration", {})
        priority = config.get("defaultTaskPriority")
        timeouts = {
            attribute: seconds_from_swf(config.get(swf_name)) for attribute, swf_name in self._TIMEOUTS
        }
        return ActivityType(
            self.domain,
            info["activityType"]["name"],
            info["activityType"]["version"],
            status=info.get("status", REGISTERED),
            description=info.get("description"),
            task_list=(config.get("defaultTaskList") or {}).get("name"),
            task_priority=int(priority) if priority is not None else None,
            connection=self.connection,
            **timeouts,
        )


def _check_priority(value: Any) -> None:
    # SWF takes priorities from -2147483648 to 2147483647, sent as strings.
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**31):
        raise ValidationError(f"task_priority must be a whole number, got {value!r}", field="task_priority")


def _as_timedelta(value: Any, field: str) -> timedelta | None:
    """Accept whole seconds as an ``int`` too; store a ``timedelta``."""
    if value is None or isinstance(value, timedelta):
        if value is not None:
            seconds_to_swf(value, field)  # validates: whole, non-negative
        return value
    return timedelta(seconds=int(seconds_to_swf(value, field)))
