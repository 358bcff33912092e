"""WorkflowExecution: one run of a workflow type, and its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import anyio

from .._connection import Connection
from .._paging import MAX_PAGE_SIZE, pages
from ..constants import CLOSED
from ..exceptions import ValidationError
from ..history import History
from ._base import Model, check_name, connection_of, inherit_connection
from ._domain import Domain

if TYPE_CHECKING:
    from ._types import WorkflowType

__all__ = ["WorkflowExecution"]


@dataclass(frozen=True, repr=False)
class WorkflowExecution(Model):
    """An execution, named by its workflow id and run id. Fields other than the ids are filled in
    by :meth:`upstream`; a fresh instance from ``start_execution`` knows only its ids and type."""

    domain: Domain
    workflow_id: str
    run_id: str | None = None
    workflow_type: WorkflowType | None = field(default=None, compare=False)
    status: str | None = field(default=None, compare=False)
    close_status: str | None = field(default=None, compare=False)
    start_timestamp: datetime | None = field(default=None, compare=False)
    close_timestamp: datetime | None = field(default=None, compare=False)
    tag_list: tuple[str, ...] = field(default=(), compare=False)
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        if isinstance(self.domain, str):
            object.__setattr__(self, "domain", Domain(self.domain))
        elif not isinstance(self.domain, Domain):
            raise ValidationError(
                f"domain must be a Domain or a domain name, got {type(self.domain).__name__}", field="domain"
            )
        check_name(self.workflow_id, "workflow_id")
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

    async def upstream(self) -> WorkflowExecution:
        """A new instance with SWF's current status, close status, timestamps and tags."""
        from ._types import WorkflowType

        answer = await connection_of(self).call(
            "DescribeWorkflowExecution", {"domain": self.domain.name, "execution": self.key}
        )
        info = answer["executionInfo"]
        kind = info["workflowType"]
        return WorkflowExecution(
            self.domain,
            info["execution"]["workflowId"],
            info["execution"]["runId"],
            workflow_type=self.workflow_type
            or WorkflowType(self.domain, kind["name"], kind["version"], connection=self.connection),
            status=info.get("executionStatus"),
            close_status=info.get("closeStatus"),
            start_timestamp=info.get("startTimestamp"),
            close_timestamp=info.get("closeTimestamp"),
            tag_list=tuple(info.get("tagList", ())),
            connection=self.connection,
        )

    async def history(self) -> History:
        """Every event of the execution as typed :mod:`aioswf.events`, across all of SWF's pages,
        oldest first."""
        events: list[dict[str, Any]] = []
        params = {"domain": self.domain.name, "execution": self.key, "maximumPageSize": MAX_PAGE_SIZE}
        async for page in pages(connection_of(self), "GetWorkflowExecutionHistory", params, "events"):
            events.extend(page)
        return History.from_swf(events)

    async def signal(self, name: str, input: str | None = None) -> None:  # noqa: A002
        check_name(name, "name")
        # moto fails a signal without input (HTTP 500); SWF treats "" and no input alike.
        params = {"domain": self.domain.name, **self.key, "signalName": name, "input": input or ""}
        await connection_of(self).call("SignalWorkflowExecution", params)

    async def terminate(
        self, reason: str | None = None, details: str | None = None, child_policy: str | None = None
    ) -> None:
        params: dict[str, Any] = {"domain": self.domain.name, **self.key}
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
            while True:
                current = await self.upstream()
                if current.status == CLOSED:
                    return current
                await anyio.sleep(interval)
