//! The `ORDER_CHANGE` notification example.

use serde_json::json;

use super::*;

#[test]
fn buyer_cancel_request_is_an_update_not_a_cancellation() {
    let notification = sample!(NOTIFICATION);
    let out = run_value(&doc(notification));
    assert_eq!(out.len(), 1);
    let (m, o) = &out[0];
    assert_eq!(
        m.id,
        "amazon:903-8868176-2219830:order.updated:2022-11-29T19:42:04.284Z"
    );
    assert_eq!(
        (m.kind.as_str(), o.purpose.as_str()),
        ("order.updated", "replace")
    );
    assert_eq!(o.correlation_id, "amazon:903-8868176-2219830");
    assert_eq!(o.status.as_deref(), Some("Unshipped"));
    assert_eq!(o.ordered_at.as_deref(), Some("2022-07-13T19:42:04.284Z"));
    // The time of the change, not the (older) EventTime.
    assert_eq!(o.updated_at.as_deref(), Some("2022-11-29T19:42:04.284Z"));
    assert_eq!(
        (o.cancelled_at.as_ref(), o.cancel_reason.as_ref()),
        (None, None)
    );
    assert_eq!(
        o.ship_to.as_ref().and_then(|a| a.postal_code.as_deref()),
        Some("48110")
    );
    assert_eq!(o.lines.len(), 1);
    let l = &o.lines[0];
    assert_eq!(
        (l.line_id.as_str(), l.sku.as_deref(), l.quantity.as_str()),
        ("OIID34853450", Some("SellerSKUID1"), "10")
    );
    assert_eq!((l.unit_price.as_ref(), o.currency.as_ref()), (None, None));
    assert_eq!(totals(o), [None; 5]);
    assert_eq!(o.source["buyer_cancel_requested"], true);
    assert_eq!(
        o.source["buyer_cancel_requests"],
        json!([{"line_id": "OIID34853450"}])
    );
    assert_eq!(o.source["change_reason"], "Buyer Requested Cancel");
    assert_eq!(o.source["event_time"], "2020-01-11T00:09:53.109Z");
    assert_eq!(
        o.source["notification_id"],
        "d0e9e693-c3ad-4373-979f-ed4ec98dd746"
    );
    assert_eq!(o.source["seller_id"], "A3TH9S8BH6GOGM");
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
    assert_eq!(o.cancelled_at.as_deref(), Some("2022-11-29T19:42:04.284Z"));
    assert_eq!(o.cancel_reason.as_deref(), Some("Order canceled by seller"));
    assert!(!o.source.contains_key("buyer_cancel_requests"));

    let mut v = doc(notification);
    v["NotificationType"] = json!("ANY_OFFER_CHANGED");
    assert_eq!(
        invalid_value(&v),
        "notification type `ANY_OFFER_CHANGED` is not supported (only ORDER_CHANGE)"
    );
    let mut v = doc(notification);
    v["Payload"]["OrderChangeNotification"]["Summary"]["OrderItems"][0]["Quantity"] = json!("ten");
    assert_eq!(
        invalid_value(&v),
        "order 903-8868176-2219830: Summary.OrderItems[0] (OrderItemId OIID34853450) Quantity `ten` is not a number"
    );
    let mut v = doc(notification);
    v["Payload"]["OrderChangeNotification"]["OrderChangeTrigger"]["TimeOfOrderChange"] =
        json!("1.569521782042E9");
    assert_eq!(
        invalid_value(&v),
        "order 903-8868176-2219830: OrderChangeTrigger.TimeOfOrderChange `1.569521782042E9` is not an RFC 3339 timestamp"
    );
}
