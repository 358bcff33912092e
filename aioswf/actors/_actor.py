"""Actor: the poll loop that deciders and activity workers share, and its lifetime.

An actor runs as ``await actor.run()`` (in a task group: ``await tg.start(actor.run)`` returns
once polling is live) or as ``async with actor:``. :meth:`Actor.stop` ends it gracefully: no new
polls, the polls in flight finish (SWF may be handing them a task) and what they bring is run;
``stop(immediate=True)`` cancels everything at once instead. Cancelling the task that runs an
actor is the same as an immediate stop.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import anyio
from anyio.abc import TaskGroup, TaskStatus

from .._connection import Connection
from .._default import resolve
from ..exceptions import (
    AioswfError,
    LimitExceededError,
    OperationNotPermittedError,
    ServiceUnavailableError,
    TaskGoneError,
    ThrottledError,
    TransportError,
    ValidationError,
)
from ..models import Domain

__all__ = ["DEFAULT_GRACE_PERIOD", "Actor", "ActorStatistics"]

log = logging.getLogger("aioswf.actors")

#: Faults after which a poll is retried (after a backoff) instead of stopping the actor.
RETRYABLE = (ThrottledError, TransportError, ServiceUnavailableError, LimitExceededError)
#: An empty poll answer that comes back sooner than this is followed by a pause, so that an
#: endpoint that does not hold polls (moto, a misconfigured proxy) cannot make the loop spin.
MIN_EMPTY_POLL_SECONDS = 1.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
#: SWF allows 1,000 pollers per task list; beyond that, wait long before trying again.
LIMIT_EXCEEDED_BACKOFF = 10.0
#: Attempts at answering a task (RespondActivityTask*, RespondDecisionTaskCompleted) on
#: throttling, 5xx and network errors, with a backoff from ANSWER_BACKOFF_BASE seconds.
ANSWER_ATTEMPTS = 5
ANSWER_BACKOFF_BASE = 0.1
#: Seconds that a graceful stop lets tasks in progress finish before it cancels them.
DEFAULT_GRACE_PERIOD = 60.0


class _Default:
    """The type of "not given" for stop()'s grace period, where None means "no limit"."""


_DEFAULT = _Default()


def _check_grace(value: object) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0
    ):
        raise ValidationError(
            f"grace_period must be a number of seconds or None, got {value!r}", field="grace_period"
        )


@dataclass(frozen=True)
class ActorStatistics:
    polls_in_flight: int
    empty_polls: int
    tasks_running: int
    tasks_done: int
    tasks_failed: int
    heartbeats_sent: int


def default_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Actor:
    """Base of :class:`Decider` and :class:`ActivityWorker`: polls a task list of a domain."""

    _operation = ""  # the poll operation, set by subclasses

    def __init__(
        self,
        domain: Domain | str,
        task_list: str,
        *,
        connection: Connection | None = None,
        identity: str | None = None,
        pollers: int = 1,
        grace_period: float | None = DEFAULT_GRACE_PERIOD,
    ) -> None:
        self.domain = domain if isinstance(domain, Domain) else Domain(domain)
        _check_grace(grace_period)
        if not isinstance(task_list, str) or not task_list:
            raise ValidationError(
                f"task_list must be a non-empty string, got {task_list!r}", field="task_list"
            )
        if not isinstance(pollers, int) or isinstance(pollers, bool) or pollers < 1:
            raise ValidationError(f"pollers must be at least 1, got {pollers!r}", field="pollers")
        self.task_list = task_list
        self.connection = connection if connection is not None else self.domain.connection
        self.identity = identity or default_identity()
        self.pollers = pollers
        self.grace_period = grace_period
        self._stopping = False
        self._task_scopes: set[anyio.CancelScope] = set()
        self._stopped: anyio.Event | None = None
        self._deadline = math.inf
        self._running = False
        self._scope: anyio.CancelScope | None = None
        self._owned_group: TaskGroup | None = None
        self._polls_in_flight = 0
        self._empty_polls = 0
        self._tasks_running = 0
        self._tasks_done = 0
        self._tasks_failed = 0
        self._heartbeats_sent = 0

    def __repr__(self) -> str:
        state = "running" if self._running else "stopped"
        return f"<{type(self).__name__} {self.domain.name}/{self.task_list} {state}>"

    def _connection(self) -> Connection:
        return resolve(self.connection)

    def statistics(self) -> ActorStatistics:
        return ActorStatistics(
            polls_in_flight=self._polls_in_flight,
            empty_polls=self._empty_polls,
            tasks_running=self._tasks_running,
            tasks_done=self._tasks_done,
            tasks_failed=self._tasks_failed,
            heartbeats_sent=self._heartbeats_sent,
        )

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Poll and handle tasks until :meth:`stop`. Re-raises the first fatal error, unwrapped.

        Started from a task group (``await tg.start(actor.run)``), it returns once the domain is
        known to exist and every poller has sent its first poll.
        """
        if self._running:
            raise RuntimeError(f"{self!r} is running already")
        # A stop() that came before run() holds: the pollers then end at once.
        self._running = True
        try:
            await self._check_domain()
            try:
                async with anyio.create_task_group() as group:
                    self._scope = group.cancel_scope
                    for number in range(self.pollers):
                        await group.start(self._poll_loop, group, name=f"{self!r} poller {number}")
                    task_status.started()
            except BaseExceptionGroup as group_error:
                raise _single(group_error) from None
        finally:
            # Ready to run again: a new run() starts with no stop pending and no deadline.
            self._running, self._scope, self._stopping, self._deadline = False, None, False, math.inf
            stopped, self._stopped = self._stopped, None
            if stopped is not None:
                stopped.set()

    async def start(self, task_group: TaskGroup) -> None:
        """Begin polling, as a task of ``task_group``, which owns it; returns once polling is live.

        The same as ``await task_group.start(actor.run)``. :meth:`stop` ends it, and
        :meth:`wait_stopped` waits for that.
        """
        await task_group.start(self.run)

    async def wait_stopped(self) -> None:
        """Return once the actor is not running (at once if it never started)."""
        while self._running:
            if self._stopped is None:
                self._stopped = anyio.Event()
            await self._stopped.wait()

    async def _check_domain(self) -> None:
        # A poll on an unknown domain fails only once it reaches SWF; asking first makes
        # `await tg.start(actor.run)` fail at once, with DoesNotExistError, for a mistyped name.
        with contextlib.suppress(OperationNotPermittedError):  # an IAM policy may allow polls only
            await self._connection().call("DescribeDomain", {"name": self.domain.name})

    def stop(self, *, immediate: bool = False, grace_period: float | _Default | None = _DEFAULT) -> None:
        """Stop polling, and end the tasks in progress.

        By default gracefully: no new polls; the polls in flight finish (SWF may be handing them a
        task) and what they bring runs; tasks still running after ``grace_period`` seconds (the
        actor's own by default, ``None`` for no limit) are cancelled and handed back to SWF.
        ``immediate=True`` cancels everything now, polls in flight included: against SWF a task
        that such a poll was being handed is lost until its timeout.
        """
        self._stopping = True
        if immediate:
            if self._scope is not None:
                self._scope.cancel()
            return
        grace = self.grace_period if isinstance(grace_period, _Default) else grace_period
        _check_grace(grace)
        if grace is not None:
            try:
                now = anyio.current_time()
            except RuntimeError:  # called outside the event loop: asyncio's clock is monotonic
                now = time.monotonic()
            self._deadline = min(self._deadline, now + grace)
            for scope in self._task_scopes:
                scope.deadline = min(scope.deadline, self._deadline)

    @contextlib.contextmanager
    def _task_scope(self) -> Iterator[anyio.CancelScope]:
        """The cancel scope of one task, which a graceful stop's deadline reaches too."""
        with anyio.CancelScope(deadline=self._deadline) as scope:
            self._task_scopes.add(scope)
            try:
                yield scope
            finally:
                self._task_scopes.discard(scope)

    async def __aenter__(self) -> Actor:
        group = anyio.create_task_group()
        await group.__aenter__()
        try:
            await group.start(self.run)
        except BaseException as err:
            await close_failed_group(group, err)
            raise
        self._owned_group = group
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        group, self._owned_group = self._owned_group, None
        self.stop(immediate=exc is not None)
        assert group is not None
        try:
            return await group.__aexit__(exc_type, exc, tb)
        except BaseExceptionGroup as group_error:
            error = _single(group_error)
            if error is exc:
                return False  # the body's own exception goes on as it was, not wrapped in a group
            raise error from None

    async def _poll_loop(
        self, group: TaskGroup, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        failures = 0
        first = True
        while not self._stopping:
            await self._wait_for_capacity()
            if self._stopping:
                self._release_capacity()
                break
            if first:
                task_status.started()  # the first poll is on its way
                first = False
            started = time.monotonic()
            self._polls_in_flight += 1
            try:
                task = await self.poll()
            except RETRYABLE as err:
                self._release_capacity()
                failures += 1
                delay = _backoff(failures, err)
                log.warning(
                    "%s on %s failed (%s); retrying in %.1f s", self._operation, self.task_list, err, delay
                )
                await anyio.sleep(delay)
                continue
            except BaseException:
                self._release_capacity()
                raise
            finally:
                self._polls_in_flight -= 1
            failures = 0
            if task is None:
                self._release_capacity()
                self._empty_polls += 1
                elapsed = time.monotonic() - started
                if elapsed < MIN_EMPTY_POLL_SECONDS and not self._stopping:
                    await anyio.sleep(MIN_EMPTY_POLL_SECONDS - elapsed)
                continue
            await self._dispatch(task, group)
        if first:
            task_status.started()

    async def poll(self) -> Any:  # pragma: no cover - each subclass polls its own kind of task
        raise NotImplementedError

    async def _wait_for_capacity(self) -> None:
        """Return when a task polled now could start at once (a worker waits for a free slot)."""

    def _release_capacity(self) -> None:
        """Give back the slot taken by :meth:`_wait_for_capacity` when no task came of it."""

    async def _dispatch(self, task: Any, group: TaskGroup) -> None:  # pragma: no cover
        raise NotImplementedError


async def send_answer(send: Callable[[], Awaitable[None]], what: str, extra: Mapping[str, Any]) -> bool:
    """Send a task's answer, retrying what a second try may fix; ``True`` once it got through.

    Shielded: an answer must not be cut off halfway by a stop. Respond* calls are not idempotent:
    an attempt whose answer was lost may have reached SWF, so a "task gone" after a retry is
    taken as delivered. Other refusals are logged, never raised: one answer must not stop an actor.
    """
    with anyio.CancelScope(shield=True):
        for attempt in range(1, ANSWER_ATTEMPTS + 1):
            try:
                await send()
                return True
            except TaskGoneError:
                if attempt > 1:
                    log.info(
                        "%s: the task was gone on retry, so the earlier attempt got through",
                        what,
                        extra=extra,
                    )
                    return True
                log.warning("%s: the task was gone before it was answered", what, extra=extra)
                return False
            except RETRYABLE as err:
                if attempt == ANSWER_ATTEMPTS:
                    log.error("%s: not sent after %d attempts: %s", what, attempt, err, extra=extra)
                    return False
                delay = random.uniform(0.5, 1.0) * min(BACKOFF_CAP, ANSWER_BACKOFF_BASE * 2**attempt)
                log.warning("%s failed (%s); retrying in %.1f s", what, err, delay, extra=extra)
                await anyio.sleep(delay)
            except AioswfError as err:
                log.error("%s: not sent: %s", what, err, extra=extra)
                return False
    return False


async def close_failed_group(group: TaskGroup, err: BaseException) -> None:
    """Exit a task group entered by hand whose start failed with ``err``.

    Returns when the group ends with ``err`` alone (the caller re-raises it); raises any other
    error the group's tasks ended with, unwrapped from its ExceptionGroup.
    """
    try:
        await group.__aexit__(type(err), err, err.__traceback__)
    except BaseExceptionGroup as group_error:
        error = _single(group_error)
        if error is not err:
            raise error from None


def _single(group: BaseExceptionGroup) -> BaseException:
    """The one real error of a task group, or the group itself when there are several."""
    cancelled = anyio.get_cancelled_exc_class()
    leaves: list[BaseException] = []
    pending: list[BaseException] = [group]
    while pending:
        error = pending.pop()
        if isinstance(error, BaseExceptionGroup):
            pending.extend(error.exceptions)
        elif not isinstance(error, cancelled):
            leaves.append(error)
    return leaves[0] if len(leaves) == 1 else group


def _backoff(failures: int, err: BaseException) -> float:
    if isinstance(err, LimitExceededError):
        return LIMIT_EXCEEDED_BACKOFF + random.uniform(0, LIMIT_EXCEEDED_BACKOFF)
    # Capped exponential backoff with full jitter.
    return random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**failures))
