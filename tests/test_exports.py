"""The public names, pinned: adding or removing one is a decision, made here on purpose."""

from __future__ import annotations

import importlib
import re
from types import ModuleType

import pytest

import aioswf
import aioswf.exceptions
import aioswf.settings
import aioswf.testing

PUBLIC: dict[str, list[str]] = {
    "aioswf": [
        "DEFAULT_CONNECT_TIMEOUT",
        "DEFAULT_MAX_ATTEMPTS",
        "DEFAULT_MAX_POLL_CONNECTIONS",
        "DEFAULT_MAX_POOL_CONNECTIONS",
        "DEFAULT_POLL_READ_TIMEOUT",
        "DEFAULT_READ_TIMEOUT",
        "Connection",
        "ConnectionConfig",
        "ConnectionStatistics",
        "__version__",
        "close_default_connection",
        "default_connection",
        "exceptions",
        "settings",
    ],
    "aioswf.exceptions": [
        "AioswfError",
        "AlreadyExistsError",
        "ConfigurationError",
        "ConnectionClosedError",
        "DeprecatedError",
        "DoesNotExistError",
        "InvalidCredentialsError",
        "InvalidRequestError",
        "LimitExceededError",
        "OperationNotPermittedError",
        "SWFError",
        "ServiceUnavailableError",
        "TaskGoneError",
        "ThrottledError",
        "TransportError",
        "ValidationError",
        "WorkflowExecutionAlreadyStartedError",
    ],
    "aioswf.settings": ["KEYS", "Settings", "get", "load", "reset", "resolve", "set"],
    "aioswf.testing": [
        "MOTO_SETTINGS",
        "HistoryBuilder",
        "MotoServer",
        "MotoServerError",
        "MotoSettings",
        "SWFProxy",
    ],
}


def isort_key(name: str) -> tuple[int, list[int | str]]:
    """The order of ruff's RUF022: CONSTANTS, then Classes, then everything else, each sorted naturally."""
    if name.isupper() and len(name) > 1:
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    natural: list[int | str] = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
    return group, natural


def module(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_all_is_pinned(name: str) -> None:
    assert list(module(name).__all__) == PUBLIC[name]


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_all_is_sorted(name: str) -> None:
    names = list(module(name).__all__)
    assert names == sorted(names, key=isort_key)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_exported_name_exists(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {name} import *", namespace)
    for exported in module(name).__all__:
        assert exported in namespace, f"{name}.{exported}"
        assert namespace[exported] is getattr(module(name), exported)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_no_public_name_is_left_out(name: str) -> None:
    """Every public class or function defined in the module (not imported into it) is in ``__all__``."""
    mod = module(name)
    defined = {
        attr
        for attr, value in vars(mod).items()
        if not attr.startswith("_")
        and isinstance(value, type | type(test_all_is_pinned))
        and getattr(value, "__module__", None) == mod.__name__
    }
    assert defined - set(mod.__all__) == set()


def test_reexports_are_the_private_objects() -> None:
    from aioswf import _config, _connection, _default
    from aioswf.testing import _moto

    assert aioswf.Connection is _connection.Connection
    assert aioswf.ConnectionStatistics is _connection.ConnectionStatistics
    assert aioswf.ConnectionConfig is _config.ConnectionConfig
    assert aioswf.default_connection is _default.default_connection
    assert aioswf.close_default_connection is _default.close_default_connection
    assert aioswf.testing.MotoServer is _moto.MotoServer
    assert aioswf.exceptions is importlib.import_module("aioswf.exceptions")
    assert aioswf.settings is importlib.import_module("aioswf.settings")


def test_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", aioswf.__version__)
