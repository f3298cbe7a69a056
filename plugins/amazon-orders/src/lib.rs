//! weft source `amazon-orders`: Amazon Selling Partner API documents of an
//! order's lifecycle → canonical documents.
//!
//! The variant is told from the document's shape:
//!
//! | input | output |
//! |---|---|
//! | Orders 2026-01-01 `searchOrders` response (`{"orders": […]}`) | one `order.created` / `order.cancelled` per order |
//! | Orders 2026-01-01 `getOrder` response (`{"order": {"orderId", …}}`) or a bare order | one order message |
//! | `{"order": <v0 getOrder / getOrders response or order>, "items": <v0 getOrderItems response, or an array of them>, "address": <getOrderAddress response>?}` | one order message per v0 order |
//! | `ORDER_CHANGE` notification | `Shipped` → `shipment.dispatched`; `Canceled` → `order.cancelled`; other statuses → nothing ([`notification`]) |
//! | `ORDER_STATUS_CHANGE` notification (deprecated, per item) | the same rule per item ([`status_change`]) |
//! | `FULFILLMENT_ORDER_STATUS` notification (MCF) | shipments per package, `return.completed` / `return.authorized`, `order.cancelled` ([`mcf::notification`]) |
//! | MCF `getFulfillmentOrder` response (`payload.fulfillmentOrder`) | one `shipment.dispatched` per package; returns per return item; `order.cancelled` for a cancelled order ([`mcf`]) |
//! | MCF `getPackageTrackingDetails` response (`payload.packageNumber`) | `shipment.dispatched`, status `delivered` ([`mcf::tracking`]) |
//! | Merchant Fulfillment `getShipment` (`payload.ShipmentId` + `Label`) | `shipment.dispatched` ([`mfn`]) |
//! | Finances 2024-06-19 `listTransactions` (`payload.transactions`) | one `payment.received` per settled `Shipment` transaction ([`finances`]) |
//! | Vendor `getPurchaseOrdersStatus` (`payload.ordersStatus`) | one `order.acknowledged` per acknowledged PO ([`vendor`]) |
//! | Vendor `getShipmentDetails` (`payload.shipments[].vendorShipmentIdentifier`) | one `shipment.dispatched` per shipped vendor shipment ([`vendor::shipments`]) |
//!
//! Orders v0 returns an order's items only from `getOrderItems`, and a
//! canonical order needs at least one line, so a v0 `getOrder` or
//! `getOrders` response alone, a `getOrderItems` response alone and a
//! `getOrderAddress` response alone are refused (`invalid`, saying what to
//! send instead) rather than mapped to an order without lines.
//!
//! Kinds of orders: an order whose status is cancelled (`Canceled` in v0
//! and notifications, `CANCELLED` in 2026-01-01) is `order.cancelled`;
//! other polled orders are `order.created`. A notification is never an
//! `order.updated`: it carries no prices, and a revision without them
//! would replace the order's revenue with nothing. A buyer's cancellation
//! *request* is not a cancellation and maps to nothing.
//!
//! Message ids are derived from the document, so a replayed document
//! yields the same ids: orders `amazon:<AmazonOrderId>:<kind>`; shipments
//! `amazon:shipment:<shipment_id>:<status>:<time of the status>`; returns
//! `amazon:return:<return_id>:<status>`; payments
//! `amazon:transaction:<payment_id>`; acknowledgements
//! `amazon:vendor-po:<PO>:order.acknowledged:<lastUpdatedDate>`. Polled
//! documents that carry no time of their status use a digest of their
//! content instead ([`lifecycle::digest`]), so an unchanged document is a
//! duplicate and a changed one an update. The correlation id is
//! `amazon:<order id>`: the `AmazonOrderId`, the MCF
//! `sellerFulfillmentOrderId`, the vendor `purchaseOrderNumber`.
//!
//! A polled response that states no lifecycle fact (an MCF order still
//! `Processing`, a page of fee transactions, a PO nobody acknowledged) is
//! refused, naming why; a notification that states none emits nothing.
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

mod finances;
mod json;
mod lifecycle;
mod mcf;
mod mfn;
mod notification;
mod status_change;
mod v0;
mod v2026;
mod vendor;

use serde_json::{Map, Value};
use weft_sdk::order::{kinds, Order};
use weft_sdk::order_ack::ACKNOWLEDGED;
use weft_sdk::payment::RECEIVED;
use weft_sdk::returns;
use weft_sdk::shipment::DISPATCHED;
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `amazon-orders` source plugin.
pub struct AmazonOrders;

/// The channel code of every order this plugin emits.
pub const CHANNEL: &str = "amazon";

impl Plugin for AmazonOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info("amazon-orders", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("Amazon SP-API orders (v0 and 2026-01-01), order and MCF notifications, MCF fulfillment orders and package tracking, Merchant Fulfillment shipments, Finances transactions, Vendor PO status and shipments -> canonical weft.order/1, weft.shipment/1, weft.order_ack/1, weft.payment/1, weft.return/1")
            .accepts(["raw"])
            .emits([
                kinds::CREATED,
                kinds::CANCELLED,
                DISPATCHED,
                ACKNOWLEDGED,
                RECEIVED,
                returns::COMPLETED,
                returns::AUTHORIZED,
            ])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let doc = weft_sdk::order_map::json_payload(&msg.payload)?;
        // Reasons quote the document (ids, keys): kept on one line.
        route(&doc).map_err(PluginError::one_line)
    }
}

/// Maps a document: the lifecycle documents to their messages, orders
/// through [`read`].
fn route(doc: &Value) -> Result<Vec<Message>, PluginError> {
    if let Some(obj) = doc.as_object() {
        if let Some(mapped) = lifecycle_document(obj)? {
            return Ok(mapped);
        }
    }
    read(doc)?
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

/// The messages of a notification or of an SP-API response other than an
/// order (told from the keys of its `payload`); `None` for anything else.
fn lifecycle_document(obj: &Map<String, Value>) -> Result<Option<Vec<Message>>, PluginError> {
    if obj.get("errors").is_some_and(|e| !e.is_null()) {
        return Ok(None);
    }
    if let Some(kind) = obj
        .get("NotificationType")
        .or_else(|| obj.get("notificationType"))
    {
        let kind = json::text(Some(kind)).unwrap_or_default();
        return match kind.as_str() {
            "ORDER_CHANGE" => notification::map(obj),
            "ORDER_STATUS_CHANGE" => status_change::map(obj),
            "FULFILLMENT_ORDER_STATUS" => mcf::notification::map(obj),
            other => Err(PluginError::invalid(format!(
                "notification type `{}` is not supported (only ORDER_CHANGE, ORDER_STATUS_CHANGE and FULFILLMENT_ORDER_STATUS)",
                json::clip(other)
            ))),
        }
        .map(Some);
    }
    let Some(Value::Object(payload)) = obj.get("payload") else {
        return Ok(None);
    };
    let mapped = if payload.contains_key("fulfillmentOrder") {
        mcf::map_order(payload)?
    } else if payload.contains_key("packageNumber")
        && (payload.contains_key("currentStatus") || payload.contains_key("trackingEvents"))
    {
        mcf::tracking::map(obj, payload)?
    } else if let Some(Value::Array(t)) = payload.get("transactions") {
        finances::map(t)?
    } else if let Some(Value::Array(o)) = payload.get("ordersStatus") {
        vendor::map_status(o)?
    } else if let Some(Value::Array(s)) = payload.get("shipments").filter(|s| {
        s.get(0)
            .is_some_and(|f| f.get("vendorShipmentIdentifier").is_some())
    }) {
        vendor::shipments::map(s)?
    } else if payload.contains_key("ShipmentId")
        && (payload.contains_key("Label") || payload.contains_key("ShippingService"))
    {
        mfn::map(payload)?
    } else {
        return Ok(None);
    };
    Ok(Some(mapped))
}

/// What kind of change an order document announces: a polled order is
/// `Created`, an order whose status is cancelled `Cancelled`.
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
