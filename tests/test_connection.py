from __future__ import annotations

import aioswf
from aioswf.testing import MotoServer


async def test_call_round_trip(connection: aioswf.Connection, domain_name: str) -> None:
    await connection.call(
        "RegisterDomain", {"name": domain_name, "workflowExecutionRetentionPeriodInDays": "1"}
    )
    answer = await connection.call("DescribeDomain", {"name": domain_name})
    assert answer["domainInfo"]["name"] == domain_name
    assert answer["domainInfo"]["status"] == "REGISTERED"
    assert "ResponseMetadata" not in answer
    stats = connection.statistics()
    assert stats.calls == {"RegisterDomain": 1, "DescribeDomain": 1}
    assert stats.in_flight == 0
