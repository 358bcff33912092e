"""Deciders and workers inside a web service: an aiohttp application that starts SWF workflows.

    python examples/web_service.py [--host HOST] [--port PORT]   # serve until Ctrl-C or SIGTERM
    python examples/web_service.py --self-test                   # start, use, check, stop; exit 0

The application's start-up (a ``cleanup_ctx``) opens the SWF connection, registers the types and
starts an :class:`aioswf.actors.ActorGroup` of one decider and two activity workers; its clean-up
stops them gracefully (what they are running finishes and is reported) and closes the connection.
The workflow is one activity: it counts the words of the text it is given.

    POST /workflows                              {"text": "..."} → 201 {"workflow_id", "run_id", ...}
    GET  /workflows/{workflow_id}/{run_id}          its status, close status and result
    GET  /workflows/{workflow_id}/{run_id}/history  its events: type, id and timestamp
    GET  /actors                                    the actors' statistics

With no SWF endpoint or credentials configured (see aioswf.settings) it starts an embedded moto
server; with ``AWS_ENDPOINT_URL_SWF`` set, or credentials and a region, it uses that instead.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp import web

import aioswf
from aioswf.actors import ActivityTask, ActivityWorker, ActorGroup, Decider, DecisionTask
from aioswf.decisions import CompleteWorkflowExecution, Decision, FailWorkflowExecution, ScheduleActivityTask
from aioswf.events import UnknownEvent, WorkflowExecutionCompleted
from aioswf.exceptions import AioswfError, AlreadyExistsError, DoesNotExistError, ValidationError
from aioswf.models import ActivityType, Domain, WorkflowExecution, WorkflowType
from aioswf.querysets import DomainQuerySet

DOMAIN = "aioswf-examples"
DECISION_TASK_LIST = "web-service-decisions"
ACTIVITY_TASK_LIST = "web-service-activities"
WORKFLOW = ("CountWords", "1")
ACTIVITY = ("CountWords", "1")
MAX_TEXT = 10_000  # SWF takes 32,768 characters of input; a web form should say no well before


@dataclass(frozen=True)
class Service:
    """What the request handlers need, made by the start-up and kept on the application."""

    domain: Domain
    workflow: WorkflowType
    group: ActorGroup


SERVICE = web.AppKey("service", Service)


# The workflow ----------------------------------------------------------------------------------


async def count_words(task: ActivityTask) -> dict[str, Any]:
    words = (task.input or "").split()
    return {
        "words": len(words),
        "characters": len(task.input or ""),
        "longest": max(words, key=len, default=""),
    }


async def decide(task: DecisionTask) -> list[Decision]:
    state = task.history.compile()
    counted = state.activities.get("count")
    if counted is None:
        return [
            ScheduleActivityTask(activity_type=ACTIVITY, activity_id="count", input=state.execution.input)
        ]
    if counted.status == "completed":
        return [CompleteWorkflowExecution(result=counted.result)]
    if counted.open:
        return []
    return [FailWorkflowExecution(reason=f"counting ended {counted.status}: {counted.reason}"[:256])]


# Start-up and clean-up -------------------------------------------------------------------------


def wants_real_swf(settings: aioswf.settings.Settings) -> bool:
    """An endpoint, or credentials (or a profile) and a region: run against that."""
    return bool(settings.endpoint_url) or bool(
        settings.region and (settings.has_credentials or settings.profile)
    )


async def swf(app: web.Application) -> AsyncIterator[None]:
    """The application's SWF side: connection, types and actors, for as long as it runs.

    aiohttp runs this generator's two halves in the task that runs the application (web.run_app
    and AppRunner both do), so the actors' task group is entered and left in that one task. If
    an actor fails fatally (revoked credentials, say), the group cancels that task once: aiohttp
    stops serving and runs this clean-up, and web.run_app raises the actor's error.
    """
    async with AsyncExitStack() as stack:
        settings = aioswf.settings.load()
        if wants_real_swf(settings):
            connection = aioswf.Connection(settings)
        else:
            from aioswf.testing import MotoServer

            moto = await stack.enter_async_context(MotoServer())
            print(f"no SWF endpoint or credentials configured: started an embedded moto server at {moto.url}")
            connection = aioswf.Connection(**moto.settings)
        await stack.enter_async_context(connection)
        domain, _ = await DomainQuerySet(connection=connection).get_or_create(DOMAIN, retention_period=1)
        workflow = WorkflowType(
            domain,
            *WORKFLOW,
            task_list=DECISION_TASK_LIST,
            execution_timeout=timedelta(hours=1),
            decision_tasks_timeout=timedelta(minutes=1),
        )
        minutes = timedelta(minutes=5)
        activity = ActivityType(
            domain,
            *ACTIVITY,
            task_list=ACTIVITY_TASK_LIST,
            task_start_to_close_timeout=minutes,
            task_schedule_to_start_timeout=minutes,
            task_schedule_to_close_timeout=minutes,
        )
        for kind in (workflow, activity):
            with suppress(AlreadyExistsError):
                await kind.save()
        group = ActorGroup(
            Decider(domain, DECISION_TASK_LIST, decide),
            *(ActivityWorker(domain, ACTIVITY_TASK_LIST, {activity: count_words}) for _ in range(2)),
        )
        # Entered last, so left first: the actors stop (gracefully) before the connection closes.
        await stack.enter_async_context(group)
        app[SERVICE] = Service(domain, workflow, group)
        yield


# The routes ------------------------------------------------------------------------------------

routes = web.RouteTableDef()


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def execution_of(request: web.Request) -> WorkflowExecution:
    service = request.app[SERVICE]
    return WorkflowExecution(service.domain, request.match_info["workflow_id"], request.match_info["run_id"])


@routes.post("/workflows")
async def start_workflow(request: web.Request) -> web.Response:
    try:
        body = await request.json() if request.can_read_body else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error(400, "the body is not JSON")
    text = body.get("text", "") if isinstance(body, dict) else None
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return error(400, f'give {{"text": "..."}}, at most {MAX_TEXT} characters')
    execution = await request.app[SERVICE].workflow.start_execution(f"web-{uuid.uuid4().hex[:12]}", text)
    assert execution.run_id is not None  # start_execution returns SWF's run id
    path = f"/workflows/{execution.workflow_id}/{execution.run_id}"
    answer = {"workflow_id": execution.workflow_id, "run_id": execution.run_id, "status": path}
    return web.json_response({**answer, "history": f"{path}/history"}, status=201, headers={"Location": path})


@routes.get("/workflows/{workflow_id}/{run_id}")
async def workflow_status(request: web.Request) -> web.Response:
    try:
        current = await execution_of(request).upstream()
        result = None
        if current.close_status == "COMPLETED":
            last = (await current.history()).last
            if isinstance(last, WorkflowExecutionCompleted) and last.result:
                result = json.loads(last.result)
    except (DoesNotExistError, ValidationError):
        return error(404, "no such workflow execution")
    started, closed = current.start_timestamp, current.close_timestamp
    return web.json_response(
        {
            "workflow_id": current.workflow_id,
            "run_id": current.run_id,
            "status": current.status,  # OPEN or CLOSED
            "close_status": current.close_status,  # COMPLETED, FAILED, ... once closed
            "started": started.isoformat() if started else None,
            "closed": closed.isoformat() if closed else None,
            "result": result,
        }
    )


@routes.get("/workflows/{workflow_id}/{run_id}/history")
async def workflow_history(request: web.Request) -> web.Response:
    try:
        history = await execution_of(request).history()
    except (DoesNotExistError, ValidationError):
        return error(404, "no such workflow execution")
    events = [
        {
            # An event type this aioswf does not know keeps the server's name for it.
            "event_type": event.type_name if isinstance(event, UnknownEvent) else event.event_type,
            "event_id": event.event_id,
            "timestamp": event.timestamp.isoformat(),
        }
        for event in history
    ]
    return web.json_response({"events": events})


@routes.get("/actors")
async def actor_statistics(request: web.Request) -> web.Response:
    group = request.app[SERVICE].group
    return web.json_response({"actors": len(group), **dataclasses.asdict(group.statistics())})


def create_app() -> web.Application:
    app = web.Application()
    app.add_routes(routes)
    app.cleanup_ctx.append(swf)
    return app


# Running it ------------------------------------------------------------------------------------


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before the application starts so that port 0 (any free port)
    has a number to print."""
    return socket.create_server((host, port))


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{host}:{port}"


async def self_test(timeout: float = 60) -> None:
    """Serve on a free port, start a workflow over HTTP and follow it to its end; raise if wrong."""
    runner = web.AppRunner(create_app())
    await runner.setup()  # the start-up: connection, types and actors are live after it
    try:
        sock = bind("127.0.0.1", 0)
        site = web.SockSite(runner, sock)
        await site.start()
        url = url_of(sock)
        print(f"serving on {url}", flush=True)
        text = "the quick brown fox jumps over the lazy dog"
        began = time.monotonic()
        async with aiohttp.ClientSession(url, raise_for_status=True) as http:
            async with http.post("/workflows", json={"text": text}) as answer:
                ids = await answer.json()
            print(f"POST /workflows -> {ids['workflow_id']} {ids['run_id']}")
            async with asyncio.timeout(timeout):
                while True:
                    async with http.get(ids["status"]) as answer:
                        status = await answer.json()
                    if status["status"] == "CLOSED":
                        break
                    await asyncio.sleep(0.2)
            async with http.get(ids["history"]) as answer:
                events = (await answer.json())["events"]
        print(f"GET {ids['status']} -> {status['close_status']} {json.dumps(status['result'])}")
        print(f"GET {ids['history']} -> {len(events)} events: {', '.join(e['event_type'] for e in events)}")
        expected = {"words": 9, "characters": len(text), "longest": "quick"}
        if status["close_status"] != "COMPLETED" or status["result"] != expected:
            raise RuntimeError(f"the workflow ended {status['close_status']} with {status['result']!r}")
        kinds = [event["event_type"] for event in events]
        if kinds[0] != "WorkflowExecutionStarted" or kinds[-1] != "WorkflowExecutionCompleted":
            raise RuntimeError(f"unexpected history: {kinds}")
        print(f"self-test passed: the workflow completed in {time.monotonic() - began:.1f} s")
    finally:
        await runner.cleanup()  # the clean-up: the actors stop gracefully, the connection closes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on, 0 for any (default 8080)")
    parser.add_argument("--self-test", action="store_true", help="start, run one workflow over HTTP, stop")
    args = parser.parse_args(argv)
    try:
        if args.self_test:
            asyncio.run(self_test())
            return 0
        sock = bind(args.host, args.port)
        url = url_of(sock)
        # web.run_app runs the start-up, serves until SIGINT or SIGTERM, then runs the clean-up;
        # its print() comes once the site listens, so "serving on" means requests are answered.
        web.run_app(create_app(), sock=sock, print=lambda _: print(f"serving on {url}", flush=True))
    except (AioswfError, RuntimeError, TimeoutError, aiohttp.ClientError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print("stopped cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
