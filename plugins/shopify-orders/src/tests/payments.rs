//! Order and tender transactions of the real samples → payments.

use serde_json::json;

use super::*;

#[test]
fn only_the_capture_of_auth_capture_refund_is_money_received() {
    let out = outputs(sample!(TRANSACTIONS), None);
    assert_eq!(out.len(), 1, "authorization and refund give nothing");
    let (m, p) = &out[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), m.correlation_id.as_str()),
        (
            "shopify:transaction:801038806",
            "payment.received",
            "shopify:450789469"
        )
    );
    assert_eq!(
        (
            &p["payment_id"],
            &p["amount"],
            &p["currency"],
            &p["paid_at"]
        ),
        (
            &json!("801038806"),
            &json!("250.94"),
            &json!("USD"),
            &json!("2005-08-05T10:22:51-04:00")
        )
    );
    assert_eq!(
        (&p["gateway"], &p["reference"], &p["status"]),
        (
            &json!("bogus"),
            &json!("authorization-key"),
            &json!("completed")
        )
    );
    // Only the authorization has card details: no method is guessed.
    assert!(p.get("method").is_none());
    // Alone, the authorization or the refund is no error, just nothing.
    let list = inner(sample!(TRANSACTIONS), "transactions");
    for t in [&list[0], &list[1]] {
        let doc = json!({ "transaction": t }).to_string();
        assert!(outputs(doc.as_bytes(), None).is_empty());
        let bare = t.to_string();
        assert!(outputs(bare.as_bytes(), Some("order_transactions/create")).is_empty());
    }
    assert!(outputs(br#"{"transactions": []}"#, None).is_empty());
}

#[test]
fn a_sale_is_money_received_unless_voided_or_failed() {
    // The sale embedded in the voided order (an order maps to its order
    // document only), sent as a transaction of its own.
    let order = inner(sample!(VOIDED_SALE), "order");
    let sale = order["transactions"][0].clone();
    let out = outputs(sale.to_string().as_bytes(), None);
    let p = &out[0].1;
    assert_eq!(
        (&p["payment_id"], &p["amount"], &p["currency"], &p["method"]),
        (&json!("1"), &json!("79.60"), &json!("AUD"), &json!("card"))
    );
    assert_eq!(
        (&p["reference"], &p["gateway"], &p["correlation_id"]),
        (
            &json!("ABC123"),
            &json!("mygateway"),
            &json!("shopify:123456")
        )
    );
    assert_eq!(p["source"]["card_company"], "Mastercard");
    let void = json!({"id": 2, "order_id": 123456, "kind": "void", "status": "success",
        "amount": "79.60", "parent_id": 1, "created_at": "2017-10-09T19:30:00+00:00"});
    let doc = json!({"transactions": [sale, void]}).to_string();
    assert!(outputs(doc.as_bytes(), None).is_empty());
    let mut failed = sale.clone();
    failed["status"] = json!("failure");
    assert!(outputs(failed.to_string().as_bytes(), None).is_empty());
    let orders = outputs(sample!(VOIDED_SALE), None);
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].0.kind, "order.cancelled");
}

#[test]
fn tender_transactions_are_payments_with_their_own_ids() {
    let out = outputs(sample!(TENDERS), None);
    let ids: Vec<&str> = out.iter().map(|(m, _)| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "shopify:tender_transaction:1",
            "shopify:tender_transaction:2",
            "shopify:tender_transaction:3"
        ]
    );
    let p = &out[1].1;
    assert_eq!(
        (&p["amount"], &p["currency"], &p["method"], &p["reference"]),
        (
            &json!("128.16"),
            &json!("CAD"),
            &json!("card"),
            &json!("1118367")
        )
    );
    // processed_at, not updated_at, is when the money came.
    assert_eq!(p["paid_at"], "2018-08-11T15:43:39-04:00");
    let mut back = inner(sample!(TENDERS), "tender_transactions")[0].clone();
    back["amount"] = json!("-10.00");
    let doc = json!({"tender_transactions": [back]}).to_string();
    assert!(outputs(doc.as_bytes(), None).is_empty());
    assert_eq!(
        outputs(
            back.to_string().as_bytes(),
            Some("tender_transactions/create")
        )
        .len(),
        0
    );
}

#[test]
fn bad_transactions_name_the_field() {
    let mut capture = inner(sample!(TRANSACTIONS), "transactions")[2].clone();
    capture["created_at"] = json!("05/08/2005");
    assert_eq!(
        invalid(capture.to_string().as_bytes()),
        "transaction 801038806: created_at `05/08/2005` is not an RFC 3339 timestamp"
    );
    capture.as_object_mut().unwrap().remove("order_id");
    capture["created_at"] = json!("2005-08-05T10:22:51-04:00");
    assert_eq!(
        invalid(capture.to_string().as_bytes()),
        "transaction 801038806 has no `order_id`"
    );
    let doc = json!({"transactions": [{"order_id": 1, "kind": "sale", "status": "success"}]});
    assert_eq!(
        invalid(doc.to_string().as_bytes()),
        "transactions[0] has no `id`"
    );
}
