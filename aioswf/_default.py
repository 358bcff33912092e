"""The default connection: what ``DomainQuerySet()`` uses when it is given none.

There is one per event loop. It reads :mod:`aioswf.settings` when it first sends a call in that
loop, and again after :func:`aioswf.settings.set` changed them. It is closed when the loop shuts
down its async generators (``asyncio.run()`` and ``asyncio.Runner`` do this as they finish), or
earlier by :func:`close_default_connection`, so it never leaves an unclosed client behind and a
program may call ``asyncio.run()`` as often as it likes.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncGenerator
from contextlib import AsyncExitStack
from typing import Any

from . import settings as _settings
from ._connection import Connection, _State

__all__ = ["close_default_connection", "default_connection", "resolve"]

_connections: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _DefaultConnection] = (
    weakref.WeakKeyDictionary()
)


class _DefaultConnection(Connection):
    """A connection that opens itself on first use and follows changes of the settings."""

    def __init__(self) -> None:
        super().__init__()
        self._generation = -1
        self._retired: list[AsyncExitStack] = []
        self._lock = asyncio.Lock()
        self._closer: AsyncGenerator[None, None] | None = None

    async def _clients(self) -> tuple[Any, Any]:
        if self._state is _State.OPEN and self._generation == _settings._current_generation():
            return self._client, self._poll_client
        async with self._lock:
            if self._state is _State.CLOSED:
                return await super()._clients()  # raises ConnectionClosedError
            generation = _settings._current_generation()
            if self._state is not _State.OPEN or self._generation != generation:
                settings = _settings.load()
                stack, client, poll_client = await self._create_clients(settings)
                if self._stack is not None:
                    if self._in_flight:
                        # Calls in flight still use the old clients: close them with the connection.
                        self._retired.append(self._stack)
                    else:
                        await self._stack.aclose()
                self._stack, self._client, self._poll_client = stack, client, poll_client
                self.settings, self._generation, self._state = settings, generation, _State.OPEN
                if self._closer is None:
                    self._closer = _close_at_loop_shutdown(self)
                    await self._closer.asend(None)
        return self._client, self._poll_client

    async def aclose(self) -> None:
        retired, self._retired = self._retired, []
        try:
            await super().aclose()
        finally:
            for stack in reversed(retired):
                await stack.aclose()


async def _close_at_loop_shutdown(connection: Connection) -> AsyncGenerator[None, None]:
    # The event loop keeps every started async generator and finalises the unfinished ones in
    # shutdown_asyncgens(), while it still runs: the one hook asyncio offers for "loop ends".
    try:
        yield
    finally:
        await connection.aclose()


def default_connection() -> Connection:
    """The default connection of the running event loop, made on first use."""
    loop = asyncio.get_running_loop()
    connection = _connections.get(loop)
    if connection is None or connection.closed:
        connection = _connections[loop] = _DefaultConnection()
    return connection


def resolve(connection: Connection | None) -> Connection:
    """``connection`` itself, or the running loop's default connection when it is ``None``."""
    return connection if connection is not None else default_connection()


async def close_default_connection() -> None:
    """Close the running loop's default connection now (it is reopened if used again)."""
    connection = _connections.pop(asyncio.get_running_loop(), None)
    if connection is not None:
        closer, connection._closer = connection._closer, None
        await connection.aclose()
        if closer is not None:
            await closer.aclose()
