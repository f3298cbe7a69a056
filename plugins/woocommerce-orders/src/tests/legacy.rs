//! Legacy REST API (`/wc-api/v2|v3`) orders. No real legacy order is in
//! the shared samples, so the legacy bodies here are DERIVED AT TEST TIME
//! from the real REST v3 samples (order 727, the list of 727 and 723),
//! renamed to the legacy fields as the legacy API docs list them
//! (`source/includes/v3/_orders.md`), and must map to the same canonical
//! order as the v3 body.

use serde_json::{json, Map, Value};

use super::*;

/// `YYYY-MM-DDTHH:MM:SS` (a v3 `*_gmt` value) as the legacy API writes
/// UTC: with `Z`.
fn utc(v: &Value) -> Value {
    match v.as_str() {
        Some(s) => Value::from(format!("{s}Z")),
        None => Value::Null,
    }
}

/// The legacy form of a v3 order.
fn legacy(v3: &Value) -> Value {
    let lines: Vec<Value> = v3["line_items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            let meta: Vec<Value> = l["meta_data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| json!({"key": m["key"], "label": m["key"], "value": m["value"]}))
                .collect();
            json!({
                "id": l["id"], "subtotal": l["subtotal"], "subtotal_tax": l["subtotal_tax"],
                "total": l["total"], "total_tax": l["total_tax"], "price": l["price"].to_string(),
                "quantity": l["quantity"], "tax_class": l["tax_class"], "name": l["name"],
                "product_id": l["product_id"], "sku": l["sku"], "meta": meta
            })
        })
        .collect();
    let taxes: Vec<Value> = v3["tax_lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| json!({"id": t["id"], "rate_id": t["rate_id"], "code": t["rate_code"], "title": t["label"], "total": t["tax_total"], "compound": t["compound"]}))
        .collect();
    let shipping: Vec<Value> = v3["shipping_lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| json!({"id": s["id"], "method_id": s["method_id"], "method_title": s["method_title"], "total": s["total"]}))
        .collect();
    let quantity: i64 = v3["line_items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["quantity"].as_i64())
        .sum();
    let mut o = Map::new();
    for (k, v) in [
        ("id", v3["id"].clone()),
        ("order_number", v3["number"].clone()),
        ("created_at", utc(&v3["date_created_gmt"])),
        ("updated_at", utc(&v3["date_modified_gmt"])),
        // Legacy bodies carry `completed_at` on every order.
        (
            "completed_at",
            match v3["date_completed_gmt"].as_str() {
                Some(_) => utc(&v3["date_completed_gmt"]),
                None => utc(&v3["date_created_gmt"]),
            },
        ),
        ("status", v3["status"].clone()),
        ("currency", v3["currency"].clone()),
        ("total", v3["total"].clone()),
        ("total_line_items_quantity", json!(quantity)),
        ("total_tax", v3["total_tax"].clone()),
        ("total_shipping", v3["shipping_total"].clone()),
        ("cart_tax", v3["cart_tax"].clone()),
        ("shipping_tax", v3["shipping_tax"].clone()),
        ("total_discount", v3["discount_total"].clone()),
        (
            "payment_details",
            json!({"method_id": v3["payment_method"], "method_title": v3["payment_method_title"], "paid": true}),
        ),
        ("billing_address", v3["billing"].clone()),
        ("shipping_address", v3["shipping"].clone()),
        ("note", v3["customer_note"].clone()),
        ("customer_id", v3["customer_id"].clone()),
        ("line_items", Value::Array(lines)),
        ("shipping_lines", Value::Array(shipping)),
        ("tax_lines", Value::Array(taxes)),
        ("fee_lines", json!([])),
        ("coupon_lines", json!([])),
    ] {
        o.insert(k.to_string(), v);
    }
    Value::Object(o)
}

#[test]
fn legacy_order_maps_like_its_v3_body() {
    let order = sample!(ORDER);
    configure(&[]);
    let v3: Value = serde_json::from_slice(order).unwrap();
    let wrapped = json!({"order": legacy(&v3)});
    let (m, o, v) = run(raw(wrapped.to_string().as_bytes()));
    let (_, want, want_v) = run(raw(order));
    assert_eq!(m.id, "woocommerce:727:order.created:2017-03-22T19:28:08Z");
    assert_eq!(o.correlation_id, "woocommerce:727");
    assert_eq!(o.order_number.as_deref(), Some("727"));
    assert_eq!(
        (o.ordered_at.as_deref(), o.updated_at.as_deref()),
        (Some("2017-03-22T19:28:02Z"), Some("2017-03-22T19:28:08Z"))
    );
    assert_eq!(o.lines, want.lines);
    assert_eq!(o.totals, want.totals);
    assert_eq!(
        totals(&o),
        [
            Some("18.00"),
            Some("0.00"),
            Some("10.00"),
            Some("1.35"),
            Some("29.35")
        ]
    );
    assert_eq!(
        (&o.customer, &o.bill_to, &o.ship_to),
        (&want.customer, &want.bill_to, &want.ship_to)
    );
    assert_eq!(
        (&o.status, &o.currency, &o.purpose),
        (&want.status, &want.currency, &want.purpose)
    );
    // The variation's legacy `meta` is on its line, as v3 `meta_data` is.
    assert_eq!(
        o.lines[1].attributes.get("meta_data"),
        Some(&json!({"pa_color": "black", "size": "M Test"}))
    );
    for key in ["payment_method", "payment_method_title", "shipping_lines"] {
        assert_eq!(v["source"][key], want_v["source"][key], "{key}");
    }
    // Legacy tax lines have no shipping tax of their own.
    assert_eq!(
        v["source"]["tax_lines"],
        json!([{"rate_code": "US-CA-STATE TAX", "label": "State Tax", "tax_total": "1.35"}])
    );
    assert_eq!(v["source"]["total_line_items_quantity"], "3");
    assert_eq!(v["source"]["paid"], true);
    // A processing order's `completed_at` is not a completion.
    assert!(v["source"].get("date_completed").is_none());
    // The bare legacy order (no wrapper) reads the same.
    let (_, bare, _) = run(raw(legacy(&v3).to_string().as_bytes()));
    assert_eq!(bare, o);
}

#[test]
fn legacy_order_list_and_completion() {
    let list = sample!(LIST);
    configure(&[]);
    let v3: Value = serde_json::from_slice(list).unwrap();
    let orders: Vec<Value> = v3.as_array().unwrap().iter().map(legacy).collect();
    let wrapped = json!({ "orders": orders });
    let out = documents(raw(wrapped.to_string().as_bytes()));
    let ids: Vec<&str> = out.iter().map(|(id, _, _)| id.as_str()).collect();
    // 723 is completed: legacy `completed_at` is its completion time.
    assert_eq!(
        ids,
        [
            "woocommerce:727:order.created:2017-03-22T19:28:08Z",
            "woocommerce:723:order.created:2017-03-21T19:54:51Z",
            "woocommerce:723:fulfilled:2017-03-21T19:54:51Z"
        ]
    );
    let v3_out = documents(raw(list));
    assert_eq!(out[1].2["lines"], v3_out[1].2["lines"]);
    assert_eq!(out[1].2["totals"], v3_out[1].2["totals"]);
    assert_eq!(out[2].2["shipped_at"], v3_out[2].2["shipped_at"]);
    // Errors name the legacy field and the order's place in the list.
    let mut bad = wrapped.clone();
    bad["orders"][1]["created_at"] = json!("21/03/2017");
    assert_eq!(
        invalid(bad.to_string().as_bytes()),
        "orders[1]: order 723: created_at `21/03/2017` is not a `YYYY-MM-DDTHH:MM:SSZ` timestamp"
    );
    let mut bad = wrapped;
    bad["orders"][0]["total_shipping"] = json!("ten");
    assert_eq!(
        invalid(bad.to_string().as_bytes()),
        "orders[0]: order 727: total_shipping `ten` is not a decimal"
    );
}
