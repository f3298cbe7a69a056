//! The canonical invoice, `weft.invoice/1`
//! (`schemas/invoice.v1.schema.json`), message kind `invoice.posted`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::{ItemIds, Party};
use crate::order::Address;

/// Schema id carried in [`Invoice::schema`].
pub const INVOICE_SCHEMA: &str = "weft.invoice/1";
/// The message kind of an invoice.
pub const POSTED: &str = "invoice.posted";

/// A seller's bill for goods of one or more orders.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Invoice {
    /// Always `weft.invoice/1`.
    pub schema: String,
    /// The invoice number.
    pub invoice_id: String,
    /// Channel code, as on the orders.
    pub channel: String,
    /// The correlation id of the (first) order invoiced.
    pub correlation_id: String,
    /// `original`, `replace`, `cancel`, `credit` or `debit` memo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Invoice date (a date, or RFC 3339 time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_date: Option<String>,
    /// Ids of the orders invoiced (PO numbers for EDI).
    #[serde(default)]
    pub order_refs: Vec<String>,
    /// ISO 4217 code of every amount, when the source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Who pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_to: Option<Address>,
    /// Where the goods went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    /// Parties named, with their ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// Invoiced lines.
    #[serde(default)]
    pub lines: Vec<InvoiceLine>,
    /// Allowances and charges on the whole invoice.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// Payment terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Terms>,
    /// Totals.
    #[serde(default)]
    pub totals: InvoiceTotals,
    /// Other identifiers: `po_number`, `vendor_number`, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, String>,
    /// Where the document came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// One invoiced line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct InvoiceLine {
    /// Line number / id.
    pub line_id: String,
    /// Item identifiers.
    #[serde(flatten)]
    pub item: ItemIds,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quantity invoiced (decimal string).
    pub quantity: String,
    /// Unit of measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uom: Option<String>,
    /// Price per unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// `quantity × unit_price` (the source's own figure when it states one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// Allowances and charges on this line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<Charge>,
}

/// An allowance (reduces the amount due) or a charge (adds to it).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Charge {
    /// `allowance` or `charge`.
    pub kind: String,
    /// The source's code (X12 SAC02, e.g. `C310` discount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Amount, always positive; `kind` gives the sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// Percentage, when the allowance or charge is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<String>,
}

/// Payment terms.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Terms {
    /// The source's terms type code (X12 ITD01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Discount percent for early payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<String>,
    /// Days within which the discount applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_days: Option<String>,
    /// Days until the net amount is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_days: Option<String>,
    /// Due date, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// Terms in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Invoice totals.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct InvoiceTotals {
    /// Sum of line totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<String>,
    /// Sum of allowances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowances: Option<String>,
    /// Sum of charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charges: Option<String>,
    /// Tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// Amount due (X12 TDS01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
}
