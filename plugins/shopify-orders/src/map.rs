//! Shopify order → canonical `weft.order/1`.
//!
//! Figures are mapped as the channel states them, never recomputed or
//! "fixed" (the `validate-order` stage judges them); the only derived values
//! are the line totals (`quantity × price − discount`) and the sums Shopify
//! leaves to the reader (line discounts and taxes, shipping without a
//! `total_shipping_price_set`).

use std::collections::BTreeMap;

use serde_json::Value;
use weft_sdk::money::{self, Decimal};
use weft_sdk::order::{Address, Customer, Order, OrderLine, Totals, ORDER_SCHEMA};
use weft_sdk::{scalar, PluginError};

pub use weft_sdk::order::Event;

use std::fmt;

use crate::raw::{take, text, Field, Priced, RawAddress, RawCustomer, RawLine, RawOrder, Scalar};
use weft_sdk::money::money_str;
use weft_sdk::order_map::OrderCtx;

/// The event a Shopify document announces, from the webhook topic
/// (`x-shopify-topic`) when there is one, and the order's own
/// `cancelled_at`. A cancelled order stays a cancellation even when
/// announced by `orders/updated`. Every other `orders/*` topic but
/// `orders/create` (`orders/paid`, `orders/fulfilled`, `orders/edited`, …)
/// is a change of an existing order: an update, so it is not dropped as a
/// re-sent creation.
pub fn event_of<W>(topic: Option<&str>, order: &RawOrder<W>) -> Event {
    let topic = topic.map(str::trim).unwrap_or("").to_ascii_lowercase();
    if topic == "orders/cancelled" || text(&order.cancelled_at).is_some() {
        Event::Cancelled
    } else if topic.starts_with("orders/") && topic != "orders/create" {
        Event::Updated
    } else {
        Event::Created
    }
}

/// Maps one Shopify order; `order_id` is its (present, non-blank) `id`.
pub fn order<W>(raw: RawOrder<W>, order_id: String, event: Event) -> Result<Order, PluginError> {
    let ctx = OrderCtx::new(&order_id);
    let raw_lines = match raw.line_items {
        Some(lines) if !lines.is_empty() => lines,
        _ => {
            return Err(PluginError::invalid(format!(
                "order {order_id} has no line_items"
            )))
        }
    };
    let mut lines = Vec::with_capacity(raw_lines.len());
    // Σ quantity × price, while every line has a price.
    let mut gross = Some(Decimal::ZERO);
    for (index, raw_line) in raw_lines.into_iter().enumerate() {
        let (line, extended) = map_line(&ctx, index, raw_line)?;
        gross = match (gross, extended) {
            (Some(acc), Some(x)) => Some(ctx.add(acc, x, At::Order("line_items"))?),
            _ => None,
        };
        lines.push(line);
    }

    let shop_shipping = raw
        .total_shipping_price_set
        .as_ref()
        .and_then(|set| set.shop_money.as_ref());
    let shipping = match ctx.money(
        shop_shipping.and_then(|m| m.amount.as_ref()),
        At::Order("total_shipping_price_set.shop_money.amount"),
    )? {
        Some(d) => Some(d),
        None => match &raw.shipping_lines {
            Some(shipping_lines) => Some(sum_prices(
                &ctx,
                shipping_lines,
                At::Order("shipping_lines"),
            )?),
            None => None,
        },
    };
    let subtotal = match ctx.money(
        raw.total_line_items_price.as_ref(),
        At::Order("total_line_items_price"),
    )? {
        Some(d) => Some(d),
        None => gross,
    };
    let totals = Totals {
        subtotal: subtotal.map(money_str),
        discount: ctx
            .money(raw.total_discounts.as_ref(), At::Order("total_discounts"))?
            .map(money_str),
        shipping: shipping.map(money_str),
        tax: ctx
            .money(raw.total_tax.as_ref(), At::Order("total_tax"))?
            .map(money_str),
        total: ctx
            .money(raw.total_price.as_ref(), At::Order("total_price"))?
            .map(money_str),
        taxes_included: raw.taxes_included.as_ref().and_then(Scalar::as_bool),
        other_charges: None,
    };

    let mut references = BTreeMap::new();
    for (key, field) in [
        ("po_number", raw.po_number),
        ("confirmation_number", raw.confirmation_number),
    ] {
        if let Some(v) = take(field) {
            references.insert(key.to_string(), v);
        }
    }

    let mut source = BTreeMap::new();
    source.insert("document".to_string(), Value::from("shopify.order"));
    for (key, field) in [
        ("financial_status", &raw.financial_status),
        ("fulfillment_status", &raw.fulfillment_status),
        ("source_name", &raw.source_name),
    ] {
        if let Some(v) = text(field) {
            source.insert(key.to_string(), Value::from(v));
        }
    }
    if let Some(t) = &raw.test {
        let v = t
            .as_bool()
            .map_or_else(|| Value::from(t.as_str()), Value::from);
        source.insert("test".to_string(), v);
    }

    let order_email = take(raw.email);
    let customer = match raw.customer {
        Some(c) => customer(c, order_email, take(raw.phone)),
        None => order_email.map(|email| Customer {
            email: Some(email),
            ..Default::default()
        }),
    };

    Ok(Order {
        schema: ORDER_SCHEMA.to_string(),
        order_number: take(raw.name).or_else(|| take(raw.order_number)),
        channel: "shopify".to_string(),
        correlation_id: format!("shopify:{order_id}"),
        purpose: event.purpose().to_string(),
        status: take(raw.financial_status),
        ordered_at: take(raw.processed_at).or_else(|| take(raw.created_at)),
        updated_at: take(raw.updated_at),
        cancelled_at: take(raw.cancelled_at),
        cancel_reason: take(raw.cancel_reason),
        requested_ship_at: None,
        currency: take(raw.currency).map(|c| c.trim().to_string()),
        customer,
        bill_to: raw.billing_address.and_then(address),
        ship_to: raw.shipping_address.and_then(address),
        lines,
        totals,
        references,
        source,
        order_id,
    })
}

/// The buyer: the customer object, with the order's e-mail and phone as
/// fallbacks; `None` when nothing is known.
fn customer(
    c: RawCustomer,
    order_email: Option<String>,
    order_phone: Option<String>,
) -> Option<Customer> {
    let customer = Customer {
        id: take(c.id),
        name: full_name(&c.first_name, &c.last_name),
        email: take(c.email).or(order_email),
        phone: take(c.phone).or(order_phone),
        ..Default::default()
    };
    (customer != Customer::default()).then_some(customer)
}

fn full_name(first: &Field, last: &Field) -> Option<String> {
    let name = format!("{} {}", text(first).unwrap_or(""), text(last).unwrap_or(""));
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

pub(crate) fn address(a: RawAddress) -> Option<Address> {
    let address = Address {
        name: take(a.name).or_else(|| full_name(&a.first_name, &a.last_name)),
        company: take(a.company),
        address_lines: [a.address1, a.address2]
            .into_iter()
            .filter_map(take)
            .collect(),
        city: take(a.city),
        region: take(a.province_code).or_else(|| take(a.province)),
        postal_code: take(a.zip),
        country: take(a.country_code).or_else(|| take(a.country)),
        phone: take(a.phone),
    };
    (address != Address::default()).then_some(address)
}

/// Where a value is, for error messages; only formatted on failure.
#[derive(Clone, Copy)]
enum At<'a> {
    /// An order field (or list of the order).
    Order(&'static str),
    /// A field (or list) of line `index` with id `id`.
    Line {
        index: usize,
        id: &'a str,
        field: &'static str,
    },
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            At::Order(field) => f.write_str(field),
            At::Line { index, id, field } => write!(f, "line_items[{index}] (id {id}) {field}"),
        }
    }
}

/// Maps line `index`; also returns `quantity × price` when there is a price.
fn map_line(
    ctx: &OrderCtx,
    index: usize,
    raw: RawLine,
) -> Result<(OrderLine, Option<Decimal>), PluginError> {
    let line_id = take(raw.id).unwrap_or_else(|| (index + 1).to_string());
    let at = |field| At::Line {
        index,
        id: &line_id,
        field,
    };
    let quantity = match raw
        .quantity
        .as_ref()
        .map(Scalar::as_str)
        .filter(|q| !q.trim().is_empty())
    {
        None => {
            return Err(ctx.err(format_args!(
                "line_items[{index}] (id {line_id}) has no quantity"
            )))
        }
        Some(q) => money::parse(q).ok_or_else(|| {
            ctx.err(format_args!(
                "line_items[{index}] (id {line_id}) has quantity `{q}`, which is not a decimal"
            ))
        })?,
    };
    let price = ctx.money(raw.price.as_ref(), at("price"))?;
    let discount = match raw.discount_allocations.as_deref() {
        Some(allocations) if !allocations.is_empty() => {
            let mut sum = Decimal::ZERO;
            for a in allocations {
                if let Some(d) =
                    ctx.money(a.amount.as_ref(), at("discount_allocations[].amount"))?
                {
                    sum = ctx.add(sum, d, at("discount_allocations"))?;
                }
            }
            Some(sum)
        }
        _ => ctx.money(raw.total_discount.as_ref(), at("total_discount"))?,
    };
    let tax = match &raw.tax_lines {
        Some(tax_lines) => Some(sum_prices(ctx, tax_lines, at("tax_lines"))?),
        None => None,
    };
    let extended = match price {
        Some(p) => Some(
            quantity
                .checked_mul(p)
                .ok_or_else(|| ctx.overflow(at("price")))?,
        ),
        None => None,
    };
    let total = match extended {
        Some(x) => Some(
            x.checked_sub(discount.unwrap_or_default())
                .ok_or_else(|| ctx.overflow(at("total")))?,
        ),
        None => None,
    };

    let line = OrderLine {
        sku: take(raw.sku).map(|s| s.trim().to_string()),
        description: take(raw.name).or_else(|| take(raw.title)),
        quantity: money::format_qty(quantity),
        unit_price: price.map(money_str),
        discount: discount.map(money_str),
        tax: tax.map(money_str),
        total: total.map(money_str),
        line_id,
        ..Default::default()
    };
    Ok((line, extended))
}

/// Σ `price` over tax or shipping lines (0 for none).
fn sum_prices(ctx: &OrderCtx, items: &[Priced], at: At) -> Result<Decimal, PluginError> {
    let mut sum = Decimal::ZERO;
    for (i, item) in items.iter().enumerate() {
        let Some(price) = scalar::decimal(item.price.as_ref(), format_args!("{at}[{i}].price"))
            .map_err(|reason| ctx.err(format_args!("{reason}")))?
        else {
            continue;
        };
        sum = ctx.add(sum, price, at)?;
    }
    Ok(sum)
}
