"""The IVS clients: ``IVSClient`` (blocking) and ``AsyncIVSClient`` (asyncio).

The 46 operation methods come from ``_operations.py``, generated from the model; this module
holds what needs judgment: configuration, paginators, the asyncio bridge, the boto3 extras.
Typed by the generated ``client.pyi``.
"""

from __future__ import annotations

import os
import sys

from . import _libivs
from ._operations import AsyncOperations, OPERATIONS, PAGINATORS, SyncOperations
from .config import Config
from . import exceptions as _exceptions
from . import _tracing

__all__ = ["IVSClient", "AsyncIVSClient", "client", "async_client", "Session"]

_SERVICE = "ivs"


def _core_config(
    region_name,
    endpoint_url,
    aws_access_key_id,
    aws_secret_access_key,
    aws_session_token,
    config,
    profile_name=None,
):
    """boto3's arguments → the core's configuration keys."""
    out = {}
    # An empty region or endpoint is passed on, for the core to refuse (ConfigError), as botocore
    # refuses it: falling back to AWS_REGION would hide the mistake.
    region = region_name if region_name is not None else (
        config.region_name if config is not None else None
    )
    if region is not None:
        out["region"] = region
    if endpoint_url is not None:
        out["endpoint_url"] = endpoint_url
    if aws_access_key_id is not None:
        out["access_key_id"] = aws_access_key_id
    if aws_secret_access_key is not None:
        out["secret_access_key"] = aws_secret_access_key
    if aws_session_token is not None:
        out["session_token"] = aws_session_token
    if profile_name:
        out["profile"] = profile_name
    # AWS_RETRY_MODE and AWS_MAX_ATTEMPTS are read by the core, with every other face's rules.
    retries = (config.retries if config is not None else None) or {}
    if retries.get("mode"):
        out["retry_mode"] = retries["mode"]
    attempts = retries.get("total_max_attempts")
    retried = retries.get("max_attempts")
    if attempts is None and retried is not None:
        # botocore counts retries here; a value that is no integer goes on for the core to refuse.
        is_count = isinstance(retried, int) and not isinstance(retried, bool)
        attempts = retried + 1 if is_count else retried
    if attempts is not None:
        out["max_attempts"] = attempts
    if config is not None:
        for name in ("connect_timeout", "read_timeout", "operation_timeout"):
            value = getattr(config, name)
            if value is not None:
                out[name] = value
        if config.user_agent_appid or config.user_agent_extra:
            out["user_agent_suffix"] = config.user_agent_appid or config.user_agent_extra
        if config.parameter_validation is False:
            out["validate_input"] = False
    return out


class _Meta:
    """``client.meta``: region, endpoint and configuration, as boto3's ``ClientMeta``."""

    __slots__ = ("region_name", "endpoint_url", "config", "service_name", "partition", "_native")

    def __init__(self, native, config):
        self.region_name = native.region
        self.endpoint_url = native.endpoint_url or f"https://ivs.{native.region}.amazonaws.com"
        self.config = config if config is not None else Config()
        self.service_name = _SERVICE
        self.partition = "aws"

    @property
    def method_to_api_mapping(self):
        return dict(OPERATIONS)

    def __repr__(self):
        return f"ClientMeta(region_name={self.region_name!r}, endpoint_url={self.endpoint_url!r})"


class _Exceptions:
    """``client.exceptions``: every modeled IVS error class, plus ``ClientError``."""

    ClientError = _exceptions.ClientError

    def __init__(self):
        for code, cls in _exceptions.SERVICE_ERRORS.items():
            setattr(self, code, cls)

    def from_code(self, error_code):
        return _exceptions.SERVICE_ERRORS.get(error_code, _exceptions.ClientError)


_EXCEPTIONS = None


def _client_exceptions():
    global _EXCEPTIONS
    if _EXCEPTIONS is None:
        _EXCEPTIONS = _Exceptions()
    return _EXCEPTIONS


def _build_native(service_name, kwargs):
    if service_name != _SERVICE:
        raise _exceptions.UnknownServiceError(
            f"Unknown service: {service_name!r}. libivs serves only 'ivs'",
            code="UnknownServiceError",
        )
    config = kwargs.pop("config", None)
    if config is not None and not isinstance(config, Config):
        botocore_config = sys.modules.get("botocore.config")
        if botocore_config is None or not isinstance(config, botocore_config.Config):
            raise TypeError("config must be a libivs.Config or a botocore.config.Config")
        config = Config.from_botocore(config)
    # Accepted for boto3 compatibility; libivs's TLS stack always verifies with system roots.
    kwargs.pop("api_version", None)
    kwargs.pop("use_ssl", None)
    kwargs.pop("verify", None)
    kwargs.pop("aws_account_id", None)
    profile_name = kwargs.pop("profile_name", None)
    unknown = set(kwargs) - {
        "region_name",
        "endpoint_url",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    }
    if unknown:
        raise TypeError(f"client() got unexpected keyword arguments: {sorted(unknown)}")
    core = _core_config(
        kwargs.get("region_name"),
        kwargs.get("endpoint_url"),
        kwargs.get("aws_access_key_id"),
        kwargs.get("aws_secret_access_key"),
        kwargs.get("aws_session_token"),
        config,
        profile_name,
    )
    return _libivs.NativeClient(core), config


def _paginated(operation_name):
    wire = PAGINATORS.get(operation_name)
    if wire is None:
        raise _exceptions.OperationNotPageableError(
            f"Operation cannot be paginated: {operation_name}",
            code="OperationNotPageableError",
        )
    return wire


def _split_paginate_kwargs(kwargs):
    config = kwargs.pop("PaginationConfig", None)
    return kwargs, config


class _BaseClient:
    __slots__ = ("_inner", "_call", "meta", "__weakref__")

    def __init__(self, native, config):
        self._inner = native
        # The native call itself, or wrapped in an OpenTelemetry span where the API is present.
        self._call = _tracing.traced_call(native.call, native.region)
        self.meta = _Meta(native, config)

    @property
    def exceptions(self):
        return _client_exceptions()

    def can_paginate(self, operation_name):
        return operation_name in PAGINATORS

    def get_waiter(self, waiter_name):
        # IVS defines no waiters: boto3 answers this for an unknown name.
        raise ValueError(f"Waiter does not exist: {waiter_name}")

    @property
    def waiter_names(self):
        return []

    def generate_presigned_url(self, ClientMethod, Params=None, ExpiresIn=3600, HttpMethod=None):
        if ClientMethod not in OPERATIONS:
            raise _exceptions.InvalidArgumentError(
                f"Client does not have method: {ClientMethod}", code="UnknownClientMethodError"
            )
        return self._inner.presign(OPERATIONS[ClientMethod], Params, float(ExpiresIn), HttpMethod)

    def __repr__(self):
        return f"<libivs.{type(self).__name__} region={self.meta.region_name!r}>"


class IVSClient(_BaseClient, SyncOperations):
    """A blocking IVS client with boto3's methods, arguments and responses."""

    __slots__ = ()

    def get_paginator(self, operation_name):
        return Paginator(self, operation_name, _paginated(operation_name))

    def close(self):
        self._inner.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class Paginator:
    """boto3's ``Paginator``: ``paginate(**params, PaginationConfig={...})``."""

    def __init__(self, client, name, wire):
        self._client = client
        self._name = name
        self._wire = wire

    def paginate(self, **kwargs):
        params, config = _split_paginate_kwargs(kwargs)
        return PageIterator(self._client, self._wire, params, config)

    def __repr__(self):
        return f"<libivs.{type(self).__name__} {self._name}>"


class _PaginatorRun:
    """What the sync and async page iterators share: the call, and the native run of the
    latest iteration (where ``resume_token`` comes from)."""

    def __init__(self, client, wire, params, config):
        self._client = client
        self._wire = wire
        self._params = params
        self._config = config
        self._native = None

    def _start(self):
        self._native = self._client._inner.paginate(self._wire, self._params, self._config)
        return self._native

    def _full_result(self, items):
        # botocore's build_full_result: every item in one list, and where a later run resumes.
        result = {self._native.result_key: items}
        if self._native.resume_token is not None:
            result["NextToken"] = self._native.resume_token
        return result

    @property
    def resume_token(self):
        return self._native.resume_token if self._native is not None else None


class PageIterator(_PaginatorRun):
    """Pages of a paginated call; iterate it for pages, ``.items()`` for the resources.

    Each iteration starts a new run (as boto3's). ``resume_token`` is where a run cut by
    ``MaxItems`` can continue (pass it as ``StartingToken``).
    """

    def __iter__(self):
        step = self._start().next
        while True:
            page = step()
            if page is None:
                return
            yield page

    def items(self):
        """Every resource (channel, stream key...) of every page, one at a time."""
        for page in self:
            yield from page[self._native.result_key]

    def build_full_result(self):
        """Every item in one dict: ``{"channels": [...]}`` plus ``NextToken`` if cut short."""
        return self._full_result(list(self.items()))

    def search(self, expression):
        """boto3's ``search``: the JMESPath ``expression`` applied to each page, its results one
        at a time (a list result is flattened). Needs ``jmespath`` (``pip install libivs[search]``)."""
        compiled = _jmespath().compile(expression)
        for page in self:
            found = compiled.search(page)
            if isinstance(found, list):
                yield from found
            else:
                yield found

    @property
    def result_keys(self):
        return [self._start_key()]

    def _start_key(self):
        return _libivs_result_key(self._wire)


def _libivs_result_key(wire):
    for _snake, name, key in _libivs.operations():
        if name == wire:
            return key
    return None


# ---- asyncio ----------------------------------------------------------------------------

_BRIDGES = {}
# (loop, bridge, pid) of the last lookup, replaced as one tuple so that threads running their
# own loops never see a mix of two entries.
_LAST = (None, None, None)


def _bridge(loop):
    """This event loop's completion queue (one per loop and process)."""
    global _LAST
    pid = os.getpid()
    last = _LAST
    if last[0] is loop and last[2] == pid:
        return last[1]
    key = id(loop)
    entry = _BRIDGES.get(key)
    if entry is None or entry[0]() is not loop or entry[2] != pid:
        import weakref

        bridge = _libivs.Bridge()
        loop.add_reader(bridge.fileno(), bridge.drain)
        entry = (weakref.ref(loop, lambda _ref, key=key: _BRIDGES.pop(key, None)), bridge, pid)
        _BRIDGES[key] = entry
    _LAST = (loop, entry[1], pid)
    return entry[1]


def _get_running_loop():
    import asyncio

    global _get_running_loop
    _get_running_loop = asyncio.get_running_loop
    return asyncio.get_running_loop()


async def _submit(start):
    """Runs native work through this loop's bridge; cancelling the task cancels the work."""
    loop = _get_running_loop()
    future = loop.create_future()
    pending = start(_bridge(loop), future)
    try:
        return await future
    except BaseException:
        if not future.done() or future.cancelled():
            pending.cancel()
        raise


class AsyncIVSClient(_BaseClient, AsyncOperations):
    """An asyncio IVS client: the same 46 methods as coroutines (aioboto3's shape)."""

    __slots__ = ()

    async def _acall_native(self, operation, params):
        loop = _get_running_loop()
        future = loop.create_future()
        pending = self._inner.call_async(operation, params, _bridge(loop), future)
        try:
            return await future
        except BaseException:
            if not future.done() or future.cancelled():
                pending.cancel()
            raise

    if _tracing.AVAILABLE:

        async def _acall(self, operation, params):
            found = _tracing.tracer()
            if found is None:
                return await self._acall_native(operation, params)
            return await _tracing.in_span(
                found, lambda: self._acall_native(operation, params), operation, self._inner.region
            )

    else:
        # Without opentelemetry-api, the native call as it is.
        _acall = _acall_native

    def get_paginator(self, operation_name):
        return AsyncPaginator(self, operation_name, _paginated(operation_name))

    async def close(self):
        self._inner.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.close()


class AsyncPaginator(Paginator):
    """aioboto3's paginator: ``paginate`` answers an async page iterator."""

    def paginate(self, **kwargs):
        params, config = _split_paginate_kwargs(kwargs)
        return AsyncPageIterator(self._client, self._wire, params, config)


class AsyncPageIterator(_PaginatorRun):
    """``async for page in ...``; ``async for item in ....items()``;
    ``await ....build_full_result()``."""

    def __aiter__(self):
        return _AsyncSteps(self._start())

    async def items(self):
        async for page in self:
            for item in page[self._native.result_key]:
                yield item

    async def build_full_result(self):
        return self._full_result([item async for item in self.items()])

    async def search(self, expression):
        """aioboto3's ``search``: ``async for channel in pages.search("channels[]")``."""
        compiled = _jmespath().compile(expression)
        async for page in self:
            found = compiled.search(page)
            if isinstance(found, list):
                for value in found:
                    yield value
            else:
                yield found


def _jmespath():
    # An optional dependency (the `search` extra), imported only when a search runs.
    try:
        import jmespath
    except ImportError:
        raise ImportError(
            "PageIterator.search needs the jmespath package: pip install 'libivs[search]'"
        ) from None
    return jmespath


class _AsyncSteps:
    __slots__ = ("_native",)

    def __init__(self, native):
        self._native = native

    def __aiter__(self):
        return self

    async def __anext__(self):
        value = await _submit(self._native.next_async)
        if value is None:
            raise StopAsyncIteration
        return value


# ---- constructors -----------------------------------------------------------------------


def client(service_name, region_name=None, api_version=None, use_ssl=True, verify=None,
           endpoint_url=None, aws_access_key_id=None, aws_secret_access_key=None,
           aws_session_token=None, config=None, aws_account_id=None):
    """``boto3.client("ivs", ...)``: a blocking IVS client."""
    native, config = _build_native(
        service_name,
        dict(region_name=region_name, endpoint_url=endpoint_url,
             aws_access_key_id=aws_access_key_id, aws_secret_access_key=aws_secret_access_key,
             aws_session_token=aws_session_token, config=config),
    )
    return IVSClient(native, config)


def async_client(service_name, region_name=None, api_version=None, use_ssl=True, verify=None,
                 endpoint_url=None, aws_access_key_id=None, aws_secret_access_key=None,
                 aws_session_token=None, config=None, aws_account_id=None):
    """An asyncio IVS client (use it directly or as ``async with``)."""
    native, config = _build_native(
        service_name,
        dict(region_name=region_name, endpoint_url=endpoint_url,
             aws_access_key_id=aws_access_key_id, aws_secret_access_key=aws_secret_access_key,
             aws_session_token=aws_session_token, config=config),
    )
    return AsyncIVSClient(native, config)


class Session:
    """``boto3.Session``'s client-making part: credentials, region and profile for clients."""

    def __init__(self, aws_access_key_id=None, aws_secret_access_key=None,
                 aws_session_token=None, region_name=None, profile_name=None):
        self._defaults = dict(aws_access_key_id=aws_access_key_id,
                              aws_secret_access_key=aws_secret_access_key,
                              aws_session_token=aws_session_token, region_name=region_name)
        self.profile_name = profile_name
        self.region_name = region_name

    def _merged(self, kwargs):
        merged = {k: v for k, v in self._defaults.items() if v is not None}
        merged.update({k: v for k, v in kwargs.items() if v is not None})
        if self.profile_name:
            merged["profile_name"] = self.profile_name
        return merged

    def client(self, service_name, **kwargs):
        native, config = _build_native(service_name, self._merged(kwargs))
        return IVSClient(native, config)

    def async_client(self, service_name, **kwargs):
        native, config = _build_native(service_name, self._merged(kwargs))
        return AsyncIVSClient(native, config)
