"""Maximum lengths from botocore's SWF service model, checked before a request is sent.

botocore validates types and minimum lengths on the client but leaves maximum lengths to the
server, which answers an oversized ``input`` with a terse ``ValidationException`` (and the old
python-swf mapper silently cut such fields). The model knows every limit: ``Data`` 32,768,
``LimitedData`` (heartbeat details) 2,048, ``FailureReason`` 256, names and ids 256, tag lists 5.
The checks are built from the model once per operation, so a limit can never drift from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from botocore.model import ListShape, OperationModel, Shape, StructureShape

from .exceptions import ValidationError

_Check = Callable[[Any, str], None]
_cache: dict[str, _Check | None] = {}


def _noop(value: Any, path: str) -> None:
    return None


def _compile(shape: Shape, depth: int = 0) -> _Check | None:
    """Return a function that checks a value of ``shape``, or ``None`` if nothing can be too long."""
    if depth > 20:  # SWF's shapes are not recursive; this only guards against a future model
        return None
    limit = shape.metadata.get("max")
    if shape.type_name == "string" and limit is not None:

        def check_string(value: Any, path: str, limit: int = int(limit)) -> None:
            if isinstance(value, str) and len(value) > limit:
                raise ValidationError.too_long(path, len(value), limit)

        return check_string
    if isinstance(shape, ListShape):
        member = _compile(shape.member, depth + 1)
        if member is None and limit is None:
            return None
        member_check = member or _noop

        def check_list(value: Any, path: str) -> None:
            if not isinstance(value, list | tuple):
                return
            if limit is not None and len(value) > int(limit):
                raise ValidationError.too_long(path, len(value), int(limit), unit="items")
            for index, item in enumerate(value):
                member_check(item, f"{path}[{index}]")

        return check_list
    if isinstance(shape, StructureShape):
        members = {
            name: check
            for name, member_shape in shape.members.items()
            if (check := _compile(member_shape, depth + 1)) is not None
        }
        if not members:
            return None

        def check_structure(value: Any, path: str) -> None:
            if not isinstance(value, Mapping):
                return
            prefix = f"{path}." if path else ""
            for name, check in members.items():
                item = value.get(name)
                if item is not None:
                    check(item, prefix + name)

        return check_structure
    return None


def check_lengths(operation: OperationModel, params: Mapping[str, Any]) -> None:
    """Raise :class:`ValidationError` naming the first field of ``params`` that is too long."""
    try:
        check = _cache[operation.name]
    except KeyError:
        shape = operation.input_shape
        check = _compile(shape) if shape is not None else None
        _cache[operation.name] = check
    if check is not None:
        check(params, "")
