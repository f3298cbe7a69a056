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
use weft_sdk::money::{self, Decimal};
use weft_sdk::order::{kinds, Address, Customer, Order, Totals, ORDER_SCHEMA};
use weft_sdk::PluginError;

use crate::raw::{RawAddress, RawOrder};
use crate::scalar::{take, take_text, text, Field, Scalar};

/// What kind of change a document announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A new order.
    Created,
    /// A changed order.
    Updated,
    /// A cancelled (or deleted) order.
    Cancelled,
}

impl Event {
    /// The message kind.
    pub fn kind(self) -> &'static str {
        match self {
            Event::Created => kinds::CREATED,
            Event::Updated => kinds::UPDATED,
            Event::Cancelled => kinds::CANCELLED,
        }
    }

    /// The canonical `purpose`.
    pub fn purpose(self) -> &'static str {
        match self {
            Event::Created => "original",
            Event::Updated => "replace",
            Event::Cancelled => "cancel",
        }
    }
}

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
        subtotal: mapped.subtotal.map(fmt_money),
        discount: ctx
            .money(raw.discount_total.as_ref(), "discount_total")?
            .map(fmt_money),
        shipping: ctx
            .money(raw.shipping_total.as_ref(), "shipping_total")?
            .map(fmt_money),
        tax: ctx
            .money(raw.total_tax.as_ref(), "total_tax")?
            .map(fmt_money),
        total: ctx.money(raw.total.as_ref(), "total")?.map(fmt_money),
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
        ("status", take(raw.status.clone())),
        ("created_via", take(raw.created_via)),
        ("payment_method", take(raw.payment_method)),
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
        if let Some(v) = take(field) {
            references.insert(key.to_string(), v);
        }
    }
    if let Some(p) = take(raw.parent_id).filter(|p| p != "0") {
        references.insert("parent_id".to_string(), p);
    }

    let (bill_to, email) = match raw.billing {
        Some(b) => {
            let email = take(b.email.clone());
            (address(b), email)
        }
        None => (None, None),
    };
    let customer = Customer {
        id: take(raw.customer_id).filter(|id| id != "0"),
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
        order_number: take(raw.number),
        channel: channel.to_string(),
        correlation_id: format!("{channel}:{order_id}"),
        purpose: event.purpose().to_string(),
        status: take(raw.status),
        ordered_at,
        updated_at,
        currency: take(raw.currency),
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

/// Money with at least two decimals (`9` → `9.00`).
pub fn fmt_money(d: Decimal) -> String {
    money::format(d, 2)
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
        postal_code: take(a.postcode),
        country: take(a.country),
        phone: take(a.phone),
    };
    (address != Address::default()).then_some(address)
}

/// A site-local timestamp (`date_created`), used only when it states its
/// offset: without one it cannot be placed in time.
fn with_offset(local: Field) -> Option<String> {
    let s = take(local)?;
    let has_zone = s.ends_with(['Z', 'z'])
        || s.len() > 19
            && s.get(s.len() - 6..)
                .is_some_and(|z| z.starts_with(['+', '-']));
    if has_zone {
        rfc3339(&s)
    } else {
        None
    }
}

/// A `*_gmt` value (`YYYY-MM-DDTHH:MM:SS`, UTC without a zone) as RFC 3339 (`…T…Z`); a value
/// already in RFC 3339 or a plain date is kept. `None` for anything else.
pub fn rfc3339(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date_ok = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10);
    if !date_ok {
        return None;
    }
    if b.len() == 10 {
        return Some(s.to_string());
    }
    let time_ok = matches!(b.get(10), Some(b' ' | b'T' | b't'))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !time_ok {
        return None;
    }
    let mut end = 19;
    if b.get(19) == Some(&b'.') {
        end = 20;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end == 20 {
            return None;
        }
    }
    let zone = &s[end..];
    let zone_ok = match zone.as_bytes() {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    };
    if !zone_ok {
        return None;
    }
    let zone = if zone.is_empty() { "Z" } else { zone };
    Some(format!("{}T{}{zone}", &s[..10], &s[11..end]))
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
        match value.map(Scalar::as_str).filter(|s| !s.trim().is_empty()) {
            None => Ok(None),
            Some(s) => money::parse(s)
                .map(Some)
                .ok_or_else(|| self.err(format_args!("{at} `{s}` is not a decimal"))),
        }
    }

    /// An optional `*_gmt` timestamp as RFC 3339.
    fn timestamp(&self, value: Field, field: &str) -> Result<Option<String>, PluginError> {
        match take(value) {
            None => Ok(None),
            Some(s) => rfc3339(&s).map(Some).ok_or_else(|| {
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
