"""WooCommerce order refund → ``weft.return/1`` (``return.completed``: line
items with a quantity came back) or ``weft.credit/1`` (``credit.issued``:
money only) (plugins/woocommerce-orders/src/refund.rs). The message id is
``{channel}:refund:{id}:{digest of the document}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from weft_sdk import Invalid, documents
from weft_sdk.money import money_str, qty_str
from weft_sdk.scalar import Num, as_bool, take_text, take_trimmed, text

from .common import NotAFact, OrderHint, Subject, digest, dumps, id_of, json_message, parent_order


def map_refund(raw: dict, hint: OrderHint, channel: str):
    """A refund's message, or NotAFact."""
    id = id_of(raw["id"], "refund")
    subject = Subject("refund", id)
    order_id = parent_order(subject, raw["order_id"], raw["parent_id"], raw["_links"], hint)
    at = subject.created(raw["date_created_gmt"], raw["date_created"], raw["created_at"])
    amount = subject.decimal(raw["amount"], "amount")
    if amount is None:
        raise Invalid(f"refund {id} has no `amount`")
    amount = abs(amount)
    lines = [_line(subject, i, line) for i, line in enumerate(raw["line_items"] or [])]
    shipping: Optional[Decimal] = None
    for i, s in enumerate(raw["shipping_lines"] or []):
        where = f"shipping_lines[{i}].total"
        t = subject.decimal(s["total"], where)
        if t is not None:
            shipping = subject.add(shipping if shipping is not None else Decimal(0), abs(t), where)
    reason = take_text(raw["reason"])
    source = {"document": "woocommerce.refund"}
    b = as_bool(raw["refunded_payment"])
    if b is not None:
        source["refunded_payment"] = b
    by = take_trimmed(raw["refunded_by"])
    if by is not None:
        source["refunded_by"] = by
    correlation_id = f"{channel}:{order_id}"
    returned = [ln for ln in lines if not ln["quantity"].is_zero()]
    with_money = [ln for ln in lines if ln["quantity"].is_zero()
                  and ln["amount"] is not None and not ln["amount"].is_zero()]
    if returned:
        unlinked = [ln["line_id"] for ln in returned if not ln["linked"]]
        if unlinked:
            source["unlinked_lines"] = unlinked
        credited = [{"line_id": ln["line_id"], "amount": _m(ln["amount"])} for ln in with_money]
        if credited:
            source["lines_without_quantity"] = credited
        subtotal = _sum_all(subject, [ln["amount"] for ln in returned])
        tax = _sum_all(subject, [ln["tax"] for ln in returned])
        doc = documents.return_doc(
            return_id=id, refund_id=id, order_id=order_id, channel=channel,
            correlation_id=correlation_id, returned_at=at, reason=reason,
            lines=[documents.return_line(ln["line_id"], qty_str(ln["quantity"]),
                                         documents.item_ids(sku=ln["sku"]), amount=_m(ln["amount"]))
                   for ln in returned],
            totals={"subtotal": _m(subtotal), "tax": _m(tax), "shipping": _m(shipping),
                    "total": money_str(amount)},
            source=source)
        return _emit(id, channel, correlation_id, documents.RETURN_COMPLETED, doc)
    if amount.is_zero():
        return NotAFact(f"refund {id} returns no goods (no line_items with a quantity) and "
                        "refunds no money (`amount` 0)")
    doc = documents.credit(
        credit_id=id, channel=channel, correlation_id=correlation_id, order_refs=[order_id],
        order_id=order_id, issued_at=at, amount=money_str(amount), reason=reason,
        lines=[documents.credit_line(ln["line_id"], documents.item_ids(sku=ln["sku"]),
                                     amount=_m(ln["amount"])) for ln in with_money],
        source=source)
    return _emit(id, channel, correlation_id, documents.CREDIT_ISSUED, doc)


def _m(d: Optional[Decimal]) -> Optional[str]:
    return money_str(d) if d is not None else None


def _emit(id: str, channel: str, correlation_id: str, kind: str, doc: dict):
    payload = dumps(doc).encode()
    msg = json_message(f"{channel}:refund:{id}:{digest(payload)}", correlation_id, kind, doc)
    return msg


def _line(subject: Subject, index: int, raw: dict) -> dict:
    own_id = take_trimmed(raw["id"])
    refunded = take_trimmed(raw["refunded_item_id"])
    if refunded == "0":
        refunded = None
    if refunded is None:
        for m in (raw["meta_data"] or []) + (raw["meta"] or []):
            k = text(m["key"])
            if k is not None and k.strip() == "_refunded_item_id":
                v = m["value"]
                if isinstance(v, Num):
                    r = str(v) + (".0" if v.is_float and "." not in v and "e" not in v else "")
                elif isinstance(v, str):
                    r = v.strip()
                else:
                    r = None
                refunded = r if r and r != "0" else None
                break
    linked = refunded is not None
    line_id = refunded or own_id
    if line_id is None:
        raise subject.err(f"line_items[{index}] has no `id` and no `_refunded_item_id`")
    at = lambda field: f"line_items[{index}] (line {line_id}) {field}"  # noqa: E731
    quantity = subject.decimal(raw["quantity"], at("quantity"))
    if quantity is None:
        raise subject.err(f"{at('quantity')} is missing")
    amount = subject.decimal(raw["total"], at("total"))
    if amount is None:
        amount = subject.decimal(raw["subtotal"], at("subtotal"))
    tax = subject.decimal(raw["total_tax"], at("total_tax"))
    return {"line_id": line_id, "linked": linked, "sku": take_trimmed(raw["sku"]),
            "quantity": abs(quantity), "amount": abs(amount) if amount is not None else None,
            "tax": abs(tax) if tax is not None else None}


def _sum_all(subject: Subject, values: list) -> Optional[Decimal]:
    total: Optional[Decimal] = None
    for v in values:
        if v is None:
            return None
        total = subject.add(total if total is not None else Decimal(0), v, "line_items")
    return total
