"""libivs's log records in the standard :mod:`logging` module.

Records arrive under the ``libivs`` logger and its children by area: ``libivs.client`` (one
record per call: operation, HTTP status, request id, attempts, duration, error code),
``libivs.http`` (one per attempt), ``libivs.retry`` (one per retry, with its delay),
``libivs.sdk`` and ``libivs.sdk.http`` (what the AWS SDK for Rust underneath logs: credentials,
retry decisions, connections). libivs's fields are also attributes of each ``LogRecord``
(``record.operation``, ``record.status``, ``record.request_id``, ``record.attempt``...).

The native side asks for nothing below the most verbose level set on any ``libivs`` logger, so a
silent ``libivs`` logger costs no formatting. That level is recomputed whenever a logger's level
changes (``Logger.setLevel``, ``logging.disable``, ``dictConfig`` all clear the logging module's
level cache, which is where libivs listens). No record ever holds a secret: credentials,
stream-key values, SRT passphrases and metadata are cut out natively, TRACE included.
"""

import logging
from typing import Any, Dict, List, Optional, Tuple

from . import _libivs

#: The level of the AWS SDK's most detailed records (below ``logging.DEBUG``).
TRACE = 5
if logging.getLevelName(TRACE) == f"Level {TRACE}":
    logging.addLevelName(TRACE, "TRACE")

_ROOT = "libivs"
# The native levels (1 error ... 5 trace) and logging's.
_TO_LOGGING = {1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO, 4: logging.DEBUG, 5: TRACE}


def _native_level(level: int) -> Optional[int]:
    if level <= TRACE:
        return 5
    if level <= logging.DEBUG:
        return 4
    if level <= logging.INFO:
        return 3
    if level <= logging.WARNING:
        return 2
    if level <= logging.ERROR:
        return 1
    return None


def _wanted() -> Optional[int]:
    """The most verbose native level any ``libivs`` logger lets through now, or None."""
    manager = logging.Logger.manager
    loggers = [logging.getLogger(_ROOT)]
    for name, logger in list(manager.loggerDict.items()):
        if name.startswith(_ROOT + ".") and isinstance(logger, logging.Logger):
            loggers.append(logger)
    enabled = [logger.getEffectiveLevel() for logger in loggers if not logger.disabled]
    if not enabled:
        return None
    # logging.disable(N) silences every level up to N.
    return _native_level(max(min(enabled), manager.disable + 1))


def _refresh() -> None:
    _libivs._set_log_level(_wanted())


def _emit(batch: List[Tuple[int, str, str, Dict[str, Any], float]]) -> None:
    """Hands native records to their loggers (called with a batch as a libivs call returns)."""
    for native_level, name, message, fields, created in batch:
        level = _TO_LOGGING.get(native_level, logging.DEBUG)
        logger = logging.getLogger(name)
        if not logger.isEnabledFor(level):
            continue
        record = logger.makeRecord(name, level, "(libivs)", 0, message, (), None, extra=fields)
        record.created = created
        record.msecs = (created - int(created)) * 1000
        record.relativeCreated = (created - logging._startTime) * 1000  # type: ignore[attr-defined]
        logger.handle(record)


def _listen() -> None:
    """Recomputes the wanted level whenever logging clears its level cache."""
    manager = logging.Logger.manager
    original = manager._clear_cache  # type: ignore[attr-defined]
    if getattr(original, "_libivs", False):
        return

    def clear_cache() -> None:
        original()
        _refresh()

    clear_cache._libivs = True  # type: ignore[attr-defined]
    manager._clear_cache = clear_cache  # type: ignore[attr-defined]


# As boto3 does: with no handler configured, a library's warnings stay silent (logging's
# last-resort handler would print them to stderr).
logging.getLogger(_ROOT).addHandler(logging.NullHandler())
_libivs._set_log_emitter(_emit)
_listen()
_refresh()


def set_stream_logger(
    name: str = "libivs", level: int = logging.DEBUG, format_string: Optional[str] = None
) -> None:
    """Adds a stream handler for ``name`` at ``level`` (``boto3.set_stream_logger``'s twin).

    >>> import logging, libivs
    >>> libivs.set_stream_logger("libivs", logging.DEBUG)
    """
    if format_string is None:
        format_string = "%(asctime)s %(name)s [%(levelname)s] %(message)s"
    logger = logging.getLogger(name)
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(format_string))
    logger.addHandler(handler)
