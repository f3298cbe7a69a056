//! Inputs that are not (usable) orders.

use serde_json::{json, Value};

use super::*;

#[test]
fn shipments_and_credit_memos_are_refused() {
    configure(&[]);
    let mapped = "is not mapped: this source maps orders (GET /V1/orders/{id}), invoices (GET /V1/invoices/{id}), the ship and refund request bodies (POST /V1/order/{id}/ship, /refund) and MSI source selection results";
    let shipment = json!({"entity_id": 1, "increment_id": "000000001", "order_id": 3, "tracks": [], "items": []});
    assert_eq!(
        invalid(shipment.to_string().as_bytes()),
        format!("a shipment 000000001 (`order_id` 3) {mapped}")
    );
    let memo = json!({"entity_id": 1, "order_id": 3, "adjustment_positive": 0});
    assert_eq!(
        invalid(memo.to_string().as_bytes()),
        format!("a credit memo (`order_id` 3) {mapped}")
    );
    let comment = json!({"entity_id": 1, "order_id": 3, "comment": "x"});
    assert_eq!(
        invalid(comment.to_string().as_bytes()),
        format!("a document that belongs to an order (`order_id` 3) {mapped}")
    );
}

/// Request bodies that are not ship or refund requests, or do not say
/// which they are, are named.
#[test]
fn other_action_requests_are_refused() {
    configure(&[]);
    let items = json!([{"order_item_id": 3, "qty": 1}]);
    let invoice = json!({"items": items, "capture": true, "notify": true});
    assert_eq!(
        invalid(invoice.to_string().as_bytes()),
        "an invoice request (the body of POST /V1/order/{id}/invoice): items with `order_item_id` and no `entity_id` is not mapped (it creates an invoice, which GET /V1/invoices/{id} returns with its amounts)"
    );
    let bare = json!({"items": items});
    assert_eq!(
        invalid(bare.to_string().as_bytes()),
        "the body of an order action request (ship, invoice or refund): items with `order_item_id` and no `entity_id`, without `tracks`, `packages`, `source_code`, refund `arguments` or `capture` to tell which; name the request in header `x-adobe-commerce-request` (e.g. `POST /V1/order/3/ship`)"
    );
    let listed = json!({"items": [{"items": items, "tracks": []}], "total_count": 1});
    assert_eq!(
        invalid(listed.to_string().as_bytes()),
        "items[0]: a ship request (the body of POST /V1/order/{id}/ship) is not mapped inside a search result; send each request body on its own"
    );
    let ship = json!({"items": items, "tracks": []});
    let refund_header = raw(ship.to_string().as_bytes())
        .with_header(crate::REQUEST_HEADER, "POST /V1/order/3/refund");
    assert_eq!(
        invalid_msg(refund_header),
        "header `x-adobe-commerce-request` names a refund request, but the body is a ship request (the body of POST /V1/order/{id}/ship)"
    );
}

#[test]
fn not_json_and_other_shapes() {
    let invoice = sample!(INVOICE);
    configure(&[]);
    let reason = invalid(b"{\"entity_id\": 3,");
    assert!(reason.starts_with("payload is not JSON:"), "{reason}");
    assert!(invalid(b"").starts_with("payload is not JSON"));
    assert!(invalid(&[0xff, 0xfe]).starts_with("payload is not JSON"));
    assert!(invalid(b"[1]").ends_with("found an array"));
    assert!(invalid(b"{}").ends_with("found an empty object"));
    assert!(invalid(b"{\"customers\": []}").ends_with("found an object with keys: customers"));
    let empty = json!({"items": [], "search_criteria": {}, "total_count": 0});
    assert_eq!(
        invalid(empty.to_string().as_bytes()),
        "search result has no orders (`items` is empty)"
    );
    let inv: Value = serde_json::from_slice(invoice).unwrap();
    let mixed = json!({"items": [inv, {"entity_id": 4, "items": []}], "total_count": 2});
    assert_eq!(
        invalid(mixed.to_string().as_bytes()),
        "items[1]: expected an Adobe Commerce invoice like items[0], found an order (no `order_id`)"
    );
}

#[test]
fn orders_without_id_or_items() {
    let order = sample!(ORDER);
    configure(&[]);
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["items"] = json!([]);
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 3 has no `items` (an order.created needs at least one line)"
    );
    v.as_object_mut().unwrap().remove("items");
    assert!(invalid(v.to_string().as_bytes()).starts_with("order 3 has no `items`"));
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v.as_object_mut().unwrap().remove("entity_id");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "Adobe Commerce order has no `entity_id`"
    );
    let list = json!({"items": [v], "total_count": 1});
    assert_eq!(
        invalid(list.to_string().as_bytes()),
        "items[0]: Adobe Commerce order has no `entity_id`"
    );
}

#[test]
fn bad_figures_name_the_row() {
    let order = sample!(ORDER);
    configure(&[]);
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["items"][8]["price"] = json!("52,00");
    // Child rows are read too (their figures feed bundle lines).
    v["items"][8]["price"] = json!(0);
    v["items"][3]["price"] = json!("27,00");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 3: items[3] (item_id 6) price `27,00` is not a decimal"
    );
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["items"][0]["qty_ordered"] = Value::Null;
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 3: items[0] (item_id 3) has no qty_ordered"
    );
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["grand_total"] = json!("lots");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 3: grand_total `lots` is not a decimal"
    );
    let mut v: Value = serde_json::from_slice(order).unwrap();
    v["created_at"] = json!("21/08/2017");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 3: created_at `21/08/2017` is not a `YYYY-MM-DD HH:MM:SS` timestamp"
    );
}

#[test]
fn bad_settings_and_headers() {
    let order = sample!(ORDER);
    configure(&[("bundle_lines", Some("both"))]);
    assert_eq!(
        invalid(order),
        "config `bundle_lines`: expected `parent` or `children`, got `both`"
    );
    configure(&[("event", Some("deleted"))]);
    assert_eq!(
        invalid(order),
        "config `event`: expected `created` or `updated`, got `deleted`"
    );
    configure(&[]);
    let reason =
        invalid_msg(raw(order).with_header(crate::EVENT_HEADER, "catalog_product_save_after"));
    assert!(reason.starts_with("header `x-adobe-commerce-event` is `catalog_product_save_after`, which is not an order event"), "{reason}");
}

#[test]
fn odd_inputs_fail_cleanly_without_panicking() {
    configure(&[]);
    let huge = "79228162514264337593543950335";
    let cases = [
        json!({"entity_id": 1, "items": [null]}),
        json!({"entity_id": 1, "items": {"a": 1}}),
        json!({"entity_id": {"x": 1}, "items": []}),
        json!({"entity_id": 1, "billing_address": "x", "items": [{"qty_ordered": 1}]}),
        json!({"entity_id": 1, "items": [{"qty_ordered": huge, "price": huge}]}),
        json!({"entity_id": 1, "items": [{"item_id": 1, "qty_ordered": 1, "product_type": "bundle"}, {"item_id": 2, "parent_item_id": 1, "qty_ordered": 1, "tax_amount": huge}, {"item_id": 3, "parent_item_id": 1, "qty_ordered": 1, "tax_amount": huge}]}),
        json!({"entity_id": 1, "items": [{"qty_ordered": "1e999999"}]}),
        json!({"items": [5], "total_count": 1}),
        json!({"items": 5, "total_count": 1}),
    ];
    for c in cases {
        let reason = invalid(c.to_string().as_bytes());
        assert!(
            reason.starts_with("payload is not an Adobe Commerce order")
                || reason.starts_with("order 1")
                || reason.starts_with("items[0]: ")
                || reason.starts_with("search result"),
            "{reason}"
        );
    }
    // Rows naming themselves or a missing parent are lines of their own.
    let odd = json!({"entity_id": 1, "items": [
        {"item_id": 1, "parent_item_id": 1, "qty_ordered": 1, "sku": "A"},
        {"item_id": 2, "parent_item_id": 99, "qty_ordered": 2, "sku": "B"}
    ]});
    let (_, o, _) = run(raw(odd.to_string().as_bytes()));
    assert_eq!(o.lines.len(), 2);
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    assert!(invalid(deep.as_bytes()).contains("recursion limit exceeded"));
}

#[test]
fn reasons_stay_on_one_line() {
    configure(&[]);
    let doc = json!({"entity_id": "7\n8", "items": [{"item_id": "a\tb", "qty_ordered": "x\ny"}]});
    assert_eq!(
        invalid(doc.to_string().as_bytes()),
        "order 7\\n8: items[0] (item_id a\\tb) qty_ordered `x\\ny` is not a decimal"
    );
}
