//! WooCommerce order refund → canonical `weft.return/1`
//! (`return.completed`) or `weft.credit/1` (`credit.issued`), never both.
//!
//! A refund (REST v3 `GET /orders/{id}/refunds[/{refund_id}]`, legacy
//! `order_refund(s)`) is money paid back: `amount`, positive, tax and
//! shipping included. When it has `line_items` with a quantity (WooCommerce
//! writes them negative, `quantity: -1`, `total: "-9.00"`; the legacy docs
//! positive), goods came back: it is a return, its lines those items with
//! the POSITIVE quantity and amount (`total`, else `subtotal`),
//! `totals.total` the whole `amount`. A refund without such items is a
//! credit of `amount`; its zero-quantity lines with money are the credit's
//! lines. A refund of nothing (no goods, `amount` 0) is no fact: a payload
//! holding only it is refused, a list skips it.
//!
//! A refund line names its order line in the hidden meta
//! `_refunded_item_id` (v3) or `refunded_item_id` (legacy, 0 = unknown);
//! without it the refund line's own `id` is the return line's `line_id`
//! and it is listed in `source.unlinked_lines`.
//!
//! A v3 refund does not carry its order's id: see
//! [`crate::common::parent_order`]. Message id
//! `{channel}:refund:{id}:{digest}` (the digest of the canonical
//! document: refunds have no modification time, so a re-polled unchanged
//! refund is a duplicate and a changed one is not).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use weft_sdk::credit::{Credit, CreditLine, CREDIT_SCHEMA, ISSUED};
use weft_sdk::document::ItemIds;
use weft_sdk::money::{self, money_str, Decimal};
use weft_sdk::returns::{Return, ReturnLine, ReturnTotals, COMPLETED, RETURN_SCHEMA};
use weft_sdk::scalar::{take_text, take_trimmed, text, Field, Scalar};
use weft_sdk::{Message, PluginError};

use crate::common::{digest, id_of, parent_order, OrderHint, Outcome, Subject};
use crate::raw::RawMeta;

/// The parts of a WooCommerce refund the mapping reads.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce refund object")]
pub struct RawRefund {
    pub id: Field,
    pub order_id: Field,
    pub parent_id: Field,
    pub date_created: Field,
    pub date_created_gmt: Field,
    /// Legacy creation time (UTC, `…Z`).
    pub created_at: Field,
    pub amount: Field,
    pub reason: Field,
    pub refunded_by: Field,
    pub refunded_payment: Field,
    pub line_items: Option<Vec<RawRefundLine>>,
    pub shipping_lines: Option<Vec<RawRefundShipping>>,
    #[serde(rename = "_links")]
    pub links: Option<Value>,
}

/// A refunded line item.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce refund line item object")]
pub struct RawRefundLine {
    pub id: Field,
    pub sku: Field,
    pub quantity: Field,
    pub subtotal: Field,
    pub total: Field,
    pub total_tax: Field,
    pub refunded_item_id: Field,
    pub meta_data: Option<Vec<RawMeta>>,
    pub meta: Option<Vec<RawMeta>>,
}

/// A refunded shipping line (newer v3 refunds list them).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce refund shipping line object")]
pub struct RawRefundShipping {
    pub total: Field,
}

/// A refund line read: the order line, quantity and amounts, all positive.
struct Line {
    line_id: String,
    linked: bool,
    sku: Option<String>,
    quantity: Decimal,
    amount: Option<Decimal>,
    tax: Option<Decimal>,
}

/// Maps one refund (the caller puts its place in front of errors).
pub fn map(raw: RawRefund, hint: &OrderHint, channel: &str) -> Result<Outcome, PluginError> {
    let id = id_of(&raw.id, "refund")?;
    let subject = Subject {
        what: "refund",
        id: &id,
    };
    let order_id = parent_order(
        &subject,
        &raw.order_id,
        &raw.parent_id,
        raw.links.as_ref(),
        hint,
    )?;
    let at = subject.created(raw.date_created_gmt, raw.date_created, raw.created_at)?;
    let amount = subject
        .decimal(raw.amount.as_ref(), "amount")?
        .ok_or_else(|| PluginError::invalid(format!("refund {id} has no `amount`")))?
        .abs();
    let mut lines = Vec::new();
    for (index, line) in raw.line_items.into_iter().flatten().enumerate() {
        lines.push(line_of(&subject, index, line)?);
    }
    let mut shipping = None;
    for (i, s) in raw.shipping_lines.into_iter().flatten().enumerate() {
        let at = format!("shipping_lines[{i}].total");
        if let Some(t) = subject.decimal(s.total.as_ref(), &at)? {
            shipping = Some(subject.add(shipping.unwrap_or_default(), t.abs(), &at)?);
        }
    }
    let reason = take_text(raw.reason);
    let mut source = BTreeMap::new();
    source.insert("document".to_string(), Value::from("woocommerce.refund"));
    if let Some(b) = raw.refunded_payment.as_ref().and_then(Scalar::as_bool) {
        source.insert("refunded_payment".to_string(), Value::from(b));
    }
    if let Some(by) = take_trimmed(raw.refunded_by) {
        source.insert("refunded_by".to_string(), Value::from(by));
    }
    let correlation_id = format!("{channel}:{order_id}");

    let (returned, money_only): (Vec<Line>, Vec<Line>) =
        lines.into_iter().partition(|l| !l.quantity.is_zero());
    let with_money = money_only
        .into_iter()
        .filter(|l| l.amount.is_some_and(|a| !a.is_zero()));
    if !returned.is_empty() {
        let unlinked: Vec<Value> = returned
            .iter()
            .filter(|l| !l.linked)
            .map(|l| Value::from(l.line_id.clone()))
            .collect();
        if !unlinked.is_empty() {
            source.insert("unlinked_lines".to_string(), Value::Array(unlinked));
        }
        let credited: Vec<Value> = with_money
            .map(|l| serde_json::json!({"line_id": l.line_id, "amount": l.amount.map(money_str)}))
            .collect();
        if !credited.is_empty() {
            source.insert("lines_without_quantity".to_string(), Value::Array(credited));
        }
        let subtotal = sum_all(&subject, returned.iter().map(|l| l.amount))?;
        let tax = sum_all(&subject, returned.iter().map(|l| l.tax))?;
        let doc = Return {
            schema: RETURN_SCHEMA.to_string(),
            return_id: id.clone(),
            refund_id: Some(id.clone()),
            order_id,
            channel: channel.to_string(),
            correlation_id: correlation_id.clone(),
            returned_at: Some(at),
            reason,
            lines: returned
                .into_iter()
                .map(|l| ReturnLine {
                    line_id: l.line_id,
                    item: ItemIds {
                        sku: l.sku,
                        ..Default::default()
                    },
                    quantity: money::format_qty(l.quantity),
                    amount: l.amount.map(money_str),
                    ..Default::default()
                })
                .collect(),
            totals: ReturnTotals {
                subtotal: subtotal.map(money_str),
                tax: tax.map(money_str),
                shipping: shipping.map(money_str),
                total: Some(money_str(amount)),
            },
            source,
            ..Return::default()
        };
        return emit(&id, channel, correlation_id, COMPLETED, &doc);
    }

    if amount.is_zero() {
        return Ok(Outcome::NotAFact(format!(
            "refund {id} returns no goods (no line_items with a quantity) and refunds no money (`amount` 0)"
        )));
    }
    let doc = Credit {
        schema: CREDIT_SCHEMA.to_string(),
        credit_id: id.clone(),
        channel: channel.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id.clone()],
        order_id: Some(order_id),
        issued_at: at,
        currency: None,
        amount: money_str(amount),
        reason,
        lines: with_money
            .map(|l| CreditLine {
                line_id: l.line_id,
                item: ItemIds {
                    sku: l.sku,
                    ..Default::default()
                },
                quantity: None,
                amount: l.amount.map(money_str),
            })
            .collect(),
        source,
    };
    emit(&id, channel, correlation_id, ISSUED, &doc)
}

/// The message of a mapped refund, its id stamped with the document's
/// digest.
fn emit<T: serde::Serialize>(
    id: &str,
    channel: &str,
    correlation_id: String,
    kind: &str,
    doc: &T,
) -> Result<Outcome, PluginError> {
    let probe = Message::json(String::new(), correlation_id.as_str(), kind, doc)?;
    let message_id = format!("{channel}:refund:{id}:{}", digest(&probe.payload));
    Ok(Outcome::Emit(Message {
        id: message_id,
        ..probe
    }))
}

/// Refund line item `index`.
fn line_of(subject: &Subject, index: usize, raw: RawRefundLine) -> Result<Line, PluginError> {
    let own_id = take_trimmed(raw.id);
    let refunded = take_trimmed(raw.refunded_item_id)
        .filter(|r| r != "0")
        .or_else(|| {
            raw.meta_data
                .iter()
                .flatten()
                .chain(raw.meta.iter().flatten())
                .find(|m| text(&m.key).is_some_and(|k| k.trim() == "_refunded_item_id"))
                .and_then(|m| match &m.value {
                    Some(Value::String(s)) => Some(s.trim().to_string()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|r| !r.is_empty() && r != "0")
        });
    let linked = refunded.is_some();
    let line_id = refunded.or(own_id).ok_or_else(|| {
        subject.err(format_args!(
            "line_items[{index}] has no `id` and no `_refunded_item_id`"
        ))
    })?;
    let at = |field: &str| format!("line_items[{index}] (line {line_id}) {field}");
    let quantity = subject
        .decimal(raw.quantity.as_ref(), at("quantity"))?
        .ok_or_else(|| subject.err(format_args!("{} is missing", at("quantity"))))?
        .abs();
    let amount = match subject.decimal(raw.total.as_ref(), at("total"))? {
        Some(t) => Some(t),
        None => subject.decimal(raw.subtotal.as_ref(), at("subtotal"))?,
    };
    Ok(Line {
        tax: subject
            .decimal(raw.total_tax.as_ref(), at("total_tax"))?
            .map(|t| t.abs()),
        amount: amount.map(|a| a.abs()),
        sku: take_trimmed(raw.sku),
        line_id,
        linked,
        quantity,
    })
}

/// Σ of values when every one is present; `None` when one is missing or
/// there are none.
fn sum_all(
    subject: &Subject,
    values: impl Iterator<Item = Option<Decimal>>,
) -> Result<Option<Decimal>, PluginError> {
    let mut sum = None;
    for v in values {
        let Some(v) = v else { return Ok(None) };
        sum = Some(subject.add(sum.unwrap_or_default(), v, "line_items")?);
    }
    Ok(sum)
}
