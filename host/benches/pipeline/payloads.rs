//! The bench's Shopify orders of three sizes, all derived in memory from
//! the one real order (`rest-2026-07_GET_order_450789469.json`, 29 860
//! bytes): a ~1 KB order of one line, the real order, and a ~300 KB order
//! of 120 lines. Totals are kept consistent so `validate-order` passes each.

use rust_decimal::Decimal;
use serde_json::{json, Value};

/// `(label, payload)` of each size, smallest first.
pub fn sizes(real: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let doc: Value = serde_json::from_slice(real).expect("real order is JSON");
    vec![
        ("1 KB", small(&doc)),
        ("30 KB", real.to_vec()),
        ("300 KB", large(&doc)),
    ]
}

fn money(v: &Value) -> Decimal {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_default()
}

/// The fields `keys` of object `v` that it has.
fn pick(v: &Value, keys: &[&str]) -> serde_json::Map<String, Value> {
    keys.iter()
        .filter_map(|k| Some((k.to_string(), v.get(k)?.clone())))
        .collect()
}

/// One line, no discount, tax or shipping; the header fields a mapping reads.
fn small(doc: &Value) -> Vec<u8> {
    let o = &doc["order"];
    let mut order = pick(
        o,
        &[
            "id",
            "name",
            "email",
            "currency",
            "created_at",
            "updated_at",
            "processed_at",
            "financial_status",
            "fulfillment_status",
            "order_number",
            "billing_address",
            "shipping_address",
        ],
    );
    let line = &o["line_items"][0];
    let item = pick(
        line,
        &[
            "id",
            "sku",
            "quantity",
            "price",
            "title",
            "variant_id",
            "product_id",
            "name",
        ],
    );
    let total = money(&line["price"]) * Decimal::from(line["quantity"].as_u64().unwrap_or(1));
    order.insert("line_items".into(), json!([item]));
    for k in ["subtotal_price", "total_line_items_price", "total_price"] {
        order.insert(k.into(), json!(total.to_string()));
    }
    for k in ["total_tax", "total_discounts"] {
        order.insert(k.into(), json!("0.00"));
    }
    serde_json::to_vec(&json!({ "order": order })).expect("JSON")
}

/// The real order with its lines repeated (new line ids) to ~300 KB.
fn large(doc: &Value) -> Vec<u8> {
    let mut doc = doc.clone();
    let o = &mut doc["order"];
    let base = o["line_items"].as_array().cloned().unwrap_or_default();
    let (discount, tax) = (money(&o["total_discounts"]), money(&o["total_tax"]));
    let mut items = base.clone();
    let mut n = 0u64;
    while items.len() < 120 {
        for it in &base {
            let mut c = it.clone();
            c["id"] = json!(c["id"].as_u64().unwrap_or(0) + 1000 + n);
            n += 1;
            items.push(c);
        }
    }
    let subtotal: Decimal = items
        .iter()
        .map(|i| money(&i["price"]) * Decimal::from(i["quantity"].as_u64().unwrap_or(1)))
        .sum();
    o["line_items"] = Value::Array(items);
    for k in ["subtotal_price", "total_line_items_price"] {
        o[k] = json!(subtotal.to_string());
    }
    o["total_price"] = json!((subtotal - discount + tax).to_string());
    serde_json::to_vec_pretty(&doc).expect("JSON")
}
