"""Line items and fees → canonical lines; the order's shipping, tax,
coupon and refund lists → ``source`` (plugins/woocommerce-orders/src/map/lines.rs).

``unit_price = subtotal / quantity`` (rounded half-even to 4 decimals when
it does not divide evenly), ``discount = subtotal − total``."""

from __future__ import annotations

import decimal as _decimal
from decimal import Decimal
from typing import List, Optional, Tuple

from weft_sdk import documents, money
from weft_sdk.money import money_str, qty_str
from weft_sdk.scalar import as_str, take_text, take_trimmed
from weft_sdk.text import decode_entities

from .ctx import OrderCtx

UNIT_PRICE_DECIMALS = 4
_EXACT = _decimal.Context(prec=60)


def _div(a: Decimal, b: Decimal) -> Decimal:
    """``a / b`` rounded half-even to 4 decimals (exact when it divides)."""
    q = _EXACT.divide(a, b)
    if -q.as_tuple().exponent > UNIT_PRICE_DECIMALS:
        q = q.quantize(Decimal(1).scaleb(-UNIT_PRICE_DECIMALS), rounding=_decimal.ROUND_HALF_EVEN)
    return q


def _decoded(v):
    if isinstance(v, str) and not getattr(v, "is_number", False):
        return decode_entities(v)
    if isinstance(v, list):
        return [_decoded(x) for x in v]
    if isinstance(v, dict):
        return {k: _decoded(x) for k, x in v.items()}
    return v


def map_lines(ctx: OrderCtx, items: list, fees: list, source: dict) -> Tuple[list, Optional[Decimal]]:
    """The lines (items, then fees) and Σ line subtotals and fees (while known)."""
    lines: List[dict] = []
    subtotal: Optional[Decimal] = Decimal(0)
    for index, raw in enumerate(items):
        line_id = take_trimmed(raw["id"]) or str(index + 1)
        at = lambda field, i=index, lid=line_id: f"line_items[{i}] (id {lid}) {field}"  # noqa: E731
        q = raw["quantity"]
        qs = as_str(q) if q is not None else None
        if qs is None or not qs.strip():
            raise ctx.err(f"line_items[{index}] (id {line_id}) has no quantity")
        quantity = money.parse(qs)
        if quantity is None:
            raise ctx.err(f"{at('quantity')} `{qs}` is not a decimal")
        sub = ctx.money(raw["subtotal"], at("subtotal"))
        total = ctx.money(raw["total"], at("total"))
        price = ctx.money(raw["price"], at("price"))
        if sub is not None and not quantity.is_zero():
            unit_price = _div(sub, quantity)
        else:
            unit_price = price
        discount = sub - total if sub is not None and total is not None else None
        extended = sub if sub is not None else (unit_price * quantity if unit_price is not None else None)
        total = total if total is not None else extended
        if subtotal is not None and extended is not None:
            subtotal = ctx.add(subtotal, extended, at("subtotal"))
        else:
            subtotal = None
        visible = {}
        for m in (raw["meta_data"] or []) + (raw["meta"] or []):
            key = take_trimmed(m["key"])
            if key is not None and not key.startswith("_"):
                visible[key] = _decoded(m["value"])
        tax = ctx.money(raw["total_tax"], at("total_tax"))
        lines.append(documents.order_line(
            line_id, qty_str(quantity), sku=take_trimmed(raw["sku"]),
            description=take_text(raw["name"]),
            unit_price=money_str(unit_price) if unit_price is not None else None,
            discount=money_str(discount) if discount is not None else None,
            tax=money_str(tax) if tax is not None else None,
            total=money_str(total) if total is not None else None,
            attributes={"meta_data": visible} if visible else None))
    fee_ids = []
    for index, fee in enumerate(fees):
        line_id = take_trimmed(fee["id"]) or f"fee-{index + 1}"
        name = take_text(fee["name"]) or take_text(fee["title"])
        at = lambda field, i=index, lid=line_id: f"fee_lines[{i}] (id {lid}) {field}"  # noqa: E731
        amount = ctx.money(fee["total"], at("total"))
        if subtotal is not None and amount is not None and not money.too_large(subtotal + amount):
            subtotal = subtotal + amount
        else:
            subtotal = None
        fee_ids.append(line_id)
        tax = ctx.money(fee["total_tax"], at("total_tax"))
        lines.append(documents.order_line(
            line_id, "1", sku=None, description=name,
            unit_price=money_str(amount) if amount is not None else None,
            tax=money_str(tax) if tax is not None else None,
            total=money_str(amount) if amount is not None else None))
    if not lines:
        subtotal = None
    if fee_ids:
        source["fee_lines"] = fee_ids
    return lines, subtotal


def order_lists(ctx: OrderCtx, shipping: list, taxes: list, coupons: list, refunds: list) -> dict:
    """The shipping methods, tax rates, coupons and refunded amount, for ``source``."""
    out = {}

    def m(v, at):
        d = ctx.money(v, at)
        return money_str(d) if d is not None else None

    def drop_none(d):
        return {k: v for k, v in d.items() if v is not None}

    listed = [drop_none({"method_id": take_trimmed(s["method_id"]),
                         "method_title": take_text(s["method_title"]),
                         "total": m(s["total"], f"shipping_lines[{i}].total")})
              for i, s in enumerate(shipping)]
    if listed:
        out["shipping_lines"] = listed
    listed = []
    for i, t in enumerate(taxes):
        tax_total = m(t["tax_total"], f"tax_lines[{i}].tax_total")
        if tax_total is None:
            tax_total = m(t["total"], f"tax_lines[{i}].total")
        listed.append(drop_none({
            "rate_code": take_trimmed(t["rate_code"]) or take_trimmed(t["code"]),
            "label": take_text(t["label"]) or take_text(t["title"]),
            "tax_total": tax_total,
            "shipping_tax_total": m(t["shipping_tax_total"], f"tax_lines[{i}].shipping_tax_total"),
        }))
    if listed:
        out["tax_lines"] = listed
    listed = []
    for i, c in enumerate(coupons):
        discount = m(c["discount"], f"coupon_lines[{i}].discount")
        if discount is None:
            discount = m(c["amount"], f"coupon_lines[{i}].amount")
        listed.append(drop_none({"code": take_text(c["code"]), "discount": discount}))
    if listed:
        out["coupons"] = listed
    if refunds:
        total = Decimal(0)
        for i, r in enumerate(refunds):
            d = ctx.money(r["total"], f"refunds[{i}].total")
            if d is not None:
                total = total + abs(d)
                if money.too_large(total):
                    raise ctx.err("amounts in refunds are too large to compute")
        out["refunded"] = money_str(total)
    return out
