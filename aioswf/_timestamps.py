"""How aioswf's session reads the timestamps of SWF's answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import botocore.utils

__all__ = ["parse_timestamp"]


def parse_timestamp(value: Any) -> datetime:
    """A timestamp of an SWF answer, as an aware UTC ``datetime``.

    SWF sends epoch seconds. botocore's own parser gives the same instant in the machine's local
    zone, which it looks up (dateutil's ``tzlocal``) for every timestamp: a sixth of a decision
    poll's client CPU. Anything else (a string, a number out of range) is left to botocore's
    parser, and an aware answer of it is turned to UTC too; a naive one stays as it is.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            pass
    parsed: datetime = botocore.utils.parse_timestamp(value)
    return parsed.astimezone(UTC) if parsed.tzinfo is not None else parsed
