//! The canonical return, `weft.return/1`
//! (`schemas/return.v1.schema.json`), message kind `return.completed`.
//!
//! Goods that came back (the `lines`, with quantities) together with the
//! money refunded for them (`totals.total`). Money refunded or credited
//! without returned goods is a `weft.credit/1` (`crate::credit`): one
//! refund is either a return or a credit, never both, so the same money is
//! never counted twice.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::ItemIds;

/// Schema id carried in [`Return::schema`].
pub const RETURN_SCHEMA: &str = "weft.return/1";
/// The message kind of a completed return.
pub const COMPLETED: &str = "return.completed";
/// The message kind of a return authorised but not yet received (X12 180,
/// a return merchandise authorisation): nothing counts as returned.
pub const AUTHORIZED: &str = "return.authorized";

/// Goods returned against an order, with the money refunded for them.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Return {
    /// Always `weft.return/1`.
    pub schema: String,
    /// The channel's id of the return (or of the refund or credit memo
    /// that records it).
    pub return_id: String,
    /// The channel's id of the refund that paid the money back, when one
    /// did (Shopify: the refund, whose id is also `return_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    /// The order it belongs to.
    pub order_id: String,
    /// Channel code.
    pub channel: String,
    /// The order's correlation id.
    pub correlation_id: String,
    /// When it was completed (business time: the refund's processing time
    /// when a refund records it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_at: Option<String>,
    /// `completed` (absent means completed) or `authorized`
    /// ([`AUTHORIZED`]: nothing received yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When the return was authorised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_at: Option<String>,
    /// ISO 4217 code of every amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Why, as the channel says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Returned lines (each with a quantity greater than zero).
    #[serde(default)]
    pub lines: Vec<ReturnLine>,
    /// Totals; `totals.total` is the money refunded for the goods.
    #[serde(default)]
    pub totals: ReturnTotals,
    /// Other identifiers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, String>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// One returned line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct ReturnLine {
    /// The order's line id.
    pub line_id: String,
    /// Item identifiers.
    #[serde(flatten)]
    pub item: ItemIds,
    /// Quantity returned (decimal string).
    pub quantity: String,
    /// Amount refunded for this line (before tax when the source splits
    /// it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// Whether the goods go back to stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restock: Option<bool>,
    /// Why, as the channel says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Return totals.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct ReturnTotals {
    /// Sum of line amounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<String>,
    /// Tax refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// Shipping refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<String>,
    /// Total money refunded for the return (what the customer got back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
}
