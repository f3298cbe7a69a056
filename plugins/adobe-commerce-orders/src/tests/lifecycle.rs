//! Mapping of the lifecycle documents: the invoice, the ship and refund
//! request bodies and the MSI source selection result.

use serde_json::{json, Value};

use super::*;
use crate::{AT_HEADER, ENTITY_ID_HEADER, ORDER_ID_HEADER, REQUEST_HEADER};

const SHIP_TRACKS: &str = "adobe-commerce_POST_V1_order_3_ship_request_tracks.json";
const SHIP_MSI: &str = "adobe-commerce_POST_V1_order_3_ship_request_msi-source_ne_wh.json";
const REFUND: &str = "adobe-commerce_POST_V1_order_5_refund_request_return-to-stock.json";
const SELECTION: &str =
    "adobe-commerce_V1_inventory_source-selection-algorithm-result_priority.json";

/// The outputs for `msg`, each with its payload as JSON.
fn outputs(msg: Message) -> Vec<(Message, Value)> {
    AdobeCommerceOrders::process(msg)
        .expect("maps")
        .into_iter()
        .map(|m| {
            let v: Value = serde_json::from_slice(&m.payload).expect("JSON payload");
            (m, v)
        })
        .collect()
}

fn one(msg: Message) -> (Message, Value) {
    let mut out = outputs(msg);
    assert_eq!(out.len(), 1, "exactly one message");
    out.remove(0)
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|l| l[key].as_str().unwrap_or("-").to_string())
        .collect()
}

#[test]
fn invoice_3_lines_totals_and_order() {
    let invoice = sample!(INVOICE);
    configure(&[]);
    let (m, v) = one(raw(invoice));
    assert_eq!(m.kind, "invoice.posted");
    assert_eq!(m.id, "adobe-commerce:invoice:3:2017-08-21T22:36:03Z");
    assert_eq!(m.correlation_id, "adobe-commerce:3");
    assert_eq!(v["schema"], "weft.invoice/1");
    assert_eq!(v["invoice_id"], "000000003");
    assert_eq!(v["correlation_id"], "adobe-commerce:3");
    assert_eq!(v["order_refs"], json!(["3"]));
    assert_eq!(v["references"], json!({"entity_id": "3"}));
    assert_eq!(v["invoice_date"], "2017-08-21T22:36:02Z");
    assert_eq!(v["currency"], "USD");
    assert_eq!(v["purpose"], "original");
    assert_eq!(
        strs(&v["lines"], "line_id"),
        ["3", "4", "5", "6", "7", "8", "9", "10"]
    );
    assert_eq!(
        strs(&v["lines"], "total"),
        ["22.00", "18.00", "-", "27.00", "5.00", "17.00", "19.00", "52.00"]
    );
    assert_eq!(v["lines"][2]["unit_price"], "68.00");
    assert_eq!(v["lines"][7]["sku"], "MH01-S-Gray");
    assert_eq!(v["lines"][7]["quantity"], "1");
    assert_eq!(v["source"]["unbilled_items"], json!(["11"]));
    assert_eq!(v["source"]["state_name"], "paid");
    assert_eq!(
        v["totals"],
        json!({"subtotal": "160.00", "allowances": "0.00", "charges": "5.00", "tax": "0.00", "total": "165.00"})
    );
    assert_eq!(
        v["charges"],
        json!([{"kind": "charge", "code": "shipping", "amount": "5.00"}])
    );
    // Same order correlation as the order itself.
    let (order_msg, _, _) = run(raw(sample!(ORDER)));
    assert_eq!(order_msg.correlation_id, m.correlation_id);
}

#[test]
fn invoice_cancelled_discount_decimals_and_search_result() {
    let invoice = sample!(INVOICE);
    configure(&[("channel", Some("magento-eu"))]);
    let mut v: Value = serde_json::from_slice(invoice).unwrap();
    v["state"] = json!(3);
    v["discount_amount"] = json!(-10.1);
    v["grand_total"] = json!(154.9);
    v["items"][0]["discount_amount"] = json!(2.35);
    v["updated_at"] = json!("2017-08-25 01:02:03");
    let (m, out) = one(raw(v.to_string().as_bytes()));
    assert_eq!(m.id, "magento-eu:invoice:3:2017-08-25T01:02:03Z");
    assert_eq!(m.correlation_id, "magento-eu:3");
    assert_eq!(out["purpose"], "cancel");
    assert_eq!(out["totals"]["allowances"], "10.10");
    assert_eq!(out["totals"]["total"], "154.90");
    assert_eq!(
        out["charges"][1],
        json!({"kind": "allowance", "code": "discount", "amount": "10.10"})
    );
    assert_eq!(
        out["lines"][0]["charges"],
        json!([{"kind": "allowance", "code": "discount", "amount": "2.35"}])
    );
    let mut second = v.clone();
    second["entity_id"] = json!(4);
    second["increment_id"] = json!("000000004");
    let list = json!({"items": [v, second], "search_criteria": {}, "total_count": 2});
    let out = outputs(raw(list.to_string().as_bytes()));
    let ids: Vec<&str> = out.iter().map(|(m, _)| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "magento-eu:invoice:3:2017-08-25T01:02:03Z",
            "magento-eu:invoice:4:2017-08-25T01:02:03Z"
        ]
    );
    assert_eq!(out[1].1["invoice_id"], "000000004");
}

#[test]
fn invoice_errors_name_the_field() {
    let invoice = sample!(INVOICE);
    configure(&[]);
    let base: Value = serde_json::from_slice(invoice).unwrap();
    let bad = |edit: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        edit(&mut v);
        invalid(v.to_string().as_bytes())
    };
    assert_eq!(
        bad(&|v| v["items"][1]["qty"] = json!("x")),
        "invoice 3: items[1] (order_item_id 4) qty `x` is not a decimal"
    );
    assert_eq!(
        bad(&|v| v["items"][0]["order_item_id"] = Value::Null),
        "invoice 3: items[0] has no `order_item_id`"
    );
    assert_eq!(
        bad(&|v| v["items"] = json!([])),
        "invoice 3: no `items` (an invoice needs at least one line)"
    );
    assert_eq!(
        bad(&|v| v["grand_total"] = json!("1,5")),
        "invoice 3: grand_total `1,5` is not a decimal"
    );
    assert_eq!(
        bad(&|v| v["created_at"] = json!("21/08/2017")),
        "invoice 3: created_at `21/08/2017` is not a `YYYY-MM-DD HH:MM:SS` timestamp"
    );
    assert_eq!(
        bad(&|v| {
            v.as_object_mut().unwrap().remove("entity_id");
        }),
        "Adobe Commerce invoice has no `entity_id`"
    );
}

#[test]
fn ship_request_with_tracks() {
    let body = sample!(SHIP_TRACKS);
    configure(&[]);
    let msg = raw(body).with_header(REQUEST_HEADER, "POST /rest/default/V1/order/3/ship");
    let (m, v) = one(msg);
    assert_eq!(m.kind, "shipment.dispatched");
    assert_eq!(m.correlation_id, "adobe-commerce:3");
    let shipment_id = v["shipment_id"].as_str().unwrap().to_string();
    assert!(
        shipment_id.starts_with("3-") && shipment_id.len() == 18,
        "{shipment_id}"
    );
    assert_eq!(m.id, format!("adobe-commerce:shipment:{shipment_id}"));
    assert_eq!(v["status"], "shipped");
    assert_eq!(v["order_refs"], json!(["3"]));
    assert_eq!(v["tracking"], json!(["1Y-9876543210"]));
    assert_eq!(
        v["carrier"],
        json!({"code": "ups", "name": "United Parcel Service"})
    );
    let items = &v["packages"][0]["items"];
    assert_eq!(strs(items, "line_id"), ["3", "5", "11"]);
    assert_eq!(strs(items, "quantity"), ["1", "1", "1"]);
    assert_eq!(strs(items, "order_id"), ["3", "3", "3"]);
    assert!(v.get("shipped_at").is_none());
    // The same body by the order id header is the same shipment.
    let (again, _) = one(raw(body).with_header(ORDER_ID_HEADER, "3"));
    assert_eq!(again.id, m.id);
    // A changed body is another shipment.
    let mut changed: Value = serde_json::from_slice(body).unwrap();
    changed["items"][0]["qty"] = json!(2);
    let (other, _) = one(raw(changed.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3"));
    assert_ne!(other.id, m.id);
}

#[test]
fn ship_request_from_an_msi_source() {
    let body = sample!(SHIP_MSI);
    configure(&[]);
    let msg = raw(body)
        .with_header(ORDER_ID_HEADER, "3")
        .with_header(ENTITY_ID_HEADER, "4")
        .with_header(AT_HEADER, "2017-08-22 10:15:00");
    let (m, v) = one(msg);
    assert_eq!(m.id, "adobe-commerce:shipment:4");
    assert_eq!(v["shipment_id"], "4");
    assert_eq!(v["shipped_at"], "2017-08-22T10:15:00Z");
    assert_eq!(
        v["parties"],
        json!([{"role": "ship_from", "id": "ne_wh", "id_qualifier": "source_code"}])
    );
    assert_eq!(v["references"]["source_code"], "ne_wh");
    let items = &v["packages"][0]["items"];
    assert_eq!(strs(items, "line_id"), ["3", "4"]);
    assert_eq!(strs(items, "quantity"), ["20", "35"]);
    assert_eq!(
        v["source"]["comment"],
        "Shipment from the Northeast warehouse"
    );
}

#[test]
fn refund_with_items_is_a_return() {
    let body = sample!(REFUND);
    configure(&[]);
    let msg = raw(body).with_header(REQUEST_HEADER, "POST /V1/order/5/refund");
    let (m, v) = one(msg);
    assert_eq!(m.kind, "return.completed");
    assert_eq!(m.correlation_id, "adobe-commerce:5");
    assert_eq!(v["order_id"], "5");
    assert!(v.get("refund_id").is_none());
    assert_eq!(
        v["lines"],
        json!([{"line_id": "3", "quantity": "1", "restock": true}])
    );
    assert_eq!(v["totals"], json!({"shipping": "0.00"}));
    assert_eq!(v["source"]["adjustment"], "0.00");
    // Items not listed in return_to_stock_items are not restocked; without
    // the list it is unknown.
    let mut two: Value = serde_json::from_slice(body).unwrap();
    two["items"] = json!([{"order_item_id": 3, "qty": 1}, {"order_item_id": 4, "qty": 0.5}]);
    let (_, v) = one(raw(two.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "5"));
    assert_eq!(
        v["lines"][1],
        json!({"line_id": "4", "quantity": "0.5", "restock": false})
    );
    two["arguments"]["extension_attributes"] = json!({});
    let (_, v) = one(raw(two.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "5"));
    assert!(v["lines"][0].get("restock").is_none());
}

#[test]
fn refund_without_items_is_a_credit() {
    configure(&[]);
    let body = json!({"items": [{"order_item_id": 3, "qty": 0}], "arguments": {"shipping_amount": 5, "adjustment_positive": 0.1, "adjustment_negative": 0.3}});
    let msg = raw(body.to_string().as_bytes())
        .with_header(ORDER_ID_HEADER, "3")
        .with_header(ENTITY_ID_HEADER, "9")
        .with_header(AT_HEADER, "2017-08-24T08:00:00Z");
    let (m, v) = one(msg);
    assert_eq!(m.kind, "credit.issued");
    assert_eq!(m.id, "adobe-commerce:creditmemo:9");
    assert_eq!(v["credit_id"], "9");
    assert_eq!(v["amount"], "4.80");
    assert_eq!(v["issued_at"], "2017-08-24T08:00:00Z");
    assert_eq!(v["order_id"], "3");
    assert_eq!(v["source"]["adjustment"], "-0.20");
    let no_time = raw(body.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3");
    assert_eq!(
        invalid_msg(no_time),
        "refund request for order 3: a refund without items is a credit, which needs the time it was issued: pass it in header `x-adobe-commerce-requested-at`"
    );
    let fee = json!({"arguments": {"adjustment_negative": 2}});
    assert_eq!(
        invalid_msg(raw(fee.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3")),
        "refund request for order 3: returns no goods (no `items` with a quantity) and refunds no money (shipping_amount + adjustment_positive − adjustment_negative is -2.00)"
    );
}

#[test]
fn source_selection_one_allocation_per_source() {
    let body = sample!(SELECTION);
    configure(&[]);
    let out = outputs(raw(body).with_header(ORDER_ID_HEADER, "3"));
    assert_eq!(out.len(), 2);
    let (ne, west) = (&out[0].1, &out[1].1);
    assert!(out[0]
        .0
        .id
        .starts_with("adobe-commerce:allocation:3:ne_wh:"));
    assert!(out[1]
        .0
        .id
        .starts_with("adobe-commerce:allocation:3:west_wh:"));
    assert_eq!(out[0].0.kind, "order.allocated");
    assert_eq!(ne["location"], "ne_wh");
    assert_eq!(ne["ack_type"], "accepted");
    assert_eq!(ne["ack_id"], "3:ne_wh");
    assert_eq!(strs(&ne["lines"], "sku"), ["24-WB01", "24-WB03"]);
    assert_eq!(strs(&ne["lines"], "quantity"), ["35", "20"]);
    assert_eq!(west["location"], "west_wh");
    assert_eq!(strs(&west["lines"], "quantity"), ["5"]);
    assert_eq!(west["source"]["qty_available"], json!({"24-WB01": "15"}));
    // Replayed: the same ids; changed: new ids.
    let again = outputs(raw(body).with_header(ORDER_ID_HEADER, "3"));
    assert_eq!(again[0].0.id, out[0].0.id);
    let mut v: Value = serde_json::from_slice(body).unwrap();
    v["source_selection_items"][2]["qty_to_deduct"] = json!(4);
    let changed = outputs(raw(v.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3"));
    assert_ne!(changed[1].0.id, out[1].0.id);
    assert_eq!(changed[1].1["lines"][0]["quantity"], "4");
}

#[test]
fn source_selection_refusals() {
    let body = sample!(SELECTION);
    configure(&[]);
    let mut v: Value = serde_json::from_slice(body).unwrap();
    v["shippable"] = json!(false);
    let with_order =
        |v: &Value| invalid_msg(raw(v.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3"));
    assert_eq!(
        with_order(&v),
        "source selection for order 3: `shippable` is false: the sources cannot ship the requested quantities, so nothing is allocated"
    );
    let none = json!({"source_selection_items": [{"source_code": "a", "sku": "X", "qty_to_deduct": 0}], "shippable": true});
    assert_eq!(
        with_order(&none),
        "source selection for order 3: allocates nothing (no `source_selection_items` row with a `qty_to_deduct` above 0)"
    );
    let no_code = json!({"source_selection_items": [{"sku": "X", "qty_to_deduct": 1}]});
    assert_eq!(
        with_order(&no_code),
        "source selection for order 3: source_selection_items[0] has no `source_code`"
    );
    let bad_qty = json!({"source_selection_items": [{"source_code": "a", "sku": "X", "qty_to_deduct": "lots"}]});
    assert_eq!(
        with_order(&bad_qty),
        "source selection for order 3: source_selection_items[0] (a X) qty_to_deduct `lots` is not a decimal"
    );
}

#[test]
fn request_headers_are_checked() {
    let body = sample!(SHIP_TRACKS);
    configure(&[]);
    assert_eq!(
        invalid(body),
        "a ship request (the body of POST /V1/order/{orderId}/ship) does not name its order (the `{orderId}` is in the request URL, not the body): pass the order's entity_id in header `x-adobe-commerce-order-id`, or the request line in `x-adobe-commerce-request` (e.g. `POST /V1/order/3/ship`)"
    );
    let both = raw(body)
        .with_header(REQUEST_HEADER, "POST /V1/order/3/ship")
        .with_header(ORDER_ID_HEADER, "4");
    assert_eq!(
        invalid_msg(both),
        "header `x-adobe-commerce-request` names order 3 but `x-adobe-commerce-order-id` is 4"
    );
    assert!(
        invalid_msg(raw(body).with_header(REQUEST_HEADER, "GET /V1/orders/3")).ends_with(
            "(e.g. `POST /V1/order/3/ship`); `x-adobe-commerce-request` is `GET /V1/orders/3`, which names no order"
        )
    );
    // Orders fetched with another request line map as before.
    let (m, _, _) = run(raw(sample!(ORDER)).with_header(REQUEST_HEADER, "GET /V1/orders/3"));
    assert_eq!(m.id, "adobe-commerce:3:order.created");
    assert_eq!(
        invalid_msg(raw(body).with_header(ORDER_ID_HEADER, "3").with_header(AT_HEADER, "yesterday")),
        "header `x-adobe-commerce-requested-at` is `yesterday`, which is not an RFC 3339 or `YYYY-MM-DD HH:MM:SS` timestamp"
    );
    let bad_item = json!({"items": [{"order_item_id": 3, "qty": -1}], "tracks": []});
    assert_eq!(
        invalid_msg(raw(bad_item.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3")),
        "ship request for order 3: items[0] (order_item_id 3) qty `-1` is negative"
    );
    let no_items = json!({"tracks": [{"track_number": "1"}]});
    assert_eq!(
        invalid_msg(raw(no_items.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3")),
        "ship request for order 3: no `items` with a quantity (`order_item_id` and `qty` above 0)"
    );
    // A bare items body is told by the request line.
    let bare = json!({"items": [{"order_item_id": 3, "qty": 1}]});
    let (m, _) = one(
        raw(bare.to_string().as_bytes()).with_header(REQUEST_HEADER, "POST /V1/order/3/refund")
    );
    assert_eq!(m.kind, "return.completed");
    // The order event header is not read for other documents.
    let (m, _) = one(raw(body)
        .with_header(ORDER_ID_HEADER, "3")
        .with_header(crate::EVENT_HEADER, "x"));
    assert_eq!(m.kind, "shipment.dispatched");
}

#[test]
fn odd_lifecycle_inputs_fail_cleanly() {
    configure(&[]);
    let huge = "79228162514264337593543950335";
    let cases = [
        json!({"entity_id": 1, "order_id": 3, "grand_total": 1, "items": [null]}),
        json!({"entity_id": 1, "order_id": 3, "grand_total": 1, "items": 5}),
        json!({"entity_id": 1, "order_id": 3, "grand_total": {"a": 1}, "items": [{"order_item_id": 1, "qty": 1}]}),
        json!({"source_selection_items": 5}),
        json!({"source_selection_items": [null]}),
        json!({"items": [{"order_item_id": 1, "qty": [1]}], "tracks": []}),
        json!({"items": [{"order_item_id": 1, "qty": 1}], "tracks": "x"}),
        json!({"arguments": {"shipping_amount": huge, "adjustment_positive": huge}}),
        json!({"arguments": {"adjustment_positive": "-1e999999"}}),
    ];
    for c in cases {
        let msg = raw(c.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "3");
        let reason = invalid_msg(msg);
        assert!(
            reason.starts_with("payload is not an Adobe Commerce")
                || reason.starts_with("invoice 1")
                || reason.starts_with("refund request for order 3")
                || reason.starts_with("source selection for order 3"),
            "{reason}"
        );
    }
}
