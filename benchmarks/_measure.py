"""What every benchmark shares: samples and figures, CPU and memory readings, the table.

A :class:`Figure` is one of the numbered measurements of ``benchmarks/RESULTS.md``: rows of
samples (one value per repetition), each compared with a baseline row of the same figure by the
ratio of their medians. Absolute numbers drift on a shared machine; ratios measured side by side,
in the same run, hold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = [
    "Figure",
    "Options",
    "Row",
    "cpu_seconds",
    "format_table",
    "process_cpu_seconds",
    "resident_bytes",
    "whole_number",
]


@dataclass(frozen=True)
class Options:
    """What every benchmark's ``run(options)`` is given.

    ``repeat`` is the number of repetitions behind each min / median / max; ``smoke`` asks for
    the smallest run that still goes through every step (the test suite's check that each
    benchmark starts), whose numbers mean nothing.
    """

    repeat: int = 3
    smoke: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.repeat, int) or isinstance(self.repeat, bool) or self.repeat < 1:
            raise ValueError(f"repeat must be a whole number of at least 1, got {self.repeat!r}")


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of at least ``minimum``, else a usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


@dataclass(frozen=True)
class Row:
    """One thing measured, ``values`` holding one number per repetition.

    ``against`` names the row its ratio is taken against (the figure's baseline when empty);
    a row that is its own baseline shows no ratio. ``expected`` is a fixed reference value
    (a protocol minimum, say) given instead of a measured baseline.
    """

    label: str
    values: tuple[float, ...]
    against: str = ""
    expected: float | None = None

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError(f"row {self.label!r} has no values")

    @property
    def minimum(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def maximum(self) -> float:
        return max(self.values)


@dataclass(frozen=True)
class Figure:
    """A numbered figure: its rows, the unit they share and the row they are compared with."""

    number: str
    title: str
    unit: str
    rows: tuple[Row, ...]
    baseline: str = ""
    notes: tuple[str, ...] = field(default=())

    def row(self, label: str) -> Row:
        for row in self.rows:
            if row.label == label:
                return row
        raise KeyError(f"figure {self.number} has no row {label!r}")

    def ratio(self, row: Row) -> float | None:
        """``row``'s median over its baseline's (or over its ``expected`` value)."""
        if row.expected is not None:
            return row.median / row.expected if row.expected else None
        against = row.against or self.baseline
        if not against or against == row.label:
            return None
        base = self.row(against).median
        return row.median / base if base else None

    def ratio_label(self, row: Row) -> str:
        if row.expected is not None:
            return f"× {_number(row.expected)} expected"
        against = row.against or self.baseline
        return "" if not against or against == row.label else f"× {against}"


def _number(value: float) -> str:
    """Three significant figures, without an exponent for everyday sizes."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def format_table(figures: Sequence[Figure]) -> str:
    """A Markdown table of every row of every figure, min / median / max and the ratio."""
    lines = [
        "| # | figure | what | min | median | max | unit | ratio |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for figure in figures:
        for index, row in enumerate(figure.rows):
            ratio = figure.ratio(row)
            shown = "" if ratio is None else f"**{ratio:.2f}** {figure.ratio_label(row)}"
            number, title = (figure.number, figure.title) if index == 0 else ("", "")
            lines.append(
                f"| {number} | {title} | {row.label} | {_number(row.minimum)} | {_number(row.median)} "
                f"| {_number(row.maximum)} | {figure.unit} | {shown} |"
            )
    notes = [f"- **{figure.number}**: {note}" for figure in figures for note in figure.notes]
    return "\n".join(lines + (["", *notes] if notes else []))


def resident_bytes(pid: int | None = None) -> int:
    """The resident set size of a process (this one by default), from ``/proc`` (Linux)."""
    with open(f"/proc/{pid or 'self'}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS line in /proc/<pid>/status")


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds another process has used so far, from ``/proc`` (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        # The command name, in parentheses, may hold spaces: count fields after its end.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class CPUReading:
    """Filled in when the ``with cpu_seconds()`` block ends."""

    cpu: float = 0.0
    wall: float = 0.0


@contextmanager
def cpu_seconds() -> Iterator[CPUReading]:
    """This process's CPU time (every thread, user and system) and wall time over a block."""
    reading = CPUReading()
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        yield reading
    finally:
        reading.cpu = time.process_time() - cpu
        reading.wall = time.perf_counter() - wall
