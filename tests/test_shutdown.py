"""Stopping actors with many tasks in flight, and during a held poll: nothing is lost."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker
from aioswf.events import ActivityTaskCompleted, ActivityTaskFailed
from aioswf.testing import MotoServer, MotoSettings, SWFProxy

from .conftest import NO_RETRIES
from .test_actors import ACTIVITIES, events_of, setup_types, start_with_activities

FIFTY = [str(n) for n in range(50)]


async def run_until_started(worker: ActivityWorker, count: int, started: list[str]) -> None:
    with anyio.fail_after(30):
        while len(started) < count:
            await anyio.sleep(0.02)


async def test_graceful_stop_lets_fifty_activities_finish(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, FIFTY)
    started: list[str] = []

    async def short(task: ActivityTask) -> str:
        started.append(task.activity_id)
        await anyio.sleep(0.5)
        return f"done {task.input}"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: short}, max_concurrent=50)
    async with anyio.create_task_group() as group:
        await group.start(worker.run)
        await run_until_started(worker, 50, started)
        worker.stop()  # graceful: the 50 finish well inside the default grace period
    history = await execution.history()
    assert sorted(str(e.result) for e in events_of(history, ActivityTaskCompleted)) == sorted(
        f"done {n}" for n in FIFTY
    )
    assert events_of(history, ActivityTaskFailed) == []
    assert worker.statistics().tasks_done == 50


async def test_grace_period_ends_with_fifty_activities_handed_back(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain, workflow, activity = await setup_types(connection, domain_name)
    execution = await start_with_activities(workflow, activity, FIFTY)
    started: list[str] = []

    async def forever(task: ActivityTask) -> str:
        started.append(task.activity_id)
        await anyio.sleep(3600)
        return "never"

    worker = ActivityWorker(domain, ACTIVITIES, {activity: forever}, max_concurrent=50, grace_period=0.3)
    async with anyio.create_task_group() as group:
        await group.start(worker.run)
        await run_until_started(worker, 50, started)
        worker.stop()  # graceful, but nothing finishes within 0.3 s
    history = await execution.history()
    reasons = [e.reason for e in events_of(history, ActivityTaskFailed)]
    assert reasons == ["worker shutting down"] * 50
    assert events_of(history, ActivityTaskCompleted) == []
    stats = worker.statistics()
    assert (stats.tasks_running, stats.tasks_failed) == (0, 50)


def test_bad_grace_periods_are_refused() -> None:
    for bad in (-1, "soon", True):
        with pytest.raises(aioswf.exceptions.ValidationError, match="grace_period"):
            ActivityWorker("d", "t", grace_period=bad)  # type: ignore[arg-type]


@pytest.fixture
async def held(moto: MotoServer) -> AsyncIterator[tuple[SWFProxy, aioswf.Connection]]:
    async with SWFProxy(moto.url) as proxy:
        settings: MotoSettings = moto.settings
        settings["endpoint_url"] = proxy.url
        async with aioswf.Connection(config=NO_RETRIES, **settings) as conn:
            yield proxy, conn


async def test_graceful_stop_waits_for_a_held_poll(
    held: tuple[SWFProxy, aioswf.Connection], connection: aioswf.Connection, domain_name: str
) -> None:
    proxy, via_proxy = held
    await aioswf.models.Domain(domain_name, connection=connection).save()
    proxy.hold_empty_polls = 1.0  # real SWF holds an empty poll for up to 60 s
    worker = ActivityWorker(aioswf.models.Domain(domain_name, connection=via_proxy), "idle")
    async with anyio.create_task_group() as group:
        await group.start(worker.run)
        with anyio.fail_after(10):
            while proxy.holding == 0:
                await anyio.sleep(0.02)
        worker.stop()
        began = anyio.current_time()
    waited = anyio.current_time() - began
    assert worker.statistics().empty_polls == 1  # the held poll was let finish
    assert proxy.abandoned_polls == 0
    assert waited > 0.5  # loose: it waited for the hold (about 1 s moto + 1 s held)


async def test_immediate_stop_abandons_a_held_poll(
    held: tuple[SWFProxy, aioswf.Connection], connection: aioswf.Connection, domain_name: str
) -> None:
    proxy, via_proxy = held
    await aioswf.models.Domain(domain_name, connection=connection).save()
    proxy.hold_empty_polls = 30.0
    worker = ActivityWorker(aioswf.models.Domain(domain_name, connection=via_proxy), "idle")
    with anyio.fail_after(10):  # would take 30 s if the poll were waited for
        async with anyio.create_task_group() as group:
            await group.start(worker.run)
            while proxy.holding == 0:
                await anyio.sleep(0.02)
            worker.stop(immediate=True)
    assert worker.statistics().empty_polls == 0
    with anyio.fail_after(5):
        while proxy.abandoned_polls == 0:  # the proxy saw the client give up
            await anyio.sleep(0.02)
