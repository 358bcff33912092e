"""Where the settings come from: explicit set() > environment > ~/.swf > botocore's chain."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest

import aioswf
from aioswf import settings
from aioswf.exceptions import ConfigurationError

REPO = Path(__file__).resolve().parents[1]

SWF_FILE = """\
[credentials]
aws_access_key_id = FILEKEYID
aws_secret_access_key = file-secret
aws_session_token = file-token

[defaults]
region = eu-west-1
endpoint_url = http://file.example:1
profile = file-profile
"""

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "ENVKEYID",
    "AWS_SECRET_ACCESS_KEY": "env-secret",
    "AWS_SESSION_TOKEN": "env-token",
    "AWS_REGION": "us-west-2",
    "AWS_ENDPOINT_URL_SWF": "http://env.example:2",
    "AWS_PROFILE": "env-profile",
}


def write_swf(home: Path, text: str) -> Path:
    path = home / ".swf"
    path.write_text(text, encoding="utf-8")
    return path


def values(resolved: settings.Settings) -> dict[str, str | None]:
    return {key: getattr(resolved, key) for key in settings.KEYS}


# --- one source at a time ------------------------------------------------------------------------


def test_nothing_configured_leaves_everything_to_botocore(tmp_path: Path) -> None:
    resolved = settings.load(environ={}, home=tmp_path)
    assert values(resolved) == dict.fromkeys(settings.KEYS)
    assert not resolved.has_credentials
    assert dict(resolved.sources) == {}


def test_swf_file_alone(tmp_path: Path) -> None:
    write_swf(tmp_path, SWF_FILE)
    resolved = settings.load(environ={}, home=tmp_path)
    assert values(resolved) == {
        "aws_access_key_id": "FILEKEYID",
        "aws_secret_access_key": "file-secret",
        "aws_session_token": "file-token",
        "region": "eu-west-1",
        "endpoint_url": "http://file.example:1",
        "profile": "file-profile",
    }
    assert resolved.has_credentials
    assert set(resolved.sources.values()) == {"~/.swf"}


def test_swf_file_option_names_are_case_insensitive(tmp_path: Path) -> None:
    write_swf(tmp_path, "[credentials]\nAWS_ACCESS_KEY_ID = K\nAWS_SECRET_ACCESS_KEY = S\n")
    resolved = settings.load(environ={}, home=tmp_path)
    assert (resolved.aws_access_key_id, resolved.aws_secret_access_key) == ("K", "S")


def test_swf_file_with_defaults_only_has_no_credentials(tmp_path: Path) -> None:
    write_swf(tmp_path, "[defaults]\nregion = ap-south-1\n")
    resolved = settings.load(environ={}, home=tmp_path)
    assert resolved.region == "ap-south-1"
    assert not resolved.has_credentials
    assert resolved.aws_secret_access_key is None


def test_environment_alone() -> None:
    resolved = settings.load(environ=ENVIRONMENT, home="/nonexistent-home")
    assert values(resolved) == {
        "aws_access_key_id": "ENVKEYID",
        "aws_secret_access_key": "env-secret",
        "aws_session_token": "env-token",
        "region": "us-west-2",
        "endpoint_url": "http://env.example:2",
        "profile": "env-profile",
    }
    assert set(resolved.sources.values()) == {"environment"}


# --- precedence ----------------------------------------------------------------------------------


def test_environment_wins_over_swf_file(tmp_path: Path) -> None:
    write_swf(tmp_path, SWF_FILE)
    resolved = settings.load(environ=ENVIRONMENT, home=tmp_path)
    assert resolved.aws_access_key_id == "ENVKEYID"
    assert resolved.aws_secret_access_key == "env-secret"
    assert resolved.aws_session_token == "env-token"
    assert resolved.region == "us-west-2"
    assert resolved.endpoint_url == "http://env.example:2"
    assert resolved.profile == "env-profile"


def test_explicit_set_wins_over_environment_and_swf_file(tmp_path: Path) -> None:
    write_swf(tmp_path, SWF_FILE)
    settings.set(
        aws_access_key_id="SETKEYID",
        aws_secret_access_key="set-secret",
        region="sa-east-1",
        endpoint_url="http://set.example:3",
        profile="set-profile",
    )
    resolved = settings.load(environ=ENVIRONMENT, home=tmp_path)
    assert values(resolved) == {
        "aws_access_key_id": "SETKEYID",
        "aws_secret_access_key": "set-secret",
        # The credentials are one unit: the environment's token is not added to set()'s key.
        "aws_session_token": None,
        "region": "sa-east-1",
        "endpoint_url": "http://set.example:3",
        "profile": "set-profile",
    }
    assert set(resolved.sources.values()) == {"explicit"}


def test_load_overrides_win_over_set() -> None:
    settings.set(region="sa-east-1", endpoint_url="http://set.example:3")
    resolved = settings.load(environ={}, home="/nonexistent-home", region="eu-north-1")
    assert resolved.region == "eu-north-1"
    assert resolved.endpoint_url == "http://set.example:3"


def test_region_from_environment_with_credentials_from_swf_file(tmp_path: Path) -> None:
    """python-swf's bug: credentials from ~/.swf used to drag ~/.swf's region along."""
    write_swf(tmp_path, SWF_FILE)
    resolved = settings.load(environ={"AWS_REGION": "us-west-2"}, home=tmp_path)
    assert resolved.region == "us-west-2"
    assert resolved.sources["region"] == "environment"
    assert resolved.aws_access_key_id == "FILEKEYID"
    assert resolved.aws_secret_access_key == "file-secret"
    assert resolved.sources["aws_access_key_id"] == "~/.swf"
    # The keys that neither set() nor the environment has still come from ~/.swf.
    assert resolved.endpoint_url == "http://file.example:1"
    assert resolved.profile == "file-profile"


def test_every_key_from_its_own_source(tmp_path: Path) -> None:
    write_swf(tmp_path, "[defaults]\nregion = eu-west-1\n")
    settings.set(endpoint_url="http://set.example:3")
    resolved = settings.load(environ={"AWS_ACCESS_KEY_ID": "E", "AWS_SECRET_ACCESS_KEY": "S"}, home=tmp_path)
    assert (resolved.endpoint_url, resolved.aws_access_key_id, resolved.region) == (
        "http://set.example:3",
        "E",
        "eu-west-1",
    )
    assert dict(resolved.sources) == {
        "endpoint_url": "explicit",
        "aws_access_key_id": "environment",
        "aws_secret_access_key": "environment",
        "region": "~/.swf",
    }


def test_credentials_are_one_unit(tmp_path: Path) -> None:
    """The environment's key and secret are never paired with ~/.swf's session token."""
    write_swf(tmp_path, SWF_FILE)
    resolved = settings.load(
        environ={"AWS_ACCESS_KEY_ID": "ENVKEYID", "AWS_SECRET_ACCESS_KEY": "env-secret"}, home=tmp_path
    )
    assert resolved.aws_access_key_id == "ENVKEYID"
    assert resolved.aws_secret_access_key == "env-secret"
    assert resolved.aws_session_token is None
    assert "aws_session_token" not in resolved.sources


def test_partial_credentials_do_not_borrow_from_a_lower_source(tmp_path: Path) -> None:
    """A key id alone in the environment is an error, not the environment's key with ~/.swf's secret."""
    write_swf(tmp_path, SWF_FILE)
    with pytest.raises(ConfigurationError, match="aws_secret_access_key"):
        settings.load(environ={"AWS_ACCESS_KEY_ID": "ENVKEYID"}, home=tmp_path)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "eu-central-1"}, "eu-west-3"),
        ({"AWS_DEFAULT_REGION": "eu-central-1"}, "eu-central-1"),
        # An empty variable counts as unset.
        ({"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-central-1"}, "eu-central-1"),
    ],
)
def test_region_variables(environ: dict[str, str], expected: str) -> None:
    assert settings.load(environ=environ, home="/nonexistent-home").region == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"AWS_ENDPOINT_URL_SWF": "http://swf.example:1", "AWS_ENDPOINT_URL": "http://all.example:2"},
            "http://swf.example:1",
        ),
        ({"AWS_ENDPOINT_URL": "http://all.example:2"}, "http://all.example:2"),
    ],
)
def test_endpoint_variables(environ: dict[str, str], expected: str) -> None:
    assert settings.load(environ=environ, home="/nonexistent-home").endpoint_url == expected


def test_load_reads_the_real_environment_and_home(monkeypatch: pytest.MonkeyPatch) -> None:
    home = Path(os.environ["HOME"])  # a temporary folder, set by the clean_settings fixture
    write_swf(home, SWF_FILE)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    resolved = settings.load()
    assert resolved.region == "ca-central-1"
    assert resolved.aws_access_key_id == "FILEKEYID"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEYID")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    resolved = settings.load()
    assert (resolved.aws_access_key_id, resolved.aws_session_token) == ("ENVKEYID", None)


def test_load_reads_the_sources_again_each_time(tmp_path: Path) -> None:
    assert settings.load(environ={}, home=tmp_path).region is None
    write_swf(tmp_path, "[defaults]\nregion = eu-west-1\n")
    assert settings.load(environ={}, home=tmp_path).region == "eu-west-1"


# --- set() and reset() ---------------------------------------------------------------------------


def test_set_updates_key_by_key() -> None:
    settings.set(region="eu-west-1")
    settings.set(endpoint_url="http://set.example:3")
    assert settings.get() == {"region": "eu-west-1", "endpoint_url": "http://set.example:3"}


def test_set_none_removes_the_key() -> None:
    settings.set(region="eu-west-1", endpoint_url="http://set.example:3")
    settings.set(region=None)
    assert settings.get() == {"endpoint_url": "http://set.example:3"}
    assert settings.load(environ={"AWS_REGION": "us-west-2"}, home="/nonexistent-home").region == "us-west-2"


def test_reset_forgets_everything() -> None:
    settings.set(region="eu-west-1", aws_access_key_id="K", aws_secret_access_key="S")
    settings.reset()
    assert settings.get() == {}
    resolved = settings.load(environ={}, home="/nonexistent-home")
    assert resolved.region is None
    assert not resolved.has_credentials


def test_get_returns_a_copy() -> None:
    settings.set(region="eu-west-1")
    copy = settings.get()
    copy["region"] = "changed"
    assert settings.get() == {"region": "eu-west-1"}


def test_unknown_key_is_refused_and_named() -> None:
    with pytest.raises(ConfigurationError, match="regoin"):
        settings.set(regoin="eu-west-1")


def test_refused_set_changes_nothing() -> None:
    with pytest.raises(ConfigurationError):
        settings.set(region="eu-west-1", bogus="x")
    assert settings.get() == {}


def test_unknown_key_in_load_and_connection() -> None:
    with pytest.raises(ConfigurationError, match="regoin"):
        settings.load(environ={}, regoin="eu-west-1")
    with pytest.raises(ConfigurationError, match="regoin"):
        aioswf.Connection(regoin="eu-west-1")


@pytest.mark.parametrize("value", [1, 1.5, b"eu-west-1", ["eu-west-1"]])
def test_non_string_value_is_refused(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="region"):
        settings.set(region=value)
    assert settings.get() == {}


# --- invalid settings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "missing", "hidden"),
    [
        ({"AWS_ACCESS_KEY_ID": "AKIDONLYTHEKEYID"}, "aws_secret_access_key", "AKIDONLYTHEKEYID"),
        ({"AWS_SECRET_ACCESS_KEY": "s3cr3t-only"}, "aws_access_key_id", "s3cr3t-only"),
        ({"AWS_SESSION_TOKEN": "t0ken-only"}, "aws_access_key_id", "t0ken-only"),
        (
            {"AWS_ACCESS_KEY_ID": "AKIDWITHTOKEN", "AWS_SESSION_TOKEN": "t0ken-with-id"},
            "aws_secret_access_key",
            "t0ken-with-id",
        ),
    ],
)
def test_partial_credentials_are_refused_without_showing_them(
    given: dict[str, str], missing: str, hidden: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        settings.load(environ=given, home="/nonexistent-home")
    assert missing in str(caught.value)
    assert hidden not in str(caught.value)
    assert hidden not in repr(caught.value)


def test_partial_explicit_credentials_name_their_source() -> None:
    settings.set(aws_secret_access_key="s3cr3t-explicit")
    with pytest.raises(ConfigurationError, match="explicit") as caught:
        settings.load(environ={}, home="/nonexistent-home")
    assert "s3cr3t-explicit" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["localhost:4566", "127.0.0.1:4566", "ftp://example.com", "http://", "not a url", "https:///path"]
)
def test_bad_endpoint_url_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="endpoint_url"):
        settings.load(environ={"AWS_ENDPOINT_URL": url}, home="/nonexistent-home")
    settings.set(endpoint_url=url)
    with pytest.raises(ConfigurationError, match="endpoint_url"):
        settings.load(environ={}, home="/nonexistent-home")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:4566", "https://swf.eu-west-1.amazonaws.com", "http://moto"]
)
def test_good_endpoint_url_is_kept(url: str) -> None:
    assert settings.load(environ={"AWS_ENDPOINT_URL": url}, home="/nonexistent-home").endpoint_url == url


SECRET_IN_FILE = "Sup3rS3cretFromTheSwfFile"


@pytest.mark.parametrize(
    "content",
    [
        # no section header
        f"aws_secret_access_key = {SECRET_IN_FILE}\n".encode(),
        # a line that is not "key = value"
        f"[credentials]\naws_access_key_id = K\n{SECRET_IN_FILE}\n".encode(),
        # the same key twice
        f"[credentials]\naws_secret_access_key = {SECRET_IN_FILE}\naws_secret_access_key = x\n".encode(),
        # not UTF-8
        b"[credentials]\naws_secret_access_key = " + SECRET_IN_FILE.encode() + b"\xff\xfe\n",
    ],
    ids=["no-section", "bad-line", "duplicate-key", "not-utf8"],
)
def test_garbled_swf_file_is_refused_without_showing_its_content(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / ".swf"
    path.write_bytes(content)
    with pytest.raises(ConfigurationError) as caught:
        settings.load(environ={}, home=tmp_path)
    assert str(path) in str(caught.value)
    # Not in the message, and not in the traceback a user would paste into a bug report.
    shown = "".join(traceback.format_exception(caught.value))
    assert SECRET_IN_FILE not in shown
    assert SECRET_IN_FILE not in repr(caught.value)


def test_unreadable_swf_file_is_refused(tmp_path: Path) -> None:
    # A folder in the file's place: unreadable even for root, who ignores file permissions.
    (tmp_path / ".swf").mkdir()
    with pytest.raises(ConfigurationError, match=r"\.swf"):
        settings.load(environ={}, home=tmp_path)


# --- the Settings object -------------------------------------------------------------------------


def test_settings_repr_hides_the_secrets() -> None:
    resolved = settings.Settings(
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        aws_session_token="FwoGZXIvYXdzEXAMPLETOKEN",
        region="eu-west-1",
        endpoint_url="http://127.0.0.1:1",
    )
    for shown in (repr(resolved), str(resolved), f"{resolved}", f"{[resolved]}"):
        assert "AKIAIOSFODNN7EXAMPLE" not in shown
        assert "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" not in shown
        assert "FwoGZXIvYXdzEXAMPLETOKEN" not in shown
        # What is not secret is shown.
        assert "eu-west-1" in shown
        assert "http://127.0.0.1:1" in shown


def test_settings_are_frozen() -> None:
    resolved = settings.Settings(region="eu-west-1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.region = "us-east-1"  # type: ignore[misc]


def test_settings_object_validates_itself() -> None:
    with pytest.raises(ConfigurationError):
        settings.Settings(aws_access_key_id="K")
    with pytest.raises(ConfigurationError):
        settings.Settings(endpoint_url="localhost")


# --- nothing at import time ----------------------------------------------------------------------


def test_import_reads_nothing(tmp_path: Path) -> None:
    """Importing aioswf with a broken ~/.swf and a broken environment succeeds; load() then fails."""
    write_swf(tmp_path, f"garbage without a section {SECRET_IN_FILE}\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in ("PYTHONPATH", "HOME")
    }
    env.update(
        HOME=str(tmp_path),
        AWS_ACCESS_KEY_ID="ONLYTHEKEY",
        AWS_ENDPOINT_URL="not a url",
        PYTHONPATH=str(REPO),
    )
    script = (
        "import aioswf, aioswf.settings, aioswf.exceptions, aioswf.testing\n"
        "conn = aioswf.Connection()\n"  # no I/O in __init__ either
        "print('imported')\n"
        "try:\n"
        "    aioswf.settings.load()\n"
        "except aioswf.exceptions.ConfigurationError as err:\n"
        "    print('load failed:', err)\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "imported"
    assert lines[1].startswith("load failed:")
    assert ".swf" in lines[1]
    assert SECRET_IN_FILE not in done.stdout + done.stderr


# --- endpoints and regions that cannot work are refused when the settings are resolved ------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:99999", "port"),
        ("http://127.0.0.1:abc", "port"),
        (" http://127.0.0.1:1 ", "white space"),
        ("not a url", "white space"),
        ("ftp://example.com", "http:// or https://"),
        ("http://", "http:// or https://"),
    ],
)
def test_unusable_endpoints_are_refused(url: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        settings.load(environ={}, home="/nonexistent", endpoint_url=url)


def test_a_password_in_the_endpoint_never_shows() -> None:
    loaded = settings.load(
        environ={}, home="/nonexistent", endpoint_url="https://user:hunter2@swf.example:8443/"
    )
    assert loaded.endpoint_url == "https://user:hunter2@swf.example:8443/"  # used as given
    assert "hunter2" not in repr(loaded)
    assert "user:***@swf.example:8443" in repr(loaded)
    with pytest.raises(ConfigurationError) as caught:
        settings.load(environ={}, home="/nonexistent", endpoint_url="https://user:hunter2@swf.example:99999/")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("region", ["not a region!", "US-EAST-1", "useast1", ""])
def test_malformed_regions_are_refused(region: str) -> None:
    if region == "":
        assert settings.load(environ={}, home="/nonexistent", region=region).region is None
        return
    with pytest.raises(ConfigurationError, match="region must look like"):
        settings.load(environ={}, home="/nonexistent", region=region)


@pytest.mark.parametrize(
    "region", ["us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "ap-southeast-4"]
)
def test_real_regions_are_accepted(region: str) -> None:
    assert settings.load(environ={}, home="/nonexistent", region=region).region == region
