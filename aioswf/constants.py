"""SWF's enumerated values, as constants (plain strings, the values SWF sends and accepts)."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ABANDON",
    "CANCELED",
    "CHILD_POLICIES",
    "CLOSED",
    "CLOSE_STATUSES",
    "COMPLETED",
    "CONTINUED_AS_NEW",
    "DEPRECATED",
    "EXECUTION_STATUSES",
    "FAILED",
    "OPEN",
    "REGISTERED",
    "REGISTRATION_STATUSES",
    "REQUEST_CANCEL",
    "TERMINATE",
    "TERMINATED",
    "TIMED_OUT",
]

# Registration status of domains and types.
REGISTERED: Final = "REGISTERED"
DEPRECATED: Final = "DEPRECATED"
REGISTRATION_STATUSES: Final = (REGISTERED, DEPRECATED)

# Execution status.
OPEN: Final = "OPEN"
CLOSED: Final = "CLOSED"
EXECUTION_STATUSES: Final = (OPEN, CLOSED)

# Close status of a closed execution.
COMPLETED: Final = "COMPLETED"
FAILED: Final = "FAILED"
CANCELED: Final = "CANCELED"
TERMINATED: Final = "TERMINATED"
CONTINUED_AS_NEW: Final = "CONTINUED_AS_NEW"
TIMED_OUT: Final = "TIMED_OUT"
CLOSE_STATUSES: Final = (COMPLETED, FAILED, CANCELED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT)

# What happens to child executions when their parent closes.
TERMINATE: Final = "TERMINATE"
REQUEST_CANCEL: Final = "REQUEST_CANCEL"
ABANDON: Final = "ABANDON"
CHILD_POLICIES: Final = (TERMINATE, REQUEST_CANCEL, ABANDON)
