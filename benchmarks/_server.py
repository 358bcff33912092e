"""A benchmark's helper server in a process of its own, tied to this one by a pipe.

``python -m benchmarks.<module> ARGS...`` prints its URL on its first line, then answers each
``status`` line on its standard input with one JSON line, and exits when its standard input
closes: it ends with the process that started it, even one killed without a chance to clean up.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

__all__ = ["ServerProcess"]

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ServerProcess:
    """The process as a context manager: ``with ServerProcess(module, args) as server: server.url``."""

    def __init__(self, module: str, arguments: Sequence[str] = ()) -> None:
        self.module = module
        self.arguments = list(arguments)
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    @property
    def pid(self) -> int:
        assert self._process is not None, f"{self.module} is not running"
        return self._process.pid

    def __enter__(self) -> Self:
        self._process = subprocess.Popen(
            [sys.executable, "-m", self.module, *self.arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=_PROJECT_ROOT,
        )
        try:
            self.url = self._read_line()
            if not self.url.startswith("http://"):
                raise RuntimeError(f"{self.module} did not start: {self.url!r}")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _status(self) -> Any:
        """The server's answer to a ``status`` line, decoded."""
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write("status\n")
        self._process.stdin.flush()
        return json.loads(self._read_line())

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
            with contextlib.suppress(BrokenPipeError):  # it had already gone
                process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
