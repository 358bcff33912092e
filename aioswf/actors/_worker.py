"""ActivityWorker: polls activity tasks and runs them, each beside its own heartbeat coroutine."""

from __future__ import annotations

import inspect
import logging
import math
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio
from anyio.abc import TaskGroup

from .._connection import Connection
from ..exceptions import AioswfError, TaskGoneError, ValidationError
from ..models import ActivityType, Domain
from ..payloads import DEFAULT_CONVERTER, PayloadConverter
from ._actor import DEFAULT_GRACE_PERIOD, Actor, send_answer
from ._tasks import ActivityTask, _current

__all__ = ["ActivityFunction", "ActivityWorker"]

log = logging.getLogger("aioswf.actors.worker")

#: An activity: takes its task, returns its result (a ``str`` is sent as it is, ``None`` as no
#: result, anything else as JSON). A sync function runs in a worker thread.
ActivityFunction = Callable[[ActivityTask], Awaitable[Any] | Any]
ActivityKey = str | tuple[str, str] | ActivityType

REASON_LIMIT = 256
DETAILS_LIMIT = 32768
CUT_MARK = " …[cut]"
#: Heartbeats are sent at this fraction of the activity type's heartbeat timeout.
HEARTBEAT_FRACTION = 0.8
#: How often progress is sent when the heartbeat timeout is not known.
DEFAULT_HEARTBEAT_INTERVAL = 10.0
#: After a failed heartbeat, the next try comes this fraction of the interval later.
HEARTBEAT_RETRY_FRACTION = 0.1
#: Heartbeats never go out more often than this.
MIN_HEARTBEAT_INTERVAL = 0.1
SHUTDOWN_REASON = "worker shutting down"


def _cut_end(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(CUT_MARK)] + CUT_MARK


def _cut_start(text: str, limit: int) -> str:
    # The end of a traceback says the most; keep it.
    mark = "[cut]… "
    return text if len(text) <= limit else mark + text[len(text) - limit + len(mark) :]


@dataclass
class _Outcome:
    cancel_requested: bool = False
    gone: bool = False


class ActivityWorker(Actor):
    """Polls ``task_list`` of ``domain`` for activity tasks and runs ``activities[type]``.

    ``activities`` maps an activity type (an :class:`ActivityType`, a ``(name, version)`` pair or
    a name for any version) to its function. At most ``max_concurrent`` activities run at once,
    and the worker polls only when it has a free slot. While an activity runs, a sibling
    coroutine sends its latest progress (``task.heartbeat(details)``) every
    0.8 × the type's heartbeat timeout (``heartbeat_interval`` seconds when the key does not
    give one); if SWF asks to cancel, the activity is cancelled and reported canceled; if the
    task is gone, it is cancelled and nothing more is sent.
    """

    _operation = "PollForActivityTask"

    def __init__(
        self,
        domain: Domain | str,
        task_list: str,
        activities: Mapping[ActivityKey, ActivityFunction] | None = None,
        *,
        connection: Connection | None = None,
        identity: str | None = None,
        pollers: int = 1,
        max_concurrent: int = 10,
        heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL,
        grace_period: float | None = DEFAULT_GRACE_PERIOD,
        converter: PayloadConverter = DEFAULT_CONVERTER,
    ) -> None:
        super().__init__(
            domain,
            task_list,
            connection=connection,
            identity=identity,
            pollers=pollers,
            grace_period=grace_period,
        )
        if not isinstance(max_concurrent, int) or isinstance(max_concurrent, bool) or max_concurrent < 1:
            raise ValidationError(
                f"max_concurrent must be at least 1, got {max_concurrent!r}", field="max_concurrent"
            )
        if (
            not isinstance(heartbeat_interval, int | float)
            or isinstance(heartbeat_interval, bool)
            or not MIN_HEARTBEAT_INTERVAL <= heartbeat_interval < math.inf
        ):
            raise ValidationError(
                f"heartbeat_interval must be a number of seconds of at least {MIN_HEARTBEAT_INTERVAL}, "
                f"got {heartbeat_interval!r}",
                field="heartbeat_interval",
            )
        if activities is not None and not isinstance(activities, Mapping):
            raise ValidationError(
                "activities must map activity types to functions, got " + type(activities).__name__,
                field="activities",
            )
        if not (
            callable(getattr(converter, "encode", None)) and callable(getattr(converter, "decode", None))
        ):
            raise ValidationError(
                "converter must have encode() and decode() (an aioswf.payloads converter), "
                f"got {converter!r}",
                field="converter",
            )
        self.max_concurrent = max_concurrent
        self.heartbeat_interval = float(heartbeat_interval)
        #: Encodes results that are not a str (a str is sent as it is).
        self.converter = converter
        self._activities: dict[tuple[str, str | None], ActivityFunction] = {}
        # Heartbeat timeouts by (name, version): from ActivityType keys, else asked of SWF once.
        self._heartbeat_timeouts: dict[tuple[str, str], float | None] = {}
        for key, function in (activities or {}).items():
            if not callable(function):
                raise ValidationError(
                    f"the function for {key!r} is not callable: {function!r}", field="activities"
                )
            normalised = _normalise(key)
            self._activities[normalised] = function
            if isinstance(key, ActivityType) and key.task_heartbeat_timeout is not None:
                self._heartbeat_timeouts[(key.name, key.version)] = key.task_heartbeat_timeout.total_seconds()
        self._slots: anyio.Semaphore | None = None
        self._threads: anyio.CapacityLimiter | None = None

    async def poll(self, task_list: str | None = None, identity: str | None = None) -> ActivityTask | None:
        """Long-poll one activity task; ``None`` if the poll ended without one."""
        answer = await self._connection().call(
            "PollForActivityTask",
            {
                "domain": self.domain.name,
                "taskList": {"name": task_list or self.task_list},
                "identity": identity or self.identity,
            },
        )
        if not answer.get("taskToken"):
            return None
        return ActivityTask.from_swf(self.domain.using(self.connection), answer)

    async def complete(self, task_token: str, result: str | None = None) -> None:
        params = {"taskToken": task_token}
        if result is not None:
            params["result"] = result
        await self._connection().call("RespondActivityTaskCompleted", params)

    async def fail(self, task_token: str, details: str | None = None, reason: str | None = None) -> None:
        params = {"taskToken": task_token}
        if details is not None:
            params["details"] = details
        if reason is not None:
            params["reason"] = reason
        await self._connection().call("RespondActivityTaskFailed", params)

    async def cancel(self, task_token: str, details: str | None = None) -> None:
        params = {"taskToken": task_token}
        if details is not None:
            params["details"] = details
        await self._connection().call("RespondActivityTaskCanceled", params)

    async def heartbeat(self, task_token: str, details: str | None = None) -> bool:
        """Send a heartbeat now; ``True`` if SWF asks for the activity to be cancelled."""
        params = {"taskToken": task_token}
        if details is not None:
            params["details"] = details
        answer = await self._connection().call("RecordActivityTaskHeartbeat", params)
        return bool(answer.get("cancelRequested"))

    # The run loop ---------------------------------------------------------------------------

    async def _wait_for_capacity(self) -> None:
        if self._slots is None:
            self._slots = anyio.Semaphore(self.max_concurrent)
            # Sync activities get threads of their own, never more than the slots: they cannot
            # starve the default thread pool that other code (a sync decider) uses.
            self._threads = anyio.CapacityLimiter(self.max_concurrent)
        await self._slots.acquire()

    def _release_capacity(self) -> None:
        assert self._slots is not None
        self._slots.release()

    async def _dispatch(self, task: Any, group: TaskGroup) -> None:
        group.start_soon(self._run_task, task, name=f"activity {task.activity_id}")

    def _lookup(self, task: ActivityTask) -> ActivityFunction | None:
        kind = task.activity_type
        return self._activities.get((kind.name, kind.version)) or self._activities.get((kind.name, None))

    async def _heartbeat_plan(self, task: ActivityTask) -> tuple[float, bool]:
        """How often to heartbeat, and whether to do it even without new progress (keep-alive).

        With a known heartbeat timeout (the ActivityType key's, else the type's default as SWF
        describes it) heartbeats go out every 0.8 × that timeout whatever the activity does;
        without one, only progress the activity recorded is sent, every ``heartbeat_interval``.
        """
        key = (task.activity_type.name, task.activity_type.version)
        if key not in self._heartbeat_timeouts:
            try:
                described = await task.activity_type.upstream()
            except AioswfError as err:
                log.debug("could not describe %r for its heartbeat timeout: %s", task.activity_type, err)
                described = None
            timeout = described.task_heartbeat_timeout if described is not None else None
            self._heartbeat_timeouts[key] = timeout.total_seconds() if timeout is not None else None
        seconds = self._heartbeat_timeouts[key]
        if seconds:
            return max(MIN_HEARTBEAT_INTERVAL, seconds * HEARTBEAT_FRACTION), True
        return self.heartbeat_interval, False

    async def _run_task(self, task: ActivityTask) -> None:
        self._tasks_running += 1
        try:
            with self._task_scope():  # a graceful stop's deadline cancels it, and it is handed back
                await self._run_activity(task)
        finally:
            self._tasks_running -= 1
            self._release_capacity()

    async def _run_activity(self, task: ActivityTask) -> None:
        function = self._lookup(task)
        if function is None:
            self._tasks_failed += 1
            kind = task.activity_type
            reason = _cut_end(f"no activity function for {kind.name} {kind.version}", REASON_LIMIT)
            await self._answer(task, self.fail, task.token, reason=reason)
            return
        interval, keep_alive = await self._heartbeat_plan(task)
        outcome = _Outcome()
        result: Any = None
        error: BaseException | None = None
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self._heartbeats, task, interval, keep_alive, group.cancel_scope, outcome)
                try:
                    result = await _call(function, task, self._threads)
                except Exception as err:
                    error = err
                group.cancel_scope.cancel()  # the heartbeat coroutine's work is done
        except anyio.get_cancelled_exc_class():
            # The worker itself is being cancelled (an immediate stop): hand the task back so that
            # SWF can schedule it again at once, instead of after its timeout.
            self._tasks_failed += 1
            with anyio.CancelScope(shield=True):
                await self._answer(task, self.fail, task.token, reason=SHUTDOWN_REASON)
            raise
        encoded: str | None = None
        if error is None and not (outcome.gone or outcome.cancel_requested):
            try:
                encoded = _encode(result, self.converter)
            except Exception as err:  # the converter is the user's code: whatever it raises
                error = err  # a result SWF cannot take fails the activity, visibly
        if outcome.gone:
            self._tasks_failed += 1
            log.warning("activity %s was gone at SWF; it was cancelled", task.activity_id, extra=_extra(task))
        elif outcome.cancel_requested:
            self._tasks_failed += 1
            await self._answer(task, self.cancel, task.token)
        elif error is not None:
            self._tasks_failed += 1
            log.info("activity %s failed: %r", task.activity_id, error, extra=_extra(task))
            reason = _cut_end(f"{type(error).__name__}: {error}", REASON_LIMIT)
            details = _cut_start("".join(traceback.format_exception(error)), DETAILS_LIMIT)
            await self._answer(task, self.fail, task.token, details=details, reason=reason)
        else:
            self._tasks_done += 1
            await self._answer(task, self.complete, task.token, encoded)

    async def _answer(
        self, task: ActivityTask, send: Callable[..., Awaitable[None]], *args: Any, **kwargs: Any
    ) -> None:
        await send_answer(
            lambda: send(*args, **kwargs), f"the answer for activity {task.activity_id}", _extra(task)
        )

    async def _heartbeats(
        self,
        task: ActivityTask,
        interval: float,
        keep_alive: bool,
        scope: anyio.CancelScope,
        outcome: _Outcome,
    ) -> None:
        sent = 0
        delay = interval
        while True:
            await anyio.sleep(delay)
            delay = interval
            progress = task._progress
            if progress.version == sent and not keep_alive:
                continue
            sent = progress.version
            try:
                cancel = await self.heartbeat(task.token, progress.details)
            except TaskGoneError:
                outcome.gone = True
                scope.cancel()
                return
            except AioswfError as err:
                # Throttling, a network error, a 5xx: never fatal. Beats go out at 0.8 x the timeout,
                # so a retry after a tenth of the interval still lands inside it.
                delay = max(MIN_HEARTBEAT_INTERVAL / 2, interval * HEARTBEAT_RETRY_FRACTION)
                log.warning(
                    "heartbeat of activity %s failed (%s); retrying in %.1f s",
                    task.activity_id,
                    err,
                    delay,
                    extra=_extra(task),
                )
                sent = -1
                continue
            self._heartbeats_sent += 1
            if cancel:
                outcome.cancel_requested = True
                scope.cancel()
                return


async def _call(function: ActivityFunction, task: ActivityTask, threads: anyio.CapacityLimiter | None) -> Any:
    token = _current.set(task)
    try:
        if inspect.iscoroutinefunction(function):
            return await function(task)
        # to_thread copies the context, so aioswf.actors.heartbeat() works in the thread too.
        # A thread cannot be interrupted: on cancellation the worker stops waiting for it (its
        # result is dropped) and reports the task at once instead of after the thread returns.
        result = await anyio.to_thread.run_sync(function, task, limiter=threads, abandon_on_cancel=True)
        return await result if inspect.isawaitable(result) else result
    finally:
        _current.reset(token)


def _encode(result: Any, converter: PayloadConverter) -> str | None:
    """An activity's result as SWF's string: a str as it is, None as none, anything else encoded
    by the worker's converter (JSON by default: dataclasses, datetimes, ...; never NaN)."""
    if result is None:
        return None
    text = result if isinstance(result, str) else converter.encode(result)
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"{type(converter).__name__}.encode() returned a {type(text).__name__}, not a str")
    if len(text) > DETAILS_LIMIT:
        raise ValidationError.too_long("result", len(text), DETAILS_LIMIT)
    return text


def _normalise(key: ActivityKey) -> tuple[str, str | None]:
    if isinstance(key, ActivityType):
        return key.name, key.version
    if isinstance(key, str):
        return key, None
    if isinstance(key, tuple) and len(key) == 2 and all(isinstance(part, str) for part in key):
        return key[0], key[1]
    raise ValidationError(
        f"an activity key is an ActivityType, a name or a (name, version) pair, got {key!r}"
    )


def _extra(task: ActivityTask) -> dict[str, str | None]:
    execution = task.workflow_execution
    return {"workflow_id": execution.workflow_id, "run_id": execution.run_id, "activity_id": task.activity_id}
