"""WorkflowExecutionQuerySet: find, list, count and start a domain's workflow executions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from .._connection import Connection
from .._paging import MAX_PAGE_SIZE
from ..constants import OPEN
from ..exceptions import DoesNotExistError, ValidationError, WorkflowExecutionAlreadyStartedError
from ..models import Domain, WorkflowExecution, WorkflowType
from ..models._types import as_domain
from ._base import QuerySet, check_keywords
from ._execution_filters import FILTERS, Plan, Request, check_combination, check_filter, plan

__all__ = ["ExecutionCount", "WorkflowExecutionQuerySet"]

#: What ``create`` and ``get_or_create`` pass on to :meth:`WorkflowType.start_execution`.
START_OPTIONS = (
    "task_list",
    "tag_list",
    "execution_timeout",
    "decision_tasks_timeout",
    "child_policy",
    "task_priority",
    "lambda_role",
)
#: How often get_or_create starts again when the open run it ran into closed before it was read.
_START_ATTEMPTS = 3


@dataclass(frozen=True)
class ExecutionCount:
    """How many executions matched. ``truncated``: SWF counted up to its limit and stopped, so
    there are more than ``count``."""

    count: int
    truncated: bool = False


class WorkflowExecutionQuerySet(QuerySet[WorkflowExecution]):
    """The workflow executions of a domain, open and closed.

    ``filter`` takes ``status`` (OPEN, CLOSED, or ``None`` for both, the default),
    ``workflow_id``, ``workflow_type_name``, ``workflow_type_version``, ``tag``, ``close_status``,
    and ``start_oldest_date``, ``start_latest_date``, ``close_oldest_date``,
    ``close_latest_date`` (each an aware ``datetime`` or a ``timedelta``, "this long ago").
    SWF applies one exclusive filter per call; which one is sent and which are applied here is
    documented in ``aioswf.querysets._execution_filters`` and, in short: ``workflow_id``, else
    the type, else ``tag``, else ``close_status`` goes to SWF, and every filter is checked
    again on what comes back. Listed executions know what a listing says (ids, type, status,
    close status, timestamps, tags, parent, cancel requested); :meth:`get` describes one.

    The connection is the domain's unless ``connection`` is given.
    """

    _keywords = FILTERS
    _defaults: ClassVar[Mapping[str, Any]] = {"status": None}

    def __init__(
        self,
        domain: Domain | str,
        *,
        connection: Connection | None = None,
        maximum_page_size: int = MAX_PAGE_SIZE,
    ) -> None:
        self.domain = as_domain(domain)
        super().__init__(connection=connection or self.domain.connection, maximum_page_size=maximum_page_size)

    def _subject(self) -> str:
        return repr(self.domain)

    def _check(self, key: str, value: Any) -> Any:
        return check_filter(key, value)

    def filter(self, **filters: Any) -> Self:
        clone = super().filter(**filters)
        check_combination(clone._filters)
        return clone

    def _plan(self) -> Plan:
        return plan(self.domain.name, self._filters)

    async def get(self, workflow_id: str, run_id: str | None = None) -> WorkflowExecution:
        """The execution, as SWF describes it. :class:`DoesNotExistError` if there is none.

        With a ``run_id``, that run. Without one, the open run of ``workflow_id`` among this
        queryset's executions, else its latest started closed run.
        """
        if run_id is not None:
            return await WorkflowExecution(
                self.domain, workflow_id, run_id, connection=self.connection
            ).upstream()
        latest: WorkflowExecution | None = None
        async for found in self.filter(workflow_id=workflow_id):
            if found.status == OPEN:
                latest = found
                break
            if latest is None or _started(found) > _started(latest):
                latest = found
        if latest is None:
            raise DoesNotExistError(
                f"no execution with workflow id {workflow_id!r} in domain {self.domain.name!r}"
                + ("" if self._filters == {"status": None} else f" matching {self._filters}"),
                operation="ListWorkflowExecutions",
            )
        return await latest.upstream()

    def _workflow_type(self, value: Any) -> WorkflowType:
        if isinstance(value, WorkflowType):
            return value
        if isinstance(value, tuple) and len(value) == 2:
            return WorkflowType(self.domain, value[0], value[1], connection=self.connection)
        raise ValidationError(
            f"workflow_type must be a WorkflowType or a (name, version) pair, got {value!r}",
            field="workflow_type",
        )

    async def create(
        self,
        workflow_type: WorkflowType | tuple[str, str],
        workflow_id: str,
        input: str | None = None,  # noqa: A002 - SWF's name for it
        **options: Any,
    ) -> WorkflowExecution:
        """Start an execution (``options``: those of :meth:`WorkflowType.start_execution`).
        :class:`WorkflowExecutionAlreadyStartedError` if ``workflow_id`` has an open run."""
        check_keywords(options, START_OPTIONS, f"{type(self).__name__}.create()")
        kind = self._workflow_type(workflow_type)
        return await kind.start_execution(workflow_id, input, **options)

    async def get_or_create(
        self,
        workflow_type: WorkflowType | tuple[str, str],
        workflow_id: str,
        input: str | None = None,  # noqa: A002
        **options: Any,
    ) -> tuple[WorkflowExecution, bool]:
        """The open run of ``workflow_id`` and whether this call started it. Safe when several
        tasks race: SWF starts one, and the others get that one. A closed run does not count
        (SWF lets a workflow id be reused once its run closed)."""
        check_keywords(options, START_OPTIONS, f"{type(self).__name__}.get_or_create()")
        open_runs = WorkflowExecutionQuerySet(self.domain, connection=self.connection).filter(status=OPEN)
        for attempt in range(_START_ATTEMPTS):
            try:
                return await self.create(workflow_type, workflow_id, input, **options), True
            except WorkflowExecutionAlreadyStartedError:
                try:
                    return await open_runs.get(workflow_id), False
                except DoesNotExistError:
                    if attempt == _START_ATTEMPTS - 1:
                        raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def count(self) -> ExecutionCount:
        """How many executions match, counted by SWF (CountOpen/CountClosedWorkflowExecutions).

        Filters that SWF cannot apply in one count call (two exclusive filters, or start and
        close dates for closed executions) are counted here instead, by listing every match.
        """
        total, truncated = 0, False
        current = self._plan()
        for request in current.requests:
            if current.leftover(request):
                async for page in self._matching(current, request):
                    total += len(page)
                continue
            answer = await self._connection().call(request.count_operation, request.params)
            total += int(answer.get("count", 0))
            truncated = truncated or bool(answer.get("truncated", False))
        return ExecutionCount(total, truncated)

    async def _matching(self, current: Plan, request: Request) -> AsyncIterator[list[WorkflowExecution]]:
        async for page in self._listing(request.list_operation, request.params, "executionInfos"):
            found = [
                WorkflowExecution.from_swf(self.domain, info, connection=self.connection) for info in page
            ]
            yield [execution for execution in found if current.matches(execution)]

    async def _pages(self) -> AsyncIterator[list[WorkflowExecution]]:
        current = self._plan()
        for request in current.requests:
            async for page in self._matching(current, request):
                yield page


def _started(execution: WorkflowExecution) -> float:
    stamp = execution.start_timestamp
    return stamp.timestamp() if stamp is not None else float("-inf")
