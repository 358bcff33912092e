"""SWF's durations are strings of whole seconds (or days), with ``"NONE"`` for "no limit"."""

from __future__ import annotations

from datetime import timedelta

from .exceptions import ValidationError

Duration = timedelta | int | None

NONE = "NONE"


def seconds_to_swf(value: Duration, field: str) -> str:
    """``timedelta(minutes=5)`` or ``300`` -> ``"300"``; ``None`` -> ``"NONE"``."""
    if value is None:
        return NONE
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if seconds != int(seconds):
            raise ValidationError(f"{field} must be whole seconds, got {value}", field=field)
        whole = int(seconds)
    elif isinstance(value, int) and not isinstance(value, bool):
        whole = value
    else:
        raise ValidationError(
            f"{field} must be a timedelta, whole seconds or None, got {type(value).__name__}", field=field
        )
    if whole < 0:
        raise ValidationError(f"{field} must not be negative, got {whole} s", field=field)
    return str(whole)


def days_to_swf(value: timedelta | int, field: str) -> str:
    if isinstance(value, timedelta):
        if value != timedelta(days=value.days):
            raise ValidationError(f"{field} must be whole days, got {value}", field=field)
        value = value.days
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(
            f"{field} must be a whole, non-negative number of days, got {value!r}", field=field
        )
    return str(value)


def seconds_from_swf(value: str | None) -> timedelta | None:
    """``"300"`` -> ``timedelta(seconds=300)``; ``"NONE"`` or absent -> ``None``."""
    if value is None or value == NONE:
        return None
    return timedelta(seconds=int(value))


def days_from_swf(value: str | None) -> int | None:
    if value is None or value == NONE:
        return None
    return int(value)
