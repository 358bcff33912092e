"""Local objects for SWF's domains, types and executions, each able to save and refresh itself.

Every model is a frozen snapshot: :meth:`~Domain.upstream` returns a new one built from what SWF
has now, and :meth:`~Domain.changes` (a :class:`ModelDiff` of :class:`Difference` items) says how
the two differ on the attributes both know.
"""

from ._base import Difference, Model, ModelDiff
from ._domain import Domain
from ._execution import OpenCounts, WorkflowExecution
from ._types import ActivityType
from ._workflow_type import WorkflowType

__all__ = [
    "ActivityType",
    "Difference",
    "Domain",
    "Model",
    "ModelDiff",
    "OpenCounts",
    "WorkflowExecution",
    "WorkflowType",
]
