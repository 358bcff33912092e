"""What every model shares: the connection it talks through and conversion helpers."""

from __future__ import annotations

from typing import Any, Self

from .._connection import Connection
from .._default import resolve
from ..exceptions import DoesNotExistError, ValidationError


def check_name(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{field} must be a non-empty string, got {value!r}", field=field)
    return value


def connection_of(model: Any) -> Connection:
    """The connection a model was given, else the running loop's default connection."""
    return resolve(model.connection)


def inherit_connection(model: Any) -> None:
    """A model made without a connection talks through its domain's (frozen: set it once here)."""
    if model.connection is None and model.domain.connection is not None:
        object.__setattr__(model, "connection", model.domain.connection)


class Model:
    """What every model can do once it knows how to fetch itself (:meth:`upstream`)."""

    async def upstream(self) -> Self:  # pragma: no cover - every model defines it
        raise NotImplementedError

    async def exists(self) -> bool:
        """Whether SWF knows this object now."""
        try:
            await self.upstream()
        except DoesNotExistError:
            return False
        return True
