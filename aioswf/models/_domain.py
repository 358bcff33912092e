"""Domain: the namespace that holds workflow types, activity types and executions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .._connection import Connection
from .._durations import days_from_swf, days_to_swf
from ..constants import REGISTERED, REGISTRATION_STATUSES
from ..exceptions import ValidationError
from ._base import Model, check_name, connection_of

__all__ = ["Domain"]

#: SWF keeps a closed execution's history for 90 days at most.
MAX_RETENTION_DAYS = 90


@dataclass(frozen=True, repr=False)
class Domain(Model):
    """An SWF domain. ``retention_period`` is in days (SWF keeps closed executions that long)."""

    name: str
    status: str = REGISTERED
    description: str | None = None
    retention_period: int | None = 30
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        check_name(self.name, "name")
        if self.status not in REGISTRATION_STATUSES:
            raise ValidationError(
                f"status must be one of {', '.join(REGISTRATION_STATUSES)}, got {self.status!r}",
                field="status",
            )
        if self.retention_period is not None:
            days_to_swf(self.retention_period, "retention_period")
            if self.retention_period > MAX_RETENTION_DAYS:
                raise ValidationError(
                    f"retention_period is at most {MAX_RETENTION_DAYS} days, got {self.retention_period}",
                    field="retention_period",
                )

    def __repr__(self) -> str:
        return f"Domain({self.name!r})"

    @classmethod
    def from_swf(
        cls,
        info: dict[str, Any],
        configuration: dict[str, Any] | None = None,
        *,
        connection: Connection | None = None,
    ) -> Domain:
        retention = days_from_swf((configuration or {}).get("workflowExecutionRetentionPeriodInDays"))
        return cls(
            info["name"],
            status=info.get("status", REGISTERED),
            description=info.get("description"),
            # ListDomains does not say; DescribeDomain does.
            retention_period=retention if configuration is not None else None,
            connection=connection,
        )

    async def save(self) -> Domain:
        """Register the domain. :class:`AlreadyExistsError` if it is registered already."""
        retention = 0 if self.retention_period is None else self.retention_period
        params: dict[str, Any] = {
            "name": self.name,
            "workflowExecutionRetentionPeriodInDays": days_to_swf(retention, "retention_period"),
        }
        if self.description is not None:
            params["description"] = self.description
        await connection_of(self).call("RegisterDomain", params)
        return self

    async def upstream(self) -> Domain:
        """A new instance built from what SWF has now. :class:`DoesNotExistError` if absent."""
        answer = await connection_of(self).call("DescribeDomain", {"name": self.name})
        return Domain.from_swf(answer["domainInfo"], answer.get("configuration"), connection=self.connection)

    async def delete(self) -> None:
        """Deprecate the domain: SWF cannot delete one."""
        await connection_of(self).call("DeprecateDomain", {"name": self.name})

    def using(self, connection: Connection | None) -> Domain:
        """The same domain, talking through ``connection``."""
        return dataclasses.replace(self, connection=connection)
