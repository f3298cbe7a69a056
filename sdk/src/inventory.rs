//! The canonical inventory advice, `weft.inventory/1`
//! (`schemas/inventory.v1.schema.json`), message kind `inventory.advised`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{ItemIds, Party};

/// Schema id carried in [`Inventory::schema`].
pub const INVENTORY_SCHEMA: &str = "weft.inventory/1";
/// The message kind of an inventory advice.
pub const ADVISED: &str = "inventory.advised";

/// Stock positions a partner reports: one entry per item and quantity
/// qualifier (on hand, on order, committed, …).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Inventory {
    /// Always `weft.inventory/1`.
    pub schema: String,
    /// The advice's own id (X12 BIA03).
    pub advice_id: String,
    /// Channel code.
    pub channel: String,
    /// `{channel}:inventory:{advice_id}` unless the source knows better.
    pub correlation_id: String,
    /// When the positions were taken (date or RFC 3339 time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Where the stock is, as the source names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Parties named, with their ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// The positions.
    #[serde(default)]
    pub items: Vec<InventoryItem>,
    /// Other identifiers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, String>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// One item's quantity of one kind.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct InventoryItem {
    /// Item identifiers.
    #[serde(flatten)]
    pub item: ItemIds,
    /// Description, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quantity (decimal string).
    pub quantity: String,
    /// What the quantity is: `on_hand`, `on_order`, `committed`,
    /// `available`, … or the source's own code when it has no such name.
    pub qualifier: String,
    /// The source's qualifier code (X12 QTY01, e.g. `33`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier_code: Option<String>,
    /// Unit of measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uom: Option<String>,
    /// Unit price, when the advice carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// Date the quantity applies to, when it differs from `as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}
