"""One connection to SWF: the shared aiobotocore session, two clients, and the one call seam.

Every SWF request of aioswf goes through :meth:`Connection.call`. It checks maximum lengths,
sends the operation, maps faults to :mod:`aioswf.exceptions`, counts and logs. Measure, instrument
or replace the transport there and nowhere else.

A connection owns two clients. Polls go to one whose read timeout is above SWF's 60 s long poll
and whose pool is large; every other call goes to the other, so a hundred idle polls never make a
heartbeat or a decision wait for a free connection.
"""

from __future__ import annotations

import enum
import logging
import platform
import re
import threading
import time
from collections import Counter
from collections.abc import Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aiobotocore
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from botocore.model import OperationNotFoundError

from . import _faults, _redaction
from . import settings as _settings
from ._config import ConnectionConfig
from ._limits import check_lengths
from ._timestamps import parse_timestamp
from ._version import __version__
from .exceptions import AioswfError, ConnectionClosedError, ValidationError

__all__ = ["Connection", "ConnectionStatistics", "shared_session"]

log = logging.getLogger("aioswf.connection")

#: The operations that long-poll, and so use the poll client.
POLL_OPERATIONS = frozenset({"PollForDecisionTask", "PollForActivityTask"})

#: What every request says it comes from, before the app id (if one is set) and the session's
#: ``botocore/<version>``. A fixed string: botocore otherwise builds the header anew (twice) for
#: every request, from a dozen sanitized parts, at a tenth of the client's CPU per call.
USER_AGENT = (
    f"aioswf/{__version__} aiobotocore/{aiobotocore.__version__} "
    f"Python/{platform.python_version()} {platform.system()}/{platform.release()}"
)
#: What botocore lets into a User-Agent token (its app id rule: at most 50 characters).
_UA_TOKEN_UNSAFE = re.compile(r"[^A-Za-z0-9!#$%&'*+\-.^_`|~]")


def user_agent(session: AioSession) -> str:
    """:data:`USER_AGENT`, with ``app/<id>`` when ``AWS_SDK_UA_APP_ID`` or ``sdk_ua_app_id`` is set."""
    try:
        app_id = session.get_config_variable("user_agent_appid")
    except BotoCoreError:
        return USER_AGENT  # a missing profile, say: creating the client says so, as it should
    if not app_id:
        return USER_AGENT
    return f"{USER_AGENT} app/{_UA_TOKEN_UNSAFE.sub('-', str(app_id))[:50]}"


_sessions: dict[str | None, AioSession] = {}
_sessions_lock = threading.Lock()


def shared_session(profile: str | None = None) -> AioSession:
    """The process's aiobotocore session (one per botocore profile), made on first use.

    A session holds no connections and no event-loop state of its own, so every connection of
    the process, in any event loop, creates its clients from this one.
    """
    with _sessions_lock:
        session = _sessions.get(profile)
        if session is None:
            session = _sessions[profile] = AioSession(profile=profile)
            parsers = session.get_component("response_parser_factory")
            parsers.set_parser_defaults(timestamp_parser=parse_timestamp)
        return session


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class ConnectionStatistics:
    """Counts of a connection's calls so far, per SWF operation."""

    calls: Mapping[str, int]
    failures: Mapping[str, int]
    in_flight: int
    polls_in_flight: int

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())


class Connection:
    """A connection to SWF (or to an endpoint such as moto standing in for it).

    ::

        async with aioswf.Connection(region="eu-west-1") as conn:
            domain = await DomainQuerySet(connection=conn).get("prod")

    ``settings`` is a resolved :class:`aioswf.settings.Settings`; without it the connection calls
    :func:`aioswf.settings.load` when it opens, with ``overrides`` (``region=``, ``endpoint_url=``,
    credentials...) winning over every other source. ``config`` sets timeouts, pools and retries.
    """

    def __init__(
        self,
        settings: _settings.Settings | None = None,
        /,
        *,
        config: ConnectionConfig | None = None,
        **overrides: str | None,
    ) -> None:
        if settings is not None and overrides:
            raise TypeError("give either settings or keyword overrides, not both")
        if settings is not None and not isinstance(settings, _settings.Settings):
            raise TypeError(
                f"settings must be an aioswf.settings.Settings (from aioswf.settings.load()), "
                f"got {type(settings).__name__}; give keyword overrides instead: Connection(region=...)"
            )
        if config is not None and not isinstance(config, ConnectionConfig):
            raise TypeError(f"config must be an aioswf.ConnectionConfig, got {type(config).__name__}")
        _settings._check_keys(overrides)
        self._given_settings = settings
        self._overrides = overrides
        self.config = config or ConnectionConfig()
        self.settings: _settings.Settings | None = None
        self._state = _State.UNOPENED
        self._stack: AsyncExitStack | None = None
        self._client: Any = None
        self._poll_client: Any = None
        self._methods: dict[str, str] = {}
        self._calls: Counter[str] = Counter()
        self._failures: Counter[str] = Counter()
        self._in_flight = 0
        self._polls_in_flight = 0

    def __repr__(self) -> str:
        endpoint = self.settings.endpoint_url if self.settings else None
        region = self.settings.region if self.settings else None
        endpoint = _settings._redact_url(endpoint)
        return f"<{type(self).__name__} {self._state.value} region={region!r} endpoint={endpoint!r}>"

    @property
    def closed(self) -> bool:
        return self._state is _State.CLOSED

    async def __aenter__(self) -> Connection:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def open(self) -> None:
        """Resolve the settings and create the clients. ``async with`` calls it for you."""
        if self._state is _State.OPEN:
            return
        if self._state is _State.CLOSED:
            raise ConnectionClosedError("this connection was closed; make a new one")
        settings = self._given_settings or _settings.resolve(self._overrides)
        self._stack, self._client, self._poll_client = await self._create_clients(settings)
        self.settings = settings
        self._state = _State.OPEN
        log.debug("opened %r", self)

    async def _create_clients(self, settings: _settings.Settings) -> tuple[AsyncExitStack, Any, Any]:
        _redaction.register(
            settings.aws_access_key_id, settings.aws_secret_access_key, settings.aws_session_token
        )
        session = shared_session(settings.profile)
        config = self.config
        common: dict[str, Any] = {
            "region_name": settings.region,
            "endpoint_url": settings.endpoint_url,
            "aws_access_key_id": settings.aws_access_key_id,
            "aws_secret_access_key": settings.aws_secret_access_key,
            "aws_session_token": settings.aws_session_token,
        }
        agent = user_agent(session)
        call_config = AioConfig(
            user_agent=agent,
            read_timeout=config.read_timeout,
            connect_timeout=config.connect_timeout,
            max_pool_connections=config.max_pool_connections,
            retries={"mode": "standard", "total_max_attempts": config.max_attempts},
        )
        poll_config = AioConfig(
            user_agent=agent,
            read_timeout=config.poll_read_timeout,
            connect_timeout=config.connect_timeout,
            max_pool_connections=config.max_poll_connections,
            # A retried poll may hand out a second task while the first one's answer was lost;
            # the actors retry polls themselves, with backoff.
            retries={"mode": "standard", "total_max_attempts": 1},
        )
        stack = AsyncExitStack()
        try:
            client = await stack.enter_async_context(
                session.create_client("swf", config=call_config, **common)
            )
            poll_client = await stack.enter_async_context(
                session.create_client("swf", config=poll_config, **common)
            )
        except BotoCoreError as err:
            await stack.aclose()
            raise _faults.from_botocore_error("CreateClient", err) from None
        except BaseException:
            await stack.aclose()
            raise
        return stack, client, poll_client

    async def aclose(self) -> None:
        """Close the clients. Calls still in flight fail with :class:`ConnectionClosedError`."""
        if self._state is _State.CLOSED:
            return
        self._state = _State.CLOSED
        stack, self._stack = self._stack, None
        self._client = self._poll_client = None
        if stack is not None:
            await stack.aclose()
            log.debug("closed %r", self)

    async def _clients(self) -> tuple[Any, Any]:
        """The open clients; the default connection overrides this to open itself lazily."""
        if self._state is not _State.OPEN:
            if self._state is _State.CLOSED:
                raise ConnectionClosedError("this connection is closed")
            raise ConnectionClosedError(
                "this connection is not open: use `async with Connection(...) as conn:`"
            )
        return self._client, self._poll_client

    async def call(self, operation: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Send one SWF operation (``"RegisterDomain"``) with its parameters in SWF's own casing.

        Returns SWF's answer without ``ResponseMetadata``. Raises :class:`ValidationError` before
        sending when a field is too long, a :class:`SWFError` subclass when SWF refuses, and
        :class:`TransportError` when no answer arrives.
        """
        client, poll_client = await self._clients()
        poll = operation in POLL_OPERATIONS
        params = params or {}
        if not isinstance(params, Mapping):
            raise ValidationError(
                f"{operation}: the parameters must be a mapping, got {type(params).__name__}"
            )
        chosen = poll_client if poll else client
        try:
            model = chosen.meta.service_model.operation_model(operation)
        except OperationNotFoundError:
            raise ValidationError(f"{operation!r} is not an SWF operation", field="operation") from None
        check_lengths(model, params)
        method = self._methods.get(operation)
        if method is None:
            method = self._methods[operation] = xform_name(operation)
        self._calls[operation] += 1
        self._in_flight += 1
        if poll:
            self._polls_in_flight += 1
        started = time.perf_counter()
        try:
            response: dict[str, Any] = await getattr(chosen, method)(**params)
        except ClientError as err:
            self._failures[operation] += 1
            error = _faults.from_client_error(operation, err)
            log.debug("%s failed after %.1f ms: %s", operation, _ms(started), error.code)
            raise error from err
        except BotoCoreError as err:
            self._failures[operation] += 1
            if self._state is _State.CLOSED:
                raise ConnectionClosedError(
                    f"{operation}: the connection was closed during the call"
                ) from err
            mapped: AioswfError = _faults.from_botocore_error(operation, err)
            log.debug("%s failed after %.1f ms: %s", operation, _ms(started), type(mapped).__name__)
            raise mapped from err
        finally:
            self._in_flight -= 1
            if poll:
                self._polls_in_flight -= 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s took %.1f ms", operation, _ms(started))
        response.pop("ResponseMetadata", None)
        return response

    def statistics(self) -> ConnectionStatistics:
        return ConnectionStatistics(
            calls=dict(self._calls),
            failures=dict(self._failures),
            in_flight=self._in_flight,
            polls_in_flight=self._polls_in_flight,
        )


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
