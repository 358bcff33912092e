"""How a connection talks to SWF: timeouts, pool sizes and retries, as one frozen object."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .exceptions import ConfigurationError

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_MAX_POLL_CONNECTIONS",
    "DEFAULT_MAX_POOL_CONNECTIONS",
    "DEFAULT_POLL_READ_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "ConnectionConfig",
]

#: Seconds to wait for an ordinary call's answer.
DEFAULT_READ_TIMEOUT = 30.0
#: Seconds to wait for a poll's answer. SWF holds an empty long poll for 60 s, and AWS asks
#: pollers to wait at least 70 s: botocore's default of 60 s cuts polls just as SWF answers them.
DEFAULT_POLL_READ_TIMEOUT = 75.0
#: Seconds to wait for a TCP (and TLS) connection.
DEFAULT_CONNECT_TIMEOUT = 10.0
#: Concurrent ordinary calls (start, respond, heartbeat, describe...).
DEFAULT_MAX_POOL_CONNECTIONS = 50
#: Concurrent polls. Polls have a pool of their own, so idle polls never make a heartbeat or a
#: response wait for a connection. SWF allows 1,000 pollers per task list.
DEFAULT_MAX_POLL_CONNECTIONS = 1000
#: Attempts per ordinary call, counting the first, with botocore's "standard" retry mode
#: (throttling, 5xx and network errors). Polls are sent once: the actors retry them with backoff.
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True, kw_only=True)
class ConnectionConfig:
    """Transport settings of a :class:`~aioswf.Connection`. Every field has a ``DEFAULT_*``."""

    read_timeout: float = DEFAULT_READ_TIMEOUT
    poll_read_timeout: float = DEFAULT_POLL_READ_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    max_pool_connections: int = DEFAULT_MAX_POOL_CONNECTIONS
    max_poll_connections: int = DEFAULT_MAX_POLL_CONNECTIONS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def __post_init__(self) -> None:
        for name in ("read_timeout", "poll_read_timeout", "connect_timeout"):
            value = getattr(self, name)
            # ``not value > 0`` also refuses NaN; a bool is not a number of seconds.
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
                raise ConfigurationError(
                    f"{name} must be a positive, finite number of seconds, got {value!r}"
                )
        for name in ("max_pool_connections", "max_poll_connections", "max_attempts"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigurationError(f"{name} must be a whole number of at least 1, got {value!r}")
