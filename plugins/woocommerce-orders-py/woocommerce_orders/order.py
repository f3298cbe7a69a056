"""WooCommerce order → canonical ``weft.order/1``
(plugins/woocommerce-orders/src/map.rs).

WooCommerce states every amount without tax, so ``taxes_included`` is
false and ``total = Σ line subtotals + fees − discount_total +
shipping_total + total_tax``; fees become lines without a SKU. Legacy REST
API orders are read by the same mapping (``order_number``, ``created_at``,
``total_discount``, ``billing_address``, …)."""

from __future__ import annotations

from typing import Optional

from weft_sdk import Invalid, documents
from weft_sdk.documents import Event
from weft_sdk.money import money_str
from weft_sdk.scalar import as_bool, take_text, take_trimmed, text

from .common import with_offset
from .ctx import OrderCtx
from .lines import map_lines, order_lists

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
TIMESTAMP = "YYYY-MM-DDTHH:MM:SS"
LEGACY_TIMESTAMP = "YYYY-MM-DDTHH:MM:SSZ"


def _status_is(raw: dict, status: str) -> bool:
    t = text(raw["status"])
    return t is not None and t.strip().translate(_ASCII_LOWER) == status


def is_cancelled(raw: dict) -> bool:
    """Whether WooCommerce calls the order cancelled."""
    return _status_is(raw, "cancelled")


def is_completed(raw: dict) -> bool:
    """Whether WooCommerce calls the order completed (fulfilled)."""
    return _status_is(raw, "completed")


def woo_time(ctx: OrderCtx, gmt, gmt_name: str, local, legacy, legacy_name: str) -> Optional[str]:
    """The ``*_gmt`` time, else the local one with its offset, else the legacy one."""
    t = ctx.timestamp(gmt, gmt_name, TIMESTAMP)
    if t is not None:
        return t
    t = with_offset(local)
    if t is not None:
        return t
    return ctx.timestamp(legacy, legacy_name, LEGACY_TIMESTAMP)


def _first_money(ctx: OrderCtx, v3, v3_name: str, legacy, legacy_name: str) -> Optional[str]:
    d = ctx.money(v3, v3_name)
    if d is None:
        d = ctx.money(legacy, legacy_name)
    return money_str(d) if d is not None else None


def _address(a: Optional[dict]) -> Optional[dict]:
    if a is None:
        return None
    names = [n for n in (take_text(a["first_name"]), take_text(a["last_name"])) if n]
    return documents.address(
        name=" ".join(names) or None, company=take_text(a["company"]),
        address_lines=[x for x in (take_text(a["address_1"]), take_text(a["address_2"])) if x],
        city=take_text(a["city"]), region=take_text(a["state"]),
        postal_code=take_trimmed(a["postcode"]), country=take_trimmed(a["country"]),
        phone=take_trimmed(a["phone"]))


def map_order(raw: dict, order_id: str, event: Event, channel: str) -> dict:
    """Maps one order; ``order_id`` is its (present, non-blank) ``id``."""
    ctx = OrderCtx(order_id)
    completed = is_completed(raw)
    items = raw["line_items"] or []
    if not items and event is not Event.CANCELLED:
        raise Invalid(f"order {order_id} has no `line_items` (an {event.kind} needs at least one line)")
    source: dict = {}
    lines, subtotal = map_lines(ctx, items, raw["fee_lines"] or [], source)
    tax = ctx.money(raw["total_tax"], "total_tax")
    total = ctx.money(raw["total"], "total")
    totals = documents.totals(
        subtotal=money_str(subtotal) if subtotal is not None else None,
        discount=_first_money(ctx, raw["discount_total"], "discount_total",
                              raw["total_discount"], "total_discount"),
        shipping=_first_money(ctx, raw["shipping_total"], "shipping_total",
                              raw["total_shipping"], "total_shipping"),
        tax=money_str(tax) if tax is not None else None,
        total=money_str(total) if total is not None else None)
    if totals:
        totals["taxes_included"] = False
    source["document"] = "woocommerce.order"
    payment = raw["payment_details"] or dict.fromkeys(["method_id", "method_title", "paid", "transaction_id"])
    legacy_completed = raw["completed_at"] if completed else None
    date_completed = woo_time(ctx, raw["date_completed_gmt"], "date_completed_gmt",
                              raw["date_completed"], legacy_completed, "completed_at")
    for key, value in [
        ("status", take_trimmed(raw["status"])),
        ("created_via", take_trimmed(raw["created_via"])),
        ("payment_method", take_trimmed(raw["payment_method"]) or take_trimmed(payment["method_id"])),
        ("payment_method_title", take_text(raw["payment_method_title"]) or take_text(payment["method_title"])),
        ("customer_note", take_text(raw["customer_note"]) or take_text(raw["note"])),
        ("date_paid", ctx.timestamp(raw["date_paid_gmt"], "date_paid_gmt", TIMESTAMP)),
        ("date_completed", date_completed),
        ("total_line_items_quantity", take_trimmed(raw["total_line_items_quantity"])),
    ]:
        if value is not None:
            source[key] = value
    for key, flag in [("prices_include_tax", raw["prices_include_tax"]), ("paid", payment["paid"])]:
        b = as_bool(flag)
        if b is not None:
            source[key] = b
    source.update(order_lists(ctx, raw["shipping_lines"] or [], raw["tax_lines"] or [],
                              raw["coupon_lines"] or [], raw["refunds"] or []))
    references = {}
    for key, field in [("order_key", raw["order_key"]),
                       ("transaction_id", raw["transaction_id"] if raw["transaction_id"] is not None
                        else payment["transaction_id"])]:
        v = take_trimmed(field)
        if v is not None:
            references[key] = v
    p = take_trimmed(raw["parent_id"])
    if p is not None and p != "0":
        references["parent_id"] = p
    billing = raw["billing"] if raw["billing"] is not None else raw["billing_address"]
    bill_to = _address(billing)
    email = take_trimmed(billing["email"]) if billing is not None else None
    cid = take_trimmed(raw["customer_id"])
    customer = documents.customer(
        id=cid if cid != "0" else None,
        name=(bill_to or {}).get("name"), email=email, phone=(bill_to or {}).get("phone"))
    shipping = raw["shipping"] if raw["shipping"] is not None else raw["shipping_address"]
    ordered_at = woo_time(ctx, raw["date_created_gmt"], "date_created_gmt", raw["date_created"],
                          raw["created_at"], "created_at")
    updated_at = woo_time(ctx, raw["date_modified_gmt"], "date_modified_gmt", raw["date_modified"],
                          raw["updated_at"], "updated_at")
    return documents.order(
        order_id=order_id,
        order_number=take_trimmed(raw["number"]) or take_trimmed(raw["order_number"]),
        channel=channel, correlation_id=f"{channel}:{order_id}", purpose=event.purpose,
        status=take_trimmed(raw["status"]), ordered_at=ordered_at, updated_at=updated_at,
        currency=take_trimmed(raw["currency"]), customer=customer, bill_to=bill_to,
        ship_to=_address(shipping), lines=lines, totals=totals, references=references,
        source=source)
