"""The "order fulfilled" milestone: a completed order becomes a
``weft.shipment/1`` (``shipment.dispatched``, ``status: fulfilled``)
without packages (plugins/woocommerce-orders/src/fulfilled.rs)."""

from __future__ import annotations

from typing import Optional

from weft_sdk import Message, documents

from .common import json_message

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def of_order(order: dict) -> Optional[Message]:
    """The milestone of a mapped order whose status is ``completed``."""
    if (order.get("status") or "").translate(_ASCII_LOWER) != "completed":
        return None
    at = order.get("source", {}).get("date_completed")
    return message(order["channel"], order["order_id"], at if isinstance(at, str) else None,
                   order.get("ship_to"),
                   {"document": "woocommerce.order", "order_status": "completed"})


def message(channel: str, order_id: str, at: Optional[str], ship_to: Optional[dict],
            source: dict) -> Message:
    """The fulfilled shipment message of a completion."""
    correlation_id = f"{channel}:{order_id}"
    id = f"{correlation_id}:fulfilled:{at}" if at is not None else f"{correlation_id}:fulfilled"
    doc = documents.shipment(
        shipment_id=f"{order_id}:fulfilled", channel=channel, correlation_id=correlation_id,
        order_refs=[order_id], status="fulfilled", shipped_at=at, ship_to=ship_to, source=source)
    return json_message(id, correlation_id, documents.SHIPMENT_DISPATCHED, doc)
