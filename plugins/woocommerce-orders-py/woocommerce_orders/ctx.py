"""The order being mapped: errors name it (the Rust SDK's ``OrderCtx``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from weft_sdk import Invalid, money
from weft_sdk.datetime import to_rfc3339
from weft_sdk.scalar import decimal, take_trimmed


class OrderCtx:
    """Errors about order ``order_id`` say ``order {id}: …``."""

    def __init__(self, order_id: str):
        self.order_id = order_id

    def err(self, reason: str) -> Invalid:
        return Invalid(f"order {self.order_id}: {reason}")

    def money(self, value, at: str) -> Optional[Decimal]:
        """An optional decimal field; an error naming ``at`` when it is not one."""
        try:
            return decimal(value, at)
        except ValueError as e:
            raise self.err(str(e)) from None

    def timestamp(self, value, field: str, expected: str) -> Optional[str]:
        """An optional timestamp field as RFC 3339."""
        s = take_trimmed(value)
        if s is None:
            return None
        t = to_rfc3339(s)
        if t is None:
            raise self.err(f"{field} `{s}` is not a `{expected}` timestamp")
        return t

    def add(self, a: Decimal, b: Decimal, at: str) -> Decimal:
        r = a + b
        if money.too_large(r):
            raise self.err(f"amounts in {at} are too large to compute")
        return r
