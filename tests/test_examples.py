"""The main job, end to end against the moto server: examples/file_stats.py."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

import aioswf
from aioswf.testing import MotoServer

ROOT = Path(__file__).resolve().parent.parent


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "skipped.pyc").write_bytes(b"\0" * 100)
    for index in range(23):
        (root / "sub" / f"module_{index}.py").write_text("x = 1\n" * (index + 1))
    (root / "notes.txt").write_text("no trailing newline")
    (root / "empty.cfg").write_bytes(b"")
    (root / "sub" / "deeper" / "données.md").write_text("é\n" * 5, encoding="utf-8")
    (root / "Makefile").write_text("all:\n\ttrue\n")
    return root


async def test_file_stats_workflow_matches_local_computation(moto: MotoServer, tree: Path) -> None:
    file_stats = load_example("file_stats")
    aioswf.settings.set(**moto.settings)
    summary = await file_stats.run(str(tree), batches=4, workers=2, timeout=60)
    assert summary["files"] == 27  # the __pycache__ file is skipped
    assert summary["extensions"][".py"] == [23, sum(range(1, 24)), 6 * sum(range(1, 24))]
    assert summary["extensions"][".txt"] == [1, 1, len("no trailing newline")]
    assert summary["extensions"][".md"] == [1, 5, len("é\n".encode()) * 5]
    assert summary["extensions"]["(none)"] == [1, 2, len("all:\n\ttrue\n")]
    assert summary["largest"][0] == [6 * 23, os.path.join("sub", "module_22.py")]
    figures = summary["execution"]
    assert figures["activities"] == 4
    # Started, the decision cycles, 4 activities scheduled/started/completed, completed.
    assert figures["history_events"] >= 1 + 3 + 4 * 3 + 3 + 1


async def test_file_stats_verification_catches_a_lost_file(
    moto: MotoServer, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_stats = load_example("file_stats")
    real_batch_of = file_stats.batch_of

    def lossy(paths: Sequence[str], index: int, count: int) -> Sequence[str]:
        kept: Sequence[str] = real_batch_of(paths, index, count)
        return kept[:-1]  # each batch drops one file

    monkeypatch.setattr(file_stats, "batch_of", lossy)
    aioswf.settings.set(**moto.settings)
    with pytest.raises(RuntimeError, match="differs from the local computation"):
        await file_stats.run(str(tree), batches=2, workers=1, timeout=60)


def test_file_stats_command_line(moto: MotoServer, tree: Path) -> None:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL_SWF": moto.url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            str(ROOT / "examples" / "file_stats.py"),
            str(tree),
            "--batches",
            "3",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "using SWF at " + moto.url in done.stdout
    assert "verified: the workflow's summary of 27 files" in done.stdout
    assert done.stderr == ""


def test_file_stats_rejects_a_missing_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "file_stats.py"), str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "is not a directory" in done.stderr


@pytest.mark.parametrize(
    ("sent", "code", "said"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_file_stats_stops_cleanly_on_a_signal(sent: signal.Signals, code: int, said: str) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # no endpoint: it starts its own moto server
    process = subprocess.Popen(
        [sys.executable, "-W", "error", str(ROOT / "examples" / "file_stats.py"), "--batches", "100"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("started "):
            break
    url = lines[0].rsplit(" ", 1)[-1].strip()
    process.send_signal(sent)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert f"{said}; stopped cleanly" in err
    assert "Traceback" not in err
    assert "verified" not in out
    host, port = url.removeprefix("http://").split(":")
    with pytest.raises(OSError), socket.create_connection((host, int(port)), timeout=2):
        pass  # the embedded moto server is gone too


async def test_file_stats_takes_names_that_are_not_utf8(moto: MotoServer, tmp_path: Path) -> None:
    file_stats = load_example("file_stats")
    root = tmp_path / "odd"
    root.mkdir()
    (root / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"latin-1 name\n")
    (root / "plain.txt").write_bytes(b"a\nb\n")
    aioswf.settings.set(**moto.settings)
    summary = await file_stats.run(str(root), batches=2, workers=1, timeout=60)
    assert summary["files"] == 2
    assert summary["extensions"][".txt"] == [2, 3, 17]
    assert [path for _, path in summary["largest"]] == [os.fsdecode(b"caf\xe9.txt"), "plain.txt"]
