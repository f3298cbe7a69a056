//! The combined v0 document `{"order", "items", "address"}`: finding the
//! orders, item pages and address in it and pairing them by
//! `AmazonOrderId`; and the errors for v0 responses sent alone.

use serde_json::{Map, Value};
use weft_sdk::order::Order;
use weft_sdk::PluginError;

use crate::json::{self, text};
use crate::Event;

const HOW: &str = "send {\"order\": <getOrder or getOrders response>, \"items\": <getOrderItems response, or an array of them>}";

/// One `getOrderItems` page: its order id, items and `NextToken`.
struct Page<'a> {
    order_id: Option<String>,
    items: &'a [Value],
    next_token: Option<String>,
}

/// Maps `{"order": …, "items": …, "address": …}`: every order in `order`
/// must have at least one items page; every page and the address must
/// belong to one of the orders. Pages of one order are concatenated in the
/// order given; when the last of them still has a `NextToken`, items are
/// missing and the document is refused.
pub fn map_combined(obj: &Map<String, Value>) -> Result<Vec<(Order, Event)>, PluginError> {
    let Some(order_doc) = obj.get("order") else {
        return Err(PluginError::invalid(format!(
            "`items`/`address` given without `order`: {HOW}"
        )));
    };
    let (orders, operation) = orders_of(order_doc)?;
    let Some(items_doc) = obj.get("items") else {
        return Err(PluginError::invalid(format!(
            "`order` given without `items`: {HOW}"
        )));
    };
    let pages = pages_of(items_doc)?;
    let ids: Vec<String> = orders
        .iter()
        .map(|o| text(o.get("AmazonOrderId")))
        .collect::<Option<_>>()
        .ok_or_else(|| PluginError::invalid("an order in `order` has no `AmazonOrderId`"))?;
    // Which order each page belongs to.
    let mut owner = Vec::with_capacity(pages.len());
    for (p, page) in pages.iter().enumerate() {
        let index = match &page.order_id {
            Some(id) => ids.iter().position(|o| o == id).ok_or_else(|| {
                PluginError::invalid(format!(
                    "items[{p}] are for order {id}, which is not in `order` ({})",
                    ids.join(", ")
                ))
            })?,
            None if ids.len() == 1 => 0,
            None => {
                return Err(PluginError::invalid(format!(
                    "items[{p}] has no `AmazonOrderId` to tell which of {} orders it belongs to",
                    ids.len()
                )))
            }
        };
        owner.push(index);
    }
    let address = match obj.get("address") {
        None | Some(Value::Null) => None,
        Some(a) => Some(address_of(a, &ids)?),
    };

    let mut out = Vec::with_capacity(orders.len());
    for (index, (order, id)) in orders.iter().zip(&ids).enumerate() {
        let mine: Vec<&Page> = pages
            .iter()
            .zip(&owner)
            .filter(|(_, o)| **o == index)
            .map(|(p, _)| p)
            .collect();
        let Some(last) = mine.last() else {
            return Err(PluginError::invalid(format!(
                "order {id} has no getOrderItems response in `items`"
            )));
        };
        if let Some(token) = &last.next_token {
            return Err(PluginError::invalid(format!(
                "order {id}: the getOrderItems response has a NextToken (`{}`): more items pages exist; include every page in `items`",
                json::clip(token)
            )));
        }
        let items: Vec<&Value> = mine.iter().flat_map(|p| p.items.iter()).collect();
        if items.is_empty() {
            return Err(PluginError::invalid(format!(
                "order {id}: the getOrderItems response has no OrderItems"
            )));
        }
        let addr = address.filter(|(owner, _)| *owner == index).map(|(_, a)| a);
        out.push(super::map_order(order, &items, addr, operation)?);
    }
    Ok(out)
}

/// The order objects of a page and the name of the list they were in.
type Orders<'a> = (Vec<&'a Map<String, Value>>, &'static str);

/// The orders of a getOrder/getOrders response or a bare order.
fn orders_of(v: &Value) -> Result<Orders<'_>, PluginError> {
    let obj = v.as_object().ok_or_else(|| {
        PluginError::invalid(format!(
            "`order` must be an object, found `{}`",
            json::short(v)
        ))
    })?;
    let payload = match obj.get("payload") {
        Some(Value::Object(p)) => p,
        Some(other) => {
            return Err(PluginError::invalid(format!(
                "`order.payload` must be an object, found `{}`",
                json::short(other)
            )))
        }
        None if obj.contains_key("AmazonOrderId") => return Ok((vec![obj], "order")),
        None => {
            return Err(PluginError::invalid(
                "`order` is neither a getOrder/getOrders response nor an Orders v0 order (no `payload`, no `AmazonOrderId`)",
            ))
        }
    };
    if let Some(list) = payload.get("Orders") {
        let list = list
            .as_array()
            .ok_or_else(|| PluginError::invalid("`order.payload.Orders` must be an array"))?;
        let orders = list
            .iter()
            .enumerate()
            .map(|(i, o)| {
                o.as_object().ok_or_else(|| {
                    PluginError::invalid(format!("`order.payload.Orders[{i}]` must be an object"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if orders.is_empty() {
            return Err(PluginError::invalid(
                "the getOrders response in `order` has no Orders",
            ));
        }
        return Ok((orders, "getOrders"));
    }
    if payload.contains_key("AmazonOrderId") {
        return Ok((vec![payload], "getOrder"));
    }
    Err(PluginError::invalid(
        "`order.payload` has neither `Orders` (getOrders) nor `AmazonOrderId` (getOrder)",
    ))
}

/// The getOrderItems pages in `items` (one response or an array of them;
/// a response's `payload` or the payload itself).
fn pages_of(v: &Value) -> Result<Vec<Page<'_>>, PluginError> {
    let docs: Vec<&Value> = match v {
        Value::Array(list) => list.iter().collect(),
        other => vec![other],
    };
    docs.into_iter()
        .enumerate()
        .map(|(p, doc)| {
            let obj = doc.as_object().map(|o| match o.get("payload") {
                Some(Value::Object(payload)) => payload,
                _ => o,
            });
            let items = obj
                .and_then(|o| o.get("OrderItems"))
                .and_then(Value::as_array);
            match (obj, items) {
                (Some(obj), Some(items)) => Ok(Page {
                    order_id: text(obj.get("AmazonOrderId")),
                    items,
                    next_token: text(obj.get("NextToken")),
                }),
                _ => Err(PluginError::invalid(format!(
                    "items[{p}] is not a getOrderItems response (no `payload.OrderItems` array)"
                ))),
            }
        })
        .collect()
}

/// The getOrderAddress payload in `address` and the index of its order.
fn address_of<'a>(
    v: &'a Value,
    ids: &[String],
) -> Result<(usize, &'a Map<String, Value>), PluginError> {
    let obj = v.as_object().map(|o| match o.get("payload") {
        Some(Value::Object(payload)) => payload,
        _ => o,
    });
    let Some(obj) = obj.filter(|o| o.contains_key("ShippingAddress")) else {
        return Err(PluginError::invalid(
            "`address` is not a getOrderAddress response (no `payload.ShippingAddress`)",
        ));
    };
    let index = match text(obj.get("AmazonOrderId")) {
        Some(id) => ids.iter().position(|o| *o == id).ok_or_else(|| {
            PluginError::invalid(format!(
                "`address` is for order {id}, which is not in `order`"
            ))
        })?,
        None if ids.len() == 1 => 0,
        None => {
            return Err(PluginError::invalid(
                "`address` has no `AmazonOrderId` to tell which order it belongs to",
            ))
        }
    };
    Ok((index, obj))
}

/// The error for a v0 response sent on its own, saying what it is and
/// what to send instead.
pub fn needs_items(doc: &Value) -> PluginError {
    let payload = doc
        .get("payload")
        .or_else(|| doc.get("order").and_then(|o| o.get("payload")))
        .or_else(|| doc.get("order"))
        .unwrap_or(doc);
    let id = text(payload.get("AmazonOrderId"));
    let named = |what: &str| match &id {
        Some(id) => format!("{what} for order {id}"),
        None => what.to_string(),
    };
    let reason = if payload.get("OrderItems").is_some() {
        format!(
            "{} is not an order on its own (it has no order header: dates, status, totals); {HOW}",
            named("an Orders v0 getOrderItems response")
        )
    } else if let Some(list) = payload.get("Orders").and_then(Value::as_array) {
        let ids: Vec<String> = list
            .iter()
            .filter_map(|o| text(o.get("AmazonOrderId")))
            .collect();
        format!(
            "an Orders v0 getOrders response (orders {}) carries no order items, and a canonical order needs its lines; {HOW}",
            ids.join(", ")
        )
    } else if payload.get("ShippingAddress").is_some()
        && payload.get("PurchaseDate").is_none()
        && payload.get("OrderStatus").is_none()
    {
        format!(
            "{} is not an order; send it as `address` next to `order` and `items`",
            named("an Orders v0 getOrderAddress response")
        )
    } else if payload.get("ShipmentId").is_some()
        && (payload.get("Label").is_some() || payload.get("ShippingService").is_some())
    {
        format!(
            "{} is not an order (Merchant Fulfillment shipments and labels are not read)",
            named(&format!(
                "a Merchant Fulfillment getShipment response (shipment {})",
                text(payload.get("ShipmentId")).unwrap_or_else(|| "?".into())
            ))
        )
    } else if payload.get("AmazonOrderId").is_some() {
        let what = if doc.get("payload").is_some() {
            "an Orders v0 getOrder response"
        } else {
            "an Orders v0 order"
        };
        format!(
            "{} carries no order items, and a canonical order needs its lines; {HOW}",
            named(what)
        )
    } else {
        format!(
            "expected an SP-API order document; found a `payload` of another kind ({}); {HOW}",
            weft_sdk::text::json_shape(payload)
        )
    };
    PluginError::invalid(reason)
}
