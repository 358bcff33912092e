"""WorkflowType: a named, versioned kind of workflow, and the starting of its executions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .._connection import Connection
from .._durations import Duration, seconds_from_swf, seconds_to_swf
from ..constants import CHILD_POLICIES, OPEN, REGISTERED, TERMINATE
from ..exceptions import ValidationError
from ._base import check_name, connection_of, tracks_given
from ._domain import Domain
from ._types import (
    RegisteredType,
    as_timedelta,
    check_priority,
    priority_from_swf,
    priority_to_swf,
    put,
    task_list_name,
    task_list_param,
)

if TYPE_CHECKING:
    from ._execution import WorkflowExecution

__all__ = ["WorkflowType"]


def check_child_policy(value: Any, field: str = "child_policy") -> None:
    if value is not None and value not in CHILD_POLICIES:
        raise ValidationError(
            f"{field} must be one of {', '.join(CHILD_POLICIES)}, got {value!r}", field=field
        )


@tracks_given
@dataclass(frozen=True, repr=False)
class WorkflowType(RegisteredType):
    """A workflow type. The timeouts, task list, priority, child policy and Lambda role are the
    defaults of its executions (``None``: no default, or ``"NONE"`` for a timeout).

    ``creation_date`` and ``deprecation_date`` are SWF's (aware datetimes, UTC), known once SWF
    reported them; ``==`` leaves them out.
    """

    domain: Domain
    name: str
    version: str
    status: str = REGISTERED
    task_list: str | None = None
    child_policy: str | None = TERMINATE
    execution_timeout: timedelta | None = timedelta(days=365)
    decision_tasks_timeout: timedelta | None = timedelta(seconds=300)
    description: str | None = None
    task_priority: int | None = None
    lambda_role: str | None = None
    creation_date: datetime | None = field(default=None, compare=False, kw_only=True)
    deprecation_date: datetime | None = field(default=None, compare=False, kw_only=True)
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    _kind = "WorkflowType"
    _configured = (
        "task_list",
        "child_policy",
        "execution_timeout",
        "decision_tasks_timeout",
        "task_priority",
        "lambda_role",
    )
    _compared = ("status", "description", *_configured, "creation_date", "deprecation_date")

    def __post_init__(self) -> None:
        self._check_common()
        check_child_policy(self.child_policy)
        check_priority(self.task_priority)
        for name in ("execution_timeout", "decision_tasks_timeout"):
            object.__setattr__(self, name, as_timedelta(getattr(self, name), name))
        if self.task_list is not None:
            check_name(self.task_list, "task_list")
        if self.lambda_role is not None:
            check_name(self.lambda_role, "lambda_role")

    def _configuration(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "defaultExecutionStartToCloseTimeout": seconds_to_swf(
                self.execution_timeout, "execution_timeout"
            ),
            "defaultTaskStartToCloseTimeout": seconds_to_swf(
                self.decision_tasks_timeout, "decision_tasks_timeout"
            ),
        }
        put(params, "defaultChildPolicy", self.child_policy)
        put(params, "defaultTaskList", task_list_param(self.task_list))
        put(params, "defaultTaskPriority", priority_to_swf(self.task_priority))
        put(params, "defaultLambdaRole", self.lambda_role)
        return params

    @classmethod
    def _from_configuration(cls, config: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "task_list": task_list_name(config.get("defaultTaskList")),
            "child_policy": config.get("defaultChildPolicy"),
            "execution_timeout": seconds_from_swf(config.get("defaultExecutionStartToCloseTimeout")),
            "decision_tasks_timeout": seconds_from_swf(config.get("defaultTaskStartToCloseTimeout")),
            "task_priority": priority_from_swf(config.get("defaultTaskPriority")),
            "lambda_role": config.get("defaultLambdaRole"),
        }

    async def start_execution(
        self,
        workflow_id: str,
        input: str | None = None,  # noqa: A002 - SWF's name for it
        *,
        task_list: str | None = None,
        tag_list: list[str] | tuple[str, ...] | None = None,
        execution_timeout: Duration = None,
        decision_tasks_timeout: Duration = None,
        child_policy: str | None = None,
        task_priority: int | None = None,
        lambda_role: str | None = None,
    ) -> WorkflowExecution:
        """Start an execution of this type. Unset arguments take the type's defaults.

        ``input`` is sent as it is (a ``None`` input is left out, never sent as ``"null"``).
        The execution returned is open and knows its ids, type, input and tags, and the
        settings given here; :meth:`WorkflowExecution.upstream` fetches the rest.
        """
        from ._execution import WorkflowExecution

        check_name(workflow_id, "workflow_id")
        from ..decisions._base import identifier  # decisions import the models: import it here

        identifier(workflow_id, "workflow_id")  # SWF's rules: no ':', '/', '|', control characters
        if input is not None and not isinstance(input, str):
            raise ValidationError(
                f"input must be a str (see aioswf.payloads to encode values), got {type(input).__name__}",
                field="input",
            )
        if tag_list is not None and (
            isinstance(tag_list, str) or not all(isinstance(tag, str) for tag in tag_list)
        ):
            raise ValidationError(f"tag_list must be a list of strings, got {tag_list!r}", field="tag_list")
        check_child_policy(child_policy)
        check_priority(task_priority)
        if task_list is not None:
            check_name(task_list, "task_list")
        params: dict[str, Any] = {
            "domain": self.domain.name,
            "workflowId": workflow_id,
            "workflowType": self.key,
        }
        put(params, "input", input)
        put(params, "taskList", task_list_param(task_list))
        put(params, "tagList", list(tag_list) if tag_list is not None else None)
        # Given settings, for the execution returned to know (it knows exactly what it was given).
        settings: dict[str, Any] = {}
        if execution_timeout is not None:
            params["executionStartToCloseTimeout"] = seconds_to_swf(execution_timeout, "execution_timeout")
            settings["execution_timeout"] = as_timedelta(execution_timeout, "execution_timeout")
        if decision_tasks_timeout is not None:
            params["taskStartToCloseTimeout"] = seconds_to_swf(
                decision_tasks_timeout, "decision_tasks_timeout"
            )
            settings["decision_tasks_timeout"] = as_timedelta(
                decision_tasks_timeout, "decision_tasks_timeout"
            )
        put(params, "childPolicy", child_policy)
        put(params, "taskPriority", priority_to_swf(task_priority))
        put(params, "lambdaRole", lambda_role)
        for name, value in (
            ("task_list", task_list),
            ("child_policy", child_policy),
            ("task_priority", task_priority),
            ("lambda_role", lambda_role),
        ):
            if value is not None:
                settings[name] = value
        answer = await connection_of(self).call("StartWorkflowExecution", params)
        return WorkflowExecution(
            self.domain,
            workflow_id,
            answer["runId"],
            workflow_type=self,
            status=OPEN,
            tag_list=tuple(tag_list or ()),
            input=input,
            connection=self.connection,
            **settings,
        )
