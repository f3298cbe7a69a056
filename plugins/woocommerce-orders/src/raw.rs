//! The parts of a WooCommerce REST v3 order that the mapping reads, and
//! the reading of a payload into them.
//!
//! A payload is one order (`GET /wc/v3/orders/{id}`, or an `order.*`
//! webhook body) or an array of them (`GET /wc/v3/orders`). Other
//! WooCommerce resources (refunds, products, customers, coupons, webhook
//! pings, REST errors) are recognised and refused.

use serde::Deserialize;
use serde_json::{Map, Value};
use weft_sdk::PluginError;

use weft_sdk::order_map::{self, ChannelOrder, FoundOrder};
use weft_sdk::scalar::Field;

/// A WooCommerce order.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce order object")]
pub struct RawOrder {
    pub id: Field,
    pub parent_id: Field,
    pub number: Field,
    pub order_key: Field,
    pub created_via: Field,
    pub status: Field,
    pub currency: Field,
    pub date_created: Field,
    pub date_created_gmt: Field,
    pub date_modified: Field,
    pub date_modified_gmt: Field,
    pub date_paid_gmt: Field,
    pub date_completed_gmt: Field,
    pub discount_total: Field,
    pub shipping_total: Field,
    pub total: Field,
    pub total_tax: Field,
    pub prices_include_tax: Field,
    pub customer_id: Field,
    pub customer_note: Field,
    pub billing: Option<RawAddress>,
    pub shipping: Option<RawAddress>,
    pub payment_method: Field,
    pub payment_method_title: Field,
    pub transaction_id: Field,
    pub line_items: Option<Vec<RawLine>>,
    pub tax_lines: Option<Vec<RawTaxLine>>,
    pub shipping_lines: Option<Vec<RawShippingLine>>,
    pub fee_lines: Option<Vec<RawFee>>,
    pub coupon_lines: Option<Vec<RawCoupon>>,
    pub refunds: Option<Vec<RawRefund>>,
}

/// A billing or shipping address.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce address object")]
pub struct RawAddress {
    pub first_name: Field,
    pub last_name: Field,
    pub company: Field,
    pub address_1: Field,
    pub address_2: Field,
    pub city: Field,
    pub state: Field,
    pub postcode: Field,
    pub country: Field,
    pub email: Field,
    pub phone: Field,
}

/// A `line_items[]` entry. `subtotal` is the line before coupons, `total`
/// after them, both without tax.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce line item object")]
pub struct RawLine {
    pub id: Field,
    pub name: Field,
    pub sku: Field,
    pub quantity: Field,
    pub subtotal: Field,
    pub total: Field,
    pub total_tax: Field,
    /// Unit price after coupons (`total / quantity`), a JSON number.
    pub price: Field,
    pub meta_data: Option<Vec<RawMeta>>,
}

/// A `meta_data[]` entry; values may be any JSON.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce meta data object")]
pub struct RawMeta {
    pub key: Field,
    pub value: Option<Value>,
}

/// A `tax_lines[]` entry.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce tax line object")]
pub struct RawTaxLine {
    pub rate_code: Field,
    pub label: Field,
    pub tax_total: Field,
    pub shipping_tax_total: Field,
}

/// A `shipping_lines[]` entry.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce shipping line object")]
pub struct RawShippingLine {
    pub method_id: Field,
    pub method_title: Field,
    pub total: Field,
}

/// A `fee_lines[]` entry.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce fee line object")]
pub struct RawFee {
    pub id: Field,
    pub name: Field,
    pub total: Field,
    pub total_tax: Field,
}

/// A `coupon_lines[]` entry.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce coupon line object")]
pub struct RawCoupon {
    pub code: Field,
    pub discount: Field,
}

/// A `refunds[]` entry (`total` is negative).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce refund summary object")]
pub struct RawRefund {
    pub total: Field,
}

impl ChannelOrder for RawOrder {
    const NAME: &'static str = "WooCommerce order";
    const SHAPE: &'static str = "a WooCommerce order";
    const ID_FIELD: &'static str = "id";
    fn id(&self) -> &Field {
        &self.id
    }
}

/// Reads a payload into the order objects it holds.
pub fn read(payload: &[u8]) -> Result<Vec<FoundOrder>, PluginError> {
    let doc = order_map::json_payload(payload)?;
    match doc {
        Value::Object(object) => {
            check_is_order(&object, "")?;
            Ok(vec![FoundOrder {
                place: String::new(),
                object,
            }])
        }
        Value::Array(items) if items.is_empty() => {
            Err(PluginError::invalid("payload is an empty array: no orders"))
        }
        Value::Array(items) => {
            let mut found = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let place = format!("[{index}]: ");
                match item {
                    Value::Object(object) => {
                        check_is_order(&object, &place)?;
                        found.push(FoundOrder { place, object });
                    }
                    other => return Err(not_an_order(&other, &place)),
                }
            }
            Ok(found)
        }
        other => Err(not_an_order(&other, "")),
    }
}

/// Refuses other WooCommerce resources, saying what they look like.
fn check_is_order(o: &Map<String, Value>, place: &str) -> Result<(), PluginError> {
    let has = |k: &str| o.contains_key(k);
    if has("code") && has("message") && !has("id") {
        return Err(PluginError::invalid(format!(
            "{place}payload is a WooCommerce REST error, not an order: code `{}`, message `{}`",
            text_of(o.get("code")),
            text_of(o.get("message"))
        )));
    }
    let kind = if has("webhook_id") {
        Some("a webhook delivery ping (`webhook_id`)")
    } else if has("refunded_by") || has("refunded_payment") || (has("amount") && !has("total")) {
        Some("a refund (`refunded_by`, `amount`)")
    } else if has("note") && !has("line_items") {
        Some("an order note (`note`, `customer_note`)")
    } else if has("regular_price") || has("permalink") {
        Some("a product (`regular_price`, `permalink`)")
    } else if has("username") || has("role") {
        Some("a customer (`username`, `role`)")
    } else if has("discount_type") {
        Some("a coupon (`discount_type`)")
    } else {
        None
    };
    if let Some(kind) = kind {
        return Err(PluginError::invalid(format!(
            "{place}expected a WooCommerce order, but this looks like {kind}"
        )));
    }
    let looks_like_order = ["id", "line_items", "order_key", "number"]
        .iter()
        .any(|k| has(k));
    if looks_like_order {
        Ok(())
    } else {
        Err(not_an_order(&Value::Object(o.clone()), place))
    }
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The error for valid JSON that is not an order, saying what was found.
fn not_an_order(found: &Value, place: &str) -> PluginError {
    let found = weft_sdk::text::json_shape(found);
    PluginError::invalid(format!(
        "{place}expected a WooCommerce order (an object with `id` and `line_items`, or an array of them); found {found}"
    ))
}
