"""Decimal arithmetic for money and quantities, which the canonical model
carries as decimal strings (``"199.00"``, ``"2"``), never as floats.

Every function here works on :class:`decimal.Decimal`; JSON numbers are read
from their text (``json.loads(..., parse_float=Decimal)`` or
:func:`weft_sdk.json.loads`), so ``199.00`` stays ``199.00``.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any, Iterable, Optional

__all__ = ["Decimal", "parse", "from_json", "money_str", "qty_str", "fmt", "sum_of"]

#: Digits a decimal may have, as the Rust SDK's 96-bit decimals allow.
MAX_DIGITS = 28


def parse(s: Any) -> Optional[Decimal]:
    """Parses a decimal string such as ``"199.00"``, ``"-3.5"`` or
    ``"1e2"``; None for anything else (blank, ``NaN``, ``Infinity``,
    non-strings)."""
    if not isinstance(s, str):
        return None
    t = s.strip()
    if not t:
        return None
    try:
        d = Decimal(t)
    except decimal.InvalidOperation:
        return None
    if not d.is_finite() or "_" in t:
        return None
    return d


def from_json(v: Any) -> Optional[Decimal]:
    """A JSON number or numeric string as a decimal, without a float:
    strings are parsed, Decimals and ints kept; floats, booleans and
    anything else are None (parse JSON with ``parse_float=Decimal``)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, Decimal):
        return v if v.is_finite() else None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, str):
        return parse(v)
    return None


def fmt(d: Decimal, min_scale: int) -> str:
    """``d`` with at least ``min_scale`` decimals (``2`` → ``"5.00"``),
    keeping more when it has them; never in exponent form."""
    n = d.normalize()
    if n.is_zero():
        n = Decimal(0)
    exp = n.as_tuple().exponent
    if isinstance(exp, int) and -exp < min_scale:
        n = n.quantize(Decimal(1).scaleb(-min_scale))
    return format(n, "f")


def money_str(d: Decimal) -> str:
    """A money amount as the canonical model writes it: at least 2
    decimals (``199`` → ``"199.00"``, ``3.345`` kept)."""
    return fmt(d, 2)


def qty_str(d: Decimal) -> str:
    """A quantity (or percentage) without trailing zeros (``2.000`` → ``"2"``)."""
    return fmt(d, 0)


def sum_of(items: Iterable[str]) -> Optional[Decimal]:
    """The sum of decimal strings; None if any is not a decimal."""
    total = Decimal(0)
    for s in items:
        d = parse(s)
        if d is None:
            return None
        total += d
    return total


def too_large(d: Decimal) -> bool:
    """Whether ``d`` has more integer digits than the Rust SDK's decimals
    hold (an amount no real document has: refuse it rather than round)."""
    return d.adjusted() >= MAX_DIGITS
