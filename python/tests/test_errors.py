"""Every error path: modeled service errors, validation, credentials, network, timeout, config."""

import pickle
import socket

import pytest

import libivs
from libivs import exceptions as E
from libivs.exceptions import SERVICE_ERRORS

from conftest import run_python

MISSING = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"


def test_every_modeled_error_has_a_class_under_client_error(ivs):
    codes = {code for code, _status in libivs._libivs.error_shapes()}
    assert codes == set(SERVICE_ERRORS)
    for needed in ("ResourceNotFoundException", "ConflictException", "ValidationException",
                   "AccessDeniedException", "ThrottlingException", "ServiceQuotaExceededException",
                   "InternalServerException", "ChannelNotBroadcasting", "PendingVerification",
                   "StreamUnavailable", "ServiceUnavailable"):
        cls = getattr(ivs.exceptions, needed)
        assert cls is getattr(libivs.exceptions, needed) is SERVICE_ERRORS[needed]
        assert issubclass(cls, libivs.ClientError) and issubclass(cls, libivs.IvsError)
        assert ivs.exceptions.from_code(needed) is cls
    assert ivs.exceptions.ClientError is libivs.ClientError
    assert ivs.exceptions.from_code("NoSuchCode") is libivs.ClientError


def test_resource_not_found_keeps_ivs_message_and_metadata(ivs):
    with pytest.raises(ivs.exceptions.ResourceNotFoundException) as caught:
        ivs.get_channel(arn=MISSING)
    error = caught.value
    assert error.response["Error"]["Code"] == "ResourceNotFoundException"
    assert MISSING in error.response["Error"]["Message"]  # IVS's exceptionMessage
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error.response["ResponseMetadata"]["RequestId"] == error.request_id
    assert error.http_status == 404 and error.operation_name == "GetChannel"
    assert not error.retryable
    assert "An error occurred (ResourceNotFoundException) when calling the GetChannel operation" in str(error)


def test_validation_exception_from_the_service(emu):
    # With client-side validation off, IVS's own checks answer ValidationException.
    ivs = emu.client(config=libivs.Config(parameter_validation=False))
    with pytest.raises(libivs.exceptions.ValidationException) as caught:
        ivs.get_channel(arn="not-an-arn")
    assert caught.value.http_status == 400
    assert caught.value.message


@pytest.mark.parametrize(
    "status, cls",
    [(429, "ThrottlingException"), (500, "InternalServerException"), (503, "ServiceUnavailable")],
)
def test_injected_status_faults_raise_their_class(emu, status, cls):
    ivs = emu.client(config=libivs.Config(retries={"max_attempts": 0}))
    emu.inject_fault("GetChannel", 1, status=status)
    with pytest.raises(getattr(libivs.exceptions, cls)) as caught:
        ivs.get_channel(arn=MISSING)
    assert caught.value.http_status == status
    assert caught.value.retryable
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0


def test_retries_follow_config_and_are_counted(emu):
    ivs = emu.client(config=libivs.Config(retries={"max_attempts": 3, "mode": "standard"}))
    channel = ivs.create_channel(name="retry")["channel"]
    emu.inject_fault("GetChannel", 2, status=503)
    got = ivs.get_channel(arn=channel["arn"])
    assert got["ResponseMetadata"]["RetryAttempts"] == 2
    emu.inject_fault("GetChannel", 5, status=429)
    with pytest.raises(libivs.exceptions.ThrottlingException) as caught:
        ivs.get_channel(arn=channel["arn"])
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 3


def test_unmodeled_service_error_is_plain_client_error(emu):
    ivs = libivs.client("ivs", region_name="us-west-2", endpoint_url=emu.url,
                        aws_access_key_id="test", aws_secret_access_key="wrong-secret")
    with pytest.raises(libivs.ClientError) as caught:
        ivs.list_channels()
    assert type(caught.value) is libivs.ClientError
    assert caught.value.code in ("InvalidSignatureException", "UnrecognizedClientException")
    assert caught.value.http_status == 403
    assert "wrong-secret" not in repr(caught.value) + str(caught.value)


def test_param_validation_before_any_request(emu, ivs):
    emu.inject_fault("*", 1, status=500)  # would fail any request that were sent
    with pytest.raises(libivs.ParamValidationError) as caught:
        ivs.create_channel(name=123)
    assert "name" in str(caught.value)
    with pytest.raises(libivs.ParamValidationError):
        ivs.get_channel()
    with pytest.raises(libivs.ParamValidationError):
        ivs.create_channel(latencyMode="FAST")
    with pytest.raises(libivs.ParamValidationError):
        ivs.create_channel(name=object())
    assert isinstance(caught.value, ValueError) and not isinstance(caught.value, libivs.ClientError)
    # The armed fault is still there: nothing was sent.
    with pytest.raises(libivs.exceptions.InternalServerException):
        emu.client(config=libivs.Config(retries={"max_attempts": 0})).list_channels()


def test_stream_key_values_never_reach_validation_errors(ivs):
    secret = "sk_us-west-2_SECRETSECRETSECRET"
    with pytest.raises(libivs.ParamValidationError) as caught:
        ivs.put_metadata(channelArn=MISSING, metadata=[secret])
    assert secret not in str(caught.value)


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_endpoint_connection_error():
    ivs = libivs.client("ivs", region_name="us-west-2", endpoint_url=f"http://127.0.0.1:{closed_port()}",
                        aws_access_key_id="a", aws_secret_access_key="b",
                        config=libivs.Config(retries={"max_attempts": 0}, connect_timeout=2))
    with pytest.raises(libivs.EndpointConnectionError) as caught:
        ivs.list_channels()
    assert isinstance(caught.value, libivs.NetworkError)
    assert caught.value.retryable


def test_connection_reset_is_a_network_error(emu):
    ivs = emu.client(config=libivs.Config(retries={"max_attempts": 0}))
    emu.inject_fault("ListChannels", 1, reset=True)
    with pytest.raises(libivs.NetworkError):
        ivs.list_channels()


def test_read_timeout_is_timeout_error(emu):
    ivs = emu.client(config=libivs.Config(read_timeout=0.2, retries={"max_attempts": 0}))
    emu.inject_fault("ListChannels", 1, delay=2)
    with pytest.raises(libivs.TimeoutError) as caught:
        ivs.list_channels()
    assert isinstance(caught.value, TimeoutError)  # the builtin too
    assert isinstance(caught.value, libivs.IvsError)


def test_operation_timeout(emu):
    ivs = emu.client(config=libivs.Config(operation_timeout=0.2, retries={"max_attempts": 0}))
    emu.inject_fault("ListChannels", 1, delay=2)
    with pytest.raises(libivs.TimeoutError):
        ivs.list_channels()


def test_config_errors():
    with pytest.raises(libivs.ConfigError):
        libivs.client("ivs", region_name="us-west-2", aws_access_key_id="only-half")
    with pytest.raises(ValueError):
        libivs.Config(retries={"mode": "sometimes"})
    with pytest.raises(TypeError):
        libivs.Config(not_an_option=1)
    with pytest.raises(libivs.ConfigError):
        libivs.client("ivs", region_name="us-west-2", aws_access_key_id="a",
                      aws_secret_access_key="b", config=libivs.Config(read_timeout=-1))
    with pytest.raises(libivs.UnknownServiceError):
        libivs.client("s3", region_name="us-west-2")


CLEAN_ENV = {
    "AWS_CONFIG_FILE": "/nonexistent/config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
    "AWS_ACCESS_KEY_ID": None,
    "AWS_SECRET_ACCESS_KEY": None,
    "AWS_SESSION_TOKEN": None,
    "AWS_PROFILE": None,
    "AWS_REGION": None,
    "AWS_DEFAULT_REGION": None,
    "AWS_WEB_IDENTITY_TOKEN_FILE": None,
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": None,
    "AWS_CONTAINER_CREDENTIALS_FULL_URI": None,
}


def test_no_region_error_in_a_clean_environment():
    result = run_python(
        "import libivs\n"
        "try:\n    libivs.client('ivs')\n"
        "except libivs.NoRegionError as e:\n    print('NoRegionError', isinstance(e, libivs.ConfigError))\n",
        env=CLEAN_ENV,
    )
    assert result.stdout.strip() == "NoRegionError True", result.stderr


def test_no_credentials_error_from_the_chain(emulator):
    result = run_python(
        "import libivs\n"
        f"c = libivs.client('ivs', region_name='us-west-2', endpoint_url={emulator.url!r})\n"
        "try:\n    c.list_channels()\n"
        "except libivs.NoCredentialsError as e:\n    print('NoCredentialsError', e.code)\n",
        env=CLEAN_ENV,
    )
    assert result.stdout.strip() == "NoCredentialsError NoCredentialsError", result.stderr


def test_environment_credentials_and_region_are_used(emulator):
    env = {**CLEAN_ENV, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL_IVS": emulator.url}
    result = run_python(
        "import libivs\nc = libivs.client('ivs')\n"
        "print(c.meta.region_name, c.meta.endpoint_url, c.list_channels()['ResponseMetadata']['HTTPStatusCode'])",
        env=env,
    )
    assert result.stdout.split() == ["us-west-2", emulator.url, "200"], result.stderr


def test_every_error_pickles(ivs):
    errors = []
    with pytest.raises(libivs.ClientError) as service:
        ivs.get_channel(arn=MISSING)
    errors.append(service.value)
    with pytest.raises(libivs.ParamValidationError) as validation:
        ivs.get_channel()
    errors.append(validation.value)
    errors.append(E.TimeoutError("slow", code="TimeoutError", retryable=True))
    errors.append(E.NoCredentialsError("none"))
    errors.append(E.InternalError("bug"))
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert (copy.code, copy.message, copy.http_status, copy.request_id, copy.retryable) == (
            error.code, error.message, error.http_status, error.request_id, error.retryable)
        assert str(copy) == str(error)
    assert pickle.loads(pickle.dumps(service.value)).response == service.value.response


def test_factory_maps_codes_to_classes():
    made = E._make("service", "AccessDeniedException", "no", 403, "rid", False,
                   {"HTTPStatusCode": 403}, "GetChannel")
    assert type(made) is libivs.exceptions.AccessDeniedException
    assert E._make("network", "EndpointConnectionError", "x", None, None, True, None, None).__class__ is libivs.EndpointConnectionError
    assert E._make("credentials", "NoCredentialsError", "x", None, None, False, None, None).__class__ is libivs.NoCredentialsError
    assert E._make("internal", "InternalError", "x", None, None, False, None, None).__class__ is libivs.InternalError
