//! Which Adobe Commerce document a payload is, told by its shape.
//!
//! | shape | document |
//! |---|---|
//! | object with `entity_id`/`items`, no `order_id` | order (`GET /V1/orders/{id}`) |
//! | `{"items": [orders…], "search_criteria"/"total_count": …}` | order search result |
//! | object with `order_id` and `grand_total`, `can_void_flag` or items with `order_item_id` | invoice (`GET /V1/invoices/{id}`) |
//! | `{"items": [invoices…], "total_count": …}` | invoice search result |
//! | `items` with `order_item_id`, no `entity_id`, plus `tracks`, `packages` or `arguments.extension_attributes.source_code` | ship request (`POST /V1/order/{id}/ship`) |
//! | the same plus `arguments.shipping_amount`, `adjustment_positive`, `adjustment_negative` or `return_to_stock_items` | refund request (`POST /V1/order/{id}/refund`) |
//! | `{"source_selection_items": […], "shippable": …}` | MSI source selection result |
//!
//! An action request that shows neither ship nor refund keys (`{"items":
//! […]}` only) is told by the `x-adobe-commerce-request` header (`POST
//! /V1/order/3/ship`). Shipments (`tracks` with an `order_id`), credit
//! memos, invoice requests (`capture`) and anything else are refused,
//! saying what they look like.

use serde_json::{Map, Value};
use weft_sdk::order_map::{self, FoundOrder};
use weft_sdk::PluginError;

/// An action a request body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `POST /V1/order/{id}/ship`.
    Ship,
    /// `POST /V1/order/{id}/refund`.
    Refund,
    /// `POST /V1/order/{id}/invoice`.
    Invoice,
}

impl Action {
    /// `a ship`, `a refund`, `an invoice`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Ship => "a ship",
            Action::Refund => "a refund",
            Action::Invoice => "an invoice",
        }
    }
}

/// What a payload holds.
#[derive(Debug)]
pub enum Doc {
    /// Orders (one, or a search result's).
    Orders(Vec<FoundOrder>),
    /// Invoices, with their place for errors (`""`, `items[1]: `).
    Invoices(Vec<(String, Map<String, Value>)>),
    /// A ship request body.
    Ship(Map<String, Value>),
    /// A refund request body.
    Refund(Map<String, Value>),
    /// An MSI source selection result.
    Selection(Map<String, Value>),
}

/// Reads a payload and tells which document it is; `announced` is the
/// action the request header names, when it does.
pub fn classify(payload: &[u8], announced: Option<Action>) -> Result<Doc, PluginError> {
    let doc = order_map::json_payload(payload)?;
    let Value::Object(mut top) = doc else {
        return Err(not_a_document(&doc, ""));
    };
    if top.contains_key("source_selection_items") {
        return Ok(Doc::Selection(top));
    }
    if !is_search_result(&top) {
        return match kind_of(&top, announced) {
            Kind::Order => Ok(Doc::Orders(vec![FoundOrder {
                place: String::new(),
                object: top,
            }])),
            Kind::Invoice => Ok(Doc::Invoices(vec![(String::new(), top)])),
            Kind::Request(Action::Ship) => Ok(Doc::Ship(top)),
            Kind::Request(Action::Refund) => Ok(Doc::Refund(top)),
            Kind::Request(Action::Invoice) | Kind::Refused => Err(refusal(&top, "", announced)),
        };
    }
    let items = match top.remove("items") {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(_) => {
            return Err(PluginError::invalid(
                "search result `items` is not an array of orders or invoices",
            ))
        }
    };
    if items.is_empty() {
        return Err(PluginError::invalid(
            "search result has no orders (`items` is empty)",
        ));
    }
    let invoices =
        matches!(items.first(), Some(Value::Object(o)) if kind_of(o, None) == Kind::Invoice);
    let mut orders = Vec::new();
    let mut found_invoices = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let place = format!("items[{index}]: ");
        let Value::Object(object) = item else {
            return Err(not_a_document(&item, &place));
        };
        match kind_of(&object, None) {
            Kind::Invoice if invoices => found_invoices.push((place, object)),
            Kind::Order if !invoices => orders.push(FoundOrder { place, object }),
            Kind::Order => {
                return Err(PluginError::invalid(format!(
                    "{place}expected an Adobe Commerce invoice like items[0], found an order (no `order_id`)"
                )))
            }
            _ => return Err(refusal(&object, &place, None)),
        }
    }
    Ok(if invoices {
        Doc::Invoices(found_invoices)
    } else {
        Doc::Orders(orders)
    })
}

/// `{"items": […], "search_criteria": …, "total_count": …}`; an order has
/// `items` too, but never `search_criteria` or `total_count`.
fn is_search_result(top: &Map<String, Value>) -> bool {
    top.contains_key("search_criteria") || top.contains_key("total_count")
}

/// What one object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Order,
    Invoice,
    Request(Action),
    /// Not mapped (the reason comes from [`refusal`]).
    Refused,
}

fn kind_of(o: &Map<String, Value>, announced: Option<Action>) -> Kind {
    if o.contains_key("order_id") {
        return match belongs_to_order(o) {
            "an invoice" => Kind::Invoice,
            _ => Kind::Refused,
        };
    }
    if is_request(o) {
        return match (action_request(o).0, announced) {
            (Some(a), Some(b)) if a != b => Kind::Refused,
            (Some(action), _) | (None, Some(action)) => Kind::Request(action),
            (None, None) => Kind::Refused,
        };
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
        Kind::Order
    } else {
        Kind::Refused
    }
}

/// What a document with an `order_id` (one that belongs to an order) is.
fn belongs_to_order(o: &Map<String, Value>) -> &'static str {
    if o.contains_key("creditmemo_status")
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
    }
}

/// The reason an object is not mapped, saying what it looks like.
fn refusal(o: &Map<String, Value>, place: &str, announced: Option<Action>) -> PluginError {
    if let Some(order_id) = o.get("order_id") {
        let kind = belongs_to_order(o);
        let number = o
            .get("increment_id")
            .and_then(scalar_text)
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        return PluginError::invalid(format!(
            "{place}{kind}{number} (`order_id` {}) is not mapped: this source maps orders (GET /V1/orders/{{id}}), invoices (GET /V1/invoices/{{id}}), the ship and refund request bodies (POST /V1/order/{{id}}/ship, /refund) and MSI source selection results",
            scalar_text(order_id).unwrap_or_else(|| "?".to_string()),
        ));
    }
    if is_request(o) {
        let (action, what) = action_request(o);
        if let (Some(a), Some(b)) = (action, announced) {
            if a != b {
                return PluginError::invalid(format!(
                    "{place}header `{}` names {} request, but the body is {what}",
                    crate::request::REQUEST_HEADER,
                    b.name()
                ));
            }
        }
        return match action.or(announced) {
            Some(Action::Invoice) => PluginError::invalid(format!(
                "{place}{what}: items with `order_item_id` and no `entity_id` is not mapped (it creates an invoice, which GET /V1/invoices/{{id}} returns with its amounts)"
            )),
            Some(_) => PluginError::invalid(format!(
                "{place}{what} is not mapped inside a search result; send each request body on its own"
            )),
            None => PluginError::invalid(format!(
                "{place}{what}: items with `order_item_id` and no `entity_id`, without `tracks`, `packages`, `source_code`, refund `arguments` or `capture` to tell which; name the request in header `{}` (e.g. `POST /V1/order/3/ship`)",
                crate::request::REQUEST_HEADER
            )),
        };
    }
    not_a_document(&Value::Object(o.clone()), place)
}

/// An order action's request body: no `entity_id` of its own, items that
/// point at order items or the keys of an action (`tracks`, refund
/// `arguments`, `capture`, …).
fn is_request(o: &Map<String, Value>) -> bool {
    !o.contains_key("entity_id")
        && !o.contains_key("order_id")
        && (items_have(o, "order_item_id") || action_request(o).0.is_some())
}

/// What an order action's request body (items that point at order items,
/// no id of its own) is for, from its other keys: the action, when they
/// tell, and its description.
fn action_request(o: &Map<String, Value>) -> (Option<Action>, &'static str) {
    let arguments = o.get("arguments").and_then(Value::as_object);
    let argument = |k: &str| arguments.is_some_and(|a| a.contains_key(k));
    let extension = |k: &str| {
        arguments
            .and_then(|a| a.get("extension_attributes"))
            .and_then(Value::as_object)
            .is_some_and(|e| e.contains_key(k))
    };
    if o.contains_key("tracks") || o.contains_key("packages") || extension("source_code") {
        (
            Some(Action::Ship),
            "a ship request (the body of POST /V1/order/{id}/ship)",
        )
    } else if argument("adjustment_positive")
        || argument("adjustment_negative")
        || argument("shipping_amount")
        || extension("return_to_stock_items")
    {
        (
            Some(Action::Refund),
            "a refund request (the body of POST /V1/order/{id}/refund)",
        )
    } else if o.contains_key("capture") {
        (
            Some(Action::Invoice),
            "an invoice request (the body of POST /V1/order/{id}/invoice)",
        )
    } else {
        (
            None,
            "the body of an order action request (ship, invoice or refund)",
        )
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

/// The error for valid JSON that is no document this source maps.
fn not_a_document(found: &Value, place: &str) -> PluginError {
    let found = weft_sdk::text::json_shape(found);
    PluginError::invalid(format!(
        "{place}expected an Adobe Commerce order (GET /V1/orders/{{id}}: an object with `entity_id` and `items`, or a search result with `items`), invoice, ship or refund request body, or source selection result; found {found}"
    ))
}
