"""Connection: its lifecycle, the settings it uses, its two clients, and the default connection."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import traceback
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest

import aioswf
from aioswf import exceptions as exc
from aioswf._timestamps import parse_timestamp
from aioswf.testing import MotoServer

REPO = Path(__file__).resolve().parents[1]
NO_RETRIES = aioswf.ConnectionConfig(max_attempts=1)

# Distinctive credentials: moto accepts any, and these are easy to look for in output.
KEY_ID = "AKIDLOOKFORME1234567"
SECRET = "sEcReT/LookForMe+0123456789abcdefghijkl"
TOKEN = "ToKeN-LookForMe-9876543210"


def moto_connection(
    moto: MotoServer,
    *,
    config: aioswf.ConnectionConfig = NO_RETRIES,
    key_id: str = "testing",
    secret: str = "testing",
    token: str | None = None,
    region: str = "us-east-1",
) -> aioswf.Connection:
    return aioswf.Connection(
        config=config,
        endpoint_url=moto.url,
        region=region,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


def set_moto_settings(moto: MotoServer, region: str = "us-east-1") -> None:
    aioswf.settings.set(
        endpoint_url=moto.url, region=region, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def write_file(path: str | Path, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


async def register_domain(connection: aioswf.Connection, name: str) -> None:
    await connection.call("RegisterDomain", {"name": name, "workflowExecutionRetentionPeriodInDays": "1"})


async def test_call_round_trip(connection: aioswf.Connection, domain_name: str) -> None:
    await register_domain(connection, domain_name)
    answer = await connection.call("DescribeDomain", {"name": domain_name})
    assert answer["domainInfo"]["name"] == domain_name
    assert answer["domainInfo"]["status"] == "REGISTERED"
    assert "ResponseMetadata" not in answer
    stats = connection.statistics()
    assert stats.calls == {"RegisterDomain": 1, "DescribeDomain": 1}
    assert stats.failures == {}
    assert stats.total_calls == 2
    assert stats.in_flight == 0
    assert stats.polls_in_flight == 0


async def test_failures_are_counted(connection: aioswf.Connection, domain_name: str) -> None:
    with pytest.raises(exc.DoesNotExistError):
        await connection.call("DescribeDomain", {"name": domain_name})
    stats = connection.statistics()
    assert stats.calls == {"DescribeDomain": 1}
    assert stats.failures == {"DescribeDomain": 1}
    assert stats.in_flight == 0


# --- lifecycle -----------------------------------------------------------------------------------


async def test_call_before_open(moto: MotoServer) -> None:
    conn = moto_connection(moto)
    with pytest.raises(exc.ConnectionClosedError, match="not open"):
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})
    assert not conn.closed
    assert conn.statistics().calls == {}
    # The refusal did not spoil it: it can still be opened and used.
    async with conn:
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})


async def test_call_after_close(moto: MotoServer) -> None:
    async with moto_connection(moto) as conn:
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})
    assert conn.closed
    with pytest.raises(exc.ConnectionClosedError, match="closed"):
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})
    with pytest.raises(exc.ConnectionClosedError):
        await conn.open()
    with pytest.raises(exc.ConnectionClosedError):
        async with conn:
            pass
    await conn.aclose()  # closing again is harmless
    assert conn.statistics().calls == {"ListDomains": 1}


async def test_open_twice_keeps_the_clients(moto: MotoServer) -> None:
    async with moto_connection(moto) as conn:
        client = conn._client
        await conn.open()
        assert conn._client is client


async def test_close_during_a_poll(moto: MotoServer, domain_name: str) -> None:
    """A call in flight when the connection closes fails with ConnectionClosedError."""
    conn = moto_connection(moto)
    await conn.open()
    await register_domain(conn, domain_name)
    failures: list[BaseException] = []

    async def poll() -> None:
        try:
            await conn.call("PollForActivityTask", {"domain": domain_name, "taskList": {"name": "empty"}})
        except exc.AioswfError as err:
            failures.append(err)

    async with anyio.create_task_group() as tg:
        tg.start_soon(poll)
        await anyio.sleep(0.2)  # let the request reach moto, which holds it for a second
        assert conn.statistics().polls_in_flight == 1
        await conn.aclose()
    assert [type(err) for err in failures] == [exc.ConnectionClosedError]
    assert conn.statistics().polls_in_flight == 0


def test_settings_and_overrides_together_are_refused() -> None:
    with pytest.raises(TypeError):
        aioswf.Connection(aioswf.settings.Settings(region="us-east-1"), region="eu-west-1")


async def test_repr_shows_state_and_no_secrets(moto: MotoServer) -> None:
    conn = moto_connection(moto, key_id=KEY_ID, secret=SECRET, token=TOKEN)
    assert "unopened" in repr(conn)
    async with conn:
        shown = [repr(conn), str(conn), repr(conn.settings), str(conn.settings)]
        assert "open" in repr(conn)
        assert moto.url in repr(conn)
        assert "us-east-1" in repr(conn)
    shown.append(repr(conn))
    assert "closed" in repr(conn)
    for text in shown:
        assert SECRET not in text
        assert TOKEN not in text
        assert KEY_ID not in text


# --- where a connection's settings come from -----------------------------------------------------


async def test_given_settings_object_is_used(moto: MotoServer) -> None:
    resolved = aioswf.settings.Settings(
        endpoint_url=moto.url, region="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    async with aioswf.Connection(resolved, config=NO_RETRIES) as conn:
        assert conn.settings is resolved
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})


async def test_settings_are_read_when_the_connection_opens(moto: MotoServer) -> None:
    conn = aioswf.Connection(config=NO_RETRIES)  # nothing is configured yet
    assert conn.settings is None
    set_moto_settings(moto)
    async with conn:
        assert conn.settings is not None
        assert conn.settings.endpoint_url == moto.url
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})


async def test_environment_is_read_when_the_connection_opens(
    moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = aioswf.Connection(config=NO_RETRIES)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", moto.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    async with conn:
        assert conn.settings is not None
        assert conn.settings.sources["endpoint_url"] == "environment"
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})


async def test_swf_file_alone_is_enough(moto: MotoServer) -> None:
    write_file(
        Path(os.environ["HOME"]) / ".swf",  # a temporary folder, set by the clean_settings fixture
        "[credentials]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
        f"[defaults]\nregion = us-east-1\nendpoint_url = {moto.url}\n",
    )
    async with aioswf.Connection(config=NO_RETRIES) as conn:
        assert conn.settings is not None
        assert set(conn.settings.sources.values()) == {"~/.swf"}
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})


async def test_an_open_connection_keeps_its_settings(moto: MotoServer, domain_name: str) -> None:
    """settings.set() affects connections opened afterwards, not open ones."""
    set_moto_settings(moto, region="us-east-1")
    async with aioswf.Connection(config=NO_RETRIES) as first:
        await register_domain(first, domain_name)
        aioswf.settings.set(region="us-west-2")
        # Still us-east-1: moto keeps each region's domains apart, and the domain is there.
        await first.call("DescribeDomain", {"name": domain_name})
        assert first.settings is not None and first.settings.region == "us-east-1"
        async with aioswf.Connection(config=NO_RETRIES) as second:
            assert second.settings is not None and second.settings.region == "us-west-2"
            with pytest.raises(exc.DoesNotExistError):
                await second.call("DescribeDomain", {"name": domain_name})


async def test_credentials_from_botocores_chain(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no credentials of its own, aioswf leaves them to botocore: here a named profile."""
    # A profile name of its own: the shared session of a profile keeps the credentials it found.
    profile = f"aioswf-test-{uuid.uuid4().hex[:8]}"
    write_file(
        os.environ["AWS_SHARED_CREDENTIALS_FILE"],
        f"[{profile}]\naws_access_key_id = fromprofile\naws_secret_access_key = fromprofile\n",
    )
    monkeypatch.setenv("AWS_PROFILE", profile)
    aioswf.settings.set(endpoint_url=moto.url, region="us-east-1")
    async with aioswf.Connection(config=NO_RETRIES) as conn:
        assert conn.settings is not None
        assert not conn.settings.has_credentials
        assert conn.settings.profile == profile
        await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})


async def test_no_credentials_anywhere(moto: MotoServer) -> None:
    aioswf.settings.set(endpoint_url=moto.url, region="us-east-1")
    async with aioswf.Connection(config=NO_RETRIES) as conn:
        with pytest.raises(exc.ConfigurationError, match="credentials"):
            await conn.call("ListDomains", {"registrationStatus": "REGISTERED"})


async def test_no_region_anywhere(moto: MotoServer) -> None:
    aioswf.settings.set(endpoint_url=moto.url, aws_access_key_id="testing", aws_secret_access_key="testing")
    conn = aioswf.Connection(config=NO_RETRIES)
    with pytest.raises(exc.ConfigurationError, match="region"):
        await conn.open()
    assert not conn.closed


# --- secrets stay out of the logs ----------------------------------------------------------------


def record_texts(records: list[logging.LogRecord]) -> Iterator[tuple[str, str]]:
    for record in records:
        text = record.getMessage()
        if record.exc_info:
            text += "".join(traceback.format_exception(*record.exc_info))
        yield record.name, text


async def logged_calls(moto: MotoServer, caplog: pytest.LogCaptureFixture, domain_name: str) -> list[str]:
    """Make successful and failing calls with distinctive credentials, logging everything at DEBUG."""
    caplog.set_level(logging.DEBUG)
    messages: list[str] = []
    async with moto_connection(moto, key_id=KEY_ID, secret=SECRET, token=TOKEN) as conn:
        await register_domain(conn, domain_name)
        for operation in ("RegisterDomain", "CountOpenWorkflowExecutions"):
            try:
                await conn.call(
                    operation,
                    {
                        "name": domain_name,
                        "workflowExecutionRetentionPeriodInDays": "1",
                    }
                    if operation == "RegisterDomain"
                    else {"domain": domain_name, "startTimeFilter": {"oldestDate": 0}},
                )
            except exc.SWFError as err:
                messages += [str(err), repr(err)]
    return messages


async def test_secrets_are_not_logged_by_aioswf(
    moto: MotoServer, caplog: pytest.LogCaptureFixture, domain_name: str
) -> None:
    messages = await logged_calls(moto, caplog, domain_name)
    assert len(messages) == 4
    ours = [(name, text) for name, text in record_texts(caplog.records) if name.startswith("aioswf")]
    assert any("RegisterDomain" in text for _, text in ours), (
        "aioswf logged nothing: this test proves nothing"
    )
    for _, text in ours:
        assert SECRET not in text
        assert KEY_ID not in text
        assert TOKEN not in text
    for text in messages:
        assert SECRET not in text
        assert KEY_ID not in text
        assert TOKEN not in text
    # The secret access key is in no record at all, botocore's included.
    everything = list(record_texts(caplog.records))
    assert any(name.startswith("botocore") for name, _ in everything)
    assert [name for name, text in everything if SECRET in text] == []


async def test_credentials_are_in_no_debug_record(
    moto: MotoServer, caplog: pytest.LogCaptureFixture, domain_name: str
) -> None:
    """botocore logs whole requests at DEBUG (the Authorization header carries the key id, and
    X-Amz-Security-Token the session token); aioswf redacts the credentials of its connections."""
    await logged_calls(moto, caplog, domain_name)
    everything = list(record_texts(caplog.records))
    # The records that would carry them are there: this test is not passing on silence.
    requests = [
        text for name, text in everything if name == "botocore.endpoint" and "Sending http request" in text
    ]
    assert requests
    assert all("Authorization" in text for text in requests)
    leaking = sorted({name for name, text in everything if KEY_ID in text or TOKEN in text})
    assert leaking == []


# --- two clients: polls never starve other calls -------------------------------------------------


async def test_polls_do_not_starve_other_calls(moto: MotoServer, domain_name: str) -> None:
    """12 idle polls are in flight, more than the pool for ordinary calls holds, and a describe
    still gets through: polls have a client and a pool of their own."""
    config = aioswf.ConnectionConfig(max_attempts=1, max_pool_connections=4)
    answers: list[dict[str, Any]] = []
    async with moto_connection(moto, config=config) as conn:
        await register_domain(conn, domain_name)

        async def poll() -> None:
            answers.append(
                await conn.call("PollForActivityTask", {"domain": domain_name, "taskList": {"name": "empty"}})
            )

        async with anyio.create_task_group() as tg:
            for _ in range(12):
                tg.start_soon(poll)
            await anyio.sleep(0.2)  # let the 12 requests reach moto, which holds each for a second
            assert conn.statistics().polls_in_flight == 12
            described = await conn.call("DescribeDomain", {"name": domain_name})
            assert conn.statistics().polls_in_flight == 12
        assert described["domainInfo"]["name"] == domain_name
        # moto answers an empty poll without a taskToken (real SWF sends "").
        assert len(answers) == 12
        assert not any(answer.get("taskToken") for answer in answers)
        assert conn.statistics().polls_in_flight == 0


# --- the default connection ----------------------------------------------------------------------


TWO_RUNS = """
import asyncio, gc, json, sys, uuid
import aioswf

aioswf.settings.set(**json.loads(sys.argv[1]))

async def main():
    conn = aioswf.default_connection()
    name = "d-" + uuid.uuid4().hex[:8]
    await conn.call("RegisterDomain", {"name": name, "workflowExecutionRetentionPeriodInDays": "1"})
    answer = await conn.call("DescribeDomain", {"name": name})
    print(answer["domainInfo"]["name"] == name, conn is aioswf.default_connection())
    return conn

first = asyncio.run(main())
gc.collect()
second = asyncio.run(main())
gc.collect()
print(first.closed, second.closed, first is not second)
"""


def test_asyncio_run_twice_with_the_default_connection(moto: MotoServer) -> None:
    """No unclosed client is left behind by a run, and a second run gets a working connection.

    A leaked aiohttp session shows up on stderr as "Unclosed client session" (the exit code stays 0),
    so stderr must be empty.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", TWO_RUNS, json.dumps(moto.settings)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == ["True True", "True True", "True True True"]


async def test_default_connection_is_one_per_loop(moto: MotoServer, domain_name: str) -> None:
    set_moto_settings(moto)
    conn = aioswf.default_connection()
    try:
        assert aioswf.default_connection() is conn
        await register_domain(conn, domain_name)
        assert conn.settings is not None and conn.settings.endpoint_url == moto.url
    finally:
        await aioswf.close_default_connection()
    assert conn.closed
    with pytest.raises(exc.ConnectionClosedError):
        await conn.call("DescribeDomain", {"name": domain_name})
    # A new one is made on next use.
    fresh = aioswf.default_connection()
    try:
        assert fresh is not conn
        await fresh.call("DescribeDomain", {"name": domain_name})
    finally:
        await aioswf.close_default_connection()
    assert fresh.closed
    await aioswf.close_default_connection()  # with none open, harmless


def test_default_connection_needs_a_running_loop() -> None:
    with pytest.raises(RuntimeError):
        aioswf.default_connection()


@pytest.fixture(scope="module")
def other_moto() -> Iterator[MotoServer]:
    """A second, separate moto server: another endpoint with its own state."""
    with MotoServer() as server:
        yield server


async def test_default_connection_follows_settings(
    moto: MotoServer, other_moto: MotoServer, domain_name: str
) -> None:
    other_moto.reset()
    set_moto_settings(moto)
    conn = aioswf.default_connection()
    try:
        await register_domain(conn, domain_name)
        aioswf.settings.set(endpoint_url=other_moto.url)
        # The same default connection now sends to the other server, which has no such domain.
        with pytest.raises(exc.DoesNotExistError):
            await conn.call("DescribeDomain", {"name": domain_name})
        assert conn.settings is not None and conn.settings.endpoint_url == other_moto.url
        await register_domain(conn, domain_name)  # no AlreadyExistsError: another server
        aioswf.settings.set(endpoint_url=moto.url)
        with pytest.raises(exc.AlreadyExistsError):
            await register_domain(conn, domain_name)
        assert aioswf.default_connection() is conn
    finally:
        await aioswf.close_default_connection()


# --- wrong arguments and unsendable values get typed, named errors --------------------------------


def test_wrong_argument_types_are_refused() -> None:
    with pytest.raises(TypeError, match=r"aioswf\.settings\.Settings"):
        aioswf.Connection({"region": "us-east-1"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"aioswf\.ConnectionConfig"):
        aioswf.Connection(config={"read_timeout": 1})  # type: ignore[arg-type]


async def test_parameters_must_be_a_mapping(connection: aioswf.Connection) -> None:
    with pytest.raises(exc.ValidationError, match="must be a mapping, got list"):
        await connection.call("ListDomains", [1])  # type: ignore[arg-type]
    assert connection.statistics().calls == {}


async def test_an_unknown_profile_is_a_configuration_error(moto: MotoServer) -> None:
    conn = aioswf.Connection(profile="no-such-profile-here", region="us-east-1", endpoint_url=moto.url)
    with pytest.raises(exc.ConfigurationError, match="no such AWS profile"):
        await conn.open()
    await conn.aclose()


async def test_timestamps_come_back_as_aware_utc_datetimes(
    connection: aioswf.Connection, domain_name: str
) -> None:
    await register_domain(connection, domain_name)
    before = datetime.now(UTC).replace(microsecond=0)
    await connection.call(
        "RegisterWorkflowType",
        {
            "domain": domain_name,
            "name": "wf",
            "version": "1",
            "defaultTaskList": {"name": "main"},
            "defaultExecutionStartToCloseTimeout": "600",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    await connection.call(
        "StartWorkflowExecution",
        {"domain": domain_name, "workflowId": "w", "workflowType": {"name": "wf", "version": "1"}},
    )
    listed = await connection.call(
        "ListOpenWorkflowExecutions",
        {"domain": domain_name, "startTimeFilter": {"oldestDate": before - timedelta(hours=1)}},
    )
    started = listed["executionInfos"][0]["startTimestamp"]
    assert started.tzinfo is UTC
    assert before - timedelta(seconds=1) <= started <= datetime.now(UTC) + timedelta(seconds=1)


def test_timestamps_other_than_epoch_numbers_are_left_to_botocore() -> None:
    iso = parse_timestamp("2026-12-03T19:04:30Z")
    assert iso == datetime(2026, 12, 3, 19, 4, 30, tzinfo=UTC) and iso.tzinfo is UTC
    # Another zone's time is the same instant, given in UTC.
    other = parse_timestamp("2026-12-03T20:04:30+01:00")
    assert other == iso and other.tzinfo is UTC
    assert parse_timestamp(1_700_000_000.25) == datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC)
    assert parse_timestamp(0) == datetime(1970, 1, 1, tzinfo=UTC)
