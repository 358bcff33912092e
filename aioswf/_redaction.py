"""Keep credentials out of log records, including botocore's own DEBUG records.

botocore logs whole requests at DEBUG: the ``Authorization`` header (with the access key id) and
``X-Amz-Security-Token`` (the session token). Each connection registers its credentials here, and
a filter on the loggers that print requests replaces them with ``***``. Filters run only for
records that are emitted, so this costs nothing while DEBUG logging is off.
"""

from __future__ import annotations

import logging
import threading

#: The loggers whose records can carry a request's headers or its signing material.
REDACTED_LOGGERS = (
    "botocore.auth",
    "botocore.endpoint",
    "botocore.hooks",
    "botocore.httpsession",
    "botocore.parsers",
    "botocore.credentials",
    "botocore.retryhandler",
    "aiobotocore.endpoint",
    "aiobotocore.httpsession",
    "aiobotocore.credentials",
)
_MASK = "***"
# Shorter values (moto's "testing", a test's "x") are not worth a scan of every record.
_MIN_SECRET_LENGTH = 8

_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _secrets
        if not secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in secrets:
            if secret in redacted:
                redacted = redacted.replace(secret, _MASK)
        if redacted is not message and redacted != message:
            record.msg, record.args = redacted, None
        return True


_filter = _RedactingFilter()
_installed = False


def register(*values: str | None) -> None:
    """Never let these values reach a log record (access key ids, secrets, session tokens)."""
    global _secrets, _installed
    wanted = {value for value in values if value and len(value) >= _MIN_SECRET_LENGTH}
    if not wanted or wanted <= _secrets:
        return
    with _lock:
        _secrets = _secrets | wanted
        if not _installed:
            for name in REDACTED_LOGGERS:
                logging.getLogger(name).addFilter(_filter)
            _installed = True
