"""libivs exceptions: one hierarchy, boto3's shapes.

``IvsError`` is the base of everything libivs raises. Service errors are ``ClientError``
subclasses named after IVS's codes (``ResourceNotFoundException``...), with boto3's
``.response["Error"]["Code" | "Message"]`` (the message is IVS's ``exceptionMessage``).
Every exception pickles and carries ``code``, ``message``, ``http_status``, ``request_id``,
``retryable`` and ``operation_name``.

Where botocore is importable, each class whose boto3 counterpart exists also derives from it
(``ClientError`` from ``botocore.exceptions.ClientError``, ``ParamValidationError`` from
``botocore.exceptions.ParamValidationError``...), so that ``except`` clauses written for boto3
catch libivs's errors unchanged. That costs botocore's import (~70 ms) only where it is installed.
"""

from __future__ import annotations

from . import _libivs
from . import _base
from ._base import *  # noqa: F401,F403

# The modeled IVS errors (ResourceNotFoundException...), generated from the model.
from ._errors import *  # noqa: F401,F403
from ._errors import SERVICE_ERRORS

# typing costs milliseconds to import; annotations here are strings (PEP 563) for mypy only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Type

__all__ = list(_base.__all__)
__all__ += list(SERVICE_ERRORS)

#: Classes by libivs error code, for codes that are not modeled service errors.
_BY_CODE: Dict[str, Type[IvsError]] = {
    "ParamValidationError": ParamValidationError,
    "NoCredentialsError": NoCredentialsError,
    "EndpointConnectionError": EndpointConnectionError,
    "ResponseParserError": ResponseParserError,
    "TimeoutError": TimeoutError,
    "ConfigError": ConfigError,
    "NoRegionError": NoRegionError,
    "ProfileNotFound": ProfileNotFound,
    "InvalidArgument": InvalidArgumentError,
    "EmulatorError": EmulatorError,
    "InternalError": InternalError,
}
# Playback key, claim and token errors: the core's list of codes.
_BY_CODE.update(dict.fromkeys(_libivs.PLAYBACK_TOKEN_ERROR_CODES, PlaybackTokenError))

_BY_KIND: Dict[str, Type[IvsError]] = {
    "service": ClientError,
    "validation": ParamValidationError,
    "credentials": NoCredentialsError,
    "timeout": TimeoutError,
    "network": NetworkError,
    "config": ConfigError,
    "invalid_argument": InvalidArgumentError,
    "internal": InternalError,
}

def _make(
    kind: str,
    code: str,
    message: str,
    http_status: Optional[int],
    request_id: Optional[str],
    retryable: bool,
    response_metadata: Optional[Dict[str, Any]],
    operation_name: Optional[str],
    attempts: int = 0,
    header_members: Optional[Dict[str, str]] = None,
) -> IvsError:
    """Called by the native module to build the exception for a libivs error."""
    if kind == "service":
        cls: Type[IvsError] = SERVICE_ERRORS.get(code, ClientError)
    else:
        cls = _BY_CODE.get(code) or _BY_KIND.get(kind, IvsError)
    if response_metadata is not None and not response_metadata.get("HTTPStatusCode"):
        # No response (network, timeout, nothing sent): only the retry count means anything.
        if kind != "service":
            response_metadata = {"RetryAttempts": attempts - 1} if attempts else None
    return cls(
        message,
        code=code,
        http_status=http_status,
        request_id=request_id,
        retryable=retryable,
        response_metadata=response_metadata,
        operation_name=operation_name,
        attempts=attempts,
        header_members=header_members or None,
    )

