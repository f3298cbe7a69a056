//! Fulfillments (shipments) and refunds (returns, credits) of the real
//! samples, in every form they arrive in.

use serde_json::{json, Value};

use super::*;

#[test]
fn fulfillment_webhook_body_is_the_same_shipment_as_the_wrapped_one() {
    let create = sample!(FULFILLMENT_CREATE);
    let wrapped = outputs(create, None);
    assert_eq!(wrapped.len(), 1);
    let (m, s) = &wrapped[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), m.correlation_id.as_str()),
        (
            "shopify:fulfillment:1022782903:shipped:2020-10-06T14:07:19-04:00",
            "shipment.dispatched",
            "shopify:1073459976"
        )
    );
    assert_eq!(s["shipment_id"], "1022782903");
    assert_eq!(s["order_refs"], json!(["1073459976"]));
    assert_eq!(s["status"], "shipped");
    assert_eq!(s["shipped_at"], "2020-10-06T14:07:19-04:00");
    assert_eq!(s["tracking"], json!(["1562678"]));
    assert_eq!(s["carrier"], json!({"name": "example"}));
    assert_eq!(
        s["packages"][0]["items"][0],
        json!({"line_id": "1071823189", "sku": "crappy_shoes_red", "quantity": "1", "order_id": "1073459976"})
    );
    // fulfillments/create and fulfillments/update deliver the bare object.
    let bare = inner(create, "fulfillment").to_string();
    for topic in [
        None,
        Some("fulfillments/create"),
        Some("fulfillments/update"),
    ] {
        let out = outputs(bare.as_bytes(), topic);
        assert_eq!(out.len(), 1);
        assert_eq!((&out[0].0.id, &out[0].1), (&m.id, s), "{topic:?}");
    }
}

#[test]
fn delivered_and_cancelled_are_facts_about_the_same_shipment() {
    let cancel = outputs(sample!(FULFILLMENT_CANCEL), None);
    let (m, s) = &cancel[0];
    assert_eq!(
        m.id,
        "shopify:fulfillment:255858046:cancelled:2015-09-02T14:49:26-04:00"
    );
    assert_eq!(
        (&s["shipment_id"], &s["status"], &s["cancelled_at"]),
        (
            &json!("255858046"),
            &json!("cancelled"),
            &json!("2015-09-02T14:49:26-04:00")
        )
    );
    assert!(s.get("delivered_at").is_none());

    let mut f = inner(sample!(FULFILLMENT_CREATE), "fulfillment");
    f["shipment_status"] = json!("delivered");
    f["updated_at"] = json!("2020-10-08T09:00:00-04:00");
    let out = outputs(f.to_string().as_bytes(), Some("fulfillments/update"));
    let (m, s) = &out[0];
    assert_eq!(
        m.id,
        "shopify:fulfillment:1022782903:delivered:2020-10-08T09:00:00-04:00"
    );
    assert_eq!(s["shipment_id"], "1022782903");
    assert_eq!(s["status"], "delivered");
    assert_eq!(s["delivered_at"], "2020-10-08T09:00:00-04:00");
    assert_eq!(s["shipped_at"], "2020-10-06T14:07:19-04:00");
    assert_eq!(s["source"]["shipment_status"], "delivered");
    // A cancelled fulfillment stays cancelled whatever its shipment status.
    f["status"] = json!("cancelled");
    let out = outputs(f.to_string().as_bytes(), None);
    assert_eq!(out[0].1["status"], "cancelled");
}

#[test]
fn unshipped_fulfillments_are_refused_alone_and_skipped_in_lists() {
    let mut f = inner(sample!(FULFILLMENT_CREATE), "fulfillment");
    for status in ["pending", "open", "error", "failure"] {
        f["status"] = json!(status);
        assert_eq!(
            invalid(json!({ "fulfillment": f }).to_string().as_bytes()),
            format!("fulfillment 1022782903 is {status}, not shipped")
        );
    }
    let list = inner(sample!(FULFILLMENTS_LIST), "fulfillments");
    let shipped = list[0].clone();
    let doc = json!({"fulfillments": [f, shipped]});
    let out = outputs(doc.to_string().as_bytes(), None);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1["shipment_id"], "1069019901");
    // The same fulfillment twice is one message; no fulfillment, none.
    let doc = json!({"fulfillments": [shipped, shipped]});
    assert_eq!(outputs(doc.to_string().as_bytes(), None).len(), 1);
    assert!(outputs(br#"{"fulfillments": []}"#, None).is_empty());
    let mut changed = shipped.clone();
    changed["tracking_number"] = json!("X");
    changed["tracking_numbers"] = json!(["X"]);
    let doc = json!({"fulfillments": [shipped, changed]});
    assert!(invalid(doc.to_string().as_bytes()).contains("twice with different content"));
}

#[test]
fn tracking_numbers_are_trimmed_not_rewritten() {
    let out = outputs(sample!(FULFILLMENTS_LIST), None);
    // `#☠1☢\n---\n4321\n`: the trailing newline goes, the inner ones stay.
    assert_eq!(out[0].1["tracking"], json!(["#☠1☢\n---\n4321"]));
    assert_eq!(out[0].1["correlation_id"], "shopify:450789469");
}

#[test]
fn refund_with_returned_goods_is_a_return_with_its_money() {
    let create = sample!(REFUND_CREATE);
    let out = outputs(create, None);
    assert_eq!(
        out.len(),
        1,
        "the refund transaction is not sent on its own"
    );
    let (m, r) = &out[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), m.correlation_id.as_str()),
        (
            "shopify:refund:929361464",
            "return.completed",
            "shopify:450789469"
        )
    );
    assert_eq!(
        (&r["return_id"], &r["refund_id"], &r["order_id"]),
        (
            &json!("929361464"),
            &json!("929361464"),
            &json!("450789469")
        )
    );
    assert_eq!(r["returned_at"], "2017-01-05T15:40:24-05:00");
    assert_eq!(
        r["lines"],
        json!([{"line_id": "518995019", "sku": "IPOD2008RED", "quantity": "1", "amount": "195.67", "restock": true}])
    );
    // 195.67 + 3.98 = 199.65, the refund transaction.
    assert_eq!(
        r["totals"],
        json!({"subtotal": "195.67", "tax": "3.98", "total": "199.65"})
    );
    assert_eq!(r["currency"], "USD");
    assert_eq!(r["reason"], "wrong size");
    let bare = inner(create, "refund").to_string();
    for topic in [None, Some("refunds/create")] {
        let o = outputs(bare.as_bytes(), topic);
        assert_eq!((&o[0].0.id, &o[0].1), (&m.id, r));
    }
    let list = json!({"refunds": [inner(create, "refund")]}).to_string();
    assert_eq!(outputs(list.as_bytes(), None)[0].1, *r);
}

#[test]
fn refund_without_returned_goods_is_a_credit() {
    // No real Shopify file has one: the real refund with its goods removed.
    let mut refund = inner(sample!(REFUND_CREATE), "refund");
    refund["refund_line_items"] = json!([]);
    let out = outputs(json!({ "refund": refund }).to_string().as_bytes(), None);
    let (m, c) = &out[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), m.correlation_id.as_str()),
        (
            "shopify:refund:929361464",
            "credit.issued",
            "shopify:450789469"
        )
    );
    assert_eq!(c["schema"], "weft.credit/1");
    assert_eq!(
        (
            &c["credit_id"],
            &c["amount"],
            &c["currency"],
            &c["issued_at"]
        ),
        (
            &json!("929361464"),
            &json!("199.65"),
            &json!("USD"),
            &json!("2017-01-05T15:40:24-05:00")
        )
    );
    assert_eq!(c["order_refs"], json!(["450789469"]));
    assert!(c.get("lines").is_none());
    // Zero-quantity line items are no returned goods either.
    let mut zero = refund.clone();
    let mut line = inner(sample!(REFUND_CREATE), "refund")["refund_line_items"][0].clone();
    line["quantity"] = json!(0);
    zero["refund_line_items"] = json!([line]);
    let out = outputs(json!({ "refund": zero }).to_string().as_bytes(), None);
    assert_eq!(out[0].0.kind, "credit.issued");
    assert_eq!(
        out[0].1["lines"],
        json!([{"line_id": "518995019", "sku": "IPOD2008RED", "amount": "195.67"}])
    );
    // Without transactions: the money the order adjustments give back.
    refund["transactions"] = json!([]);
    refund["order_adjustments"] = json!([
        {"amount": "-5.00", "tax_amount": "-0.30", "kind": "shipping_refund"}
    ]);
    let out = outputs(json!({ "refund": refund }).to_string().as_bytes(), None);
    assert_eq!(
        (&out[0].1["amount"], out[0].1.get("currency")),
        (&json!("5.30"), None)
    );
}

#[test]
fn refunds_that_move_no_money_and_no_goods_are_no_fact() {
    let mut refund = inner(sample!(REFUND_CREATE), "refund");
    refund["refund_line_items"] = json!([]);
    refund["transactions"][0]["status"] = json!("failure");
    let reason = invalid(json!({ "refund": refund }).to_string().as_bytes());
    assert!(
        reason.starts_with("refund 929361464 returns no goods"),
        "{reason}"
    );
    let returned = inner(sample!(REFUND_CREATE), "refund");
    let doc = json!({"refunds": [refund, returned]});
    let out = outputs(doc.to_string().as_bytes(), None);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].0.kind, "return.completed");
}

#[test]
fn bad_refund_figures_name_the_field() {
    let mut refund = inner(sample!(REFUND_CREATE), "refund");
    refund["refund_line_items"][0]["subtotal"] = json!("19,99");
    assert_eq!(
        invalid(json!({ "refund": refund }).to_string().as_bytes()),
        "refund 929361464: refund_line_items[0] (line 518995019) subtotal `19,99` is not a decimal"
    );
    let mut refund = inner(sample!(REFUND_CREATE), "refund");
    refund["transactions"][0]["currency"] = json!("EUR");
    let mut second = refund["transactions"][0].clone();
    second["currency"] = json!("USD");
    refund["transactions"] = json!([refund["transactions"][0], second]);
    assert_eq!(
        invalid(json!({ "refund": refund }).to_string().as_bytes()),
        "refund 929361464: transactions[1] is in USD, an earlier refund transaction in EUR"
    );
    let v: Value = json!({"refund": {"id": 1, "refund_line_items": []}});
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "refund 1 has no `order_id`"
    );
}

#[test]
fn python_fixtures_pending_fulfillment_and_two_line_return() {
    assert_eq!(
        invalid(sample!(FULFILLMENT)),
        "fulfillment 255858046 is pending, not shipped"
    );
    let out = outputs(sample!(REFUND), None);
    let r = &out[0].1;
    assert_eq!(out[0].0.kind, "return.completed");
    let lines: Vec<(&str, &str)> = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line_id"].as_str().unwrap(),
                l["quantity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [("703073504", "1"), ("466157049", "1")]);
    // No subtotals on these line items: no amounts are made up.
    assert!(r["lines"][0].get("amount").is_none());
    assert_eq!(r["totals"], json!({"total": "209.00"}));
}
