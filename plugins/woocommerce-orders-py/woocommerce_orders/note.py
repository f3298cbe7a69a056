"""WooCommerce order note → the fulfilled milestone when it records a
status change to Completed; nothing for other notes
(plugins/woocommerce-orders/src/note.rs)."""

from __future__ import annotations

from typing import Optional, Tuple

from weft_sdk.scalar import as_bool, take_trimmed
from weft_sdk.text import clip, decode_entities

from . import fulfilled
from .common import NotAFact, OrderHint, Subject, id_of, parent_order


def map_note(raw: dict, hint: OrderHint, channel: str):
    """A note's message, or NotAFact."""
    id = id_of(raw["id"], "order note")
    subject = Subject("order note", id)
    t = take_trimmed(raw["note"])
    note_text = decode_entities(t) if t is not None else ""
    if as_bool(raw["customer_note"]):
        return NotAFact(f"order note {id} is a note to the customer, not a status change")
    change = status_change(note_text)
    if change is None:
        return NotAFact(f"order note {id} is not a status change (`{clip(note_text, 80)}`)")
    frm, to = change
    if to.translate(_ASCII_LOWER) not in ("completed", "wc-completed"):
        return NotAFact(f"order note {id} changes the status to {to}, not to Completed")
    order_id = parent_order(subject, raw["order_id"], None, raw["_links"], hint)
    at = subject.created(raw["date_created_gmt"], raw["date_created"], raw["created_at"])
    source = {"document": "woocommerce.order_note", "note_id": id, "status_from": frm,
              "status_to": to}
    return fulfilled.message(channel, order_id, at, None, source)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def status_change(note: str) -> Optional[Tuple[str, str]]:
    """``(from, to)`` of "… status changed from X to Y." (the last such sentence)."""
    mark = "status changed from "
    lower = note.translate(_ASCII_LOWER)
    i = lower.rfind(mark)
    if i < 0:
        return None
    start = i + len(mark)
    dot = note.find(".", start)
    end = len(note) if dot < 0 else dot
    rest = note[start:end]
    split = lower[start:end].rfind(" to ")
    if split < 0:
        return None
    frm, to = rest[:split].strip(), rest[split + 4:].strip()
    return (frm, to) if frm and to else None
