//! Shopify fulfillment order → canonical `weft.order_ack/1`
//! (`order.allocated`), one per fulfillment order.
//!
//! A fulfillment order is Shopify's allocation of an order's line items to
//! the location that will fulfil them (`assigned_location_id`). Its line
//! items (`line_items`, or `fulfillment_order_line_items` in the older
//! shape) carry `quantity`, documented as the number of units of the order
//! line assigned to this fulfillment order, and `fulfillable_quantity`, the
//! units still to be fulfilled: the allocation is `quantity` (what the
//! location holds for the order; fulfilling it lowers only the fulfillable
//! part), kept per line with `fulfillable_quantity` in
//! `source.fulfillable_quantity`.
//!
//! | `status` / `request_status` | `ack_type` (line `status`) | `purpose` |
//! |---|---|---|
//! | `cancelled`, or request `cancellation_accepted` | `rejected` (`cancelled`): the allocation no longer stands | `cancel` |
//! | request `rejected` (the fulfillment service refused), or `incomplete` | `rejected` (`rejected`) | `original` |
//! | request `submitted` (sent to the fulfillment service, not yet accepted) | `pending` (`pending`) | `original` |
//! | anything else: `open`, `in_progress`, `scheduled`, `on_hold`, `closed` (fulfilled); request `unsubmitted`, `accepted`, `cancellation_requested` (still allocated until accepted), `cancellation_rejected` | `accepted` (`accepted`) | `original` |
//!
//! `location` is `assigned_location_id` (else `assigned_location.
//! location_id`), its name in `source.location_name`; `ack_id` the
//! fulfillment order's id; the `destination` the `ship_to` party;
//! `acknowledged_at` its `updated_at`, else `created_at`. Message id
//! `shopify:fulfillment_order:{id}:{status}:{request_status}:{stamp}`, the
//! stamp being `updated_at`, else a digest of the fulfillment order (the
//! list sample has no timestamps), so a re-polled unchanged fulfillment
//! order is a duplicate and a changed one an update.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use weft_sdk::document::{ItemIds, Party};
use weft_sdk::money;
use weft_sdk::order_ack::{AckLine, OrderAck, ALLOCATED, ORDER_ACK_SCHEMA};
use weft_sdk::scalar::{take_trimmed, text, Field};
use weft_sdk::{Message, PluginError};

use crate::common::{correlation, id_of, Outcome, Subject, CHANNEL};
use crate::raw::RawAddress;

/// The parts of a Shopify fulfillment order the mapping reads.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify fulfillment order object")]
pub struct RawFulfillmentOrder {
    pub id: Field,
    pub order_id: Field,
    pub status: Field,
    pub request_status: Field,
    pub assigned_location_id: Field,
    pub assigned_location: Option<RawLocation>,
    pub fulfillment_service_handle: Field,
    pub created_at: Field,
    pub updated_at: Field,
    pub destination: Option<RawAddress>,
    pub line_items: Option<Vec<RawAllocatedLine>>,
    pub fulfillment_order_line_items: Option<Vec<RawAllocatedLine>>,
}

/// `assigned_location`.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify location object")]
pub struct RawLocation {
    pub location_id: Field,
    pub name: Field,
}

/// A fulfillment order line item.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify fulfillment order line item object")]
pub struct RawAllocatedLine {
    pub id: Field,
    pub line_item_id: Field,
    pub sku: Field,
    pub quantity: Field,
    pub fulfillable_quantity: Field,
}

/// The first 16 hex digits of the SHA-256 of `value` as JSON.
fn digest(value: &Value) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Maps the fulfillment order `object` at `place` (for errors without an
/// id).
pub fn map(object: Map<String, Value>, place: &str) -> Result<Outcome, PluginError> {
    let value = Value::Object(object);
    let stamp_digest = digest(&value);
    let raw: RawFulfillmentOrder = serde_json::from_value(value).map_err(|e| {
        PluginError::invalid(format!(
            "{place} is not a Shopify fulfillment order of the expected shape: {e}"
        ))
    })?;
    let id = id_of(&raw.id, place)?;
    let subject = Subject {
        what: "fulfillment order",
        id: &id,
    };
    let order_id = subject.order_id(&raw.order_id)?;
    let lower = |f: &Field| text(f).map(|s| s.trim().to_ascii_lowercase());
    let status = lower(&raw.status).ok_or_else(|| subject.lacks("`status`"))?;
    let request_status = lower(&raw.request_status);
    let (ack_type, line_status, purpose) = match (status.as_str(), request_status.as_deref()) {
        ("cancelled", _) | (_, Some("cancellation_accepted")) => {
            ("rejected", "cancelled", "cancel")
        }
        ("incomplete", _) | (_, Some("rejected")) => ("rejected", "rejected", "original"),
        (_, Some("submitted")) => ("pending", "pending", "original"),
        _ => ("accepted", "accepted", "original"),
    };
    let location = take_trimmed(raw.assigned_location_id).or_else(|| {
        raw.assigned_location
            .as_ref()
            .and_then(|l| text(&l.location_id).map(|s| s.trim().to_string()))
    });
    let location_name = raw.assigned_location.and_then(|l| take_trimmed(l.name));

    let rows = match (raw.line_items, raw.fulfillment_order_line_items) {
        (Some(rows), _) if !rows.is_empty() => ("line_items", rows),
        (_, Some(rows)) if !rows.is_empty() => ("fulfillment_order_line_items", rows),
        _ => return Err(subject.lacks("`line_items` (or `fulfillment_order_line_items`)")),
    };
    let (key, rows) = rows;
    let mut lines = Vec::with_capacity(rows.len());
    let mut fulfillable = Map::new();
    for (index, row) in rows.into_iter().enumerate() {
        let line_id = take_trimmed(row.line_item_id)
            .ok_or_else(|| subject.err(format_args!("{key}[{index}] has no `line_item_id`")))?;
        let at = |f: &str| format!("{key}[{index}] (line_item_id {line_id}) {f}");
        let quantity = subject
            .decimal(row.quantity.as_ref(), at("quantity"))?
            .ok_or_else(|| subject.err(format_args!("{} is missing", at("quantity"))))?;
        if let Some(q) = subject.decimal(
            row.fulfillable_quantity.as_ref(),
            at("fulfillable_quantity"),
        )? {
            fulfillable.insert(line_id.clone(), Value::from(money::format_qty(q)));
        }
        lines.push(AckLine {
            item: ItemIds {
                sku: take_trimmed(row.sku),
                ..Default::default()
            },
            line_id,
            quantity: Some(money::format_qty(quantity)),
            status: line_status.to_string(),
            ..Default::default()
        });
    }

    let mut source = BTreeMap::new();
    source.insert(
        "document".to_string(),
        Value::from("shopify.fulfillment_order"),
    );
    source.insert("status".to_string(), Value::from(status.as_str()));
    if let Some(r) = &request_status {
        source.insert("request_status".to_string(), Value::from(r.as_str()));
    }
    if let Some(n) = location_name {
        source.insert("location_name".to_string(), Value::from(n));
    }
    if let Some(h) = take_trimmed(raw.fulfillment_service_handle) {
        source.insert("fulfillment_service_handle".to_string(), Value::from(h));
    }
    if !fulfillable.is_empty() {
        source.insert(
            "fulfillable_quantity".to_string(),
            Value::Object(fulfillable),
        );
    }
    let updated_at = subject.timestamp(raw.updated_at, "updated_at")?;
    let created_at = subject.timestamp(raw.created_at, "created_at")?;
    let parties = raw
        .destination
        .and_then(crate::map::address)
        .map(|a| Party {
            role: "ship_to".to_string(),
            address: Some(a),
            ..Default::default()
        })
        .into_iter()
        .collect();

    let correlation_id = correlation(&order_id);
    let doc = OrderAck {
        schema: ORDER_ACK_SCHEMA.to_string(),
        order_id,
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        ack_id: Some(id.clone()),
        ack_type: ack_type.to_string(),
        purpose: Some(purpose.to_string()),
        acknowledged_at: updated_at.clone().or(created_at),
        location,
        parties,
        lines,
        source,
        ..Default::default()
    };
    let stamp = updated_at.unwrap_or(stamp_digest);
    let request = request_status.as_deref().unwrap_or("-");
    let message_id = format!("{CHANNEL}:fulfillment_order:{id}:{status}:{request}:{stamp}");
    Message::json(message_id, correlation_id, ALLOCATED, &doc).map(Outcome::Emit)
}
