"""Where aioswf finds credentials, the region and the endpoint.

Each value is taken from the first place that has it, key by key::

    1. aioswf.settings.set(...)        explicit, in this process
    2. the environment                 AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
                                       AWS_REGION or AWS_DEFAULT_REGION,
                                       AWS_ENDPOINT_URL_SWF or AWS_ENDPOINT_URL, AWS_PROFILE
    3. ~/.swf                          [credentials] aws_access_key_id, aws_secret_access_key,
                                       aws_session_token; [defaults] region, endpoint_url, profile
    4. botocore's own chain            profiles, ~/.aws/credentials and ~/.aws/config, SSO,
                                       container and instance roles

The region and the endpoint are merged per key: a region from the environment is used even when the
credentials come from ``~/.swf``. The credentials are one unit: the key id, the secret and the session
token always come from the same place, so a key id is never paired with another source's secret.

Nothing is read at import time: :func:`load` reads the environment and ``~/.swf`` each time it is
called, and a :class:`~aioswf.Connection` calls it when it opens.
"""

from __future__ import annotations

import configparser
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .exceptions import ConfigurationError

__all__ = ["KEYS", "Settings", "get", "load", "reset", "resolve", "set"]

#: The keys that :func:`set` and :func:`load` accept.
KEYS = (
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "endpoint_url",
    "profile",
)
_CREDENTIALS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")

_ENVIRONMENT: Mapping[str, tuple[str, ...]] = {
    "aws_access_key_id": ("AWS_ACCESS_KEY_ID",),
    "aws_secret_access_key": ("AWS_SECRET_ACCESS_KEY",),
    "aws_session_token": ("AWS_SESSION_TOKEN",),
    "region": ("AWS_REGION", "AWS_DEFAULT_REGION"),
    "endpoint_url": ("AWS_ENDPOINT_URL_SWF", "AWS_ENDPOINT_URL"),
    "profile": ("AWS_PROFILE",),
}
_SWF_FILE_SECTIONS: Mapping[str, str] = {
    "aws_access_key_id": "credentials",
    "aws_secret_access_key": "credentials",
    "aws_session_token": "credentials",
    "region": "defaults",
    "endpoint_url": "defaults",
    "profile": "defaults",
}


def _redact(value: str | None, keep: int = 0) -> str:
    if value is None:
        return "None"
    if keep and len(value) > keep * 3:
        return repr("…" + value[-keep:])
    return "'***'"


_REGION = re.compile(r"[a-z]{2}(-[a-z0-9]+)+-\d+|local")


def _check_endpoint(url: str) -> None:
    problem = None
    parts = urlsplit(url)
    if url != url.strip() or any(c.isspace() for c in url):
        problem = "it contains white space"
    elif parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "it is not an http:// or https:// URL with a host"
    else:
        try:
            parts.port  # noqa: B018 - urlsplit checks the port only when asked for it
        except ValueError:
            problem = "its port is not a number from 0 to 65535"
    if problem:
        raise ConfigurationError(f"endpoint_url {_redact_url(url)!r} is unusable: {problem}")


def _redact_url(url: str | None) -> str | None:
    """The URL without a password (``http://user:***@host``), for reprs, logs and errors."""
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()


@dataclass(frozen=True, kw_only=True, repr=False)
class Settings:
    """The resolved settings of one connection. Frozen; its ``repr`` hides the secrets.

    A ``None`` credential or region means "let botocore's chain decide". ``sources`` says where
    each value that is set came from: ``"explicit"``, ``"environment"`` or ``"~/.swf"``.
    """

    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None
    aws_session_token: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    profile: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        given = [key for key in _CREDENTIALS[:2] if getattr(self, key)]
        if len(given) == 1:
            missing = "aws_secret_access_key" if given == ["aws_access_key_id"] else "aws_access_key_id"
            where = self.sources.get(given[0], "the settings")
            raise ConfigurationError(f"{given[0]} is set (from {where}) but {missing} is not")
        if self.aws_session_token and not given:
            raise ConfigurationError(
                "aws_session_token is set without aws_access_key_id and aws_secret_access_key"
            )
        if self.endpoint_url is not None:
            _check_endpoint(self.endpoint_url)
        if self.region is not None and not _REGION.fullmatch(self.region):
            raise ConfigurationError(f"region must look like 'us-east-1', got {self.region!r}")

    @property
    def has_credentials(self) -> bool:
        """True when aioswf itself found credentials (else botocore's chain will look)."""
        return self.aws_access_key_id is not None

    def __repr__(self) -> str:
        return (
            f"Settings(aws_access_key_id={_redact(self.aws_access_key_id, keep=4)}, "
            f"aws_secret_access_key={_redact(self.aws_secret_access_key)}, "
            f"aws_session_token={_redact(self.aws_session_token)}, "
            f"region={self.region!r}, endpoint_url={_redact_url(self.endpoint_url)!r}, "
            f"profile={self.profile!r})"
        )


_lock = threading.Lock()
_explicit: dict[str, str] = {}
_generation = 0


def _check_keys(values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if key not in KEYS:
            raise ConfigurationError(f"unknown setting {key!r}; the settings are {', '.join(KEYS)}")
        if value is not None and not isinstance(value, str):
            raise ConfigurationError(f"setting {key!r} must be a string or None, got {type(value).__name__}")


def set(**values: str | None) -> None:  # noqa: A001 - python-swf's name, kept for its users
    """Set settings explicitly for this process; they win over every other source.

    ``aioswf.settings.set(aws_access_key_id=..., aws_secret_access_key=..., region=...)``.
    Later calls update earlier ones key by key; a value of ``None`` removes that key.
    Connections opened afterwards use the new values; open ones keep theirs.
    """
    global _generation
    _check_keys(values)
    with _lock:
        for key, value in values.items():
            if value is None:
                _explicit.pop(key, None)
            else:
                _explicit[key] = value
        _generation += 1


def reset() -> None:
    """Forget everything given to :func:`set`."""
    global _generation
    with _lock:
        _explicit.clear()
        _generation += 1


def get() -> dict[str, str]:
    """A copy of the explicitly set values (secrets included: do not log it)."""
    with _lock:
        return dict(_explicit)


def _current_generation() -> int:
    """A number that changes whenever :func:`set` or :func:`reset` is called."""
    return _generation


def _read_swf_file(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8") as stream:
            parser.read_file(stream)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, configparser.Error) as err:
        # The message names the file and the kind of fault, never a line of it: it may hold a secret.
        raise ConfigurationError(f"cannot read {path}: {type(err).__name__}") from None
    found: dict[str, str] = {}
    for key, section in _SWF_FILE_SECTIONS.items():
        value = parser.get(section, key, fallback=None)
        if value:
            found[key] = value.strip()
    return found


def _from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, names in _ENVIRONMENT.items():
        for name in names:
            value = environ.get(name)
            if value:
                found[key] = value
                break
    return found


def load(
    *,
    environ: Mapping[str, str] | None = None,
    home: str | os.PathLike[str] | None = None,
    **overrides: str | None,
) -> Settings:
    """Resolve the settings now, from every source in order of precedence.

    ``overrides`` win over everything, even :func:`set`; ``environ`` (default ``os.environ``) and
    ``home`` (default the user's home folder, where ``.swf`` is looked for) exist for tests.
    """
    return resolve(overrides, environ=environ, home=home)


def resolve(
    overrides: Mapping[str, str | None],
    *,
    environ: Mapping[str, str] | None = None,
    home: str | os.PathLike[str] | None = None,
) -> Settings:
    """:func:`load` with the overrides as one mapping."""
    _check_keys(overrides)
    environ = os.environ if environ is None else environ
    home_path = Path(home) if home is not None else Path(environ.get("HOME") or Path.home())
    layers: list[tuple[str, Mapping[str, str | None]]] = [
        ("explicit", overrides),
        ("explicit", get()),
        ("environment", _from_environment(environ)),
        ("~/.swf", _read_swf_file(home_path / ".swf")),
    ]
    chosen: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key in ("region", "endpoint_url", "profile"):
        for source, layer in layers:
            value = layer.get(key)
            if value:
                chosen[key] = value
                sources[key] = source
                break
    for source, layer in layers:
        if any(layer.get(key) for key in _CREDENTIALS):
            for key in _CREDENTIALS:
                value = layer.get(key)
                if value:
                    chosen[key] = value
                    sources[key] = source
            break
    return Settings(**chosen, sources=sources)
