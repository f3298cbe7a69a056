//! Adobe Commerce order → canonical `weft.order/1`.
//!
//! Figures are mapped as the channel states them (order currency, the
//! `price`/`subtotal` fields, which exclude tax), never recomputed; the
//! only derived values are the line totals (`quantity × price − discount`)
//! and the positive order discount (Magento stores it negative).

mod lines;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;
use weft_sdk::datetime::to_rfc3339;
use weft_sdk::money::Decimal;
use weft_sdk::order::{Address, Customer, Order, Totals, ORDER_SCHEMA};
use weft_sdk::PluginError;

pub use weft_sdk::order::Event;

use crate::raw::{RawAddress, RawOrder};
pub use weft_sdk::money::money_str;
use weft_sdk::scalar::{self, take_text, take_trimmed, text, Field, Scalar};

pub use lines::BundleLines;

/// Settings of a deployment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Channel code (`adobe-commerce`).
    pub channel: String,
    /// How bundles become lines.
    pub bundle_lines: BundleLines,
}

/// Whether Magento calls the order cancelled (`state` or `status`
/// `canceled`).
pub fn is_cancelled(raw: &RawOrder) -> bool {
    [&raw.state, &raw.status]
        .into_iter()
        .filter_map(text)
        .any(|s| {
            s.trim().eq_ignore_ascii_case("canceled") || s.trim().eq_ignore_ascii_case("cancelled")
        })
}

/// Maps one order; `order_id` is its (present, non-blank) `entity_id`.
pub fn order(
    raw: RawOrder,
    order_id: String,
    event: Event,
    settings: &Settings,
) -> Result<Order, PluginError> {
    let ctx = Ctx {
        order_id: &order_id,
    };
    let items = raw.items.unwrap_or_default();
    if items.is_empty() && event != Event::Cancelled {
        return Err(PluginError::invalid(format!(
            "order {order_id} has no `items` (an {} needs at least one line)",
            event.kind()
        )));
    }
    let mut source = BTreeMap::new();
    source.insert("document".to_string(), Value::from("adobe-commerce.order"));
    let mapped = lines::map(&ctx, items, settings.bundle_lines)?;

    let discount = ctx
        .money(raw.discount_amount.as_ref(), "discount_amount")?
        .map(|d| d.abs());
    let subtotal = match ctx.money(raw.subtotal.as_ref(), "subtotal")? {
        Some(s) => Some(s),
        None => mapped.gross,
    };
    let totals = Totals {
        subtotal: subtotal.map(money_str),
        discount: discount.map(money_str),
        shipping: ctx
            .money(raw.shipping_amount.as_ref(), "shipping_amount")?
            .map(money_str),
        tax: ctx
            .money(raw.tax_amount.as_ref(), "tax_amount")?
            .map(money_str),
        total: ctx
            .money(raw.grand_total.as_ref(), "grand_total")?
            .map(money_str),
        // `price`, `subtotal` and `row_total` exclude tax; the tax-inclusive
        // figures are separate `*_incl_tax` fields.
        taxes_included: Some(false),
        other_charges: None,
    };

    for (key, value) in [
        ("state", text(&raw.state).map(str::to_string)),
        ("status", text(&raw.status).map(str::to_string)),
        (
            "payment_method",
            raw.payment.and_then(|p| take_trimmed(p.method)),
        ),
        ("shipping_description", take_text(raw.shipping_description)),
        ("discount_description", take_text(raw.discount_description)),
        ("coupon_code", take_trimmed(raw.coupon_code)),
    ] {
        if let Some(v) = value {
            source.insert(key.to_string(), Value::from(v));
        }
    }
    let shipping = raw
        .extension_attributes
        .and_then(|e| e.shipping_assignments)
        .and_then(|a| a.into_iter().next())
        .and_then(|a| a.shipping);
    let (ship_to, shipping_method) = match shipping {
        Some(s) => (s.address.and_then(address), take_trimmed(s.method)),
        None => (None, None),
    };
    if let Some(m) = shipping_method {
        source.insert("shipping_method".to_string(), Value::from(m));
    }

    let mut references = BTreeMap::new();
    for (key, field) in [
        ("ext_order_id", raw.ext_order_id),
        ("quote_id", raw.quote_id),
    ] {
        if let Some(v) = take_trimmed(field) {
            references.insert(key.to_string(), v);
        }
    }

    let is_guest = raw
        .customer_is_guest
        .as_ref()
        .and_then(Scalar::as_bool)
        .unwrap_or(false);
    let customer = Customer {
        id: if is_guest {
            None
        } else {
            take_trimmed(raw.customer_id)
        },
        name: full_name([
            raw.customer_firstname,
            raw.customer_middlename,
            raw.customer_lastname,
        ]),
        email: take_trimmed(raw.customer_email),
        ..Default::default()
    };

    Ok(Order {
        schema: ORDER_SCHEMA.to_string(),
        order_number: take_trimmed(raw.increment_id),
        channel: settings.channel.clone(),
        correlation_id: format!("{}:{order_id}", settings.channel),
        purpose: event.purpose().to_string(),
        status: take_trimmed(raw.status),
        ordered_at: ctx.timestamp(raw.created_at, "created_at")?,
        updated_at: ctx.timestamp(raw.updated_at, "updated_at")?,
        currency: take_trimmed(raw.order_currency_code),
        customer: (customer != Customer::default()).then_some(customer),
        bill_to: raw.billing_address.and_then(address),
        ship_to,
        lines: mapped.lines,
        totals,
        references,
        source,
        order_id,
        ..Default::default()
    })
}

/// First, middle and last name joined, HTML references decoded.
fn full_name(parts: [Field; 3]) -> Option<String> {
    let name = parts
        .into_iter()
        .filter_map(take_text)
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

fn address(a: RawAddress) -> Option<Address> {
    let address = Address {
        name: full_name([a.firstname, a.middlename, a.lastname]),
        company: take_text(a.company),
        address_lines: a
            .street
            .unwrap_or_default()
            .into_iter()
            .filter_map(take_text)
            .collect(),
        city: take_text(a.city),
        region: take_trimmed(a.region_code).or_else(|| take_text(a.region)),
        postal_code: take_trimmed(a.postcode),
        country: take_trimmed(a.country_id),
        phone: take_trimmed(a.telephone),
    };
    (address != Address::default()).then_some(address)
}

/// The order being mapped, for error messages.
pub struct Ctx<'a> {
    order_id: &'a str,
}

impl Ctx<'_> {
    /// An optional money value: `None` when absent, null or blank; an error
    /// naming the field and the value when it is not a decimal.
    pub fn money(
        &self,
        value: Option<&Scalar>,
        at: impl fmt::Display,
    ) -> Result<Option<Decimal>, PluginError> {
        scalar::decimal(value, at).map_err(|reason| self.err(format_args!("{reason}")))
    }

    /// An optional timestamp field as RFC 3339.
    fn timestamp(&self, value: Field, field: &str) -> Result<Option<String>, PluginError> {
        match take_trimmed(value) {
            None => Ok(None),
            Some(s) => to_rfc3339(&s).map(Some).ok_or_else(|| {
                self.err(format_args!(
                    "{field} `{s}` is not a `YYYY-MM-DD HH:MM:SS` timestamp"
                ))
            }),
        }
    }

    /// An error about this order.
    pub fn err(&self, reason: fmt::Arguments) -> PluginError {
        PluginError::invalid(format!("order {}: {reason}", self.order_id))
    }
}
