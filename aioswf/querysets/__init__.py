"""Querysets: Django-manager-style access to what SWF holds.

A queryset is lazy and immutable: ``filter()`` returns a new one, and nothing is sent until it
is awaited (a list of every match, across all of SWF's pages) or iterated with ``async for``
(streamed, one page at a time, ``maximum_page_size`` items per request, up to SWF's 1,000).
"""

from ._base import QuerySet
from ._domains import DomainQuerySet
from ._executions import ExecutionCount, WorkflowExecutionQuerySet
from ._types import ActivityTypeQuerySet, WorkflowTypeQuerySet

__all__ = [
    "ActivityTypeQuerySet",
    "DomainQuerySet",
    "ExecutionCount",
    "QuerySet",
    "WorkflowExecutionQuerySet",
    "WorkflowTypeQuerySet",
]
