//! What every canonical document shares, and the line identifiers used by
//! the documents other than the order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a trading partner or channel names an item. Every field is
/// optional: a document carries the identifiers its source gives.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct ItemIds {
    /// Seller SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// GTIN / UPC / EAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// The buyer's part number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_part: Option<String>,
    /// The vendor's part number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_part: Option<String>,
    /// The ERP item number (set by `enrich-master-data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erp_item: Option<String>,
    /// Other identifiers the source gives, with no field above, by name
    /// (the `x12` source: `id_<qualifier>`, e.g. `id_mg` for a
    /// manufacturer's part number).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

impl ItemIds {
    /// True when no identifier is set.
    pub fn is_empty(&self) -> bool {
        self.sku.is_none()
            && self.gtin.is_none()
            && self.buyer_part.is_none()
            && self.vendor_part.is_none()
            && self.erp_item.is_none()
    }
}

/// A party named in a document (ship-from, remit-to, supplier, …) by its
/// role and identifiers, with an address when the source gives one.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Party {
    /// What the party is to this document: `ship_to`, `ship_from`,
    /// `bill_to`, `remit_to`, `buyer`, `seller`, … or the source's own code.
    pub role: String,
    /// The party's id as the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What kind of id `id` is (e.g. X12 N103 `92` buyer-assigned, `UL` GLN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_qualifier: Option<String>,
    /// The postal address, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<crate::order::Address>,
}
