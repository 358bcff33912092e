"""A forwarding HTTP proxy in front of an SWF endpoint, for tests of what moto cannot show.

moto never pages an answer, never holds an empty poll, never sets ``cancelRequested`` and never
throttles. Code that handles those cases still has to be tested through the real client path
(aiobotocore, HTTP, fault parsing), so :class:`SWFProxy` sits between the client and moto,
forwards every request and changes only the answers it was told to change.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Literal, TypedDict

import aiohttp
import anyio
from aiohttp import web

__all__ = ["SWFProxy"]

#: The operations SWF pages, with the key of the list it pages in each answer.
PAGED_LISTS: Final[Mapping[str, str]] = {
    "PollForDecisionTask": "events",
    "GetWorkflowExecutionHistory": "events",
    "ListDomains": "domainInfos",
    "ListWorkflowTypes": "typeInfos",
    "ListActivityTypes": "typeInfos",
    "ListOpenWorkflowExecutions": "executionInfos",
    "ListClosedWorkflowExecutions": "executionInfos",
}
POLL_OPERATIONS: Final = frozenset({"PollForDecisionTask", "PollForActivityTask"})

_TARGET_PREFIX = "SimpleWorkflowService."
_CONTENT_TYPE = "application/x-amz-json-1.0"
#: Headers that describe one hop, not the message; aiohttp sets its own on each side.
_HOP_HEADERS = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
)
#: Seconds a closing proxy lets in-flight requests finish before it cancels them.
_SHUTDOWN_GRACE = 0.25
#: SWF accepts requests of a few megabytes (100 decisions of 32 KB); aiohttp's default is 1 MiB.
_MAX_REQUEST_SIZE = 64 * 1024 * 1024


@dataclass
class _Action:
    """One planned misbehaviour, for the next ``times`` requests of an operation."""

    kind: Literal["fail", "reset", "delay"]
    times: int
    status: int = 400
    code: str = ""
    message: str = ""
    seconds: float = 0.0


class _Answer(TypedDict):
    """An upstream answer, in the keywords of ``web.Response``."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class _Listing:
    """A whole upstream answer that is being served page by page."""

    operation: str
    key: str
    base: dict[str, Any]
    items: list[Any]


class SWFProxy:
    """An HTTP proxy on a free loopback port that forwards to ``upstream_url``.

    ::

        async with SWFProxy(moto.url, page_size=3) as proxy:
            async with aioswf.Connection(**{**moto.settings, "endpoint_url": proxy.url}) as conn:
                ...

    Every request is forwarded unchanged and answered with the upstream answer, unless the test
    asked for something else: :meth:`fail_next`, :meth:`reset_next`, :meth:`delay_next`,
    ``page_size`` (answers of the paged operations split with ``nextPageToken``, later pages
    served by the proxy itself), ``hold_empty_polls`` (an empty poll answer is held like SWF's
    long poll) and ``cancel_requested`` (heartbeat answers ask the activity to stop).

    The attributes are plain state, read and set by the test between calls: ``requests`` (every
    SWF request received, as ``(operation, request_json)``), ``forwarded`` (a counter of the
    requests sent upstream), ``answers`` (operations answered here, polls too: an empty poll
    answer given here is held like an upstream one), ``empty_polls`` (poll answers without a
    task, sent back), ``held_polls`` and ``abandoned_polls`` (holds that ran out, and holds ended
    early because the client gave up).
    """

    def __init__(self, upstream_url: str, *, page_size: int | None = None, host: str = "127.0.0.1") -> None:
        self.upstream_url = upstream_url.rstrip("/")
        self.host = host
        self.page_size = page_size
        #: Extra seconds an empty poll answer waits before it is returned (0: none).
        self.hold_empty_polls: float = 0.0
        #: Whether RecordActivityTaskHeartbeat answers say ``cancelRequested: true``.
        self.cancel_requested = False
        #: Answers given for these operations instead of forwarding them, for what the endpoint
        #: behind lacks (moto answers CountOpenWorkflowExecutions with HTTP 500): the request
        #: aioswf sends is still recorded, and the answer parsed by botocore as SWF's would be.
        self.answers: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.forwarded: Counter[str] = Counter()
        self.held_polls = 0
        self.empty_polls = 0
        self.abandoned_polls = 0
        self._holding = 0
        self._actions: dict[str, deque[_Action]] = {}
        self._listings: dict[str, tuple[_Listing, int]] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._url: str | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._url or 'closed'} -> {self.upstream_url}>"

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the proxy is not running: use `async with SWFProxy(...) as proxy:`")
        return self._url

    @property
    def page_size(self) -> int | None:
        return self._page_size

    @page_size.setter
    def page_size(self, value: int | None) -> None:
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ValueError(f"page_size must be None or a whole number of at least 1, got {value!r}")
        self._page_size = value

    @property
    def holding(self) -> int:
        """How many empty poll answers are being held right now."""
        return self._holding

    def count(self, operation: str) -> int:
        """How many requests of ``operation`` reached the proxy, whatever it did with them."""
        return sum(1 for name, _ in self.requests if name == operation)

    def fail_next(
        self,
        operation: str,
        status: int = 400,
        code: str = "ThrottlingException",
        message: str = "Rate exceeded",
        *,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests of ``operation`` with an SWF fault, unforwarded."""
        if not 400 <= status <= 599:
            raise ValueError(f"a fault needs an HTTP status from 400 to 599, got {status}")
        self._plan(operation, _Action("fail", times, status=status, code=code, message=message))

    def reset_next(self, operation: str, *, times: int = 1) -> None:
        """Close the client's connection, with no answer, on the next ``times`` requests."""
        self._plan(operation, _Action("reset", times))

    def delay_next(self, operation: str, seconds: float, *, times: int = 1) -> None:
        """Wait ``seconds`` before forwarding the next ``times`` requests of ``operation``."""
        if seconds < 0:
            raise ValueError(f"seconds must not be negative, got {seconds}")
        self._plan(operation, _Action("delay", times, seconds=seconds))

    def _plan(self, operation: str, action: _Action) -> None:
        if action.times < 1:
            raise ValueError(f"times must be at least 1, got {action.times}")
        self._actions.setdefault(operation, deque()).append(action)

    def _take_action(self, operation: str) -> _Action | None:
        """The planned action for this request, if any; actions run in the order they were planned."""
        planned = self._actions.get(operation)
        if not planned:
            return None
        action = planned[0]
        action.times -= 1
        if action.times == 0:
            planned.popleft()
        return action

    async def __aenter__(self) -> SWFProxy:
        app = web.Application(client_max_size=_MAX_REQUEST_SIZE)
        app.router.add_route("*", "/{path:.*}", self._handle)
        # handler_cancellation: a client that gives up (a cancelled poll) ends its held request.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=_SHUTDOWN_GRACE
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, 0)
            await site.start()
            port = runner.addresses[0][1]
            # No total timeout: upstream long polls last up to 60 s, and the client has its own.
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=None),
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=("Accept-Encoding", "User-Agent"),
            )
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._url = f"http://{self.host}:{port}"
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop serving (requests in flight get a short grace, then are cancelled) and close."""
        runner, self._runner = self._runner, None
        session, self._session = self._session, None
        self._url = None
        with anyio.CancelScope(shield=True):
            if runner is not None:
                await runner.cleanup()
            if session is not None:
                await session.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        target = request.headers.get("X-Amz-Target", "")
        if not target.startswith(_TARGET_PREFIX):
            return web.Response(**await self._forward(request, body, ""))
        operation = target[len(_TARGET_PREFIX) :]
        params = _json_object(body)
        self.requests.append((operation, params))
        action = self._take_action(operation)
        if action is not None:
            if action.kind == "fail":
                return _fault(action.status, action.code, action.message)
            if action.kind == "reset":
                if request.transport is not None:
                    request.transport.close()
                # Never sent: aiohttp sees the closed transport and drops this quietly.
                return web.Response(status=500)
            await anyio.sleep(action.seconds)
        if operation in self.answers:
            answer = self.answers[operation]
            if operation in POLL_OPERATIONS:
                await self._count_poll(answer)
            return _json_response(answer)

        key = PAGED_LISTS.get(operation)
        token = params.get("nextPageToken")
        if key is not None and token and (token in self._listings or self.page_size is not None):
            return self._next_page(operation, str(token), params)
        paging = key is not None and self.page_size is not None
        if paging and "maximumPageSize" in params:
            # moto truncates List*Executions to maximumPageSize; the proxy must see all items to page them.
            body = json.dumps({k: v for k, v in params.items() if k != "maximumPageSize"}).encode()
        upstream = await self._forward(request, body, operation)
        if upstream["status"] != 200 or not (
            paging
            or operation in POLL_OPERATIONS
            or (operation == "RecordActivityTaskHeartbeat" and self.cancel_requested)
        ):
            return web.Response(**upstream)
        answer = _json_object(upstream["body"])
        if operation in POLL_OPERATIONS:
            await self._count_poll(answer)
        if operation == "RecordActivityTaskHeartbeat" and self.cancel_requested:
            answer["cancelRequested"] = True
        if key is not None and isinstance(answer.get(key), list):
            base = {k: v for k, v in answer.items() if k not in (key, "nextPageToken")}
            answer = self._page(_Listing(operation, key, base, answer[key]), 0, self._limit(params))
        return _json_response(answer, upstream["headers"])

    async def _forward(self, request: web.Request, body: bytes, operation: str) -> _Answer:
        """Send the request upstream; its answer, or a 502 when no answer came."""
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        if operation:
            self.forwarded[operation] += 1
        url = self.upstream_url + request.rel_url.path_qs
        try:
            async with self._session.request(request.method, url, data=body, headers=headers) as upstream:
                answer = await upstream.read()
                back = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_HEADERS}
                return _Answer(status=upstream.status, headers=back, body=answer)
        except aiohttp.ClientError as err:
            # What an HTTP proxy answers when its upstream fails; botocore makes it a 5xx error.
            text = f"SWFProxy: upstream {self.upstream_url} failed: {err!r}"
            return _Answer(status=502, headers={"Content-Type": "text/plain"}, body=text.encode())

    async def _count_poll(self, answer: Mapping[str, Any]) -> None:
        """Count a poll answer without a task, and hold it first if the test asked for that."""
        if answer.get("taskToken"):
            return
        if self.hold_empty_polls > 0:
            await self._hold(self.hold_empty_polls)
        self.empty_polls += 1

    async def _hold(self, seconds: float) -> None:
        self._holding += 1
        try:
            await anyio.sleep(seconds)
        except anyio.get_cancelled_exc_class():
            self.abandoned_polls += 1
            raise
        finally:
            self._holding -= 1
        self.held_polls += 1

    def _limit(self, params: Mapping[str, Any]) -> int | None:
        """Items per page: ``page_size``, or the client's ``maximumPageSize`` when it is smaller."""
        limit = self.page_size
        requested = params.get("maximumPageSize")
        if isinstance(requested, int) and requested > 0 and (limit is None or requested < limit):
            limit = requested
        return limit

    def _page(self, listing: _Listing, offset: int, limit: int | None) -> dict[str, Any]:
        end = len(listing.items) if limit is None else offset + limit
        page = {**listing.base, listing.key: listing.items[offset:end]}
        if end < len(listing.items):
            token = secrets.token_urlsafe(24)
            self._listings[token] = (listing, end)
            page["nextPageToken"] = token
        return page

    def _next_page(self, operation: str, token: str, params: Mapping[str, Any]) -> web.Response:
        """A later page, from the stored answer: SWF serves them without a new poll or query."""
        stored = self._listings.get(token)
        if stored is None or stored[0].operation != operation:
            return _fault(400, "ValidationException", f"Invalid nextPageToken for {operation}")
        listing, offset = stored
        return _json_response(self._page(listing, offset, self._limit(params)))


def _json_object(body: bytes) -> dict[str, Any]:
    """The JSON object in a body; anything else (an HTML error page, garbage) as ``{}``."""
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _json_response(answer: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> web.Response:
    out = {k: v for k, v in (headers or {}).items() if k.lower() != "content-type"}
    out["Content-Type"] = _CONTENT_TYPE
    return web.Response(status=200, body=json.dumps(answer).encode(), headers=out)


def _fault(status: int, code: str, message: str) -> web.Response:
    """An SWF-style JSON fault, which botocore parses into ``ClientError`` with this code."""
    body = {"__type": f"com.amazonaws.swf.base.model#{code}", "message": message}
    headers = {"Content-Type": _CONTENT_TYPE, "x-amzn-RequestId": str(uuid.uuid4())}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)
