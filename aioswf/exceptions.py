"""The exceptions aioswf raises.

Everything derives from :class:`AioswfError`. The tree separates three kinds of trouble:

* the caller's input or configuration is wrong, found before anything is sent
  (:class:`ValidationError`, :class:`ConfigurationError`), or the caller used something
  it had already closed (:class:`ConnectionClosedError`);
* SWF answered with a fault (:class:`SWFError` and its subclasses, named by meaning);
* the request never got an answer (:class:`TransportError`).

SWF's fault codes are turned into these classes in one place, ``aioswf._faults``.
"""

from __future__ import annotations

__all__ = [
    "AioswfError",
    "AlreadyExistsError",
    "ConfigurationError",
    "ConnectionClosedError",
    "DeprecatedError",
    "DoesNotExistError",
    "InvalidCredentialsError",
    "InvalidRequestError",
    "LimitExceededError",
    "OperationNotPermittedError",
    "SWFError",
    "ServiceUnavailableError",
    "TaskGoneError",
    "ThrottledError",
    "TransportError",
    "ValidationError",
    "WorkflowExecutionAlreadyStartedError",
]


class AioswfError(Exception):
    """Base class of every exception aioswf raises on purpose."""


class ValidationError(AioswfError, ValueError):
    """A value breaks one of SWF's rules; found locally, before any request was sent.

    ``field`` names the parameter (a dotted path such as ``decisions[0].input``),
    ``size`` is the offending length and ``limit`` the maximum, when the rule is a length.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        size: int | None = None,
        limit: int | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.size = size
        self.limit = limit

    @classmethod
    def too_long(cls, field: str, size: int, limit: int, unit: str = "characters") -> ValidationError:
        return cls(
            f"{field} is {size} {unit} long; SWF allows at most {limit}",
            field=field,
            size=size,
            limit=limit,
        )


class ConfigurationError(AioswfError, ValueError):
    """The settings cannot work: an unknown setting, no region, no credentials, a bad ``~/.swf``."""


class ConnectionClosedError(AioswfError, RuntimeError):
    """A :class:`~aioswf.Connection` was used before it was opened or after it was closed."""


class SWFError(AioswfError):
    """SWF (or the endpoint standing in for it) refused a request.

    ``operation`` is the SWF operation (``"RegisterDomain"``), ``code`` SWF's fault code
    (``"DomainAlreadyExistsFault"``), ``status`` the HTTP status and ``request_id`` the id
    AWS support asks for.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        code: str | None = None,
        status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.code = code
        self.status = status
        self.request_id = request_id

    def __str__(self) -> str:
        where = f"{self.operation}: " if self.operation else ""
        code = f"{self.code}: " if self.code else ""
        return f"{where}{code}{self.message}"


class DoesNotExistError(SWFError, LookupError):
    """The domain, type or execution named does not exist (``UnknownResourceFault``)."""


class TaskGoneError(DoesNotExistError):
    """SWF no longer knows this task token: the task timed out, was answered already,
    or its workflow execution closed. Nothing more can be sent for it."""


class AlreadyExistsError(SWFError):
    """The domain or type is registered already (``*AlreadyExistsFault``)."""


class WorkflowExecutionAlreadyStartedError(AlreadyExistsError):
    """An open execution with this workflow id exists in the domain already."""


class DeprecatedError(SWFError):
    """The domain or type is deprecated (``DomainDeprecatedFault``, ``TypeDeprecatedFault``)."""


class LimitExceededError(SWFError):
    """An SWF quota is exhausted (``LimitExceededFault``, ``TooManyTagsFault``), such as
    1,000 pollers on one task list."""


class OperationNotPermittedError(SWFError, PermissionError):
    """The caller may not do this (``OperationNotPermittedFault``, ``AccessDeniedException``),
    or the resource is not in a state that allows it (``TypeNotDeprecatedFault``)."""


class ThrottledError(SWFError):
    """SWF throttled the request (``ThrottlingException``); retry later, with backoff."""


class InvalidCredentialsError(SWFError):
    """SWF rejected the credentials: unknown key, bad signature, expired token."""


class InvalidRequestError(SWFError, ValueError):
    """SWF rejected the request's content (``ValidationException``, ``DefaultUndefinedFault``)."""


class ServiceUnavailableError(SWFError):
    """The endpoint answered with an HTTP 5xx error instead of an SWF fault."""


class TransportError(AioswfError, OSError):
    """No answer came back: the endpoint could not be reached or the read timed out."""
