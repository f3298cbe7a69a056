//! Mapping of the real order sample (`GET /V1/orders/3`).

use serde_json::{json, Value};
use weft_sdk::{Plugin, Role};

use super::*;

#[test]
fn describes_itself() {
    let info = AdobeCommerceOrders::describe();
    assert_eq!(info.name, "adobe-commerce-orders");
    assert_eq!(info.role, Role::Source);
    assert_eq!(info.accepts, ["raw"]);
    assert_eq!(
        info.emits,
        [
            "order.created",
            "order.updated",
            "order.cancelled",
            "invoice.posted",
            "shipment.dispatched",
            "return.completed",
            "credit.issued",
            "order.allocated"
        ]
    );
}

fn lines(o: &Order) -> Vec<(&str, &str, &str, &str, &str)> {
    o.lines
        .iter()
        .map(|l| {
            (
                l.line_id.as_str(),
                l.sku.as_deref().unwrap_or("-"),
                l.quantity.as_str(),
                l.unit_price.as_deref().unwrap_or("-"),
                l.total.as_deref().unwrap_or("-"),
            )
        })
        .collect()
}

#[test]
fn order_3_header_parties_and_totals() {
    let order = sample!(ORDER);
    configure(&[]);
    let (m, o, v) = run(raw(order));
    assert_eq!(m.id, "adobe-commerce:3:order.created");
    assert_eq!(m.correlation_id, "adobe-commerce:3");
    assert_eq!(m.kind, "order.created");
    assert_eq!(
        (o.order_id.as_str(), o.channel.as_str(), o.purpose.as_str()),
        ("3", "adobe-commerce", "original")
    );
    assert_eq!(o.order_number.as_deref(), Some("000000003"));
    assert_eq!(o.status.as_deref(), Some("pending"));
    assert_eq!(o.ordered_at.as_deref(), Some("2017-08-21T22:22:19Z"));
    assert_eq!(o.updated_at.as_deref(), Some("2017-08-21T22:22:20Z"));
    assert_eq!(o.currency.as_deref(), Some("USD"));
    let c = o.customer.as_ref().expect("customer");
    assert_eq!(
        (c.id.as_deref(), c.name.as_deref(), c.email.as_deref()),
        (Some("3"), Some("Jane Doe"), Some("jdoe@example.com"))
    );
    for a in [o.bill_to.as_ref(), o.ship_to.as_ref()] {
        let a = a.expect("address");
        assert_eq!(a.name.as_deref(), Some("Jane Doe"));
        assert_eq!(a.address_lines, ["123 Oak Ave"]);
        assert_eq!(
            (
                a.city.as_deref(),
                a.region.as_deref(),
                a.postal_code.as_deref(),
                a.country.as_deref(),
                a.phone.as_deref()
            ),
            (
                Some("Purchase"),
                Some("NY"),
                Some("10577"),
                Some("US"),
                Some("512-555-1111")
            )
        );
    }
    // subtotal 160, discount 0, shipping 5, tax 0, grand_total 165.
    assert_eq!(
        totals(&o),
        [
            Some("160.00"),
            Some("0.00"),
            Some("5.00"),
            Some("0.00"),
            Some("165.00")
        ]
    );
    assert_eq!(o.totals.taxes_included, Some(false));
    assert_eq!(v["references"], json!({"quote_id": "4"}));
    assert_eq!(v["source"]["state"], "new");
    assert_eq!(v["source"]["payment_method"], "banktransfer");
    assert_eq!(v["source"]["shipping_method"], "tablerate_bestway");
    assert_eq!(v["source"]["shipping_description"], "Best Way - Table Rate");
}

#[test]
fn bundle_and_configurable_rows_collapse_to_one_line_each() {
    let order = sample!(ORDER);
    configure(&[]);
    let (_, o, v) = run(raw(order));
    // 9 item rows: simple, downloadable, bundle + 4 children,
    // configurable + 1 child → 4 lines summing to the subtotal 160.
    assert_eq!(
        lines(&o),
        [
            ("3", "WS12-M-Orange", "1", "22.00", "22.00"),
            ("4", "240-LV08", "1", "18.00", "18.00"),
            (
                "5",
                "24-WG080-24-WG084-24-WG088-24-WG082-blue-24-WG086",
                "1",
                "68.00",
                "68.00"
            ),
            ("10", "MH01-S-Gray", "1", "52.00", "52.00"),
        ]
    );
    let names: Vec<_> = o.lines.iter().map(|l| l.description.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("Radiant Tee-M-Orange"),
            Some("Advanced Pilates & Yoga (Strength)"),
            Some("Sprite Yoga Companion Kit"),
            // The configurable line names the variant its SKU is.
            Some("Chaz Kangeroo Hoodie-S-Gray"),
        ]
    );
    assert!(o
        .lines
        .iter()
        .all(|l| l.discount.as_deref() == Some("0.00") && l.tax.as_deref() == Some("0.00")));
    // The bundle's children are on its line, not in the order's source.
    assert_eq!(o.lines[2].line_id, "5");
    assert_eq!(
        o.lines[2].attributes.get("bundle_items"),
        Some(&json!([
            {"item_id": "6", "sku": "24-WG082-blue", "name": "Sprite Stasis Ball 65 cm", "quantity": "1", "unit_price": "27.00"},
            {"item_id": "7", "sku": "24-WG084", "name": "Sprite Foam Yoga Brick", "quantity": "1", "unit_price": "5.00"},
            {"item_id": "8", "sku": "24-WG086", "name": "Sprite Yoga Strap 8 foot", "quantity": "1", "unit_price": "17.00"},
            {"item_id": "9", "sku": "24-WG088", "name": "Sprite Foam Roller", "quantity": "1", "unit_price": "19.00"}
        ]))
    );
    assert_eq!(o.lines[2].attributes.len(), 1);
    assert!(v["source"].get("bundle_items").is_none());
    // Simple, downloadable and configurable lines carry no attributes.
    for i in [0, 1, 3] {
        assert!(o.lines[i].attributes.is_empty(), "line {i}");
        assert!(v["lines"][i].get("attributes").is_none(), "line {i}");
    }
}

#[test]
fn bundle_children_as_lines() {
    let order = sample!(ORDER);
    configure(&[("bundle_lines", Some("children"))]);
    let (_, o, v) = run(raw(order));
    let ids: Vec<_> = lines(&o).iter().map(|l| (l.0, l.1, l.3)).collect();
    assert_eq!(
        ids,
        [
            ("3", "WS12-M-Orange", "22.00"),
            ("4", "240-LV08", "18.00"),
            ("6", "24-WG082-blue", "27.00"),
            ("7", "24-WG084", "5.00"),
            ("8", "24-WG086", "17.00"),
            ("9", "24-WG088", "19.00"),
            ("10", "MH01-S-Gray", "52.00"),
        ]
    );
    assert_eq!(o.totals.subtotal.as_deref(), Some("160.00"));
    assert!(v["source"].get("bundle_items").is_none());
    assert!(o.lines.iter().all(|l| l.attributes.is_empty()));
    configure(&[]);
}

#[test]
fn fixed_price_bundle_stays_one_line_in_children_mode() {
    let order = sample!(ORDER);
    configure(&[("bundle_lines", Some("children"))]);
    let mut doc: Value = serde_json::from_slice(order).unwrap();
    for i in 3..7 {
        doc["items"][i]["price"] = json!(0);
    }
    let (_, o, v) = run(raw(doc.to_string().as_bytes()));
    assert_eq!(o.lines.len(), 4);
    assert_eq!(o.lines[2].line_id, "5");
    assert_eq!(o.lines[2].unit_price.as_deref(), Some("68.00"));
    assert_eq!(
        v["lines"][2]["attributes"]["bundle_items"][3],
        json!({"item_id": "9", "sku": "24-WG088", "name": "Sprite Foam Roller", "quantity": "1", "unit_price": "0.00"})
    );
    configure(&[]);
}

#[test]
fn dynamic_bundle_discount_and_tax_roll_up_from_children() {
    let order = sample!(ORDER);
    configure(&[]);
    let mut doc: Value = serde_json::from_slice(order).unwrap();
    doc["items"][3]["discount_amount"] = json!(2.7);
    doc["items"][4]["discount_amount"] = json!("0.5");
    doc["items"][3]["tax_amount"] = json!(1.93);
    let (_, o, _) = run(raw(doc.to_string().as_bytes()));
    let l = &o.lines[2];
    assert_eq!(
        (l.discount.as_deref(), l.tax.as_deref(), l.total.as_deref()),
        (Some("3.20"), Some("1.93"), Some("64.80"))
    );
}

#[test]
fn negative_order_discount_and_decimal_numbers() {
    let order = sample!(ORDER);
    configure(&[]);
    let mut doc: Value = serde_json::from_slice(order).unwrap();
    doc["discount_amount"] = json!(-10.5);
    doc["grand_total"] = json!("154.5000");
    doc["items"][0]["price"] = json!(21.99);
    doc["items"][0]["qty_ordered"] = json!(3);
    doc["items"][0]["discount_amount"] = json!(0.1);
    let (_, o, _) = run(raw(doc.to_string().as_bytes()));
    assert_eq!(o.totals.discount.as_deref(), Some("10.50"));
    assert_eq!(o.totals.total.as_deref(), Some("154.50"));
    let l = &o.lines[0];
    assert_eq!(
        (
            l.quantity.as_str(),
            l.unit_price.as_deref(),
            l.total.as_deref()
        ),
        ("3", Some("21.99"), Some("65.87"))
    );
}

#[test]
fn html_entities_are_decoded() {
    let order = sample!(ORDER);
    configure(&[]);
    let mut doc: Value = serde_json::from_slice(order).unwrap();
    doc["items"][0]["name"] = json!("Tee &amp; Shorts &#039;Summer&#039;");
    doc["customer_lastname"] = json!("O&#039;Neil");
    doc["billing_address"]["street"] = json!(["Rue de l&#039;&Eacute;glise 5", ""]);
    doc["billing_address"]["company"] = json!("Smith &amp; Sons");
    let (_, o, _) = run(raw(doc.to_string().as_bytes()));
    assert_eq!(
        o.lines[0].description.as_deref(),
        Some("Tee & Shorts 'Summer'")
    );
    let c = o.customer.as_ref().unwrap();
    assert_eq!(c.name.as_deref(), Some("Jane O'Neil"));
    let b = o.bill_to.as_ref().unwrap();
    assert_eq!(b.address_lines, ["Rue de l'Église 5"]);
    assert_eq!(b.company.as_deref(), Some("Smith & Sons"));
}

#[test]
fn event_from_status_header_and_config() {
    let order = sample!(ORDER);
    configure(&[]);
    let mut doc: Value = serde_json::from_slice(order).unwrap();
    doc["state"] = json!("canceled");
    doc["status"] = json!("canceled");
    let (m, o, _) = run(raw(doc.to_string().as_bytes()));
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), o.purpose.as_str()),
        (
            "adobe-commerce:3:order.cancelled",
            "order.cancelled",
            "cancel"
        )
    );
    // A cancellation needs no lines.
    doc["items"] = json!([]);
    doc.as_object_mut().unwrap().remove("subtotal");
    let (_, o, _) = run(raw(doc.to_string().as_bytes()));
    assert!(o.lines.is_empty());
    assert_eq!(o.totals.subtotal, None);
    assert_eq!(o.totals.total.as_deref(), Some("165.00"));

    let updated = "adobe-commerce:3:order.updated:2017-08-21T22:22:20Z";
    for header in ["order.updated", "observer.sales_order_save_after"] {
        let (m, o, _) = run(raw(order).with_header(crate::EVENT_HEADER, header));
        assert_eq!((m.id.as_str(), o.purpose.as_str()), (updated, "replace"));
    }
    configure(&[("event", Some("updated")), ("channel", Some("magento-eu"))]);
    let (m, o, _) = run(raw(order));
    assert_eq!(m.id, "magento-eu:3:order.updated:2017-08-21T22:22:20Z");
    assert_eq!(
        (o.channel.as_str(), o.correlation_id.as_str()),
        ("magento-eu", "magento-eu:3")
    );
    // The header wins over the setting.
    let (m, _) = {
        let (m, o, _) = run(raw(order).with_header(
            crate::EVENT_HEADER,
            "com.adobe.commerce.observer.sales_order_place_after",
        ));
        (m, o)
    };
    assert_eq!(m.id, "magento-eu:3:order.created");
    configure(&[]);
}

#[test]
fn search_results_give_one_message_per_order() {
    let order_doc = sample!(ORDER);
    configure(&[]);
    let order: Value = serde_json::from_slice(order_doc).unwrap();
    let mut second = order.clone();
    second["entity_id"] = json!(4);
    second["increment_id"] = json!("000000004");
    let doc = json!({
        "items": [order.clone(), second, order],
        "search_criteria": {"filter_groups": []},
        "total_count": 3
    });
    let out = run_all(raw(doc.to_string().as_bytes()));
    let ids: Vec<_> = out.iter().map(|(m, _, _)| m.id.as_str()).collect();
    // The repeated order is one event.
    assert_eq!(
        ids,
        [
            "adobe-commerce:3:order.created",
            "adobe-commerce:4:order.created"
        ]
    );
    assert_eq!(out[1].1.order_number.as_deref(), Some("000000004"));
    assert_eq!(out[1].1.lines.len(), 4);
}

#[test]
fn timestamps() {
    use weft_sdk::datetime::to_rfc3339 as rfc3339;
    assert_eq!(
        rfc3339("2017-08-21 22:22:19").as_deref(),
        Some("2017-08-21T22:22:19Z")
    );
    assert_eq!(
        rfc3339("2017-08-21 22:22:19.25").as_deref(),
        Some("2017-08-21T22:22:19.25Z")
    );
    assert_eq!(
        rfc3339("2017-08-21T22:22:19+02:00").as_deref(),
        Some("2017-08-21T22:22:19+02:00")
    );
    assert_eq!(rfc3339("2017-08-21").as_deref(), Some("2017-08-21"));
    for bad in [
        "2017-8-21",
        "2017-08-21 22:22",
        "yesterday",
        "2017-08-21 22:22:19 UTC",
        "2017-08-21 22:22:19.",
        "",
    ] {
        assert_eq!(rfc3339(bad), None, "{bad}");
    }
}
