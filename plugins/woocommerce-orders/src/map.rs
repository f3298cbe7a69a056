//! WooCommerce order → canonical `weft.order/1`.
//!
//! WooCommerce states every amount without tax (`subtotal`, `total`,
//! `discount_total`, `shipping_total`; the taxes are separate fields), also
//! when the shop enters prices with tax (`prices_include_tax`, kept in
//! `source`), so `taxes_included` is `false` and
//! `total = Σ line subtotals + fees − discount_total + shipping_total + total_tax`.
//! Fees (`fee_lines`) are charges of their own and become lines without a
//! SKU, so the order still adds up.

mod lines;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};
use weft_sdk::datetime::to_rfc3339;
use weft_sdk::money::Decimal;
use weft_sdk::order::{Address, Customer, Order, Totals, ORDER_SCHEMA};
use weft_sdk::PluginError;

pub use weft_sdk::order::Event;

use crate::raw::{RawAddress, RawOrder};
pub use weft_sdk::money::money_str;
use weft_sdk::scalar::{self, take_text, take_trimmed, text, Field, Scalar};

/// Whether WooCommerce calls the order cancelled.
pub fn is_cancelled(raw: &RawOrder) -> bool {
    text(&raw.status).is_some_and(|s| s.trim().eq_ignore_ascii_case("cancelled"))
}

/// Maps one order; `order_id` is its (present, non-blank) `id`.
pub fn order(
    raw: RawOrder,
    order_id: String,
    event: Event,
    channel: &str,
) -> Result<Order, PluginError> {
    let ctx = Ctx {
        order_id: &order_id,
    };
    let items = raw.line_items.unwrap_or_default();
    if items.is_empty() && event != Event::Cancelled {
        return Err(PluginError::invalid(format!(
            "order {order_id} has no `line_items` (an {} needs at least one line)",
            event.kind()
        )));
    }
    let mut source = Map::new();
    let mapped = lines::map(&ctx, items, raw.fee_lines.unwrap_or_default(), &mut source)?;

    let mut totals = Totals {
        subtotal: mapped.subtotal.map(money_str),
        discount: ctx
            .money(raw.discount_total.as_ref(), "discount_total")?
            .map(money_str),
        shipping: ctx
            .money(raw.shipping_total.as_ref(), "shipping_total")?
            .map(money_str),
        tax: ctx
            .money(raw.total_tax.as_ref(), "total_tax")?
            .map(money_str),
        total: ctx.money(raw.total.as_ref(), "total")?.map(money_str),
        taxes_included: None,
        other_charges: None,
    };
    // The amounts WooCommerce states exclude tax; said only when there are
    // amounts (a deleted order's body is just its id).
    if totals != Totals::default() {
        totals.taxes_included = Some(false);
    }

    source.insert("document".into(), Value::from("woocommerce.order"));
    for (key, value) in [
        ("status", take_trimmed(raw.status.clone())),
        ("created_via", take_trimmed(raw.created_via)),
        ("payment_method", take_trimmed(raw.payment_method)),
        ("payment_method_title", take_text(raw.payment_method_title)),
        ("customer_note", take_text(raw.customer_note)),
        (
            "date_paid",
            ctx.timestamp(raw.date_paid_gmt, "date_paid_gmt")?,
        ),
        (
            "date_completed",
            ctx.timestamp(raw.date_completed_gmt, "date_completed_gmt")?,
        ),
    ] {
        if let Some(v) = value {
            source.insert(key.into(), Value::from(v));
        }
    }
    if let Some(b) = raw.prices_include_tax.as_ref().and_then(Scalar::as_bool) {
        source.insert("prices_include_tax".into(), Value::from(b));
    }
    let listed = lines::order_lists(
        &ctx,
        raw.shipping_lines.unwrap_or_default(),
        raw.tax_lines.unwrap_or_default(),
        raw.coupon_lines.unwrap_or_default(),
        raw.refunds.unwrap_or_default(),
    )?;
    source.extend(listed);

    let mut references = BTreeMap::new();
    for (key, field) in [
        ("order_key", raw.order_key),
        ("transaction_id", raw.transaction_id),
    ] {
        if let Some(v) = take_trimmed(field) {
            references.insert(key.to_string(), v);
        }
    }
    if let Some(p) = take_trimmed(raw.parent_id).filter(|p| p != "0") {
        references.insert("parent_id".to_string(), p);
    }

    let (bill_to, email) = match raw.billing {
        Some(b) => {
            let email = take_trimmed(b.email.clone());
            (address(b), email)
        }
        None => (None, None),
    };
    let customer = Customer {
        id: take_trimmed(raw.customer_id).filter(|id| id != "0"),
        name: bill_to.as_ref().and_then(|b| b.name.clone()),
        email,
        phone: bill_to.as_ref().and_then(|b| b.phone.clone()),
        ..Default::default()
    };

    let ordered_at = match ctx.timestamp(raw.date_created_gmt, "date_created_gmt")? {
        Some(t) => Some(t),
        None => with_offset(raw.date_created),
    };
    let updated_at = match ctx.timestamp(raw.date_modified_gmt, "date_modified_gmt")? {
        Some(t) => Some(t),
        None => with_offset(raw.date_modified),
    };

    Ok(Order {
        schema: ORDER_SCHEMA.to_string(),
        order_number: take_trimmed(raw.number),
        channel: channel.to_string(),
        correlation_id: format!("{channel}:{order_id}"),
        purpose: event.purpose().to_string(),
        status: take_trimmed(raw.status),
        ordered_at,
        updated_at,
        currency: take_trimmed(raw.currency),
        customer: (customer != Customer::default()).then_some(customer),
        bill_to,
        ship_to: raw.shipping.and_then(address),
        lines: mapped.lines,
        totals,
        references,
        source: source.into_iter().collect(),
        order_id,
        ..Default::default()
    })
}

fn full_name(first: Field, last: Field) -> Option<String> {
    let name = [first, last]
        .into_iter()
        .filter_map(take_text)
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

fn address(a: RawAddress) -> Option<Address> {
    let address = Address {
        name: full_name(a.first_name, a.last_name),
        company: take_text(a.company),
        address_lines: [a.address_1, a.address_2]
            .into_iter()
            .filter_map(take_text)
            .collect(),
        city: take_text(a.city),
        region: take_text(a.state),
        postal_code: take_trimmed(a.postcode),
        country: take_trimmed(a.country),
        phone: take_trimmed(a.phone),
    };
    (address != Address::default()).then_some(address)
}

/// A site-local timestamp (`date_created`), used only when it states its
/// offset: without one it cannot be placed in time.
fn with_offset(local: Field) -> Option<String> {
    let s = take_trimmed(local)?;
    let has_zone = s.ends_with(['Z', 'z'])
        || s.len() > 19
            && s.get(s.len() - 6..)
                .is_some_and(|z| z.starts_with(['+', '-']));
    if has_zone {
        to_rfc3339(&s)
    } else {
        None
    }
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

    /// An optional `*_gmt` timestamp as RFC 3339.
    fn timestamp(&self, value: Field, field: &str) -> Result<Option<String>, PluginError> {
        match take_trimmed(value) {
            None => Ok(None),
            Some(s) => to_rfc3339(&s).map(Some).ok_or_else(|| {
                self.err(format_args!(
                    "{field} `{s}` is not a `YYYY-MM-DDTHH:MM:SS` timestamp"
                ))
            }),
        }
    }

    /// An error about this order.
    pub fn err(&self, reason: fmt::Arguments) -> PluginError {
        PluginError::invalid(format!("order {}: {reason}", self.order_id))
    }
}
