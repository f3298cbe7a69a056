//! Inputs that are not (usable) orders.

use serde_json::{json, Value};

use super::*;

#[test]
fn not_json_and_other_resources() {
    configure(&[]);
    assert!(invalid(b"{\"id\": 727,").starts_with("payload is not JSON:"));
    assert!(invalid(b"").starts_with("payload is not JSON"));
    assert_eq!(invalid(b"[]"), "payload is an empty array: no orders");
    assert!(invalid(b"{}").ends_with("found an empty object"));
    assert!(invalid(b"\"727\"").ends_with("found a string"));
    assert!(invalid(b"[5]").starts_with("[0]: expected a WooCommerce order"));
    let refund = json!({"id": 726, "date_created": "2017-03-21T17:07:11", "amount": "10.00", "reason": "", "refunded_by": 1, "line_items": []});
    // A refund is read as one; without its order's id it is refused.
    assert_eq!(
        invalid(refund.to_string().as_bytes()),
        "refund 726: the order is unknown: the body has no `order_id` and no `_links.up` to `…/orders/{id}`, and neither header `x-wc-order-id` nor setting `order_id` is set"
    );
    let product = json!({"id": 794, "name": "Premium Quality", "permalink": "https://example.com/product/premium-quality-19/", "regular_price": "21.99"});
    assert!(invalid(product.to_string().as_bytes())
        .ends_with("looks like a product (`regular_price`, `permalink`)"));
    assert!(invalid(br#"{"webhook_id": 12}"#).contains("webhook delivery ping"));
    let err = json!({"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID.", "data": {"status": 404}});
    assert_eq!(
        invalid(err.to_string().as_bytes()),
        "payload is a WooCommerce REST error, not an order: code `woocommerce_rest_shop_order_invalid_id`, message `Invalid ID.`"
    );
    assert!(invalid(br#"{"products": []}"#).ends_with("found an object with keys: products"));
    let note = json!({"id": 281, "author": "system", "date_created": "2017-03-21T16:46:41", "note": "Order ok!!!", "customer_note": false});
    // One note that is not a status change to completed is refused.
    assert_eq!(
        invalid(note.to_string().as_bytes()),
        "order note 281 is not a status change (`Order ok!!!`)"
    );
    let legacy_err = json!({"errors": [{"code": "woocommerce_api_invalid_order_id", "message": "Invalid order ID"}]});
    assert_eq!(
        invalid(legacy_err.to_string().as_bytes()),
        "payload is a WooCommerce legacy REST API error, not an order: code `woocommerce_api_invalid_order_id`, message `Invalid order ID`"
    );
    assert_eq!(
        invalid(br#"{"orders": {"id": 1}}"#),
        "`orders` holds an object with keys: id; expected an array"
    );
    assert_eq!(
        invalid(br#"{"order_refunds": []}"#),
        "`order_refunds` is an empty array: nothing to map"
    );
    assert_eq!(
        invalid(br#"{"order": {"id": 9, "amount": "1.00"}}"#),
        "order: expected an order, but this looks like a refund"
    );
    let mixed = json!([{"id": 1, "line_items": []}, refund]);
    assert_eq!(
        invalid(mixed.to_string().as_bytes()),
        "[1]: expected an order like the rest of the list, but this looks like a refund"
    );
}

#[test]
fn orders_without_id_or_lines() {
    let order = sample!(ORDER);
    let list_doc = sample!(LIST);
    configure(&[]);
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["line_items"] = json!([]);
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 727 has no `line_items` (an order.created needs at least one line)"
    );
    assert_eq!(
        invalid_msg(raw(br#"{"id": 727}"#).with_header(crate::TOPIC_HEADER, "order.updated")),
        "order 727 has no `line_items` (an order.updated needs at least one line)"
    );
    v.as_object_mut().unwrap().remove("id");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "WooCommerce order has no `id`"
    );
    let mut list: Value = serde_json::from_slice(list_doc).unwrap();
    list[1].as_object_mut().unwrap().remove("id");
    assert_eq!(
        invalid(list.to_string().as_bytes()),
        "[1]: WooCommerce order has no `id`"
    );
}

#[test]
fn bad_figures_name_the_field() {
    let order = sample!(ORDER);
    let list_doc = sample!(LIST);
    configure(&[]);
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["line_items"][1]["subtotal"] = json!("12,00");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 727: line_items[1] (id 316) subtotal `12,00` is not a decimal"
    );
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["line_items"][0]["quantity"] = Value::Null;
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 727: line_items[0] (id 315) has no quantity"
    );
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["total"] = json!("lots");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 727: total `lots` is not a decimal"
    );
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["date_created_gmt"] = json!("22/03/2017");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 727: date_created_gmt `22/03/2017` is not a `YYYY-MM-DDTHH:MM:SS` timestamp"
    );
    let mut list: Value = serde_json::from_slice(list_doc).unwrap();
    list[1]["shipping_lines"][0]["total"] = json!("ten");
    assert_eq!(
        invalid(list.to_string().as_bytes()),
        "[1]: order 723: shipping_lines[0].total `ten` is not a decimal"
    );
}

#[test]
fn bad_settings_and_headers() {
    let order = sample!(ORDER);
    configure(&[("event", Some("deleted"))]);
    assert_eq!(
        invalid(order),
        "config `event`: expected `created` or `updated`, got `deleted`"
    );
    configure(&[]);
    assert_eq!(
        invalid_msg(raw(order).with_header(crate::TOPIC_HEADER, "product.updated")),
        "header `x-wc-webhook-topic` is `product.updated`, which is not an order topic (expected order.created, order.updated, order.restored or order.deleted)"
    );
}

#[test]
fn odd_inputs_fail_cleanly_without_panicking() {
    configure(&[]);
    let huge = "79228162514264337593543950335";
    let cases = [
        json!({"id": 1, "line_items": [null]}),
        json!({"id": 1, "line_items": {"a": 1}}),
        json!({"id": {"x": 1}, "line_items": []}),
        json!({"id": 1, "billing": "x", "line_items": [{"quantity": 1}]}),
        json!({"id": 1, "line_items": [{"quantity": 1, "subtotal": huge}, {"quantity": 1, "subtotal": huge}]}),
        json!({"id": 1, "line_items": [{"quantity": "1e999999"}]}),
        json!({"id": 1, "line_items": [{"quantity": 1, "meta_data": "x"}]}),
        json!({"id": 1, "line_items": [{"quantity": 1}], "refunds": [{"total": huge}, {"total": huge}]}),
    ];
    for c in cases {
        let reason = invalid(c.to_string().as_bytes());
        assert!(
            reason.starts_with("payload is not a WooCommerce order")
                || reason.starts_with("order 1"),
            "{reason}"
        );
    }
    // Quantity 0 keeps the channel's unit price; a fee with no total adds
    // nothing it does not know.
    let odd = json!({"id": 1, "line_items": [{"id": 2, "quantity": 0, "subtotal": "0.00", "total": "0.00", "price": 4.5}], "fee_lines": [{"name": "x"}]});
    let (_, o, _) = run(raw(odd.to_string().as_bytes()));
    assert_eq!(o.lines[0].unit_price.as_deref(), Some("4.50"));
    assert_eq!(o.lines[1].line_id, "fee-1");
    assert_eq!(o.totals.subtotal, None);
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    assert!(invalid(deep.as_bytes()).contains("recursion limit exceeded"));
}

#[test]
fn reasons_stay_on_one_line() {
    configure(&[]);
    let doc = json!({"id": "7\n8", "line_items": [{"id": "a\tb", "quantity": "x\ny"}]});
    assert_eq!(
        invalid(doc.to_string().as_bytes()),
        "order 7\\n8: line_items[0] (id a\\tb) quantity `x\\ny` is not a decimal"
    );
}
