"""What a payload holds: orders, refunds or order notes, of the REST v3 API
(bare objects and arrays) or of the legacy REST API (wrapped in
``{"order": …}``, ``{"orders": […]}``, …); other WooCommerce resources are
recognised and refused (plugins/woocommerce-orders/src/shape.rs)."""

from __future__ import annotations

from typing import Any, List, NamedTuple, Optional

from weft_sdk import Invalid
from weft_sdk.json import JsonError
from weft_sdk.scalar import Num, loads
from weft_sdk.text import json_shape

from .common import dumps

ORDER, REFUND, NOTE = "an order", "a refund", "an order note"


class Found(NamedTuple):
    """An object of the payload with its place for errors (``[1]: ``)."""

    place: str
    object: dict


class Doc(NamedTuple):
    """The objects of a payload, all of one kind."""

    kind: str
    found: List[Found]
    listed: bool


WRAPPERS = [("order", ORDER, False), ("orders", ORDER, True),
            ("order_refund", REFUND, False), ("order_refunds", REFUND, True),
            ("order_note", NOTE, False), ("order_notes", NOTE, True)]


def read(payload: bytes) -> Doc:
    """Reads a payload into the objects it holds."""
    try:
        doc = loads(payload)
    except JsonError as e:
        raise Invalid(f"payload is not JSON: {e}") from None
    if isinstance(doc, dict):
        if "id" not in doc:
            for key, kind, listed in WRAPPERS:
                if key in doc:
                    return _unwrap(key, kind, listed, doc.pop(key))
        return Doc(kind_of(doc, ""), [Found("", doc)], False)
    if isinstance(doc, list):
        return _list(doc, "", None)
    raise not_an_order(doc, "")


def _unwrap(key: str, kind: str, list_expected: bool, inner: Any) -> Doc:
    if isinstance(inner, list) and list_expected:
        return _list(inner, key, kind)
    if isinstance(inner, dict) and not list_expected:
        place = f"{key}: "
        found = kind_of(inner, place)
        if found != kind:
            raise Invalid(f"{place}expected {kind}, but this looks like {found}")
        return Doc(kind, [Found("", inner)], False)
    want = "an array" if list_expected else "an object"
    raise Invalid(f"`{key}` holds {json_shape(inner)}; expected {want}")


def _list(items: list, key: str, expected: Optional[str]) -> Doc:
    if not items:
        raise Invalid("payload is an empty array: no orders" if not key
                      else f"`{key}` is an empty array: nothing to map")
    kind = expected
    found = []
    for index, item in enumerate(items):
        place = f"{key}[{index}]: "
        if not isinstance(item, dict):
            raise not_an_order(item, place)
        this = kind_of(item, place)
        if kind is not None and kind != this:
            raise Invalid(f"{place}expected {kind} like the rest of the list, but this looks like {this}")
        kind = this
        found.append(Found(place, item))
    return Doc(kind or ORDER, found, True)


def _text_of(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str) and not isinstance(v, Num):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Num):
        return str(v)
    return dumps(v)


def kind_of(o: dict, place: str) -> str:
    """What an object is; other resources are refused."""
    has = o.__contains__
    if has("code") and has("message") and not has("id"):
        raise Invalid(f"{place}payload is a WooCommerce REST error, not an order: code "
                      f"`{_text_of(o.get('code'))}`, message `{_text_of(o.get('message'))}`")
    errors = o.get("errors")
    if isinstance(errors, list):
        first = errors[0] if errors and isinstance(errors[0], dict) else {}
        raise Invalid(f"{place}payload is a WooCommerce legacy REST API error, not an order: code "
                      f"`{_text_of(first.get('code'))}`, message `{_text_of(first.get('message'))}`")
    if has("refunded_by") or has("refunded_payment") or (has("amount") and not has("total")):
        return REFUND
    if has("note") and not has("line_items"):
        return NOTE
    other = None
    if has("webhook_id"):
        other = "a webhook delivery ping (`webhook_id`)"
    elif has("regular_price") or has("permalink"):
        other = "a product (`regular_price`, `permalink`)"
    elif has("username") or has("role"):
        other = "a customer (`username`, `role`)"
    elif has("discount_type"):
        other = "a coupon (`discount_type`)"
    if other:
        raise Invalid(f"{place}expected a WooCommerce order, refund or order note, but this looks like {other}")
    if any(has(k) for k in ("id", "line_items", "order_key", "number")):
        return ORDER
    raise not_an_order(o, place)


def not_an_order(found: Any, place: str) -> Invalid:
    """The error for valid JSON that is not an order, saying what was found."""
    return Invalid(
        f"{place}expected a WooCommerce order, refund or order note (an object with `id`, an "
        "array of them, or a legacy `{\"order\": …}` / `{\"orders\": […]}` / "
        "`{\"order_refunds\": […]}` / `{\"order_notes\": […]}`); found " + json_shape(found))
