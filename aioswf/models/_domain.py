"""Domain: the namespace that holds workflow types, activity types and executions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._connection import Connection
from .._durations import days_from_swf, days_to_swf
from ..constants import REGISTERED, REGISTRATION_STATUSES
from ..exceptions import DoesNotExistError, OperationNotPermittedError, ValidationError
from ._base import Model, check_name, connection_of, forget, tolerate, tracks_given

if TYPE_CHECKING:
    from ..querysets import ActivityTypeQuerySet, WorkflowExecutionQuerySet, WorkflowTypeQuerySet

__all__ = ["Domain"]

#: SWF keeps a closed execution's history for 90 days at most.
MAX_RETENTION_DAYS = 90


@tracks_given
@dataclass(frozen=True, repr=False)
class Domain(Model):
    """An SWF domain. ``retention_period`` is in days (SWF keeps closed executions that long).

    ``tags`` are the domain's resource tags (``{"team": "data"}``), registered with it by
    :meth:`save` and read back by :meth:`upstream`; change them with :meth:`add_tags` and
    :meth:`remove_tags`. ``arn`` is SWF's name for the domain, known once SWF reported it.
    ``==`` compares the name and the registered attributes; tags and ARN are left out of it, and
    compared by :meth:`changes` instead.
    """

    name: str
    status: str = REGISTERED
    description: str | None = None
    retention_period: int | None = 30
    tags: Mapping[str, str] | None = field(default=None, compare=False, kw_only=True)
    arn: str | None = field(default=None, compare=False, kw_only=True)
    connection: Connection | None = field(default=None, compare=False, kw_only=True)

    _identity = ("name",)
    _compared = ("status", "description", "retention_period", "tags")
    _always_known = ("status",)

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
        if self.tags is not None:
            object.__setattr__(self, "tags", MappingProxyType(_check_tags(self.tags)))
        if self.arn is not None:
            check_name(self.arn, "arn")

    def __repr__(self) -> str:
        return f"Domain({self.name!r})"

    @classmethod
    def from_swf(
        cls,
        info: Mapping[str, Any],
        configuration: Mapping[str, Any] | None = None,
        *,
        tags: Mapping[str, str] | None = None,
        connection: Connection | None = None,
    ) -> Domain:
        """A domain from SWF's ``domainInfo`` (and ``configuration``, which only DescribeDomain
        returns: without it, the retention period is ``None`` and unknown)."""
        retention = days_from_swf((configuration or {}).get("workflowExecutionRetentionPeriodInDays"))
        domain = cls(
            info["name"],
            status=info.get("status", REGISTERED),
            description=info.get("description"),
            retention_period=retention,
            tags=tags,
            arn=info.get("arn"),
            connection=connection,
        )
        unknown = [] if configuration is not None else ["retention_period"]
        return forget(domain, *unknown, *([] if tags is not None else ["tags"]))

    async def save(self) -> Domain:
        """Register the domain (with its tags). :class:`AlreadyExistsError` if it is registered
        already, even if deprecated.

        Returns the domain as registered: it knows every attribute it sent, so its
        :meth:`changes` compare them all.
        """
        retention = 0 if self.retention_period is None else self.retention_period
        params: dict[str, Any] = {
            "name": self.name,
            "workflowExecutionRetentionPeriodInDays": days_to_swf(retention, "retention_period"),
        }
        if self.description is not None:
            params["description"] = self.description
        if self.tags:
            params["tags"] = _tags_to_swf(self.tags)
        await connection_of(self).call("RegisterDomain", params)
        return self._knowing("description", "retention_period", *(["tags"] if self.tags is not None else []))

    async def exists(self) -> bool:
        """Whether SWF knows this domain now (one DescribeDomain; no tags are fetched)."""
        try:
            await connection_of(self).call("DescribeDomain", {"name": self.name})
        except DoesNotExistError:
            return False
        return True

    async def upstream(self) -> Domain:
        """A new instance built from what SWF has now. :class:`DoesNotExistError` if absent.

        Its tags come from a second call, ListTagsForResource; a caller that may not make it
        (:class:`OperationNotPermittedError`) gets the domain with its tags unknown.
        """
        connection = connection_of(self)
        answer = await connection.call("DescribeDomain", {"name": self.name})
        info = answer["domainInfo"]
        tags: dict[str, str] | None = None
        if info.get("arn"):
            try:
                listed = await connection.call("ListTagsForResource", {"resourceArn": info["arn"]})
            except OperationNotPermittedError:
                pass
            else:
                tags = _tags_from_swf(listed.get("tags", ()))
        return Domain.from_swf(info, answer.get("configuration"), tags=tags, connection=self.connection)

    async def delete(self) -> None:
        """Deprecate the domain: SWF cannot delete one. Deprecating a deprecated domain is not an
        error (it is in the state asked for)."""
        call = connection_of(self).call
        await tolerate(lambda: call("DeprecateDomain", {"name": self.name}), "DomainDeprecatedFault")

    async def undeprecate(self) -> None:
        """Make a deprecated domain registered again; a registered one stays as it is."""
        call = connection_of(self).call
        await tolerate(lambda: call("UndeprecateDomain", {"name": self.name}), "DomainAlreadyExistsFault")

    async def add_tags(self, tags: Mapping[str, str]) -> None:
        """Add ``tags`` to the domain's tags in SWF, replacing the values of keys it has."""
        checked = _check_tags(tags)
        if checked:
            params = {"resourceArn": await self._arn(), "tags": _tags_to_swf(checked)}
            await connection_of(self).call("TagResource", params)

    async def remove_tags(self, keys: Iterable[str]) -> None:
        """Remove the tags named by ``keys`` from the domain in SWF; absent keys are ignored."""
        if isinstance(keys, str):
            raise ValidationError("keys must be an iterable of tag keys, not one string", field="keys")
        names = [check_name(key, "keys") for key in keys]
        if names:
            params = {"resourceArn": await self._arn(), "tagKeys": names}
            await connection_of(self).call("UntagResource", params)

    async def _arn(self) -> str:
        """The domain's ARN: known, or asked of SWF (tag operations name the domain by it)."""
        if self.arn is not None:
            return self.arn
        answer = await connection_of(self).call("DescribeDomain", {"name": self.name})
        arn = answer["domainInfo"].get("arn")
        if not arn:
            raise DoesNotExistError(f"SWF gave no ARN for domain {self.name!r}", operation="DescribeDomain")
        return str(arn)

    def workflows(self) -> WorkflowTypeQuerySet:
        """The workflow types of this domain, as a queryset."""
        from ..querysets import WorkflowTypeQuerySet

        return WorkflowTypeQuerySet(self)

    def activities(self) -> ActivityTypeQuerySet:
        """The activity types of this domain, as a queryset."""
        from ..querysets import ActivityTypeQuerySet

        return ActivityTypeQuerySet(self)

    def executions(self) -> WorkflowExecutionQuerySet:
        """The workflow executions of this domain, as a queryset."""
        from ..querysets import WorkflowExecutionQuerySet

        return WorkflowExecutionQuerySet(self)


def _check_tags(tags: Any) -> dict[str, str]:
    if not isinstance(tags, Mapping):
        raise ValidationError(f"tags must be a mapping of keys to values, got {tags!r}", field="tags")
    for key, value in tags.items():
        check_name(key, "tags")
        if not isinstance(value, str):
            raise ValidationError(f"the value of tag {key!r} must be a str, got {value!r}", field="tags")
    return dict(tags)


def _tags_to_swf(tags: Mapping[str, str]) -> list[dict[str, str]]:
    # SWF makes the value optional; moto fails (HTTP 500) without one, so "" is always sent.
    return [{"key": key, "value": value} for key, value in tags.items()]


def _tags_from_swf(tags: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    return {str(tag["key"]): str(tag.get("value") or "") for tag in tags}
