"""SWF's faults and botocore's errors become aioswf's exceptions, by code, in one place.

The first half checks ``aioswf._faults`` with botocore error objects built by hand; the second half
makes the real moto server refuse real requests and checks what ``Connection.call`` raises.
"""

from __future__ import annotations

import functools
import pickle
import socket
import uuid
from typing import Any

import anyio
import botocore.exceptions
import botocore.session
import pytest
from botocore.exceptions import ClientError

import aioswf
from aioswf import _faults
from aioswf import exceptions as exc
from aioswf.testing import MotoServer

# What each code must become, written out here rather than copied from _faults.FAULTS.
EXPECTED: dict[str, type[exc.SWFError]] = {
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

TOKEN_OPERATIONS = [
    "RecordActivityTaskHeartbeat",
    "RespondActivityTaskCanceled",
    "RespondActivityTaskCompleted",
    "RespondActivityTaskFailed",
    "RespondDecisionTaskCompleted",
]

NO_RETRIES = aioswf.ConnectionConfig(max_attempts=1)


def client_error(
    code: str | None,
    message: str | None = "it went wrong",
    *,
    status: int | None = 400,
    operation: str = "DescribeDomain",
    request_id: str | None = "req-1234",
) -> ClientError:
    error: dict[str, Any] = {}
    if code is not None:
        error["Code"] = code
    if message is not None:
        error["Message"] = message
    metadata: dict[str, Any] = {}
    if status is not None:
        metadata["HTTPStatusCode"] = status
    if request_id is not None:
        metadata["RequestId"] = request_id
    return ClientError({"Error": error, "ResponseMetadata": metadata}, operation)


@functools.cache
def swf_model() -> Any:
    return botocore.session.get_session().get_service_model("swf")


# --- the mapping table ---------------------------------------------------------------------------


def test_the_table_is_the_one_reviewed_here() -> None:
    assert dict(_faults.FAULTS) == EXPECTED


def test_every_fault_in_the_swf_model_is_mapped() -> None:
    model = swf_model()
    codes = {
        shape.metadata.get("error", {}).get("code", shape.name)
        for name in model.operation_names
        for shape in model.operation_model(name).error_shapes
    }
    assert codes, "the model lists no faults: this test would prove nothing"
    assert codes <= set(EXPECTED)


def test_token_operations_are_the_models_operations_with_a_task_token() -> None:
    model = swf_model()
    with_token = sorted(
        name
        for name in model.operation_names
        if "taskToken" in model.operation_model(name).input_shape.members
    )
    assert with_token == TOKEN_OPERATIONS
    assert set(_faults.TOKEN_OPERATIONS) == set(TOKEN_OPERATIONS)


@pytest.mark.parametrize(("code", "cls"), sorted(EXPECTED.items()))
def test_each_code_maps_to_its_class(code: str, cls: type[exc.SWFError]) -> None:
    error = _faults.from_client_error("DescribeDomain", client_error(code, "what SWF said", status=400))
    assert type(error) is cls
    assert isinstance(error, exc.SWFError)
    assert error.code == code
    assert error.operation == "DescribeDomain"
    assert error.status == 400
    assert error.request_id == "req-1234"
    assert error.message == "what SWF said"
    assert str(error) == f"DescribeDomain: {code}: what SWF said"


@pytest.mark.parametrize("operation", TOKEN_OPERATIONS)
def test_unknown_resource_on_a_token_operation_is_task_gone(operation: str) -> None:
    error = _faults.from_client_error(operation, client_error("UnknownResourceFault", "Unknown activity"))
    assert type(error) is exc.TaskGoneError
    assert isinstance(error, exc.DoesNotExistError)
    assert isinstance(error, LookupError)
    assert error.operation == operation


@pytest.mark.parametrize("operation", ["DescribeDomain", "SignalWorkflowExecution", "PollForActivityTask"])
def test_unknown_resource_elsewhere_is_does_not_exist(operation: str) -> None:
    error = _faults.from_client_error(operation, client_error("UnknownResourceFault"))
    assert type(error) is exc.DoesNotExistError


@pytest.mark.parametrize("operation", TOKEN_OPERATIONS)
def test_other_faults_on_token_operations_are_not_task_gone(operation: str) -> None:
    error = _faults.from_client_error(operation, client_error("ValidationException", "Invalid token"))
    assert type(error) is exc.InvalidRequestError


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_unknown_code_with_5xx_is_service_unavailable(status: int) -> None:
    error = _faults.from_client_error("ListDomains", client_error("SomethingNew", "boom", status=status))
    assert type(error) is exc.ServiceUnavailableError
    assert error.code == "SomethingNew"
    assert error.status == status


@pytest.mark.parametrize("status", [400, 403, 404, 409, None])
def test_unknown_code_with_4xx_is_a_plain_swf_error(status: int | None) -> None:
    error = _faults.from_client_error("ListDomains", client_error("SomethingNew", "boom", status=status))
    assert type(error) is exc.SWFError
    assert error.code == "SomethingNew"
    assert error.status == status


def test_known_code_wins_over_the_status() -> None:
    error = _faults.from_client_error("ListDomains", client_error("ThrottlingException", "slow", status=500))
    assert type(error) is exc.ThrottledError


def test_html_body_is_not_the_message() -> None:
    page = "<!doctype html>\n<html><title>500 Internal Server Error</title>" + "x" * 5000 + "</html>"
    error = _faults.from_client_error("CountOpenWorkflowExecutions", client_error("500", page, status=500))
    assert type(error) is exc.ServiceUnavailableError
    assert "<" not in str(error)
    assert "500" in error.message
    assert len(str(error)) < 200


def test_missing_message_and_code() -> None:
    error = _faults.from_client_error("ListDomains", client_error("SomethingNew", None))
    assert error.message == "SomethingNew"
    error = _faults.from_client_error("ListDomains", client_error(None, None, status=None, request_id=None))
    assert type(error) is exc.SWFError
    assert (error.code, error.status, error.request_id) == (None, None, None)
    assert error.message


def test_mapped_errors_survive_pickling() -> None:
    error = _faults.from_client_error("DescribeDomain", client_error("UnknownResourceFault", "gone"))
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is exc.DoesNotExistError
    assert (copy.code, copy.operation, copy.status, copy.request_id) == (
        "UnknownResourceFault",
        "DescribeDomain",
        400,
        "req-1234",
    )
    assert str(copy) == str(error)
    too_long = pickle.loads(pickle.dumps(exc.ValidationError.too_long("input", 32769, 32768)))
    assert (too_long.field, too_long.size, too_long.limit) == ("input", 32769, 32768)


# --- botocore errors raised instead of an answer -------------------------------------------------


def test_param_validation_error_is_a_validation_error() -> None:
    err = botocore.exceptions.ParamValidationError(report='Missing required parameter in input: "name"')
    mapped = _faults.from_botocore_error("DescribeDomain", err)
    assert type(mapped) is exc.ValidationError
    assert isinstance(mapped, ValueError)
    assert "DescribeDomain" in str(mapped)
    assert 'Missing required parameter in input: "name"' in str(mapped)


@pytest.mark.parametrize(
    ("err", "mentions"),
    [
        (botocore.exceptions.NoRegionError(), "region"),
        (botocore.exceptions.NoCredentialsError(), "credentials"),
        (
            botocore.exceptions.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
            "credentials",
        ),
    ],
    ids=["no-region", "no-credentials", "partial-credentials"],
)
def test_missing_region_or_credentials_is_a_configuration_error(
    err: botocore.exceptions.BotoCoreError, mentions: str
) -> None:
    mapped = _faults.from_botocore_error("ListDomains", err)
    assert type(mapped) is exc.ConfigurationError
    assert mentions in str(mapped)


@pytest.mark.parametrize(
    "err",
    [
        botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:1/"),
        botocore.exceptions.ConnectTimeoutError(endpoint_url="http://127.0.0.1:1/"),
        botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:1/"),
        botocore.exceptions.HTTPClientError(error=RuntimeError("connection reset")),
    ],
    ids=["read-timeout", "connect-timeout", "endpoint-connection", "http-client"],
)
def test_no_answer_is_a_transport_error(err: botocore.exceptions.BotoCoreError) -> None:
    mapped = _faults.from_botocore_error("PollForActivityTask", err)
    assert type(mapped) is exc.TransportError
    assert isinstance(mapped, OSError)
    assert str(mapped).startswith("PollForActivityTask: ")


def test_other_botocore_errors_are_aioswf_errors() -> None:
    mapped = _faults.from_botocore_error("ListDomains", botocore.exceptions.DataNotFoundError(data_path="x"))
    assert type(mapped) is exc.AioswfError


# --- the class tree ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (exc.ValidationError, (ValueError,)),
        (exc.ConfigurationError, (ValueError,)),
        (exc.ConnectionClosedError, (RuntimeError,)),
        (exc.DoesNotExistError, (exc.SWFError, LookupError)),
        (exc.TaskGoneError, (exc.DoesNotExistError, LookupError)),
        (exc.WorkflowExecutionAlreadyStartedError, (exc.AlreadyExistsError,)),
        (exc.OperationNotPermittedError, (exc.SWFError, PermissionError)),
        (exc.InvalidRequestError, (exc.SWFError, ValueError)),
        (exc.TransportError, (OSError,)),
    ],
)
def test_builtin_co_bases(cls: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    assert issubclass(cls, exc.AioswfError)
    for base in bases:
        assert issubclass(cls, base)


def test_local_errors_are_not_swf_errors() -> None:
    """Errors of "you did it wrong" and of "SWF refused" stay apart."""
    for cls in (exc.ValidationError, exc.ConfigurationError, exc.ConnectionClosedError, exc.TransportError):
        assert not issubclass(cls, exc.SWFError)


def test_every_exported_name_is_an_aioswf_error() -> None:
    for name in exc.__all__:
        cls = getattr(exc, name)
        assert issubclass(cls, exc.AioswfError), name
        assert name.endswith("Error"), name
        assert name not in ("CancelledError", "TimeoutError")
        assert not issubclass(cls, TimeoutError), name


# --- the real moto server ------------------------------------------------------------------------


async def register_domain(connection: aioswf.Connection, name: str) -> None:
    await connection.call("RegisterDomain", {"name": name, "workflowExecutionRetentionPeriodInDays": "1"})


async def register_workflow_type(connection: aioswf.Connection, domain: str) -> dict[str, str]:
    kind = {"name": "wf", "version": "1"}
    await connection.call(
        "RegisterWorkflowType",
        {
            "domain": domain,
            **kind,
            "defaultTaskList": {"name": "decisions"},
            "defaultChildPolicy": "TERMINATE",
            "defaultExecutionStartToCloseTimeout": "600",
            "defaultTaskStartToCloseTimeout": "300",
        },
    )
    return kind


async def test_register_domain_twice(connection: aioswf.Connection, domain_name: str) -> None:
    await register_domain(connection, domain_name)
    with pytest.raises(exc.AlreadyExistsError) as caught:
        await register_domain(connection, domain_name)
    error = caught.value
    assert type(error) is exc.AlreadyExistsError
    assert error.code == "DomainAlreadyExistsFault"
    assert error.operation == "RegisterDomain"
    assert error.status == 400
    assert error.request_id
    assert isinstance(error.__cause__, ClientError)
    assert connection.statistics().failures == {"RegisterDomain": 1}


async def test_register_workflow_type_twice(connection: aioswf.Connection, domain_name: str) -> None:
    await register_domain(connection, domain_name)
    await register_workflow_type(connection, domain_name)
    with pytest.raises(exc.AlreadyExistsError) as caught:
        await register_workflow_type(connection, domain_name)
    assert caught.value.code == "TypeAlreadyExistsFault"


async def test_describe_unknown_domain(connection: aioswf.Connection, domain_name: str) -> None:
    with pytest.raises(LookupError) as caught:
        await connection.call("DescribeDomain", {"name": domain_name})
    error = caught.value
    assert type(error) is exc.DoesNotExistError
    assert error.code == "UnknownResourceFault"
    assert error.operation == "DescribeDomain"
    assert error.status == 400
    assert domain_name in str(error)


async def test_start_the_same_open_workflow_id_twice(connection: aioswf.Connection, domain_name: str) -> None:
    await register_domain(connection, domain_name)
    kind = await register_workflow_type(connection, domain_name)
    start = {"domain": domain_name, "workflowId": "only-once", "workflowType": kind}
    first = await connection.call("StartWorkflowExecution", start)
    assert first["runId"]
    with pytest.raises(exc.WorkflowExecutionAlreadyStartedError) as caught:
        await connection.call("StartWorkflowExecution", start)
    assert isinstance(caught.value, exc.AlreadyExistsError)
    assert caught.value.code == "WorkflowExecutionAlreadyStartedFault"
    assert caught.value.operation == "StartWorkflowExecution"


async def test_deprecated_domain(connection: aioswf.Connection, domain_name: str) -> None:
    await register_domain(connection, domain_name)
    await connection.call("DeprecateDomain", {"name": domain_name})
    with pytest.raises(exc.DeprecatedError) as caught:
        await connection.call("DeprecateDomain", {"name": domain_name})
    assert caught.value.code == "DomainDeprecatedFault"
    with pytest.raises(exc.DeprecatedError):
        await connection.call(
            "ListOpenWorkflowExecutions", {"domain": domain_name, "startTimeFilter": {"oldestDate": 0}}
        )


async def test_start_a_deprecated_workflow_type(connection: aioswf.Connection, domain_name: str) -> None:
    await register_domain(connection, domain_name)
    kind = await register_workflow_type(connection, domain_name)
    await connection.call("DeprecateWorkflowType", {"domain": domain_name, "workflowType": kind})
    with pytest.raises(exc.DeprecatedError) as caught:
        await connection.call(
            "StartWorkflowExecution", {"domain": domain_name, "workflowId": "w", "workflowType": kind}
        )
    assert caught.value.code == "TypeDeprecatedFault"


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("RespondActivityTaskCompleted", {"taskToken": "garbage", "result": "r"}),
        ("RespondDecisionTaskCompleted", {"taskToken": "garbage", "decisions": []}),
        ("RecordActivityTaskHeartbeat", {"taskToken": "garbage"}),
        ("RespondActivityTaskFailed", {"taskToken": "garbage"}),
    ],
)
async def test_garbage_token(connection: aioswf.Connection, operation: str, params: dict[str, Any]) -> None:
    """moto answers a token it cannot parse with ``ValidationException: Invalid token`` (HTTP 400).

    Real SWF's answer to a malformed token may differ; either way the caller sent something
    invalid, which is not "the task is gone".
    """
    with pytest.raises(exc.InvalidRequestError) as caught:
        await connection.call(operation, params)
    error = caught.value
    assert not isinstance(error, exc.TaskGoneError)
    assert isinstance(error, ValueError)
    assert (error.code, error.status, error.operation) == ("ValidationException", 400, operation)
    assert "Invalid token" in error.message


async def test_answering_a_decision_task_twice_is_task_gone(
    connection: aioswf.Connection, domain_name: str
) -> None:
    """A real token that SWF no longer knows: ``UnknownResourceFault`` becomes :class:`TaskGoneError`."""
    await register_domain(connection, domain_name)
    kind = await register_workflow_type(connection, domain_name)
    await connection.call(
        "StartWorkflowExecution", {"domain": domain_name, "workflowId": "w", "workflowType": kind}
    )
    # A decision task is already scheduled, so this poll answers at once.
    task = await connection.call(
        "PollForDecisionTask", {"domain": domain_name, "taskList": {"name": "decisions"}}
    )
    assert task.get("taskToken")
    answer = {"taskToken": task["taskToken"], "decisions": []}
    await connection.call("RespondDecisionTaskCompleted", answer)
    with pytest.raises(exc.TaskGoneError) as caught:
        await connection.call("RespondDecisionTaskCompleted", answer)
    assert caught.value.code == "UnknownResourceFault"
    assert isinstance(caught.value, LookupError)


async def test_unimplemented_operation_is_service_unavailable(
    connection: aioswf.Connection, domain_name: str
) -> None:
    """moto answers what it has not implemented with HTTP 500 and an HTML page."""
    await register_domain(connection, domain_name)
    with pytest.raises(exc.ServiceUnavailableError) as caught:
        await connection.call(
            "CountOpenWorkflowExecutions", {"domain": domain_name, "startTimeFilter": {"oldestDate": 0}}
        )
    error = caught.value
    assert error.status == 500
    assert error.operation == "CountOpenWorkflowExecutions"
    assert "<" not in str(error)
    assert "doctype" not in str(error).lower()
    assert len(str(error)) < 200
    # Sent once: the tests' connection has no retries.
    assert connection.statistics().failures == {"CountOpenWorkflowExecutions": 1}


async def test_missing_parameter_is_a_validation_error(connection: aioswf.Connection) -> None:
    with pytest.raises(exc.ValidationError, match=r"DescribeDomain.*name"):
        await connection.call("DescribeDomain", {})


async def test_unknown_operation_is_a_validation_error(connection: aioswf.Connection) -> None:
    for operation in ("NoSuchOperation", "describeDomain", "describe_domain"):
        with pytest.raises(exc.ValidationError, match=operation):
            await connection.call(operation, {})
    assert connection.statistics().calls == {}


def closed_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_endpoint_is_a_transport_error(moto: MotoServer) -> None:
    config = aioswf.ConnectionConfig(max_attempts=1, connect_timeout=1, read_timeout=1, poll_read_timeout=1)
    async with aioswf.Connection(
        config=config,
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        region="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ) as conn:
        with anyio.fail_after(10):  # a guard against a hang, not a measurement
            with pytest.raises(exc.TransportError) as caught:
                await conn.call("DescribeDomain", {"name": f"d-{uuid.uuid4().hex[:8]}"})
            with pytest.raises(exc.TransportError):
                await conn.call("PollForActivityTask", {"domain": "d", "taskList": {"name": "t"}})
    assert isinstance(caught.value, OSError)
    assert not isinstance(caught.value, exc.SWFError)
    assert isinstance(caught.value.__cause__, botocore.exceptions.EndpointConnectionError)
    assert str(caught.value).startswith("DescribeDomain: ")
