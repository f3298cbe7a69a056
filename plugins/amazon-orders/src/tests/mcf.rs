//! FBA Multi-Channel Fulfillment: getFulfillmentOrder, package tracking
//! and FULFILLMENT_ORDER_STATUS notifications.

use serde_json::json;

use super::*;

#[test]
fn complete_order_gives_one_shipment_per_package() {
    let shipped = sample!(MCF_SHIPPED);
    let out = run_json(&doc(shipped));
    assert_eq!(out.len(), 1);
    let (m, s) = &out[0];
    assert_eq!(
        m.id,
        "amazon:shipment:543939833:shipped:2026-03-30T17:54:09Z"
    );
    assert_eq!(
        (m.kind.as_str(), m.correlation_id.as_str()),
        ("shipment.dispatched", "amazon:SidOMSTestOrder_MCF_11")
    );
    assert_eq!(s["shipment_id"], "543939833");
    assert_eq!(s["order_refs"], json!(["SidOMSTestOrder_MCF_11"]));
    assert_eq!(s["status"], "shipped");
    assert_eq!(s["shipped_at"], "2026-04-02T17:54:04Z");
    assert_eq!(s["expected_at"], "2026-04-04T17:54:04Z");
    assert_eq!(s["carrier"], json!({"code": "Amazon Logistics"}));
    assert_eq!(
        s["tracking"],
        json!(["cf28ebcb-be19-4f4c-b7d4-99486bd2ad6c"])
    );
    assert_eq!(
        s["packages"],
        json!([{"package_id": "543939833", "tracking": "cf28ebcb-be19-4f4c-b7d4-99486bd2ad6c",
            "items": [{"sku": "5X-K5YM-JYEO", "quantity": "1",
                "order_id": "SidOMSTestOrder_MCF_11", "line_id": "5X-K5YM-JYEO"}]}])
    );
    assert_eq!(
        s["references"]["amazon_shipment_id"],
        "890ada4c017f383482686d480d5280bc0"
    );
    assert_eq!(s["references"]["fulfillment_center_id"], "PHX3");
    assert_eq!(s["ship_to"]["postal_code"], "85050");

    // Two packages: one shipment each, items split by packageNumber.
    let mut v = doc(shipped);
    let sh = &mut v["payload"]["fulfillmentShipments"][0];
    sh["fulfillmentShipmentPackage"]
        .as_array_mut()
        .unwrap()
        .push(json!({"carrierCode": "UPS", "packageNumber": 7, "trackingNumber": "1Z"}));
    sh["fulfillmentShipmentItem"].as_array_mut().unwrap().push(
        json!({"packageNumber": 7, "quantity": 2, "sellerFulfillmentOrderItemId": "B", "sellerSku": "B"}),
    );
    let out = run_json(&v);
    let ids: Vec<&str> = out
        .iter()
        .map(|(_, s)| s["shipment_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["543939833", "7"]);
    assert_eq!(out[1].1["packages"][0]["items"][0]["quantity"], "2");
    assert_eq!(out[1].1["carrier"]["code"], "UPS");
    // An item naming no package cannot be placed among two.
    v["payload"]["fulfillmentShipments"][0]["fulfillmentShipmentItem"][1]
        .as_object_mut()
        .unwrap()
        .remove("packageNumber");
    assert_eq!(
        invalid_value(&v),
        "fulfillment order SidOMSTestOrder_MCF_11: fulfillmentShipments[0] (amazonShipmentId 890ada4c017f383482686d480d5280bc0): item B names no packageNumber and the shipment has 2 packages"
    );
}

#[test]
fn shipment_statuses_and_orders_with_nothing_shipped() {
    let shipped = sample!(MCF_SHIPPED);
    let mut v = doc(shipped);
    v["payload"]["fulfillmentShipments"][0]["fulfillmentShipmentStatus"] =
        json!("CANCELLED_BY_SELLER");
    let (m, s) = &run_json(&v)[0];
    assert_eq!(
        m.id,
        "amazon:shipment:543939833:cancelled:2026-03-30T17:54:09Z"
    );
    assert_eq!(
        (s["status"].as_str(), s["cancelled_at"].as_str()),
        (Some("cancelled"), Some("2026-03-30T17:54:09Z"))
    );
    v["payload"]["fulfillmentShipments"][0]["fulfillmentShipmentStatus"] = json!("PENDING");
    v["payload"]["fulfillmentOrder"]["fulfillmentOrderStatus"] = json!("Processing");
    assert_eq!(
        invalid_value(&v),
        "the getFulfillmentOrder response for fulfillment order SidOMSTestOrder_MCF_11 states no shipment, cancellation, acknowledgement, payment or return: fulfillmentShipments[0] (amazonShipmentId 890ada4c017f383482686d480d5280bc0) is PENDING, not shipped"
    );
    v["payload"]["fulfillmentShipments"][0]["fulfillmentShipmentStatus"] = json!("LOST");
    assert_eq!(
        invalid_value(&v),
        "fulfillment order SidOMSTestOrder_MCF_11: fulfillmentShipments[0] (amazonShipmentId 890ada4c017f383482686d480d5280bc0).fulfillmentShipmentStatus `LOST` is not an MCF shipment status (PENDING, SHIPPED, CANCELLED_BY_FULFILLER, CANCELLED_BY_SELLER)"
    );
}

#[test]
fn cancelled_fulfillment_order_is_the_orders_cancellation() {
    let cancelled = sample!(MCF_CANCELLED);
    let out = run_value(&doc(cancelled));
    assert_eq!(out.len(), 1);
    let (m, o) = &out[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str()),
        (
            "amazon:SidOMSTestOrder_MCF_12:order.cancelled",
            "order.cancelled"
        )
    );
    assert_eq!(o.order_id, "SidOMSTestOrder_MCF_12");
    assert_eq!(
        o.order_number.as_deref(),
        Some("TestOrder-CustomerFacing-12")
    );
    assert_eq!(o.status.as_deref(), Some("Cancelled"));
    assert_eq!(o.ordered_at.as_deref(), Some("2026-03-30T11:06:00Z"));
    assert_eq!(o.cancelled_at.as_deref(), Some("2026-03-30T17:58:35Z"));
    let l = &o.lines[0];
    assert_eq!(
        (l.line_id.as_str(), l.sku.as_deref(), l.quantity.as_str()),
        ("5X-K5YM-JYEO", Some("5X-K5YM-JYEO"), "1")
    );
    assert_eq!(totals(o), [None; 5]);
}

#[test]
fn delivered_package_is_a_fact_about_the_shipped_package() {
    let tracking = sample!(MCF_TRACKING);
    let shipped = sample!(MCF_SHIPPED);
    let (m, s) = &run_json(&doc(tracking))[0];
    assert_eq!(
        m.id,
        "amazon:shipment:543939833:delivered:2026-04-04T17:54:04Z"
    );
    // Same shipment id as the package's shipment in getFulfillmentOrder.
    let (_, shipped) = &run_json(&doc(shipped))[0];
    assert_eq!(s["shipment_id"], shipped["shipment_id"]);
    assert_eq!(s["status"], "delivered");
    assert_eq!(s["delivered_at"], "2026-04-04T17:54:04Z");
    assert_eq!(s["shipped_at"], "2026-04-02T17:54:04Z");
    assert_eq!(
        s["packages"],
        json!([{"package_id": "543939833",
        "tracking": "cf28ebcb-be19-4f4c-b7d4-99486bd2ad6c", "items": []}])
    );
    // The response names no order.
    assert_eq!(m.correlation_id, "amazon:package:543939833");
    assert_eq!(s["order_refs"], json!([]));

    let mut v = doc(tracking);
    v["sellerFulfillmentOrderId"] = json!("SidOMSTestOrder_MCF_11");
    let (m, s) = &run_json(&v)[0];
    assert_eq!(m.correlation_id, "amazon:SidOMSTestOrder_MCF_11");
    assert_eq!(s["order_refs"], json!(["SidOMSTestOrder_MCF_11"]));

    // No EVENT_301: delivered, but when is not said.
    let mut v = doc(tracking);
    v["payload"]["trackingEvents"][3]["eventCode"] = json!("EVENT_999");
    let (m, s) = &run_json(&v)[0];
    assert!(s.get("delivered_at").is_none());
    assert!(
        m.id.starts_with("amazon:shipment:543939833:delivered:"),
        "{}",
        m.id
    );
    assert_eq!(
        m.id.len(),
        "amazon:shipment:543939833:delivered:".len() + 16
    );

    let mut v = doc(tracking);
    v["payload"]["currentStatus"] = json!("IN_TRANSIT");
    assert_eq!(
        invalid_value(&v),
        "the getPackageTrackingDetails response for package 543939833 states no shipment, cancellation, acknowledgement, payment or return: its currentStatus is IN_TRANSIT; only a DELIVERED package is mapped"
    );
}

#[test]
fn status_notification_maps_the_return_and_names_what_it_did_not_map() {
    let notification = sample!(MCF_STATUS);
    let out = run_json(&doc(notification));
    assert_eq!(out.len(), 1);
    let (m, r) = &out[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str()),
        (
            "amazon:return:SFOID2345:SELLERSKU9345:2020-07-13T19:42:04.284Z:completed",
            "return.completed"
        )
    );
    assert_eq!(m.correlation_id, "amazon:SFOID2345");
    assert_eq!(r["order_id"], "SFOID2345");
    assert_eq!(r["status"], "completed");
    assert_eq!(r["returned_at"], "2020-07-13T19:42:04.284Z");
    assert_eq!(
        r["lines"],
        json!([{"line_id": "SELLERSKU9345", "sku": "SELLERSKU9345", "quantity": "12"}])
    );
    assert_eq!(r["totals"], json!({}));
    assert_eq!(
        r["source"]["not_mapped"],
        json!(["FulfillmentShipment (AmazonShipmentId ASID49535).FulfillmentShipmentStatus `PROCESSED` is not an MCF shipment status (PENDING, SHIPPED, CANCELLED_BY_FULFILLER, CANCELLED_BY_SELLER)"])
    );

    // A SHIPPED shipment: one shipment per package, without items.
    let mut v = doc(notification);
    let n = &mut v["Payload"]["FulfillmentOrderStatusNotification"];
    n["FulfillmentShipment"]["FulfillmentShipmentStatus"] = json!("SHIPPED");
    n["FulfillmentReturnItem"]
        .as_object_mut()
        .unwrap()
        .remove("ReceivedDateTime");
    let out = run_json(&v);
    let kinds: Vec<(&str, &str)> = out
        .iter()
        .map(|(m, _)| (m.kind.as_str(), m.id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "shipment.dispatched",
                "amazon:shipment:1:shipped:2020-07-13T19:42:04.284Z"
            ),
            (
                "shipment.dispatched",
                "amazon:shipment:2:shipped:2020-07-13T19:42:04.284Z"
            ),
            (
                "shipment.dispatched",
                "amazon:shipment:3:shipped:2020-07-13T19:42:04.284Z"
            ),
            ("return.authorized", &*out[3].0.id),
        ]
    );
    assert_eq!(out[2].1["tracking"], json!(["1Z885647654573405"]));
    assert_eq!(out[2].1["carrier"]["code"], "3-930434");
    assert_eq!(out[0].1["references"]["amazon_shipment_id"], "ASID49535");
    // Nothing was received: authorized, not completed.
    assert_eq!(out[3].1["status"], "authorized");
    assert!(out[3].1.get("returned_at").is_none());

    // Cancelled fulfillment order without shipment or return.
    let mut v = doc(notification);
    let n = v["Payload"]["FulfillmentOrderStatusNotification"]
        .as_object_mut()
        .unwrap();
    n.remove("FulfillmentShipment");
    n.remove("FulfillmentReturnItem");
    n.insert("FulfillmentOrderStatus".into(), json!("Processing"));
    assert!(run_json(&v).is_empty());
    v["Payload"]["FulfillmentOrderStatusNotification"]["FulfillmentOrderStatus"] =
        json!("Cancelled");
    let (m, o) = &run_value(&v)[0];
    assert_eq!(m.id, "amazon:SFOID2345:order.cancelled");
    assert_eq!(o.cancelled_at.as_deref(), Some("2020-07-13T19:42:04.284Z"));
    assert!(o.lines.is_empty());
}

#[test]
fn return_items_are_one_unit_returns() {
    let shipped = sample!(MCF_SHIPPED);
    let mut v = doc(shipped);
    v["payload"]["returnItems"] = json!([
        {"sellerReturnItemId": "R1", "sellerFulfillmentOrderItemId": "5X-K5YM-JYEO",
         "amazonShipmentId": "890ada4c017f383482686d480d5280bc0", "sellerReturnReasonCode": "DAMAGED",
         "status": "Processed", "statusChangedDate": "2026-04-10T10:00:00Z",
         "returnAuthorizationId": "RA1", "returnReceivedCondition": "CustomerDamaged"},
        {"sellerReturnItemId": "R2", "sellerFulfillmentOrderItemId": "5X-K5YM-JYEO",
         "amazonShipmentId": "890ada4c017f383482686d480d5280bc0", "sellerReturnReasonCode": "NO_LONGER_WANTED",
         "status": "New", "statusChangedDate": "2026-04-09T10:00:00Z"}
    ]);
    v["payload"]["returnAuthorizations"] =
        json!([{"returnAuthorizationId": "RA1", "amazonRmaId": "RMA-9"}]);
    let out = run_json(&v);
    let ids: Vec<(&str, &str)> = out
        .iter()
        .map(|(m, _)| (m.kind.as_str(), m.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "shipment.dispatched",
                "amazon:shipment:543939833:shipped:2026-03-30T17:54:09Z"
            ),
            ("return.completed", "amazon:return:R1:completed"),
            ("return.authorized", "amazon:return:R2:authorized"),
        ]
    );
    let r = &out[1].1;
    assert_eq!(r["order_id"], "SidOMSTestOrder_MCF_11");
    assert_eq!(r["returned_at"], "2026-04-10T10:00:00Z");
    assert_eq!(r["reason"], "DAMAGED");
    assert_eq!(
        r["lines"],
        json!([{"line_id": "5X-K5YM-JYEO", "sku": "5X-K5YM-JYEO", "quantity": "1"}])
    );
    assert_eq!(r["references"]["amazon_rma_id"], "RMA-9");
    assert_eq!(r["source"]["return_received_condition"], "CustomerDamaged");
    assert_eq!(
        (
            out[2].1["authorized_at"].as_str(),
            out[2].1.get("returned_at")
        ),
        (Some("2026-04-09T10:00:00Z"), None)
    );
    v["payload"]["returnItems"][1]["status"] = json!("Lost");
    assert_eq!(
        invalid_value(&v),
        "fulfillment order SidOMSTestOrder_MCF_11: returnItems[1] (sellerReturnItemId R2).status `Lost` is not an MCF return item status (New, Processed)"
    );
}
