//! The parts of a Shopify Admin REST order that the mapping reads, and the
//! reading of a payload into them.
//!
//! The payload is deserialised straight into these structs (unknown fields
//! are skipped without being materialised), which keeps the hot path cheap;
//! only on failure is the document looked at again to say what it is.

use serde::de::IgnoredAny;
use serde::Deserialize;
use weft_sdk::PluginError;

use weft_sdk::order_map::ChannelOrder;
pub use weft_sdk::scalar::{take, text, Field, Scalar};

/// A Shopify order, or (at the top level, as `RawOrder<RawOrder>`) the
/// `{"order": …}` envelope of one, `order` holding the inner order. The
/// inner order skips its own `order` key, so a document nests at most two
/// orders deep whatever it contains.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify order object")]
pub struct RawOrder<Inner = IgnoredAny> {
    pub order: Option<Box<Inner>>,
    pub id: Field,
    pub name: Field,
    pub order_number: Field,
    pub email: Field,
    pub phone: Field,
    pub financial_status: Field,
    pub fulfillment_status: Field,
    pub processed_at: Field,
    pub created_at: Field,
    pub updated_at: Field,
    pub cancelled_at: Field,
    pub cancel_reason: Field,
    pub currency: Field,
    pub customer: Option<RawCustomer>,
    pub billing_address: Option<RawAddress>,
    pub shipping_address: Option<RawAddress>,
    pub line_items: Option<Vec<RawLine>>,
    pub total_line_items_price: Field,
    pub total_discounts: Field,
    pub total_shipping_price_set: Option<MoneySet>,
    pub shipping_lines: Option<Vec<Priced>>,
    pub total_tax: Field,
    pub total_price: Field,
    pub taxes_included: Field,
    pub po_number: Field,
    pub confirmation_number: Field,
    pub source_name: Field,
    pub test: Field,
    /// Present on sub-resources of an order (fulfillments, refunds,
    /// transactions), never on an order itself.
    pub order_id: Option<IgnoredAny>,
}

impl<Inner> RawOrder<Inner> {
    /// Whether a bare (unwrapped) object is an order rather than some other
    /// Shopify resource.
    fn looks_like_order(&self) -> bool {
        self.order_id.is_none()
            && (self.id.is_some()
                || self.line_items.is_some()
                || self.financial_status.is_some()
                || self.total_price.is_some()
                || self.order_number.is_some())
    }
}

#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify customer object")]
pub struct RawCustomer {
    pub id: Field,
    pub email: Field,
    pub phone: Field,
    pub first_name: Field,
    pub last_name: Field,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify address object")]
pub struct RawAddress {
    pub name: Field,
    pub first_name: Field,
    pub last_name: Field,
    pub company: Field,
    pub address1: Field,
    pub address2: Field,
    pub city: Field,
    pub province: Field,
    pub province_code: Field,
    pub zip: Field,
    pub country: Field,
    pub country_code: Field,
    pub phone: Field,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify line item object")]
pub struct RawLine {
    pub id: Field,
    pub sku: Field,
    pub name: Field,
    pub title: Field,
    pub quantity: Field,
    pub price: Field,
    pub total_discount: Field,
    pub discount_allocations: Option<Vec<Amount>>,
    pub tax_lines: Option<Vec<Priced>>,
}

/// `{"amount": "3.34", …}` (discount allocations, `shop_money`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an object with an `amount`")]
pub struct Amount {
    pub amount: Field,
}

/// `{"price": "11.94", …}` (tax lines, shipping lines).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an object with a `price`")]
pub struct Priced {
    pub price: Field,
}

/// `{"shop_money": {"amount": …}, "presentment_money": …}`.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify money set object")]
pub struct MoneySet {
    pub shop_money: Option<Amount>,
}

/// Reads a payload holding a Shopify order, wrapped (`{"order": …}`, other
/// top-level keys such as `notice` ignored) or bare (a webhook body).
pub fn read(payload: &[u8]) -> Result<Read, PluginError> {
    // serde would read a top-level array as a struct in sequence form.
    if !payload_is_object(payload) {
        return Err(match serde_json::from_slice::<IgnoredAny>(payload) {
            Err(e) => PluginError::invalid(format!("payload is not JSON: {e}")),
            Ok(_) => not_an_order(payload),
        });
    }
    let mut doc: RawOrder<RawOrder> =
        serde_json::from_slice(payload).map_err(|e| explain(payload, &e))?;
    match doc.order.take() {
        Some(inner) => Ok(Read::Wrapped(*inner)),
        None if doc.looks_like_order() => Ok(Read::Bare(doc)),
        None => Err(not_an_order(payload)),
    }
}

impl<W> ChannelOrder for RawOrder<W> {
    const NAME: &'static str = "Shopify order";
    const ID_FIELD: &'static str = "id";
    fn id(&self) -> &Field {
        &self.id
    }
}

/// An order as found in a payload.
pub enum Read {
    /// From `{"order": …}`.
    Wrapped(RawOrder),
    /// A bare order (webhook body); its `order` field is always `None`.
    Bare(RawOrder<RawOrder>),
}

/// Why an object payload could not be read as an order: not JSON after
/// all, or an object of the wrong shape.
fn explain(payload: &[u8], err: &serde_json::Error) -> PluginError {
    match serde_json::from_slice::<IgnoredAny>(payload) {
        Err(e) => PluginError::invalid(format!("payload is not JSON: {e}")),
        Ok(_) => PluginError::invalid(format!(
            "payload is not a Shopify order of the expected shape: {err}"
        )),
    }
}

fn payload_is_object(payload: &[u8]) -> bool {
    payload
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

/// The error for valid JSON that is not an order, saying what was found
/// (see [`crate::shape::refused`]).
fn not_an_order(payload: &[u8]) -> PluginError {
    crate::shape::refused(payload)
}
