"""libivs: Amazon IVS for Python, a drop-in for ``boto3.client("ivs")``.

>>> import libivs
>>> ivs = libivs.client("ivs", region_name="us-west-2")
>>> ivs.list_channels()["channels"]

Blocking and asyncio clients (``libivs.async_client``), boto3's paginators and exceptions,
typed responses, and an embedded emulator (``libivs.Emulator``) for offline tests.
"""

from . import _libivs
from . import exceptions
from . import _base
from ._base import *  # noqa: F401,F403 - the exception classes (also libivs.exceptions.X)

_libivs._init(exceptions._make)

from .config import Config  # noqa: E402
from .client import (  # noqa: E402
    AsyncIVSClient,
    IVSClient,
    Session,
    async_client,
    client,
)
from ._logging import TRACE, set_stream_logger  # noqa: E402
from .emulator import Emulator  # noqa: E402
from .playback import (  # noqa: E402
    PlaybackKeyPair,
    generate_playback_key_pair,
    sign_playback_token,
    verify_playback_token,
)

# The workspace version (Cargo.toml), compiled into the native module: one source for all faces.
__version__: str = _libivs.__version__

__all__ = [
    "client",
    "async_client",
    "Session",
    "Config",
    "IVSClient",
    "AsyncIVSClient",
    "Emulator",
    "sign_playback_token",
    "verify_playback_token",
    "generate_playback_key_pair",
    "PlaybackKeyPair",
    "exceptions",
    "set_stream_logger",
    "TRACE",
]
__all__ += _base.__all__
