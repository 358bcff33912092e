"""aioswf: an asyncio-native SDK for Amazon Simple Workflow Service (SWF).

The public modules are :mod:`aioswf.settings`, :mod:`aioswf.exceptions`, :mod:`aioswf.models`,
:mod:`aioswf.querysets`, :mod:`aioswf.actors` and :mod:`aioswf.testing`; this package re-exports
the connection and its configuration.
"""

from . import exceptions, settings
from ._config import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_POLL_CONNECTIONS,
    DEFAULT_MAX_POOL_CONNECTIONS,
    DEFAULT_POLL_READ_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    ConnectionConfig,
)
from ._connection import Connection, ConnectionStatistics
from ._default import close_default_connection, default_connection
from ._version import __version__

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_MAX_POLL_CONNECTIONS",
    "DEFAULT_MAX_POOL_CONNECTIONS",
    "DEFAULT_POLL_READ_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "Connection",
    "ConnectionConfig",
    "ConnectionStatistics",
    "__version__",
    "close_default_connection",
    "default_connection",
    "exceptions",
    "settings",
]
