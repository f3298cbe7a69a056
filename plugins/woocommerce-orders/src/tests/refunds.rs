//! Refunds: the real refunds of order 723 (REST v3) and 645 (legacy API),
//! and variants of them derived at test time.

use serde_json::{json, Value};

use super::*;
use crate::ORDER_ID_HEADER;

/// The refunds list of order 723 as JSON.
fn refunds_723() -> Option<Value> {
    let b = testing::realdata_bytes("woocommerce", REFUNDS)?;
    Some(serde_json::from_slice(b).expect("json"))
}

#[test]
fn refunds_of_723_are_a_credit_and_a_return() {
    let list = sample!(REFUNDS);
    configure(&[]);
    let out = documents(raw(list));
    assert_eq!(out.len(), 2);
    // 726: 10.00 without lines → money only. The order comes from
    // `_links.up` (`…/orders/723`), so the correlation id is the order's.
    let (id, kind, credit) = &out[0];
    assert_eq!(
        (id.as_str(), kind.as_str()),
        ("woocommerce:refund:726:4edb01785916e85b", "credit.issued")
    );
    assert_eq!(
        credit,
        &json!({
            "schema": "weft.credit/1", "credit_id": "726", "channel": "woocommerce",
            "correlation_id": "woocommerce:723", "order_id": "723", "order_refs": ["723"],
            "issued_at": "2017-03-21T20:07:11Z", "amount": "10.00",
            "source": {"document": "woocommerce.refund", "refunded_by": "1", "refunded_payment": false}
        })
    );
    // 724: line 311 (`_refunded_item_id`), quantity -1 and total -9.00 →
    // one unit of 311 back, 9.00 refunded.
    let (id, kind, ret) = &out[1];
    assert_eq!(
        (id.as_str(), kind.as_str()),
        (
            "woocommerce:refund:724:e44a5a7120f6e714",
            "return.completed"
        )
    );
    assert_eq!(
        ret,
        &json!({
            "schema": "weft.return/1", "return_id": "724", "refund_id": "724", "order_id": "723",
            "channel": "woocommerce", "correlation_id": "woocommerce:723",
            "returned_at": "2017-03-21T19:55:37Z",
            "lines": [{"line_id": "311", "quantity": "1", "amount": "9.00"}],
            "totals": {"subtotal": "9.00", "tax": "0.00", "total": "9.00"},
            "source": {"document": "woocommerce.refund", "refunded_by": "1", "refunded_payment": false}
        })
    );
    // The correlation id is the one the order mapping gives order 723.
    let orders = run_all(raw(sample!(LIST)));
    assert_eq!(orders[1].0.correlation_id, "woocommerce:723");
    // Replayed, or re-polled unchanged: the same ids (duplicates).
    assert_eq!(documents(raw(list)), out);
    // The header or the setting naming the same order change nothing.
    assert_eq!(
        documents(raw(list).with_header(ORDER_ID_HEADER, " 723 ")),
        out
    );
    configure(&[("order_id", Some("723"))]);
    assert_eq!(documents(raw(list)), out);
    configure(&[("channel", Some("woo-eu"))]);
    let eu = documents(raw(list));
    assert_eq!(eu[0].2["correlation_id"], "woo-eu:723");
    assert!(eu[0].0.starts_with("woo-eu:refund:726:"));
    configure(&[]);
}

#[test]
fn legacy_refunds_of_645() {
    let list = sample!(LEGACY_REFUNDS);
    configure(&[]);
    // No `_links` in the legacy body: the order must be named.
    assert_eq!(
        invalid(list),
        "order_refunds[0]: refund 649: the order is unknown: the body has no `order_id` and no `_links.up` to `…/orders/{id}`, and neither header `x-wc-order-id` nor setting `order_id` is set"
    );
    let out = documents(raw(list).with_header(ORDER_ID_HEADER, "645"));
    let kinds: Vec<&str> = out.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["credit.issued", "return.completed"]);
    let credit = &out[0].2;
    assert_eq!(
        (
            &credit["credit_id"],
            &credit["amount"],
            &credit["issued_at"]
        ),
        (
            &json!("649"),
            &json!("10.00"),
            &json!("2015-01-26T19:29:32Z")
        )
    );
    assert!(credit.get("lines").is_none());
    // 647: line 514, quantity 1, -21.99 → one unit, 21.99; line 515
    // (quantity 0, 0.00) is no returned unit and no money.
    let ret = &out[1].2;
    assert_eq!(ret["correlation_id"], "woocommerce:645");
    assert_eq!(ret["returned_at"], "2015-01-26T19:19:06Z");
    assert_eq!(
        ret["lines"],
        json!([{"line_id": "514", "quantity": "1", "amount": "21.99"}])
    );
    assert_eq!(
        ret["totals"],
        json!({"subtotal": "21.99", "tax": "0.00", "total": "21.99"})
    );
    // The legacy line names no order line: its own id is kept, flagged.
    assert_eq!(ret["source"]["unlinked_lines"], json!(["514"]));
    // `refunded_item_id` (newer legacy bodies) links it.
    let mut v: Value = serde_json::from_slice(list).unwrap();
    v["order_refunds"][1]["line_items"][0]["refunded_item_id"] = json!(504);
    let out = documents(raw(v.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "645"));
    assert_eq!(out[1].2["lines"][0]["line_id"], "504");
    assert!(out[1].2["source"].get("unlinked_lines").is_none());
    // One legacy refund, wrapped as `order_refund`.
    let one = json!({"order_refund": v["order_refunds"][0]});
    let out = documents(raw(one.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "645"));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].2["credit_id"], "649");
}

#[test]
fn where_the_order_id_comes_from() {
    let Some(list) = refunds_723() else { return };
    configure(&[]);
    let mut bare = list[1].clone();
    bare.as_object_mut().unwrap().remove("_links");
    let body = bare.to_string();
    assert_eq!(
        invalid(body.as_bytes()),
        "refund 724: the order is unknown: the body has no `order_id` and no `_links.up` to `…/orders/{id}`, and neither header `x-wc-order-id` nor setting `order_id` is set"
    );
    let out = documents(raw(body.as_bytes()).with_header(ORDER_ID_HEADER, "723"));
    assert_eq!(out[0].2["order_id"], "723");
    configure(&[("order_id", Some("723"))]);
    assert_eq!(documents(raw(body.as_bytes()))[0].2["order_id"], "723");
    // The header wins over the setting; both must agree with the body.
    let out = documents(raw(body.as_bytes()).with_header(ORDER_ID_HEADER, "724"));
    assert_eq!(out[0].2["order_id"], "724");
    assert_eq!(
        invalid_msg(raw(list.to_string().as_bytes()).with_header(ORDER_ID_HEADER, "999")),
        "[0]: refund 726: `_links.up` names order 723, but header `x-wc-order-id` names order 999"
    );
    configure(&[]);
    // Only `collection` (`…/orders/723/refunds`) also names it.
    let mut coll = list[1].clone();
    coll["_links"].as_object_mut().unwrap().remove("up");
    assert_eq!(
        documents(raw(coll.to_string().as_bytes()))[0].2["order_id"],
        "723"
    );
    // A body carrying `order_id` (or `parent_id`) is read as is.
    bare["order_id"] = json!(723);
    assert_eq!(
        documents(raw(bare.to_string().as_bytes()))[0].2["order_id"],
        "723"
    );
    bare["order_id"] = Value::Null;
    bare["parent_id"] = json!(723);
    assert_eq!(
        documents(raw(bare.to_string().as_bytes()))[0].2["order_id"],
        "723"
    );
    bare["parent_id"] = json!(0);
    assert!(invalid(bare.to_string().as_bytes()).contains("the order is unknown"));
}

#[test]
fn signs_money_only_lines_and_refusals() {
    let Some(list) = refunds_723() else { return };
    configure(&[]);
    let goods = &list[1];
    // Positive quantities (the legacy docs' form) read the same.
    let mut v = goods.clone();
    v["line_items"][0]["quantity"] = json!(1);
    v["line_items"][0]["total"] = json!("9.00");
    let out = documents(raw(v.to_string().as_bytes()));
    assert_eq!(
        out[0].2["lines"],
        json!([{"line_id": "311", "quantity": "1", "amount": "9.00"}])
    );
    // A refunded shipping line is the return's shipping; the amount is the
    // whole refund.
    let mut v = goods.clone();
    v["amount"] = json!("14.00");
    v["shipping_lines"] = json!([{"id": 330, "total": "-5.00", "total_tax": "0.00"}]);
    let out = documents(raw(v.to_string().as_bytes()));
    assert_eq!(
        out[0].2["totals"],
        json!({"subtotal": "9.00", "tax": "0.00", "shipping": "5.00", "total": "14.00"})
    );
    // A line with money but no quantity: a credit line (no goods back).
    let mut v = goods.clone();
    v["line_items"][0]["quantity"] = json!(0);
    let out = documents(raw(v.to_string().as_bytes()));
    assert_eq!(out[0].1, "credit.issued");
    assert_eq!(out[0].2["amount"], "9.00");
    assert_eq!(
        out[0].2["lines"],
        json!([{"line_id": "311", "amount": "9.00"}])
    );
    // A refund of nothing: refused alone, skipped in a list.
    let mut nothing = list[0].clone();
    nothing["amount"] = json!("0.00");
    assert_eq!(
        invalid(nothing.to_string().as_bytes()),
        "refund 726 returns no goods (no line_items with a quantity) and refunds no money (`amount` 0)"
    );
    let two = json!([nothing, goods]);
    let out = documents(raw(two.to_string().as_bytes()));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1, "return.completed");
    // Figures and times name their field.
    let mut v = goods.clone();
    v["line_items"][0]["total"] = json!("-9,00");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "refund 724: line_items[0] (line 311) total `-9,00` is not a decimal"
    );
    let mut v = goods.clone();
    v.as_object_mut().unwrap().remove("amount");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "refund 724 has no `amount`"
    );
    let mut v = goods.clone();
    v["line_items"][0]["quantity"] = Value::Null;
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "refund 724: line_items[0] (line 311) quantity is missing"
    );
    let mut v = goods.clone();
    v.as_object_mut().unwrap().remove("date_created_gmt");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "refund 724 has no `date_created_gmt` or `created_at` (`date_created` `2017-03-21T16:55:37` has no UTC offset)"
    );
    v["date_created"] = json!("2017-03-21T16:55:37-03:00");
    assert_eq!(
        documents(raw(v.to_string().as_bytes()))[0].2["returned_at"],
        "2017-03-21T16:55:37-03:00"
    );
    let mut v = goods.clone();
    v.as_object_mut().unwrap().remove("id");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "WooCommerce refund has no `id`"
    );
    let two = json!([list[0], v]);
    assert_eq!(
        invalid(two.to_string().as_bytes()),
        "[1]: WooCommerce refund has no `id`"
    );
    let odd = json!([{"id": 1, "amount": "1.00", "line_items": "x"}]);
    assert!(invalid(odd.to_string().as_bytes())
        .starts_with("[0]: payload is not of the expected shape: invalid type: string"));
    let huge = "79228162514264337593543950335";
    let odd = json!({"id": 1, "amount": "1", "refunded_by": 1, "order_id": 2, "date_created_gmt": "2017-03-21T19:55:37",
        "line_items": [{"id": 3, "quantity": -1, "total": huge}, {"id": 4, "quantity": -1, "total": huge}]});
    assert_eq!(
        invalid(odd.to_string().as_bytes()),
        "refund 1: amounts in line_items are too large to compute"
    );
    let odd = json!({"id": 1, "amount": "1", "refunded_by": 1, "_links": {"up": [{"href": 5}, {"href": "/orders/x"}]}});
    assert!(invalid(odd.to_string().as_bytes()).contains("the order is unknown"));
}

#[test]
fn a_changed_refund_gets_a_new_id() {
    let Some(list) = refunds_723() else { return };
    configure(&[]);
    let before = documents(raw(list.to_string().as_bytes()));
    let mut v = list.clone();
    v[0]["reason"] = json!("Damaged in transit");
    let after = documents(raw(v.to_string().as_bytes()));
    assert_ne!(before[0].0, after[0].0);
    assert!(after[0].0.starts_with("woocommerce:refund:726:"));
    assert_eq!(after[0].2["reason"], "Damaged in transit");
    // The unchanged refund keeps its id.
    assert_eq!(before[1].0, after[1].0);
}
