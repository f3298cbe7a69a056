//! Tests on orders produced by the Shopify source from the real samples,
//! and on crafted documents.

use serde_json::{json, Value};
use shopify_orders::ShopifyOrders;
use weft_sdk::host::set_config;
use weft_sdk::{Message, Plugin, PluginError, Role};

use crate::ValidateOrder;

/// The real sample `$file` of `shared/realdata/shopify` (`&'static [u8]`), or a
/// return from the calling test, with a printed note, when it is absent.
macro_rules! sample {
    ($file:expr) => {
        match weft_sdk::testing::realdata_bytes("shopify", $file) {
            Some(b) => b,
            None => return,
        }
    };
}

/// The Shopify samples: the Python fixture (its subtotal is inconsistent),
/// then the four REST samples.
const SAMPLES: [&str; 5] = [
    "python-api_fixture_order.json",
    "rest-2026-07_GET_order_450789469.json",
    "rest-2026-07_POST_cancel_order_450789469.json",
    "rest-2026-07_POST_create_order_1073459963_multi-tax-no-customer.json",
    "rest-2026-07_POST_create_order_1073459981_discount-addresses.json",
];

/// The canonical message the Shopify source makes of a sample.
fn mapped(sample: &[u8]) -> Message {
    let msg = Message {
        id: "in".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        headers: vec![("x-shopify-topic".into(), "orders/updated".into())],
        payload: sample.to_vec(),
    };
    ShopifyOrders::process(msg).expect("maps").remove(0)
}

fn doc_msg(doc: &Value) -> Message {
    Message::json("m-1", "shopify:1", "order.created", doc).unwrap()
}

/// A valid order with two lines.
fn good() -> Value {
    json!({
        "schema": "weft.order/1", "order_id": "1", "channel": "shopify", "correlation_id": "shopify:1",
        "purpose": "original", "currency": "EUR", "ordered_at": "2025-07-02T11:30:45-05:00",
        "lines": [
            {"line_id": "a", "sku": "A", "quantity": "2", "unit_price": "10.00", "discount": "1.00", "tax": "3.61", "total": "19.00"},
            {"line_id": "b", "sku": null, "quantity": "1", "unit_price": "5.50", "total": "5.50"}
        ],
        "totals": {"subtotal": "25.50", "discount": "1.00", "shipping": "4.90", "tax": "3.61", "total": "33.01", "taxes_included": false}
    })
}

fn invalid(msg: Message) -> String {
    set_config("tolerance", None);
    match ValidateOrder::process(msg) {
        Err(PluginError::Invalid(reason)) => {
            assert!(!reason.contains('\n'), "one line: {reason}");
            reason
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

fn passes(msg: Message) -> Message {
    let before = msg.clone();
    let mut out = ValidateOrder::process(msg).expect("valid");
    assert_eq!(out.len(), 1);
    let out = out.remove(0);
    assert_eq!(
        (&out.id, &out.kind, &out.correlation_id),
        (&before.id, &before.kind, &before.correlation_id)
    );
    assert_eq!(out.payload, before.payload, "payload bytes unchanged");
    assert_eq!(out.header("validated"), Some("weft.order/1"));
    out
}

#[test]
fn describes_itself() {
    let info = ValidateOrder::describe();
    assert_eq!(
        (info.name.as_str(), info.role),
        ("validate-order", Role::Transform)
    );
    assert_eq!(
        info.accepts,
        ["order.created", "order.updated", "order.cancelled"]
    );
    assert_eq!(
        info.emits,
        ["order.created", "order.updated", "order.cancelled"]
    );
}

#[test]
fn good_order_passes_unchanged() {
    set_config("tolerance", None);
    let out = passes(doc_msg(&good()).with_header("x-trace", "7"));
    assert_eq!(out.header("x-trace"), Some("7"));
    // Taxes included: the tax is not added again.
    let mut doc = good();
    doc["totals"]["taxes_included"] = json!(true);
    doc["totals"]["total"] = json!("29.40");
    passes(doc_msg(&doc));
    // Optional parts may be absent; an absent subtotal comes from the lines.
    let doc = json!({"schema": "weft.order/1", "order_id": "9", "channel": "x12:acme", "correlation_id": "x12:acme:9",
        "purpose": "cancel", "currency": "USD", "ordered_at": "2024-02-29",
        "lines": [{"line_id": "1", "sku": null, "quantity": "3", "unit_price": "2.5"}], "totals": {"total": "7.50"}});
    passes(doc_msg(&doc));
}

#[test]
fn consistent_shopify_orders_pass() {
    set_config("tolerance", None);
    for name in &SAMPLES[1..] {
        passes(mapped(sample!(name)));
    }
}

#[test]
fn python_fixture_fails_on_its_subtotal() {
    let reason = invalid(mapped(sample!(SAMPLES[0])));
    assert_eq!(
        reason,
        "order shopify:450789469 has 1 violation: (1) totals.subtotal 398.00 ≠ Σ lines quantity × unit_price 597.00"
    );
}

#[test]
fn every_violation_is_listed() {
    let mut doc = good();
    doc["schema"] = json!("weft.order/2");
    doc["channel"] = json!("");
    doc.as_object_mut().unwrap().remove("order_id");
    doc["purpose"] = json!("update");
    doc["ordered_at"] = json!("02/07/2025");
    doc["lines"][0]["quantity"] = json!("-1");
    doc["lines"][0]["tax"] = json!(3.61);
    doc["lines"][1]["total"] = json!("6.50");
    doc["lines"][1]["line_id"] = json!(" ");
    doc["totals"]["shipping"] = json!("4,90");
    let reason = invalid(doc_msg(&doc));
    let expected = [
        "schema `weft.order/2` is not weft.order/1",
        "order_id is missing",
        "channel is empty",
        "purpose `update` is not one of original, replace, cancel",
        "ordered_at `02/07/2025` is not an RFC 3339 date-time or a YYYY-MM-DD date",
        "lines[0].quantity -1 is negative",
        "lines[0].tax must be a decimal string, found number 3.61",
        "lines[1].line_id is empty",
        "lines[1].total 6.50 ≠ quantity × unit_price − discount 5.50",
        "totals.shipping `4,90` is not a decimal",
    ];
    let listed: Vec<String> = expected
        .iter()
        .enumerate()
        .map(|(i, v)| format!("({}) {v}", i + 1))
        .collect();
    assert_eq!(
        reason,
        format!(
            "order shopify:1 has {} violations: {}",
            expected.len(),
            listed.join("; ")
        )
    );
}

#[test]
fn total_and_subtotal_arithmetic() {
    let mut doc = good();
    doc["totals"]["total"] = json!("40.00");
    doc["totals"]["subtotal"] = json!("25.00");
    let reason = invalid(doc_msg(&doc));
    assert!(reason.contains("has 2 violations"), "{reason}");
    assert!(
        reason.contains("(1) totals.subtotal 25.00 ≠ Σ lines quantity × unit_price 25.50"),
        "{reason}"
    );
    assert!(
        reason.contains("(2) totals.total 40.00 ≠ subtotal − discount + shipping + tax 32.51"),
        "{reason}"
    );
    let mut doc = good();
    doc["totals"]["taxes_included"] = json!(true);
    let reason = invalid(doc_msg(&doc));
    assert!(
        reason.ends_with(
            "totals.total 33.01 ≠ subtotal − discount + shipping (taxes included) 29.40"
        ),
        "{reason}"
    );
    // Other charges (gift wrap, COD fee, tips) count towards the total.
    let mut doc = good();
    doc["totals"]["other_charges"] = json!("5.00");
    let reason = invalid(doc_msg(&doc));
    assert!(
        reason.ends_with(
            "totals.total 33.01 ≠ subtotal − discount + shipping + other_charges + tax 38.01"
        ),
        "{reason}"
    );
    doc["totals"]["total"] = json!("38.01");
    assert!(ValidateOrder::process(doc_msg(&doc)).is_ok());
    let mut doc = good();
    doc["totals"].as_object_mut().unwrap().remove("total");
    assert!(invalid(doc_msg(&doc)).ends_with("(1) totals.total is missing"));
}

#[test]
fn structural_problems() {
    let mut doc = good();
    doc["lines"] = json!([]);
    doc.as_object_mut().unwrap().remove("totals");
    let reason = invalid(doc_msg(&doc));
    assert!(
        reason.contains("(1) lines is empty") && reason.contains("(2) totals is missing"),
        "{reason}"
    );
    let mut doc = good();
    doc["lines"] = json!([7, {"quantity": "1"}]);
    let reason = invalid(doc_msg(&doc));
    assert!(
        reason.contains("lines[0] must be an object, found number 7"),
        "{reason}"
    );
    assert!(reason.contains("lines[1].line_id is missing"), "{reason}");
}

#[test]
fn bad_currency() {
    for (currency, says) in [
        (
            json!("XYZ"),
            "currency `XYZ` is not an active ISO 4217 code",
        ),
        (
            json!("usd"),
            "currency `usd` is not an active ISO 4217 code",
        ),
        (
            json!("ANG"),
            "currency `ANG` is not an active ISO 4217 code",
        ),
        (json!(840), "currency must be a string, found number 840"),
        (Value::Null, "currency is missing"),
    ] {
        let mut doc = good();
        doc["currency"] = currency;
        assert_eq!(
            invalid(doc_msg(&doc)),
            format!("order shopify:1 has 1 violation: (1) {says}")
        );
    }
}

#[test]
fn tolerance_config() {
    let mut doc = good();
    doc["totals"]["total"] = json!("33.04");
    set_config("tolerance", Some("0.05"));
    let result = ValidateOrder::process(doc_msg(&doc));
    assert!(result.is_ok(), "{result:?}");
    set_config("tolerance", Some("0"));
    assert!(ValidateOrder::process(doc_msg(&doc)).is_err());
    for bad in ["abc", "-0.01", ""] {
        set_config("tolerance", Some(bad));
        match ValidateOrder::process(doc_msg(&good())) {
            Err(PluginError::Invalid(reason)) => {
                assert!(
                    reason.starts_with("config `tolerance`:")
                        && reason.contains(&format!("`{bad}`")),
                    "{reason}"
                )
            }
            other => panic!("expected invalid config, got {other:?}"),
        }
    }
    set_config("tolerance", None);
}

#[test]
fn payloads_that_are_not_orders() {
    let mut msg = doc_msg(&good());
    msg.payload = b"{\"schema\": ".to_vec();
    let reason = invalid(msg.clone());
    assert!(
        reason.starts_with("payload of message `m-1` is not a weft.order/1 object:")
            && reason.contains("line 1"),
        "{reason}"
    );
    msg.payload = b"[1, 2]".to_vec();
    assert!(invalid(msg).contains("invalid type: sequence"));
}

#[test]
fn decimal_form() {
    use crate::fields::is_decimal_text as d;
    assert!(d("0") && d("-3.50") && d("199.00") && d("10"));
    assert!(
        !d("") && !d("-") && !d("1.") && !d(".5") && !d("1e2") && !d("+1") && !d(" 1") && !d("1,5")
    );
}

/// The golden cases in `cases/`, checked natively exactly as
/// `weft plugin test` checks them against the component
/// (`WEFT_BLESS=1 cargo test -p validate-order golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<ValidateOrder>(&dir, "WEFT_BLESS", 10);
}
