"""WorkflowExecution: one run of a workflow type, what SWF says about it, and its history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import anyio

from .._connection import Connection
from .._durations import seconds_from_swf
from .._paging import MAX_PAGE_SIZE, pages
from ..constants import CLOSE_STATUSES, CLOSED, EXECUTION_STATUSES
from ..events import WorkflowExecutionStarted
from ..exceptions import DoesNotExistError, ValidationError
from ..history import History
from ._base import (
    Model,
    check_name,
    check_timestamp,
    connection_of,
    forget,
    inherit_connection,
    timestamp_from_swf,
    tracks_given,
)
from ._domain import Domain
from ._types import priority_from_swf, task_list_name
from ._workflow_type import WorkflowType, check_child_policy

__all__ = ["OpenCounts", "WorkflowExecution"]

#: What DescribeWorkflowExecution adds to a listing's ``executionInfo``.
_DESCRIBED = (
    "task_list",
    "child_policy",
    "execution_timeout",
    "decision_tasks_timeout",
    "task_priority",
    "lambda_role",
    "open_counts",
    "latest_activity_task_timestamp",
    "latest_execution_context",
)


@dataclass(frozen=True)
class OpenCounts:
    """What an open execution is waiting for: its open tasks, timers and child executions."""

    activity_tasks: int = 0
    decision_tasks: int = 0
    timers: int = 0
    child_workflow_executions: int = 0
    lambda_functions: int = 0

    @classmethod
    def from_swf(cls, counts: Mapping[str, Any]) -> OpenCounts:
        return cls(
            activity_tasks=int(counts.get("openActivityTasks", 0)),
            decision_tasks=int(counts.get("openDecisionTasks", 0)),
            timers=int(counts.get("openTimers", 0)),
            child_workflow_executions=int(counts.get("openChildWorkflowExecutions", 0)),
            lambda_functions=int(counts.get("openLambdaFunctions", 0)),
        )


@tracks_given
@dataclass(frozen=True, repr=False)
class WorkflowExecution(Model):
    """An execution, named by its workflow id and run id (``==`` compares only those and the
    domain). The other fields are what SWF said about it when this snapshot was taken:

    * from a listing: type, status, close status, timestamps (aware, UTC), tags, ``parent``
      and ``cancel_requested``;
    * from :meth:`upstream` (DescribeWorkflowExecution): also the settings it runs with
      (``task_list``, ``child_policy``, timeouts, ``task_priority``, ``lambda_role``),
      ``open_counts`` and the latest activity task and execution context, and ``input``, which
      SWF only keeps in the history's first event (one GetWorkflowExecutionHistory call of one
      event);
    * from ``start_execution``: ids, type, input, tags and the settings it was started with.

    Anything a snapshot was not told is ``None`` (``()`` for tags) and unknown: :meth:`changes`
    skips it. A ``run_id`` of ``None`` names the workflow id's open run, or its latest closed
    one: :meth:`upstream` looks it up.
    """

    domain: Domain
    workflow_id: str
    run_id: str | None = None
    workflow_type: WorkflowType | None = field(default=None, compare=False)
    status: str | None = field(default=None, compare=False)
    close_status: str | None = field(default=None, compare=False)
    start_timestamp: datetime | None = field(default=None, compare=False)
    close_timestamp: datetime | None = field(default=None, compare=False)
    tag_list: tuple[str, ...] = field(default=(), compare=False)
    input: str | None = field(default=None, compare=False, kw_only=True)
    cancel_requested: bool | None = field(default=None, compare=False, kw_only=True)
    parent: WorkflowExecution | None = field(default=None, compare=False, kw_only=True)
    task_list: str | None = field(default=None, compare=False, kw_only=True)
    child_policy: str | None = field(default=None, compare=False, kw_only=True)
    execution_timeout: timedelta | None = field(default=None, compare=False, kw_only=True)
    decision_tasks_timeout: timedelta | None = field(default=None, compare=False, kw_only=True)
    task_priority: int | None = field(default=None, compare=False, kw_only=True)
    lambda_role: str | None = field(default=None, compare=False, kw_only=True)
    open_counts: OpenCounts | None = field(default=None, compare=False, kw_only=True)
    latest_activity_task_timestamp: datetime | None = field(default=None, compare=False, kw_only=True)
    latest_execution_context: str | None = field(default=None, compare=False, kw_only=True)
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    _identity = ("domain", "workflow_id", "run_id")
    _compared = (
        "workflow_type",
        "status",
        "close_status",
        "start_timestamp",
        "close_timestamp",
        "tag_list",
        "input",
        "cancel_requested",
        "parent",
        *_DESCRIBED,
    )

    def __post_init__(self) -> None:
        if isinstance(self.domain, str):
            object.__setattr__(self, "domain", Domain(self.domain))
        elif not isinstance(self.domain, Domain):
            raise ValidationError(
                f"domain must be a Domain or a domain name, got {type(self.domain).__name__}", field="domain"
            )
        check_name(self.workflow_id, "workflow_id")
        if self.run_id is not None:
            check_name(self.run_id, "run_id")
        if self.status is not None and self.status not in EXECUTION_STATUSES:
            raise ValidationError(f"status must be OPEN, CLOSED or None, got {self.status!r}", field="status")
        if self.close_status is not None and self.close_status not in CLOSE_STATUSES:
            raise ValidationError(
                f"close_status must be one of {', '.join(CLOSE_STATUSES)}, got {self.close_status!r}",
                field="close_status",
            )
        if isinstance(self.tag_list, str) or not all(isinstance(tag, str) for tag in self.tag_list):
            raise ValidationError(f"tag_list must be strings, got {self.tag_list!r}", field="tag_list")
        object.__setattr__(self, "tag_list", tuple(self.tag_list))
        for name in ("start_timestamp", "close_timestamp", "latest_activity_task_timestamp"):
            object.__setattr__(self, name, check_timestamp(getattr(self, name), name))
        check_child_policy(self.child_policy)
        inherit_connection(self)

    def __repr__(self) -> str:
        run = f", {self.run_id!r}" if self.run_id else ""
        return f"WorkflowExecution({self.workflow_id!r}{run})"

    @property
    def key(self) -> dict[str, str]:
        """SWF's ``{"workflowId": ..., "runId": ...}`` for this execution."""
        if self.run_id is None:
            raise ValidationError(f"{self!r} has no run_id; look it up first", field="run_id")
        return {"workflowId": self.workflow_id, "runId": self.run_id}

    @property
    def _target(self) -> dict[str, str]:
        """The ids of calls that take an optional run id (without one, SWF acts on the open run)."""
        return self.key if self.run_id is not None else {"workflowId": self.workflow_id}

    @classmethod
    def from_swf(
        cls,
        domain: Domain,
        info: Mapping[str, Any],
        detail: Mapping[str, Any] | None = None,
        *,
        workflow_type: WorkflowType | None = None,
        connection: Connection | None = None,
    ) -> WorkflowExecution:
        """An execution from SWF's ``executionInfo`` (a listing's item), and with ``detail``
        (DescribeWorkflowExecution's whole answer) what only a description says."""
        kind, ids = info["workflowType"], info["execution"]
        if workflow_type is None or workflow_type.key != kind:
            workflow_type = WorkflowType(domain, kind["name"], kind["version"], connection=connection)
        parent_ids = info.get("parent")
        parent = None
        if parent_ids:
            parent = cls(domain, parent_ids["workflowId"], parent_ids["runId"], connection=connection)
        described: dict[str, Any] = {}
        if detail is not None:
            config = detail.get("executionConfiguration", {})
            described = {
                "task_list": task_list_name(config.get("taskList")),
                "child_policy": config.get("childPolicy"),
                "execution_timeout": seconds_from_swf(config.get("executionStartToCloseTimeout")),
                "decision_tasks_timeout": seconds_from_swf(config.get("taskStartToCloseTimeout")),
                "task_priority": priority_from_swf(config.get("taskPriority")),
                "lambda_role": config.get("lambdaRole"),
                "open_counts": OpenCounts.from_swf(detail.get("openCounts", {})),
                "latest_activity_task_timestamp": timestamp_from_swf(
                    detail.get("latestActivityTaskTimestamp")
                ),
                "latest_execution_context": detail.get("latestExecutionContext"),
            }
        execution = cls(
            domain,
            ids["workflowId"],
            ids["runId"],
            workflow_type=workflow_type,
            status=info.get("executionStatus"),
            close_status=info.get("closeStatus"),
            start_timestamp=timestamp_from_swf(info.get("startTimestamp")),
            close_timestamp=timestamp_from_swf(info.get("closeTimestamp")),
            tag_list=tuple(info.get("tagList", ())),
            cancel_requested=bool(info.get("cancelRequested", False)),
            parent=parent,
            connection=connection,
            **described,
        )
        return execution if detail is not None else forget(execution, *_DESCRIBED)

    async def upstream(self) -> WorkflowExecution:
        """A new instance with everything SWF says about this run now (two calls: the
        description, and the history's first event for ``input``). :class:`DoesNotExistError`
        if SWF has no such run; without a ``run_id``, the workflow id's open or latest run."""
        if self.run_id is None:
            from ..querysets import WorkflowExecutionQuerySet

            executions = WorkflowExecutionQuerySet(self.domain, connection=self.connection)
            found = await executions.get(self.workflow_id)
            return found._knowing(workflow_type=self._type_for(found))
        return await self._with_input(await self._describe())

    async def exists(self) -> bool:
        """Whether SWF knows this run (one DescribeWorkflowExecution; without a ``run_id``,
        whether the workflow id has a run)."""
        try:
            await (self._describe() if self.run_id is not None else self.upstream())
        except DoesNotExistError:
            return False
        return True

    def _type_for(self, other: WorkflowExecution) -> WorkflowType | None:
        """Our richer workflow type when it names the same type as ``other``'s."""
        mine, theirs = self.workflow_type, other.workflow_type
        if mine is not None and theirs is not None and mine.key == theirs.key:
            return mine
        return other.workflow_type

    async def _describe(self) -> WorkflowExecution:
        answer = await connection_of(self).call(
            "DescribeWorkflowExecution", {"domain": self.domain.name, "execution": self.key}
        )
        return WorkflowExecution.from_swf(
            self.domain,
            answer["executionInfo"],
            answer,
            workflow_type=self.workflow_type,
            connection=self.connection,
        )

    async def _with_input(self, described: WorkflowExecution) -> WorkflowExecution:
        """``described`` knowing its input, from the first event of its history."""
        params = {"domain": self.domain.name, "execution": described.key, "maximumPageSize": 1}
        answer = await connection_of(self).call("GetWorkflowExecutionHistory", params)
        history = History.from_swf(answer.get("events", [])[:1])
        if not history or not isinstance(history.first, WorkflowExecutionStarted):
            return described  # not the history SWF keeps: the input stays unknown
        return described._knowing(input=history.first.input)

    async def history(self) -> History:
        """Every event of the execution as typed :mod:`aioswf.events`, across all of SWF's pages,
        oldest first."""
        run = self if self.run_id is not None else await self.upstream()
        events: list[dict[str, Any]] = []
        params = {"domain": self.domain.name, "execution": run.key, "maximumPageSize": MAX_PAGE_SIZE}
        async for page in pages(connection_of(self), "GetWorkflowExecutionHistory", params, "events"):
            events.extend(page)
        return History.from_swf(events)

    async def signal(self, name: str, input: str | None = None) -> None:  # noqa: A002
        """Send the signal ``name`` (without a ``run_id``: to the workflow id's open run)."""
        check_name(name, "name")
        # moto fails a signal without input (HTTP 500); SWF treats "" and no input alike.
        params = {"domain": self.domain.name, **self._target, "signalName": name, "input": input or ""}
        await connection_of(self).call("SignalWorkflowExecution", params)

    async def request_cancel(self) -> None:
        """Ask the execution to cancel: SWF records WorkflowExecutionCancelRequested and its
        decider decides what to do (without a ``run_id``: the workflow id's open run)."""
        params = {"domain": self.domain.name, **self._target}
        await connection_of(self).call("RequestCancelWorkflowExecution", params)

    async def terminate(
        self, reason: str | None = None, details: str | None = None, child_policy: str | None = None
    ) -> None:
        """Close the execution at once, without its decider (without a ``run_id``: the open run)."""
        check_child_policy(child_policy)
        params: dict[str, Any] = {"domain": self.domain.name, **self._target}
        for key, value in (("reason", reason), ("details", details), ("childPolicy", child_policy)):
            if value is not None:
                params[key] = value
        await connection_of(self).call("TerminateWorkflowExecution", params)

    async def wait_closed(self, timeout: float | None = None, *, interval: float = 0.5) -> WorkflowExecution:
        """Describe the execution every ``interval`` seconds until it is closed; return that state.

        Raises :class:`TimeoutError` (the builtin) after ``timeout`` seconds.
        """
        for name, value in (("timeout", timeout), ("interval", interval)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or not value > 0
            ):
                raise ValidationError(
                    f"{name} must be a positive number of seconds, got {value!r}", field=name
                )
        with anyio.fail_after(timeout, reason=f"{self!r} was still open after {timeout} s"):
            run = self if self.run_id is not None else await self.upstream()
            while True:
                current = await run._describe()
                if current.status == CLOSED:
                    return await run._with_input(current)
                await anyio.sleep(interval)
