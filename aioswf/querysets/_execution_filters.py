"""How WorkflowExecutionQuerySet's filters become SWF requests, and which are applied here.

SWF lists open and closed executions with separate calls (List/Count ``Open`` and ``Closed``
WorkflowExecutions), and each call takes one time filter and **at most one** of
``executionFilter``, ``typeFilter``, ``tagFilter`` and (closed only) ``closeStatusFilter``. So:

* ``status=OPEN`` lists open executions, ``CLOSED`` closed ones, ``None`` both (open first);
  a close filter (``close_status``, ``close_*_date``) limits ``None`` to closed executions.
* The time filter sent is ``closeTimeFilter`` when a close date is given (closed executions
  only), else ``startTimeFilter``; SWF requires one, so with no date it is "started since the
  epoch".
* The one exclusive filter sent is the first given of: ``workflow_id`` (``executionFilter``),
  ``workflow_type_name`` with ``workflow_type_version`` (``typeFilter``; a version alone is
  matched here only), ``tag`` (``tagFilter``), ``close_status`` (``closeStatusFilter``) — the
  most selective first.
* Every filter, sent or not, is then checked on every execution listed, so the result is the
  same whatever SWF applied (and right against servers that ignore filters, as moto does). An
  execution without the timestamp a date filter needs does not match it.

A ``timedelta`` date means "this long before the query runs"; it is resolved each time the
queryset is evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from ..constants import CLOSE_STATUSES, CLOSED, EXECUTION_STATUSES, OPEN
from ..exceptions import ValidationError
from ..models import WorkflowExecution
from ._base import check_string

__all__ = ["FILTERS", "Plan", "check_combination", "check_filter", "plan"]

FILTERS = (
    "status",
    "workflow_id",
    "workflow_type_name",
    "workflow_type_version",
    "tag",
    "start_oldest_date",
    "start_latest_date",
    "close_oldest_date",
    "close_latest_date",
    "close_status",
)
DATES = ("start_oldest_date", "start_latest_date", "close_oldest_date", "close_latest_date")
CLOSE_FILTERS = ("close_status", "close_oldest_date", "close_latest_date")
#: The oldest start date SWF is asked for when the caller gave none (it requires one).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Kind = Literal["Open", "Closed"]


def check_filter(key: str, value: Any) -> Any:
    """The value of one filter keyword, checked (``None`` means "no filter")."""
    if value is None:
        return None
    if key == "status":
        if value not in EXECUTION_STATUSES:
            raise ValidationError(f"status must be OPEN, CLOSED or None, got {value!r}", field=key)
        return value
    if key == "close_status":
        if value not in CLOSE_STATUSES:
            raise ValidationError(
                f"close_status must be one of {', '.join(CLOSE_STATUSES)}, got {value!r}", field=key
            )
        return value
    if key in DATES:
        if isinstance(value, timedelta):
            if value < timedelta(0):
                raise ValidationError(f"{key} must not be a negative timedelta, got {value}", field=key)
            return value
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValidationError(
                f"{key} must be a timezone-aware datetime or a timedelta (that long ago), got {value!r}",
                field=key,
            )
        return value.astimezone(UTC)
    return check_string(value, key)


def check_combination(filters: Mapping[str, Any]) -> None:
    """Refuse filters no execution can match: open executions have no close status or time."""
    if filters.get("status") == OPEN:
        for key in CLOSE_FILTERS:
            if filters.get(key) is not None:
                raise ValidationError(
                    f"{key} applies to closed executions only; it cannot be combined with status=OPEN",
                    field=key,
                )


@dataclass(frozen=True)
class Request:
    """One listing SWF is asked for: its kind, parameters, and the filters it applies."""

    kind: Kind
    params: Mapping[str, Any]
    sent: frozenset[str]

    @property
    def list_operation(self) -> str:
        return f"List{self.kind}WorkflowExecutions"

    @property
    def count_operation(self) -> str:
        return f"Count{self.kind}WorkflowExecutions"


@dataclass(frozen=True)
class Plan:
    """The requests that cover a queryset's filters, and the check every result must pass."""

    filters: Mapping[str, Any]
    requests: tuple[Request, ...]

    def leftover(self, request: Request) -> frozenset[str]:
        """The given filters that ``request`` leaves to the client."""
        given = {key for key, value in self.filters.items() if value is not None and key != "status"}
        return frozenset(given) - request.sent

    def matches(self, execution: WorkflowExecution) -> bool:
        f = self.filters
        kind = execution.workflow_type
        checks = (
            f["status"] is None or execution.status == f["status"],
            f["workflow_id"] is None or execution.workflow_id == f["workflow_id"],
            f["workflow_type_name"] is None or (kind is not None and kind.name == f["workflow_type_name"]),
            f["workflow_type_version"] is None
            or (kind is not None and kind.version == f["workflow_type_version"]),
            f["tag"] is None or f["tag"] in execution.tag_list,
            f["close_status"] is None or execution.close_status == f["close_status"],
            _within(execution.start_timestamp, f["start_oldest_date"], f["start_latest_date"]),
            _within(execution.close_timestamp, f["close_oldest_date"], f["close_latest_date"]),
        )
        return all(checks)


def _within(value: datetime | None, oldest: datetime | None, latest: datetime | None) -> bool:
    if oldest is None and latest is None:
        return True
    if value is None:
        return False
    return (oldest is None or value >= oldest) and (latest is None or value <= latest)


def _time_filter(oldest: datetime | None, latest: datetime | None) -> dict[str, datetime]:
    window = {"oldestDate": oldest or EPOCH}
    if latest is not None:
        window["latestDate"] = latest
    return window


def _request(kind: Kind, domain: str, f: Mapping[str, Any]) -> Request:
    params: dict[str, Any] = {"domain": domain}
    sent: set[str] = set()
    if kind == "Closed" and (f["close_oldest_date"] or f["close_latest_date"]):
        params["closeTimeFilter"] = _time_filter(f["close_oldest_date"], f["close_latest_date"])
        sent |= {"close_oldest_date", "close_latest_date"}
    else:
        params["startTimeFilter"] = _time_filter(f["start_oldest_date"], f["start_latest_date"])
        sent |= {"start_oldest_date", "start_latest_date"}
    if f["workflow_id"] is not None:
        params["executionFilter"] = {"workflowId": f["workflow_id"]}
        sent.add("workflow_id")
    elif f["workflow_type_name"] is not None:
        params["typeFilter"] = {"name": f["workflow_type_name"]}
        sent.add("workflow_type_name")
        if f["workflow_type_version"] is not None:
            params["typeFilter"]["version"] = f["workflow_type_version"]
            sent.add("workflow_type_version")
    elif f["tag"] is not None:
        params["tagFilter"] = {"tag": f["tag"]}
        sent.add("tag")
    elif kind == "Closed" and f["close_status"] is not None:
        params["closeStatusFilter"] = {"status": f["close_status"]}
        sent.add("close_status")
    return Request(kind, params, frozenset(sent))


def plan(domain: str, filters: Mapping[str, Any], now: datetime | None = None) -> Plan:
    """The requests for ``filters`` (the queryset's, already checked), dates resolved at ``now``."""
    now = now or datetime.now(UTC)
    resolved = {key: filters.get(key) for key in FILTERS}
    for key in DATES:
        value = resolved[key]
        if isinstance(value, timedelta):
            resolved[key] = now - value
    status = resolved["status"]
    closing = any(resolved[key] is not None for key in CLOSE_FILTERS)
    kinds: tuple[Kind, ...]
    if status == OPEN:
        kinds = ("Open",)
    elif status == CLOSED or closing:
        kinds = ("Closed",)
    else:
        kinds = ("Open", "Closed")
    return Plan(resolved, tuple(_request(kind, domain, resolved) for kind in kinds))
