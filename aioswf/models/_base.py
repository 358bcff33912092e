"""What every model shares: the connection it talks through and conversion helpers."""

from __future__ import annotations

from typing import Any

from .._connection import Connection
from .._default import resolve
from ..exceptions import ValidationError


def check_name(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{field} must be a non-empty string, got {value!r}", field=field)
    return value


def connection_of(model: Any) -> Connection:
    """The connection a model was given, else the running loop's default connection."""
    return resolve(model.connection)
