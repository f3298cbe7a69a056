"""weft source ``woocommerce-orders``, in Python: the port of
plugins/woocommerce-orders (Rust), passing the same case folder.

WooCommerce orders, order refunds and order notes (REST v3
``/wp-json/wc/v3``, the legacy REST API ``/wc-api/v2|v3``, and ``order.*``
webhook bodies) → canonical documents: per order one ``order.created`` /
``order.updated`` / ``order.cancelled`` (``weft.order/1``) and, for a
completed order, a ``shipment.dispatched`` (``weft.shipment/1``, status
``fulfilled``); per refund a ``return.completed`` (``weft.return/1``) or a
``credit.issued`` (``weft.credit/1``); per note recording a change to
Completed a ``shipment.dispatched``.

The kind of an order: status ``cancelled`` is ``order.cancelled``;
otherwise the ``x-wc-webhook-topic`` header, else the ``event`` setting.
Settings: ``channel`` (default ``woocommerce``), ``event``, ``order_id``.
Amounts are ``decimal.Decimal`` end to end, written as decimal strings.
"""

from __future__ import annotations

from typing import List

import weft_sdk as weft
from weft_sdk import Invalid, Message, documents, host
from weft_sdk.documents import Event
from weft_sdk.scalar import text

from . import fulfilled, raw as rawmod, shape
from .common import OrderHint, escape, gather, json_message
from .note import map_note
from .order import is_cancelled, map_order
from .refund import map_refund

TOPIC_HEADER = "x-wc-webhook-topic"
DEFAULT_CHANNEL = "woocommerce"
VERSION = "0.1.0"


class WooCommerceOrders(weft.Plugin):
    """The ``woocommerce-orders`` source plugin."""

    def describe(self) -> weft.Info:
        return (weft.info("woocommerce-orders", VERSION, weft.Role.SOURCE)
                .summary("WooCommerce REST v3 and legacy orders, refunds and order notes -> "
                         "canonical weft.order/1, weft.shipment/1 (fulfilled), weft.return/1, "
                         "weft.credit/1")
                .accepts(["raw"])
                .emits([documents.ORDER_CREATED, documents.ORDER_UPDATED,
                        documents.ORDER_CANCELLED, documents.SHIPMENT_DISPATCHED,
                        documents.RETURN_COMPLETED, documents.CREDIT_ISSUED])
                .build())

    def process(self, msg: Message) -> List[Message]:
        ch = (host.config("channel") or "").strip() or DEFAULT_CHANNEL
        try:
            doc = shape.read(msg.payload)
        except Invalid as e:
            raise Invalid(escape(e.reason)) from None
        if doc.kind == shape.ORDER:
            topic = msg.header(TOPIC_HEADER)
            announced = topic_event(topic) if topic is not None else Event.from_setting(host.config("event"))
            return order_messages(doc.found, announced, ch)
        hint = OrderHint(msg)
        if doc.kind == shape.REFUND:
            outcomes = _each(doc.found, rawmod.REFUND, "a WooCommerce refund object",
                             lambda r: map_refund(r, hint, ch))
        else:
            outcomes = _each(doc.found, rawmod.NOTE, "a WooCommerce order note object",
                             lambda r: map_note(r, hint, ch))
        return gather(outcomes, doc.listed)


def _each(found, spec, expecting, fn) -> list:
    out = []
    for f in found:
        try:
            r = rawmod.read(f.object, spec, expecting)
        except rawmod.ShapeError as e:
            raise Invalid(f"{f.place}payload is not of the expected shape: {e}") from None
        try:
            out.append(fn(r))
        except Invalid as e:
            raise Invalid(escape(e.prefixed(f.place).reason)) from None
    return out


def topic_event(topic: str) -> Event:
    """The event named by a webhook topic."""
    t = topic.strip().lower()
    if t == "order.created":
        return Event.CREATED
    if t in ("order.updated", "order.restored"):
        return Event.UPDATED
    if t == "order.deleted":
        return Event.CANCELLED
    raise Invalid(escape(f"header `{TOPIC_HEADER}` is `{topic}`, which is not an order topic "
                         "(expected order.created, order.updated, order.restored or order.deleted)"))


def order_messages(found, announced, channel: str) -> List[Message]:
    """Per order its ``weft.order/1`` and, when completed, its milestone;
    an order repeated in the payload is sent once."""
    out: List[Message] = []
    seen = set()
    for f in found:
        try:
            raw = rawmod.read(f.object, rawmod.ORDER, "a WooCommerce order object")
        except rawmod.ShapeError as e:
            raise Invalid(escape(f"{f.place}payload is not a WooCommerce order of the expected shape: {e}")) from None
        order_id = text(raw["id"])
        if order_id is None:
            raise Invalid(escape(f"{f.place}WooCommerce order has no `id`"))
        order_id = order_id.strip()
        event = Event.CANCELLED if is_cancelled(raw) else (announced or Event.CREATED)
        try:
            order = map_order(raw, order_id, event, channel)
        except Invalid as e:
            raise Invalid(escape(e.prefixed(f.place).reason)) from None
        at = order.get("updated_at")
        mid = (f"{order['correlation_id']}:{event.kind}:{at}" if at is not None
               else event.message_id(order["correlation_id"], None))
        msgs = [json_message(mid, order["correlation_id"], event.kind, order)]
        if event is not Event.CANCELLED:
            m = fulfilled.of_order(order)
            if m is not None:
                msgs.append(m)
        for m in msgs:
            if m.id not in seen:
                seen.add(m.id)
                out.append(m)
    return out
