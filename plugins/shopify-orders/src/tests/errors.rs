//! Inputs that are not (usable) orders.

use serde_json::{json, Value};

use super::*;

#[test]
fn payload_that_is_not_json() {
    let reason = invalid(b"{\"order\": {\"id\": 1,");
    assert!(
        reason.starts_with("payload is not JSON:") && reason.contains("line 1 column"),
        "{reason}"
    );
    assert!(invalid(b"").contains("not JSON"));
    assert!(invalid(&[0xff, 0xfe]).contains("not JSON"));
}

#[test]
fn resources_that_are_not_lifecycle_documents_are_refused() {
    let reason = invalid(br#"{"customers": []}"#);
    assert_eq!(
        reason,
        "expected a Shopify order (`{\"order\": {…}}`, a bare order object with `id` and `line_items`, or a list page `{\"orders\": […]}`), fulfillment, refund, order transaction, tender transaction or fulfillment order (bare, `{\"fulfillment\": {…}}`, or a list such as `{\"transactions\": […]}`); found an object with keys: customers"
    );
    assert!(invalid(b"[{\"id\": 1}]").ends_with("found an array"));
    // A sub-resource (it has `order_id`) of no known kind.
    let reason = invalid(br#"{"id": 1, "order_id": 2, "note": "x"}"#);
    assert!(
        reason.ends_with("found an object with keys: id, order_id, note"),
        "{reason}"
    );
    assert!(invalid(b"[1, 2]").ends_with("found an array"));
    assert!(invalid(b"{}").ends_with("found an empty object"));
    assert!(invalid(b"null").ends_with("found null"));
}

#[test]
fn orders_without_id_or_lines() {
    let discount = sample!(DISCOUNT);
    let mut v: Value = serde_json::from_slice(discount).unwrap();
    v["order"]["line_items"] = json!([]);
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 1073459981 has no line_items"
    );
    v["order"].as_object_mut().unwrap().remove("line_items");
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 1073459981 has no line_items"
    );
    v["order"]["line_items"] = Value::Null;
    assert_eq!(
        invalid(v.to_string().as_bytes()),
        "order 1073459981 has no line_items"
    );
    v["order"].as_object_mut().unwrap().remove("id");
    assert!(invalid(v.to_string().as_bytes()).contains("no `id`"));
}

#[test]
fn bad_line_figures_name_the_line() {
    let get = sample!(GET);
    let mut v: Value = serde_json::from_slice(get).unwrap();
    v["order"]["line_items"][1]["price"] = json!("19,99");
    let reason = invalid(v.to_string().as_bytes());
    assert_eq!(
        reason,
        "order 450789469: line_items[1] (id 518995019) price `19,99` is not a decimal"
    );
    let mut v: Value = serde_json::from_slice(get).unwrap();
    v["order"]["line_items"][2]["quantity"] = json!("two");
    let reason = invalid(v.to_string().as_bytes());
    assert_eq!(
        reason,
        "order 450789469: line_items[2] (id 703073504) has quantity `two`, which is not a decimal"
    );
    v["order"]["line_items"][2]["quantity"] = Value::Null;
    assert!(
        invalid(v.to_string().as_bytes()).contains("line_items[2] (id 703073504) has no quantity")
    );
}

#[test]
fn odd_inputs_fail_cleanly_without_panicking() {
    let huge = "79228162514264337593543950335";
    let cases = [
        json!({"order": 5}),
        json!({"order": {"id": 1, "line_items": [null]}}),
        json!({"order": {"id": 1, "line_items": {"a": 1}}}),
        json!({"order": {"id": {"x": 1}, "line_items": []}}),
        json!({"order": {"id": 1, "customer": "bob", "line_items": [{"quantity": 1}]}}),
        json!({"order": {"id": 1, "line_items": [{"quantity": huge, "price": huge}]}}),
        json!({"order": {"id": 1, "line_items": [{"quantity": 1, "price": "1", "tax_lines": [{"price": huge}, {"price": huge}]}]}}),
        json!({"order": {"id": 1, "total_price": "lots", "line_items": [{"quantity": 1}]}}),
        json!({"id": 1, "line_items": [{"quantity": "1e999999"}]}),
    ];
    for c in cases {
        // Each names what is wrong without panicking.
        let reason = invalid(c.to_string().as_bytes());
        assert!(
            reason.starts_with("payload is not a Shopify order of the expected shape: ")
                || reason.starts_with("order 1"),
            "{reason}"
        );
    }
    // Deep nesting: only two levels are deserialised, the rest is skipped.
    let deep = format!("{}1{}", "{\"order\":".repeat(5000), "}".repeat(5000));
    assert_eq!(invalid(deep.as_bytes()), "Shopify order has no `id`");
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let reason = invalid(deep.as_bytes());
    assert!(reason.contains("recursion limit exceeded"), "{reason}");
}

#[test]
fn reasons_stay_on_one_line() {
    let doc = json!({"id": "7\n8", "line_items": [{"id": "a\tb", "quantity": "x\ny"}]});
    assert_eq!(
        invalid(doc.to_string().as_bytes()),
        "order 7\\n8: line_items[0] (id a\\tb) has quantity `x\\ny`, which is not a decimal"
    );
}
