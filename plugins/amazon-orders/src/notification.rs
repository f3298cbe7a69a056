//! `ORDER_CHANGE` notifications (Notifications API, payload version 1.0):
//! `OrderStatusChange` and `BuyerRequestedChange`.
//!
//! The notification's `Summary` carries the order's status, dates and
//! items (SKU and quantity, no prices). What it maps to follows
//! `Summary.OrderStatus`:
//!
//! - `Shipped` → `shipment.dispatched` (`weft.shipment/1`): the order's
//!   goods left. The shipment is the order's own shipment record:
//!   `shipment_id` is the `AmazonOrderId` (the notification names no
//!   shipment), `shipped_at` the trigger's `TimeOfOrderChange`, the items
//!   the `OrderItems` (`QuantityShipped` when given, else `Quantity`). A
//!   Shipped notification without items is the `fulfilled` milestone
//!   (`status: "fulfilled"`, no packages): the order is shipped, what was
//!   shipped is not said.
//! - `PartiallyShipped` → the same shipment with the items whose
//!   `QuantityShipped` is above zero (a later revision of the same
//!   `shipment_id`, cumulative); nothing when no item says what shipped.
//! - `Canceled` → `order.cancelled` (`weft.order/1`) exactly as the order
//!   mappings do for a cancelled order: lines without prices (none when
//!   the notification lists no `OrderItems`), no totals,
//!   `cancelled_at` the time of the change, `cancel_reason` the trigger's
//!   `ChangeReason`.
//! - any other status (`Pending`, `Unshipped`, `PendingAvailability`,
//!   `InvoiceUnconfirmed`, `Unfulfillable`) states no lifecycle fact:
//!   **nothing is emitted, by design** (a log line says why). That
//!   includes a buyer's cancellation *request* on an unshipped order
//!   (`ChangeReason` "Buyer Requested Cancel", `IsBuyerRequestedCancel`):
//!   the seller has not cancelled anything yet, and an `order.updated`
//!   without prices would replace the order's revenue with nothing. Every
//!   new Amazon order is announced by such notifications, so refusing them
//!   would fill the dead-letter queue with normal traffic.
//!
//! A notification without `Summary.OrderStatus` is refused (`invalid`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::host::{log, LogLevel};
use weft_sdk::money::{self, Decimal};
use weft_sdk::order::{Address, Order, OrderLine, ORDER_SCHEMA};
use weft_sdk::shipment::{status, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA};
use weft_sdk::{Message, PluginError};

use crate::json::{self, text};
use crate::lifecycle::{correlation, digest};
use crate::{is_cancelled, Event, CHANNEL};

/// A `source` field: its name, the object it is read from and the key there.
type Field<'a> = (&'a str, Option<&'a Map<String, Value>>, &'a str);

/// The parts of an `ORDER_CHANGE` notification every mapping reads.
struct Change<'a> {
    doc: &'a Map<String, Value>,
    change: &'a Map<String, Value>,
    summary: Option<&'a Map<String, Value>>,
    trigger: Option<&'a Map<String, Value>>,
    order_id: String,
}

impl Change<'_> {
    /// An `invalid` error about this order.
    fn err(&self, e: PluginError) -> PluginError {
        e.prefixed(&format!("order {}: ", self.order_id))
    }

    /// `OrderChangeTrigger.TimeOfOrderChange`, RFC 3339.
    fn changed_at(&self) -> Result<Option<String>, PluginError> {
        self.trigger
            .map(|t| {
                json::timestamp(
                    t.get("TimeOfOrderChange"),
                    "OrderChangeTrigger.TimeOfOrderChange",
                )
            })
            .transpose()
            .map_err(|e| self.err(e))
            .map(Option::flatten)
    }

    /// The `Summary.OrderItems`, `None` when absent or empty.
    fn items(&self) -> Option<&Vec<Value>> {
        self.summary
            .and_then(|s| s.get("OrderItems"))
            .and_then(Value::as_array)
            .filter(|i| !i.is_empty())
    }

    /// The notification's own fields, for `source`.
    fn source(&self) -> BTreeMap<String, Value> {
        let (doc, change, summary, trigger) = (self.doc, self.change, self.summary, self.trigger);
        let mut source = BTreeMap::new();
        source.insert("document".into(), Value::from("amazon.order_change"));
        source.insert("api".into(), Value::from("notifications"));
        source.insert("notification_type".into(), Value::from("ORDER_CHANGE"));
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
        source
    }

    /// The ship-to: the destination postal code alone.
    fn ship_to(&self) -> Option<Address> {
        self.summary
            .and_then(|s| text(s.get("DestinationPostalCode")))
            .map(|postal_code| Address {
                postal_code: Some(postal_code),
                ..Default::default()
            })
    }
}

/// Maps an `ORDER_CHANGE` notification (see the module documentation).
pub fn map(doc: &Map<String, Value>) -> Result<Vec<Message>, PluginError> {
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
    let c = Change {
        doc,
        change,
        summary: change.get("Summary").and_then(Value::as_object),
        trigger: change.get("OrderChangeTrigger").and_then(Value::as_object),
        order_id,
    };
    let status = c
        .summary
        .and_then(|s| text(s.get("OrderStatus")))
        .ok_or_else(|| {
            c.err(PluginError::invalid(
                "the notification has no Summary.OrderStatus",
            ))
        })?;
    if is_cancelled(Some(&status)) {
        let order = cancellation(&c, status)?;
        return Ok(vec![Event::Cancelled.message(&order, None)?]);
    }
    let partial = status.eq_ignore_ascii_case("PartiallyShipped");
    if !partial && !status.eq_ignore_ascii_case("Shipped") {
        log(
            LogLevel::Info,
            &format!(
                "ORDER_CHANGE for order {}: status {} is no shipment or cancellation; nothing to map",
                c.order_id,
                json::clip(&status)
            ),
        );
        return Ok(Vec::new());
    }
    shipment(&c, status, partial)
}

/// The order's cancellation, with the notification's items as lines.
fn cancellation(c: &Change, status: String) -> Result<Order, PluginError> {
    // A cancellation may name no lines.
    let items = c.items().map_or(&[][..], Vec::as_slice);
    let mut lines = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let line_id = text(item.get("OrderItemId")).unwrap_or_else(|| (i + 1).to_string());
        let path = format!("Summary.OrderItems[{i}] (OrderItemId {line_id}) Quantity");
        let quantity = json::quantity(item.get("Quantity"), &path)
            .map_err(|e| c.err(e))?
            .ok_or_else(|| c.err(PluginError::invalid(format!("{path} is missing"))))?;
        lines.push(OrderLine {
            sku: text(item.get("SellerSKU")),
            quantity: money::format_qty(quantity),
            line_id,
            ..Default::default()
        });
    }
    let changed_at = c.changed_at()?;
    let order_id = c.order_id.clone();
    Ok(Order {
        schema: ORDER_SCHEMA.to_string(),
        order_number: Some(order_id.clone()),
        channel: CHANNEL.to_string(),
        correlation_id: correlation(&order_id),
        purpose: Event::Cancelled.purpose().to_string(),
        status: Some(status),
        ordered_at: c
            .summary
            .map(|s| json::timestamp(s.get("PurchaseDate"), "Summary.PurchaseDate"))
            .transpose()
            .map_err(|e| c.err(e))?
            .flatten(),
        updated_at: changed_at.clone(),
        cancelled_at: changed_at,
        cancel_reason: c.trigger.and_then(|t| text(t.get("ChangeReason"))),
        ship_to: c.ship_to(),
        lines,
        source: c.source(),
        order_id,
        ..Default::default()
    })
}

/// The order's shipment record for a `Shipped` / `PartiallyShipped`
/// notification.
fn shipment(c: &Change, order_status: String, partial: bool) -> Result<Vec<Message>, PluginError> {
    let order_id = &c.order_id;
    let mut items = Vec::new();
    for (i, item) in c.items().map_or(&[][..], Vec::as_slice).iter().enumerate() {
        let line_id = text(item.get("OrderItemId"));
        let at = match &line_id {
            Some(id) => format!("Summary.OrderItems[{i}] (OrderItemId {id})"),
            None => format!("Summary.OrderItems[{i}]"),
        };
        let shipped = json::quantity(
            item.get("QuantityShipped"),
            &format!("{at} QuantityShipped"),
        )
        .map_err(|e| c.err(e))?;
        let quantity = match shipped {
            Some(q) => q,
            None if partial => continue,
            None => json::quantity(item.get("Quantity"), &format!("{at} Quantity"))
                .map_err(|e| c.err(e))?
                .ok_or_else(|| {
                    c.err(PluginError::invalid(format!(
                        "{at} has neither QuantityShipped nor Quantity"
                    )))
                })?,
        };
        if quantity <= Decimal::ZERO {
            continue;
        }
        items.push(ShippedItem {
            item: ItemIds {
                sku: text(item.get("SellerSKU")),
                ..Default::default()
            },
            quantity: money::format_qty(quantity),
            order_id: Some(order_id.clone()),
            line_id,
            ..Default::default()
        });
    }
    let state = match (items.is_empty(), partial) {
        (false, _) => status::SHIPPED,
        (true, false) => status::FULFILLED,
        (true, true) => {
            log(
                LogLevel::Info,
                &format!("ORDER_CHANGE for order {order_id}: PartiallyShipped without any QuantityShipped; nothing to map"),
            );
            return Ok(Vec::new());
        }
    };
    let changed_at = c.changed_at()?;
    let mut source = c.source();
    source.insert("order_status".into(), Value::from(order_status));
    let correlation_id = correlation(order_id);
    let shipment = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: order_id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id.clone()],
        status: Some(state.to_string()),
        shipped_at: changed_at.clone(),
        ship_to: c.ship_to(),
        packages: if items.is_empty() {
            Vec::new()
        } else {
            vec![Package {
                items,
                ..Default::default()
            }]
        },
        source,
        ..Default::default()
    };
    let stamp = changed_at
        .or_else(|| text(shipment.source.get("notification_id")))
        .unwrap_or_else(|| digest(&json!(c.change)));
    let id = format!("{CHANNEL}:shipment:{order_id}:{state}:{stamp}");
    Ok(vec![Message::json(
        id,
        correlation_id.as_str(),
        DISPATCHED,
        &shipment,
    )?])
}
