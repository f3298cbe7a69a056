//! The canonical payment, `weft.payment/1`
//! (`schemas/payment.v1.schema.json`), message kind `payment.received`.
//!
//! One document is money received for an order: a captured card payment,
//! a sale, a bank transfer or a remittance line. Authorisations (money
//! reserved, not taken), voided and failed transactions are not payments
//! and are never sent as one; money paid back is a `weft.credit/1` or a
//! `weft.return/1`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Schema id carried in [`Payment::schema`].
pub const PAYMENT_SCHEMA: &str = "weft.payment/1";
/// The message kind of a payment.
pub const RECEIVED: &str = "payment.received";
/// The one [`Payment::status`] there is: the money was received.
pub const COMPLETED: &str = "completed";

/// Money received for an order.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Payment {
    /// Always `weft.payment/1`.
    pub schema: String,
    /// The channel's (or gateway's) id of the payment transaction.
    pub payment_id: String,
    /// Channel code, as on the orders.
    pub channel: String,
    /// The correlation id of the order paid (`{channel}:{order_id}`).
    pub correlation_id: String,
    /// The channel's id of the order paid, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Ids of the orders paid (order ids, PO or invoice numbers for EDI).
    #[serde(default)]
    pub order_refs: Vec<String>,
    /// When the money was received (business time; RFC 3339 or a date).
    pub paid_at: String,
    /// Amount received (decimal string, positive).
    pub amount: String,
    /// ISO 4217 code of `amount`, when the source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// How it was paid: `card`, `bank_transfer`, `cash`, `gift_card`,
    /// `manual`, … (the source's own word when it has no common one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The payment gateway or processor (`shopify_payments`, `paypal`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// The gateway's authorisation / transaction reference, or the
    /// remittance reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Always [`COMPLETED`].
    #[serde(default = "completed")]
    pub status: String,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

fn completed() -> String {
    COMPLETED.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_status_reads_as_completed_and_options_are_omitted() {
        let p: Payment = serde_json::from_value(serde_json::json!({
            "schema": PAYMENT_SCHEMA, "payment_id": "1", "channel": "shopify",
            "correlation_id": "shopify:7", "paid_at": "2024-01-02", "amount": "5.00"
        }))
        .unwrap();
        assert_eq!(p.status, COMPLETED);
        let v = serde_json::to_value(&p).unwrap();
        assert!(v.get("currency").is_none() && v.get("source").is_none());
        assert_eq!(v["order_refs"], serde_json::json!([]));
    }
}
