//! Fulfillment orders (`order.allocated`) and order list pages (a
//! reconciliation poll).

use serde_json::{json, Value};

use super::*;

fn lines(v: &Value) -> Vec<(String, String, String)> {
    v["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            (
                l["line_id"].as_str().unwrap_or("-").to_string(),
                l["quantity"].as_str().unwrap_or("-").to_string(),
                l["status"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn own(s: &str) -> String {
    s.to_string()
}

#[test]
fn fulfillment_orders_list_is_one_allocation_each() {
    let out = outputs(sample!(FULFILLMENT_ORDERS), None);
    assert_eq!(out.len(), 1);
    let (m, v) = &out[0];
    assert_eq!(m.kind, "order.allocated");
    assert_eq!(m.correlation_id, "shopify:450789469");
    assert!(
        m.id.starts_with(
            "shopify:fulfillment_order:1025578636:in_progress:cancellation_requested:"
        ),
        "{}",
        m.id
    );
    assert_eq!(v["schema"], "weft.order_ack/1");
    assert_eq!(v["order_id"], "450789469");
    assert_eq!(v["ack_id"], "1025578636");
    assert_eq!(v["ack_type"], "accepted");
    assert_eq!(v["location"], "48752903");
    assert_eq!(v["source"]["location_name"], "Apple Api Shipwire");
    assert_eq!(v["source"]["request_status"], "cancellation_requested");
    assert_eq!(
        v["source"]["fulfillable_quantity"],
        json!({"518995019": "1"})
    );
    assert_eq!(lines(v), [(own("518995019"), own("1"), own("accepted"))]);
    assert_eq!(v["parties"][0]["role"], "ship_to");
    assert_eq!(v["parties"][0]["address"]["city"], "Louisville");
    assert!(v.get("acknowledged_at").is_none());
    // Replayed: the same id; changed: a new one.
    assert_eq!(outputs(sample!(FULFILLMENT_ORDERS), None)[0].0.id, m.id);
    let mut changed: Value = serde_json::from_slice(sample!(FULFILLMENT_ORDERS)).unwrap();
    changed["fulfillment_orders"][0]["line_items"][0]["fulfillable_quantity"] = json!(0);
    let again = outputs(changed.to_string().as_bytes(), None);
    assert_ne!(again[0].0.id, m.id);
    assert_eq!(again[0].1["lines"][0]["quantity"], "1");
}

#[test]
fn bare_array_of_fulfillment_orders() {
    let out = outputs(sample!(FULFILLMENT_ORDERS_ARRAY), None);
    let ids: Vec<&str> = out.iter().map(|(m, _)| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "shopify:fulfillment_order:519788021:open:unsubmitted:2016-07-12T11:23:42-04:00",
            "shopify:fulfillment_order:519788022:open:unsubmitted:2016-07-12T11:23:42-04:00"
        ]
    );
    for ((_, v), sku) in out.iter().zip(["IPOD2008GREEN", "IPOD2008RED"]) {
        assert_eq!(v["location"], "905684977");
        assert_eq!(v["acknowledged_at"], "2016-07-12T11:23:42-04:00");
        assert_eq!(lines(v), [(own("466157049"), own("1"), own("accepted"))]);
        assert_eq!(v["lines"][0]["sku"], sku);
    }
}

#[test]
fn fulfillment_order_states() {
    let list: Value = serde_json::from_slice(sample!(FULFILLMENT_ORDERS)).unwrap();
    let fo = list["fulfillment_orders"][0].clone();
    let with = |status: &str, request: &str| {
        let mut v = fo.clone();
        v["status"] = json!(status);
        v["request_status"] = json!(request);
        let body = json!({ "fulfillment_order": v }).to_string();
        let mut out = outputs(body.as_bytes(), None);
        assert_eq!(out.len(), 1);
        let (_, v) = out.remove(0);
        (
            v["ack_type"].as_str().unwrap_or("-").to_string(),
            v["purpose"].as_str().unwrap_or("-").to_string(),
            v["lines"][0]["status"].as_str().unwrap_or("-").to_string(),
        )
    };
    let t = |a: &str, p: &str, l: &str| (own(a), own(p), own(l));
    assert_eq!(
        with("cancelled", "cancellation_accepted"),
        t("rejected", "cancel", "cancelled")
    );
    assert_eq!(
        with("in_progress", "cancellation_accepted"),
        t("rejected", "cancel", "cancelled")
    );
    assert_eq!(
        with("closed", "rejected"),
        t("rejected", "original", "rejected")
    );
    assert_eq!(
        with("incomplete", "accepted"),
        t("rejected", "original", "rejected")
    );
    assert_eq!(
        with("open", "submitted"),
        t("pending", "original", "pending")
    );
    assert_eq!(
        with("closed", "closed"),
        t("accepted", "original", "accepted")
    );
    assert_eq!(
        with("on_hold", "unsubmitted"),
        t("accepted", "original", "accepted")
    );
    // A bare fulfillment order (a webhook body) maps the same way.
    let bare = outputs(fo.to_string().as_bytes(), Some("fulfillment_orders/moved"));
    assert_eq!(bare[0].0.kind, "order.allocated");
}

#[test]
fn bad_fulfillment_orders_name_the_field() {
    let list: Value = serde_json::from_slice(sample!(FULFILLMENT_ORDERS)).unwrap();
    let fo = list["fulfillment_orders"][0].clone();
    let bad = |edit: &dyn Fn(&mut Value)| {
        let mut v = fo.clone();
        edit(&mut v);
        invalid(json!({ "fulfillment_order": v }).to_string().as_bytes())
    };
    assert_eq!(
        bad(&|v| v["line_items"][0]["quantity"] = json!("one")),
        "fulfillment order 1025578636: line_items[0] (line_item_id 518995019) quantity `one` is not a decimal"
    );
    assert_eq!(
        bad(&|v| v["line_items"][0]["line_item_id"] = Value::Null),
        "fulfillment order 1025578636: line_items[0] has no `line_item_id`"
    );
    assert_eq!(
        bad(&|v| v["line_items"] = json!([])),
        "fulfillment order 1025578636 has no `line_items` (or `fulfillment_order_line_items`)"
    );
    assert_eq!(
        bad(&|v| v["order_id"] = Value::Null),
        "fulfillment order 1025578636 has no `order_id`"
    );
    assert_eq!(
        bad(&|v| v["status"] = Value::Null),
        "fulfillment order 1025578636 has no `status`"
    );
    assert_eq!(
        bad(&|v| v["updated_at"] = json!("soon")),
        "fulfillment order 1025578636: updated_at `soon` is not an RFC 3339 timestamp"
    );
    let no_id = json!({"fulfillment_orders": [{"order_id": 1, "status": "open"}]});
    assert_eq!(
        invalid(no_id.to_string().as_bytes()),
        "fulfillment_orders[0] has no `id`"
    );
}

#[test]
fn order_list_page_is_a_poll() {
    let get = inner(sample!(GET), "order");
    let cancel = inner(sample!(CANCEL), "order");
    let page = json!({ "orders": [get.clone(), cancel] });
    let out = outputs(page.to_string().as_bytes(), Some("orders/create"));
    let ids: Vec<(&str, &str)> = out
        .iter()
        .map(|(m, _)| (m.id.as_str(), m.kind.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "shopify:450789469:order.updated:2008-01-10T11:00:00-05:00",
                "order.updated"
            ),
            ("shopify:450789469:order.cancelled", "order.cancelled")
        ]
    );
    // The webhook for the same state has the same id: a duplicate.
    let (hook, _, _) =
        run(raw(get.to_string().as_bytes()).with_header(crate::TOPIC_HEADER, "orders/updated"));
    assert_eq!(hook.id, out[0].0.id);
    // The webhook rules are unchanged: a bare order without topic is a creation.
    let (created, _, _) = run(raw(get.to_string().as_bytes()));
    assert_eq!(created.id, "shopify:450789469:order.created");
    // A changed order polled again is a new update.
    let mut changed = get.clone();
    changed["updated_at"] = json!("2008-01-11T09:00:00-05:00");
    let out = outputs(json!({ "orders": [changed] }).to_string().as_bytes(), None);
    assert_eq!(
        out[0].0.id,
        "shopify:450789469:order.updated:2008-01-11T09:00:00-05:00"
    );
    // An empty page says nothing changed.
    assert!(outputs(br#"{"orders": []}"#, None).is_empty());
}

#[test]
fn order_list_page_refusals() {
    let reason = invalid(sample!(ORDERS_LIST));
    assert_eq!(
        reason,
        "orders[0]: order 450789469 has no line_items (a list page fetched with a `fields` filter that leaves them out cannot be mapped: poll with line_items, or fetch GET /orders/450789469.json)"
    );
    let mut get = inner(sample!(GET), "order");
    get.as_object_mut().unwrap().remove("updated_at");
    let page = json!({ "orders": [inner(sample!(GET), "order"), get] });
    assert_eq!(
        invalid(page.to_string().as_bytes()),
        "orders[1]: order 450789469 has no `updated_at`: a polled order needs it, or its changes would be dropped as duplicates"
    );
    let reason = invalid(br#"{"orders": [5]}"#);
    assert!(
        reason.starts_with(
            "payload is not a Shopify order list page (`{\"orders\": […]}`) of the expected shape"
        ),
        "{reason}"
    );
}
