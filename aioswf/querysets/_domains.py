"""DomainQuerySet: find, list and register domains."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, ClassVar

from .._connection import Connection
from .._paging import MAX_PAGE_SIZE
from ..constants import REGISTERED
from ..models import Domain
from ._base import QuerySet, check_status, check_string, get_or_create, statuses

__all__ = ["DomainQuerySet"]


class DomainQuerySet(QuerySet[Domain]):
    """The domains of the account and region, Django-manager style.

    ``DomainQuerySet()`` talks through the default connection (from :mod:`aioswf.settings`);
    ``DomainQuerySet(connection=conn)`` through ``conn``.

    ``filter`` takes ``status`` (REGISTERED, the default; DEPRECATED; ``None`` for both) and
    ``name``. SWF filters by status; the name is matched here, since ListDomains has no name
    filter. Listed domains know no retention period (ListDomains does not say): :meth:`get`
    describes one.
    """

    _keywords = ("status", "name")
    _defaults: ClassVar[Mapping[str, Any]] = {"status": REGISTERED}

    def __init__(
        self, *, connection: Connection | None = None, maximum_page_size: int = MAX_PAGE_SIZE
    ) -> None:
        super().__init__(connection=connection, maximum_page_size=maximum_page_size)

    def _check(self, key: str, value: Any) -> Any:
        return check_status(value) if key == "status" else check_string(value, key)

    async def get(self, name: str) -> Domain:
        """The domain named ``name``, as SWF describes it. :class:`DoesNotExistError` if absent."""
        return await Domain(name, connection=self.connection).upstream()

    async def create(
        self,
        name: str,
        *,
        description: str | None = None,
        retention_period: int = 30,
        tags: Mapping[str, str] | None = None,
    ) -> Domain:
        """Register a domain. :class:`AlreadyExistsError` if it exists."""
        domain = Domain(
            name,
            description=description,
            retention_period=retention_period,
            tags=tags,
            connection=self.connection,
        )
        return await domain.save()

    async def get_or_create(
        self,
        name: str,
        *,
        description: str | None = None,
        retention_period: int = 30,
        tags: Mapping[str, str] | None = None,
    ) -> tuple[Domain, bool]:
        """The domain and whether this call registered it. Safe when several tasks race."""
        return await get_or_create(
            lambda: self.get(name),
            lambda: self.create(name, description=description, retention_period=retention_period, tags=tags),
        )

    def all(self, status: str | None = REGISTERED) -> DomainQuerySet:
        """The domains of ``status`` (REGISTERED by default, ``None`` for both), every page."""
        return self.filter(status=status)

    def iterate(self, status: str | None = REGISTERED) -> AsyncGenerator[Domain, None]:
        """Stream the domains of ``status`` page by page (the same as ``async for`` over
        :meth:`all`)."""
        return aiter(self.all(status))

    async def _pages(self) -> AsyncIterator[list[Domain]]:
        name = self._filters.get("name")
        for status in statuses(self._filters["status"]):
            async for page in self._listing("ListDomains", {"registrationStatus": status}, "domainInfos"):
                found = [Domain.from_swf(info, connection=self.connection) for info in page]
                yield [domain for domain in found if name is None or domain.name == name]
