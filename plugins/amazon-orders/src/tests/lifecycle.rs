//! Vendor PO status and shipments, Finances transactions, Merchant
//! Fulfillment shipments.

use serde_json::json;

use super::*;

#[test]
fn vendor_po_status_is_an_acknowledgement_with_receipts_in_source() {
    let status = sample!(VENDOR_STATUS);
    let out = run_json(&doc(status));
    assert_eq!(out.len(), 1);
    let (m, a) = &out[0];
    assert_eq!(
        (m.kind.as_str(), m.correlation_id.as_str()),
        ("order.acknowledged", "amazon:2JK3S9VC")
    );
    assert!(m
        .id
        .starts_with("amazon:vendor-po:2JK3S9VC:order.acknowledged:"));
    assert_eq!(a["schema"], "weft.order_ack/1");
    assert_eq!(a["order_id"], "2JK3S9VC");
    assert_eq!(a["ack_type"], "accepted");
    assert_eq!(a["ordered_at"], "2019-08-20T15:51:00Z");
    assert!(a.get("acknowledged_at").is_none());
    assert_eq!(
        a["lines"],
        json!([
            {"line_id": "1", "buyer_part": "B07DFVDRAB", "vendor_part": "8806098286500",
             "ordered_quantity": "10", "quantity": "10", "uom": "Eaches", "status": "accepted"},
            {"line_id": "2", "buyer_part": "B07DFYF5AB", "vendor_part": "8806098286123",
             "ordered_quantity": "5", "quantity": "5", "uom": "Eaches", "status": "accepted"}
        ])
    );
    assert_eq!(
        a["source"]["receiving"],
        json!([
            {"line_id": "1", "received_quantity": "5", "uom": "Eaches", "last_receive_date": "2019-08-25T10:30:00Z"},
            {"line_id": "2", "received_quantity": "0", "uom": "Eaches"}
        ])
    );
    assert_eq!(a["references"]["po_number"], "2JK3S9VC");

    // The documented shape: accepted / rejected / unconfirmed units.
    let mut v = doc(status);
    v["payload"]["ordersStatus"][0]["itemStatus"][0] = json!({
        "itemSequenceNumber": "1",
        "orderedQuantity": {"orderedQuantity": {"amount": 10, "unitOfMeasure": "Eaches"}},
        "acknowledgementStatus": {"confirmationStatus": "PARTIALLY_ACCEPTED",
            "acceptedQuantity": {"amount": 6}, "rejectedQuantity": {"amount": 3},
            "acknowledgementStatusDetails": [{"acknowledgementDate": "2019-08-21T10:00:00Z"}]}
    });
    v["payload"]["ordersStatus"][0]["lastUpdatedDate"] = json!("2019-08-26T00:00:00Z");
    let (m, a) = &run_json(&v)[0];
    assert_eq!(
        m.id,
        "amazon:vendor-po:2JK3S9VC:order.acknowledged:2019-08-26T00:00:00Z"
    );
    assert_eq!(a["ack_type"], "accepted_with_changes");
    assert_eq!(a["acknowledged_at"], "2019-08-21T10:00:00Z");
    let lines: Vec<(&str, &str)> = a["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["status"].as_str().unwrap(),
                l["quantity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("accepted", "6"),
            ("rejected", "3"),
            ("pending", "1"),
            ("accepted", "5")
        ]
    );
    assert_eq!(a["lines"][0]["status_code"], "PARTIALLY_ACCEPTED");

    // Whole lines confirmed by status alone; every unit rejected.
    let mut v = doc(status);
    v["payload"]["ordersStatus"][0]["itemStatus"][0]["acknowledgedQuantity"] =
        json!({"confirmationStatus": "ACCEPTED"});
    assert_eq!(run_json(&v)[0].1["ack_type"], "accepted");
    assert!(run_json(&v)[0].1["lines"][0].get("quantity").is_none());
    let items = v["payload"]["ordersStatus"][0]["itemStatus"]
        .as_array_mut()
        .unwrap();
    items[0]["acknowledgedQuantity"] = json!({"rejectedQuantity": {"amount": 10}});
    items[1]["acknowledgedQuantity"] = json!({"confirmationStatus": "REJECTED"});
    let (_, a) = &run_json(&v)[0];
    assert_eq!(a["ack_type"], "rejected");
    assert_eq!(
        (
            a["lines"][0]["status"].as_str(),
            a["lines"][0]["quantity"].as_str()
        ),
        (Some("rejected"), Some("10"))
    );

    // Nothing acknowledged yet: refused.
    let mut v = doc(status);
    for item in v["payload"]["ordersStatus"][0]["itemStatus"]
        .as_array_mut()
        .unwrap()
    {
        item.as_object_mut().unwrap().remove("acknowledgedQuantity");
    }
    assert_eq!(
        invalid_value(&v),
        "the getPurchaseOrdersStatus response states no shipment, cancellation, acknowledgement, payment or return: purchase order 2JK3S9VC is not acknowledged yet (no item has an accepted or rejected quantity)"
    );
    let mut v = doc(status);
    v["payload"]["ordersStatus"][0]["itemStatus"][1]["acknowledgedQuantity"]["acceptedQuantity"]
        ["amount"] = json!("five");
    assert_eq!(
        invalid_value(&v),
        "purchase order 2JK3S9VC: itemStatus[1] (itemSequenceNumber 2).acknowledgedQuantity.acceptedQuantity.amount `five` is not a number"
    );
}

#[test]
fn vendor_shipment_details_give_a_shipment_per_vendor_shipment() {
    let shipments = sample!(VENDOR_SHIPMENT);
    let (m, s) = &run_json(&doc(shipments))[0];
    assert_eq!(m.id, "amazon:shipment:SHIP001:shipped:2024-03-01T10:00:00Z");
    assert_eq!(m.correlation_id, "amazon:2JK3S9VC");
    assert_eq!(s["shipment_id"], "SHIP001");
    assert_eq!(s["order_refs"], json!(["2JK3S9VC"]));
    assert_eq!(s["status"], "shipped");
    assert_eq!(s["shipped_at"], "2024-03-01T09:00:00Z");
    assert_eq!(s["created_at"], "2024-03-01T08:00:00Z");
    assert_eq!(s["carrier"], json!({"code": "UPS", "mode": "Road"}));
    assert_eq!(s["tracking"], json!(["1Z999AA10123456784"]));
    assert_eq!(
        s["packages"],
        json!([
            {"items": [{"buyer_part": "B07DFVDRAB", "vendor_part": "8806098286500", "quantity": "10",
                "uom": "Eaches", "order_id": "2JK3S9VC", "line_id": "001"}]},
            {"package_id": "CARTON001", "tracking": "1Z999AA10123456784", "items": []}
        ])
    );
    assert_eq!(s["parties"][2], json!({"role": "ship_to", "id": "FC001"}));

    let mut v = doc(shipments);
    v["payload"]["shipments"][0]["transactionType"] = json!("Cancel");
    let (m, s) = &run_json(&v)[0];
    assert_eq!(
        m.id,
        "amazon:shipment:SHIP001:cancelled:2024-03-01T10:00:00Z"
    );
    assert_eq!(
        (
            s["status"].as_str(),
            s["cancelled_at"].as_str(),
            s.get("shipped_at")
        ),
        (Some("cancelled"), Some("2024-03-01T10:00:00Z"), None)
    );
    let mut v = doc(shipments);
    v["payload"]["shipments"][0]["currentShipmentStatus"] = json!("CarrierAssigned");
    assert_eq!(
        invalid_value(&v),
        "the getShipmentDetails response states no shipment, cancellation, acknowledgement, payment or return: vendor shipment SHIP001 is CarrierAssigned, not shipped"
    );
}

#[test]
fn settled_shipment_transactions_are_payments() {
    let finances = sample!(FINANCES);
    let (m, p) = &run_json(&doc(finances))[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), m.correlation_id.as_str()),
        (
            "amazon:transaction:8129762527551:Shipment:2020-07-14T03:35:13.214Z",
            "payment.received",
            "amazon:8129762527551"
        )
    );
    assert_eq!(p["schema"], "weft.payment/1");
    assert_eq!(p["order_id"], "8129762527551");
    assert_eq!(p["paid_at"], "2020-07-14T03:35:13.214Z");
    assert_eq!(
        (p["amount"].as_str(), p["currency"].as_str()),
        (Some("10.00"), Some("USD"))
    );
    assert_eq!(
        p["reference"],
        "4MVaHcsAfaYAlwlaPWrXJxrfUiKfYZ2ooWtY7528FUA"
    );
    assert_eq!(p["status"], "completed");

    // A transactionId is the payment id; other types and deferred money are skipped.
    let mut v = doc(finances);
    let list = v["payload"]["transactions"].as_array_mut().unwrap();
    list[0]["transactionId"] = json!("T-1");
    list[0]["transactionStatus"] = json!("RELEASED");
    list[0]["totalAmount"]["currencyAmount"] = json!("25.370");
    let mut fee = list[0].clone();
    fee["transactionType"] = json!("ServiceFee");
    let mut deferred = list[0].clone();
    deferred["transactionStatus"] = json!("DEFERRED");
    deferred["transactionId"] = json!("T-2");
    list.push(fee);
    list.push(deferred);
    let out = run_json(&v);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].0.id, "amazon:transaction:T-1");
    assert_eq!(out[0].1["amount"], "25.37");
    v["payload"]["transactions"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    assert_eq!(
        invalid_value(&v),
        "the listTransactions response states no shipment, cancellation, acknowledgement, payment or return: transactions[0] (transactionId T-1) is a ServiceFee transaction, not an order's payment; transactions[1] (transactionId T-2) is DEFERRED: not released to the seller yet"
    );
    let mut v = doc(finances);
    v["payload"]["transactions"][0]["relatedIdentifiers"]
        .as_array_mut()
        .unwrap()
        .remove(1);
    assert_eq!(
        invalid_value(&v),
        "transactions[0].relatedIdentifiers has no ORDER_ID"
    );
    let mut v = doc(finances);
    v["payload"]["transactions"][0]["totalAmount"]["currencyAmount"] = json!(-3);
    assert!(invalid_value(&v).ends_with("transactions[0] totals -3: no money received"));
}

#[test]
fn purchased_label_is_a_shipment_and_a_refunded_one_its_cancellation() {
    let mfn = sample!(MFN_SHIPMENT);
    let (m, s) = &run_json(&doc(mfn))[0];
    assert_eq!(
        m.id,
        "amazon:shipment:abcddcba-00c3-4f6f-a63a-639f76ee9253:shipped:2019-10-28T18:30:35Z"
    );
    assert_eq!(m.correlation_id, "amazon:903-5563053-5647845");
    assert_eq!(s["status"], "shipped");
    assert_eq!(s["shipped_at"], "2019-10-28T18:00:00Z");
    assert_eq!(s["created_at"], "2019-10-28T18:29:34Z");
    assert_eq!(
        s["carrier"],
        json!({"name": "UPS\u{ae}", "service": "UPS 2nd Day Air\u{ae}"})
    );
    assert_eq!(s["tracking"], json!(["1Z17E2100206868939"]));
    assert_eq!(s["weight"], json!({"value": "10.25", "unit": "oz"}));
    assert_eq!(
        s["packages"][0]["items"],
        json!([{"quantity": "1", "order_id": "903-5563053-5647845", "line_id": "12958298061782"}])
    );
    assert_eq!(s["ship_to"]["postal_code"], "10019-1158");
    assert!(s["ship_to"].get("phone").is_none());
    assert_eq!(
        s["source"]["label_rate"],
        json!({"amount": "34.73", "currency": "USD"})
    );

    let mut v = doc(mfn);
    v["payload"]["Status"] = json!("RefundApplied");
    let (m, s) = &run_json(&v)[0];
    assert_eq!(
        m.id,
        "amazon:shipment:abcddcba-00c3-4f6f-a63a-639f76ee9253:cancelled:2019-10-28T18:30:35Z"
    );
    assert_eq!(s["cancelled_at"], "2019-10-28T18:30:35Z");
    v["payload"]["Status"] = json!("Voided");
    assert_eq!(
        invalid_value(&v),
        "Merchant Fulfillment shipment abcddcba-00c3-4f6f-a63a-639f76ee9253: payload.Status `Voided` is not a Merchant Fulfillment shipment status (Purchased, RefundPending, RefundRejected, RefundApplied)"
    );
}
