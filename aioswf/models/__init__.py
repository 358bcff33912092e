"""Local objects for SWF's domains, types and executions, each able to save and refresh itself."""

from ._domain import Domain
from ._execution import WorkflowExecution
from ._types import ActivityType, WorkflowType

__all__ = ["ActivityType", "Domain", "WorkflowExecution", "WorkflowType"]
