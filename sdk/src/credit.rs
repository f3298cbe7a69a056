//! The canonical credit, `weft.credit/1`
//! (`schemas/credit.v1.schema.json`), message kind `credit.issued`.
//!
//! Money refunded or credited to a customer WITHOUT goods coming back: a
//! goodwill refund, a shipping refund, a price adjustment. Money refunded
//! for returned goods travels with the goods as `weft.return/1`: one refund
//! is either a return or a credit, never both, so the same money is never
//! counted twice.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::ItemIds;

/// Schema id carried in [`Credit::schema`].
pub const CREDIT_SCHEMA: &str = "weft.credit/1";
/// The message kind of a credit.
pub const ISSUED: &str = "credit.issued";

/// Money credited against an order without returned goods.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Credit {
    /// Always `weft.credit/1`.
    pub schema: String,
    /// The channel's id of the refund or credit memo.
    pub credit_id: String,
    /// Channel code, as on the orders.
    pub channel: String,
    /// The correlation id of the order credited (`{channel}:{order_id}`).
    pub correlation_id: String,
    /// The channel's id of the order credited, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Ids of the orders credited (order ids, PO or invoice numbers).
    #[serde(default)]
    pub order_refs: Vec<String>,
    /// When the credit was issued (business time; RFC 3339 or a date).
    pub issued_at: String,
    /// ISO 4217 code of every amount, when the source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Amount credited (decimal string; positive = money back to the
    /// customer).
    pub amount: String,
    /// Why, as the channel says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Order lines the credit is for, when the source says (no goods are
    /// returned with a credit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<CreditLine>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// An order line a credit is for.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct CreditLine {
    /// The order's line id.
    pub line_id: String,
    /// Item identifiers.
    #[serde(flatten)]
    pub item: ItemIds,
    /// Quantity the credit is for, when stated (decimal string; the goods
    /// are not returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// Amount credited for this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
}
