//! WooCommerce order → canonical `weft.order/1`.
//!
//! WooCommerce states every amount without tax (`subtotal`, `total`,
//! `discount_total`, `shipping_total`; the taxes are separate fields), also
//! when the shop enters prices with tax (`prices_include_tax`, kept in
//! `source`), so `taxes_included` is `false` and
//! `total = Σ line subtotals + fees − discount_total + shipping_total + total_tax`.
//! Fees (`fee_lines`) are charges of their own and become lines without a
//! SKU, so the order still adds up.
//!
//! A legacy REST API order (`/wc-api/v2|v3`) is read by the same mapping:
//! where a v3 field is absent its legacy name is read (`order_number`,
//! `created_at` / `updated_at` / `completed_at` (UTC), `total_discount`,
//! `total_shipping`, `billing_address`, `shipping_address`,
//! `payment_details`, `note`; lines' `meta`; tax lines' `code` / `title` /
//! `total`; fees' `title`; coupons' `amount`), and
//! `total_line_items_quantity` is kept in `source`.

mod lines;

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::datetime::to_rfc3339;
use weft_sdk::order::{Address, Customer, Order, Totals, ORDER_SCHEMA};
use weft_sdk::PluginError;

pub use weft_sdk::order::Event;

use crate::raw::{RawAddress, RawOrder};
pub use weft_sdk::money::money_str;
use weft_sdk::order_map::full_name;
pub use weft_sdk::order_map::OrderCtx;
use weft_sdk::scalar::{take_text, take_trimmed, text, Field, Scalar};

/// The form of WooCommerce `*_gmt` timestamps, for errors.
const TIMESTAMP: &str = "YYYY-MM-DDTHH:MM:SS";

/// The form of legacy REST API timestamps, for errors.
const LEGACY_TIMESTAMP: &str = "YYYY-MM-DDTHH:MM:SSZ";

/// Whether WooCommerce calls the order cancelled.
pub fn is_cancelled(raw: &RawOrder) -> bool {
    text(&raw.status).is_some_and(|s| s.trim().eq_ignore_ascii_case("cancelled"))
}

/// Whether WooCommerce calls the order completed (fulfilled).
pub fn is_completed(raw: &RawOrder) -> bool {
    text(&raw.status).is_some_and(|s| s.trim().eq_ignore_ascii_case("completed"))
}

/// A time as WooCommerce writes it: the `*_gmt` field (UTC without a
/// zone), else the site-local field when it states its offset, else the
/// legacy field (`created_at`, UTC with `Z`); `None` when none is given.
pub fn woo_time(
    ctx: &OrderCtx,
    gmt: (Field, &str),
    local: Field,
    legacy: (Field, &str),
) -> Result<Option<String>, PluginError> {
    if let Some(t) = ctx.timestamp(gmt.0, gmt.1, TIMESTAMP)? {
        return Ok(Some(t));
    }
    if let Some(t) = with_offset(local) {
        return Ok(Some(t));
    }
    ctx.timestamp(legacy.0, legacy.1, LEGACY_TIMESTAMP)
}

/// Maps one order; `order_id` is its (present, non-blank) `id`.
pub fn order(
    raw: RawOrder,
    order_id: String,
    event: Event,
    channel: &str,
) -> Result<Order, PluginError> {
    let ctx = OrderCtx::new(&order_id);
    let completed = is_completed(&raw);
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
        discount: first_money(
            &ctx,
            (&raw.discount_total, "discount_total"),
            (&raw.total_discount, "total_discount"),
        )?,
        shipping: first_money(
            &ctx,
            (&raw.shipping_total, "shipping_total"),
            (&raw.total_shipping, "total_shipping"),
        )?,
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
    let payment = raw.payment_details.unwrap_or_default();
    // Legacy bodies carry `completed_at` on every order: read only once
    // the order is completed.
    let legacy_completed = if completed { raw.completed_at } else { None };
    let date_completed = woo_time(
        &ctx,
        (raw.date_completed_gmt, "date_completed_gmt"),
        raw.date_completed,
        (legacy_completed, "completed_at"),
    )?;
    for (key, value) in [
        ("status", take_trimmed(raw.status.clone())),
        ("created_via", take_trimmed(raw.created_via)),
        (
            "payment_method",
            take_trimmed(raw.payment_method).or(take_trimmed(payment.method_id)),
        ),
        (
            "payment_method_title",
            take_text(raw.payment_method_title).or(take_text(payment.method_title)),
        ),
        (
            "customer_note",
            take_text(raw.customer_note).or(take_text(raw.note)),
        ),
        (
            "date_paid",
            ctx.timestamp(raw.date_paid_gmt, "date_paid_gmt", TIMESTAMP)?,
        ),
        ("date_completed", date_completed),
        (
            "total_line_items_quantity",
            take_trimmed(raw.total_line_items_quantity),
        ),
    ] {
        if let Some(v) = value {
            source.insert(key.into(), Value::from(v));
        }
    }
    for (key, flag) in [
        ("prices_include_tax", &raw.prices_include_tax),
        ("paid", &payment.paid),
    ] {
        if let Some(b) = flag.as_ref().and_then(Scalar::as_bool) {
            source.insert(key.into(), Value::from(b));
        }
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
        (
            "transaction_id",
            raw.transaction_id.or(payment.transaction_id),
        ),
    ] {
        if let Some(v) = take_trimmed(field) {
            references.insert(key.to_string(), v);
        }
    }
    if let Some(p) = take_trimmed(raw.parent_id).filter(|p| p != "0") {
        references.insert("parent_id".to_string(), p);
    }

    let (bill_to, email) = match raw.billing.or(raw.billing_address) {
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

    let ordered_at = woo_time(
        &ctx,
        (raw.date_created_gmt, "date_created_gmt"),
        raw.date_created,
        (raw.created_at, "created_at"),
    )?;
    let updated_at = woo_time(
        &ctx,
        (raw.date_modified_gmt, "date_modified_gmt"),
        raw.date_modified,
        (raw.updated_at, "updated_at"),
    )?;

    Ok(Order {
        schema: ORDER_SCHEMA.to_string(),
        order_number: take_trimmed(raw.number).or(take_trimmed(raw.order_number)),
        channel: channel.to_string(),
        correlation_id: format!("{channel}:{order_id}"),
        purpose: event.purpose().to_string(),
        status: take_trimmed(raw.status),
        ordered_at,
        updated_at,
        currency: take_trimmed(raw.currency),
        customer: (customer != Customer::default()).then_some(customer),
        bill_to,
        ship_to: raw.shipping.or(raw.shipping_address).and_then(address),
        lines: mapped.lines,
        totals,
        references,
        source: source.into_iter().collect(),
        order_id,
        ..Default::default()
    })
}

/// The first of two money fields that is present (the v3 name, else the
/// legacy one), as a canonical amount.
fn first_money(
    ctx: &OrderCtx,
    v3: (&Field, &str),
    legacy: (&Field, &str),
) -> Result<Option<String>, PluginError> {
    match ctx.money(v3.0.as_ref(), v3.1)? {
        Some(m) => Ok(Some(money_str(m))),
        None => Ok(ctx.money(legacy.0.as_ref(), legacy.1)?.map(money_str)),
    }
}

fn address(a: RawAddress) -> Option<Address> {
    let address = Address {
        name: full_name([a.first_name, a.last_name]),
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
pub fn with_offset(local: Field) -> Option<String> {
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
