//! The canonical order acknowledgement, `weft.order_ack/1`
//! (`schemas/order_ack.v1.schema.json`), message kind `order.acknowledged`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{ItemIds, Party};

/// Schema id carried in [`OrderAck::schema`].
pub const ORDER_ACK_SCHEMA: &str = "weft.order_ack/1";
/// The message kind of an acknowledgement.
pub const ACKNOWLEDGED: &str = "order.acknowledged";
/// The message kind of an allocation of an order's lines to a location
/// (Shopify fulfillment orders, Adobe Commerce source selection, an X12
/// 940 to a warehouse): the lines carry the allocated quantities;
/// `ack_type` is `accepted` for an allocation made, `pending` for one
/// requested. It is not an acknowledgement of the order.
pub const ALLOCATED: &str = "order.allocated";

/// A seller's answer to an order: accepted, changed or rejected, per line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct OrderAck {
    /// Always `weft.order_ack/1`.
    pub schema: String,
    /// The acknowledged order's id (the PO number for EDI orders).
    pub order_id: String,
    /// Channel code, as on the order.
    pub channel: String,
    /// The order's correlation id.
    pub correlation_id: String,
    /// The acknowledgement's own number, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_id: Option<String>,
    /// `accepted`, `accepted_with_changes`, `rejected` or `pending` (the
    /// source's code is kept in `ack_code`).
    pub ack_type: String,
    /// The source's own acknowledgement code (e.g. X12 BAK02 `AC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack_code: Option<String>,
    /// `original`, `replace` or `cancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// When the acknowledgement was issued (date or RFC 3339 time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<String>,
    /// `order.allocated`: where the lines are allocated (location,
    /// warehouse or source code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// When the order was placed, as the acknowledgement repeats it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<String>,
    /// ISO 4217 code of the prices, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Parties named (ship-to, seller, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// The acknowledged lines.
    #[serde(default)]
    pub lines: Vec<AckLine>,
    /// Other identifiers: `po_number`, `vendor_order`, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, String>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// One acknowledged line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct AckLine {
    /// The order's line id / line number.
    pub line_id: String,
    /// Item identifiers.
    #[serde(flatten)]
    pub item: ItemIds,
    /// Ordered quantity, as the acknowledgement repeats it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_quantity: Option<String>,
    /// Quantity the status applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// Unit of measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uom: Option<String>,
    /// Price per unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// `accepted`, `backordered`, `changed`, `rejected`, `substituted`,
    /// `cancelled` or `pending`.
    pub status: String,
    /// The source's own status code (e.g. X12 ACK01 `IA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<String>,
    /// Promised ship or delivery date, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_date: Option<String>,
}
