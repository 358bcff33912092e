"""ConnectionConfig: frozen, validated, and what the two clients of a connection are built with."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import aioswf
from aioswf.exceptions import ConfigurationError
from aioswf.testing import MotoServer


def test_defaults_are_the_documented_constants() -> None:
    config = aioswf.ConnectionConfig()
    assert config.read_timeout == aioswf.DEFAULT_READ_TIMEOUT
    assert config.poll_read_timeout == aioswf.DEFAULT_POLL_READ_TIMEOUT
    assert config.connect_timeout == aioswf.DEFAULT_CONNECT_TIMEOUT
    assert config.max_pool_connections == aioswf.DEFAULT_MAX_POOL_CONNECTIONS
    assert config.max_poll_connections == aioswf.DEFAULT_MAX_POLL_CONNECTIONS
    assert config.max_attempts == aioswf.DEFAULT_MAX_ATTEMPTS


def test_default_poll_timeout_outlasts_swfs_long_poll() -> None:
    """SWF holds an empty poll for 60 s; AWS asks pollers to wait at least 70 s."""
    assert aioswf.DEFAULT_POLL_READ_TIMEOUT >= 70


def test_config_is_frozen_and_keyword_only() -> None:
    config = aioswf.ConnectionConfig(read_timeout=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.read_timeout = 10  # type: ignore[misc]
    with pytest.raises(TypeError):
        aioswf.ConnectionConfig(5)  # type: ignore[call-arg]
    assert dataclasses.replace(config, max_attempts=1).read_timeout == 5


@pytest.mark.parametrize("name", ["read_timeout", "poll_read_timeout", "connect_timeout"])
@pytest.mark.parametrize("value", [0, -1, -0.5, float("nan"), "30", None, True])
def test_bad_timeouts_are_refused(name: str, value: Any) -> None:
    with pytest.raises(ConfigurationError, match=name):
        aioswf.ConnectionConfig(**{name: value})


@pytest.mark.parametrize("name", ["max_pool_connections", "max_poll_connections", "max_attempts"])
@pytest.mark.parametrize("value", [0, -3, 1.5, 2.0, "10", None, True])
def test_bad_counts_are_refused(name: str, value: Any) -> None:
    with pytest.raises(ConfigurationError, match=name):
        aioswf.ConnectionConfig(**{name: value})


def test_good_values_are_kept() -> None:
    config = aioswf.ConnectionConfig(
        read_timeout=1,
        poll_read_timeout=0.5,
        connect_timeout=2.5,
        max_pool_connections=1,
        max_poll_connections=7,
        max_attempts=1,
    )
    assert (config.read_timeout, config.poll_read_timeout, config.connect_timeout) == (1, 0.5, 2.5)
    assert (config.max_pool_connections, config.max_poll_connections, config.max_attempts) == (1, 7, 1)


def moto_connection(moto: MotoServer, config: aioswf.ConnectionConfig | None = None) -> aioswf.Connection:
    return aioswf.Connection(
        config=config,
        endpoint_url=moto.url,
        region="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


async def test_clients_are_built_from_the_default_config(moto: MotoServer) -> None:
    async with moto_connection(moto) as conn:
        calls = conn._client.meta.config
        polls = conn._poll_client.meta.config
        assert conn._client is not conn._poll_client
        assert polls.read_timeout >= 70
        assert polls.read_timeout == aioswf.DEFAULT_POLL_READ_TIMEOUT
        assert polls.max_pool_connections == aioswf.DEFAULT_MAX_POLL_CONNECTIONS
        # A poll is sent once: a retried poll could hand out a second task whose first answer was lost.
        assert polls.retries == {"mode": "standard", "total_max_attempts": 1}
        assert calls.read_timeout == aioswf.DEFAULT_READ_TIMEOUT
        assert calls.connect_timeout == polls.connect_timeout == aioswf.DEFAULT_CONNECT_TIMEOUT
        assert calls.max_pool_connections == aioswf.DEFAULT_MAX_POOL_CONNECTIONS
        assert calls.retries == {"mode": "standard", "total_max_attempts": aioswf.DEFAULT_MAX_ATTEMPTS}


async def test_clients_follow_a_custom_config(moto: MotoServer) -> None:
    config = aioswf.ConnectionConfig(
        read_timeout=4,
        poll_read_timeout=80,
        connect_timeout=3,
        max_pool_connections=6,
        max_poll_connections=12,
        max_attempts=2,
    )
    async with moto_connection(moto, config) as conn:
        assert conn.config is config
        calls = conn._client.meta.config
        polls = conn._poll_client.meta.config
        assert (calls.read_timeout, calls.connect_timeout, calls.max_pool_connections) == (4, 3, 6)
        assert calls.retries == {"mode": "standard", "total_max_attempts": 2}
        assert (polls.read_timeout, polls.connect_timeout, polls.max_pool_connections) == (80, 3, 12)
        assert polls.retries == {"mode": "standard", "total_max_attempts": 1}
        # The clients work with it.
        answer = await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})
        assert answer["domainInfos"] == []


async def test_every_request_says_it_comes_from_aioswf(moto: MotoServer) -> None:
    sent: list[str] = []

    def record(request: Any, **_: Any) -> None:
        agent = request.headers["User-Agent"]  # bytes once the request is prepared
        sent.append(agent.decode() if isinstance(agent, bytes) else agent)

    async with moto_connection(moto) as conn:
        for client in (conn._client, conn._poll_client):
            client.meta.events.register("before-send.swf", record)
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})
        await conn.call("RegisterDomain", {"name": "ua", "workflowExecutionRetentionPeriodInDays": "1"})
        await conn.call("PollForActivityTask", {"domain": "ua", "taskList": {"name": "none"}})
    # A fixed header, built once (botocore would build it anew for each request).
    assert len(sent) == 3 and sent[0] == sent[1] == sent[2]
    assert sent[0].startswith(f"aioswf/{aioswf.__version__} aiobotocore/")


async def test_the_user_agent_keeps_an_app_id(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SDK_UA_APP_ID", "billing batch/7")
    async with moto_connection(moto) as conn:
        agent = conn._client.meta.config.user_agent
    # botocore's rule for the token: no space and no slash, each becomes a dash.
    assert agent.startswith(f"aioswf/{aioswf.__version__} ")
    assert " app/billing-batch-7" in agent
    assert agent.count(" botocore/") == 1  # the session's own ``botocore/<version>``, once
