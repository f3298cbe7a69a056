//! The parts of a WooCommerce order that the mapping reads: the REST v3
//! (`/wp-json/wc/v3`) fields and, where the legacy REST API
//! (`/wc-api/v2|v3`) names them differently, the legacy ones
//! (`order_number`, `created_at`, `billing_address`, `total_shipping`, …),
//! so one struct reads both shapes.

use serde::Deserialize;
use serde_json::Value;

use weft_sdk::order_map::ChannelOrder;
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
    pub date_completed: Field,
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
    // Legacy REST API (`/wc-api/v2|v3`) names.
    pub order_number: Field,
    /// Legacy `created_at` (UTC, `…Z`).
    pub created_at: Field,
    /// Legacy `updated_at` (UTC, `…Z`).
    pub updated_at: Field,
    /// Legacy `completed_at` (UTC, `…Z`; set on every order, read only
    /// when the order is completed).
    pub completed_at: Field,
    pub total_shipping: Field,
    pub total_discount: Field,
    pub total_line_items_quantity: Field,
    /// Legacy customer note.
    pub note: Field,
    pub billing_address: Option<RawAddress>,
    pub shipping_address: Option<RawAddress>,
    pub payment_details: Option<RawPayment>,
}

/// Legacy `payment_details`.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce payment details object")]
pub struct RawPayment {
    pub method_id: Field,
    pub method_title: Field,
    pub paid: Field,
    pub transaction_id: Field,
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
    /// Legacy `meta` (`key`, `label`, `value`).
    pub meta: Option<Vec<RawMeta>>,
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
    /// Legacy `code`, `title`, `total`.
    pub code: Field,
    pub title: Field,
    pub total: Field,
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
    /// Legacy name of `name`.
    pub title: Field,
    pub total: Field,
    pub total_tax: Field,
}

/// A `coupon_lines[]` entry.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce coupon line object")]
pub struct RawCoupon {
    pub code: Field,
    pub discount: Field,
    /// Legacy name of `discount`.
    pub amount: Field,
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
