"""DomainQuerySet: find, list and register domains."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from .._connection import Connection
from .._default import resolve
from .._paging import MAX_PAGE_SIZE, pages
from ..constants import REGISTERED, REGISTRATION_STATUSES
from ..exceptions import AlreadyExistsError, DoesNotExistError, ValidationError
from ..models import Domain

__all__ = ["DomainQuerySet"]


class DomainQuerySet:
    """The domains of the account and region, Django-manager style.

    ``DomainQuerySet()`` talks through the default connection (from :mod:`aioswf.settings`);
    ``DomainQuerySet(connection=conn)`` through ``conn``.
    """

    def __init__(self, *, connection: Connection | None = None) -> None:
        self.connection = connection

    def __repr__(self) -> str:
        return "DomainQuerySet()"

    def _connection(self) -> Connection:
        return resolve(self.connection)

    async def get(self, name: str) -> Domain:
        """The domain named ``name``. :class:`DoesNotExistError` if there is none."""
        return await Domain(name, connection=self.connection).upstream()

    async def create(
        self, name: str, *, description: str | None = None, retention_period: int = 30
    ) -> Domain:
        """Register a domain. :class:`AlreadyExistsError` if it exists."""
        domain = Domain(
            name, description=description, retention_period=retention_period, connection=self.connection
        )
        return await domain.save()

    async def get_or_create(
        self, name: str, *, description: str | None = None, retention_period: int = 30
    ) -> tuple[Domain, bool]:
        """The domain and whether this call registered it. Safe when several tasks race."""
        try:
            return await self.get(name), False
        except DoesNotExistError:
            pass
        try:
            await self.create(name, description=description, retention_period=retention_period)
        except AlreadyExistsError:
            return await self.get(name), False
        return await self.get(name), True

    async def iterate(self, status: str = REGISTERED) -> AsyncIterator[Domain]:
        """Stream the domains of ``status`` page by page."""
        if status not in REGISTRATION_STATUSES:
            raise ValidationError(
                f"status must be one of {', '.join(REGISTRATION_STATUSES)}, got {status!r}", field="status"
            )
        params: dict[str, Any] = {"registrationStatus": status, "maximumPageSize": MAX_PAGE_SIZE}
        async for page in pages(self._connection(), "ListDomains", params, "domainInfos"):
            for info in page:
                yield Domain.from_swf(info, connection=self.connection)

    async def all(self, status: str = REGISTERED) -> list[Domain]:
        """Every domain of ``status`` (REGISTERED by default), across all pages."""
        return [domain async for domain in self.iterate(status)]
