"""Canonical documents (``schemas/``): builders that write each document's
fields in the Rust SDK's order and leave out what the Rust SDK leaves out
(absent optional fields, empty maps), so the same mapping gives the same
bytes in any language. The host checks canonical outputs against
``schemas/`` at run time, and ``weft plugin test`` does the same with a
plugin's case folder.

Money and quantities are decimal strings (:func:`weft_sdk.money.money_str`).
"""

from __future__ import annotations

import enum
from typing import Any, Dict, List, Optional

from .message import Invalid

ORDER_SCHEMA = "weft.order/1"
SHIPMENT_SCHEMA = "weft.shipment/1"
RETURN_SCHEMA = "weft.return/1"
CREDIT_SCHEMA = "weft.credit/1"
INVOICE_SCHEMA = "weft.invoice/1"

#: Message kinds.
ORDER_CREATED = "order.created"
ORDER_UPDATED = "order.updated"
ORDER_CANCELLED = "order.cancelled"
SHIPMENT_DISPATCHED = "shipment.dispatched"
RETURN_COMPLETED = "return.completed"
CREDIT_ISSUED = "credit.issued"
INVOICE_POSTED = "invoice.posted"


class Event(enum.Enum):
    """What change a source document announces about an order."""

    CREATED = (ORDER_CREATED, "original")
    UPDATED = (ORDER_UPDATED, "replace")
    CANCELLED = (ORDER_CANCELLED, "cancel")

    @property
    def kind(self) -> str:
        """The message kind."""
        return self.value[0]

    @property
    def purpose(self) -> str:
        """The canonical ``purpose``."""
        return self.value[1]

    @staticmethod
    def from_setting(value: Optional[str]) -> "Optional[Event]":
        """The event the ``event`` setting names (``created``, ``updated``,
        with or without ``order.``); None when unset."""
        if value is None:
            return None
        v = value.strip().lower()
        if v in ("", "created", "order.created"):
            return Event.CREATED
        if v in ("updated", "order.updated"):
            return Event.UPDATED
        raise Invalid(f"config `event`: expected `created` or `updated`, got `{v}`")

    def message_id(self, correlation_id: str, stamp: Optional[str]) -> str:
        """``{correlation_id}:{kind}``, plus ``:{stamp}`` for an update."""
        if self is Event.UPDATED and stamp is not None:
            return f"{correlation_id}:{self.kind}:{stamp}"
        return f"{correlation_id}:{self.kind}"


def _doc(fields: List[tuple]) -> Dict[str, Any]:
    """A document from ``(key, value, keep)`` in order: a value that is
    None, or an empty dict or list, is left out unless ``keep``."""
    out: Dict[str, Any] = {}
    for key, value, keep in fields:
        if keep or not (value is None or (isinstance(value, (dict, list)) and not value)):
            out[key] = value
    return out


def address(name=None, company=None, address_lines=(), city=None, region=None,
            postal_code=None, country=None, phone=None) -> Optional[Dict[str, Any]]:
    """An address; None when every part is empty."""
    a = _doc([("name", name, False), ("company", company, False),
              ("address_lines", list(address_lines), False), ("city", city, False),
              ("region", region, False), ("postal_code", postal_code, False),
              ("country", country, False), ("phone", phone, False)])
    return a or None


def customer(id=None, name=None, email=None, phone=None, erp_account=None) -> Optional[Dict[str, Any]]:
    """A customer; None when every part is empty."""
    c = _doc([("id", id, False), ("name", name, False), ("email", email, False),
              ("phone", phone, False), ("erp_account", erp_account, False)])
    return c or None


def order_line(line_id: str, quantity: str, sku=None, gtin=None, buyer_part=None,
               vendor_part=None, description=None, uom=None, unit_price=None, discount=None,
               tax=None, total=None, erp_item=None, attributes=None) -> Dict[str, Any]:
    """A ``weft.order/1`` line (``sku`` is always written, null when unknown)."""
    return _doc([("line_id", line_id, True), ("sku", sku, True), ("gtin", gtin, False),
                 ("buyer_part", buyer_part, False), ("vendor_part", vendor_part, False),
                 ("description", description, False), ("quantity", quantity, True),
                 ("uom", uom, False), ("unit_price", unit_price, False),
                 ("discount", discount, False), ("tax", tax, False), ("total", total, False),
                 ("erp_item", erp_item, False), ("attributes", dict(sorted((attributes or {}).items())), False)])


def totals(subtotal=None, discount=None, shipping=None, tax=None, other_charges=None,
           total=None, taxes_included=None) -> Dict[str, Any]:
    """An order's totals."""
    return _doc([("subtotal", subtotal, False), ("discount", discount, False),
                 ("shipping", shipping, False), ("tax", tax, False),
                 ("other_charges", other_charges, False), ("total", total, False),
                 ("taxes_included", taxes_included, False)])


def order(order_id: str, channel: str, correlation_id: str, purpose: str, lines: list,
          totals: dict, order_number=None, status=None, ordered_at=None, updated_at=None,
          cancelled_at=None, cancel_reason=None, requested_ship_at=None, currency=None,
          customer=None, bill_to=None, ship_to=None, references=None, source=None) -> Dict[str, Any]:
    """A ``weft.order/1`` document."""
    return _doc([("schema", ORDER_SCHEMA, True), ("order_id", order_id, True),
                 ("order_number", order_number, False), ("channel", channel, True),
                 ("correlation_id", correlation_id, True), ("purpose", purpose, True),
                 ("status", status, False), ("ordered_at", ordered_at, False),
                 ("updated_at", updated_at, False), ("cancelled_at", cancelled_at, False),
                 ("cancel_reason", cancel_reason, False),
                 ("requested_ship_at", requested_ship_at, False), ("currency", currency, False),
                 ("customer", customer, False), ("bill_to", bill_to, False),
                 ("ship_to", ship_to, False), ("lines", lines, True), ("totals", totals, True),
                 ("references", dict(sorted((references or {}).items())), False),
                 ("source", dict(sorted((source or {}).items())), False)])


def item_ids(sku=None, gtin=None, buyer_part=None, vendor_part=None, erp_item=None,
             attributes=None) -> List[tuple]:
    """The item identifiers a line carries inline (flattened)."""
    return [("sku", sku, False), ("gtin", gtin, False), ("buyer_part", buyer_part, False),
            ("vendor_part", vendor_part, False), ("erp_item", erp_item, False),
            ("attributes", dict(sorted((attributes or {}).items())), False)]


def shipment(shipment_id: str, channel: str, correlation_id: str, order_refs: list,
             purpose=None, status=None, shipped_at=None, delivered_at=None, cancelled_at=None,
             created_at=None, expected_at=None, carrier=None, tracking=(), ship_to=None,
             ship_from=None, parties=(), package_count=None, weight=None, packages=(),
             references=None, source=None) -> Dict[str, Any]:
    """A ``weft.shipment/1`` document."""
    return _doc([("schema", SHIPMENT_SCHEMA, True), ("shipment_id", shipment_id, True),
                 ("channel", channel, True), ("correlation_id", correlation_id, True),
                 ("purpose", purpose, False), ("order_refs", list(order_refs), True),
                 ("status", status, False), ("shipped_at", shipped_at, False),
                 ("delivered_at", delivered_at, False), ("cancelled_at", cancelled_at, False),
                 ("created_at", created_at, False), ("expected_at", expected_at, False),
                 ("carrier", carrier, False), ("tracking", list(tracking), True),
                 ("ship_to", ship_to, False), ("ship_from", ship_from, False),
                 ("parties", list(parties), False), ("package_count", package_count, False),
                 ("weight", weight, False), ("packages", list(packages), True),
                 ("references", dict(sorted((references or {}).items())), False),
                 ("source", dict(sorted((source or {}).items())), False)])


def return_line(line_id: str, quantity: str, item: List[tuple], amount=None, restock=None,
                reason=None) -> Dict[str, Any]:
    """A ``weft.return/1`` line; ``item`` from :func:`item_ids`."""
    return _doc([("line_id", line_id, True)] + item + [
        ("quantity", quantity, True), ("amount", amount, False), ("restock", restock, False),
        ("reason", reason, False)])


def return_doc(return_id: str, order_id: str, channel: str, correlation_id: str, lines: list,
               totals: dict, refund_id=None, returned_at=None, status=None, authorized_at=None,
               currency=None, reason=None, references=None, source=None) -> Dict[str, Any]:
    """A ``weft.return/1`` document (``totals``: subtotal, tax, shipping, total)."""
    t = _doc([(k, totals.get(k), False) for k in ("subtotal", "tax", "shipping", "total")])
    return _doc([("schema", RETURN_SCHEMA, True), ("return_id", return_id, True),
                 ("refund_id", refund_id, False), ("order_id", order_id, True),
                 ("channel", channel, True), ("correlation_id", correlation_id, True),
                 ("returned_at", returned_at, False), ("status", status, False),
                 ("authorized_at", authorized_at, False), ("currency", currency, False),
                 ("reason", reason, False), ("lines", lines, True), ("totals", t, True),
                 ("references", dict(sorted((references or {}).items())), False),
                 ("source", dict(sorted((source or {}).items())), False)])


def credit_line(line_id: str, item: List[tuple], quantity=None, amount=None) -> Dict[str, Any]:
    """A ``weft.credit/1`` line; ``item`` from :func:`item_ids`."""
    return _doc([("line_id", line_id, True)] + item + [
        ("quantity", quantity, False), ("amount", amount, False)])


def credit(credit_id: str, channel: str, correlation_id: str, order_refs: list, issued_at: str,
           amount: str, order_id=None, currency=None, reason=None, lines=(),
           source=None) -> Dict[str, Any]:
    """A ``weft.credit/1`` document."""
    return _doc([("schema", CREDIT_SCHEMA, True), ("credit_id", credit_id, True),
                 ("channel", channel, True), ("correlation_id", correlation_id, True),
                 ("order_id", order_id, False), ("order_refs", list(order_refs), True),
                 ("issued_at", issued_at, True), ("currency", currency, False),
                 ("amount", amount, True), ("reason", reason, False),
                 ("lines", list(lines), False),
                 ("source", dict(sorted((source or {}).items())), False)])


def party(role: str, id=None, id_qualifier=None, address=None) -> Dict[str, Any]:
    """A party of a document (``buyer``, ``seller``, ``remit_to`` …)."""
    return _doc([("role", role, True), ("id", id, False), ("id_qualifier", id_qualifier, False),
                 ("address", address, False)])


def charge(kind: str, code=None, description=None, amount=None, percent=None) -> Dict[str, Any]:
    """A charge or allowance (``kind``: ``charge`` or ``allowance``)."""
    return _doc([("kind", kind, True), ("code", code, False), ("description", description, False),
                 ("amount", amount, False), ("percent", percent, False)])


def terms(code=None, discount_percent=None, discount_days=None, net_days=None, due_date=None,
          description=None) -> Optional[Dict[str, Any]]:
    """Payment terms; None when every part is empty."""
    t = _doc([("code", code, False), ("discount_percent", discount_percent, False),
              ("discount_days", discount_days, False), ("net_days", net_days, False),
              ("due_date", due_date, False), ("description", description, False)])
    return t or None


def invoice_line(line_id: str, quantity: str, item: List[tuple], description=None, uom=None,
                 unit_price=None, total=None, charges=()) -> Dict[str, Any]:
    """A ``weft.invoice/1`` line; ``item`` from :func:`item_ids`."""
    return _doc([("line_id", line_id, True)] + item + [
        ("description", description, False), ("quantity", quantity, True), ("uom", uom, False),
        ("unit_price", unit_price, False), ("total", total, False),
        ("charges", list(charges), False)])


def invoice_totals(subtotal=None, allowances=None, charges=None, tax=None,
                   total=None) -> Dict[str, Any]:
    """An invoice's totals."""
    return _doc([("subtotal", subtotal, False), ("allowances", allowances, False),
                 ("charges", charges, False), ("tax", tax, False), ("total", total, False)])


def invoice(invoice_id: str, channel: str, correlation_id: str, order_refs: list, lines: list,
            totals: dict, purpose=None, invoice_date=None, currency=None, bill_to=None,
            ship_to=None, parties=(), charges=(), terms=None, references=None,
            source=None) -> Dict[str, Any]:
    """A ``weft.invoice/1`` document."""
    return _doc([("schema", INVOICE_SCHEMA, True), ("invoice_id", invoice_id, True),
                 ("channel", channel, True), ("correlation_id", correlation_id, True),
                 ("purpose", purpose, False), ("invoice_date", invoice_date, False),
                 ("order_refs", list(order_refs), True), ("currency", currency, False),
                 ("bill_to", bill_to, False), ("ship_to", ship_to, False),
                 ("parties", list(parties), False), ("lines", list(lines), True),
                 ("charges", list(charges), True), ("terms", terms, False),
                 ("totals", totals, True),
                 ("references", dict(sorted((references or {}).items())), False),
                 ("source", dict(sorted((source or {}).items())), False)])
