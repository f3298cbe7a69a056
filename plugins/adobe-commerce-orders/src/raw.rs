//! The parts of an Adobe Commerce (Magento 2) REST order that the mapping
//! reads (which document a payload is: [`crate::shape`]).

use serde::Deserialize;

use weft_sdk::order_map::ChannelOrder;
use weft_sdk::scalar::Field;

/// An Adobe Commerce order (`Magento\Sales\Api\Data\OrderInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce order object")]
pub struct RawOrder {
    pub entity_id: Field,
    pub increment_id: Field,
    pub ext_order_id: Field,
    pub quote_id: Field,
    pub state: Field,
    pub status: Field,
    pub created_at: Field,
    pub updated_at: Field,
    pub order_currency_code: Field,
    pub customer_id: Field,
    pub customer_is_guest: Field,
    pub customer_email: Field,
    pub customer_firstname: Field,
    pub customer_middlename: Field,
    pub customer_lastname: Field,
    pub subtotal: Field,
    pub discount_amount: Field,
    pub discount_description: Field,
    pub coupon_code: Field,
    pub shipping_amount: Field,
    pub shipping_description: Field,
    pub tax_amount: Field,
    pub grand_total: Field,
    pub items: Option<Vec<RawItem>>,
    pub billing_address: Option<RawAddress>,
    pub payment: Option<RawPayment>,
    pub extension_attributes: Option<OrderExtension>,
}

/// One row of an order's `items` (`OrderItemInterface`). Configurable and
/// bundle products are a parent row plus child rows that name it.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce order item object")]
pub struct RawItem {
    pub item_id: Field,
    pub parent_item_id: Field,
    /// The parent row repeated inside the child (only its id is read).
    pub parent_item: Option<ParentRef>,
    pub product_type: Field,
    pub sku: Field,
    pub name: Field,
    pub qty_ordered: Field,
    pub price: Field,
    pub discount_amount: Field,
    pub tax_amount: Field,
}

/// The id of a child row's `parent_item`.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce order item object")]
pub struct ParentRef {
    pub item_id: Field,
}

/// An order address (`OrderAddressInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce address object")]
pub struct RawAddress {
    pub firstname: Field,
    pub middlename: Field,
    pub lastname: Field,
    pub company: Field,
    pub street: Option<Vec<Field>>,
    pub city: Field,
    pub region: Field,
    pub region_code: Field,
    pub postcode: Field,
    pub country_id: Field,
    pub telephone: Field,
}

/// The payment (only the method code is read).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an Adobe Commerce payment object")]
pub struct RawPayment {
    pub method: Field,
}

/// `extension_attributes`: the shipping address lives in the first
/// shipping assignment.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "an object of extension attributes")]
pub struct OrderExtension {
    pub shipping_assignments: Option<Vec<ShippingAssignment>>,
}

/// One `shipping_assignments[]` entry.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a shipping assignment object")]
pub struct ShippingAssignment {
    pub shipping: Option<Shipping>,
}

/// `shipping_assignments[].shipping`.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a shipping object")]
pub struct Shipping {
    pub address: Option<RawAddress>,
    pub method: Field,
}

impl ChannelOrder for RawOrder {
    const NAME: &'static str = "Adobe Commerce order";
    const SHAPE: &'static str = "an Adobe Commerce order";
    const ID_FIELD: &'static str = "entity_id";
    fn id(&self) -> &Field {
        &self.entity_id
    }
}
