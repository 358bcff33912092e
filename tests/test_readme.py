"""The README's quickstart runs as written, against the moto server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from aioswf.testing import MotoServer

README = Path(__file__).resolve().parent.parent / "README.md"


def quickstart() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## A first workflow", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README has no quickstart code block"
    return match.group(1)


def test_quickstart_runs_against_moto(moto: MotoServer) -> None:
    code = quickstart()
    line = re.search(r"^aioswf\.settings\.set\(.*\)$", code, re.M)
    assert line, "the quickstart no longer calls aioswf.settings.set(...)"
    # The one change: moto's endpoint and dummy credentials instead of the placeholders.
    code = code.replace(line.group(0), f"aioswf.settings.set(**{dict(moto.settings)!r})")
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        timeout=45,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "COMPLETED"
    assert done.stderr == ""
