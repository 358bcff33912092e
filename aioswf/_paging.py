"""Following SWF's ``nextPageToken`` so that no caller ever sees only the first page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from ._connection import Connection
from .exceptions import ValidationError

#: The largest page SWF serves.
MAX_PAGE_SIZE = 1000


def check_page_size(value: Any) -> int:
    """A ``maximum_page_size``: a whole number of items from 1 to SWF's 1,000."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"maximum_page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, got {value!r}",
            field="maximum_page_size",
        )
    return value


async def pages(
    connection: Connection, operation: str, params: Mapping[str, Any], items: str
) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield the ``items`` list of every page of ``operation``, following ``nextPageToken``.

    The next page is asked for only when the caller wants it, so a caller that stops early
    sends no more requests.
    """
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
