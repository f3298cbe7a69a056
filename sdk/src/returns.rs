//! The canonical return / credit, `weft.return/1`
//! (`schemas/return.v1.schema.json`), message kind `return.completed`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::ItemIds;

/// Schema id carried in [`Return::schema`].
pub const RETURN_SCHEMA: &str = "weft.return/1";
/// The message kind of a completed return or credit.
pub const COMPLETED: &str = "return.completed";

/// Goods returned and/or money credited against an order.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Return {
    /// Always `weft.return/1`.
    pub schema: String,
    /// The channel's id of the return, refund or credit memo.
    pub return_id: String,
    /// The order it belongs to.
    pub order_id: String,
    /// Channel code.
    pub channel: String,
    /// The order's correlation id.
    pub correlation_id: String,
    /// When it was completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_at: Option<String>,
    /// ISO 4217 code of every amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Why, as the channel says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Returned or credited lines.
    #[serde(default)]
    pub lines: Vec<ReturnLine>,
    /// Totals.
    #[serde(default)]
    pub totals: ReturnTotals,
    /// Other identifiers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, String>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// One returned or credited line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct ReturnLine {
    /// The order's line id.
    pub line_id: String,
    /// Item identifiers.
    #[serde(flatten)]
    pub item: ItemIds,
    /// Quantity returned (decimal string; `0` for a money-only credit).
    pub quantity: String,
    /// Amount credited for this line.
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
    /// Tax credited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// Shipping credited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<String>,
    /// Total credited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
}
