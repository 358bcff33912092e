"""The web service and the 100-decider examples, run for real against moto."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import anyio
import pytest
from aiohttp import web

import aioswf
from aioswf.actors import Decider, DecisionTask
from aioswf.exceptions import InvalidCredentialsError
from aioswf.testing import MotoServer

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ["the quick brown fox", "", "one two three four five six seven"]
#: One decision to schedule the activity, the activity, one decision to complete.
HISTORY = [
    "WorkflowExecutionStarted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskCompleted",
    "ActivityTaskScheduled",
    "ActivityTaskStarted",
    "ActivityTaskCompleted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskCompleted",
    "WorkflowExecutionCompleted",
]


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples_{name}", ROOT / "examples" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def web_service() -> Iterator[ModuleType]:
    module = load_example("web_service")
    yield module
    sys.modules.pop(module.__name__, None)


def moto_environment(moto: MotoServer) -> dict[str, str]:
    return {
        **os.environ,
        "AWS_ENDPOINT_URL_SWF": moto.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
    }


def expected_result(text: str) -> dict[str, Any]:
    words = text.split()
    return {"words": len(words), "characters": len(text), "longest": max(words, key=len, default="")}


async def follow(http: aiohttp.ClientSession, path: str, timeout: float = 20) -> dict[str, Any]:
    """GET the status until the execution is closed."""
    with anyio.fail_after(timeout):
        while True:
            async with http.get(path) as answer:
                assert answer.status == 200
                status: dict[str, Any] = await answer.json()
            if status["status"] == "CLOSED":
                return status
            assert status["close_status"] is None and status["result"] is None
            await anyio.sleep(0.1)


async def test_web_service_starts_follows_and_shows_workflows(
    moto: MotoServer, web_service: ModuleType
) -> None:
    aioswf.settings.set(**moto.settings)
    app = web_service.create_app()
    runner = web.AppRunner(app)
    await runner.setup()  # start-up and clean-up in this one task, as web.run_app does
    try:
        sock = socket.create_server(("127.0.0.1", 0))
        await web.SockSite(runner, sock).start()
        host, port = sock.getsockname()[:2]
        async with aiohttp.ClientSession(f"http://{host}:{port}") as http:
            started = []
            for text in TEXTS:
                async with http.post("/workflows", json={"text": text}) as answer:
                    assert answer.status == 201
                    ids = await answer.json()
                    assert answer.headers["Location"] == ids["status"]
                started.append(ids)
            assert len({ids["workflow_id"] for ids in started}) == 3
            for text, ids in zip(TEXTS, started, strict=True):
                assert ids["status"] == f"/workflows/{ids['workflow_id']}/{ids['run_id']}"
                status = await follow(http, ids["status"])
                assert (status["close_status"], status["result"]) == ("COMPLETED", expected_result(text))
                assert (status["workflow_id"], status["run_id"]) == (ids["workflow_id"], ids["run_id"])
                assert datetime.fromisoformat(status["closed"]) >= datetime.fromisoformat(status["started"])
                async with http.get(ids["history"]) as answer:
                    events = (await answer.json())["events"]
                assert [event["event_type"] for event in events] == HISTORY
                assert [event["event_id"] for event in events] == list(range(1, len(HISTORY) + 1))
                times = [datetime.fromisoformat(event["timestamp"]) for event in events]
                assert times == sorted(times) and all(t.tzinfo is not None for t in times)
            async with http.get("/actors") as answer:
                actors = await answer.json()
            # 3 workflows × (2 decisions + 1 activity), by 1 decider and 2 workers.
            assert (actors["actors"], actors["tasks_done"], actors["tasks_failed"]) == (3, 9, 0)
            for body, said in ((b"{nope", "not JSON"), (b'{"text": 5}', "at most")):
                async with http.post("/workflows", data=body) as answer:
                    assert answer.status == 400 and said in (await answer.json())["error"]
            ids = started[0]
            for path in (f"/workflows/{ids['workflow_id']}/0123", f"/workflows/nope/{ids['run_id']}/history"):
                async with http.get(path) as answer:
                    assert answer.status == 404
        service = app[web_service.SERVICE]
        assert "running" in repr(service.group)
    finally:
        await runner.cleanup()
    assert "stopped" in repr(service.group)  # the clean-up stopped the actors
    assert service.domain.connection is not None and service.domain.connection.closed


def revoking(revoked: anyio.Event) -> type[Decider]:
    class RevokedDecider(Decider):
        """Polls until ``revoked`` is set, then fails as a poll with revoked credentials does."""

        async def poll(
            self,
            task_list: str | None = None,
            identity: str | None = None,
            maximum_page_size: int | None = None,
        ) -> DecisionTask | None:
            await revoked.wait()
            raise InvalidCredentialsError("the key was revoked", operation="PollForDecisionTask")

    return RevokedDecider


async def test_web_service_shuts_down_when_its_actors_fail(
    moto: MotoServer, web_service: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fatal actor error cancels the serving task once; the clean-up runs in full, and the
    error comes out of it unwrapped (web.run_app would raise it, and the script exit 1)."""
    aioswf.settings.set(**moto.settings)
    revoked = anyio.Event()
    monkeypatch.setattr(web_service, "Decider", revoking(revoked))
    app = web_service.create_app()
    runner = web.AppRunner(app)
    await runner.setup()
    serving_cancelled = False
    with anyio.fail_after(20), pytest.raises(InvalidCredentialsError, match="revoked"):
        try:
            revoked.set()
            await anyio.sleep(30)  # where web.run_app's serving task waits
        except anyio.get_cancelled_exc_class():
            serving_cancelled = True
            raise
        finally:
            await runner.cleanup()  # awaits, and is not cancelled again
    service = app[web_service.SERVICE]
    assert serving_cancelled and "stopped" in repr(service.group)
    assert service.domain.connection is not None and service.domain.connection.closed


def test_web_service_self_test_mode(moto: MotoServer) -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error", str(ROOT / "examples" / "web_service.py"), "--self-test"],
        env=moto_environment(moto),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith("serving on http://127.0.0.1:")
    assert ' -> COMPLETED {"words": 9, "characters": 43, "longest": "quick"}' in done.stdout
    assert f"-> {len(HISTORY)} events: {', '.join(HISTORY)}" in done.stdout
    assert lines[-1].startswith("self-test passed")


async def test_web_service_serves_until_sigterm_and_stops_cleanly() -> None:
    # No endpoint configured: it starts (and must stop) an embedded moto server of its own.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-W", "error", str(ROOT / "examples" / "web_service.py"), "--port", "0"]
    process = await anyio.open_process(command, env=env, stderr=subprocess.PIPE)
    async with process:
        assert process.stdout is not None and process.stderr is not None
        with anyio.fail_after(30):
            output = b""
            while b"serving on " not in output:
                output += await process.stdout.receive()
            lines = output.decode().splitlines()
            moto_url = lines[0].rsplit(" ", 1)[-1]
            url = lines[1].removeprefix("serving on ").strip()
            async with aiohttp.ClientSession(url) as http:
                async with http.post("/workflows", json={"text": "stop me"}) as answer:
                    ids = await answer.json()
                status = await follow(http, ids["status"])
            process.send_signal(signal.SIGTERM)
            rest = b"".join([chunk async for chunk in process.stdout]).decode()
            errors = b"".join([chunk async for chunk in process.stderr]).decode()
            assert await process.wait() == 0, errors
    assert status["result"] == expected_result("stop me")
    assert (rest.strip(), errors) == ("stopped cleanly", "")
    host, port = moto_url.removeprefix("http://").split(":")
    with pytest.raises(OSError), socket.create_connection((host, int(port)), timeout=2):
        pass  # the clean-up stopped the embedded moto server too


async def test_a_hundred_deciders_in_one_process(moto: MotoServer) -> None:
    many_deciders = load_example("many_deciders")
    aioswf.settings.set(**moto.settings)
    figures = await many_deciders.run(deciders=100, workers=3, timeout=60)
    # run() read every history: all 100 completed, each decided on its own task list.
    assert figures["results"] == 100
    stats = figures["statistics"]
    assert (stats.tasks_done, stats.tasks_failed, stats.tasks_running, stats.polls_in_flight) == (
        300,
        0,
        0,
        0,
    )
    assert figures["workflow_seconds"] < 30
    task = asyncio.current_task()
    assert task is not None and task.cancelling() == 0
