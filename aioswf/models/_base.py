"""What every model shares: its connection, what it knows, and how it compares with SWF.

A model is a frozen snapshot. It *knows* an attribute when its caller gave it to the constructor,
when SWF reported it (every model built from an answer knows what the answer said), or when the
attribute is one the model always knows (a domain or type describes a registered object unless
told otherwise, so its ``status`` is known). :meth:`Model.changes` compares only what both sides
know, so a bare reference such as ``WorkflowType(domain, "wf", "1")`` reports a real difference
(it was deprecated) and never a guess (the default timeouts its constructor filled in).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Self, TypeVar, overload

from .._connection import Connection
from .._default import resolve
from ..exceptions import DoesNotExistError, SWFError, ValidationError

__all__ = ["Difference", "Model", "ModelDiff"]

M = TypeVar("M", bound="Model")


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


def timestamp_from_swf(value: Any) -> datetime | None:
    """SWF's timestamps (botocore gives aware datetimes in local time; raw JSON has epoch
    seconds) as aware datetimes in UTC, so that two of them compare and print alike."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(float(value), UTC)


def check_timestamp(value: Any, field: str) -> datetime | None:
    """A timestamp given to a constructor: ``None`` or an aware ``datetime`` (stored in UTC)."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError(f"{field} must be a timezone-aware datetime, got {value!r}", field=field)
    return value.astimezone(UTC)


def tracks_given(cls: type[M]) -> type[M]:
    """Make the dataclass ``cls`` remember which attributes its constructor was given.

    Applied over ``@dataclass``: the generated ``__init__`` runs unchanged, then the names of the
    arguments passed (positionally or by keyword) are stored where :attr:`Model.known_attributes`
    finds them.
    """
    init = cls.__init__
    positional = tuple(f.name for f in dataclasses.fields(cls) if f.init and not f.kw_only)  # type: ignore[arg-type]

    @functools.wraps(init)
    def __init__(self: Model, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        object.__setattr__(self, "_given", frozenset(positional[: len(args)]) | kwargs.keys())

    cls.__init__ = __init__  # type: ignore[method-assign, assignment]
    return cls


@dataclass(frozen=True)
class Difference:
    """One attribute on which a local model and SWF's object disagree."""

    attr: str
    local: Any
    upstream: Any


@dataclass(frozen=True)
class ModelDiff(Sequence[Difference]):
    """The differences between a local model and SWF's object, in the model's attribute order.

    Empty (and false) when they agree on every attribute both know.
    """

    differences: tuple[Difference, ...] = ()

    @overload
    def __getitem__(self, index: int) -> Difference: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Difference]: ...
    def __getitem__(self, index: int | slice) -> Difference | Sequence[Difference]:
        return self.differences[index]

    def __len__(self) -> int:
        return len(self.differences)

    def __iter__(self) -> Iterator[Difference]:
        return iter(self.differences)

    @property
    def attrs(self) -> tuple[str, ...]:
        """The names of the attributes that differ."""
        return tuple(d.attr for d in self.differences)


def _comparable(value: Any) -> Any:
    """What equality means per attribute: a type or an execution by its name, not its snapshot."""
    if isinstance(value, Model):
        return value._identity_values()
    if isinstance(value, Mapping):
        return dict(value)
    return value


class Model:
    """What every model can do once it knows how to fetch itself (:meth:`upstream`).

    A model *knows* the attributes its constructor was given, those SWF reported when it was
    built from an answer, and its ``status`` (domains and types; ``REGISTERED`` unless told
    otherwise). :attr:`known_attributes` lists them; :meth:`changes` and :meth:`is_synced`
    compare only what both this object and SWF's know, so the defaults a constructor filled in
    are never reported as differences. ``save()`` returns an object that knows everything it
    registered.
    """

    #: Attributes that name the object. :meth:`upstream` fetches by them, so they never differ.
    _identity: ClassVar[tuple[str, ...]] = ()
    #: Attributes :meth:`changes` compares, in order.
    _compared: ClassVar[tuple[str, ...]] = ()
    #: Attributes known even when the constructor was not given them.
    _always_known: ClassVar[tuple[str, ...]] = ()
    _given: frozenset[str] = frozenset()

    @property
    def known_attributes(self) -> frozenset[str]:
        """The attributes :meth:`changes` can compare that this object knows."""
        return frozenset(self._compared) & (self._given | frozenset(self._always_known))

    def _identity_values(self) -> tuple[Any, ...]:
        """What names this object in SWF, for comparisons across snapshots."""
        return tuple(_comparable(getattr(self, name)) for name in self._identity)

    def _knowing(self, *attrs: str, **changes: Any) -> Self:
        """A copy with ``changes`` applied that also knows ``attrs`` and the changed attributes."""
        copy = dataclasses.replace(self, **changes)  # type: ignore[type-var]
        object.__setattr__(copy, "_given", self._given | frozenset(attrs) | changes.keys())
        return copy

    def using(self, connection: Connection | None) -> Self:
        """The same object (and what it knows), talking through ``connection``."""
        return self._knowing(connection=connection)

    async def upstream(self) -> Self:  # pragma: no cover - every model defines it
        raise NotImplementedError

    async def exists(self) -> bool:
        """Whether SWF knows this object now."""
        try:
            await self.upstream()
        except DoesNotExistError:
            return False
        return True

    async def changes(self) -> ModelDiff:
        """How this object differs from SWF's, on the attributes both know.

        :class:`DoesNotExistError` if SWF has no such object.
        """
        return self.diff(await self.upstream())

    async def is_synced(self) -> bool:
        """Whether SWF's object agrees with this one on every attribute both know."""
        return not await self.changes()

    def diff(self, other: Self) -> ModelDiff:
        """The differences from ``other`` (another snapshot of the same object), no I/O."""
        common = self.known_attributes & other.known_attributes
        found = []
        for name in self._compared:
            if name not in common:
                continue
            mine, theirs = getattr(self, name), getattr(other, name)
            if _comparable(mine) != _comparable(theirs):
                found.append(Difference(name, mine, theirs))
        return ModelDiff(tuple(found))


async def tolerate(call: Callable[[], Awaitable[Any]], code: str) -> None:
    """Await ``call()``, treating the SWF fault ``code`` as success.

    Deprecating a deprecated object and undeprecating a registered one leave it in the state the
    caller asked for; SWF reports them as faults, which would make these calls unsafe to repeat.
    """
    try:
        await call()
    except SWFError as err:
        if err.code != code:
            raise


def forget(model: M, *attrs: str) -> M:
    """``model``, no longer knowing ``attrs``: for a model built from a partial answer (a
    listing), whose constructor needed a placeholder for what the answer did not say."""
    object.__setattr__(model, "_given", model._given - frozenset(attrs))
    return model
