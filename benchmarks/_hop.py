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
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import anyio

from aioswf.testing import SWFProxy

__all__ = ["Hop"]

_PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: What SWF answers a poll that found no task (real SWF sends an empty token).
EMPTY_POLLS = {
    "PollForDecisionTask": {"taskToken": "", "startedEventId": 0, "previousStartedEventId": 0},
    "PollForActivityTask": {"taskToken": "", "startedEventId": 0},
}


class Hop:
    """The hop's process, as a context manager: ``with Hop(moto.url) as hop: hop.url``."""

    def __init__(self, upstream_url: str, *, hold: float = 0.0, answer_polls: bool = False) -> None:
        self.upstream_url = upstream_url
        self.hold = hold
        self.answer_polls = answer_polls
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    @property
    def pid(self) -> int:
        assert self._process is not None, "the hop is not running"
        return self._process.pid

    def __enter__(self) -> Hop:
        command = [sys.executable, "-m", "benchmarks._hop", self.upstream_url, "--hold", str(self.hold)]
        if self.answer_polls:
            command.append("--answer-polls")
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=_PROJECT_ROOT
        )
        self.url = self._read_line()
        if not self.url.startswith("http://"):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the hop did not start: {self.url!r}")
        return self

    def status(self) -> dict[str, Any]:
        """The proxy's counters: ``holding``, ``requests`` (by operation), ``empty_polls``."""
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write("status\n")
        self._process.stdin.flush()
        answer: dict[str, Any] = json.loads(self._read_line())
        return answer

    def _read_line(self) -> str:
        assert self._process is not None
        stdout: IO[str] | None = self._process.stdout
        assert stdout is not None
        return stdout.readline().strip()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


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
