//! weft source `amazon-orders`: Amazon Selling Partner API orders →
//! canonical `weft.order/1` messages, one per order.
//!
//! The variant is told from the document's shape:
//!
//! | input | output |
//! |---|---|
//! | Orders 2026-01-01 `searchOrders` response (`{"orders": […]}`) | one message per order |
//! | Orders 2026-01-01 `getOrder` response (`{"order": {"orderId", …}}`) or a bare order | one message |
//! | `{"order": <v0 getOrder / getOrders response or order>, "items": <v0 getOrderItems response, or an array of them>, "address": <getOrderAddress response>?}` | one message per v0 order |
//! | `ORDER_CHANGE` notification (`"NotificationType": "ORDER_CHANGE"`) | one `order.updated` / `order.cancelled` |
//!
//! Orders v0 returns an order's items only from `getOrderItems`, and a
//! canonical order needs at least one line, so a v0 `getOrder` or
//! `getOrders` response alone, a `getOrderItems` response alone and a
//! `getOrderAddress` response alone are refused (`invalid`, saying what to
//! send instead) rather than mapped to an order without lines.
//!
//! Kinds: an order whose status is cancelled (`Canceled` in v0 and
//! notifications, `CANCELLED` in 2026-01-01) is `order.cancelled`; other
//! polled orders are `order.created`; an `ORDER_CHANGE` notification is
//! `order.updated`. A buyer's cancellation *request* (`ChangeReason`
//! "Buyer Requested Cancel", `IsBuyerRequestedCancel`) is not a
//! cancellation: the seller still has to accept it, so while the status is
//! not cancelled the notification stays `order.updated` and the request is
//! reported in `source`.
//!
//! Message ids are derived from the order: `amazon:<AmazonOrderId>:<kind>`,
//! updates adding the time of the change
//! (`amazon:<id>:order.updated:<TimeOfOrderChange>`), so a replayed
//! document yields the same ids. The correlation id is
//! `amazon:<AmazonOrderId>`.
//!
//! Amounts: every amount that goes into the lines and totals must be in
//! the order's currency (that of `OrderTotal` / `grandTotal`, else of the
//! first item price); one in another currency fails the document
//! (`invalid`, naming the field) instead of being summed with the others.
//! Other charges the buyer pays (gift wrap, COD fee net of its discount,
//! delivery tip, …) are summed into `totals.other_charges` (tax on them
//! goes to `totals.tax`), so `total = subtotal − discount + shipping +
//! other_charges + tax` holds, and each is also listed in
//! `source.other_charges` with its type and its own currency. Only charges
//! in the order's currency are summed: a `GiftWrapPrice` in GBP on a JPY
//! order stays listed in `source.other_charges` as GBP and is never added
//! to anything, so such an order's total does not balance. Absent amounts (a `Pending` order has no
//! `OrderTotal`) stay absent; flags may be JSON booleans or the strings
//! `"true"`/`"false"`.
//!
//! A v0 order whose `getOrderItems` response still has a `NextToken` is
//! refused (more items exist); so is a page or an address whose
//! `AmazonOrderId` is not one of the orders sent.

mod json;
mod notification;
mod v0;
mod v2026;

use serde_json::Value;
use weft_sdk::order::{kinds, Order};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `amazon-orders` source plugin.
pub struct AmazonOrders;

/// The channel code of every order this plugin emits.
pub const CHANNEL: &str = "amazon";

impl Plugin for AmazonOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info("amazon-orders", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("Amazon SP-API orders (v0 and 2026-01-01) and ORDER_CHANGE notifications -> canonical weft.order/1")
            .accepts(["raw"])
            .emits([kinds::CREATED, kinds::UPDATED, kinds::CANCELLED])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let doc = weft_sdk::order_map::json_payload(&msg.payload)?;
        // Reasons quote the document (ids, keys): kept on one line.
        let mapped = read(&doc).map_err(PluginError::one_line)?;
        mapped
            .into_iter()
            .map(|(order, event)| {
                // An update's id carries the time of the change (else the
                // notification id), so later updates are not dropped as
                // duplicates while a re-sent document still deduplicates.
                let stamp = order
                    .updated_at
                    .clone()
                    .or_else(|| json::text(order.source.get("notification_id")));
                event.message(&order, stamp.as_deref())
            })
            .collect()
    }
}

/// What kind of change a document announces: a polled order is
/// `Created`, an `ORDER_CHANGE` notification `Updated`, an order whose
/// status is cancelled `Cancelled`.
pub use weft_sdk::order::Event;

/// Whether an Amazon status word means cancelled (`Canceled`, `CANCELLED`).
fn is_cancelled(status: Option<&str>) -> bool {
    status
        .is_some_and(|s| s.eq_ignore_ascii_case("canceled") || s.eq_ignore_ascii_case("cancelled"))
}

/// Tells the variant from the shape and maps it.
fn read(doc: &Value) -> Result<Vec<(Order, Event)>, PluginError> {
    let Some(obj) = doc.as_object() else {
        return Err(not_amazon(doc));
    };
    if let Some(errors) = obj.get("errors").filter(|e| !e.is_null()) {
        return Err(PluginError::invalid(format!(
            "the document is an SP-API error response: {}",
            json::short(errors)
        )));
    }
    if obj.contains_key("NotificationType") || obj.contains_key("notificationType") {
        return notification::map(obj).map(|o| vec![o]);
    }
    if let Some(orders) = obj.get("orders") {
        return v2026::map_search(orders);
    }
    if obj.contains_key("items") || obj.contains_key("address") {
        return v0::map_combined(obj);
    }
    match obj.get("order") {
        Some(Value::Object(o)) if o.contains_key("orderId") => {
            return v2026::map_one(o, "getOrder").map(|o| vec![o]);
        }
        Some(Value::Object(_)) => return Err(v0::needs_items(doc)),
        _ => {}
    }
    if obj.contains_key("orderId") && obj.contains_key("orderItems") {
        return v2026::map_one(obj, "order").map(|o| vec![o]);
    }
    if obj.contains_key("payload") || obj.contains_key("AmazonOrderId") {
        return Err(v0::needs_items(doc));
    }
    Err(not_amazon(doc))
}

/// The error for JSON that is none of the supported documents.
fn not_amazon(doc: &Value) -> PluginError {
    let found = match doc {
        Value::Object(map) if map.is_empty() => "an empty object".to_string(),
        Value::Object(map) => {
            let keys: Vec<&str> = map.keys().map(String::as_str).take(12).collect();
            format!("an object with keys: {}", keys.join(", "))
        }
        Value::Array(_) => "an array".into(),
        Value::String(_) => "a string".into(),
        Value::Number(_) => "a number".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Null => "null".into(),
    };
    PluginError::invalid(format!(
        "expected an SP-API Orders 2026-01-01 searchOrders/getOrder response, an ORDER_CHANGE notification or {{\"order\": <Orders v0 order>, \"items\": <getOrderItems response>}}; found {found}"
    ))
}

weft_sdk::export_source!(AmazonOrders);

#[cfg(test)]
mod tests;
