"""Each benchmark starts and prints its figures (the smoke run: the numbers mean nothing).

The measurements themselves run with ``nox -s bench``, never in the test suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Each benchmark module and the figures it must print.
FIGURES = {
    "workflows": ("1", "2a", "2b", "3"),
    "pollers": ("4a", "4b"),
    "history": ("5a", "5b"),
    "heartbeats": ("6",),
    "calls": ("7a", "7b"),
}


def _run(module: str, *arguments: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m module arguments...`` from the project's root, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_benchmark_starts_and_prints_its_figures(name: str) -> None:
    done = _run("benchmarks", "--smoke", "--only", name, timeout=170)
    assert done.returncode == 0, done.stderr[-3000:]
    report = done.stdout.split("# All figures", 1)[1]
    table = report[report.index("| # | figure |") :].split("\n\n", 1)[0]  # the profile comes after it
    printed = re.findall(r"^\| (\w+) \| [^|]+ \|", table, flags=re.MULTILINE)
    assert [number for number in printed if number != "#"] == list(FIGURES[name])
    # Every row carries three numbers (min, median, max).
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    assert rows and all(len(re.findall(r"\| -?[\d,.]+ ", row)) >= 3 for row in rows if "---" not in row)


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--only", "nope"], "no such benchmark: nope"),
        (["--only", ""], "--only names no benchmark"),
        (["--only", " , "], "--only names no benchmark"),
        (["--repeat", "0"], "--repeat: must be at least 1, got 0"),
        (["--repeat", "three"], "--repeat: not a whole number: 'three'"),
    ],
)
def test_the_runner_refuses_bad_arguments_before_measuring(arguments: list[str], said: str) -> None:
    done = _run("benchmarks", *arguments)
    assert done.returncode == 2
    assert said in done.stderr
    assert done.stdout == ""  # nothing was measured


@pytest.mark.parametrize(
    ("module", "arguments", "said"),
    [
        ("workflows", ["--repeat", "0"], "--repeat: must be at least 1"),
        ("history", ["--events", "3"], "--events: must be at least 500"),
        ("calls", ["--calls", "0"], "--calls: must be at least 1"),
        ("pollers", ["--repeat", "-1"], "--repeat: must be at least 1"),
        ("heartbeats", ["--repeat", "0"], "--repeat: must be at least 1"),
    ],
)
def test_each_benchmark_refuses_bad_arguments(module: str, arguments: list[str], said: str) -> None:
    done = _run(f"benchmarks.{module}", *arguments)
    assert done.returncode == 2
    assert said in done.stderr
