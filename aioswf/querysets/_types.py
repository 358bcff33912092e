"""WorkflowTypeQuerySet and ActivityTypeQuerySet: find, list and register a domain's types."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, ClassVar, Self, TypeVar

from .._connection import Connection
from .._paging import MAX_PAGE_SIZE
from ..constants import REGISTERED
from ..models import ActivityType, Domain, WorkflowType
from ..models._types import RegisteredType, as_domain
from ._base import QuerySet, check_keywords, check_status, check_string, get_or_create, statuses

__all__ = ["ActivityTypeQuerySet", "WorkflowTypeQuerySet"]

T = TypeVar("T", bound=RegisteredType)


class _TypeQuerySet(QuerySet[T]):
    """The types of one kind in a domain.

    ``filter`` takes ``status`` (REGISTERED, the default; DEPRECATED; ``None`` for both),
    ``name`` and ``version``. SWF filters by status and name (one status per call); the name is
    checked again here and the version matched here, since ListWorkflowTypes and
    ListActivityTypes have no version filter. Every page is followed. Listed types know their
    status, description and dates but not their configuration: :meth:`get` describes one.
    """

    _keywords = ("status", "name", "version")
    _defaults: ClassVar[Mapping[str, Any]] = {"status": REGISTERED}
    #: The List operation of the kind.
    _operation: ClassVar[str]
    #: What ``create`` and ``get_or_create`` take besides the name and version.
    _attributes: ClassVar[tuple[str, ...]]

    def __init__(
        self,
        domain: Domain | str,
        *,
        connection: Connection | None = None,
        maximum_page_size: int = MAX_PAGE_SIZE,
    ) -> None:
        self.domain = as_domain(domain)
        super().__init__(connection=connection or self.domain.connection, maximum_page_size=maximum_page_size)

    def _subject(self) -> str:
        return repr(self.domain)

    def _check(self, key: str, value: Any) -> Any:
        return check_status(value) if key == "status" else check_string(value, key)

    def _make(self, name: str, version: str, attributes: Mapping[str, Any]) -> T:  # pragma: no cover
        raise NotImplementedError

    def _from_info(self, info: Mapping[str, Any]) -> T:  # pragma: no cover
        raise NotImplementedError

    async def get(self, name: str, version: str) -> T:
        """The type, as SWF describes it. :class:`DoesNotExistError` if absent."""
        return await self._make(name, version, {}).upstream()

    async def create(self, name: str, version: str, **attributes: Any) -> T:
        """Register a type with ``attributes`` (the model's keyword arguments, such as
        ``task_list=``). :class:`AlreadyExistsError` if this name and version exist."""
        check_keywords(attributes, self._attributes, f"{type(self).__name__}.create()")
        return await self._make(name, version, attributes).save()

    async def get_or_create(self, name: str, version: str, **attributes: Any) -> tuple[T, bool]:
        """The type and whether this call registered it. Safe when several tasks race.

        An existing type is returned as it is registered, whatever ``attributes`` say: compare
        with ``changes()`` on a model built from them to find out whether it differs.
        """
        check_keywords(attributes, self._attributes, f"{type(self).__name__}.get_or_create()")
        return await get_or_create(
            lambda: self.get(name, version), lambda: self.create(name, version, **attributes)
        )

    def all(self, status: str | None = REGISTERED) -> Self:
        """The types of ``status`` (REGISTERED by default, ``None`` for both), every page."""
        return self.filter(status=status)

    async def _pages(self) -> AsyncIterator[list[T]]:
        name, version = self._filters.get("name"), self._filters.get("version")
        for status in statuses(self._filters["status"]):
            params: dict[str, Any] = {"domain": self.domain.name, "registrationStatus": status}
            if name is not None:
                params["name"] = name
            async for page in self._listing(self._operation, params, "typeInfos"):
                found = [self._from_info(info) for info in page]
                yield [
                    kind
                    for kind in found
                    if (name is None or kind.name == name) and (version is None or kind.version == version)
                ]


class WorkflowTypeQuerySet(_TypeQuerySet[WorkflowType]):
    """The workflow types of a domain: ``WorkflowTypeQuerySet(domain).filter(status=DEPRECATED)``.

    The connection is the domain's unless ``connection`` is given.
    """

    _operation = "ListWorkflowTypes"
    _attributes = ("description", *WorkflowType._configured)

    def _make(self, name: str, version: str, attributes: Mapping[str, Any]) -> WorkflowType:
        return WorkflowType(self.domain, name, version, connection=self.connection, **attributes)

    def _from_info(self, info: Mapping[str, Any]) -> WorkflowType:
        return WorkflowType.from_swf(self.domain, info, connection=self.connection)


class ActivityTypeQuerySet(_TypeQuerySet[ActivityType]):
    """The activity types of a domain: ``ActivityTypeQuerySet(domain).filter(name="fetch")``.

    The connection is the domain's unless ``connection`` is given.
    """

    _operation = "ListActivityTypes"
    _attributes = ("description", *ActivityType._configured)

    def _make(self, name: str, version: str, attributes: Mapping[str, Any]) -> ActivityType:
        return ActivityType(self.domain, name, version, connection=self.connection, **attributes)

    def _from_info(self, info: Mapping[str, Any]) -> ActivityType:
        return ActivityType.from_swf(self.domain, info, connection=self.connection)
