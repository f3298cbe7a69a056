"""The host imports: logging, per-deployment configuration, master-data
lookups and counters (``weft:plugin/host``).

Inside a component these call the host. Run natively (unit tests of the
mapping code), they use a stand-in filled with :func:`set_config`,
:func:`set_lookup` and :func:`set_sequence`, reset by :func:`reset`.
"""

from __future__ import annotations

import sys
from typing import Dict, Optional, Tuple

from .message import Invalid, Retryable

try:  # Inside a component: the bindings componentize-py generated.
    from wit_world.imports import host as _wit  # type: ignore
except ImportError:  # Natively: the stand-in below.
    _wit = None

#: Log levels, as the WIT ``log-level`` enum names them.
LEVELS = ("trace", "debug", "info", "warn", "error")

_config: Dict[str, str] = {}
_lookup: Dict[Tuple[str, str], str] = {}
_sequences: Dict[str, int] = {}


def log(level: str, message: str) -> None:
    """Writes a log line into the host's log (``level`` one of LEVELS)."""
    if level not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}, not {level!r}")
    if _wit is not None:
        _wit.log(_wit.LogLevel[level.upper()], message)
    else:
        print(f"[{level}] {message}", file=sys.stderr)


def config(key: str) -> Optional[str]:
    """A per-deployment setting, None when unset."""
    if _wit is not None:
        return _wit.config(key)
    return _config.get(key)


def config_bool(key: str, default: bool) -> bool:
    """A setting read as a boolean (true/false/1/0/yes/no/on/off); raises
    :class:`Invalid` on anything else, ``default`` when unset."""
    v = config(key)
    if v is None:
        return default
    t = v.strip().lower()
    if t in ("true", "1", "yes", "on"):
        return True
    if t in ("false", "0", "no", "off"):
        return False
    raise Invalid(f"config `{key}`: expected true or false, got `{t}`")


def lookup(table: str, key: str) -> Optional[str]:
    """The value under ``key`` in lookup table ``table``, None if absent."""
    if _wit is not None:
        return _wit.lookup(table, key)
    return _lookup.get((table, key))


def next_sequence(name: str) -> int:
    """The next value (1, 2, 3, …) of host counter ``name``; raises
    :class:`Retryable` when the host cannot reach its counter store."""
    if _wit is not None:
        try:
            return _wit.next_sequence(name)
        except Exception as e:  # componentize-py raises Err(value)
            reason = getattr(e, "value", e)
            raise Retryable(f"counter `{name}` unavailable: {reason}") from None
    _sequences[name] = _sequences.get(name, 0) + 1
    return _sequences[name]


def set_config(key: str, value: Optional[str]) -> None:
    """Stand-in only: sets (or with None removes) a config value."""
    if value is None:
        _config.pop(key, None)
    else:
        _config[key] = value


def set_lookup(table: str, key: str, value: str) -> None:
    """Stand-in only: sets a lookup entry."""
    _lookup[(table, key)] = value


def set_sequence(name: str, last: int) -> None:
    """Stand-in only: the next :func:`next_sequence` of ``name`` is last + 1."""
    _sequences[name] = last


def reset() -> None:
    """Stand-in only: forgets every config value, lookup entry and counter."""
    _config.clear()
    _lookup.clear()
    _sequences.clear()
