//! Mapping of the real order samples (order 727, the list of 727 and 723).

use serde_json::{json, Value};
use weft_sdk::{Plugin, Role};

use super::*;

#[test]
fn describes_itself() {
    let info = WooCommerceOrders::describe();
    assert_eq!(info.name, "woocommerce-orders");
    assert_eq!(info.role, Role::Source);
    assert_eq!(info.accepts, ["raw"]);
    assert_eq!(
        info.emits,
        [
            "order.created",
            "order.updated",
            "order.cancelled",
            "shipment.dispatched",
            "return.completed",
            "credit.issued"
        ]
    );
}

#[test]
fn order_727_is_mapped_faithfully() {
    let order = sample!(ORDER);
    configure(&[]);
    let (m, o, v) = run(raw(order));
    // The id carries the modification time: a re-poll of the unchanged
    // order is a duplicate, a changed order a new message.
    assert_eq!(m.id, "woocommerce:727:order.created:2017-03-22T19:28:08Z");
    assert_eq!(m.correlation_id, "woocommerce:727");
    assert_eq!(
        (o.order_id.as_str(), o.channel.as_str(), o.purpose.as_str()),
        ("727", "woocommerce", "original")
    );
    assert_eq!(o.order_number.as_deref(), Some("727"));
    assert_eq!(o.status.as_deref(), Some("processing"));
    // The *_gmt times, not the site-local ones (16:28, UTC−3).
    assert_eq!(o.ordered_at.as_deref(), Some("2017-03-22T19:28:02Z"));
    assert_eq!(o.updated_at.as_deref(), Some("2017-03-22T19:28:08Z"));
    assert_eq!(o.currency.as_deref(), Some("USD"));
    // customer_id 0: a guest, so no customer id.
    let c = o.customer.as_ref().expect("customer");
    assert_eq!(
        (
            c.id.as_deref(),
            c.name.as_deref(),
            c.email.as_deref(),
            c.phone.as_deref()
        ),
        (
            None,
            Some("John Doe"),
            Some("john.doe@example.com"),
            Some("(555) 555-5555")
        )
    );
    let b = o.bill_to.as_ref().expect("bill_to");
    assert_eq!(b.address_lines, ["969 Market"]);
    assert_eq!(
        (
            b.city.as_deref(),
            b.region.as_deref(),
            b.postal_code.as_deref(),
            b.country.as_deref()
        ),
        (Some("San Francisco"), Some("CA"), Some("94103"), Some("US"))
    );
    assert_eq!(o.ship_to.as_ref().and_then(|s| s.phone.as_deref()), None);

    assert_eq!(o.lines.len(), 2);
    let l = &o.lines[0];
    // quantity 2, subtotal "6.00" → 3.00 each; sku "" → null.
    assert_eq!(
        (l.line_id.as_str(), l.sku.as_deref(), l.quantity.as_str()),
        ("315", None, "2")
    );
    assert_eq!(
        (
            l.unit_price.as_deref(),
            l.discount.as_deref(),
            l.tax.as_deref(),
            l.total.as_deref()
        ),
        (Some("3.00"), Some("0.00"), Some("0.45"), Some("6.00"))
    );
    let l = &o.lines[1];
    assert_eq!(
        (l.line_id.as_str(), l.sku.as_deref(), l.quantity.as_str()),
        ("316", Some("Bar3"), "1")
    );
    assert_eq!(
        l.description.as_deref(),
        Some("Ship Your Idea – Color: Black, Size: M Test")
    );
    assert_eq!(
        (
            l.unit_price.as_deref(),
            l.tax.as_deref(),
            l.total.as_deref()
        ),
        (Some("12.00"), Some("0.90"), Some("12.00"))
    );
    // The variation's visible meta data is on its line, not in source.
    assert_eq!(
        l.attributes.get("meta_data"),
        Some(&json!({"pa_color": "black", "size": "M Test"}))
    );
    assert_eq!(l.attributes.len(), 1);
    assert!(o.lines[0].attributes.is_empty()); // line 315: `meta_data: []`
    assert!(v["lines"][0].get("attributes").is_none());
    assert!(v["source"].get("line_meta").is_none());
    // 18.00 − 0 + 10.00 + 1.35 = 29.35.
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
    assert_eq!(o.totals.taxes_included, Some(false));
    assert_eq!(
        v["references"],
        json!({"order_key": "wc_order_58d2d042d1d"})
    );
    assert_eq!(v["source"]["payment_method"], "bacs");
    assert_eq!(v["source"]["date_paid"], "2017-03-22T19:28:08Z");
    assert_eq!(
        v["source"]["tax_lines"],
        json!([{"rate_code": "US-CA-STATE TAX", "label": "State Tax", "tax_total": "1.35", "shipping_tax_total": "0.00"}])
    );
    assert_eq!(
        v["source"]["shipping_lines"],
        json!([{"method_id": "flat_rate", "method_title": "Flat Rate", "total": "10.00"}])
    );
}

#[test]
fn list_gives_one_message_per_order() {
    let list = sample!(LIST);
    configure(&[]);
    let out = run_all(raw(list));
    let ids: Vec<_> = out.iter().map(|(m, _, _)| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "woocommerce:727:order.created:2017-03-22T19:28:08Z",
            "woocommerce:723:order.created:2017-03-21T19:54:51Z"
        ]
    );
    let (_, o, v) = &out[1];
    assert_eq!(o.status.as_deref(), Some("completed"));
    assert_eq!(o.ordered_at.as_deref(), Some("2017-03-21T19:16:00Z"));
    let c = o.customer.as_ref().expect("customer");
    assert_eq!(
        (c.id.as_deref(), c.name.as_deref(), c.email.as_deref()),
        (
            Some("26"),
            Some("João Silva"),
            Some("joao.silva@example.com")
        )
    );
    let b = o.bill_to.as_ref().expect("bill_to");
    assert_eq!(b.address_lines, ["Av. Brasil, 432"]);
    assert_eq!(
        (
            b.city.as_deref(),
            b.region.as_deref(),
            b.postal_code.as_deref(),
            b.country.as_deref()
        ),
        (
            Some("Rio de Janeiro"),
            Some("RJ"),
            Some("12345-000"),
            Some("BR")
        )
    );
    let lines: Vec<_> = o
        .lines
        .iter()
        .map(|l| {
            (
                l.line_id.as_str(),
                l.description.as_deref(),
                l.unit_price.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("311", Some("Woo Album #2"), Some("9.00")),
            ("313", Some("Woo Ninja"), Some("20.00"))
        ]
    );
    // No tax lines; 29.00 + 10.00 = 39.00; refunds of 10.00 and 9.00.
    assert_eq!(
        totals(o),
        [
            Some("29.00"),
            Some("0.00"),
            Some("10.00"),
            Some("0.00"),
            Some("39.00")
        ]
    );
    assert!(v["source"].get("tax_lines").is_none());
    assert_eq!(v["source"]["refunded"], "19.00");
    assert_eq!(v["source"]["date_completed"], "2017-03-21T19:54:51Z");
}

#[test]
fn coupons_fees_and_uneven_unit_prices() {
    let order = sample!(ORDER);
    configure(&[]);
    let mut doc: Value = serde_json::from_slice(order).unwrap();
    doc["line_items"][0]["quantity"] = json!(3);
    doc["line_items"][0]["subtotal"] = json!("10.00");
    doc["line_items"][0]["total"] = json!("8.50");
    doc["line_items"][0]["meta_data"] = json!([
        {"id": 1, "key": "_reduced_stock", "value": "3"},
        {"id": 2, "key": "engraving", "value": "A &amp; B"},
        {"id": 3, "key": "options", "value": ["x &amp; y", 2]}
    ]);
    doc["line_items"][1]["meta_data"] = json!([{"id": 4, "key": "_reduced_stock", "value": "1"}]);
    doc["discount_total"] = json!("1.50");
    doc["coupon_lines"] = json!([{"id": 320, "code": "spring&amp;summer", "discount": "1.50", "discount_tax": "0.00"}]);
    doc["fee_lines"] = json!([{"id": 321, "name": "Gift wrap &amp; card", "tax_class": "", "tax_status": "taxable", "total": "2.50", "total_tax": "0.20", "taxes": []}]);
    let (_, o, v) = run(raw(doc.to_string().as_bytes()));
    let l = &o.lines[0];
    assert_eq!(
        (
            l.unit_price.as_deref(),
            l.discount.as_deref(),
            l.total.as_deref()
        ),
        (Some("3.3333"), Some("1.50"), Some("8.50"))
    );
    let fee = &o.lines[2];
    assert_eq!(
        (
            fee.line_id.as_str(),
            fee.sku.as_deref(),
            fee.description.as_deref(),
            fee.quantity.as_str(),
            fee.unit_price.as_deref(),
            fee.tax.as_deref(),
            fee.total.as_deref()
        ),
        (
            "321",
            None,
            Some("Gift wrap & card"),
            "1",
            Some("2.50"),
            Some("0.20"),
            Some("2.50")
        )
    );
    // 10.00 + 12.00 + fee 2.50.
    assert_eq!(o.totals.subtotal.as_deref(), Some("24.50"));
    // Hidden meta (`_…`) dropped, HTML references in values decoded; a
    // line with only hidden meta and a fee have no attributes.
    assert_eq!(
        o.lines[0].attributes.get("meta_data"),
        Some(&json!({"engraving": "A & B", "options": ["x & y", 2]}))
    );
    assert!(o.lines[1].attributes.is_empty());
    assert!(fee.attributes.is_empty());
    assert_eq!(o.totals.discount.as_deref(), Some("1.50"));
    assert_eq!(v["source"]["fee_lines"], json!(["321"]));
    assert_eq!(
        v["source"]["coupons"],
        json!([{"code": "spring&summer", "discount": "1.50"}])
    );
}

#[test]
fn event_from_topic_status_and_config() {
    let order = sample!(ORDER);
    configure(&[]);
    let updated = "woocommerce:727:order.updated:2017-03-22T19:28:08Z";
    for topic in ["order.updated", "order.restored", " Order.Updated "] {
        let (m, o, _) = run(raw(order).with_header(crate::TOPIC_HEADER, topic));
        assert_eq!((m.id.as_str(), o.purpose.as_str()), (updated, "replace"));
    }
    let (m, _, _) = run(raw(order).with_header(crate::TOPIC_HEADER, "order.created"));
    assert_eq!(m.id, "woocommerce:727:order.created:2017-03-22T19:28:08Z");
    // A deleted order's webhook body is just its id.
    let (m, o, v) = run(raw(br#"{"id": 727}"#).with_header(crate::TOPIC_HEADER, "order.deleted"));
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), o.purpose.as_str()),
        (
            "woocommerce:727:order.cancelled",
            "order.cancelled",
            "cancel"
        )
    );
    assert!(o.lines.is_empty());
    assert_eq!(v["totals"], json!({}));
    // Status cancelled wins over the topic.
    let mut doc: Value = serde_json::from_slice(order).unwrap();
    doc["status"] = json!("cancelled");
    let (m, _, _) =
        run(raw(doc.to_string().as_bytes()).with_header(crate::TOPIC_HEADER, "order.updated"));
    assert_eq!(m.id, "woocommerce:727:order.cancelled:2017-03-22T19:28:08Z");

    configure(&[("event", Some("updated")), ("channel", Some("woo-eu"))]);
    let (m, o, _) = run(raw(order));
    assert_eq!(m.id, "woo-eu:727:order.updated:2017-03-22T19:28:08Z");
    assert_eq!(o.correlation_id, "woo-eu:727");
    let (m, _, _) = run(raw(order).with_header(crate::TOPIC_HEADER, "order.created"));
    assert_eq!(m.id, "woo-eu:727:order.created:2017-03-22T19:28:08Z");
    configure(&[]);
}

#[test]
fn local_times_only_count_with_an_offset() {
    let order_doc = sample!(ORDER);
    configure(&[]);
    let mut doc: Value = serde_json::from_slice(order_doc).unwrap();
    let o = doc.as_object_mut().unwrap();
    o.remove("date_created_gmt");
    o.remove("date_modified_gmt");
    let (_, order, _) = run(raw(doc.to_string().as_bytes()));
    assert_eq!((order.ordered_at, order.updated_at), (None, None));
    doc["date_created"] = json!("2017-03-22T16:28:02-03:00");
    let (_, order, _) = run(raw(doc.to_string().as_bytes()));
    assert_eq!(
        order.ordered_at.as_deref(),
        Some("2017-03-22T16:28:02-03:00")
    );
}
