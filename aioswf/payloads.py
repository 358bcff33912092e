"""Payload converters: how inputs, results, details and control data become SWF's strings.

SWF carries every payload (a workflow's or an activity's ``input``, a ``result``, failure
``details``, heartbeat ``details``, ``control`` data, marker ``details``, signal ``input``) as an
optional string of at most 32,768 characters (2,048 for heartbeat details). A converter turns
values into those strings and back:

* :class:`JSONConverter`, the default (:data:`DEFAULT_CONVERTER`), writes compact JSON.
* :class:`RawConverter` passes strings through untouched, for payloads that are text already
  or that another program reads.

Any object with the two methods of :class:`PayloadConverter` can take their place (a msgpack
or a compressing converter, say). Nothing here unpickles: a payload is data, never code.

``None`` is "no payload" both ways: ``encode(None)`` gives ``None``, so the field is left out
of the request instead of being sent as ``"null"``, and ``decode(None)`` gives ``None``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date, datetime, time, timedelta
from typing import Any, Final, Protocol, runtime_checkable

from .exceptions import ValidationError

__all__ = ["DEFAULT_CONVERTER", "JSONConverter", "PayloadConverter", "RawConverter"]


@runtime_checkable
class PayloadConverter(Protocol):
    """Turns values into SWF payload strings and back.

    ``encode(None)`` must return ``None`` (no payload), and ``decode(encode(value))`` should give
    back ``value``, or the plainest form of it the converter documents.
    """

    def encode(self, value: Any) -> str | None:
        """The string to send for ``value``; ``None`` to send nothing."""
        ...

    def decode(self, text: str | None) -> Any:
        """The value a payload string stands for; ``None`` for no payload."""
        ...


@dataclasses.dataclass(frozen=True)
class JSONConverter:
    """Compact JSON (``{"a":1}``), with Unicode written as itself, not as ``\\u`` escapes.

    What :meth:`encode` accepts, and what :meth:`decode` gives back for it:

    ============================  ======================================================
    value                         decoded as
    ============================  ======================================================
    ``str``, ``int``, ``bool``    the same value
    ``float``                     the same value (NaN and infinities are refused: not JSON)
    ``None`` at the top           no payload (``encode`` gives ``None``)
    ``None`` inside a value       ``None``
    ``dict`` (``str`` keys)       a ``dict``
    ``list``, ``tuple``           a ``list``
    dataclass instance            a ``dict`` of its fields (``dataclasses.asdict``)
    ``datetime``, ``date``,       the ISO 8601 string (``"2024-05-01T12:00:00+00:00"``);
    ``time``                      parse it back with ``datetime.fromisoformat``
    ``timedelta``                 its length in seconds: an ``int`` if whole, else a ``float``
    ============================  ======================================================

    Decoding gives plain JSON types only: it never guesses that a string was a date or a dict
    a dataclass. Anything else (sets, bytes, arbitrary objects) raises :class:`TypeError`.
    The empty string, which SWF sends for an empty payload, decodes to ``None``.
    """

    #: Write object keys in sorted order, so equal values always give equal strings.
    sort_keys: bool = False

    def encode(self, value: Any) -> str | None:
        if value is None:
            return None
        try:
            return json.dumps(
                value,
                default=_to_json,
                separators=(",", ":"),
                ensure_ascii=False,
                allow_nan=False,
                sort_keys=self.sort_keys,
            )
        except ValueError as err:  # NaN or an infinity somewhere in value
            raise ValidationError(f"JSONConverter cannot encode {value!r}: {err}", field="payload") from None

    def decode(self, text: str | None) -> Any:
        if text is None or text == "":
            return None
        if not isinstance(text, str):
            raise TypeError(f"JSONConverter decodes a str, got {type(text).__name__}")
        return json.loads(text, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> Any:
    # json.loads takes NaN and Infinity, which are not JSON and which encode() refuses.
    raise ValidationError(f"the payload holds {name}, which is not JSON")


@dataclasses.dataclass(frozen=True)
class RawConverter:
    """Strings as they are: ``encode("abc")`` is ``"abc"`` and ``decode("abc")`` is ``"abc"``.

    Anything but a ``str`` or ``None`` raises :class:`TypeError` naming its type, so nothing is
    sent as its ``repr`` by accident.
    """

    def encode(self, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        raise TypeError(
            f"RawConverter sends only str payloads, got {type(value).__name__}; "
            "use JSONConverter for other values"
        )

    def decode(self, text: str | None) -> str | None:
        if text is None or isinstance(text, str):
            return text
        raise TypeError(f"RawConverter decodes a str, got {type(text).__name__}")


#: The converter aioswf uses when none is given.
DEFAULT_CONVERTER: Final[PayloadConverter] = JSONConverter()


def _to_json(value: Any) -> Any:
    """``json.dumps``'s ``default``: what JSON cannot say directly."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if math.isfinite(seconds) and seconds == int(seconds):
            return int(seconds)
        return seconds
    raise TypeError(
        f"JSONConverter cannot encode a {type(value).__module__}.{type(value).__qualname__}; "
        "give it dicts, lists, str, int, float, bool, None, dataclasses, datetimes or timedeltas"
    )
