"""Fixtures: one real moto server per test run, reset before every test that uses it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

import aioswf
from aioswf.testing import MotoServer

#: Tests talk to moto with no botocore retries: moto answers what it has not implemented with
#: HTTP 500, which botocore would otherwise retry for seconds.
NO_RETRIES = aioswf.ConnectionConfig(max_attempts=1)

_ENVIRONMENT = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SWF",
    "AWS_PROFILE",
)


@pytest.fixture(autouse=True)
def clean_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test sees the developer's AWS environment, ~/.swf or ~/.aws, or another test's settings."""
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "aws-credentials"))
    # Never let botocore's chain ask an instance-metadata address from a test.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    aioswf.settings.reset()
    yield
    aioswf.settings.reset()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    with MotoServer() as server:
        yield server


@pytest.fixture
def moto(moto_server: MotoServer) -> MotoServer:
    """The moto server, with all state from earlier tests forgotten."""
    moto_server.reset()
    return moto_server


@pytest.fixture
async def connection(moto: MotoServer) -> AsyncIterator[aioswf.Connection]:
    async with aioswf.Connection(config=NO_RETRIES, **moto.settings) as conn:
        yield conn


@pytest.fixture
def domain_name() -> str:
    """A fresh domain name: SWF domains cannot be deleted, so tests never share one."""
    return f"test-{uuid.uuid4().hex[:12]}"
