//! Mapping of the real order samples.

use serde_json::{json, Value};
use weft_sdk::{Plugin, Role};

use super::*;
use crate::ShopifyOrders;

#[test]
fn describes_itself() {
    let info = ShopifyOrders::describe();
    assert_eq!(info.name, "shopify-orders");
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
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
            "credit.issued",
            "payment.received",
            "order.allocated"
        ]
    );
}

#[test]
fn python_fixture_is_mapped_faithfully() {
    let fixture = sample!(FIXTURE);
    let (m, o, v) = run(raw(fixture));
    assert_eq!(m.id, "shopify:450789469:order.created");
    assert_eq!(m.correlation_id, "shopify:450789469");
    assert_eq!(m.kind, "order.created");
    assert_eq!(
        (o.schema.as_str(), o.order_id.as_str(), o.channel.as_str()),
        ("weft.order/1", "450789469", "shopify")
    );
    assert_eq!(o.correlation_id, "shopify:450789469");
    assert_eq!(o.purpose, "original");
    assert_eq!(o.order_number.as_deref(), Some("#1001"));
    assert_eq!(o.status.as_deref(), Some("authorized"));
    assert_eq!(o.ordered_at.as_deref(), Some("2008-01-10T11:00:00-05:00"));
    assert_eq!(o.currency.as_deref(), Some("USD"));
    assert_eq!(o.lines.len(), 3);
    let l = &o.lines[0];
    assert_eq!(l.line_id, "466157049");
    assert_eq!(l.sku.as_deref(), Some("IPOD2008GREEN"));
    assert_eq!(l.description.as_deref(), Some("IPod Nano - 8gb - green"));
    assert_eq!(
        (l.quantity.as_str(), l.unit_price.as_deref()),
        ("1", Some("199.00"))
    );
    assert_eq!(
        (l.discount.as_deref(), l.tax.as_deref(), l.total.as_deref()),
        (None, None, Some("199.00"))
    );
    // The channel's own (inconsistent) subtotal is kept: lines sum to 597.00.
    assert_eq!(
        totals(&o),
        [
            Some("398.00"),
            Some("0.00"),
            Some("0.00"),
            Some("11.94"),
            Some("409.94")
        ]
    );
    assert_eq!(o.totals.taxes_included, Some(false));
    let c = o.customer.as_ref().expect("customer");
    assert_eq!(c.id.as_deref(), Some("207119551"));
    assert_eq!(c.name.as_deref(), Some("Bob Norman"));
    assert_eq!(c.email.as_deref(), Some("bob.norman@hostmail.com"));
    assert_eq!(c.phone, None);
    let a = o.ship_to.as_ref().expect("ship_to");
    assert_eq!(a.address_lines, ["Chestnut Street 92"]);
    assert_eq!(
        (
            a.region.as_deref(),
            a.country.as_deref(),
            a.postal_code.as_deref()
        ),
        (Some("KY"), Some("US"), Some("40202"))
    );
    assert!(o.references.is_empty());
    assert_eq!(
        v["source"],
        json!({"document": "shopify.order", "financial_status": "authorized", "source_name": "web", "test": false})
    );
    assert!(v.get("references").is_none() && v.get("cancelled_at").is_none());
}

#[test]
fn modern_get_order() {
    let get = sample!(GET);
    let (m, o, v) = run(raw(get));
    assert_eq!(m.id, "shopify:450789469:order.created");
    assert_eq!(o.order_id, "450789469");
    assert_eq!(o.status.as_deref(), Some("partially_refunded"));
    assert_eq!(o.lines.len(), 3);
    let discounts: Vec<_> = o
        .lines
        .iter()
        .map(|l| l.discount.as_deref().unwrap_or("-"))
        .collect();
    assert_eq!(discounts, ["3.34", "3.33", "3.33"]);
    let line_totals: Vec<_> = o
        .lines
        .iter()
        .map(|l| l.total.as_deref().unwrap_or("-"))
        .collect();
    assert_eq!(line_totals, ["195.66", "195.67", "195.67"]);
    assert!(o
        .lines
        .iter()
        .all(|l| l.tax.as_deref() == Some("3.98") && l.quantity == "1"));
    assert_eq!(
        totals(&o),
        [
            Some("597.00"),
            Some("10.00"),
            Some("0.00"),
            Some("11.94"),
            Some("598.94")
        ]
    );
    assert_eq!(
        o.references.get("po_number").map(String::as_str),
        Some("ABC123")
    );
    assert!(!o.references.contains_key("confirmation_number"));
    let c = o.customer.as_ref().expect("customer");
    assert_eq!(c.phone.as_deref(), Some("+16136120707"));
    assert_eq!(
        o.bill_to.as_ref().and_then(|a| a.phone.as_deref()),
        Some("+1(502)-459-2181")
    );
    assert!(v.get("cancelled_at").is_none());
    assert_eq!(v["lines"][0]["unit_price"], "199.00");
}

#[test]
fn cancelled_order_becomes_order_cancelled() {
    let cancel = sample!(CANCEL);
    let (m, o, _) = run(raw(cancel));
    assert_eq!(m.id, "shopify:450789469:order.cancelled");
    assert_eq!(m.kind, "order.cancelled");
    assert_eq!(o.purpose, "cancel");
    assert_eq!(o.cancelled_at.as_deref(), Some("2025-07-02T11:31:25-05:00"));
    assert_eq!(o.cancel_reason.as_deref(), Some("other"));
    assert_eq!(o.lines.len(), 3);
    assert_eq!(o.totals.total.as_deref(), Some("598.94"));
    // The cancellation wins over an `orders/updated` topic.
    let (m, ..) = run(raw(cancel).with_header("X-Shopify-Topic", "orders/updated"));
    assert_eq!(m.kind, "order.cancelled");
}

#[test]
fn topic_header_sets_kind_and_purpose() {
    let get = sample!(GET);
    let (m, o, _) = run(raw(get).with_header("x-shopify-topic", "orders/updated"));
    assert_eq!(
        (m.id.as_str(), m.kind.as_str(), o.purpose.as_str()),
        (
            "shopify:450789469:order.updated:2008-01-10T11:00:00-05:00",
            "order.updated",
            "replace"
        )
    );
    let (m, o, _) = run(raw(get).with_header("x-shopify-topic", "orders/cancelled"));
    assert_eq!(
        (m.kind.as_str(), o.purpose.as_str()),
        ("order.cancelled", "cancel")
    );
    for topic in ["orders/paid", "Orders/Fulfilled", "orders/edited"] {
        let (m, _, _) = run(raw(get).with_header("x-shopify-topic", topic));
        assert_eq!(m.kind, "order.updated", "{topic}");
    }
    let (m, _, _) = run(raw(get).with_header("x-shopify-topic", "orders/create"));
    assert_eq!(m.kind, "order.created");
}

#[test]
fn guest_order_with_custom_items_and_two_taxes() {
    let multi_tax = sample!(MULTI_TAX);
    let (m, o, v) = run(raw(multi_tax));
    assert_eq!(m.id, "shopify:1073459963:order.created");
    assert_eq!(o.order_number.as_deref(), Some("#1002"));
    assert_eq!(o.lines.len(), 3);
    assert!(o.lines.iter().all(|l| l.sku.is_none()));
    assert!(v["lines"][0]["sku"].is_null());
    let taxes: Vec<_> = o
        .lines
        .iter()
        .map(|l| l.tax.as_deref().unwrap_or("-"))
        .collect();
    assert_eq!(taxes, ["11.07", "0.00", "3.38"]);
    assert_eq!(o.lines[2].quantity, "2");
    assert_eq!(o.lines[2].total.as_deref(), Some("39.98"));
    assert_eq!(o.lines[2].discount.as_deref(), Some("0.00"));
    assert_eq!(
        totals(&o),
        [
            Some("255.92"),
            Some("0.00"),
            Some("0.00"),
            Some("14.45"),
            Some("270.37")
        ]
    );
    // No customer object and an empty order e-mail: no customer at all.
    assert!(o.customer.is_none() && o.bill_to.is_none() && o.ship_to.is_none());
    assert_eq!(
        o.references.get("confirmation_number").map(String::as_str),
        Some("UEL2XH9LG")
    );
    assert_eq!(v["source"]["source_name"], "755357713");
}

#[test]
fn percentage_discount_and_canadian_addresses() {
    let discount = sample!(DISCOUNT);
    let (m, o, _) = run(raw(discount));
    assert_eq!(m.id, "shopify:1073459981:order.created");
    assert_eq!(o.lines.len(), 1);
    let l = &o.lines[0];
    assert_eq!(
        (l.discount.as_deref(), l.tax.as_deref(), l.total.as_deref()),
        (Some("17.91"), Some("0.00"), Some("181.09"))
    );
    assert_eq!(
        totals(&o),
        [
            Some("199.00"),
            Some("17.91"),
            Some("0.00"),
            Some("0.00"),
            Some("181.09")
        ]
    );
    let bill = o.bill_to.as_ref().expect("bill_to");
    let ship = o.ship_to.as_ref().expect("ship_to");
    assert_eq!(
        (bill.name.as_deref(), ship.name.as_deref()),
        (Some("John Smith"), Some("Jane Smith"))
    );
    assert_eq!(
        (
            ship.region.as_deref(),
            ship.postal_code.as_deref(),
            ship.country.as_deref()
        ),
        (Some("ON"), Some("K2P 1L4"), Some("CA"))
    );
    assert_eq!(ship.address_lines, ["123 Fake Street"]);
    let c = o.customer.as_ref().expect("customer");
    assert_eq!(
        (c.name.as_deref(), c.email.as_deref()),
        (Some("John Smith"), Some("jane@example.com"))
    );
    // The customer has no phone of their own: the order's is used.
    assert_eq!(c.phone.as_deref(), Some("+18885551234"));
}

#[test]
fn bare_webhook_body_maps_like_the_wrapped_order() {
    let get = sample!(GET);
    let wrapped: Value = serde_json::from_slice(get).unwrap();
    let bare = serde_json::to_vec(&wrapped["order"]).unwrap();
    let (m_bare, o_bare, _) = run(raw(&bare).with_header("x-shopify-topic", "orders/create"));
    let (m_wrapped, o_wrapped, _) = run(raw(get));
    assert_eq!(m_bare.id, m_wrapped.id);
    assert_eq!(o_bare, o_wrapped);
    assert_eq!(m_bare.payload, m_wrapped.payload);
}

#[test]
fn minimal_orders_and_fallbacks() {
    let doc = json!({"id": "A-1", "email": "x@example.com", "order_number": 7, "created_at": "2024-01-02",
        "line_items": [{"title": "Thing", "quantity": 3, "price": 2.5, "sku": ""}],
        "shipping_lines": [{"price": "4.00"}, {"price": "1.5"}]});
    let (m, o, v) = run(raw(doc.to_string().as_bytes()));
    assert_eq!(m.id, "shopify:A-1:order.created");
    assert_eq!(o.order_number.as_deref(), Some("7"));
    assert_eq!(o.ordered_at.as_deref(), Some("2024-01-02"));
    let l = &o.lines[0];
    assert_eq!(
        (
            l.line_id.as_str(),
            l.sku.as_deref(),
            l.description.as_deref()
        ),
        ("1", None, Some("Thing"))
    );
    assert_eq!(
        (
            l.unit_price.as_deref(),
            l.total.as_deref(),
            l.tax.as_deref()
        ),
        (Some("2.50"), Some("7.50"), None)
    );
    assert_eq!(o.totals.subtotal.as_deref(), Some("7.50"));
    assert_eq!(o.totals.shipping.as_deref(), Some("5.50"));
    assert_eq!(o.totals.total, None);
    assert_eq!(v["customer"], json!({"email": "x@example.com"}));
    assert_eq!(v["source"], json!({"document": "shopify.order"}));
}
