//! The fulfilled milestone: completed orders (REST v3 and in lists) and
//! the status history notes of order 723.

use serde_json::{json, Value};

use super::*;
use crate::ORDER_ID_HEADER;

#[test]
fn a_completed_order_is_also_fulfilled() {
    let doc = sample!(COMPLETED);
    configure(&[]);
    let out = documents(raw(doc).with_header(crate::TOPIC_HEADER, "order.updated"));
    let ids: Vec<(&str, &str)> = out
        .iter()
        .map(|(id, kind, _)| (id.as_str(), kind.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "woocommerce:727:order.updated:2017-03-22T19:30:35Z",
                "order.updated"
            ),
            (
                "woocommerce:727:fulfilled:2017-03-22T19:30:35Z",
                "shipment.dispatched"
            )
        ]
    );
    assert_eq!(out[0].2["status"], "completed");
    assert_eq!(out[0].2["source"]["date_completed"], "2017-03-22T19:30:35Z");
    // No items or quantities: the order was fulfilled, what was shipped is
    // not said. `shipped_at` is `date_completed_gmt`.
    assert_eq!(
        out[1].2,
        json!({
            "schema": "weft.shipment/1", "shipment_id": "727:fulfilled", "channel": "woocommerce",
            "correlation_id": "woocommerce:727", "order_refs": ["727"], "status": "fulfilled",
            "shipped_at": "2017-03-22T19:30:35Z", "tracking": [], "packages": [],
            "ship_to": {"name": "John Doe", "address_lines": ["969 Market"], "city": "San Francisco",
                        "region": "CA", "postal_code": "94103", "country": "US"},
            "source": {"document": "woocommerce.order", "order_status": "completed"}
        })
    );
    // The same order before completion (processing): the order only.
    assert_eq!(outputs(raw(sample!(ORDER))).len(), 1);
    // Deleted, or cancelled: no milestone.
    let deleted = outputs(raw(doc).with_header(crate::TOPIC_HEADER, "order.deleted"));
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].kind, "order.cancelled");
}

#[test]
fn completion_time_gmt_else_local_with_offset() {
    let doc = sample!(COMPLETED);
    configure(&[]);
    let mut v: Value = serde_json::from_slice(doc).unwrap();
    v["date_completed_gmt"] = Value::Null;
    // `date_completed` without an offset cannot be placed in time.
    let out = documents(raw(v.to_string().as_bytes()));
    assert_eq!(out[1].0, "woocommerce:727:fulfilled");
    assert!(out[1].2.get("shipped_at").is_none());
    v["date_completed"] = json!("2017-03-22T16:30:35-03:00");
    let out = documents(raw(v.to_string().as_bytes()));
    assert_eq!(out[1].2["shipped_at"], "2017-03-22T16:30:35-03:00");
    v["date_completed_gmt"] = json!("22.03.2017");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 727: date_completed_gmt `22.03.2017` is not a `YYYY-MM-DDTHH:MM:SS` timestamp"
    );
}

#[test]
fn listed_orders_polled_again() {
    let list = sample!(LIST);
    configure(&[]);
    let out = documents(raw(list));
    let ids: Vec<&str> = out.iter().map(|(id, _, _)| id.as_str()).collect();
    // 723 is completed (date_completed_gmt 19:54:51).
    assert_eq!(
        ids,
        [
            "woocommerce:727:order.created:2017-03-22T19:28:08Z",
            "woocommerce:723:order.created:2017-03-21T19:54:51Z",
            "woocommerce:723:fulfilled:2017-03-21T19:54:51Z"
        ]
    );
    assert_eq!(out[2].2["shipment_id"], "723:fulfilled");
    // The same list again: the same ids (duplicates).
    assert_eq!(documents(raw(list)), out);
    // 727 changed (completed at 19:30:35): a new order message and a
    // milestone; 723 unchanged keeps its ids.
    let mut v: Value = serde_json::from_slice(list).unwrap();
    let done: Value = serde_json::from_slice(sample!(COMPLETED)).unwrap();
    v[0] = done;
    let again = documents(raw(v.to_string().as_bytes()));
    let ids: Vec<&str> = again.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "woocommerce:727:order.created:2017-03-22T19:30:35Z",
            "woocommerce:727:fulfilled:2017-03-22T19:30:35Z",
            "woocommerce:723:order.created:2017-03-21T19:54:51Z",
            "woocommerce:723:fulfilled:2017-03-21T19:54:51Z"
        ]
    );
    // An order listed twice is sent once.
    let twice = json!([v[1], v[1]]);
    assert_eq!(outputs(raw(twice.to_string().as_bytes())).len(), 2);
}

#[test]
fn status_history_notes() {
    let notes = sample!(NOTES);
    configure(&[]);
    // 281 "Order ok!!!" and 279 (→ On hold) are no fulfilment; 280
    // "Order status changed from On hold to Completed." is, at its time.
    let out = documents(raw(notes));
    assert_eq!(out.len(), 1);
    let (id, kind, shipment) = &out[0];
    assert_eq!(
        (id.as_str(), kind.as_str()),
        (
            "woocommerce:723:fulfilled:2017-03-21T19:16:58Z",
            "shipment.dispatched"
        )
    );
    assert_eq!(
        shipment,
        &json!({
            "schema": "weft.shipment/1", "shipment_id": "723:fulfilled", "channel": "woocommerce",
            "correlation_id": "woocommerce:723", "order_refs": ["723"], "status": "fulfilled",
            "shipped_at": "2017-03-21T19:16:58Z", "tracking": [], "packages": [],
            "source": {"document": "woocommerce.order_note", "note_id": "280",
                       "status_from": "On hold", "status_to": "Completed"}
        })
    );
    // The same shipment as the completed order's (one fulfilment).
    let listed = documents(raw(sample!(LIST)));
    assert_eq!(listed[2].2["shipment_id"], shipment["shipment_id"]);
    assert_eq!(listed[2].2["correlation_id"], shipment["correlation_id"]);

    let v: Value = serde_json::from_slice(notes).unwrap();
    assert_eq!(
        invalid(v[2].to_string().as_bytes()),
        "order note 279 changes the status to On hold, not to Completed"
    );
    let mut to_customer = v[1].clone();
    to_customer["customer_note"] = json!(true);
    assert_eq!(
        invalid(to_customer.to_string().as_bytes()),
        "order note 280 is a note to the customer, not a status change"
    );
    // A history without a completion maps to nothing (not an error).
    let open = json!([v[0], v[2]]);
    assert!(outputs(raw(open.to_string().as_bytes())).is_empty());
    // Without `_links` the order must be named.
    let mut bare = v[1].clone();
    bare.as_object_mut().unwrap().remove("_links");
    assert!(
        invalid(bare.to_string().as_bytes()).starts_with("order note 280: the order is unknown")
    );
    let out = documents(raw(bare.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "723"));
    assert_eq!(out[0].2["order_refs"], json!(["723"]));
}

#[test]
fn legacy_notes_and_status_slugs() {
    configure(&[]);
    // The legacy API's notes (its docs' example), status slugs lower case.
    let legacy = json!({"order_notes": [
        {"id": "416", "created_at": "2015-01-26T20:56:44Z", "note": "Order ok!!!", "customer_note": false},
        {"id": "415", "created_at": "2015-01-26T20:16:14Z", "note": "Order status changed from processing to completed.", "customer_note": false}
    ]});
    let out = documents(raw(legacy.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "645"));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].0, "woocommerce:645:fulfilled:2015-01-26T20:16:14Z");
    assert_eq!(out[0].2["source"]["status_to"], "completed");
    let one = json!({"order_note": legacy["order_notes"][1]});
    assert_eq!(
        documents(raw(one.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "645")),
        out
    );
}

#[test]
fn status_change_text() {
    use crate::note::status_change;
    let pair = status_change;
    assert_eq!(
        pair("Order status changed from On hold to Completed."),
        Some(("On hold".into(), "Completed".into()))
    );
    assert_eq!(
        pair("Awaiting BACS payment Order status changed from Pending payment to On hold."),
        Some(("Pending payment".into(), "On hold".into()))
    );
    assert_eq!(
        pair("Order status changed from Processing to Completed. Shipped by DHL."),
        Some(("Processing".into(), "Completed".into()))
    );
    assert_eq!(pair("Order ok!!!"), None);
    assert_eq!(pair("Order status changed from to ."), None);
}
