"""An :class:`~aioswf.testing.SWFProxy` in a process of its own: the benchmarks' forwarding hop.

Two uses. moto's server closes the connection after every answer, which real SWF does not: a
client measured directly against moto pays a new TCP connection per call. The hop keeps its
client connections alive (and pays moto's reconnections itself, in its own process, outside
the CPU being measured), so a client behind it costs what it would against SWF. And it holds
empty polls the way SWF does, for the idle-poller figure, without moto seeing them.

``python -m benchmarks._hop UPSTREAM [--hold SECONDS] [--answer-polls]`` prints its URL, then
answers each ``status`` line on its standard input with one JSON line, and exits when its
standard input closes: it ends with the process that started it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

import anyio

from aioswf.testing import SWFProxy

from ._server import ServerProcess

__all__ = ["Hop"]

#: What SWF answers a poll that found no task (real SWF sends an empty token).
EMPTY_POLLS = {
    "PollForDecisionTask": {"taskToken": "", "startedEventId": 0, "previousStartedEventId": 0},
    "PollForActivityTask": {"taskToken": "", "startedEventId": 0},
}


class Hop(ServerProcess):
    """The hop's process, as a context manager: ``with Hop(moto.url) as hop: hop.url``."""

    def __init__(self, upstream_url: str, *, hold: float = 0.0, answer_polls: bool = False) -> None:
        arguments = [upstream_url, "--hold", str(hold)] + (["--answer-polls"] if answer_polls else [])
        super().__init__("benchmarks._hop", arguments)
        self.upstream_url = upstream_url
        self.hold = hold
        self.answer_polls = answer_polls

    def status(self) -> dict[str, Any]:
        """The proxy's counters: ``holding``, ``requests`` (by operation), ``empty_polls``."""
        answer: dict[str, Any] = self._status()
        return answer


async def _serve(upstream: str, hold: float, answer_polls: bool) -> None:
    async with SWFProxy(upstream) as proxy:
        proxy.hold_empty_polls = hold
        if answer_polls:
            proxy.answers.update(EMPTY_POLLS)
        print(proxy.url, flush=True)
        while line := await anyio.to_thread.run_sync(sys.stdin.readline):
            if line.strip() == "status":
                requests = Counter(operation for operation, _ in proxy.requests)
                status = {"holding": proxy.holding, "requests": requests, "empty_polls": proxy.empty_polls}
                print(json.dumps(status), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("upstream")
    parser.add_argument("--hold", type=float, default=0.0)
    parser.add_argument("--answer-polls", action="store_true")
    arguments = parser.parse_args()
    anyio.run(_serve, arguments.upstream, arguments.hold, arguments.answer_polls)


if __name__ == "__main__":
    main()
