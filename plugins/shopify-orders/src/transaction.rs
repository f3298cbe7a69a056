//! Shopify order transactions and tender transactions → canonical
//! `weft.payment/1` (`payment.received`).
//!
//! Money received is a successful `capture` or `sale` transaction. An
//! `authorization` only reserves money; `void`, `refund`, `change` and
//! failed, pending or errored transactions move none to the shop; a sale or
//! capture voided by a successful `void` in the same document was taken
//! back. None of these gives a message, and a document holding only such
//! transactions gives none (it is not an error). Refund transactions are
//! part of their refund (`weft.return/1` or `weft.credit/1`).
//!
//! Tender transactions (`/tender_transactions.json`) are money received
//! too, one per order payment: a positive amount is a payment with the
//! tender transaction's own id; a negative one (money paid back) gives
//! nothing. They describe the same money as the order's capture and sale
//! transactions: a shop feeds one of the two, not both.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use serde_json::Value;
use weft_sdk::money::{money_str, Decimal};
use weft_sdk::payment::{Payment, COMPLETED, PAYMENT_SCHEMA, RECEIVED};
use weft_sdk::scalar::{take_trimmed, text, Field, Scalar};
use weft_sdk::{Message, PluginError};

use crate::common::{correlation, id_of, Outcome, Subject, CHANNEL};

/// The parts of a Shopify order transaction the mappings read.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify transaction object")]
pub struct RawTransaction {
    pub id: Field,
    pub order_id: Field,
    pub kind: Field,
    pub status: Field,
    pub amount: Field,
    pub currency: Field,
    pub gateway: Field,
    pub authorization: Field,
    pub processed_at: Field,
    pub created_at: Field,
    pub parent_id: Field,
    pub payment_id: Field,
    pub test: Field,
    pub receipt: Option<Value>,
    pub payment_details: Option<RawPaymentDetails>,
}

impl RawTransaction {
    /// Whether its `kind` is `kind` and its `status` is `success`.
    pub fn succeeded_as(&self, kind: &str) -> bool {
        word(&self.kind).as_deref() == Some(kind)
            && word(&self.status).as_deref() == Some("success")
    }
}

/// The card of a transaction.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify payment details object")]
pub struct RawPaymentDetails {
    pub credit_card_company: Field,
    pub credit_card_number: Field,
    pub credit_card_bin: Field,
}

/// The parts of a Shopify tender transaction the mapping reads.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify tender transaction object")]
pub struct RawTender {
    pub id: Field,
    pub order_id: Field,
    pub amount: Field,
    pub currency: Field,
    pub processed_at: Field,
    pub remote_reference: Field,
    pub payment_method: Field,
    pub payment_details: Option<RawPaymentDetails>,
    pub test: Field,
}

/// A field as a lower-case word, `None` when blank.
fn word(f: &Field) -> Option<String> {
    text(f).map(|s| s.trim().to_ascii_lowercase())
}

/// The ids of the transactions voided by a successful `void` in `all`.
pub fn voided(all: &[RawTransaction]) -> HashSet<String> {
    all.iter()
        .filter(|t| t.succeeded_as("void"))
        .filter_map(|t| text(&t.parent_id).map(|p| p.trim().to_string()))
        .collect()
}

/// Maps the order transaction at `place`; `voided` holds the ids voided
/// in the same document.
pub fn map(
    raw: RawTransaction,
    place: &str,
    voided: &HashSet<String>,
) -> Result<Outcome, PluginError> {
    let id = id_of(&raw.id, place)?;
    let subject = Subject {
        what: "transaction",
        id: &id,
    };
    let kind = word(&raw.kind).unwrap_or_default();
    let state = word(&raw.status).unwrap_or_default();
    if !matches!(kind.as_str(), "capture" | "sale") || state != "success" {
        return Ok(Outcome::NotAFact(format!(
            "transaction {id} is a {} {kind} transaction, not money received",
            if state.is_empty() {
                "status-less"
            } else {
                &state
            }
        )));
    }
    if voided.contains(&id) {
        return Ok(Outcome::NotAFact(format!("transaction {id} was voided")));
    }
    let order_id = subject.order_id(&raw.order_id)?;
    let amount = amount(&subject, raw.amount.as_ref())?;
    let paid_at = subject.business_time(
        (raw.processed_at, "processed_at"),
        (raw.created_at, "created_at"),
    )?;
    let gateway = take_trimmed(raw.gateway);
    let card = raw.payment_details.as_ref().is_some_and(|d| {
        [
            &d.credit_card_company,
            &d.credit_card_number,
            &d.credit_card_bin,
        ]
        .into_iter()
        .any(|f| text(f).is_some())
    });
    let method = match gateway.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some(g @ ("manual" | "cash" | "gift_card")) => Some(g.to_string()),
        _ if card => Some("card".to_string()),
        _ => None,
    };
    let reference = take_trimmed(raw.authorization).or_else(|| receipt_reference(&raw.receipt));

    let mut source = BTreeMap::new();
    source.insert("document".to_string(), Value::from("shopify.transaction"));
    source.insert("kind".to_string(), Value::from(kind));
    if let Some(p) = take_trimmed(raw.parent_id) {
        source.insert("parent_id".to_string(), Value::from(p));
    }
    if let Some(p) = take_trimmed(raw.payment_id) {
        source.insert("shopify_payment_id".to_string(), Value::from(p));
    }
    insert_card_and_test(&mut source, raw.payment_details, raw.test);

    let payment = Payment {
        schema: PAYMENT_SCHEMA.to_string(),
        payment_id: id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation(&order_id),
        order_refs: vec![order_id.clone()],
        order_id: Some(order_id),
        paid_at,
        amount: money_str(amount),
        currency: take_trimmed(raw.currency),
        method,
        gateway,
        reference,
        status: COMPLETED.to_string(),
        source,
    };
    let message_id = format!("{CHANNEL}:transaction:{id}");
    Message::json(
        message_id,
        payment.correlation_id.as_str(),
        RECEIVED,
        &payment,
    )
    .map(Outcome::Emit)
}

/// Maps the tender transaction at `place`.
pub fn map_tender(raw: RawTender, place: &str) -> Result<Outcome, PluginError> {
    let id = id_of(&raw.id, place)?;
    let subject = Subject {
        what: "tender transaction",
        id: &id,
    };
    let amount = amount(&subject, raw.amount.as_ref())?;
    if amount <= Decimal::ZERO {
        return Ok(Outcome::NotAFact(format!(
            "tender transaction {id} pays {amount} (money back), not money received"
        )));
    }
    let order_id = subject.order_id(&raw.order_id)?;
    let paid_at = subject
        .timestamp(raw.processed_at, "processed_at")?
        .ok_or_else(|| subject.lacks("`processed_at`"))?;
    let raw_method = take_trimmed(raw.payment_method);
    let method = raw_method
        .as_deref()
        .map(|m| match m.to_ascii_lowercase().as_str() {
            "credit_card" | "debit_card" | "card" => "card".to_string(),
            other => other.to_string(),
        });
    let mut source = BTreeMap::new();
    source.insert(
        "document".to_string(),
        Value::from("shopify.tender_transaction"),
    );
    if let Some(m) = raw_method {
        source.insert("payment_method".to_string(), Value::from(m));
    }
    insert_card_and_test(&mut source, raw.payment_details, raw.test);
    let payment = Payment {
        schema: PAYMENT_SCHEMA.to_string(),
        payment_id: id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation(&order_id),
        order_refs: vec![order_id.clone()],
        order_id: Some(order_id),
        paid_at,
        amount: money_str(amount),
        currency: take_trimmed(raw.currency),
        method,
        gateway: None,
        reference: take_trimmed(raw.remote_reference),
        status: COMPLETED.to_string(),
        source,
    };
    let message_id = format!("{CHANNEL}:tender_transaction:{id}");
    Message::json(
        message_id,
        payment.correlation_id.as_str(),
        RECEIVED,
        &payment,
    )
    .map(Outcome::Emit)
}

/// The required `amount`.
fn amount(subject: &Subject, value: Option<&Scalar>) -> Result<Decimal, PluginError> {
    subject
        .decimal(value, "amount")?
        .ok_or_else(|| subject.lacks("`amount`"))
}

/// A gateway reference from the receipt (`authorization`,
/// `transaction_id`, `transactionid`), when it holds one as a scalar.
fn receipt_reference(receipt: &Option<Value>) -> Option<String> {
    let receipt = receipt.as_ref()?.as_object()?;
    ["authorization", "transaction_id", "transactionid"]
        .iter()
        .find_map(|key| match receipt.get(*key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

/// `source.card_company` and `source.test`, when given.
fn insert_card_and_test(
    source: &mut BTreeMap<String, Value>,
    details: Option<RawPaymentDetails>,
    test: Field,
) {
    if let Some(company) = details.and_then(|d| take_trimmed(d.credit_card_company)) {
        source.insert("card_company".to_string(), Value::from(company));
    }
    if let Some(t) = test {
        let v = t
            .as_bool()
            .map_or_else(|| Value::from(t.as_str()), Value::from);
        source.insert("test".to_string(), v);
    }
}
