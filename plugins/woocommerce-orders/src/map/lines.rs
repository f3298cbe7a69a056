//! Line items and fees → canonical lines; the order's shipping, tax,
//! coupon and refund lists → `source`.
//!
//! A line item's `subtotal` is its amount before coupons and `total` after
//! them (both without tax), so the canonical line is
//! `unit_price = subtotal / quantity` (rounded half-even to 4 decimals
//! when it does not divide evenly), `discount = subtotal − total`, `tax = total_tax` and
//! `total = total`. Visible line `meta_data` (keys not starting with `_`,
//! e.g. the variation's `pa_color`) goes onto the line as
//! `attributes.meta_data` (`{key: value}`, HTML references in strings
//! decoded); hidden keys (`_reduced_stock`, …) are dropped.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use weft_sdk::money::{self, Decimal};
use weft_sdk::order::OrderLine;
use weft_sdk::PluginError;

use super::{money_str, OrderCtx};
use crate::raw::{RawCoupon, RawFee, RawLine, RawRefund, RawShippingLine, RawTaxLine};
use weft_sdk::scalar::{take_text, take_trimmed, Scalar};
use weft_sdk::text::decode_entities as decode;

/// Decimals of a unit price that `subtotal / quantity` does not give exactly.
const UNIT_PRICE_DECIMALS: u32 = 4;

/// The lines of an order.
pub struct Mapped {
    /// Line items, then fees.
    pub lines: Vec<OrderLine>,
    /// Σ line subtotals and fees, while every one is known.
    pub subtotal: Option<Decimal>,
}

/// Maps the line items and fee lines; fills `source.fee_lines`.
pub fn map(
    ctx: &OrderCtx,
    items: Vec<RawLine>,
    fees: Vec<RawFee>,
    source: &mut Map<String, Value>,
) -> Result<Mapped, PluginError> {
    let mut out = Mapped {
        lines: Vec::with_capacity(items.len() + fees.len()),
        subtotal: Some(Decimal::ZERO),
    };
    for (index, raw) in items.into_iter().enumerate() {
        let line_id = take_trimmed(raw.id.clone()).unwrap_or_else(|| (index + 1).to_string());
        let at = |field: &str| format!("line_items[{index}] (id {line_id}) {field}");
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
                ctx.err(format_args!("{} `{q}` is not a decimal", at("quantity")))
            })?,
        };
        let subtotal = ctx.money(raw.subtotal.as_ref(), at("subtotal"))?;
        let total = ctx.money(raw.total.as_ref(), at("total"))?;
        let price = ctx.money(raw.price.as_ref(), at("price"))?;
        let unit_price = match subtotal {
            Some(s) if !quantity.is_zero() => s
                .checked_div(quantity)
                .map(|u| u.round_dp(UNIT_PRICE_DECIMALS)),
            _ => price,
        };
        let discount = match (subtotal, total) {
            (Some(s), Some(t)) => s.checked_sub(t),
            _ => None,
        };
        let extended = match subtotal {
            Some(s) => Some(s),
            None => unit_price.and_then(|u| u.checked_mul(quantity)),
        };
        let total = total.or(extended);
        out.subtotal = match (out.subtotal, extended) {
            (Some(acc), Some(x)) => Some(acc.checked_add(x).ok_or_else(|| {
                ctx.err(format_args!(
                    "amounts in {} are too large to compute",
                    at("subtotal")
                ))
            })?),
            _ => None,
        };
        let visible: Map<String, Value> = raw
            .meta_data
            .into_iter()
            .flatten()
            .chain(raw.meta.into_iter().flatten())
            .filter_map(|m| {
                let key = take_trimmed(m.key)?;
                (!key.starts_with('_')).then(|| (key, decoded(m.value.unwrap_or(Value::Null))))
            })
            .collect();
        let mut attributes = BTreeMap::new();
        if !visible.is_empty() {
            attributes.insert("meta_data".to_string(), Value::Object(visible));
        }
        out.lines.push(OrderLine {
            sku: take_trimmed(raw.sku),
            description: take_text(raw.name),
            quantity: money::format_qty(quantity),
            unit_price: unit_price.map(money_str),
            discount: discount.map(money_str),
            tax: ctx
                .money(raw.total_tax.as_ref(), at("total_tax"))?
                .map(money_str),
            total: total.map(money_str),
            line_id,
            attributes,
            ..Default::default()
        });
    }
    let mut fee_ids = Vec::new();
    for (index, fee) in fees.into_iter().enumerate() {
        let line_id = take_trimmed(fee.id).unwrap_or_else(|| format!("fee-{}", index + 1));
        let name = take_text(fee.name).or(take_text(fee.title));
        let at = |field: &str| format!("fee_lines[{index}] (id {line_id}) {field}");
        let amount = ctx.money(fee.total.as_ref(), at("total"))?;
        out.subtotal = match (out.subtotal, amount) {
            (Some(acc), Some(x)) => acc.checked_add(x),
            _ => None,
        };
        fee_ids.push(Value::from(line_id.clone()));
        out.lines.push(OrderLine {
            sku: None,
            description: name,
            quantity: "1".to_string(),
            unit_price: amount.map(money_str),
            tax: ctx
                .money(fee.total_tax.as_ref(), at("total_tax"))?
                .map(money_str),
            total: amount.map(money_str),
            line_id,
            ..Default::default()
        });
    }
    if out.lines.is_empty() {
        out.subtotal = None;
    }
    if !fee_ids.is_empty() {
        source.insert("fee_lines".into(), Value::Array(fee_ids));
    }
    Ok(out)
}

/// Strings in a meta value with HTML references decoded.
fn decoded(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(decode(&s).into_owned()),
        Value::Array(a) => Value::Array(a.into_iter().map(decoded).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, decoded(v))).collect()),
        other => other,
    }
}

/// The shipping methods, tax rates, coupons and refunded amount, for
/// `source`.
pub fn order_lists(
    ctx: &OrderCtx,
    shipping: Vec<RawShippingLine>,
    taxes: Vec<RawTaxLine>,
    coupons: Vec<RawCoupon>,
    refunds: Vec<RawRefund>,
) -> Result<Map<String, Value>, PluginError> {
    let mut out = Map::new();
    let money = |v: &Option<Scalar>, at: String| -> Result<Option<String>, PluginError> {
        Ok(ctx.money(v.as_ref(), at)?.map(money_str))
    };
    let mut list = Vec::new();
    for (i, s) in shipping.into_iter().enumerate() {
        list.push(json!({
            "method_id": take_trimmed(s.method_id),
            "method_title": take_text(s.method_title),
            "total": money(&s.total, format!("shipping_lines[{i}].total"))?,
        }));
    }
    if !list.is_empty() {
        out.insert("shipping_lines".into(), Value::Array(list));
    }
    let mut list = Vec::new();
    for (i, t) in taxes.into_iter().enumerate() {
        let tax_total = match money(&t.tax_total, format!("tax_lines[{i}].tax_total"))? {
            Some(m) => Some(m),
            None => money(&t.total, format!("tax_lines[{i}].total"))?,
        };
        list.push(json!({
            "rate_code": take_trimmed(t.rate_code).or(take_trimmed(t.code)),
            "label": take_text(t.label).or(take_text(t.title)),
            "tax_total": tax_total,
            "shipping_tax_total": money(&t.shipping_tax_total, format!("tax_lines[{i}].shipping_tax_total"))?,
        }));
    }
    if !list.is_empty() {
        out.insert("tax_lines".into(), Value::Array(list));
    }
    let mut list = Vec::new();
    for (i, c) in coupons.into_iter().enumerate() {
        let discount = match money(&c.discount, format!("coupon_lines[{i}].discount"))? {
            Some(m) => Some(m),
            None => money(&c.amount, format!("coupon_lines[{i}].amount"))?,
        };
        list.push(json!({
            "code": take_text(c.code),
            "discount": discount,
        }));
    }
    if !list.is_empty() {
        out.insert("coupons".into(), Value::Array(list));
    }
    if !refunds.is_empty() {
        let mut sum = Decimal::ZERO;
        for (i, r) in refunds.iter().enumerate() {
            if let Some(d) = ctx.money(r.total.as_ref(), format!("refunds[{i}].total"))? {
                sum = sum.checked_add(d.abs()).ok_or_else(|| {
                    ctx.err(format_args!("amounts in refunds are too large to compute"))
                })?;
            }
        }
        out.insert("refunded".into(), Value::from(money_str(sum)));
    }
    // Nulls for absent values are dropped from the listed objects.
    for v in out.values_mut() {
        if let Value::Array(items) = v {
            for item in items {
                if let Value::Object(o) = item {
                    o.retain(|_, v| !v.is_null());
                }
            }
        }
    }
    Ok(out)
}
