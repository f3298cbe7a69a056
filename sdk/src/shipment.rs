//! The canonical shipment, `weft.shipment/1`
//! (`schemas/shipment.v1.schema.json`), message kind `shipment.dispatched`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{ItemIds, Party};
use crate::order::Address;

/// Schema id carried in [`Shipment::schema`].
pub const SHIPMENT_SCHEMA: &str = "weft.shipment/1";
/// The message kind of a shipment notice.
pub const DISPATCHED: &str = "shipment.dispatched";

/// The values of [`Shipment::status`]. Each is a fact about the shipment
/// with that `shipment_id`: a cancellation or a delivery is never a new
/// shipment.
pub mod status {
    /// The goods left (also what an absent status means).
    pub const SHIPPED: &str = "shipped";
    /// The carrier delivered them.
    pub const DELIVERED: &str = "delivered";
    /// The shipment was cancelled: the goods did not (or no longer) count
    /// as shipped.
    pub const CANCELLED: &str = "cancelled";
    /// The channel says the order is fulfilled without saying what was
    /// shipped (a WooCommerce order completed): no quantities. The ledger
    /// counts the order shipped in full only while it has no real shipment.
    pub const FULFILLED: &str = "fulfilled";
}

/// Goods sent for one or more orders: the packages and what each holds.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Shipment {
    /// Always `weft.shipment/1`.
    pub schema: String,
    /// The shipper's id of the shipment (X12 BSN02).
    pub shipment_id: String,
    /// Channel code, as on the orders.
    pub channel: String,
    /// The correlation id of the (first) order shipped.
    pub correlation_id: String,
    /// `original`, `replace` or `cancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Ids of the orders shipped (PO numbers for EDI).
    #[serde(default)]
    pub order_refs: Vec<String>,
    /// `shipped`, `delivered` or `cancelled` ([`status`]); absent means
    /// shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When the goods left (date or RFC 3339 time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipped_at: Option<String>,
    /// When they were delivered, for a delivered shipment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    /// When the shipment was cancelled, for a cancelled one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<String>,
    /// When the shipment notice was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Expected delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_at: Option<String>,
    /// Who carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
    /// Tracking / pro / waybill numbers of the shipment and its packages.
    #[serde(default)]
    pub tracking: Vec<String>,
    /// Where it goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    /// Where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_from: Option<Address>,
    /// Parties named (ship-to, ship-from, buyer, …) with their ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// Number of packages as the source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_count: Option<String>,
    /// Gross weight as the source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Measure>,
    /// The packages (cartons, pallets); items shipped without packaging
    /// are in one package with no id.
    #[serde(default)]
    pub packages: Vec<Package>,
    /// Other identifiers: `bill_of_lading`, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, String>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// The carrier of a shipment.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Carrier {
    /// Carrier code (SCAC for EDI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Carrier name or routing text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Transport mode as the source codes it (X12 TD504, e.g. `M` motor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Service level, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// A quantity with its unit (weights, volumes).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Measure {
    /// Decimal string.
    pub value: String,
    /// Unit code as given (`LB`, `KG`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// One package (carton, pallet) of a shipment.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Package {
    /// Package id: SSCC / marks and numbers, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_id: Option<String>,
    /// Tracking number of this package, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    /// What it holds.
    #[serde(default)]
    pub items: Vec<ShippedItem>,
}

/// A quantity of one item in a package.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct ShippedItem {
    /// Item identifiers.
    #[serde(flatten)]
    pub item: ItemIds,
    /// Quantity shipped (decimal string).
    pub quantity: String,
    /// Unit of measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uom: Option<String>,
    /// The order this quantity belongs to (PO number for EDI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The order line, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// Quantity ordered, when the notice repeats it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_quantity: Option<String>,
}
