//! `ORDER_CHANGE` and `ORDER_STATUS_CHANGE` notifications.

use serde_json::json;

use super::*;

#[test]
fn buyer_cancel_request_on_an_unshipped_order_emits_nothing() {
    let notification = sample!(NOTIFICATION);
    let out = AmazonOrders::process(raw(notification.as_bytes())).expect("maps");
    assert!(out.is_empty(), "{out:?}");
    // Pending and the other non-milestone statuses alike.
    for status in [
        "Pending",
        "PendingAvailability",
        "InvoiceUnconfirmed",
        "Unfulfillable",
    ] {
        let mut v = doc(notification);
        v["Payload"]["OrderChangeNotification"]["Summary"]["OrderStatus"] = json!(status);
        assert!(run_json(&v).is_empty(), "{status}");
    }
    let mut v = doc(notification);
    v["Payload"]["OrderChangeNotification"]["Summary"]
        .as_object_mut()
        .unwrap()
        .remove("OrderStatus");
    assert_eq!(
        invalid_value(&v),
        "order 903-8868176-2219830: the notification has no Summary.OrderStatus"
    );
}

#[test]
fn shipped_status_is_the_orders_shipment() {
    let shipped = sample!(NOTIFICATION_SHIPPED);
    let out = run_json(&doc(shipped));
    assert_eq!(out.len(), 1);
    let (m, s) = &out[0];
    assert_eq!(
        m.id,
        "amazon:shipment:701-1588164-9632243:shipped:2025-12-01T19:26:52.000Z"
    );
    assert_eq!(
        (m.kind.as_str(), m.correlation_id.as_str()),
        ("shipment.dispatched", "amazon:701-1588164-9632243")
    );
    assert_eq!(s["schema"], "weft.shipment/1");
    assert_eq!(s["shipment_id"], "701-1588164-9632243");
    assert_eq!(s["order_refs"], json!(["701-1588164-9632243"]));
    assert_eq!(s["status"], "shipped");
    assert_eq!(s["shipped_at"], "2025-12-01T19:26:52.000Z");
    // DestinationPostalCode is null: no ship-to.
    assert!(s.get("ship_to").is_none());
    assert_eq!(
        s["packages"],
        json!([{"items": [{"sku": "132577", "quantity": "1",
            "order_id": "701-1588164-9632243", "line_id": "148197599524161"}]}])
    );
    assert_eq!(s["source"]["order_status"], "Shipped");
    assert_eq!(s["source"]["order_change_type"], "OrderStatusChange");
    // A status event carries no money.
    assert!(s.get("totals").is_none());

    // QuantityShipped wins over Quantity; a zero-shipped item is left out.
    let mut v = doc(shipped);
    let items = &mut v["Payload"]["OrderChangeNotification"]["Summary"]["OrderItems"];
    items[0]["Quantity"] = json!(3);
    items[0]["QuantityShipped"] = json!("2");
    items
        .as_array_mut()
        .unwrap()
        .push(json!({"OrderItemId": "9", "SellerSKU": "X", "Quantity": 1, "QuantityShipped": 0}));
    let (_, s) = &run_json(&v)[0];
    assert_eq!(s["packages"][0]["items"][0]["quantity"], "2");
    assert_eq!(s["packages"][0]["items"].as_array().unwrap().len(), 1);

    // Without items: the fulfilled milestone, no quantities.
    let mut v = doc(shipped);
    v["Payload"]["OrderChangeNotification"]["Summary"]["OrderItems"] = json!([]);
    let (m, s) = &run_json(&v)[0];
    assert_eq!(
        m.id,
        "amazon:shipment:701-1588164-9632243:fulfilled:2025-12-01T19:26:52.000Z"
    );
    assert_eq!(
        (s["status"].as_str(), s["packages"].clone()),
        (Some("fulfilled"), json!([]))
    );

    // PartiallyShipped: only what QuantityShipped says; nothing without it.
    let mut v = doc(shipped);
    v["Payload"]["OrderChangeNotification"]["Summary"]["OrderStatus"] = json!("PartiallyShipped");
    assert!(run_json(&v).is_empty());
    v["Payload"]["OrderChangeNotification"]["Summary"]["OrderItems"][0]["QuantityShipped"] =
        json!(1);
    let (_, s) = &run_json(&v)[0];
    assert_eq!(s["packages"][0]["items"][0]["quantity"], "1");

    let mut v = doc(shipped);
    v["Payload"]["OrderChangeNotification"]["Summary"]["OrderItems"][0]["Quantity"] = json!("one");
    assert_eq!(
        invalid_value(&v),
        "order 701-1588164-9632243: Summary.OrderItems[0] (OrderItemId 148197599524161) Quantity `one` is not a number"
    );
}

#[test]
fn canceled_status_is_a_cancellation_and_string_flags_are_read() {
    let notification = sample!(NOTIFICATION);
    let mut v = doc(notification);
    let change = &mut v["Payload"]["OrderChangeNotification"];
    change["Summary"]["OrderStatus"] = json!("Canceled");
    change["Summary"]["OrderItems"][0]["IsBuyerRequestedCancel"] = json!("false");
    change["OrderChangeTrigger"]["ChangeReason"] = json!("Order canceled by seller");
    let (m, o) = &run_value(&v)[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str()),
        (
            "amazon:903-8868176-2219830:order.cancelled",
            "order.cancelled"
        )
    );
    assert_eq!(o.purpose, "cancel");
    assert_eq!(o.status.as_deref(), Some("Canceled"));
    assert_eq!(o.ordered_at.as_deref(), Some("2022-07-13T19:42:04.284Z"));
    assert_eq!(o.cancelled_at.as_deref(), Some("2022-11-29T19:42:04.284Z"));
    assert_eq!(o.cancel_reason.as_deref(), Some("Order canceled by seller"));
    assert_eq!(
        o.ship_to.as_ref().and_then(|a| a.postal_code.as_deref()),
        Some("48110")
    );
    let l = &o.lines[0];
    assert_eq!(
        (l.line_id.as_str(), l.sku.as_deref(), l.quantity.as_str()),
        ("OIID34853450", Some("SellerSKUID1"), "10")
    );
    assert_eq!((l.unit_price.as_ref(), o.currency.as_ref()), (None, None));
    assert_eq!(totals(o), [None; 5]);
    assert_eq!(o.source["seller_id"], "A3TH9S8BH6GOGM");
    assert_eq!(o.source["event_time"], "2020-01-11T00:09:53.109Z");

    // A cancellation may name no lines.
    let mut v = doc(notification);
    let change = &mut v["Payload"]["OrderChangeNotification"];
    change["Summary"]["OrderStatus"] = json!("Canceled");
    change["Summary"]["OrderItems"] = json!([]);
    let (m, o) = &run_value(&v)[0];
    assert_eq!((m.kind.as_str(), o.lines.len()), ("order.cancelled", 0));

    let mut v = doc(notification);
    v["NotificationType"] = json!("ANY_OFFER_CHANGED");
    assert_eq!(
        invalid_value(&v),
        "notification type `ANY_OFFER_CHANGED` is not supported (only ORDER_CHANGE, ORDER_STATUS_CHANGE and FULFILLMENT_ORDER_STATUS)"
    );
    let mut v = doc(notification);
    let change = &mut v["Payload"]["OrderChangeNotification"];
    change["Summary"]["OrderStatus"] = json!("Canceled");
    change["Summary"]["OrderItems"][0]["Quantity"] = json!("ten");
    assert_eq!(
        invalid_value(&v),
        "order 903-8868176-2219830: Summary.OrderItems[0] (OrderItemId OIID34853450) Quantity `ten` is not a number"
    );
    let mut v = doc(notification);
    let change = &mut v["Payload"]["OrderChangeNotification"];
    change["Summary"]["OrderStatus"] = json!("Canceled");
    change["OrderChangeTrigger"]["TimeOfOrderChange"] = json!("1.569521782042E9");
    assert_eq!(
        invalid_value(&v),
        "order 903-8868176-2219830: OrderChangeTrigger.TimeOfOrderChange `1.569521782042E9` is not an RFC 3339 timestamp"
    );
}

#[test]
fn order_status_change_maps_shipped_and_canceled_items_only() {
    let unshipped = sample!(STATUS_CHANGE);
    assert!(run_json(&doc(unshipped)).is_empty());

    let mut v = doc(unshipped);
    v["Payload"]["OrderStatusChangeNotification"]["OrderStatus"] = json!("Shipped");
    let out = run_json(&v);
    assert_eq!(out.len(), 1);
    let (m, s) = &out[0];
    assert_eq!(
        m.id,
        "amazon:shipment:333-7777777-7777777:OIID34853450:shipped:2020-07-13T19:42:04.284Z"
    );
    assert_eq!(m.correlation_id, "amazon:333-7777777-7777777");
    assert_eq!(s["shipment_id"], "333-7777777-7777777:OIID34853450");
    assert_eq!(s["shipped_at"], "2020-07-13T19:42:04.284Z");
    assert_eq!(s["ship_to"], json!({"postal_code": "48110"}));
    assert_eq!(
        s["packages"][0]["items"],
        json!([{"sku": "SellerSKUID1", "quantity": "45",
            "order_id": "333-7777777-7777777", "line_id": "OIID34853450"}])
    );
    // The epoch-milliseconds PurchaseDate is kept as given, never converted.
    assert_eq!(s["source"]["purchase_date"], json!(1595882000633_u64));

    v["Payload"]["OrderStatusChangeNotification"]["OrderStatus"] = json!("Canceled");
    let (m, o) = &run_value(&v)[0];
    assert_eq!(m.id, "amazon:333-7777777-7777777:order.cancelled");
    assert_eq!(o.ordered_at, None);
    assert_eq!(o.cancelled_at.as_deref(), Some("2020-07-13T19:42:04.284Z"));
    assert_eq!(
        (o.lines[0].line_id.as_str(), o.lines[0].quantity.as_str()),
        ("OIID34853450", "45")
    );

    let mut v = doc(unshipped);
    v["Payload"]["OrderStatusChangeNotification"]["OrderStatus"] = json!("Shipped");
    v["Payload"]["OrderStatusChangeNotification"]["Quantity"] = json!("x");
    assert_eq!(
        invalid_value(&v),
        "order 333-7777777-7777777: Payload.OrderStatusChangeNotification.Quantity `x` is not a number"
    );
}
