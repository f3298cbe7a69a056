//! Documents that are not SP-API orders.

use serde_json::json;

use super::*;

#[test]
fn not_json_or_not_an_order_is_invalid() {
    let search_2026 = sample!(SEARCH_2026);
    assert!(
        invalid(b"<xml/>").starts_with("payload is not JSON: expected value at line 1 column 1")
    );
    let expected = "expected an SP-API Orders 2026-01-01 searchOrders/getOrder response, an ORDER_CHANGE notification or {\"order\": <Orders v0 order>, \"items\": <getOrderItems response>}; found";
    assert_eq!(invalid(b"[1]"), format!("{expected} an array"));
    assert_eq!(invalid(b"{}"), format!("{expected} an empty object"));
    assert_eq!(
        invalid_value(&json!({"id": 1, "line_items": []})),
        format!("{expected} an object with keys: id, line_items")
    );
    assert_eq!(
        invalid_value(&json!({"errors": [{"code": "InvalidInput", "message": "bad"}]})),
        "the document is an SP-API error response: [{\"code\":\"InvalidInput\",\"message\":\"bad\"}]"
    );
    assert_eq!(
        invalid_value(&json!({"orders": []})),
        "the searchOrders response has no orders"
    );
    assert_eq!(
        invalid_value(&json!({"orders": [1]})),
        "orders[0] must be an object"
    );
    assert_eq!(
        invalid_value(&json!({"order": {"orderId": "1-2-3", "orderItems": []}})),
        "order 1-2-3: has no orderItems"
    );
    let mut v = doc(search_2026);
    v["orders"][0]["orderItems"][1]["quantityOrdered"] = json!(null);
    assert_eq!(
        invalid_value(&v),
        "order 123-4567890-1234567: orderItems[1] (orderItemId 12345678901235) quantityOrdered is missing"
    );
    let mut v = doc(search_2026);
    v["orders"][0]["createdTime"] = json!("2024-12-25 10:30:00");
    assert_eq!(
        invalid_value(&v),
        "order 123-4567890-1234567: createdTime `2024-12-25 10:30:00` is not an RFC 3339 timestamp"
    );
}

#[test]
fn never_panics_on_odd_shapes() {
    for v in [
        json!({"order": 1, "items": 2}),
        json!({"order": {"payload": []}, "items": []}),
        json!({"order": {"payload": {"Orders": "x"}}, "items": {}}),
        json!({"order": {"AmazonOrderId": "1"}, "items": [{"payload": {"OrderItems": [null, 1]}}]}),
        json!({"NotificationType": "ORDER_CHANGE", "Payload": {"OrderChangeNotification": {"AmazonOrderId": 5, "Summary": {"OrderItems": [{}]}}}}),
        json!({"orders": [{"orderId": "1", "orderItems": [{"quantityOrdered": 1, "product": {"price": {"unitPrice": "9"}}}]}]}),
        json!({"order": {"orderId": "1", "orderItems": [{"quantityOrdered": 1e300, "product": {"price": {"unitPrice": {"amount": "79228162514264337593543950335"}}}}]}}),
    ] {
        let _ = invalid_value(&v);
    }
}

/// Other SP-API responses wrapped in `payload` are named (a Merchant
/// Fulfillment shipment is not taken for a getOrder response) or their
/// keys shown; reasons quoting the document stay on one line.
#[test]
fn other_payloads_say_what_they_are() {
    let how = "send {\"order\": <getOrder or getOrders response>, \"items\": <getOrderItems response, or an array of them>}";
    if let Some(b) = testing::realdata_file(
        "amazon-sp-api",
        "merchantFulfillmentV0_getShipment_sandbox_label-purchased.json",
    ) {
        assert_eq!(
            invalid(&b),
            "a Merchant Fulfillment getShipment response (shipment abcddcba-00c3-4f6f-a63a-639f76ee9253) for order 903-5563053-5647845 is not an order (Merchant Fulfillment shipments and labels are not read)"
        );
    }
    for (name, shape) in [
        (
            "finances_2024-06-19_listTransactions_sandbox_shipment.json",
            "an object with keys: nextToken, transactions",
        ),
        (
            "vendorShipments_getShipmentDetails_samples_shipped.json",
            "an object with keys: pagination, shipments",
        ),
        (
            "vendorOrders_getPurchaseOrdersStatus_samples_partially-received.json",
            "an object with keys: ordersStatus",
        ),
    ] {
        if let Some(b) = testing::realdata_file("amazon-sp-api", name) {
            assert_eq!(
                invalid(&b),
                format!("expected an SP-API order document; found a `payload` of another kind ({shape}); {how}"),
                "{name}"
            );
        }
    }
    assert_eq!(
        invalid_value(&json!({"payload": {"ShipmentId": "s-1", "AmazonOrderId": "1", "Label": {}}})),
        "a Merchant Fulfillment getShipment response (shipment s-1) for order 1 is not an order (Merchant Fulfillment shipments and labels are not read)"
    );
    assert_eq!(
        invalid_value(&json!({"payload": {"AmazonOrderId": "1\n2"}})),
        format!("an Orders v0 getOrder response for order 1\\n2 carries no order items, and a canonical order needs its lines; {how}")
    );
    assert_eq!(
        invalid_value(&json!({"payload": {"a\rb": 1}})),
        format!("expected an SP-API order document; found a `payload` of another kind (an object with keys: a\\rb); {how}")
    );
}
