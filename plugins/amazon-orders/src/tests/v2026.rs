//! Orders 2026-01-01 `getOrder` and `searchOrders` examples.

use serde_json::json;

use super::*;

#[test]
fn get_order_uk_example() {
    let get_2026 = sample!(GET_2026);
    let out = run_value(&doc(get_2026));
    assert_eq!(out.len(), 1);
    let (m, o) = &out[0];
    assert_eq!(m.id, "amazon:202-1234567-8901234:order.created");
    assert_eq!(
        (m.kind.as_str(), m.correlation_id.as_str()),
        ("order.created", "amazon:202-1234567-8901234")
    );
    assert_eq!(
        (o.order_id.as_str(), o.channel.as_str(), o.purpose.as_str()),
        ("202-1234567-8901234", "amazon", "original")
    );
    assert_eq!(o.status.as_deref(), Some("SHIPPED"));
    assert_eq!(o.ordered_at.as_deref(), Some("2024-12-25T09:15:00Z"));
    assert_eq!(o.updated_at.as_deref(), Some("2024-12-25T16:30:00Z"));
    assert_eq!(o.currency.as_deref(), Some("GBP"));
    let c = o.customer.as_ref().unwrap();
    assert_eq!(
        (c.name.as_deref(), c.email.as_deref()),
        (
            Some("James Wilson"),
            Some("buyer-email@marketplace.amazon.co.uk")
        )
    );
    let a = o.ship_to.as_ref().unwrap();
    assert_eq!(a.company.as_deref(), Some("Wilson Electronics Ltd"));
    assert_eq!(a.address_lines, ["123 High Street", "Unit 4B"]); // blank addressLine3 dropped
    assert_eq!(
        (
            a.city.as_deref(),
            a.postal_code.as_deref(),
            a.country.as_deref()
        ),
        (Some("Manchester"), Some("M1 2AB"), Some("GB"))
    );
    assert_eq!(o.lines.len(), 1);
    let l = &o.lines[0];
    assert_eq!(
        (l.line_id.as_str(), l.sku.as_deref()),
        ("20212345678901", Some("ECHO-DOT-4-UK-CHARCOAL-3PACK"))
    );
    assert_eq!(
        (
            l.quantity.as_str(),
            l.unit_price.as_deref(),
            l.total.as_deref()
        ),
        ("3", Some("29.99"), Some("89.97"))
    );
    // The item's TAX 4.00 is 3.00 on the item and 1.00 on its shipping.
    assert_eq!(
        (l.tax.as_deref(), l.discount.as_deref()),
        (Some("3.00"), None)
    );
    assert_eq!(
        totals(o),
        [
            Some("89.97"),
            None,
            Some("10.00"),
            Some("4.00"),
            Some("103.97")
        ]
    );
    assert_eq!(o.totals.taxes_included, Some(false));
    assert_eq!(
        o.references.get("seller_order_id").map(String::as_str),
        Some("UK-MERCHANT-ORDER-2024-001")
    );
    assert_eq!(o.source["asins"], json!({"20212345678901": "B08DFPV54V"}));
    assert_eq!(o.source["operation"], "getOrder");
    assert_eq!(o.source["marketplace_name"], "Amazon.co.uk");
    assert_eq!(violations(o), Vec::<String>::new());
}

#[test]
fn search_orders_example_with_delivery_tip_and_replacement() {
    let search_2026 = sample!(SEARCH_2026);
    let out = run_value(&doc(search_2026));
    assert_eq!(out.len(), 1);
    let (m, o) = &out[0];
    assert_eq!(m.id, "amazon:123-4567890-1234567:order.created");
    assert_eq!(o.currency.as_deref(), Some("USD"));
    assert_eq!(
        o.references.get("po_number").map(String::as_str),
        Some("PO-2024-12345")
    );
    assert_eq!(
        o.references
            .get("replacement_original_id")
            .map(String::as_str),
        Some("123-4567890-1234566")
    );
    assert_eq!(
        o.references.get("seller_order_id").map(String::as_str),
        Some("SELLER-ORDER-2024-001")
    );
    assert_eq!(o.source["buyer_company_name"], "Smith Industries LLC");
    let skus: Vec<_> = o
        .lines
        .iter()
        .map(|l| {
            (
                l.sku.as_deref(),
                l.quantity.as_str(),
                l.unit_price.as_deref(),
                l.total.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        skus,
        [
            (
                Some("ECHO-DOT-4-CHARCOAL"),
                "2",
                Some("49.99"),
                Some("99.98")
            ),
            (Some("FIRE-TV-4K-2021"), "1", Some("49.99"), Some("49.99"))
        ]
    );
    assert_eq!(o.lines[0].tax.as_deref(), Some("0.02"));
    assert_eq!(o.lines[1].tax, None);
    assert_eq!(
        totals(o),
        [Some("149.97"), None, None, Some("0.02"), Some("154.99")]
    );
    // The 5.00 delivery tip is in the grand total: it is the order's other
    // charges (149.97 + 5.00 + 0.02 = 154.99), itemised in source.
    assert_eq!(o.totals.other_charges.as_deref(), Some("5.00"));
    assert_eq!(
        o.source["other_charges"],
        json!([{"type": "DELIVERY_TIP", "amount": "5.00", "currency": "USD", "status": "FINALIZED"}])
    );
    assert_eq!(violations(o), Vec::<String>::new());
    assert_eq!(
        o.source["item_cancellations"][0]["line_id"],
        "12345678901234"
    );
    assert_eq!(o.source["programs"], json!(["PRIME", "AMAZON_BUSINESS"]));
}

#[test]
fn cancelled_status_mixed_currency_and_missing_parts() {
    let get_2026 = sample!(GET_2026);
    let mut v = doc(get_2026);
    v["order"]["fulfillment"]["fulfillmentStatus"] = json!("CANCELLED");
    let (m, o) = &run_value(&v)[0];
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), o.purpose.as_str()),
        (
            "amazon:202-1234567-8901234:order.cancelled",
            "order.cancelled",
            "cancel"
        )
    );

    let mut v = doc(get_2026);
    v["order"]["orderItems"][0]["product"]["price"]["unitPrice"]["currencyCode"] = json!("EUR");
    assert_eq!(
        invalid_value(&v),
        "order 202-1234567-8901234: orderItems[0] (orderItemId 20212345678901) product.price.unitPrice is in EUR but the order is in GBP; amounts in different currencies are not mixed into one order's lines and totals"
    );

    // No proceeds, buyer or recipient: those parts stay absent.
    let mut v = doc(get_2026);
    for k in ["proceeds", "buyer", "recipient"] {
        v["order"].as_object_mut().unwrap().remove(k);
    }
    v["order"]["orderItems"][0]
        .as_object_mut()
        .unwrap()
        .remove("proceeds");
    let (_, o) = &run_value(&v)[0];
    assert_eq!((o.customer.as_ref(), o.ship_to.as_ref()), (None, None));
    assert_eq!(o.currency.as_deref(), Some("GBP")); // from the unit price
    assert_eq!(totals(o), [None; 5]);
    assert_eq!(o.totals.taxes_included, None);
    assert_eq!(o.lines[0].total.as_deref(), Some("89.97"));

    // A bare order (no `order` wrapper) maps too.
    let bare = doc(get_2026)["order"].clone();
    assert_eq!(run_value(&bare)[0].1.order_id, "202-1234567-8901234");
}

#[test]
fn other_charges_in_another_currency_are_listed_not_summed() {
    let search_2026 = sample!(SEARCH_2026);
    let mut v = doc(search_2026);
    let breakdowns = v["orders"][0]["proceeds"]["breakdowns"]
        .as_array_mut()
        .unwrap();
    let tip = breakdowns
        .iter_mut()
        .find(|b| b["type"] == "DELIVERY_TIP")
        .unwrap();
    tip["subtotal"]["currencyCode"] = json!("EUR");
    breakdowns
        .push(json!({"type": "GIFT_WRAP", "subtotal": {"amount": "3.50", "currencyCode": "USD"}}));
    let (_, o) = &run_value(&v)[0];
    // Only the USD gift wrap is summed; the EUR tip stays in source.
    assert_eq!(o.totals.other_charges.as_deref(), Some("3.50"));
    assert_eq!(
        o.source["other_charges"],
        json!([
            {"type": "DELIVERY_TIP", "amount": "5.00", "currency": "EUR", "status": "FINALIZED"},
            {"type": "GIFT_WRAP", "amount": "3.50", "currency": "USD"}
        ])
    );
    assert_eq!(
        violations(o),
        ["totals.total 154.99 ≠ subtotal − discount + shipping + other_charges + tax 153.49"]
    );
}
