//! Orders 2026-01-01 (`/orders/2026-01-01`): `searchOrders` (many orders)
//! and `getOrder` (one), camelCase with nested money objects and the items
//! inside the order.
//!
//! Lines: `product.price.unitPrice` is the unit price; the item's
//! `proceeds.breakdowns` give its `DISCOUNT` (taken as a positive
//! discount whatever its sign) and `TAX` (only its `ITEM` part when the tax
//! has `detailedBreakdowns`: the `SHIPPING` part is tax on shipping). Order figures come from the
//! order's `proceeds`: `ITEM` → subtotal, `DISCOUNT` → discount, `SHIPPING`
//! → shipping, `TAX` → tax, `grandTotal` → total; the other categories
//! (`GIFT_WRAP`, `COD_FEE`, `DELIVERY_TIP`, `OTHER`) are summed into
//! `other_charges` and listed one by one in `source.other_charges`
//! (`{"type", "amount", "currency", "status"}`); one in another currency
//! than the order's is only listed, not summed. The categories add up to
//! the grand total with tax listed separately (`total = subtotal −
//! discount + shipping + other_charges + tax`), so `taxes_included` is
//! false.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use weft_sdk::money::{self, Decimal};
use weft_sdk::order::{Address, Customer, Order, OrderLine, Totals, ORDER_SCHEMA};
use weft_sdk::PluginError;

use crate::json::{self, add, money_str, text, Amounts};
use crate::{is_cancelled, Event, CHANNEL};

/// Maps a `searchOrders` response's `orders`.
pub fn map_search(orders: &Value) -> Result<Vec<(Order, Event)>, PluginError> {
    let list = orders.as_array().ok_or_else(|| {
        PluginError::invalid("`orders` must be an array of Orders 2026-01-01 orders")
    })?;
    if list.is_empty() {
        return Err(PluginError::invalid(
            "the searchOrders response has no orders",
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, o)| match o.as_object() {
            Some(o) => map_one(o, "searchOrders"),
            None => Err(PluginError::invalid(format!(
                "orders[{i}] must be an object"
            ))),
        })
        .collect()
}

/// Maps one order; `operation` is where it came from.
pub fn map_one(raw: &Map<String, Value>, operation: &str) -> Result<(Order, Event), PluginError> {
    let order_id = text(raw.get("orderId"))
        .ok_or_else(|| PluginError::invalid("Orders 2026-01-01 order has no `orderId`"))?;
    map_inner(raw, &order_id, operation).map_err(|e| match e {
        PluginError::Invalid(r) => PluginError::invalid(format!("order {order_id}: {r}")),
        other => other,
    })
}

fn map_inner(
    raw: &Map<String, Value>,
    order_id: &str,
    operation: &str,
) -> Result<(Order, Event), PluginError> {
    let proceeds = raw.get("proceeds").and_then(Value::as_object);
    let grand = proceeds.and_then(|p| p.get("grandTotal"));
    let items = match raw.get("orderItems") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => return Err(PluginError::invalid("has no orderItems")),
    };
    let currency = json::currency_of(grand).or_else(|| {
        items
            .iter()
            .find_map(|i| json::currency_of(i.pointer("/product/price/unitPrice")))
    });
    let mut amounts = Amounts::new(currency);
    let mut source = BTreeMap::new();
    let mut other_charges = Vec::new();
    let mut lines = Vec::with_capacity(items.len());
    let mut asins = Map::new();
    let mut cancellations = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = item
            .as_object()
            .ok_or_else(|| PluginError::invalid(format!("orderItems[{i}] must be an object")))?;
        let line = line(i, item, &mut amounts)?;
        if let Some(asin) = item.get("product").and_then(|p| text(p.get("asin"))) {
            asins.insert(line.line_id.clone(), Value::from(asin));
        }
        if let Some(c) = item.get("cancellation").filter(|c| c.is_object()) {
            cancellations.push(json!({"line_id": line.line_id, "cancellation": c}));
        }
        lines.push(line);
    }

    // Order figures from the order's proceeds breakdowns.
    let (mut subtotal, mut discount, mut shipping, mut tax) = (None, None, None, None);
    let mut other = None;
    let breakdowns = proceeds
        .and_then(|p| p.get("breakdowns"))
        .and_then(Value::as_array);
    for (b, entry) in breakdowns.into_iter().flatten().enumerate() {
        let kind = text(entry.get("type")).unwrap_or_default();
        let path = format!("proceeds.breakdowns[{b}] ({kind}).subtotal");
        if !matches!(kind.as_str(), "ITEM" | "DISCOUNT" | "SHIPPING" | "TAX") {
            if let Some((amount, currency)) = amounts.charge(entry.get("subtotal"), &path)? {
                if amounts.is_order_currency(currency.as_deref()) {
                    other = add(other, Some(amount), &path)?;
                }
                let mut charge = json::charge_entry(&kind, amount, currency);
                if let Some(status) = text(entry.get("status")) {
                    charge["status"] = Value::from(status);
                }
                other_charges.push(charge);
            }
            continue;
        }
        let Some(amount) = amounts.get(entry.get("subtotal"), &path)? else {
            continue;
        };
        match kind.as_str() {
            "ITEM" => subtotal = add(subtotal, Some(amount), &path)?,
            "DISCOUNT" => discount = add(discount, Some(amount.abs()), &path)?,
            "SHIPPING" => shipping = add(shipping, Some(amount), &path)?,
            _ => tax = add(tax, Some(amount), &path)?,
        }
    }
    let total = amounts.get(grand, "proceeds.grandTotal")?;
    let totals = Totals {
        subtotal: subtotal.map(money_str),
        discount: discount.map(money_str),
        shipping: shipping.map(money_str),
        tax: tax.map(money_str),
        total: total.map(money_str),
        taxes_included: breakdowns.map(|_| false),
        other_charges: other.map(money_str),
    };

    let fulfillment = raw.get("fulfillment").and_then(Value::as_object);
    let status = fulfillment.and_then(|f| text(f.get("fulfillmentStatus")));
    let event = if is_cancelled(status.as_deref()) {
        Event::Cancelled
    } else {
        Event::Created
    };
    let buyer = raw.get("buyer").and_then(Value::as_object);
    let customer = buyer.and_then(|b| {
        let c = Customer {
            name: text(b.get("buyerName")),
            email: text(b.get("buyerEmail")),
            ..Default::default()
        };
        (c != Customer::default()).then_some(c)
    });
    let mut references = BTreeMap::new();
    if let Some(po) = buyer.and_then(|b| text(b.get("buyerPurchaseOrderNumber"))) {
        references.insert("po_number".to_string(), po);
    }
    for alias in raw
        .get("orderAliases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(kind), Some(id)) = (text(alias.get("aliasType")), text(alias.get("aliasId"))) {
            references.insert(kind.to_ascii_lowercase(), id);
        }
    }
    for assoc in raw
        .get("associatedOrders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(kind), Some(id)) = (
            text(assoc.get("associationType")),
            text(assoc.get("orderId")),
        ) {
            references.insert(kind.to_ascii_lowercase(), id);
        }
    }

    source.insert("document".into(), Value::from("amazon.order"));
    source.insert("api".into(), Value::from("orders/2026-01-01"));
    source.insert("operation".into(), Value::from(operation));
    if let Some(sc) = raw.get("salesChannel").and_then(Value::as_object) {
        for (key, field) in [
            ("sales_channel", "channelName"),
            ("marketplace_id", "marketplaceId"),
            ("marketplace_name", "marketplaceName"),
        ] {
            if let Some(v) = text(sc.get(field)) {
                source.insert(key.into(), Value::from(v));
            }
        }
    }
    if let Some(f) = fulfillment {
        for (key, field) in [
            ("fulfilled_by", "fulfilledBy"),
            ("fulfillment_service_level", "fulfillmentServiceLevel"),
        ] {
            if let Some(v) = text(f.get(field)) {
                source.insert(key.into(), Value::from(v));
            }
        }
    }
    if let Some(programs) = raw
        .get("programs")
        .filter(|p| p.as_array().is_some_and(|a| !a.is_empty()))
    {
        source.insert("programs".into(), programs.clone());
    }
    if let Some(company) = buyer.and_then(|b| text(b.get("buyerCompanyName"))) {
        source.insert("buyer_company_name".into(), Value::from(company));
    }
    if !asins.is_empty() {
        source.insert("asins".into(), Value::Object(asins));
    }
    if !cancellations.is_empty() {
        source.insert("item_cancellations".into(), Value::Array(cancellations));
    }
    if !other_charges.is_empty() {
        source.insert("other_charges".into(), Value::Array(other_charges));
    }

    let ship_to = raw
        .get("recipient")
        .and_then(|r| r.get("deliveryAddress"))
        .and_then(Value::as_object)
        .and_then(address);
    let order = Order {
        schema: ORDER_SCHEMA.to_string(),
        order_id: order_id.to_string(),
        order_number: Some(order_id.to_string()),
        channel: CHANNEL.to_string(),
        correlation_id: format!("{CHANNEL}:{order_id}"),
        purpose: event.purpose().to_string(),
        status,
        ordered_at: json::timestamp(raw.get("createdTime"), "createdTime")?,
        updated_at: json::timestamp(raw.get("lastUpdatedTime"), "lastUpdatedTime")?,
        currency: amounts.currency,
        customer,
        ship_to,
        lines,
        totals,
        references,
        source,
        ..Default::default()
    };
    Ok((order, event))
}

/// One order item (its shipping and other charges are taken from the
/// order's proceeds, which aggregate them).
fn line(
    i: usize,
    item: &Map<String, Value>,
    amounts: &mut Amounts,
) -> Result<OrderLine, PluginError> {
    let line_id = text(item.get("orderItemId")).unwrap_or_else(|| (i + 1).to_string());
    let at = |field: &str| format!("orderItems[{i}] (orderItemId {line_id}) {field}");
    let quantity = json::quantity(item.get("quantityOrdered"), &at("quantityOrdered"))?
        .ok_or_else(|| PluginError::invalid(format!("{} is missing", at("quantityOrdered"))))?;
    let product = item.get("product").and_then(Value::as_object);
    let unit_price = amounts.get(
        product
            .and_then(|p| p.get("price"))
            .and_then(|p| p.get("unitPrice")),
        &at("product.price.unitPrice"),
    )?;
    let (mut item_sub, mut discount, mut tax) = (None, None, None);
    let breakdowns = item
        .get("proceeds")
        .and_then(|p| p.get("breakdowns"))
        .and_then(Value::as_array);
    for (b, entry) in breakdowns.into_iter().flatten().enumerate() {
        let kind = text(entry.get("type")).unwrap_or_default();
        let path = at(&format!("proceeds.breakdowns[{b}] ({kind}).subtotal"));
        let Some(amount) = amounts.get(entry.get("subtotal"), &path)? else {
            continue;
        };
        match kind.as_str() {
            "ITEM" => item_sub = add(item_sub, Some(amount), &path)?,
            "DISCOUNT" => discount = add(discount, Some(amount.abs()), &path)?,
            "TAX" => {
                let item_tax = item_part_of_tax(entry, amounts, &path)?;
                tax = add(tax, Some(item_tax.unwrap_or(amount)), &path)?;
            }
            _ => {}
        }
    }
    let gross: Option<Decimal> = match unit_price {
        Some(p) => Some(
            quantity
                .checked_mul(p)
                .ok_or_else(|| overflow(&at("unitPrice")))?,
        ),
        None => item_sub,
    };
    let total = match gross {
        Some(g) => Some(
            g.checked_sub(discount.unwrap_or_default())
                .ok_or_else(|| overflow(&at("proceeds")))?,
        ),
        None => None,
    };
    Ok(OrderLine {
        sku: product.and_then(|p| text(p.get("sellerSku"))),
        description: product.and_then(|p| text(p.get("title"))),
        quantity: money::format_qty(quantity),
        unit_price: unit_price.map(money_str),
        discount: discount.map(money_str),
        tax: tax.map(money_str),
        total: total.map(money_str),
        line_id,
        ..Default::default()
    })
}

/// The `ITEM` part of an item's `TAX` breakdown when it has
/// `detailedBreakdowns` (its `SHIPPING` part is shipping tax, not the
/// line's); `None` when the breakdown is not detailed.
fn item_part_of_tax(
    entry: &Value,
    amounts: &mut Amounts,
    path: &str,
) -> Result<Option<Decimal>, PluginError> {
    let Some(details) = entry.get("detailedBreakdowns").and_then(Value::as_array) else {
        return Ok(None);
    };
    let mut sum = None;
    for (d, detail) in details.iter().enumerate() {
        if text(detail.get("subtype")).as_deref() == Some("ITEM") {
            let at = format!("{path} detailedBreakdowns[{d}] (ITEM).value");
            sum = add(sum, amounts.get(detail.get("value"), &at)?, &at)?;
        }
    }
    Ok(Some(sum.unwrap_or_default()))
}

/// A 2026-01-01 address (`deliveryAddress`).
pub(crate) fn address(a: &Map<String, Value>) -> Option<Address> {
    let address = Address {
        name: text(a.get("name")),
        company: text(a.get("companyName")),
        address_lines: ["addressLine1", "addressLine2", "addressLine3"]
            .iter()
            .filter_map(|k| text(a.get(*k)))
            .collect(),
        city: text(a.get("city")),
        region: text(a.get("stateOrRegion")),
        postal_code: text(a.get("postalCode")),
        country: text(a.get("countryCode")),
        phone: text(a.get("phone")),
    };
    (address != Address::default()).then_some(address)
}

fn overflow(at: &str) -> PluginError {
    PluginError::invalid(format!("amounts in {at} are too large to compute"))
}
