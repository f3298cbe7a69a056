//! `ORDER_STATUS_CHANGE` notifications (deprecated by Amazon in favour of
//! `ORDER_CHANGE`, still delivered to old subscriptions): one notification
//! per order ITEM, with the order's `OrderStatus`.
//!
//! - `Shipped` → `shipment.dispatched`: the item's shipment,
//!   `shipment_id` `{AmazonOrderId}:{OrderItemId}` (each item comes in a
//!   notification of its own, so one shipment per order would lose the
//!   others), quantity `Quantity`; without an item, the `fulfilled`
//!   milestone of the order (`shipment_id` the order id, no packages).
//! - `Canceled` → `order.cancelled` with the item as its one line.
//! - other statuses (`Pending`, `Unshipped`, …) → nothing, by design (as
//!   for `ORDER_CHANGE`).
//!
//! `EventTime` is the only time of the change the notification gives: it
//! is `shipped_at` / `cancelled_at`. `PurchaseDate` is an epoch number
//! (milliseconds) in Amazon's example: it is kept as given in
//! `source.purchase_date` and `ordered_at` stays absent (converting it
//! would be guessing its unit); an RFC 3339 `PurchaseDate` is `ordered_at`.
//! A seller subscribed to both `ORDER_STATUS_CHANGE` and `ORDER_CHANGE`
//! should feed only one of them: their shipment ids differ.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::host::{log, LogLevel};
use weft_sdk::money;
use weft_sdk::order::{Address, Order, OrderLine, ORDER_SCHEMA};
use weft_sdk::shipment::{status, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA};
use weft_sdk::{Message, PluginError};

use crate::json::{self, text};
use crate::lifecycle::{correlation, digest, required};
use crate::{is_cancelled, Event, CHANNEL};

/// Maps an `ORDER_STATUS_CHANGE` notification.
pub fn map(doc: &Map<String, Value>) -> Result<Vec<Message>, PluginError> {
    let n = doc
        .get("Payload")
        .and_then(|p| p.get("OrderStatusChangeNotification"))
        .and_then(Value::as_object)
        .ok_or_else(|| {
            PluginError::invalid(
                "ORDER_STATUS_CHANGE notification has no `Payload.OrderStatusChangeNotification`",
            )
        })?;
    let base = "Payload.OrderStatusChangeNotification";
    let order_id = required(n, "AmazonOrderId", &format!("{base}.AmazonOrderId"))?;
    let err = |e: PluginError| e.prefixed(&format!("order {order_id}: "));
    let order_status = required(n, "OrderStatus", &format!("{base}.OrderStatus")).map_err(err)?;
    let shipped = order_status.eq_ignore_ascii_case("Shipped");
    if !shipped && !is_cancelled(Some(&order_status)) {
        log(
            LogLevel::Info,
            &format!(
                "ORDER_STATUS_CHANGE for order {order_id}: status {} is no shipment or cancellation; nothing to map",
                json::clip(&order_status)
            ),
        );
        return Ok(Vec::new());
    }
    let at = json::timestamp(doc.get("EventTime"), "EventTime").map_err(err)?;
    let item_id = text(n.get("OrderItemId"));
    let quantity = json::quantity(n.get("Quantity"), &format!("{base}.Quantity")).map_err(err)?;
    let sku = text(n.get("SellerSKU"));

    let mut source = BTreeMap::new();
    source.insert("document".into(), Value::from("amazon.order_status_change"));
    source.insert("api".into(), Value::from("notifications"));
    source.insert(
        "notification_type".into(),
        Value::from("ORDER_STATUS_CHANGE"),
    );
    source.insert("order_status".into(), Value::from(order_status.clone()));
    let meta = doc.get("NotificationMetadata").and_then(Value::as_object);
    for (key, obj, field) in [
        ("event_time", Some(doc), "EventTime"),
        ("notification_id", meta, "NotificationId"),
        ("seller_id", Some(n), "SellerId"),
        ("marketplace_id", Some(n), "MarketplaceId"),
        ("fulfillment_channel", Some(n), "FulfillmentChannel"),
        ("supply_source_id", Some(n), "SupplySourceId"),
    ] {
        if let Some(v) = obj.and_then(|o| text(o.get(field))) {
            source.insert(key.into(), Value::from(v));
        }
    }
    let purchase = n.get("PurchaseDate").filter(|v| !v.is_null());
    let ordered_at = match purchase {
        Some(Value::String(s)) if json::is_rfc3339(s.trim()) => Some(s.trim().to_string()),
        Some(other) => {
            source.insert("purchase_date".into(), other.clone());
            None
        }
        None => None,
    };
    let ship_to = text(n.get("DestinationPostalCode")).map(|p| Address {
        postal_code: Some(p),
        ..Default::default()
    });
    let correlation_id = correlation(&order_id);

    if !shipped {
        let order = Order {
            schema: ORDER_SCHEMA.to_string(),
            order_number: Some(order_id.clone()),
            channel: CHANNEL.to_string(),
            correlation_id,
            purpose: Event::Cancelled.purpose().to_string(),
            status: Some(order_status),
            ordered_at,
            updated_at: at.clone(),
            cancelled_at: at,
            ship_to,
            // The item, when the notification gives it with a quantity
            // (a cancellation may name no lines).
            lines: quantity
                .map(|q| OrderLine {
                    line_id: item_id.unwrap_or_else(|| "1".to_string()),
                    sku,
                    quantity: money::format_qty(q),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            source,
            order_id,
            ..Default::default()
        };
        return Ok(vec![Event::Cancelled.message(&order, None)?]);
    }

    let (shipment_id, state, packages) = match (quantity, &item_id) {
        (Some(q), Some(item)) => (
            format!("{order_id}:{item}"),
            status::SHIPPED,
            vec![Package {
                items: vec![ShippedItem {
                    item: ItemIds {
                        sku,
                        ..Default::default()
                    },
                    quantity: money::format_qty(q),
                    order_id: Some(order_id.clone()),
                    line_id: item_id.clone(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
        ),
        _ => (order_id.clone(), status::FULFILLED, Vec::new()),
    };
    let stamp = at
        .clone()
        .or_else(|| text(source.get("notification_id")))
        .unwrap_or_else(|| digest(&Value::Object(n.clone())));
    let shipment = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: shipment_id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id],
        status: Some(state.to_string()),
        shipped_at: at,
        ship_to,
        packages,
        source,
        ..Default::default()
    };
    let id = format!("{CHANNEL}:shipment:{shipment_id}:{state}:{stamp}");
    Ok(vec![Message::json(
        id,
        correlation_id.as_str(),
        DISPATCHED,
        &shipment,
    )?])
}
