"""What the refund and order-note mappings share: the resource being
mapped (errors name it), the order it belongs to, its time, and gathering
the messages of one payload (plugins/woocommerce-orders/src/common.rs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, List, Optional, Tuple

from weft_sdk import Invalid, Message, host, money
from weft_sdk.json import dumps as _dumps
from weft_sdk.datetime import to_rfc3339
from weft_sdk.scalar import Num, decimal, take_trimmed, text

ORDER_ID_HEADER = "x-wc-order-id"
ORDER_ID_SETTING = "order_id"


def dumps(doc: Any) -> str:
    """Compact JSON as the Rust SDK writes it: numbers as read."""
    return _dumps(doc)


def json_message(id: str, correlation_id: str, kind: str, doc: Any) -> Message:
    """A message whose payload is ``doc`` as the Rust SDK serialises it."""
    return Message(id, correlation_id, kind, "application/json", [], dumps(doc).encode())


class Subject:
    """The resource being mapped (``refund 724``): errors name it."""

    def __init__(self, what: str, id: str):
        self.what, self.id = what, id

    def err(self, reason: str) -> Invalid:
        return Invalid(f"{self.what} {self.id}: {reason}")

    def decimal(self, value, at: str) -> Optional[Decimal]:
        try:
            return decimal(value, at)
        except ValueError as e:
            raise self.err(str(e)) from None

    def add(self, a: Decimal, b: Decimal, at: str) -> Decimal:
        r = a + b
        if money.too_large(r):
            raise self.err(f"amounts in {at} are too large to compute")
        return r

    def created(self, gmt, local, legacy) -> str:
        """``date_created_gmt``, else ``date_created`` with an offset, else
        the legacy ``created_at``; required."""
        s = take_trimmed(gmt)
        if s is not None:
            t = to_rfc3339(s)
            if t is None:
                raise self.err(f"date_created_gmt `{s}` is not a timestamp")
            return t
        t = with_offset(local)
        if t is not None:
            return t
        s = take_trimmed(legacy)
        if s is not None:
            t = to_rfc3339(s)
            if t is None:
                raise self.err(f"created_at `{s}` is not a timestamp")
            return t
        ls = take_trimmed(local)
        extra = f" (`date_created` `{ls}` has no UTC offset)" if ls is not None else ""
        raise Invalid(f"{self.what} {self.id} has no `date_created_gmt` or `created_at`{extra}")


def with_offset(local) -> Optional[str]:
    """A site-local timestamp, used only when it states its offset."""
    s = take_trimmed(local)
    if s is None:
        return None
    has_zone = s.endswith(("Z", "z")) or (len(s.encode()) > 19 and s[-6:][:1] in ("+", "-"))
    return to_rfc3339(s) if has_zone else None


def id_of(field, what: str) -> str:
    """The trimmed id of a resource; required."""
    t = text(field)
    if t is None:
        raise Invalid(f"WooCommerce {what} has no `id`")
    return t.strip()


class OrderHint:
    """The order named outside a refund's or note's body: the
    ``x-wc-order-id`` header, else the ``order_id`` setting."""

    def __init__(self, msg: Message):
        h = (msg.header(ORDER_ID_HEADER) or "").strip()
        if h:
            self.source, self.id = f"header `{ORDER_ID_HEADER}`", h
            return
        s = (host.config(ORDER_ID_SETTING) or "").strip()
        self.source, self.id = f"setting `{ORDER_ID_SETTING}`", s or None


def parent_order(subject: Subject, order_id, parent_id, links, hint: OrderHint) -> str:
    """The order a refund or note belongs to; sources that disagree, or
    none at all, are refused."""
    named: List[Tuple[str, str]] = []
    t = text(order_id)
    if t is not None:
        named.append(("`order_id`", t.strip()))
    else:
        p = text(parent_id)
        if p is not None and p.strip() != "0":
            named.append(("`parent_id`", p.strip()))
    linked = _linked_order(links)
    if linked:
        named.append((f"`_links.{linked[0]}`", linked[1]))
    if hint.id is not None:
        named.append((hint.source, hint.id))
    if not named:
        raise subject.err(
            "the order is unknown: the body has no `order_id` and no `_links.up` to "
            f"`…/orders/{{id}}`, and neither header `{ORDER_ID_HEADER}` nor setting "
            f"`{ORDER_ID_SETTING}` is set")
    first_from, first = named[0]
    for source, other in named:
        if other != first:
            raise subject.err(f"{first_from} names order {first}, but {source} names order {other}")
    return first


def _linked_order(links) -> Optional[Tuple[str, str]]:
    if not isinstance(links, dict):
        return None
    for rel in ("up", "collection"):
        items = links.get(rel)
        if not isinstance(items, list):
            continue
        for link in items:
            href = link.get("href") if isinstance(link, dict) else None
            if not isinstance(href, str) or isinstance(href, Num):
                continue
            path = href.split("?")[0].split("#")[0]
            parts = path.split("/")
            for i, part in enumerate(parts):
                if part == "orders" and i + 1 < len(parts):
                    nxt = parts[i + 1]
                    if nxt and nxt.isascii() and nxt.isdigit():
                        return rel, nxt
    return None


def digest(data: bytes) -> str:
    """FNV-1a 64 of ``data``, hex: ids of documents without a modification time."""
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


class NotAFact(Exception):
    """A resource that is no lifecycle fact, for the reason given."""


def gather(outcomes: list, listed: bool) -> List[Message]:
    """The messages of one payload, in order; a lone resource that is no
    fact fails with its reason, in a list it is skipped; the same id with
    different content is an error."""
    out: List[Message] = []
    seen = {}
    for o in outcomes:
        if isinstance(o, NotAFact):
            if not listed:
                raise Invalid(escape(str(o)))
            continue
        prev = seen.get(o.id)
        if prev is None:
            seen[o.id] = o
            out.append(o)
        elif prev.payload != o.payload:
            raise Invalid(escape(f"the document holds message {o.id} twice with different content"))
    return out


def escape(reason: str) -> str:
    """A reason kept on one line (``PluginError::one_line``)."""
    from weft_sdk.text import escape_controls
    return escape_controls(reason)
