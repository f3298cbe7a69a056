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

/// Other SP-API responses wrapped in `payload` are named or their keys
/// shown; the v0 getOrderAddress and getOrderItems responses alone are
/// refused precisely; reasons quoting the document stay on one line.
#[test]
fn other_payloads_say_what_they_are() {
    let how = "send {\"order\": <getOrder or getOrders response>, \"items\": <getOrderItems response, or an array of them>}";
    let address = sample!(V0_ADDRESS);
    assert_eq!(
        invalid(address.as_bytes()),
        "an Orders v0 getOrderAddress response for order 902-3159896-1390916 is not an order; send it as `address` next to `order` and `items`"
    );
    for name in [V0_ITEMS, V0_ITEMS_SANDBOX] {
        let items = sample!(name);
        let reason = invalid(items.as_bytes());
        assert!(
            reason.starts_with("an Orders v0 getOrderItems response for order ")
                && reason.ends_with(&format!("is not an order on its own (it has no order header: dates, status, totals); {how}")),
            "{name}: {reason}"
        );
    }
    // A Merchant Fulfillment shipment missing its Status is not taken for
    // an order.
    assert_eq!(
        invalid_value(
            &json!({"payload": {"ShipmentId": "s-1", "AmazonOrderId": "1", "Label": {}}})
        ),
        "Merchant Fulfillment shipment s-1: payload.Status is missing"
    );
    assert_eq!(
        invalid_value(&json!({"payload": {"shipments": [{"id": 1}]}})),
        format!("expected an SP-API order document; found a `payload` of another kind (an object with keys: shipments); {how}")
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

/// Lifecycle documents of odd shapes map or fail, never panic.
#[test]
fn lifecycle_documents_never_panic_on_odd_shapes() {
    for v in [
        json!({"payload": {"fulfillmentOrder": 1}}),
        json!({"payload": {"fulfillmentOrder": {"sellerFulfillmentOrderId": "A"}, "fulfillmentShipments": [1]}}),
        json!({"payload": {"fulfillmentOrder": {"sellerFulfillmentOrderId": "A"}, "fulfillmentShipments": [{"amazonShipmentId": "S", "fulfillmentShipmentStatus": "SHIPPED", "fulfillmentShipmentItem": [{"quantity": 1e300, "packageNumber": 9}]}]}}),
        json!({"payload": {"packageNumber": 1, "currentStatus": "DELIVERED", "trackingEvents": [{"eventCode": "EVENT_301", "eventDate": 5}]}}),
        json!({"payload": {"transactions": [null, {"transactionType": "Shipment"}]}}),
        json!({"payload": {"transactions": [{"transactionType": "Shipment", "relatedIdentifiers": [{"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": "1"}], "postedDate": "2020-01-01T00:00:00Z", "totalAmount": {"currencyAmount": "79228162514264337593543950335"}}]}}),
        json!({"payload": {"ordersStatus": [{"purchaseOrderNumber": "P", "itemStatus": [{"itemSequenceNumber": "1", "orderedQuantity": {"amount": "79228162514264337593543950335"}, "acknowledgedQuantity": {"acceptedQuantity": {"amount": "-79228162514264337593543950335"}}}]}]}}),
        json!({"payload": {"shipments": [{"vendorShipmentIdentifier": "V", "currentShipmentStatus": "Shipped", "purchaseOrders": [{"purchaseOrderNumber": "P", "items": [{}]}]}]}}),
        json!({"payload": {"ShipmentId": "s", "AmazonOrderId": "o", "Label": {}, "Status": "Purchased", "ItemList": [{"Quantity": []}]}}),
        json!({"NotificationType": "FULFILLMENT_ORDER_STATUS", "Payload": {"FulfillmentOrderStatusNotification": {"SellerFulfillmentOrderId": "A", "FulfillmentShipment": {"AmazonShipmentId": "S", "FulfillmentShipmentStatus": "SHIPPED", "FulfillmentShipmentPackages": [{}]}}}}),
        json!({"NotificationType": "ORDER_STATUS_CHANGE", "Payload": {"OrderStatusChangeNotification": {"AmazonOrderId": "1", "OrderStatus": "Canceled"}}}),
    ] {
        // Some of these map (a payment without a currency); none panics.
        let _ = AmazonOrders::process(raw(&serde_json::to_vec(&v).unwrap()));
    }
}
