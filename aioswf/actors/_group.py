"""ActorGroup: any number of deciders and workers in one process, under one task group.

::

    group = ActorGroup(Decider(domain, "decisions", decide), ActivityWorker(domain, "work", fns))
    async with group:              # returns once every actor polls
        ...
    # or, as a program's main loop:
    await group.run_until_signal()  # SIGINT or SIGTERM: graceful stop; a second one: immediate

The group's lifetime is the actors' lifetime: it starts them one by one (``await tg.start``,
so a mistyped domain fails at once), stops them together, and when one of them fails fatally
it stops the others gracefully and then raises that error, unwrapped.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import anyio
from anyio.abc import TaskGroup, TaskStatus

from ..exceptions import ValidationError
from ._actor import _DEFAULT, Actor, ActorStatistics, _Default, _single, close_failed_group

__all__ = ["ActorGroup"]

log = logging.getLogger("aioswf.actors.group")

#: The signals :meth:`ActorGroup.run_until_signal` stops on by default: Ctrl-C and what service
#: managers (systemd, Docker, Kubernetes) send before they kill a process.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Started:
    """Forwards ``started()`` to the group's task status and remembers that it was called.

    An actor that fails before its polling is live never calls it; the group then has to, or
    ``tg.start`` would report "child exited without calling started()" instead of the error.
    """

    def __init__(self, outer: TaskStatus[None]) -> None:
        self._outer = outer
        self.done = False

    def started(self, value: None = None) -> None:
        self.done = True
        self._outer.started()


class ActorGroup:
    """Runs ``actors`` (deciders and activity workers, any mix) under one anyio task group.

    * ``await group.run()`` (or ``await tg.start(group.run)``: it returns once every actor's
      polling is live) runs them until :meth:`stop`, even when some of them have ended on their
      own; ``async with group:`` does the same around a block.
    * :meth:`stop` stops every actor gracefully (the polls in flight finish and what they bring
      is run); ``stop(immediate=True)`` cancels them (running activities are handed back to SWF
      as failed with "worker shutting down"). Cancelling the task that runs the group is an
      immediate stop.
    * When an actor fails fatally (a domain that does not exist, refused credentials), the
      others are stopped gracefully and the group raises that error as it is; if several fail,
      an :class:`ExceptionGroup` of their errors.
    """

    def __init__(self, *actors: Actor) -> None:
        self._actors: list[Actor] = []
        self._task_group: TaskGroup | None = None
        self._owned: _Owned | None = None
        self._stop_requested: anyio.Event | None = None
        self._stopped: anyio.Event | None = None
        self._stopping = False
        self._failures: list[Exception] = []
        for actor in actors:
            self.add(actor)

    def __repr__(self) -> str:
        state = "running" if self._task_group is not None else "stopped"
        return f"<{type(self).__name__} of {len(self._actors)} actors, {state}>"

    def __len__(self) -> int:
        return len(self._actors)

    @property
    def actors(self) -> tuple[Actor, ...]:
        return tuple(self._actors)

    def add(self, actor: Actor) -> None:
        """Add an actor. In a running group it starts at once (without waiting for its polls); in a
        group that is not running (not yet, or no longer: groups can run again) it starts with the
        group's next run."""
        if not isinstance(actor, Actor):
            raise ValidationError(f"an ActorGroup runs actors, got {actor!r}", field="actors")
        if any(actor is known for known in self._actors):
            raise ValidationError(f"{actor!r} is in this group already", field="actors")
        if self._task_group is not None:
            if self._stopping:
                raise RuntimeError(f"{self!r} is stopping; it takes no new actors")
            self._task_group.start_soon(self._run_actor, actor, name=f"{actor!r}")
        self._actors.append(actor)

    def statistics(self) -> ActorStatistics:
        """The actors' statistics, summed field by field."""
        totals = dict.fromkeys((f.name for f in dataclasses.fields(ActorStatistics)), 0)
        for actor in self._actors:
            for name, value in dataclasses.asdict(actor.statistics()).items():
                totals[name] += value
        return ActorStatistics(**totals)

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Run every actor until :meth:`stop`. Re-raises a fatal error of an actor, unwrapped."""
        if self._task_group is not None:
            raise RuntimeError(f"{self!r} is running already")
        self._stopping, self._failures = False, []
        self._stop_requested = anyio.Event()
        try:
            async with anyio.create_task_group() as group:
                self._task_group = group
                # Keeps the group alive until stop(): an empty group, or one whose actors all
                # ended on their own, still takes new actors from add().
                group.start_soon(self._stop_requested.wait, name=f"{self!r} waiting for stop()")
                # A copy: add() from an actor's start-up would otherwise start that actor twice.
                for actor in list(self._actors):
                    if self._stopping:
                        break  # stop() (a signal, a failed actor) came during start-up
                    await group.start(self._run_actor, actor, name=f"{actor!r}")
                if not self._failures:
                    # An actor that failed to start fails the group's start too: `await
                    # tg.start(group.run)` and `async with group:` raise its error (once the
                    # actors started before it have stopped) instead of running the block.
                    task_status.started()
        except BaseExceptionGroup as group_error:
            # Only cancellation and the wait above live in the group itself: the actors'
            # failures were recorded, not raised. Anything here is a bug or a BaseException.
            raise _single(group_error) from None
        finally:
            self._task_group = None
            stopped, self._stopped = self._stopped, None
            if stopped is not None:
                stopped.set()
        failures, self._failures = self._failures, []
        if len(failures) == 1:
            raise failures[0]
        if failures:
            raise ExceptionGroup(f"{len(failures)} actors of {self!r} failed", failures)

    async def start(self, task_group: TaskGroup) -> None:
        """Run the group as a task of ``task_group``; returns once every actor polls.

        The same as ``await task_group.start(group.run)``; :meth:`wait_stopped` waits for its end.
        """
        await task_group.start(self.run)

    async def wait_stopped(self) -> None:
        """Return once the group is not running (at once if it never started)."""
        while self._task_group is not None:
            if self._stopped is None:
                self._stopped = anyio.Event()
            await self._stopped.wait()

    async def _run_actor(
        self, actor: Actor, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        status = _Started(task_status)
        try:
            # Checked with no await before actor.run() begins: run() forgets an earlier stop(),
            # so an actor that a stop() reached before it started would otherwise run on.
            if not self._stopping:
                await actor.run(task_status=status)
        except Exception as err:
            # Caught so that the task group does not cancel the other actors: they are stopped
            # gracefully instead, and the error is raised once they have all finished.
            # Cancellation is a BaseException and goes on as it is.
            log.error("%r failed: %r; stopping the other actors of the group", actor, err)
            self._failures.append(err)
            self.stop()
        finally:
            if not status.done:
                task_status.started()

    def stop(self, *, immediate: bool = False, grace_period: float | _Default | None = _DEFAULT) -> None:
        """Stop every actor, as :meth:`Actor.stop` does: gracefully by default (each with its own
        grace period, or ``grace_period`` seconds for all), ``immediate=True`` cancels at once."""
        self._stopping = True
        for actor in self._actors:
            actor.stop(grace_period=grace_period)
        if self._stop_requested is not None:
            self._stop_requested.set()
        if immediate and self._task_group is not None:
            # The same as cancelling the task that runs an actor, which Actor documents as an
            # immediate stop; it also reaches an actor still in its start-up (its domain check).
            self._task_group.cancel_scope.cancel()

    async def run_until_signal(
        self,
        signals: Iterable[signal.Signals] = STOP_SIGNALS,
        *,
        task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED,
    ) -> signal.Signals | None:
        """Run the group until one of ``signals`` arrives, stop it, and return that signal.

        The first signal stops the actors gracefully; a second one while they finish stops them
        immediately. Returns ``None`` if the group stopped otherwise (:meth:`stop`). Signal
        handlers can only be set from the main thread; the previous ones of the event loop
        (``loop.add_signal_handler``) are removed when it returns.
        """
        wanted = tuple(signals)
        if not wanted:
            raise ValidationError("run_until_signal needs at least one signal", field="signals")
        received: list[signal.Signals] = []
        with anyio.open_signal_receiver(*wanted) as arrivals:
            try:
                async with anyio.create_task_group() as group:
                    await group.start(self._run_then_cancel, group.cancel_scope)
                    task_status.started()
                    async for signum in arrivals:
                        received.append(signum)
                        if len(received) == 1:
                            log.info("%s received: stopping %r gracefully", signum.name, self)
                            self.stop()
                        else:
                            log.warning("%s received again: stopping %r now", signum.name, self)
                            self.stop(immediate=True)
            except BaseExceptionGroup as group_error:
                raise _single(group_error) from None
        return received[0] if received else None

    async def _run_then_cancel(
        self, scope: anyio.CancelScope, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        await self.run(task_status=task_status)
        # Stopped: stop waiting for signals. Not on an error, which ends the wait anyway, and
        # which a cancelled `tg.start` would swallow if it came before polling was live.
        scope.cancel()

    async def __aenter__(self) -> ActorGroup:
        host = asyncio.current_task()
        assert host is not None  # aioswf runs on asyncio (aiobotocore's transport is asyncio's)
        group = anyio.create_task_group()
        owned = self._owned = _Owned(group, host)
        await group.__aenter__()
        try:
            await group.start(self._run_owned, owned)
        except BaseException as err:
            self._owned = None
            await close_failed_group(group, err)
            raise
        return self

    async def _run_owned(
        self, owned: _Owned, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        status = _Started(task_status)
        try:
            await self.run(task_status=status)
        except Exception as err:
            if not status.done:
                raise  # a failure at start-up: __aenter__ raises it
            owned.failure = err
            if not owned.exiting:
                # Cancel the block once, as asyncio.TaskGroup does, and not at its every await
                # until it ends, as an anyio task group would: the block may be a framework's
                # own code (an aiohttp cleanup_ctx spans the whole serving loop) that has to
                # run its clean-up, and leave this context, normally. __aexit__ raises `err`.
                owned.cancelled_host = True
                owned.host.cancel()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        owned, self._owned = self._owned, None
        assert owned is not None
        owned.exiting = True
        if owned.failure is None:
            # The block's own error stops the actors at once, as it does for one actor.
            self.stop(immediate=exc is not None)
        outcome: BaseException | None = None
        suppress: bool | None = False
        try:
            suppress = await owned.group.__aexit__(exc_type, exc, tb)
        except BaseException as err:
            outcome = _single(err) if isinstance(err, BaseExceptionGroup) else err
        finally:
            if owned.cancelled_host:
                owned.host.uncancel()  # that cancellation was ours, and is answered here
        # Raised outside the except clause, so that no exception gets another one's context.
        cancelled = anyio.get_cancelled_exc_class()
        if owned.failure is not None and (outcome is None or isinstance(outcome, Exception | cancelled)):
            # The actor's error is the cause of whatever the block did when it was cancelled.
            raise owned.failure
        if outcome is None:
            return suppress
        if outcome is exc:
            return False  # the block's own exception goes on as it was, not wrapped in a group
        raise outcome


@dataclass
class _Owned:
    """The task group that ``async with group:`` runs the group in, and what happened to it."""

    group: TaskGroup
    host: asyncio.Task[Any]
    failure: Exception | None = None
    exiting: bool = False
    cancelled_host: bool = False
