"""MotoServer: a moto server in a child process that ends with its owner."""

from __future__ import annotations

import os

import pytest

from aioswf.testing import MotoServer, MotoServerError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_pid_is_the_serving_process_and_stop_ends_it() -> None:
    server = MotoServer()
    with pytest.raises(MotoServerError, match="not running"):
        _ = server.pid
    with server:
        pid = server.pid
        assert pid != os.getpid()
        assert _alive(pid)
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            assert b"aioswf.testing._moto_child" in cmdline.read()
    # stop() waited for the child, so it is reaped: no such process any more.
    assert not _alive(pid)
    with pytest.raises(MotoServerError, match="not running"):
        _ = server.pid
