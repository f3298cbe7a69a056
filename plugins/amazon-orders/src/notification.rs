//! `ORDER_CHANGE` notifications (Notifications API, payload version 1.0).
//!
//! The notification's `Summary` carries the order's status, dates and
//! items (SKU and quantity, no prices), so the canonical order has lines
//! without prices and no totals; the ship-to is the destination postal
//! code alone.
//!
//! Kind rule: `order.cancelled` when `Summary.OrderStatus` is `Canceled`;
//! otherwise `order.updated`, including when the change is a buyer's
//! cancellation request (`ChangeReason` "Buyer Requested Cancel",
//! `IsBuyerRequestedCancel` on items) on an order that is still, say,
//! `Unshipped`: the seller has not cancelled it yet. Such requests are
//! reported in `source.buyer_cancel_requested` and
//! `source.buyer_cancel_requests`. `updated_at` is the trigger's
//! `TimeOfOrderChange` (not `EventTime`, which may be older).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use weft_sdk::money;
use weft_sdk::order::{Address, Order, OrderLine, ORDER_SCHEMA};
use weft_sdk::PluginError;

use crate::json::{self, text};
use crate::{is_cancelled, Event, CHANNEL};

/// A `source` field: its name, the object it is read from and the key there.
type Field<'a> = (&'a str, Option<&'a Map<String, Value>>, &'a str);

/// Maps an `ORDER_CHANGE` notification.
pub fn map(doc: &Map<String, Value>) -> Result<(Order, Event), PluginError> {
    let kind = text(
        doc.get("NotificationType")
            .or_else(|| doc.get("notificationType")),
    )
    .unwrap_or_default();
    if kind != "ORDER_CHANGE" {
        return Err(PluginError::invalid(format!(
            "notification type `{}` is not supported (only ORDER_CHANGE)",
            json::clip(&kind)
        )));
    }
    let change = doc
        .get("Payload")
        .and_then(|p| p.get("OrderChangeNotification"))
        .and_then(Value::as_object)
        .ok_or_else(|| {
            PluginError::invalid(
                "ORDER_CHANGE notification has no `Payload.OrderChangeNotification`",
            )
        })?;
    let order_id = text(change.get("AmazonOrderId")).ok_or_else(|| {
        PluginError::invalid(
            "ORDER_CHANGE notification has no `Payload.OrderChangeNotification.AmazonOrderId`",
        )
    })?;
    let err = |e: PluginError| match e {
        PluginError::Invalid(r) => PluginError::invalid(format!("order {order_id}: {r}")),
        other => other,
    };
    let summary = change.get("Summary").and_then(Value::as_object);
    let trigger = change.get("OrderChangeTrigger").and_then(Value::as_object);
    let status = summary.and_then(|s| text(s.get("OrderStatus")));
    let reason = trigger.and_then(|t| text(t.get("ChangeReason")));
    let cancelled = is_cancelled(status.as_deref());
    let event = if cancelled {
        Event::Cancelled
    } else {
        Event::Updated
    };

    let items = summary
        .and_then(|s| s.get("OrderItems"))
        .and_then(Value::as_array)
        .filter(|i| !i.is_empty())
        .ok_or_else(|| {
            err(PluginError::invalid(
                "the notification's Summary has no OrderItems",
            ))
        })?;
    let mut lines = Vec::with_capacity(items.len());
    let mut requests = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let line_id = text(item.get("OrderItemId")).unwrap_or_else(|| (i + 1).to_string());
        let path = format!("Summary.OrderItems[{i}] (OrderItemId {line_id}) Quantity");
        let quantity = json::quantity(item.get("Quantity"), &path)
            .map_err(err)?
            .ok_or_else(|| err(PluginError::invalid(format!("{path} is missing"))))?;
        if json::flag(item.get("IsBuyerRequestedCancel")) == Some(true) {
            requests.push(json!({ "line_id": line_id }));
        }
        lines.push(OrderLine {
            sku: text(item.get("SellerSKU")),
            quantity: money::format_qty(quantity),
            line_id,
            ..Default::default()
        });
    }

    let mut source = BTreeMap::new();
    source.insert("document".into(), Value::from("amazon.order_change"));
    source.insert("api".into(), Value::from("notifications"));
    source.insert("notification_type".into(), Value::from(kind));
    let meta = doc.get("NotificationMetadata").and_then(Value::as_object);
    let fields: [Field<'_>; 12] = [
        ("notification_version", Some(doc), "NotificationVersion"),
        ("payload_version", Some(doc), "PayloadVersion"),
        ("event_time", Some(doc), "EventTime"),
        ("notification_id", meta, "NotificationId"),
        ("publish_time", meta, "PublishTime"),
        ("seller_id", Some(change), "SellerId"),
        ("notification_level", Some(change), "NotificationLevel"),
        ("order_change_type", Some(change), "OrderChangeType"),
        ("change_reason", trigger, "ChangeReason"),
        ("marketplace_id", summary, "MarketplaceId"),
        ("fulfillment_type", summary, "FulfillmentType"),
        ("order_type", summary, "OrderType"),
    ];
    for (key, obj, field) in fields {
        if let Some(v) = obj.and_then(|o| text(o.get(field))) {
            source.insert(key.into(), Value::from(v));
        }
    }
    let buyer_cancel = reason
        .as_deref()
        .is_some_and(|r| r.to_ascii_lowercase().contains("cancel"))
        || !requests.is_empty();
    if buyer_cancel {
        source.insert("buyer_cancel_requested".into(), Value::from(true));
    }
    if !requests.is_empty() {
        source.insert("buyer_cancel_requests".into(), Value::Array(requests));
    }

    let changed_at = trigger
        .map(|t| {
            json::timestamp(
                t.get("TimeOfOrderChange"),
                "OrderChangeTrigger.TimeOfOrderChange",
            )
        })
        .transpose()
        .map_err(err)?
        .flatten();
    let ship_to = summary
        .and_then(|s| text(s.get("DestinationPostalCode")))
        .map(|postal_code| Address {
            postal_code: Some(postal_code),
            ..Default::default()
        });
    let order = Order {
        schema: ORDER_SCHEMA.to_string(),
        order_number: Some(order_id.clone()),
        channel: CHANNEL.to_string(),
        correlation_id: format!("{CHANNEL}:{order_id}"),
        purpose: event.purpose().to_string(),
        status,
        ordered_at: summary
            .map(|s| json::timestamp(s.get("PurchaseDate"), "Summary.PurchaseDate"))
            .transpose()
            .map_err(err)?
            .flatten(),
        updated_at: changed_at.clone(),
        cancelled_at: if cancelled { changed_at } else { None },
        cancel_reason: if cancelled { reason } else { None },
        ship_to,
        lines,
        source,
        order_id,
        ..Default::default()
    };
    Ok((order, event))
}
