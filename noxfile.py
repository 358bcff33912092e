"""Sessions: ``nox -s demo`` runs the main job, ``nox -s tests`` the tests (what CI runs).

Every session uses the Python that runs nox (3.11 or newer) and installs with constraints.txt,
so a fresh machine resolves the same versions without pip's long backtracking.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]

CONSTRAINTS = ("-c", "constraints.txt")
SOURCES = ("aioswf", "tests", "examples", "noxfile.py")


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: a real workflow over the standard library's files (embedded moto by default)."""
    session.install(*CONSTRAINTS, ".[moto]")
    session.run("python", "examples/file_stats.py", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", *SOURCES)
    session.run("ruff", "format", "--check", *SOURCES)


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, ".[test]", "mypy", "nox")
    session.run("mypy")
