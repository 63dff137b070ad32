"""OpenTelemetry spans of libivs's calls, where the host has ``opentelemetry-api``.

Each call is a CLIENT span named ``ivs.<Operation>``, child of the caller's current span, with
the attributes ``opentelemetry-instrumentation-botocore`` gives boto3's calls (``rpc.system`` =
``aws-api``, ``rpc.service`` = ``ivs``, ``rpc.method``, ``aws.region``, ``aws.request_id``,
``http.status_code`` / ``http.response.status_code``, ``retry_attempts``) and one ``retry``
event per retry; a failed call's span has status ERROR and ``error.type`` (the error code).
Without the package, or before a tracer provider is set, no span is made and the call path is
the plain one. No attribute holds request or response data.
"""

from typing import Any, Callable, Dict, Optional, Tuple

try:
    from opentelemetry import trace as _trace
except ImportError:  # pragma: no cover - exercised where opentelemetry is absent
    _trace = None  # type: ignore[assignment]

#: Whether spans can be made at all (the API is importable).
AVAILABLE = _trace is not None
_SERVICE = "ivs"


# The provider last seen and its libivs tracer (None: no real provider), so that a call costs
# one lookup and one identity check while the provider stays the same.
_seen: Tuple[Any, Optional[Any]] = (object(), None)


def tracer() -> Optional[Any]:
    """The libivs tracer when a real tracer provider is set, else None."""
    global _seen
    provider = _trace.get_tracer_provider()
    if provider is _seen[0]:
        return _seen[1]
    found = None
    if not isinstance(provider, (_trace.ProxyTracerProvider, _trace.NoOpTracerProvider)):
        from . import __version__

        found = provider.get_tracer("libivs", __version__)
    _seen = (provider, found)
    return found


def _start(tracer: Any, operation: str, region: Optional[str]) -> Any:
    attributes = {
        "rpc.system": "aws-api",
        "rpc.service": _SERVICE,
        "rpc.method": operation,
    }
    if region:
        attributes["aws.region"] = region
    return tracer.start_as_current_span(
        f"{_SERVICE}.{operation}",
        kind=_trace.SpanKind.CLIENT,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    )


def _record_metadata(span: Any, metadata: Optional[Dict[str, Any]]) -> None:
    if not metadata:
        return
    if metadata.get("RequestId"):
        span.set_attribute("aws.request_id", metadata["RequestId"])
    status = metadata.get("HTTPStatusCode")
    if status:
        span.set_attribute("http.status_code", status)
        span.set_attribute("http.response.status_code", status)
    retries = metadata.get("RetryAttempts") or 0
    span.set_attribute("retry_attempts", retries)
    for attempt in range(2, retries + 2):
        span.add_event("retry", {"attempt": attempt})
    if retries:
        span.set_attribute("aws.retry.total_delay_ms", metadata.get("TotalRetryDelay", 0))


def _record_error(span: Any, error: BaseException) -> None:
    code = getattr(error, "code", None) or type(error).__name__
    span.set_attribute("error.type", code)
    _record_metadata(span, getattr(error, "response_metadata", None))
    span.set_status(_trace.Status(_trace.StatusCode.ERROR, code))


def traced_call(call: Callable[[str, Any], Any], region: Optional[str]) -> Callable[[str, Any], Any]:
    """``call`` (a blocking native call) in a span whenever a tracer provider is set."""
    if not AVAILABLE:
        return call

    def call_in_span(operation: str, params: Any) -> Any:
        found = tracer()
        if found is None:
            return call(operation, params)
        with _start(found, operation, region) as span:
            try:
                response = call(operation, params)
            except BaseException as error:
                _record_error(span, error)
                raise
            _record_metadata(span, response.get("ResponseMetadata"))
            return response

    return call_in_span


async def in_span(
    found: Any, awaitable_call: Callable[[], Any], operation: str, region: Optional[str]
) -> Any:
    """Awaits ``awaitable_call()`` in a span of ``found`` (a :func:`tracer`): the async face's
    twin of :func:`traced_call`."""
    with _start(found, operation, region) as span:
        try:
            response = await awaitable_call()
        except BaseException as error:
            _record_error(span, error)
            raise
        _record_metadata(span, response.get("ResponseMetadata"))
        return response
