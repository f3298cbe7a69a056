//! Shopify refund → canonical `weft.return/1` (`return.completed`) or
//! `weft.credit/1` (`credit.issued`), never both.
//!
//! A refund with `refund_line_items` of a quantity above zero brings goods
//! back: it is a return, its lines those items (`amount` their
//! `subtotal`), `totals.total` the money refunded (Σ its successful
//! `refund` transactions). A refund without such items is a credit: money
//! only, Σ its successful refund transactions, or, when it has no
//! transactions, the money its `order_adjustments` give back (Shopify
//! writes them negative). A credit that moves no money (every transaction
//! failed, or nothing to give back) is no fact: a document holding only it
//! is refused. The refund's transactions are never sent on their own.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use weft_sdk::credit::{Credit, CreditLine, CREDIT_SCHEMA, ISSUED};
use weft_sdk::document::ItemIds;
use weft_sdk::money::{self, money_str, Decimal};
use weft_sdk::returns::{Return, ReturnLine, ReturnTotals, COMPLETED, RETURN_SCHEMA};
use weft_sdk::scalar::{take_trimmed, text, Field, Scalar};
use weft_sdk::{Message, PluginError};

use crate::common::{correlation, id_of, Outcome, Subject, CHANNEL};
use crate::transaction::RawTransaction;

/// The parts of a Shopify refund the mapping reads.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify refund object")]
pub struct RawRefund {
    pub id: Field,
    pub order_id: Field,
    pub created_at: Field,
    pub processed_at: Field,
    pub note: Field,
    pub restock: Field,
    pub refund_line_items: Option<Vec<RawRefundLine>>,
    pub transactions: Option<Vec<RawTransaction>>,
    pub order_adjustments: Option<Vec<RawAdjustment>>,
}

/// A refunded line item.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify refund line item object")]
pub struct RawRefundLine {
    pub line_item_id: Field,
    pub quantity: Field,
    pub subtotal: Field,
    pub total_tax: Field,
    pub restock_type: Field,
    pub line_item: Option<RawRefundedItem>,
}

/// The order line item a refund line item refunds.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify line item object")]
pub struct RawRefundedItem {
    pub id: Field,
    pub sku: Field,
}

/// An order adjustment (shipping refund, refund discrepancy).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify order adjustment object")]
pub struct RawAdjustment {
    pub amount: Field,
    pub tax_amount: Field,
    pub kind: Field,
}

/// A refund line item read: the order line, its quantity and amounts.
struct Line {
    line_id: String,
    sku: Option<String>,
    quantity: Decimal,
    subtotal: Option<Decimal>,
    tax: Option<Decimal>,
    restock: Option<bool>,
}

/// The money a refund's transactions paid back.
struct Refunded {
    /// Σ successful `refund` transactions; `None` without any transaction.
    total: Option<Decimal>,
    currency: Option<String>,
    /// Ids of the transactions summed.
    ids: Vec<Value>,
}

/// Maps the refund at `place` (for errors without an id).
pub fn map(raw: RawRefund, place: &str) -> Result<Outcome, PluginError> {
    let id = id_of(&raw.id, place)?;
    let subject = Subject {
        what: "refund",
        id: &id,
    };
    let order_id = subject.order_id(&raw.order_id)?;
    let restock_all = raw.restock.as_ref().and_then(Scalar::as_bool);
    let mut lines = Vec::new();
    for (index, line) in raw.refund_line_items.into_iter().flatten().enumerate() {
        lines.push(line_of(&subject, index, line, restock_all)?);
    }
    let refunded = refunded(&subject, raw.transactions.unwrap_or_default())?;
    let at = subject.business_time(
        (raw.processed_at, "processed_at"),
        (raw.created_at, "created_at"),
    )?;
    let reason = take_trimmed(raw.note);
    let mut source = BTreeMap::new();
    source.insert("document".to_string(), Value::from("shopify.refund"));
    if let Some(r) = restock_all {
        source.insert("restock".to_string(), Value::from(r));
    }
    if !refunded.ids.is_empty() {
        source.insert(
            "refund_transactions".to_string(),
            Value::Array(refunded.ids.clone()),
        );
    }
    let correlation_id = correlation(&order_id);
    let message_id = format!("{CHANNEL}:refund:{id}");

    if lines.iter().any(|l| l.quantity > Decimal::ZERO) {
        let returned: Vec<Line> = lines
            .into_iter()
            .filter(|l| l.quantity > Decimal::ZERO)
            .collect();
        let subtotal = sum_all(&subject, returned.iter().map(|l| l.subtotal))?;
        let tax = sum_all(&subject, returned.iter().map(|l| l.tax))?;
        let shipping = shipping_refunded(&subject, raw.order_adjustments.as_deref())?;
        let doc = Return {
            schema: RETURN_SCHEMA.to_string(),
            return_id: id.clone(),
            refund_id: Some(id.clone()),
            order_id,
            channel: CHANNEL.to_string(),
            correlation_id: correlation_id.clone(),
            returned_at: Some(at),
            currency: refunded.currency,
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
                    amount: l.subtotal.map(money_str),
                    restock: l.restock,
                    reason: None,
                })
                .collect(),
            totals: ReturnTotals {
                subtotal: subtotal.map(money_str),
                tax: tax.map(money_str),
                shipping: shipping.map(money_str),
                total: refunded.total.map(money_str),
            },
            references: BTreeMap::new(),
            source,
            ..Return::default()
        };
        return Message::json(message_id, correlation_id, COMPLETED, &doc).map(Outcome::Emit);
    }

    let amount = match refunded.total {
        Some(total) => total,
        None => adjustments_refunded(&subject, raw.order_adjustments.as_deref())?,
    };
    if amount <= Decimal::ZERO {
        return Ok(Outcome::NotAFact(format!(
            "refund {id} returns no goods (no refund_line_items with a quantity) and pays no money back (no successful refund transaction or order adjustment)"
        )));
    }
    let doc = Credit {
        schema: CREDIT_SCHEMA.to_string(),
        credit_id: id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id.clone()],
        order_id: Some(order_id),
        issued_at: at,
        currency: refunded.currency,
        amount: money_str(amount),
        reason,
        lines: lines
            .into_iter()
            .filter(|l| l.subtotal.is_some_and(|s| !s.is_zero()))
            .map(|l| CreditLine {
                line_id: l.line_id,
                item: ItemIds {
                    sku: l.sku,
                    ..Default::default()
                },
                quantity: None,
                amount: l.subtotal.map(money_str),
            })
            .collect(),
        source,
    };
    Message::json(message_id, correlation_id, ISSUED, &doc).map(Outcome::Emit)
}

/// Refund line item `index`.
fn line_of(
    subject: &Subject,
    index: usize,
    raw: RawRefundLine,
    restock_all: Option<bool>,
) -> Result<Line, PluginError> {
    let item = raw.line_item.unwrap_or_default();
    let line_id = take_trimmed(raw.line_item_id)
        .or_else(|| take_trimmed(item.id))
        .ok_or_else(|| {
            subject.err(format_args!(
                "refund_line_items[{index}] has no `line_item_id`"
            ))
        })?;
    let at = |field: &str| format!("refund_line_items[{index}] (line {line_id}) {field}");
    let quantity = subject
        .decimal(raw.quantity.as_ref(), at("quantity"))?
        .ok_or_else(|| subject.err(format_args!("{} is missing", at("quantity"))))?;
    let restock = match text(&raw.restock_type).map(|t| t.trim().to_ascii_lowercase()) {
        Some(t) if t == "no_restock" => Some(false),
        Some(_) => Some(true),
        None => restock_all,
    };
    Ok(Line {
        subtotal: subject.decimal(raw.subtotal.as_ref(), at("subtotal"))?,
        tax: subject.decimal(raw.total_tax.as_ref(), at("total_tax"))?,
        sku: take_trimmed(item.sku),
        line_id,
        quantity,
        restock,
    })
}

/// The money the refund's transactions paid back.
fn refunded(subject: &Subject, all: Vec<RawTransaction>) -> Result<Refunded, PluginError> {
    let mut r = Refunded {
        total: (!all.is_empty()).then_some(Decimal::ZERO),
        currency: None,
        ids: Vec::new(),
    };
    for (index, t) in all.into_iter().enumerate() {
        if !t.succeeded_as("refund") {
            continue;
        }
        let at = format!("transactions[{index}] amount");
        let amount = subject
            .decimal(t.amount.as_ref(), &at)?
            .ok_or_else(|| subject.err(format_args!("{at} is missing")))?;
        if let Some(c) = take_trimmed(t.currency) {
            match &r.currency {
                Some(first) if *first != c => {
                    return Err(subject.err(format_args!(
                        "transactions[{index}] is in {c}, an earlier refund transaction in {first}"
                    )))
                }
                _ => r.currency = Some(c),
            }
        }
        r.total = Some(subject.add(r.total.unwrap_or_default(), amount, "transactions")?);
        if let Some(id) = take_trimmed(t.id) {
            r.ids.push(Value::from(id));
        }
    }
    Ok(r)
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
        sum = Some(subject.add(sum.unwrap_or_default(), v, "refund_line_items")?);
    }
    Ok(sum)
}

/// Money an adjustment gives back: −(`amount` + `tax_amount`).
fn given_back(subject: &Subject, index: usize, a: &RawAdjustment) -> Result<Decimal, PluginError> {
    let at = |f: &str| format!("order_adjustments[{index}] {f}");
    let amount = subject.decimal(a.amount.as_ref(), at("amount"))?;
    let tax = subject.decimal(a.tax_amount.as_ref(), at("tax_amount"))?;
    let sum = subject.add(
        amount.unwrap_or_default(),
        tax.unwrap_or_default(),
        "order_adjustments",
    )?;
    Ok(-sum)
}

/// Money the order adjustments give back (0 for none).
fn adjustments_refunded(
    subject: &Subject,
    adjustments: Option<&[RawAdjustment]>,
) -> Result<Decimal, PluginError> {
    let mut sum = Decimal::ZERO;
    for (i, a) in adjustments.unwrap_or_default().iter().enumerate() {
        sum = subject.add(sum, given_back(subject, i, a)?, "order_adjustments")?;
    }
    Ok(sum)
}

/// Shipping refunded: the `shipping_refund` adjustments' amounts (without
/// their tax), made positive; `None` without any.
fn shipping_refunded(
    subject: &Subject,
    adjustments: Option<&[RawAdjustment]>,
) -> Result<Option<Decimal>, PluginError> {
    let mut sum = None;
    for (i, a) in adjustments.unwrap_or_default().iter().enumerate() {
        let shipping = text(&a.kind).is_some_and(|k| k.trim() == "shipping_refund");
        if !shipping {
            continue;
        }
        let at = format!("order_adjustments[{i}] amount");
        let amount = subject.decimal(a.amount.as_ref(), &at)?.unwrap_or_default();
        sum = Some(subject.add(sum.unwrap_or_default(), -amount, "order_adjustments")?);
    }
    Ok(sum)
}
