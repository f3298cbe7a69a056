//! What the invoice, request-body and source-selection mappings share:
//! the document being mapped (errors name it), its figures, and the parts
//! of the ship and refund request bodies they read.

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};
use weft_sdk::datetime::to_rfc3339;
use weft_sdk::money::Decimal;
use weft_sdk::scalar::{self, take_trimmed, Field, Scalar};
use weft_sdk::PluginError;

/// The document being mapped (`invoice 3`, `ship request for order 3`):
/// errors about it name it.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// What it is, with its id (`invoice 3`).
    pub name: &'a str,
}

impl Subject<'_> {
    /// An `invalid` error about it: `{name}: {reason}`.
    pub fn err(&self, reason: impl fmt::Display) -> PluginError {
        PluginError::invalid(format!("{}: {reason}", self.name))
    }

    /// An optional decimal at `at` (a JSON number read exactly, or a
    /// numeric string); an error naming it when it is not one.
    pub fn decimal(
        &self,
        value: Option<&Scalar>,
        at: impl fmt::Display,
    ) -> Result<Option<Decimal>, PluginError> {
        scalar::decimal(value, at).map_err(|reason| self.err(reason))
    }

    /// A required decimal at `at`.
    pub fn required(
        &self,
        value: Option<&Scalar>,
        at: impl fmt::Display,
    ) -> Result<Decimal, PluginError> {
        let at = at.to_string();
        self.decimal(value, &at)?
            .ok_or_else(|| self.err(format_args!("{at} is missing")))
    }

    /// An optional `YYYY-MM-DD HH:MM:SS` (UTC) timestamp as RFC 3339.
    pub fn timestamp(&self, value: Field, field: &str) -> Result<Option<String>, PluginError> {
        match take_trimmed(value) {
            None => Ok(None),
            Some(s) => to_rfc3339(&s).map(Some).ok_or_else(|| {
                self.err(format_args!(
                    "{field} `{s}` is not a `YYYY-MM-DD HH:MM:SS` timestamp"
                ))
            }),
        }
    }

    /// `a + b`, or an error saying the amounts in `at` are too large.
    pub fn add(&self, a: Decimal, b: Decimal, at: &str) -> Result<Decimal, PluginError> {
        a.checked_add(b)
            .ok_or_else(|| self.err(format_args!("amounts in {at} are too large to compute")))
    }
}

/// Deserialises a body already known to be `shape`; the error says so.
pub fn read<T: serde::de::DeserializeOwned>(
    body: Map<String, Value>,
    place: &str,
    shape: &str,
) -> Result<T, PluginError> {
    serde_json::from_value(Value::Object(body)).map_err(|e| {
        PluginError::invalid(format!(
            "{place}payload is not {shape} of the expected shape: {e}"
        ))
    })
}

/// The body of `POST /V1/order/{orderId}/ship` or `/refund`
/// (`Magento\Sales\Api\ShipOrderInterface`, `RefundOrderInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce order action request object")]
pub struct RawRequest {
    pub items: Option<Vec<RawRequestItem>>,
    pub notify: Field,
    #[serde(rename = "appendComment")]
    pub append_comment: Field,
    pub comment: Option<RawComment>,
    pub tracks: Option<Vec<RawTrack>>,
    pub packages: Option<Vec<Value>>,
    pub arguments: Option<RawArguments>,
}

/// `items[]`: an order item and a quantity (`…ItemCreationInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an object with `order_item_id` and `qty`")]
pub struct RawRequestItem {
    pub order_item_id: Field,
    pub qty: Field,
}

/// `comment` (`…CommentCreationInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a comment object")]
pub struct RawComment {
    pub comment: Field,
    pub is_visible_on_front: Field,
}

/// `tracks[]` of a ship request (`ShipmentTrackCreationInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a track object")]
pub struct RawTrack {
    pub track_number: Field,
    pub title: Field,
    pub carrier_code: Field,
}

/// `arguments` (`…CreationArgumentsInterface`): the refund's amounts and
/// the extension attributes of both actions.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an arguments object")]
pub struct RawArguments {
    pub shipping_amount: Field,
    pub adjustment_positive: Field,
    pub adjustment_negative: Field,
    pub extension_attributes: Option<RawArgumentsExtension>,
}

/// `arguments.extension_attributes`: the MSI source a shipment leaves
/// from, the order items a refund returns to stock.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an object of extension attributes")]
pub struct RawArgumentsExtension {
    pub source_code: Field,
    pub return_to_stock_items: Option<Vec<Field>>,
}

/// An item of a request: its order item id and quantity.
pub struct Item {
    /// `order_item_id`.
    pub line_id: String,
    /// `qty`.
    pub quantity: Decimal,
}

/// The items of a request with a quantity above zero, in order; an error
/// names an item without `order_item_id` or with a bad `qty`.
pub fn items(subject: &Subject, raw: Vec<RawRequestItem>) -> Result<Vec<Item>, PluginError> {
    let mut out = Vec::with_capacity(raw.len());
    for (index, item) in raw.into_iter().enumerate() {
        let line_id = scalar::text(&item.order_item_id)
            .map(|s| s.trim().to_string())
            .ok_or_else(|| subject.err(format_args!("items[{index}] has no `order_item_id`")))?;
        let quantity = subject.required(
            item.qty.as_ref(),
            format_args!("items[{index}] (order_item_id {line_id}) qty"),
        )?;
        if quantity < Decimal::ZERO {
            return Err(subject.err(format_args!(
                "items[{index}] (order_item_id {line_id}) qty `{quantity}` is negative"
            )));
        }
        if quantity > Decimal::ZERO {
            out.push(Item { line_id, quantity });
        }
    }
    Ok(out)
}

/// The comment text of a request, when it has one.
pub fn comment(raw: Option<RawComment>) -> Option<String> {
    raw.and_then(|c| take_trimmed(c.comment))
}
