"""Decider: polls decision tasks and answers each with decisions."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

import anyio
from anyio.abc import TaskGroup

from .._connection import Connection
from .._paging import MAX_PAGE_SIZE
from ..decisions import Decision, check_decisions
from ..exceptions import ValidationError
from ..models import Domain
from ._actor import DEFAULT_GRACE_PERIOD, Actor, send_answer
from ._tasks import DecisionTask

__all__ = ["Decider", "DecisionHandler"]

log = logging.getLogger("aioswf.actors.decider")

#: What a decision task is answered with: Decision objects, or SWF's own dictionaries.
Decisions = Sequence[Decision | Mapping[str, Any]]
#: A function (async or not) that turns a decision task into SWF decisions.
DecisionHandler = Callable[[DecisionTask], Awaitable[Decisions | None] | Decisions | None]


class Decider(Actor):
    """Polls ``task_list`` of ``domain`` for decision tasks.

    Give it a ``handler`` (async, or sync to run in a worker thread) that returns the decisions
    for a task (a list or any iterable of them; ``[]`` or ``None`` for "nothing to decide now",
    which answers the task with no decisions), or override :meth:`decide`. An exception in it
    is logged with the workflow id and the task is left to SWF's decision-task timeout, after
    which SWF schedules a new one; the loop goes on. Without a handler a decider still serves
    :meth:`poll` and :meth:`complete`.
    """

    _operation = "PollForDecisionTask"

    def __init__(
        self,
        domain: Domain | str,
        task_list: str,
        handler: DecisionHandler | None = None,
        *,
        connection: Connection | None = None,
        identity: str | None = None,
        pollers: int = 1,
        grace_period: float | None = DEFAULT_GRACE_PERIOD,
    ) -> None:
        super().__init__(
            domain,
            task_list,
            connection=connection,
            identity=identity,
            pollers=pollers,
            grace_period=grace_period,
        )
        if handler is not None and not callable(handler):
            raise ValidationError(f"handler must be callable, got {handler!r}", field="handler")
        self.handler = handler
        self._threads: anyio.CapacityLimiter | None = None

    async def poll(
        self, task_list: str | None = None, identity: str | None = None, maximum_page_size: int | None = None
    ) -> DecisionTask | None:
        """Long-poll one decision task, with every page of its history; ``None`` if none came."""
        params: dict[str, Any] = {
            "domain": self.domain.name,
            "taskList": {"name": task_list or self.task_list},
            "identity": identity or self.identity,
            "maximumPageSize": maximum_page_size or MAX_PAGE_SIZE,
        }
        connection = self._connection()
        answer = await connection.call("PollForDecisionTask", params)
        if not answer.get("taskToken"):  # moto leaves the key out; SWF sends ""
            return None
        events: list[dict[str, Any]] = list(answer.get("events", ()))
        token = answer.get("nextPageToken")
        seen: set[str] = set()
        while token and token not in seen:
            seen.add(token)
            page = await connection.call("PollForDecisionTask", {**params, "nextPageToken": token})
            events.extend(page.get("events", ()))
            token = page.get("nextPageToken")
        return DecisionTask.from_swf(self.domain.using(self.connection), answer, events)

    async def complete(
        self, task_token: str, decisions: Decisions | None = None, execution_context: str | None = None
    ) -> None:
        """Answer a decision task. :class:`TaskGoneError` if SWF no longer knows the token.

        ``decisions`` are :mod:`aioswf.decisions` objects or SWF's dictionaries; the list is checked
        (close decision last, SWF's 1 MB request limit) before anything is sent.
        """
        checked = check_decisions(decisions or (), task_token=task_token, execution_context=execution_context)
        params: dict[str, Any] = {"taskToken": task_token, "decisions": checked}
        if execution_context is not None:
            params["executionContext"] = execution_context
        await self._connection().call("RespondDecisionTaskCompleted", params)

    async def decide(self, task: DecisionTask) -> Decisions:
        """The decisions for ``task``: the handler's answer. Override it instead of a handler."""
        if self.handler is None:
            raise NotImplementedError("this Decider has no handler; give one or override decide()")
        if inspect.iscoroutinefunction(self.handler):
            result = await self.handler(task)
        else:
            if self._threads is None:
                # A thread per poller at most, apart from the default pool that activities may fill.
                self._threads = anyio.CapacityLimiter(self.pollers)
            result = await anyio.to_thread.run_sync(self.handler, task, limiter=self._threads)
            if inspect.isawaitable(result):
                result = await result
        if result is None:
            return []
        if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
            raise ValidationError(
                f"a decision handler returns a list of decisions, got {type(result).__name__}",
                field="decisions",
            )
        return list(result)

    async def _dispatch(self, task: Any, group: TaskGroup) -> None:
        execution = task.workflow_execution
        self._tasks_running += 1
        try:
            decisions: Decisions | None = None
            try:
                with self._task_scope():
                    decisions = await self.decide(task)
                if decisions is None:  # cut off by a graceful stop's deadline
                    self._tasks_failed += 1
                    log.warning(
                        "stopped while deciding workflow %s; SWF will retry",
                        execution.workflow_id,
                        extra={"workflow_id": execution.workflow_id, "run_id": execution.run_id},
                    )
                    return
            except Exception:
                self._tasks_failed += 1
                log.exception(
                    "decider failed on workflow %s (run %s); SWF will time the task out and retry",
                    execution.workflow_id,
                    execution.run_id,
                    extra={"workflow_id": execution.workflow_id, "run_id": execution.run_id},
                )
                return
            extra = {"workflow_id": execution.workflow_id, "run_id": execution.run_id}
            answer = functools.partial(self.complete, task.token, decisions)
            if not await send_answer(answer, f"the decisions for workflow {execution.workflow_id}", extra):
                self._tasks_failed += 1
                return
            self._tasks_done += 1
        finally:
            self._tasks_running -= 1
