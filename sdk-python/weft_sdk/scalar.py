"""Lenient JSON scalars, as channel APIs send them: the same field may be
a string, a number or a boolean (``"165"``, ``165``, ``true``). Mirrors the
Rust SDK's ``scalar``: a field is None (absent or null) or a scalar; its
text is what mappings read.

Parse channel documents with :func:`loads`: numbers become :class:`Num`
(a ``str`` holding the number as the Rust SDK writes it), never floats.
"""

from __future__ import annotations

import json as _json
from decimal import Decimal
from typing import Any, Optional

from . import money
from .json import JsonError, diagnose
from .text import decode_entities

_U64 = 1 << 64
_I64 = 1 << 63


class Num(str):
    """A JSON number's text; ``is_float`` when it had a fraction or exponent."""

    is_number = True
    is_float = False


def _float_text(s: str) -> Num:
    """A float's text as Rust prints an f64: shortest round trip, no exponent."""
    f = float(s)
    t = format(Decimal(repr(f)), "f")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    n = Num("-0" if t == "0" and str(f).startswith("-") else t)
    n.is_float = True
    return n


def _int_text(s: str) -> Num:
    i = int(s)
    if -_I64 <= i < _U64:
        return Num(str(i))
    return _float_text(s)


def loads(data) -> Any:
    """Parses a channel document: numbers as :class:`Num`; raises
    :class:`weft_sdk.json.JsonError` with the Rust SDK's wording."""
    try:
        text = bytes(data).decode("utf-8") if not isinstance(data, str) else data
    except UnicodeDecodeError:
        raise JsonError("invalid unicode code point at line 1 column 1") from None
    try:
        return _json.loads(text, parse_float=_float_text, parse_int=_int_text,
                           parse_constant=_refuse)
    except (ValueError, RecursionError):
        raise JsonError(diagnose(text)) from None


def _refuse(name: str):
    raise ValueError(name)


def is_scalar(v: Any) -> bool:
    """Whether ``v`` reads as a field (string, number or boolean)."""
    return isinstance(v, (str, bool))


def as_str(v: Any) -> str:
    """A scalar's text (booleans as ``true`` / ``false``)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def as_bool(v: Any) -> Optional[bool]:
    """A scalar as a boolean: true/false, and "true"/"1"/"false"/"0"."""
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    t = str(v).strip()
    return True if t in ("true", "1") else False if t in ("false", "0") else None


def text(f: Any) -> Optional[str]:
    """The text of a field, None when absent or blank."""
    if f is None:
        return None
    s = as_str(f)
    return s if s.strip() else None


def take_trimmed(f: Any) -> Optional[str]:
    """The trimmed text of a field, None when absent or blank."""
    if f is None:
        return None
    s = as_str(f).strip()
    return s or None


def take_text(f: Any) -> Optional[str]:
    """Trimmed text with HTML references decoded, None when blank."""
    s = take_trimmed(f)
    if s is None:
        return None
    return decode_entities(s).strip() or None


def decimal(value: Any, at: str) -> Optional[Decimal]:
    """An optional decimal field: None when absent or blank; raises
    ValueError(``{at} `{s}` is not a decimal``) when it is not one."""
    if value is None:
        return None
    s = as_str(value)
    if not s.strip():
        return None
    d = money.parse(s)
    if d is None:
        raise ValueError(f"{at} `{s}` is not a decimal")
    return d
