"""Following SWF's ``nextPageToken`` so that no caller ever sees only the first page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from ._connection import Connection

#: The largest page SWF serves.
MAX_PAGE_SIZE = 1000


async def pages(
    connection: Connection, operation: str, params: Mapping[str, Any], items: str
) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield the ``items`` list of every page of ``operation``, following ``nextPageToken``."""
    request = dict(params)
    seen: set[str] = set()
    while True:
        answer = await connection.call(operation, request)
        yield answer.get(items, [])
        token = answer.get("nextPageToken")
        # A missing or empty token is the last page. A token seen before would loop for ever.
        if not token or token in seen:
            return
        seen.add(token)
        request = {**request, "nextPageToken": token}
