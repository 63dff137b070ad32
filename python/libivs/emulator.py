"""``libivs.Emulator``: the embedded IVS emulator (real REST-JSON with SigV4 checks), for tests,
demos and offline development. boto3 and every AWS SDK work against it too."""

from __future__ import annotations

# typing costs milliseconds to import; annotations here are strings (PEP 563) for mypy only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional

    from .client import AsyncIVSClient, IVSClient

from . import _libivs

__all__ = ["Emulator"]


class Emulator:
    """A local IVS on loopback. Starts when made; ``stop()`` (or leaving ``with``) stops it.

    >>> with Emulator() as emulator:
    ...     ivs = emulator.client()
    ...     channel = ivs.create_channel(name="demo")
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-west-2",
        account_id: str = "123456789012",
        access_key_id: str = "test",
        secret_access_key: str = "test",
        worker_threads: int = 0,
        rtmp_port: int = 0,
        rtmps_port: int = 0,
        stream_end_delay: float = 0.0,
        recording_configuration_delay: float = 0.0,
        quotas: bool = False,
        events_webhook_url: Optional[str] = None,
    ) -> None:
        """``stream_end_delay`` (seconds): from StopStream or a publisher leaving to the stream's
        end; ``recording_configuration_delay`` (seconds): how long a recording configuration is
        CREATING; ``quotas``: enforce IVS's API rate quotas; ``events_webhook_url``: an
        ``http://`` URL each EventBridge event is POSTed to."""
        self._native = _libivs.NativeEmulator(
            {
                "host": host,
                "port": port,
                "region": region,
                "account_id": account_id,
                "access_key_id": access_key_id,
                "secret_access_key": secret_access_key,
                "worker_threads": worker_threads,
                "rtmp_port": rtmp_port,
                "rtmps_port": rtmps_port,
                "stream_end_delay": stream_end_delay,
                "recording_configuration_delay": recording_configuration_delay,
                "quotas": quotas,
                "events_webhook_url": events_webhook_url,
            }
        )

    @property
    def url(self) -> str:
        """The endpoint URL, e.g. ``http://127.0.0.1:40123``."""
        return self._native.url

    @property
    def rtmp_url(self) -> str:
        """The RTMP ingest URL, ``rtmp://127.0.0.1:PORT/app/``: publish to it with a stream key's
        value appended (channels with ``insecureIngest`` only)."""
        return self._native.rtmp_url

    @property
    def rtmps_url(self) -> str:
        """The RTMPS ingest URL (TLS, self-signed certificate), ``rtmps://127.0.0.1:PORT/app/``."""
        return self._native.rtmps_url

    def events(self, since: int = 0) -> Dict[str, Any]:
        """The EventBridge events IVS would have sent, from cursor ``since`` on:
        ``{"events": [...], "cursor": n}`` (pass ``cursor`` as the next ``since``)."""
        events: Dict[str, Any] = self._native.events(since)
        return events

    @property
    def region(self) -> str:
        return self._native.region

    @property
    def account_id(self) -> str:
        return self._native.account_id

    @property
    def access_key_id(self) -> str:
        return self._native.access_key_id

    @property
    def secret_access_key(self) -> str:
        return self._native.secret_access_key

    @property
    def running(self) -> bool:
        return self._native.running

    def client_kwargs(self) -> Dict[str, str]:
        """Keyword arguments that point ``libivs.client`` or ``boto3.client`` here."""
        return {
            "region_name": self.region,
            "endpoint_url": self.url,
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
        }

    def client(self, **overrides: Any) -> IVSClient:
        """A blocking ``IVSClient`` for this emulator."""
        from .client import client

        return client("ivs", **{**self.client_kwargs(), **overrides})

    def async_client(self, **overrides: Any) -> AsyncIVSClient:
        """An ``AsyncIVSClient`` for this emulator."""
        from .client import async_client

        return async_client("ivs", **{**self.client_kwargs(), **overrides})

    def start_stream(self, stream_key: str) -> Dict[str, str]:
        """Simulates a broadcaster connecting with a stream key's value: the channel goes live.
        Returns ``{"channelArn": ..., "streamId": ...}``."""
        result: Dict[str, str] = self._native.start_stream(stream_key)
        return result

    def playback_url(self, playback_url: str) -> str:
        """A channel's ``playbackUrl`` as this emulator serves it (``http://127.0.0.1:PORT/...``):
        GET it to play; private channels want ``?token=<playback token>``."""
        local: str = self._native.local_playback_url(playback_url)
        return local

    def stop_stream(self, channel_arn: str) -> None:
        """Simulates the broadcaster disconnecting."""
        self._native.stop_stream(channel_arn)

    def inject_fault(
        self,
        operation: str = "*",
        count: int = 1,
        *,
        status: Optional[int] = None,
        delay: Optional[float] = None,
        reset: bool = False,
    ) -> None:
        """Makes the next ``count`` calls of ``operation`` (``"GetChannel"``, ``"get_channel"``
        or ``"*"``) answer HTTP ``status`` (429, 500, 503), wait ``delay`` seconds first, or
        lose their connection (``reset=True``)."""
        self._native.inject_fault(
            {"operation": operation, "count": count, "status": status, "delay": delay, "reset": reset}
        )

    def reset(self) -> None:
        """Forgets every resource, stream and fault."""
        self._native.reset()

    def stop(self) -> None:
        self._native.stop()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Emulator(url={self.url!r}, region={self.region!r})"
