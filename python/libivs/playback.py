"""Playback tokens for private (``authorized``) channels: ES384 JWTs with IVS's claims, signed
and verified by libivs's Rust core (RustCrypto ``p384``), and P-384 key pairs for
``import_playback_key_pair``.

>>> keys = libivs.generate_playback_key_pair()
>>> ivs.import_playback_key_pair(publicKeyMaterial=keys.public_key_pem)
>>> token = libivs.sign_playback_token(keys.private_key_pem, channel_arn=arn, expires_in=300)
>>> url = f"{channel['playbackUrl']}?token={token}"
"""

from __future__ import annotations

import datetime as _datetime

# typing costs milliseconds to import; annotations here are strings (PEP 563) for mypy only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Union

from . import _libivs

__all__ = [
    "PlaybackKeyPair",
    "generate_playback_key_pair",
    "sign_playback_token",
    "verify_playback_token",
]


class PlaybackKeyPair:
    """A P-384 key pair: ``private_key_pem`` (PKCS#8) signs tokens, ``public_key_pem`` goes to
    ``import_playback_key_pair``. Its ``repr`` never shows the private key."""

    __slots__ = ("private_key_pem", "public_key_pem")

    def __init__(self, private_key_pem: str, public_key_pem: str) -> None:
        self.private_key_pem = private_key_pem
        self.public_key_pem = public_key_pem

    def __repr__(self) -> str:
        return f"PlaybackKeyPair(private_key_pem={_libivs.REDACTED!r}, public_key_pem=...)"


def generate_playback_key_pair() -> PlaybackKeyPair:
    """A new P-384 key pair from the operating system's random source."""
    private_key_pem, public_key_pem = _libivs.generate_playback_key_pair()
    return PlaybackKeyPair(private_key_pem, public_key_pem)


def _epoch_seconds(when: Union[_datetime.datetime, int, float]) -> int:
    if isinstance(when, _datetime.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=_datetime.timezone.utc)
        return int(when.timestamp())
    return int(when)


def sign_playback_token(
    private_key_pem: str,
    channel_arn: str,
    *,
    access_control_allow_origin: Optional[str] = None,
    strict_origin_enforcement: Optional[bool] = None,
    single_use_uuid: Optional[str] = None,
    viewer_id: Optional[str] = None,
    viewer_session_version: Optional[int] = None,
    maximum_resolution: Optional[str] = None,
    expires_at: Optional[Union[_datetime.datetime, int, float]] = None,
    expires_in: Optional[Union[_datetime.timedelta, int, float]] = None,
) -> str:
    """Signs a playback token for ``channel_arn`` with a P-384 private key in PEM (PKCS#8 or
    SEC1). ``exp`` is ``expires_at`` (a datetime, naive = UTC, or Unix seconds), else now +
    ``expires_in`` (seconds or a timedelta; 600 s by default). Tokens with ``viewer_id`` or
    ``single_use_uuid`` must expire within 10 minutes, as IVS requires; ``viewer_id`` is at most
    40 characters; ``maximum_resolution`` is ``"SD"``, ``"HD"`` or ``"FULL_HD"``. Raises
    ``libivs.PlaybackTokenError`` for a bad key or claims."""
    claims: Dict[str, Any] = {"channel_arn": channel_arn}
    optional = {
        "access_control_allow_origin": access_control_allow_origin,
        "strict_origin_enforcement": strict_origin_enforcement,
        "single_use_uuid": single_use_uuid,
        "viewer_id": viewer_id,
        "viewer_session_version": viewer_session_version,
        "maximum_resolution": maximum_resolution,
    }
    claims.update({key: value for key, value in optional.items() if value is not None})
    if expires_at is not None:
        claims["expires_at"] = _epoch_seconds(expires_at)
    if expires_in is not None:
        seconds = (
            expires_in.total_seconds()
            if isinstance(expires_in, _datetime.timedelta)
            else float(expires_in)
        )
        claims["expires_in"] = seconds
    return _libivs.sign_playback_token(private_key_pem, claims)


def verify_playback_token(public_key_pem: str, token: str) -> Dict[str, Any]:
    """Checks a playback token's ES384 signature with a P-384 public key in PEM and that it has
    not expired; returns its claims by IVS's names (``aws:channel-arn``, ``exp``...). Raises
    ``libivs.PlaybackTokenError`` (``PlaybackTokenSignatureMismatch``, ``PlaybackTokenExpired``,
    ``MalformedPlaybackToken``, ``InvalidPlaybackKey``)."""
    return _libivs.verify_playback_token(public_key_pem, token)
