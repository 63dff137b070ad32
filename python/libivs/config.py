"""``libivs.Config``: botocore's ``Config`` for the IVS client."""

from __future__ import annotations

# typing costs milliseconds to import; annotations here are strings (PEP 563) for mypy only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional

__all__ = ["Config"]

# botocore.config.Config's options. Those that change nothing for IVS over libivs's HTTP stack
# (proxies, pool sizes, S3 and checksum options...) are accepted and kept, so that code written
# for boto3 runs unchanged.
_BOTOCORE_OPTIONS = (
    "region_name",
    "signature_version",
    "user_agent",
    "user_agent_extra",
    "user_agent_appid",
    "connect_timeout",
    "read_timeout",
    "parameter_validation",
    "max_pool_connections",
    "proxies",
    "proxies_config",
    "s3",
    "retries",
    "client_cert",
    "inject_host_prefix",
    "endpoint_discovery_enabled",
    "use_dualstack_endpoint",
    "use_fips_endpoint",
    "ignore_configured_endpoint_urls",
    "defaults_mode",
    "tcp_keepalive",
    "request_min_compression_size_bytes",
    "disable_request_compression",
    "sigv4a_signing_region_set",
    "client_context_params",
    "request_checksum_calculation",
    "response_checksum_validation",
    "account_id_endpoint_mode",
    "auth_scheme_preference",
)
# libivs's own: the whole call, retries included (seconds).
_LIBIVS_OPTIONS = ("operation_timeout",)
OPTIONS = _BOTOCORE_OPTIONS + _LIBIVS_OPTIONS

_RETRY_KEYS = ("max_attempts", "total_max_attempts", "mode")

# The botocore.config.Config options that libivs implements (Config.from_botocore).
_FROM_BOTOCORE = (
    "region_name",
    "retries",
    "connect_timeout",
    "read_timeout",
    "user_agent_extra",
    "user_agent_appid",
    "parameter_validation",
)


class Config:
    """Client options, as ``botocore.config.Config``.

    ``Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5,
    read_timeout=10)``. ``retries["max_attempts"]`` counts retries (botocore's meaning);
    ``retries["total_max_attempts"]`` counts attempts. libivs adds ``operation_timeout``.
    """

    region_name: Optional[str]
    connect_timeout: Optional[float]
    read_timeout: Optional[float]
    operation_timeout: Optional[float]
    parameter_validation: bool
    retries: Optional[Dict[str, Any]]
    user_agent_appid: Optional[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(OPTIONS):
            raise TypeError(f"Takes at most {len(OPTIONS)} arguments ({len(args)} given)")
        given: Dict[str, Any] = {}
        for name, value in zip(OPTIONS, args):
            given[name] = value
        for name, value in kwargs.items():
            if name not in OPTIONS:
                raise TypeError(f"Got unexpected keyword argument '{name}'")
            if name in given:
                raise TypeError(f"Got multiple values for keyword argument '{name}'")
            given[name] = value
        retries = given.get("retries")
        if retries is not None:
            for key in retries:
                if key not in _RETRY_KEYS:
                    raise TypeError(f"Unknown retries option {key!r}: expected one of {_RETRY_KEYS}")
            if retries.get("mode", "standard") not in ("standard", "adaptive", "legacy"):
                raise ValueError(f"Invalid retry mode: {retries['mode']!r}")
        self._given = given
        for name in OPTIONS:
            setattr(self, name, given.get(name, True if name == "parameter_validation" else None))

    def merge(self, other_config: "Config") -> "Config":
        """A new Config with ``other_config``'s given options over these (as botocore's)."""
        import copy

        merged = dict(self._given)
        merged.update(other_config._given)
        return Config(**copy.deepcopy(merged))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._given.items())
        return f"Config({shown})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and other._given == self._given

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def from_botocore(cls, config: Any) -> "Config":
        """The libivs ``Config`` of a ``botocore.config.Config``: the options libivs implements are
        carried over; any other option that the caller set is refused by name (``ConfigError``),
        so that nothing asked for is silently ignored."""
        from .exceptions import ConfigError

        given: Dict[str, Any] = dict(getattr(config, "_user_provided_options", {}))
        refused = sorted(name for name in given if name not in _FROM_BOTOCORE)
        if refused:
            raise ConfigError(
                "libivs does not implement these botocore Config options: "
                + ", ".join(refused)
                + f" (it takes {', '.join(_FROM_BOTOCORE)})",
                code="ConfigError",
            )
        return cls(**given)
