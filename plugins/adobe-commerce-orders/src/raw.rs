//! The parts of an Adobe Commerce (Magento 2) REST order that the mapping
//! reads, and the reading of a payload into them.
//!
//! A payload is `GET /V1/orders/{id}` (one order object) or a search
//! result (`GET /V1/orders?searchCriteria…`: `{"items": [orders…],
//! "search_criteria": …, "total_count": …}`). Other sales documents
//! (invoices, shipments, credit memos) look much like orders but carry the
//! `order_id` they belong to; they are recognised and refused.

use serde::Deserialize;
use serde_json::{Map, Value};
use weft_sdk::PluginError;

use weft_sdk::order_map::{self, ChannelOrder, FoundOrder};
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

/// Reads a payload into the order objects it holds (one, or one per
/// search-result item), refusing anything that is not an order.
pub fn read(payload: &[u8]) -> Result<Vec<FoundOrder>, PluginError> {
    let doc = order_map::json_payload(payload)?;
    let Value::Object(mut top) = doc else {
        return Err(not_an_order(&doc, ""));
    };
    if !is_search_result(&top) {
        check_is_order(&top, "")?;
        return Ok(vec![FoundOrder {
            place: String::new(),
            object: top,
        }]);
    }
    let items = match top.remove("items") {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(_) => {
            return Err(PluginError::invalid(
                "search result `items` is not an array of orders",
            ))
        }
    };
    if items.is_empty() {
        return Err(PluginError::invalid(
            "search result has no orders (`items` is empty)",
        ));
    }
    let mut found = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let place = format!("items[{index}]: ");
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

/// `{"items": […], "search_criteria": …, "total_count": …}`; an order has
/// `items` too, but never `search_criteria` or `total_count`.
fn is_search_result(top: &Map<String, Value>) -> bool {
    top.contains_key("search_criteria") || top.contains_key("total_count")
}

/// Refuses sales documents other than orders, saying what they look like.
fn check_is_order(o: &Map<String, Value>, place: &str) -> Result<(), PluginError> {
    if let Some(order_id) = o.get("order_id") {
        let kind = if o.contains_key("creditmemo_status")
            || o.contains_key("adjustment_positive")
            || o.contains_key("adjustment_negative")
        {
            "a credit memo"
        } else if o.contains_key("tracks") || o.contains_key("packages") {
            "a shipment"
        } else if o.contains_key("can_void_flag")
            || o.contains_key("grand_total")
            || items_have(o, "order_item_id")
        {
            "an invoice"
        } else {
            "a document that belongs to an order"
        };
        let number = o
            .get("increment_id")
            .and_then(scalar_text)
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        return Err(PluginError::invalid(format!(
            "{place}expected an Adobe Commerce order, but this looks like {kind}{number}: it has `order_id` {} (the order it belongs to){}; fetch the order itself with GET /V1/orders/{{id}}",
            scalar_text(order_id).unwrap_or_else(|| "?".to_string()),
            if items_have(o, "order_item_id") {
                " and items with `order_item_id`"
            } else {
                ""
            }
        )));
    }
    if !o.contains_key("entity_id") && items_have(o, "order_item_id") {
        return Err(PluginError::invalid(format!(
            "{place}expected an Adobe Commerce order, but this looks like {}: items with `order_item_id` and no `entity_id`; fetch the order itself with GET /V1/orders/{{id}}",
            action_request(o)
        )));
    }
    let looks_like_order = [
        "entity_id",
        "increment_id",
        "items",
        "grand_total",
        "status",
    ]
    .iter()
    .any(|k| o.contains_key(*k));
    if looks_like_order {
        Ok(())
    } else {
        Err(not_an_order(&Value::Object(o.clone()), place))
    }
}

/// What an order action's request body (items that point at order items,
/// no id of its own) is for, from its other keys.
fn action_request(o: &Map<String, Value>) -> &'static str {
    let arguments = o.get("arguments").and_then(Value::as_object);
    let argument = |k: &str| arguments.is_some_and(|a| a.contains_key(k));
    let extension = |k: &str| {
        arguments
            .and_then(|a| a.get("extension_attributes"))
            .and_then(Value::as_object)
            .is_some_and(|e| e.contains_key(k))
    };
    if o.contains_key("tracks") || o.contains_key("packages") || extension("source_code") {
        "a ship request (the body of POST /V1/order/{id}/ship)"
    } else if argument("adjustment_positive")
        || argument("adjustment_negative")
        || argument("shipping_amount")
        || extension("return_to_stock_items")
    {
        "a refund request (the body of POST /V1/order/{id}/refund)"
    } else if o.contains_key("capture") {
        "an invoice request (the body of POST /V1/order/{id}/invoice)"
    } else {
        "the body of an order action request (ship, invoice or refund)"
    }
}

fn items_have(o: &Map<String, Value>, key: &str) -> bool {
    match o.get("items") {
        Some(Value::Array(items)) => items
            .iter()
            .any(|i| i.as_object().is_some_and(|i| i.contains_key(key))),
        _ => false,
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The error for valid JSON that is not an order, saying what was found.
fn not_an_order(found: &Value, place: &str) -> PluginError {
    let found = weft_sdk::text::json_shape(found);
    PluginError::invalid(format!(
        "{place}expected an Adobe Commerce order (GET /V1/orders/{{id}}: an object with `entity_id` and `items`, or a search result with `items`); found {found}"
    ))
}
