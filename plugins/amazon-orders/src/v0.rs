//! Orders v0 (`/orders/v0`): an order from `getOrder`/`getOrders` joined
//! with its items from `getOrderItems` (and optionally its address from
//! `getOrderAddress`), sent together as
//! `{"order": …, "items": …, "address": …}`.
//!
//! v0 `ItemPrice` is the price of the whole line (unit price × quantity),
//! so the unit price is derived by exact division and left out when the
//! division does not come out exact. Order figures: subtotal Σ `ItemPrice`,
//! discount Σ `PromotionDiscount` + Σ `ShippingDiscount`, shipping
//! Σ `ShippingPrice`, other charges Σ `CODFee` − Σ `CODFeeDiscount` plus
//! Σ `GiftWrapPrice`, tax Σ `ItemTax` + Σ `ShippingTax` + Σ
//! `GiftWrapTax`, total `OrderTotal`; a charge in another currency than the
//! order's is left out of the sums (it stays listed in
//! `source.other_charges`, as do `PromotionDiscountTax` and
//! `ShippingDiscountTax`, listed only). `taxes_included` is left out: v0
//! does not say.

mod lines;
mod pages;

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::order::{Address, Customer, Order, ORDER_SCHEMA};
use weft_sdk::PluginError;

use crate::json::{self, money_str, text, Amounts};
use crate::{is_cancelled, Event, CHANNEL};

pub use pages::{map_combined, needs_items};

/// Maps one v0 order with its items; `operation` names where the order
/// came from (`getOrder`, `getOrders`, `order`).
fn map_order(
    raw: &Map<String, Value>,
    items: &[&Value],
    address: Option<&Map<String, Value>>,
    operation: &str,
) -> Result<(Order, Event), PluginError> {
    let order_id = text(raw.get("AmazonOrderId"))
        .ok_or_else(|| PluginError::invalid("Orders v0 order has no `AmazonOrderId`"))?;
    let err = |e: PluginError| match e {
        PluginError::Invalid(r) => PluginError::invalid(format!("order {order_id}: {r}")),
        other => other,
    };
    let currency = json::currency_of(raw.get("OrderTotal")).or_else(|| {
        items
            .iter()
            .find_map(|i| json::currency_of(i.get("ItemPrice")))
    });
    let mut amounts = Amounts::new(currency);
    let mapped = lines::map(items, &mut amounts).map_err(err)?;
    let total = amounts
        .get(raw.get("OrderTotal"), "OrderTotal")
        .map_err(err)?;
    let status = text(raw.get("OrderStatus"));
    let event = if is_cancelled(status.as_deref()) {
        Event::Cancelled
    } else {
        Event::Created
    };

    let buyer = raw.get("BuyerInfo").and_then(Value::as_object);
    let customer = buyer.and_then(|b| {
        let c = Customer {
            name: text(b.get("BuyerName")),
            email: text(b.get("BuyerEmail")),
            ..Default::default()
        };
        (c != Customer::default()).then_some(c)
    });
    let mut references = BTreeMap::new();
    for (key, value) in [
        (
            "po_number",
            buyer.and_then(|b| text(b.get("PurchaseOrderNumber"))),
        ),
        ("seller_order_id", text(raw.get("SellerOrderId"))),
        ("replaced_order_id", text(raw.get("ReplacedOrderId"))),
    ] {
        if let Some(v) = value {
            references.insert(key.to_string(), v);
        }
    }

    let mut source = BTreeMap::new();
    source.insert("document".into(), Value::from("amazon.order"));
    source.insert("api".into(), Value::from("orders/v0"));
    source.insert("operation".into(), Value::from(operation));
    source.insert("items_operation".into(), Value::from("getOrderItems"));
    if address.is_some() {
        source.insert("address_operation".into(), Value::from("getOrderAddress"));
    }
    for (key, field) in [
        ("fulfillment_channel", "FulfillmentChannel"),
        ("sales_channel", "SalesChannel"),
        ("marketplace_id", "MarketplaceId"),
        ("order_type", "OrderType"),
        ("ship_service_level", "ShipServiceLevel"),
        ("payment_method", "PaymentMethod"),
    ] {
        if let Some(v) = text(raw.get(field)) {
            source.insert(key.into(), Value::from(v));
        }
    }
    for (key, value) in raw {
        if key.starts_with("Is") {
            if let Some(b) = json::flag(Some(value)) {
                source.insert(snake(key), Value::from(b));
            }
        }
    }
    if let Some(company) = buyer
        .and_then(|b| b.get("BuyerTaxInfo"))
        .and_then(|t| text(t.get("CompanyLegalName")))
    {
        source.insert("buyer_company_legal_name".into(), Value::from(company));
    }
    mapped.report(&mut source);

    let ship_to = match address {
        Some(a) => a.get("ShippingAddress").and_then(Value::as_object),
        None => raw.get("ShippingAddress").and_then(Value::as_object),
    }
    .and_then(address_of);

    let order = Order {
        schema: ORDER_SCHEMA.to_string(),
        order_number: Some(order_id.clone()),
        channel: CHANNEL.to_string(),
        correlation_id: format!("{CHANNEL}:{order_id}"),
        purpose: event.purpose().to_string(),
        status,
        ordered_at: json::timestamp(raw.get("PurchaseDate"), "PurchaseDate").map_err(err)?,
        updated_at: json::timestamp(raw.get("LastUpdateDate"), "LastUpdateDate").map_err(err)?,
        currency: amounts.currency,
        customer,
        ship_to,
        lines: mapped.lines,
        totals: weft_sdk::order::Totals {
            total: total.map(money_str),
            ..mapped.totals
        },
        references,
        source,
        order_id,
        ..Default::default()
    };
    Ok((order, event))
}

/// A v0 address (`ShippingAddress`, `DefaultShipFromLocationAddress`).
pub(crate) fn address_of(a: &Map<String, Value>) -> Option<Address> {
    let address = Address {
        name: text(a.get("Name")),
        company: text(a.get("CompanyName")),
        address_lines: ["AddressLine1", "AddressLine2", "AddressLine3"]
            .iter()
            .filter_map(|k| text(a.get(*k)))
            .collect(),
        city: text(a.get("City")),
        region: text(a.get("StateOrRegion")),
        postal_code: text(a.get("PostalCode")),
        country: text(a.get("CountryCode")),
        phone: text(a.get("Phone")),
    };
    (address != Address::default()).then_some(address)
}

/// `IsBusinessOrder` → `is_business_order`, `IsIBA` → `is_iba`.
fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn snake_case_flags() {
        assert_eq!(super::snake("IsBusinessOrder"), "is_business_order");
        assert_eq!(super::snake("IsIBA"), "is_iba");
        assert_eq!(super::snake("IsSoldByAB"), "is_sold_by_ab");
    }
}
