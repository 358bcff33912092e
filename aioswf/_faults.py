"""The one place where botocore's errors become aioswf's exceptions.

Faults are matched by their code, never by their message. Operations that act on a task token
turn ``UnknownResourceFault`` into :class:`~aioswf.exceptions.TaskGoneError`: for them the token,
not a domain or a type, is what SWF no longer knows.
"""

from __future__ import annotations

from collections.abc import Mapping

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    InvalidRegionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from . import exceptions as exc

FAULTS: Mapping[str, type[exc.SWFError]] = {
    "UnknownResourceFault": exc.DoesNotExistError,
    "DomainAlreadyExistsFault": exc.AlreadyExistsError,
    "TypeAlreadyExistsFault": exc.AlreadyExistsError,
    "WorkflowExecutionAlreadyStartedFault": exc.WorkflowExecutionAlreadyStartedError,
    "DomainDeprecatedFault": exc.DeprecatedError,
    "TypeDeprecatedFault": exc.DeprecatedError,
    "LimitExceededFault": exc.LimitExceededError,
    "TooManyTagsFault": exc.LimitExceededError,
    "OperationNotPermittedFault": exc.OperationNotPermittedError,
    "AccessDeniedException": exc.OperationNotPermittedError,
    "TypeNotDeprecatedFault": exc.OperationNotPermittedError,
    "ThrottlingException": exc.ThrottledError,
    "Throttling": exc.ThrottledError,
    "RequestLimitExceeded": exc.ThrottledError,
    "TooManyRequestsException": exc.ThrottledError,
    "UnrecognizedClientException": exc.InvalidCredentialsError,
    "InvalidClientTokenId": exc.InvalidCredentialsError,
    "InvalidSignatureException": exc.InvalidCredentialsError,
    "IncompleteSignature": exc.InvalidCredentialsError,
    "MissingAuthenticationToken": exc.InvalidCredentialsError,
    "ExpiredTokenException": exc.InvalidCredentialsError,
    "ValidationException": exc.InvalidRequestError,
    "DefaultUndefinedFault": exc.InvalidRequestError,
    "SerializationException": exc.InvalidRequestError,
    "ServiceUnavailable": exc.ServiceUnavailableError,
    "ServiceUnavailableException": exc.ServiceUnavailableError,
    "InternalFailure": exc.ServiceUnavailableError,
}

#: Operations whose ``UnknownResourceFault`` means "this task token is gone".
TOKEN_OPERATIONS = frozenset(
    {
        "RespondDecisionTaskCompleted",
        "RespondActivityTaskCompleted",
        "RespondActivityTaskFailed",
        "RespondActivityTaskCanceled",
        "RecordActivityTaskHeartbeat",
    }
)


def from_client_error(operation: str, err: ClientError) -> exc.SWFError:
    """Map a ``ClientError`` (an answer with a fault) to the matching :class:`SWFError`."""
    error = err.response.get("Error", {})
    metadata = err.response.get("ResponseMetadata", {})
    code = str(error.get("Code") or "")
    status = metadata.get("HTTPStatusCode")
    message = str(error.get("Message") or "")
    cls = FAULTS.get(code)
    if cls is exc.DoesNotExistError and operation in TOKEN_OPERATIONS:
        cls = exc.TaskGoneError
    if cls is None:
        cls = exc.ServiceUnavailableError if isinstance(status, int) and status >= 500 else exc.SWFError
    if message.lstrip().startswith("<"):
        # An HTML error page (a proxy, or moto's answer for what it has not implemented): keep it short.
        message = f"HTTP {status} with an HTML body"
    return cls(
        message or code or "no message",
        operation=operation,
        code=code or None,
        status=status if isinstance(status, int) else None,
        request_id=metadata.get("RequestId"),
    )


def from_botocore_error(operation: str, err: BotoCoreError) -> exc.AioswfError:
    """Map a botocore error raised before or instead of an answer."""
    if isinstance(err, ParamValidationError):
        return exc.ValidationError(f"{operation}: {err.kwargs.get('report', err)}")
    if isinstance(err, NoCredentialsError | PartialCredentialsError):
        return exc.ConfigurationError(
            "no usable AWS credentials: give them to aioswf.settings.set(), the environment, "
            "~/.swf or botocore's usual places"
        )
    if isinstance(err, InvalidRegionError):
        return exc.ConfigurationError(f"the region is not valid: {err}")
    if isinstance(err, ProfileNotFound):
        return exc.ConfigurationError(f"no such AWS profile: {err.kwargs.get('profile')!r}")
    if isinstance(err, NoRegionError):
        return exc.ConfigurationError(
            "no AWS region: give it to aioswf.settings.set(region=...), AWS_REGION or ~/.swf"
        )
    if isinstance(err, ReadTimeoutError | BotoConnectionError | HTTPClientError):
        return exc.TransportError(f"{operation}: {err}")
    return exc.AioswfError(f"{operation}: {err}")
