"""Domain against moto: saving, what it knows and how it differs, deprecation, tags, and the
querysets it hands out.

moto lets every caller list tags; SWFProxy answers ListTagsForResource as SWF answers a role
without that permission.
"""

from __future__ import annotations

import pytest

import aioswf
from aioswf.constants import DEPRECATED, REGISTERED
from aioswf.exceptions import DoesNotExistError, ThrottledError, ValidationError
from aioswf.models import Difference, Domain, ModelDiff, WorkflowType
from aioswf.querysets import ActivityTypeQuerySet, WorkflowExecutionQuerySet, WorkflowTypeQuerySet
from aioswf.testing import MotoServer, MotoSettings, SWFProxy

from .conftest import NO_RETRIES


def through(moto: MotoServer, proxy: SWFProxy) -> MotoSettings:
    """moto's settings, with the proxy as the endpoint."""
    settings = moto.settings
    settings["endpoint_url"] = proxy.url
    return settings


async def test_domain_is_synced_after_save_and_reports_a_remote_change(
    moto: MotoServer, connection: aioswf.Connection, domain_name: str
) -> None:
    domain = Domain(domain_name, description="d", retention_period=4, connection=connection)
    saved = await domain.save()
    assert saved == domain and saved.known_attributes == {"status", "description", "retention_period"}
    assert await domain.is_synced()  # python-swf's is_synced was always False
    assert await saved.is_synced()
    assert await Domain(domain_name, connection=connection).is_synced()  # knows only its status
    async with aioswf.Connection(config=NO_RETRIES, **moto.settings) as other:
        await Domain(domain_name, connection=other).delete()
    assert not await domain.is_synced()
    assert list(await domain.changes()) == [Difference("status", REGISTERED, DEPRECATED)]
    # A fresh reference knows its status (REGISTERED) and nothing else: the same one difference.
    assert list(await Domain(domain_name, connection=connection).changes()) == [
        Difference("status", REGISTERED, DEPRECATED)
    ]
    # A retention period it was given and SWF disagrees with is a difference too.
    assert (await Domain(domain_name, retention_period=9, connection=connection).changes()).attrs == (
        "status",
        "retention_period",
    )
    remote = await domain.upstream()
    assert remote.status == DEPRECATED and await remote.is_synced()


async def test_delete_and_undeprecate_are_safe_to_repeat(
    connection: aioswf.Connection, domain_name: str
) -> None:
    domain = await Domain(domain_name, connection=connection).save()
    await domain.delete()
    await domain.delete()  # SWF: DomainDeprecatedFault; the domain is deprecated, as asked
    assert (await domain.upstream()).status == DEPRECATED
    await domain.undeprecate()
    await domain.undeprecate()  # SWF: DomainAlreadyExistsFault; it is registered, as asked
    assert (await domain.upstream()).status == REGISTERED
    with pytest.raises(DoesNotExistError):
        await Domain("no-such-domain", connection=connection).undeprecate()
    with pytest.raises(DoesNotExistError):
        await Domain("no-such-domain", connection=connection).delete()


async def test_domain_tags_round_trip_through_swf(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, tags={"team": "data", "empty": ""}, connection=connection).save()
    remote = await domain.upstream()
    assert remote.tags == {"team": "data", "empty": ""}
    assert remote.arn and remote.arn.endswith(f"/domain/{domain_name}")  # DescribeDomain's domainInfo.arn
    assert await domain.is_synced()
    await domain.add_tags({"team": "ml", "cost": "7"})  # no ARN known: described first
    await domain.remove_tags(["empty", "not-there"])
    assert (await domain.upstream()).tags == {"team": "ml", "cost": "7"}
    assert list(await domain.changes()) == [
        Difference("tags", {"team": "data", "empty": ""}, {"team": "ml", "cost": "7"})
    ]
    await remote.remove_tags([])  # nothing to do: nothing sent
    await remote.add_tags({})
    before = connection.statistics().calls
    await remote.add_tags({"x": "y"})  # the ARN is known: one call
    assert connection.statistics().calls["TagResource"] == before["TagResource"] + 1
    assert connection.statistics().calls["DescribeDomain"] == before["DescribeDomain"]
    with pytest.raises(ValidationError, match="not one string"):
        await remote.remove_tags("x")
    untagged = await Domain(f"{domain_name}-2", connection=connection).save()
    assert (await untagged.upstream()).tags == {}


async def test_upstream_without_permission_to_list_tags_leaves_them_unknown(
    moto: MotoServer, connection: aioswf.Connection, domain_name: str
) -> None:
    # moto lets anyone list tags; the proxy answers as SWF does to a role without the permission.
    await Domain(domain_name, tags={"a": "1"}, connection=connection).save()
    async with (
        SWFProxy(moto.url) as proxy,
        aioswf.Connection(config=NO_RETRIES, **through(moto, proxy)) as conn,
    ):
        proxy.fail_next("ListTagsForResource", code="AccessDeniedException", message="not allowed")
        remote = await Domain(domain_name, tags={"a": "other"}, connection=conn).upstream()
        assert remote.tags is None and "tags" not in remote.known_attributes
        assert [op for op, _ in proxy.requests] == ["DescribeDomain", "ListTagsForResource"]
        # Any other refusal is not swallowed.
        proxy.fail_next("ListTagsForResource", code="ThrottlingException")
        with pytest.raises(ThrottledError):
            await Domain(domain_name, connection=conn).upstream()
    # Unknown tags are not compared: a local domain that claims other tags shows no difference.
    assert Domain(domain_name, tags={"a": "other"}).diff(remote) == ModelDiff()


async def test_exists_is_one_call(connection: aioswf.Connection, domain_name: str) -> None:
    domain = await Domain(domain_name, tags={"a": "1"}, connection=connection).save()
    assert await domain.exists()
    assert "ListTagsForResource" not in connection.statistics().calls


async def test_domain_hands_out_its_querysets(connection: aioswf.Connection, domain_name: str) -> None:
    domain = Domain(domain_name, connection=connection)
    workflows, activities, executions = domain.workflows(), domain.activities(), domain.executions()
    assert isinstance(workflows, WorkflowTypeQuerySet) and workflows.domain is domain
    assert isinstance(activities, ActivityTypeQuerySet) and activities.connection is connection
    assert isinstance(executions, WorkflowExecutionQuerySet) and executions.connection is connection
    await domain.save()
    await WorkflowType(domain, "wf", "1").save()
    assert [w.key for w in await domain.workflows()] == [{"name": "wf", "version": "1"}]
    assert await domain.activities() == []
    assert await domain.executions() == []
