//! The canonical order document, `weft.order/1`
//! (`schemas/order.v1.schema.json`).
//!
//! Money and quantities are decimal strings; timestamps RFC 3339 (a date
//! alone when the source has no time). Absent values are omitted, never
//! invented.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Schema id carried in [`Order::schema`].
pub const ORDER_SCHEMA: &str = "weft.order/1";

/// Message kinds an order travels as.
pub mod kinds {
    /// A new order.
    pub const CREATED: &str = "order.created";
    /// A changed order (replacement).
    pub const UPDATED: &str = "order.updated";
    /// A cancelled order.
    pub const CANCELLED: &str = "order.cancelled";
}

/// What kind of change a source document announces about an order: the
/// message kind and the canonical `purpose` follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A new order (`order.created`, purpose `original`).
    Created,
    /// A changed order (`order.updated`, purpose `replace`).
    Updated,
    /// A cancelled order (`order.cancelled`, purpose `cancel`).
    Cancelled,
}

impl Event {
    /// The message kind ([`kinds`]).
    pub fn kind(self) -> &'static str {
        match self {
            Event::Created => kinds::CREATED,
            Event::Updated => kinds::UPDATED,
            Event::Cancelled => kinds::CANCELLED,
        }
    }

    /// The canonical `purpose`.
    pub fn purpose(self) -> &'static str {
        match self {
            Event::Created => "original",
            Event::Updated => "replace",
            Event::Cancelled => "cancel",
        }
    }

    /// The event a deployment setting (`event`) names for documents that do
    /// not say: `created` (also blank) or `updated`, with or without the
    /// `order.` prefix, any case; `None` when unset.
    pub fn from_setting(value: Option<&str>) -> Result<Option<Event>, crate::PluginError> {
        match value.map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(None),
            Some(v) => match v.as_str() {
                "" | "created" | "order.created" => Ok(Some(Event::Created)),
                "updated" | "order.updated" => Ok(Some(Event::Updated)),
                other => Err(crate::PluginError::invalid(format!(
                    "config `event`: expected `created` or `updated`, got `{other}`"
                ))),
            },
        }
    }

    /// The id of the message announcing this event about the order with
    /// `correlation_id`: `{correlation_id}:{kind}`, so a replayed document
    /// yields the same id. An update adds `:{stamp}` when there is one (the
    /// time of the change), as every update is a distinct event that must
    /// not be dropped as a duplicate of the previous one.
    pub fn message_id(self, correlation_id: &str, stamp: Option<&str>) -> String {
        match (self, stamp) {
            (Event::Updated, Some(at)) => format!("{correlation_id}:{}:{at}", self.kind()),
            _ => format!("{correlation_id}:{}", self.kind()),
        }
    }

    /// The message announcing this event about `order`: the id of
    /// [`Event::message_id`] (with the update's `stamp`), the order's
    /// correlation id, the event's kind and the order as JSON payload.
    pub fn message(
        self,
        order: &Order,
        stamp: Option<&str>,
    ) -> Result<crate::Message, crate::PluginError> {
        let id = self.message_id(&order.correlation_id, stamp);
        crate::Message::json(id, order.correlation_id.as_str(), self.kind(), order)
    }
}

/// A customer order from any channel.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Order {
    /// Always `weft.order/1`.
    pub schema: String,
    /// The channel's id of the order.
    pub order_id: String,
    /// The number or name people use for it (`#1001`, a PO number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// Channel code: `shopify`, `amazon`, `x12:<partner>`, …
    pub channel: String,
    /// `{channel}:{order_id}` unless the source knows better.
    pub correlation_id: String,
    /// `original`, `replace` or `cancel`.
    pub purpose: String,
    /// The channel's own status words, e.g. `paid`, `partially_refunded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When the order was placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<String>,
    /// When the channel last changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// When it was cancelled, for cancelled orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<String>,
    /// Why it was cancelled, as the channel says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// The ship date the buyer asks for, when the document has one (a date
    /// or RFC 3339 time; X12 850: DTM 010 requested ship, else 037 ship
    /// not before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_ship_at: Option<String>,
    /// ISO 4217 code of every amount in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// Billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_to: Option<Address>,
    /// Shipping address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    /// Every ordered line, in the channel's order.
    #[serde(default)]
    pub lines: Vec<OrderLine>,
    /// Order totals.
    #[serde(default)]
    pub totals: Totals,
    /// Other identifiers of the order: `po_number`, `token`, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, String>,
    /// Where the document came from (document type, api version, control numbers).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// The buyer of an order.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Customer {
    /// The channel's customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The ERP account this customer maps to (set by `enrich-master-data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erp_account: Option<String>,
}

/// A postal address.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Address {
    /// Addressee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Street lines, empty ones dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address_lines: Vec<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province or region code (or name when no code is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postal code as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 code when known, else the name given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Phone number at this address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// One ordered line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct OrderLine {
    /// The channel's line id or line number.
    pub line_id: String,
    /// Seller SKU; `null` when the channel has none (custom items).
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
    /// Item description / title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ordered quantity (decimal string).
    pub quantity: String,
    /// Unit of measure (`EA`, …) when the channel gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uom: Option<String>,
    /// Price per unit before discounts and tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// Discount allocated to this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<String>,
    /// Tax on this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// `quantity × unit_price − discount` (tax excluded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// The ERP item number this line maps to (set by `enrich-master-data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erp_item: Option<String>,
    /// Channel-specific details without a canonical field (product
    /// options, bundle components, meta data), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// Order totals. With `taxes_included` false:
/// `total = subtotal − discount + shipping + other_charges + tax`; with it
/// true, tax is already inside the prices:
/// `total = subtotal − discount + shipping + other_charges`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Totals {
    /// Sum of `quantity × unit_price` over the lines, before discounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtotal: Option<String>,
    /// Total discounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<String>,
    /// Shipping charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<String>,
    /// Total tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<String>,
    /// Charges other than shipping (gift wrap, cash-on-delivery fee,
    /// handling, delivery tip), tax excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_charges: Option<String>,
    /// Grand total the buyer pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// Whether prices already include tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxes_included: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_values_are_omitted_and_sku_null_kept() {
        let o = Order {
            schema: ORDER_SCHEMA.into(),
            order_id: "1".into(),
            channel: "shopify".into(),
            correlation_id: "shopify:1".into(),
            purpose: "original".into(),
            lines: vec![OrderLine {
                line_id: "9".into(),
                quantity: "1".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let v = serde_json::to_value(&o).unwrap();
        assert!(v.get("currency").is_none());
        assert!(v["lines"][0]["sku"].is_null());
        assert_eq!(serde_json::from_value::<Order>(v).unwrap(), o);
    }
}
