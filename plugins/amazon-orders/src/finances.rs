//! Finances 2024-06-19 `listTransactions` → `payment.received`
//! (`weft.payment/1`), one per settled `Shipment` transaction.
//!
//! A `Shipment` transaction is Amazon crediting the seller for an order's
//! shipped goods: the money the buyer paid, as the seller receives it
//! (`totalAmount`, which is net of any Amazon fees its `breakdowns`
//! list). It is a payment when it is settled: `transactionStatus`
//! `RELEASED` or `DEFERRED_RELEASED`, or absent (a posted transaction
//! without a status, as in Amazon's sandbox data). `DEFERRED` (money held
//! back) and a total that is not above zero are not money received.
//! Other transaction types (`Refund`, `ServiceFee`, `Adjustment`,
//! `Retrocharge`, …) are not payments of an order: they are skipped
//! (a page with no payment at all is refused, naming each).
//!
//! Fields: `payment_id` `transactionId`, else
//! `{ORDER_ID}:{transactionType}:{postedDate}` (the sandbox has no
//! `transactionId`); `order_id` the `ORDER_ID` related identifier
//! (required); `paid_at` `postedDate` (required, as given);
//! `amount`/`currency` `totalAmount.currencyAmount`/`currencyCode`
//! (decimal, never through a float: the integer `10` is `"10.00"`);
//! `reference` the `FINANCIAL_EVENT_GROUP_ID` (the settlement group).

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::money::{self, money_str, Decimal};
use weft_sdk::payment::{Payment, COMPLETED, PAYMENT_SCHEMA, RECEIVED};
use weft_sdk::{Message, PluginError};

use crate::json::text;
use crate::lifecycle::{correlation, emit, gather, list, obj, required, Outcome};
use crate::CHANNEL;

/// Maps a `listTransactions` response's `payload.transactions`.
pub fn map(transactions: &[Value]) -> Result<Vec<Message>, PluginError> {
    let mut outcomes = Vec::with_capacity(transactions.len());
    for (i, t) in transactions.iter().enumerate() {
        let at = format!("transactions[{i}]");
        let t = t
            .as_object()
            .ok_or_else(|| PluginError::invalid(format!("{at} must be an object")))?;
        outcomes.push(transaction(t, &at)?);
    }
    gather(outcomes, "the listTransactions response")
}

/// The related identifier `name` of transaction `t`.
fn related(t: &Map<String, Value>, name: &str) -> Option<String> {
    list(t.get("relatedIdentifiers"))
        .iter()
        .find(|r| {
            text(r.get("relatedIdentifierName")).is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|r| text(r.get("relatedIdentifierValue")))
}

/// One transaction.
fn transaction(t: &Map<String, Value>, at: &str) -> Result<Outcome, PluginError> {
    let kind = text(t.get("transactionType")).unwrap_or_default();
    let id = text(t.get("transactionId"));
    let named = match &id {
        Some(id) => format!("{at} (transactionId {id})"),
        None => at.to_string(),
    };
    if !kind.eq_ignore_ascii_case("Shipment") {
        let shown = if kind.is_empty() {
            "no transactionType".to_string()
        } else {
            format!("a {} transaction", crate::json::clip(&kind))
        };
        return Ok(Outcome::Skip(format!(
            "{named} is {shown}, not an order's payment"
        )));
    }
    let state = text(t.get("transactionStatus"));
    if state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("DEFERRED"))
    {
        return Ok(Outcome::Skip(format!(
            "{named} is DEFERRED: not released to the seller yet"
        )));
    }
    let order_id = related(t, "ORDER_ID").ok_or_else(|| {
        PluginError::invalid(format!("{named}.relatedIdentifiers has no ORDER_ID"))
    })?;
    let paid_at = required(t, "postedDate", &format!("{named}.postedDate"))?;
    if !crate::json::is_rfc3339(&paid_at) {
        return Err(PluginError::invalid(format!(
            "{named}.postedDate `{}` is not an RFC 3339 timestamp",
            crate::json::clip(&paid_at)
        )));
    }
    let total = obj(t.get("totalAmount"))
        .ok_or_else(|| PluginError::invalid(format!("{named}.totalAmount is missing")))?;
    let raw = total
        .get("currencyAmount")
        .filter(|v| !v.is_null())
        .ok_or_else(|| {
            PluginError::invalid(format!("{named}.totalAmount.currencyAmount is missing"))
        })?;
    let amount: Decimal = money::from_json(raw).ok_or_else(|| {
        PluginError::invalid(format!(
            "{named}.totalAmount.currencyAmount `{}` is not a decimal",
            crate::json::shown(raw)
        ))
    })?;
    if amount <= Decimal::ZERO {
        return Ok(Outcome::Skip(format!(
            "{named} totals {amount}: no money received"
        )));
    }
    let payment_id = id.unwrap_or_else(|| format!("{order_id}:{kind}:{paid_at}"));
    let mut source = BTreeMap::new();
    source.insert(
        "document".into(),
        Value::from("amazon.finances_transaction"),
    );
    source.insert("api".into(), Value::from("finances/2024-06-19"));
    source.insert("transaction_type".into(), Value::from(kind));
    if let Some(s) = state {
        source.insert("transaction_status".into(), Value::from(s));
    }
    if let Some(d) = text(t.get("description")) {
        source.insert("description".into(), Value::from(d));
    }
    let meta = obj(t.get("sellingPartnerMetadata"));
    for (key, field) in [
        ("selling_partner_id", "sellingPartnerId"),
        ("account_type", "accountType"),
        ("marketplace_id", "marketplaceId"),
    ] {
        if let Some(v) = meta.and_then(|m| text(m.get(field))) {
            source.insert(key.into(), Value::from(v));
        }
    }
    for (key, name) in [
        ("shipment_id", "SHIPMENT_ID"),
        ("settlement_id", "SETTLEMENT_ID"),
    ] {
        if let Some(v) = related(t, name) {
            source.insert(key.into(), Value::from(v));
        }
    }
    let correlation_id = correlation(&order_id);
    let payment = Payment {
        schema: PAYMENT_SCHEMA.to_string(),
        payment_id: payment_id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id.clone()],
        order_id: Some(order_id),
        paid_at,
        amount: money_str(amount),
        currency: text(total.get("currencyCode")).map(|c| c.to_ascii_uppercase()),
        method: None,
        gateway: None,
        reference: related(t, "FINANCIAL_EVENT_GROUP_ID"),
        status: COMPLETED.to_string(),
        source,
    };
    emit(
        format!("{CHANNEL}:transaction:{payment_id}"),
        &correlation_id,
        RECEIVED,
        &payment,
    )
}
