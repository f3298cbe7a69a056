"""Reading a WooCommerce object into the fields the mapping reads, with
the Rust connector's checks and wording (plugins/woocommerce-orders/src/raw.rs):
a field is a string, number or boolean (or absent/null); nested objects and
lists must have their shape, else the whole object is refused naming what
was expected."""

from __future__ import annotations

from typing import Any, Dict

from weft_sdk.scalar import Num

F = "field"  # a lenient scalar
V = "value"  # any JSON


class ShapeError(ValueError):
    """An object that is not of the expected shape (serde's wording)."""


def unexpected(v: Any) -> str:
    """serde's name of an unexpected JSON value."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return f"boolean `{'true' if v else 'false'}`"
    if isinstance(v, Num):
        if v.is_float:
            t = str(v)
            return f"floating point `{t if '.' in t or 'e' in t else t + '.0'}`"
        return f"integer `{v}`"
    if isinstance(v, str):
        return 'string "' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'
    if isinstance(v, list):
        return "sequence"
    return "map"


def obj(spec: Dict[str, Any], expecting: str):
    """A nested object of ``spec``."""
    return ("obj", spec, expecting)


def seq(spec: Dict[str, Any], expecting: str):
    """A list of objects of ``spec``."""
    return ("seq", spec, expecting)


def read(value: Any, spec: Dict[str, Any], expecting: str) -> Dict[str, Any]:
    """``value`` read by ``spec``: every key of ``spec``, None when absent."""
    if not isinstance(value, dict):
        raise ShapeError(f"invalid type: {unexpected(value)}, expected {expecting}")
    out: Dict[str, Any] = dict.fromkeys(spec)
    for key, v in value.items():
        kind = spec.get(key)
        if kind is None or v is None:
            continue
        if kind == F:
            if not isinstance(v, (str, bool)):
                raise ShapeError(f"invalid type: {unexpected(v)}, expected a string, number or boolean")
            out[key] = v
        elif kind == V:
            out[key] = v
        elif kind[0] == "obj":
            out[key] = read(v, kind[1], kind[2])
        else:
            if not isinstance(v, list):
                raise ShapeError(f"invalid type: {unexpected(v)}, expected a sequence")
            out[key] = [read(item, kind[1], kind[2]) for item in v]
    return out


META = {"key": F, "value": V}
ADDRESS = dict.fromkeys(["first_name", "last_name", "company", "address_1", "address_2", "city",
                         "state", "postcode", "country", "email", "phone"], F)
PAYMENT = dict.fromkeys(["method_id", "method_title", "paid", "transaction_id"], F)
LINE = {**dict.fromkeys(["id", "name", "sku", "quantity", "subtotal", "total", "total_tax",
                         "price"], F),
        "meta_data": seq(META, "a WooCommerce meta data object"),
        "meta": seq(META, "a WooCommerce meta data object")}
TAX_LINE = dict.fromkeys(["rate_code", "label", "tax_total", "shipping_tax_total", "code",
                          "title", "total"], F)
SHIPPING_LINE = dict.fromkeys(["method_id", "method_title", "total"], F)
FEE = dict.fromkeys(["id", "name", "title", "total", "total_tax"], F)
COUPON = dict.fromkeys(["code", "discount", "amount"], F)
REFUND_SUMMARY = {"total": F}

ORDER = {
    **dict.fromkeys([
        "id", "parent_id", "number", "order_key", "created_via", "status", "currency",
        "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "date_paid_gmt",
        "date_completed", "date_completed_gmt", "discount_total", "shipping_total", "total",
        "total_tax", "prices_include_tax", "customer_id", "customer_note", "payment_method",
        "payment_method_title", "transaction_id", "order_number", "created_at", "updated_at",
        "completed_at", "total_shipping", "total_discount", "total_line_items_quantity", "note"], F),
    "billing": obj(ADDRESS, "a WooCommerce address object"),
    "shipping": obj(ADDRESS, "a WooCommerce address object"),
    "billing_address": obj(ADDRESS, "a WooCommerce address object"),
    "shipping_address": obj(ADDRESS, "a WooCommerce address object"),
    "payment_details": obj(PAYMENT, "a WooCommerce payment details object"),
    "line_items": seq(LINE, "a WooCommerce line item object"),
    "tax_lines": seq(TAX_LINE, "a WooCommerce tax line object"),
    "shipping_lines": seq(SHIPPING_LINE, "a WooCommerce shipping line object"),
    "fee_lines": seq(FEE, "a WooCommerce fee line object"),
    "coupon_lines": seq(COUPON, "a WooCommerce coupon line object"),
    "refunds": seq(REFUND_SUMMARY, "a WooCommerce refund summary object"),
}

REFUND_LINE = {**dict.fromkeys(["id", "sku", "quantity", "subtotal", "total", "total_tax",
                                "refunded_item_id"], F),
               "meta_data": seq(META, "a WooCommerce meta data object"),
               "meta": seq(META, "a WooCommerce meta data object")}
REFUND = {
    **dict.fromkeys(["id", "order_id", "parent_id", "date_created", "date_created_gmt",
                     "created_at", "amount", "reason", "refunded_by", "refunded_payment"], F),
    "line_items": seq(REFUND_LINE, "a WooCommerce refund line item object"),
    "shipping_lines": seq({"total": F}, "a WooCommerce refund shipping line object"),
    "_links": V,
}
NOTE = {**dict.fromkeys(["id", "order_id", "date_created", "date_created_gmt", "created_at",
                         "note", "customer_note"], F),
        "_links": V}
