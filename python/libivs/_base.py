"""The base classes of libivs's exceptions. Their public home is ``libivs.exceptions``, which
adds the modeled service errors and the factory the native module calls."""

from __future__ import annotations

import builtins

# typing costs milliseconds to import; annotations here are strings (PEP 563) for mypy only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Type

try:
    import botocore.exceptions as _botocore_exceptions  # type: ignore[import-untyped]
except ImportError:  # botocore is optional: without it the classes have only libivs's bases.
    _botocore_exceptions = None


def _botocore(name: str) -> tuple:  # type: ignore[type-arg]
    """botocore's exception class ``name`` as an extra base, when botocore is importable."""
    cls = getattr(_botocore_exceptions, name, None)
    return (cls,) if cls is not None else ()


__all__ = [
    "IvsError",
    "ClientError",
    "ParamValidationError",
    "NoCredentialsError",
    "NetworkError",
    "EndpointConnectionError",
    "ResponseParserError",
    "TimeoutError",
    "ConfigError",
    "NoRegionError",
    "ProfileNotFound",
    "InvalidArgumentError",
    "UnknownServiceError",
    "OperationNotPageableError",
    "EmulatorError",
    "PlaybackTokenError",
    "InternalError",
]


class IvsError(Exception):
    """The base of every libivs error."""

    kind: str = "internal"

    def __init__(
        self,
        message: str = "",
        *,
        code: Optional[str] = None,
        http_status: Optional[int] = None,
        request_id: Optional[str] = None,
        retryable: bool = False,
        response_metadata: Optional[Dict[str, Any]] = None,
        operation_name: Optional[str] = None,
        attempts: int = 0,
        header_members: Optional[Dict[str, str]] = None,
    ) -> None:
        # Exception's, not the next base's: botocore's bases (when present) take other arguments.
        Exception.__init__(self, message)
        self.message = message
        self.code = code or type(self).__name__
        self.http_status = http_status
        self.request_id = request_id
        self.retryable = retryable
        self.response_metadata: Dict[str, Any] = response_metadata or {}
        self.operation_name = operation_name
        #: HTTP attempts the call made, retries included (0: it failed before sending anything).
        self.attempts = attempts
        #: A modeled IVS error's members bound to response headers (``accessControlAllowOrigin``,
        #: ..., ``xAmznErrorType``), which boto3 puts at the top of ``ClientError.response``.
        self.header_members: Dict[str, str] = dict(header_members or {})

    def _state(self) -> Dict[str, Any]:
        return {
            "code": self.code,
            "http_status": self.http_status,
            "request_id": self.request_id,
            "retryable": self.retryable,
            "response_metadata": self.response_metadata,
            "operation_name": self.operation_name,
            "attempts": self.attempts,
            "header_members": self.header_members,
        }

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, self._state()))

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: Type[IvsError], message: str, state: Dict[str, Any]) -> IvsError:
    """Unpickles any libivs exception (their constructors differ from ``Exception``'s)."""
    error = cls.__new__(cls)
    IvsError.__init__(error, message, **state)
    return error


class ClientError(IvsError, *_botocore("ClientError")):  # type: ignore[misc]
    """An error answered by IVS (boto3's ``botocore.exceptions.ClientError``)."""

    kind = "service"

    @property
    def response(self) -> Dict[str, Any]:
        return {
            "Error": {"Code": self.code, "Message": self.message},
            "ResponseMetadata": self.response_metadata,
            **self.header_members,
        }

    def __str__(self) -> str:
        return (
            f"An error occurred ({self.code}) when calling the "
            f"{self.operation_name or 'IVS'} operation: {self.message}"
        )


class ParamValidationError(IvsError, ValueError, *_botocore("ParamValidationError")):  # type: ignore[misc]
    """The parameters failed the model's checks; nothing was sent."""

    kind = "validation"

    def __str__(self) -> str:
        return f"Parameter validation failed:\n{self.message}"


class NoCredentialsError(IvsError, *_botocore("NoCredentialsError")):  # type: ignore[misc]
    """No credentials were found, or the credential provider failed."""

    kind = "credentials"


class NetworkError(IvsError):
    """The connection failed or the response could not be read."""

    kind = "network"


class EndpointConnectionError(NetworkError, *_botocore("EndpointConnectionError")):  # type: ignore[misc]
    """Could not connect to the endpoint."""


class ResponseParserError(NetworkError, *_botocore("ResponseParserError")):  # type: ignore[misc]
    """The response could not be read."""


class TimeoutError(NetworkError, builtins.TimeoutError):
    """A connect, read or operation timeout (also a builtin ``TimeoutError``)."""

    kind = "timeout"


class ConfigError(IvsError, ValueError):
    """The client configuration is invalid."""

    kind = "config"


class NoRegionError(ConfigError, *_botocore("NoRegionError")):  # type: ignore[misc]
    """No region was given or found in the environment."""


class ProfileNotFound(ConfigError, *_botocore("ProfileNotFound")):  # type: ignore[misc]
    """The named profile is in none of the shared config files (raised when the client is made)."""


class InvalidArgumentError(IvsError, ValueError):
    """An argument to a libivs function is invalid (an unknown operation...)."""

    kind = "invalid_argument"


class UnknownServiceError(InvalidArgumentError, *_botocore("UnknownServiceError")):  # type: ignore[misc]
    """``libivs.client()`` was asked for a service other than ``"ivs"``."""


class OperationNotPageableError(InvalidArgumentError, *_botocore("OperationNotPageableError")):  # type: ignore[misc]
    """``get_paginator()`` was asked for an operation that does not page."""


class EmulatorError(InvalidArgumentError):
    """The embedded emulator refused a request (unknown stream key, bad fault...)."""


class PlaybackTokenError(InvalidArgumentError):
    """A playback key, claims or token is not valid (codes ``InvalidPlaybackKey``,
    ``InvalidPlaybackClaims``, ``MalformedPlaybackToken``, ``PlaybackTokenSignatureMismatch``,
    ``PlaybackTokenExpired``)."""


class InternalError(IvsError):
    """A bug in libivs (a caught Rust panic); please report it."""

    kind = "internal"


# Shown, pickled and documented as ``libivs.exceptions.X``, where they are re-exported.
for _name in __all__:
    globals()[_name].__module__ = "libivs.exceptions"
