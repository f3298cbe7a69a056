//! `FULFILLMENT_ORDER_STATUS` notifications (MCF): a status change of a
//! fulfillment order, of one of its shipments or of a returned item.
//! `EventType` says which (`Order`, `Shipment`, `Return`), but Amazon's
//! own example carries a placeholder (`TYPE3945`) and both a shipment and a
//! return, so every part present is mapped:
//!
//! - `FulfillmentShipment` → one `shipment.dispatched` per package of
//!   `FulfillmentShipmentPackages` (as [`crate::mcf`]: `shipment_id` the
//!   `PackageNumber`), status from `FulfillmentShipmentStatus`, no items
//!   (the notification lists none), `shipped_at` the
//!   `StatusUpdatedDateTime` of a `SHIPPED` shipment. A status that is not
//!   a documented shipment status (the example's `PROCESSED`) or `PENDING`
//!   maps to nothing (logged, and named in `source.not_mapped` of the
//!   notification's other documents), so the rest of it is kept.
//! - `FulfillmentReturnItem` → a return of `ReturnedQuantity` units of
//!   `SellerSKU`: `return.completed` when `ReceivedDateTime` says the
//!   units were received (`returned_at`), else `return.authorized`
//!   (nothing received yet). The notification carries no money, so the
//!   return has no totals; `return_id` is
//!   `{SellerFulfillmentOrderId}:{SellerSKU}:{ReceivedDateTime}`.
//! - `FulfillmentOrderStatus` `Cancelled` → `order.cancelled` without lines
//!   (the notification lists no order items).
//!
//! Like the other notifications, one that states none of these emits
//! nothing by design (a log line says why).

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::host::{log, LogLevel};
use weft_sdk::order::{Order, ORDER_SCHEMA};
use weft_sdk::returns::{self, Return, ReturnLine, RETURN_SCHEMA};
use weft_sdk::{Message, PluginError};

use super::{package, package_shipments, shipment_state, FulfillmentShipment};
use crate::json::text;
use crate::lifecycle::{correlation, digest, gather, list, obj, qty, required, ts, Outcome};
use crate::{Event, CHANNEL};

/// Maps a `FULFILLMENT_ORDER_STATUS` notification.
pub fn map(doc: &Map<String, Value>) -> Result<Vec<Message>, PluginError> {
    let base = "Payload.FulfillmentOrderStatusNotification";
    let n = doc
        .get("Payload")
        .and_then(|p| p.get("FulfillmentOrderStatusNotification"))
        .and_then(Value::as_object)
        .ok_or_else(|| {
            PluginError::invalid(format!(
                "FULFILLMENT_ORDER_STATUS notification has no `{base}`"
            ))
        })?;
    let order_id = required(
        n,
        "SellerFulfillmentOrderId",
        &format!("{base}.SellerFulfillmentOrderId"),
    )?;
    let err = |e: PluginError| e.prefixed(&format!("fulfillment order {order_id}: "));
    let updated = ts(n.get("StatusUpdatedDateTime"), "StatusUpdatedDateTime").map_err(err)?;
    let stamp = updated
        .clone()
        .unwrap_or_else(|| digest(&Value::Object(n.clone())));
    let mut source = BTreeMap::new();
    source.insert(
        "document".into(),
        Value::from("amazon.fulfillment_order_status"),
    );
    source.insert("api".into(), Value::from("notifications"));
    source.insert(
        "notification_type".into(),
        Value::from("FULFILLMENT_ORDER_STATUS"),
    );
    let meta = obj(doc.get("NotificationMetadata"));
    for (key, o, field) in [
        ("event_type", Some(n), "EventType"),
        (
            "fulfillment_order_status",
            Some(n),
            "FulfillmentOrderStatus",
        ),
        ("seller_id", Some(n), "SellerId"),
        ("event_time", Some(doc), "EventTime"),
        ("notification_id", meta, "NotificationId"),
    ] {
        if let Some(v) = o.and_then(|o| text(o.get(field))) {
            source.insert(key.into(), Value::from(v));
        }
    }
    let mut references = BTreeMap::new();
    references.insert("seller_fulfillment_order_id".to_string(), order_id.clone());

    let mut outcomes = Vec::new();
    if let Some(s) = obj(n.get("FulfillmentShipment")) {
        let at = "FulfillmentShipment";
        let sid =
            required(s, "AmazonShipmentId", &format!("{at}.AmazonShipmentId")).map_err(err)?;
        let at = format!("{at} (AmazonShipmentId {sid})");
        let word = text(s.get("FulfillmentShipmentStatus")).unwrap_or_default();
        match shipment_state(&word, &format!("{at}.FulfillmentShipmentStatus")) {
            Err(PluginError::Invalid(reason) | PluginError::Retryable(reason)) => {
                outcomes.push(Outcome::Skip(reason))
            }
            Ok(None) => outcomes.push(Outcome::Skip(format!("{at} is {word}, not shipped"))),
            Ok(Some(state)) => {
                let mut packages = Vec::new();
                for (p, pkg) in list(s.get("FulfillmentShipmentPackages"))
                    .iter()
                    .enumerate()
                {
                    let keys = ["PackageNumber", "CarrierCode", "TrackingNumber"];
                    let place = format!("{at}.FulfillmentShipmentPackages[{p}]");
                    packages.push(package(pkg, &place, keys).map_err(err)?);
                }
                let mut refs = references.clone();
                refs.insert("amazon_shipment_id".to_string(), sid.clone());
                let mut src = source.clone();
                src.insert("fulfillment_shipment_status".into(), Value::from(word));
                let shipped = state == weft_sdk::shipment::status::SHIPPED;
                outcomes.extend(
                    package_shipments(FulfillmentShipment {
                        order_id: order_id.clone(),
                        amazon_shipment_id: sid,
                        state,
                        shipped_at: updated.clone().filter(|_| shipped),
                        expected_at: ts(
                            s.get("EstimatedArrivalDateTime"),
                            &format!("{at}.EstimatedArrivalDateTime"),
                        )
                        .map_err(err)?,
                        status_at: updated.clone(),
                        stamp: stamp.clone(),
                        ship_to: None,
                        packages,
                        items: Vec::new(),
                        references: refs,
                        source: src,
                        at,
                    })
                    .map_err(err)?,
                );
            }
        }
    }
    // What the shipment part could not map is said on the other parts.
    let not_mapped: Vec<Value> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Skip(reason) => Some(Value::from(reason.as_str())),
            Outcome::Emit(_) => None,
        })
        .collect();
    if !not_mapped.is_empty() {
        source.insert("not_mapped".into(), Value::Array(not_mapped));
    }
    if let Some(r) = obj(n.get("FulfillmentReturnItem")) {
        outcomes.push(return_item(r, &order_id, &source, &references).map_err(err)?);
    }
    if text(n.get("FulfillmentOrderStatus")).is_some_and(|s| s.eq_ignore_ascii_case("Cancelled")) {
        let order = Order {
            schema: ORDER_SCHEMA.to_string(),
            channel: CHANNEL.to_string(),
            correlation_id: correlation(&order_id),
            purpose: Event::Cancelled.purpose().to_string(),
            status: text(n.get("FulfillmentOrderStatus")),
            updated_at: updated.clone(),
            cancelled_at: updated,
            references,
            source,
            order_id: order_id.clone(),
            ..Default::default()
        };
        outcomes.push(Outcome::Emit(Event::Cancelled.message(&order, None)?));
    }
    let what =
        format!("the FULFILLMENT_ORDER_STATUS notification for fulfillment order {order_id}");
    for o in &outcomes {
        if let Outcome::Skip(reason) = o {
            log(LogLevel::Info, &format!("{what}: {reason}; not mapped"));
        }
    }
    if !outcomes.iter().any(|o| matches!(o, Outcome::Emit(_))) {
        return Ok(Vec::new());
    }
    gather(outcomes, &what)
}

/// The return of a `FulfillmentReturnItem`.
fn return_item(
    r: &Map<String, Value>,
    order_id: &str,
    source: &BTreeMap<String, Value>,
    references: &BTreeMap<String, String>,
) -> Result<Outcome, PluginError> {
    let at = "FulfillmentReturnItem";
    let sku = required(r, "SellerSKU", &format!("{at}.SellerSKU"))?;
    let quantity = qty(r.get("ReturnedQuantity"), &format!("{at}.ReturnedQuantity"))?
        .ok_or_else(|| PluginError::invalid(format!("{at}.ReturnedQuantity is missing")))?;
    let received = ts(r.get("ReceivedDateTime"), &format!("{at}.ReceivedDateTime"))?;
    let (kind, state) = match &received {
        Some(_) => (returns::COMPLETED, "completed"),
        None => (returns::AUTHORIZED, "authorized"),
    };
    let stamp = received
        .clone()
        .unwrap_or_else(|| digest(&Value::Object(r.clone())));
    let return_id = format!("{order_id}:{sku}:{stamp}");
    let correlation_id = correlation(order_id);
    let doc = Return {
        schema: RETURN_SCHEMA.to_string(),
        return_id: return_id.clone(),
        order_id: order_id.to_string(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        returned_at: received,
        status: Some(state.to_string()),
        lines: vec![ReturnLine {
            line_id: sku.clone(),
            item: ItemIds {
                sku: Some(sku),
                ..Default::default()
            },
            quantity,
            ..Default::default()
        }],
        references: references.clone(),
        source: source.clone(),
        ..Default::default()
    };
    crate::lifecycle::emit(
        format!("{CHANNEL}:return:{return_id}:{state}"),
        &correlation_id,
        kind,
        &doc,
    )
}
