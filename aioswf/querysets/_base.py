"""What every queryset shares: immutable, lazy filters whose results are both awaitable and
streamed page by page.

``qs.filter(...)`` sends nothing: it returns a new queryset. Its results are fetched when it is
awaited (``await qs.filter(status=DEPRECATED)`` gives a list, every page of it) or iterated
(``async for x in qs`` asks SWF for the next page only when the current one is used up, so a
loop that stops early sends no more requests). ``qs.pages()`` streams the pages themselves.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterable, Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar

from .._connection import Connection
from .._default import resolve
from .._paging import MAX_PAGE_SIZE, check_page_size, pages
from ..constants import REGISTRATION_STATUSES
from ..exceptions import AlreadyExistsError, DoesNotExistError, ValidationError

__all__ = ["QuerySet"]

T = TypeVar("T")


def check_keywords(given: Iterable[str], allowed: Iterable[str], where: str) -> None:
    """A clear :class:`ValidationError` for a keyword ``where`` does not take (python-swf passed
    unknown ones on to SWF, which refused them far from the mistake)."""
    known = tuple(allowed)
    for name in given:
        if name not in known:
            raise ValidationError(
                f"{where} got an unknown keyword argument {name!r}; it takes {', '.join(known)}",
                field=name,
            )


def check_string(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{field} must be a non-empty string, got {value!r}", field=field)
    return value


def check_status(value: Any) -> str | None:
    """A registration status filter: REGISTERED, DEPRECATED, or ``None`` for both."""
    if value is None:
        return None
    if value not in REGISTRATION_STATUSES:
        raise ValidationError(
            f"status must be one of {', '.join(REGISTRATION_STATUSES)} or None, got {value!r}",
            field="status",
        )
    return str(value)


def statuses(value: str | None) -> tuple[str, ...]:
    """The registration statuses to list: SWF lists one per call."""
    return REGISTRATION_STATUSES if value is None else (value,)


async def get_or_create(
    get: Callable[[], Awaitable[T]], create: Callable[[], Awaitable[object]]
) -> tuple[T, bool]:
    """The object and whether this call created it, safe when several tasks race: whoever loses
    the race to create gets :class:`AlreadyExistsError` from SWF, and fetches the winner's."""
    try:
        return await get(), False
    except DoesNotExistError:
        pass
    try:
        await create()
    except AlreadyExistsError:
        return await get(), False
    return await get(), True


class QuerySet(Generic[T]):
    """The base of every queryset: keyword filters, awaitable and async-iterable results.

    Subclasses name the keywords ``filter`` takes (``_keywords``), their starting values
    (``_defaults``), check each value (``_check``), and stream matching objects page by page
    (``_pages``).
    """

    _keywords: ClassVar[tuple[str, ...]]
    _defaults: ClassVar[Mapping[str, Any]] = {}

    def __init__(
        self, *, connection: Connection | None = None, maximum_page_size: int = MAX_PAGE_SIZE
    ) -> None:
        self.connection = connection
        self.maximum_page_size = check_page_size(maximum_page_size)
        self._filters: dict[str, Any] = dict(self._defaults)

    def _subject(self) -> str:
        """What the queryset lists from, for its repr (``Domain('d')``)."""
        return ""

    def __repr__(self) -> str:
        parts = [self._subject()] if self._subject() else []
        parts += [f"{key}={value!r}" for key, value in self._filters.items()]
        return f"{type(self).__name__}({', '.join(parts)})"

    def _connection(self) -> Connection:
        return resolve(self.connection)

    @property
    def filters(self) -> Mapping[str, Any]:
        """The filters this queryset applies, as given (dates not yet resolved)."""
        return dict(self._filters)

    def _check(self, key: str, value: Any) -> Any:  # pragma: no cover - every queryset defines it
        raise NotImplementedError

    def filter(self, **filters: Any) -> Self:
        """A new queryset with ``filters`` added to (or replacing) this one's.

        An unknown keyword raises :class:`ValidationError` naming it, before anything is sent.
        """
        check_keywords(filters, self._keywords, f"{type(self).__name__}.filter()")
        checked = {key: self._check(key, value) for key, value in filters.items()}
        clone = copy.copy(self)
        clone._filters = {**self._filters, **checked}
        return clone

    def all(self) -> Self:
        """A copy of this queryset: everything it matches."""
        return self.filter()

    def _pages(self) -> AsyncIterator[list[T]]:  # pragma: no cover - every queryset defines it
        raise NotImplementedError

    async def pages(self) -> AsyncGenerator[list[T], None]:
        """The matching objects, one list per SWF page (pages that no object of matched are
        left out)."""
        async for page in self._pages():
            if page:
                yield page

    async def _items(self) -> AsyncGenerator[T, None]:
        async for page in self._pages():
            for item in page:
                yield item

    def __aiter__(self) -> AsyncGenerator[T, None]:
        """The matching objects, streamed (``aclose()`` it, or use ``contextlib.aclosing``, to
        stop early and release it at once)."""
        return self._items()

    def __await__(self) -> Generator[Any, None, list[T]]:
        return self._list().__await__()

    async def _list(self) -> list[T]:
        return [item async for item in self._items()]

    async def _listing(
        self, operation: str, params: Mapping[str, Any], key: str
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """SWF's pages of ``operation``, every one, asked for ``maximum_page_size`` items each."""
        request = {**params, "maximumPageSize": self.maximum_page_size}
        async for page in pages(self._connection(), operation, request, key):
            yield page
