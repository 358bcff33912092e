"""A real moto server in a child process, for tests and for the demo.

moto's SWF runs behind the same HTTP and JSON protocol as SWF itself, so aioswf talks to it
through aiobotocore exactly as it talks to AWS. Its state lives in memory: :meth:`reset` forgets
everything (``POST /moto-api/reset``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from types import TracebackType
from typing import TypedDict

import anyio.to_thread

__all__ = ["MOTO_SETTINGS", "MotoServer", "MotoServerError", "MotoSettings"]


class MotoSettings(TypedDict):
    """Keyword arguments for :func:`aioswf.settings.set` and :class:`aioswf.Connection`."""

    aws_access_key_id: str
    aws_secret_access_key: str
    region: str
    endpoint_url: str


#: Credentials and region that moto accepts; they are not secrets.
MOTO_SETTINGS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "region": "us-east-1",
}


class MotoServerError(RuntimeError):
    """The moto server could not be started (moto not installed, or it died at start-up)."""


def _is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class MotoServer:
    """moto's server on a free loopback port, in a child process that ends with this one.

    Use it as a context manager, sync or async (``with MotoServer() as moto:``); ``url`` is the
    endpoint to give :func:`aioswf.settings.set` or :class:`aioswf.Connection`, and ``settings``
    the whole set of keyword arguments for them.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int | None = None, *, start_timeout: float = 30.0
    ) -> None:
        self.host = host
        self.port = port
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log: tempfile._TemporaryFileWrapper[bytes] | None = None

    @property
    def url(self) -> str:
        if self.port is None or self._process is None:
            raise MotoServerError("the moto server is not running")
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        """The server process's id (to read its CPU time, say)."""
        if self._process is None:
            raise MotoServerError("the moto server is not running")
        return self._process.pid

    @property
    def settings(self) -> MotoSettings:
        """``endpoint_url``, dummy credentials and a region: everything a connection needs."""
        return MotoSettings(
            aws_access_key_id=MOTO_SETTINGS["aws_access_key_id"],
            aws_secret_access_key=MOTO_SETTINGS["aws_secret_access_key"],
            region=MOTO_SETTINGS["region"],
            endpoint_url=self.url,
        )

    def start(self) -> None:
        if self._process is not None:
            return
        try:
            import moto.server  # noqa: F401
        except ImportError as err:
            raise MotoServerError(
                "moto is not installed: pip install 'moto[server]' (or aioswf's test extra)"
            ) from err
        if self.port is not None and not _is_free(self.host, self.port):
            raise MotoServerError(f"port {self.port} on {self.host} is taken already")
        port = self.port or _free_port(self.host)
        # The server logs every request; keep it out of the way, but at hand if it fails to start.
        self._log = tempfile.NamedTemporaryFile(prefix="aioswf-moto-", suffix=".log")  # noqa: SIM115 - closed in stop()
        env = {**os.environ, "MOTO_CALL_RESET_API": "true", "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "aioswf.testing._moto_child", self.host, str(port)],
            # The child serves until this pipe closes, so it cannot outlive this process.
            stdin=subprocess.PIPE,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            # Its own session: a Ctrl-C meant for the program must not kill the server before the
            # program has answered its tasks and closed its connections; stop() ends it.
            start_new_session=True,
        )
        self.port = port
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self._process.poll() is not None:
                output = self._read_log()
                self._cleanup()
                raise MotoServerError(f"the moto server exited at start-up:\n{output}")
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise MotoServerError(f"the moto server did not answer within {self.start_timeout} s")
            time.sleep(0.05)

    def reset(self) -> None:
        """Forget every domain, type and execution (all of moto's state)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()  # the child's signal to stop
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._cleanup()

    def _read_log(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read()[-4000:].decode("utf-8", "replace")

    def _cleanup(self) -> None:
        self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> MotoServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> MotoServer:
        try:
            await anyio.to_thread.run_sync(self.start)
        except BaseException:
            # Cancelled while it started (Ctrl-C early on): the thread finished starting it.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self.stop)
            raise
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Shielded: the server must stop even when the program is being cancelled (Ctrl-C).
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(self.stop)
