"""Sessions: ``nox -s demo`` runs the main job, ``nox -s tests`` the tests (what CI runs),
``nox -s examples`` every script in examples/ against moto, ``nox -s bench`` the benchmarks.

Every session uses the Python that runs nox (3.11 or newer) and installs with constraints.txt,
so a fresh machine resolves the same versions without pip's long backtracking.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["tests"]

CONSTRAINTS = ("-c", "constraints.txt")
SOURCES = ("aioswf", "tests", "examples", "benchmarks", "noxfile.py")


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: a real workflow over the standard library's files (embedded moto by default)."""
    session.install(*CONSTRAINTS, ".[moto]")
    session.run("python", "examples/file_stats.py", *session.posargs)


#: What the examples session takes away, so that every script starts an embedded moto server
#: whatever the machine has configured: no example runs against a real AWS account by accident.
AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SWF",
    "AWS_PROFILE",
)
#: Every script in examples/ with the arguments it runs with here: a small folder for file_stats,
#: one workflow over HTTP for the web service, the full hundred deciders.
EXAMPLES = {
    "file_stats.py": ("aioswf", "--batches", "4"),
    "web_service.py": ("--self-test",),
    "many_deciders.py": (),
}


@nox.session
def examples(session: nox.Session) -> None:
    """Every examples/ script, each against an embedded moto server; any failure fails the session."""
    found = {path.name for path in Path("examples").glob("*.py")}
    if found != set(EXAMPLES):
        session.error(f"examples/ has {sorted(found)}, but this session runs {sorted(EXAMPLES)}")
    session.install(*CONSTRAINTS, ".[moto]")
    home = session.create_tmp()  # no ~/.swf, ~/.aws or instance role either
    env: dict[str, str | None] = dict.fromkeys(AWS_VARIABLES)
    env.update(
        HOME=home,
        AWS_CONFIG_FILE=os.path.join(home, "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    for script, arguments in EXAMPLES.items():
        session.run("python", "-W", "error", f"examples/{script}", *arguments, env=env)


@nox.session
def tests(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Every benchmark against local servers, side by side; writes benchmarks/RESULTS.md."""
    session.install(*CONSTRAINTS, ".[moto]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", *SOURCES)
    session.run("ruff", "format", "--check", *SOURCES)


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install(*CONSTRAINTS, ".[test]", "mypy", "nox")
    session.run("mypy")
