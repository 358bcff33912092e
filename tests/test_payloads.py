"""Payload converters: JSON by default, raw strings on request, Unicode intact, no pickle."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest

import aioswf.payloads
from aioswf.exceptions import ValidationError
from aioswf.payloads import DEFAULT_CONVERTER, JSONConverter, PayloadConverter, RawConverter

UNICODE = "日本語 ✓ é 🎉 Ωμέγα עברית \u0000 \u2028"


@dataclasses.dataclass
class Point:
    x: int
    y: float


@dataclasses.dataclass(frozen=True)
class Shape:
    name: str
    points: list[Point]
    made: datetime
    ttl: timedelta
    tags: tuple[str, ...] = ()
    parent: Shape | None = None


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "",
        UNICODE,
        0,
        -7,
        2**70,
        3.25,
        True,
        False,
        [],
        {},
        [1, "two", 3.0, None, [True]],
        {"nested": {"deeper": [{"k": UNICODE}]}, "n": None},
    ],
)
def test_json_types_round_trip(value: Any) -> None:
    converter = JSONConverter()
    text = converter.encode(value)
    assert isinstance(text, str)
    decoded = converter.decode(text)
    assert decoded == value
    assert type(decoded) is type(value)


def test_none_is_no_payload() -> None:
    for converter in (JSONConverter(), RawConverter()):
        assert converter.encode(None) is None
        assert converter.decode(None) is None
    assert JSONConverter().decode("") is None  # SWF's empty payload
    assert JSONConverter().encode([None]) == "[null]"  # inside a value, None is JSON's null


def test_json_is_compact_and_keeps_unicode() -> None:
    converter = JSONConverter()
    assert converter.encode({"a": 1, "b": [1, 2]}) == '{"a":1,"b":[1,2]}'
    text = converter.encode({"text": "日本語 ✓ é", "emoji": "🎉"})
    assert text == '{"text":"日本語 ✓ é","emoji":"🎉"}'
    assert "\\u" not in text
    assert len(converter.encode("é" * 100) or "") == 102  # characters, as SWF counts them


def test_sorted_keys_on_request() -> None:
    assert (
        JSONConverter(sort_keys=True).encode({"b": 1, "a": {"d": 2, "c": 3}}) == '{"a":{"c":3,"d":2},"b":1}'
    )
    assert JSONConverter().encode({"b": 1, "a": 2}) == '{"b":1,"a":2}'


def test_dataclasses_nested_become_dicts() -> None:
    made = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)
    inner = Shape("inner", [Point(0, 0.5)], made, timedelta(seconds=90))
    shape = Shape("outer", [Point(1, 2.0), Point(-3, 4.5)], made, timedelta(hours=1), ("a", "é"), inner)
    converter = JSONConverter()
    text = converter.encode(shape)
    assert text is not None
    decoded = converter.decode(text)
    assert decoded == {
        "name": "outer",
        "points": [{"x": 1, "y": 2.0}, {"x": -3, "y": 4.5}],
        "made": "2024-05-01T12:30:15.250000+00:00",
        "ttl": 3600,
        "tags": ["a", "é"],
        "parent": {
            "name": "inner",
            "points": [{"x": 0, "y": 0.5}],
            "made": "2024-05-01T12:30:15.250000+00:00",
            "ttl": 90,
            "tags": [],
            "parent": None,
        },
    }
    # Decoding gives plain JSON types; the dataclass is rebuilt by the caller.
    assert Point(**decoded["points"][1]) == Point(-3, 4.5)
    assert datetime.fromisoformat(decoded["made"]) == made


def test_dates_times_and_durations() -> None:
    converter = JSONConverter()
    paris = timezone(timedelta(hours=2))
    value = {
        "at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=paris),
        "naive": datetime(2024, 1, 2, 3, 4, 5),
        "day": date(2024, 2, 29),
        "clock": time(23, 59, 1),
        "whole": timedelta(minutes=5),
        "part": timedelta(milliseconds=1500),
        "negative": timedelta(seconds=-2),
    }
    decoded = converter.decode(converter.encode(value))
    assert decoded == {
        "at": "2024-01-02T03:04:05+02:00",
        "naive": "2024-01-02T03:04:05",
        "day": "2024-02-29",
        "clock": "23:59:01",
        "whole": 300,
        "part": 1.5,
        "negative": -2,
    }
    assert type(decoded["whole"]) is int
    assert datetime.fromisoformat(decoded["at"]) == value["at"]
    assert timedelta(seconds=decoded["part"]) == value["part"]


def test_what_json_cannot_carry_is_refused() -> None:
    converter = JSONConverter()
    for value in ({1, 2}, b"bytes", object(), Point, {"k": complex(1, 2)}):
        with pytest.raises(TypeError) as caught:
            converter.encode(value)
        assert "JSONConverter cannot encode" in str(caught.value)
    with pytest.raises(TypeError) as caught:
        converter.encode({"when": {1, 2}})
    assert "builtins.set" in str(caught.value)
    for value in (float("nan"), [float("inf")], {"x": -float("inf")}):
        with pytest.raises(ValidationError):
            converter.encode(value)
    with pytest.raises(json.JSONDecodeError):
        converter.decode("{not json")
    with pytest.raises(TypeError):
        converter.decode(b"[]")  # type: ignore[arg-type]


def test_json_never_unpickles() -> None:
    import pickle

    pickled = pickle.dumps({"a": 1}, protocol=0).decode("latin-1")
    with pytest.raises(ValueError):
        JSONConverter().decode(pickled)


def test_raw_strings_pass_untouched() -> None:
    converter = RawConverter()
    for text in ("plain", "", UNICODE, '{"looks": "like json"}', "  spaced \n", "x" * 40000):
        assert converter.encode(text) is text
        assert converter.decode(text) is text


@pytest.mark.parametrize("value", [1, 2.5, True, b"bytes", {"a": 1}, ["a"], Point(1, 2)])
def test_raw_refuses_everything_but_str(value: Any) -> None:
    with pytest.raises(TypeError) as caught:
        RawConverter().encode(value)
    assert type(value).__name__ in str(caught.value)
    assert "RawConverter" in str(caught.value)


def test_the_protocol_and_the_default() -> None:
    assert isinstance(DEFAULT_CONVERTER, JSONConverter)
    assert isinstance(JSONConverter(), PayloadConverter)
    assert isinstance(RawConverter(), PayloadConverter)

    class Upper:
        def encode(self, value: Any) -> str | None:
            return None if value is None else str(value).upper()

        def decode(self, text: str | None) -> Any:
            return text

    converter: PayloadConverter = Upper()
    assert isinstance(converter, PayloadConverter)
    assert converter.encode("abc") == "ABC"
    assert not isinstance(object(), PayloadConverter)
    assert aioswf.payloads.__all__ == [
        "DEFAULT_CONVERTER",
        "JSONConverter",
        "PayloadConverter",
        "RawConverter",
    ]


def test_json_decode_refuses_what_encode_refuses() -> None:
    for text in ("NaN", "[Infinity]", '{"a": -Infinity}'):
        with pytest.raises(ValidationError, match="not JSON"):
            JSONConverter().decode(text)
