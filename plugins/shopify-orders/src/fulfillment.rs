//! Shopify fulfillment → canonical `weft.shipment/1` (`shipment.dispatched`).
//!
//! A fulfillment is a shipment: `shipment_id` is its id, the order its
//! `order_id`. Only two fulfillment states are facts about goods: `success`
//! (shipped; `delivered` when its `shipment_status` says so) and
//! `cancelled` (a cancellation of that same shipment). `pending`, `open`,
//! `error` and `failure` fulfillments never shipped: a document holding one
//! is refused (`fulfillment N is pending, not shipped`); in a list they are
//! skipped.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use weft_sdk::document::ItemIds;
use weft_sdk::money;
use weft_sdk::scalar::{take_trimmed, text, Field, Scalar};
use weft_sdk::shipment::{
    status, Carrier, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};
use weft_sdk::{Message, PluginError};

use crate::common::{correlation, id_of, Outcome, Subject, CHANNEL};

/// The parts of a Shopify fulfillment the mapping reads.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify fulfillment object")]
pub struct RawFulfillment {
    pub id: Field,
    pub order_id: Field,
    pub status: Field,
    pub shipment_status: Field,
    pub created_at: Field,
    pub updated_at: Field,
    pub tracking_company: Field,
    pub tracking_number: Field,
    pub tracking_numbers: Option<Vec<Field>>,
    pub tracking_url: Field,
    pub tracking_urls: Option<Vec<Field>>,
    pub name: Field,
    pub service: Field,
    pub line_items: Option<Vec<RawShippedLine>>,
}

/// A line item of a fulfillment.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a Shopify line item object")]
pub struct RawShippedLine {
    pub id: Field,
    pub sku: Field,
    pub quantity: Field,
}

/// Maps the fulfillment at `place` (for errors without an id).
pub fn map(raw: RawFulfillment, place: &str) -> Result<Outcome, PluginError> {
    let id = id_of(&raw.id, place)?;
    let subject = Subject {
        what: "fulfillment",
        id: &id,
    };
    let raw_status = text(&raw.status)
        .map(|s| s.trim().to_ascii_lowercase())
        .ok_or_else(|| subject.lacks("`status`"))?;
    let delivered =
        text(&raw.shipment_status).is_some_and(|s| s.trim().eq_ignore_ascii_case("delivered"));
    let state = match raw_status.as_str() {
        "success" if delivered => status::DELIVERED,
        "success" => status::SHIPPED,
        "cancelled" => status::CANCELLED,
        other => {
            return Ok(Outcome::NotAFact(format!(
                "fulfillment {id} is {other}, not shipped"
            )))
        }
    };
    let order_id = subject.order_id(&raw.order_id)?;
    let updated_at = subject.timestamp(raw.updated_at, "updated_at")?;

    let raw_lines = match raw.line_items {
        Some(lines) if !lines.is_empty() => lines,
        _ => return Err(subject.lacks("line_items")),
    };
    let mut items = Vec::with_capacity(raw_lines.len());
    for (index, line) in raw_lines.into_iter().enumerate() {
        items.push(item(&subject, index, line, &order_id)?);
    }

    let mut tracking: Vec<String> = Vec::new();
    let numbers = raw.tracking_numbers.into_iter().flatten();
    for number in numbers
        .chain([raw.tracking_number])
        .filter_map(take_trimmed)
    {
        if !tracking.contains(&number) {
            tracking.push(number);
        }
    }
    let mut urls: Vec<Value> = Vec::new();
    let raw_urls = raw.tracking_urls.into_iter().flatten();
    for url in raw_urls.chain([raw.tracking_url]).filter_map(take_trimmed) {
        let url = Value::from(url);
        if !urls.contains(&url) {
            urls.push(url);
        }
    }

    let mut source = BTreeMap::new();
    source.insert("document".to_string(), Value::from("shopify.fulfillment"));
    source.insert("status".to_string(), Value::from(raw_status));
    for (key, field) in [
        ("shipment_status", &raw.shipment_status),
        ("name", &raw.name),
        ("service", &raw.service),
    ] {
        if let Some(v) = text(field) {
            source.insert(key.to_string(), Value::from(v.trim()));
        }
    }
    if !urls.is_empty() {
        source.insert("tracking_urls".to_string(), Value::Array(urls));
    }

    let correlation_id = correlation(&order_id);
    let shipment = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id],
        status: Some(state.to_string()),
        shipped_at: subject.timestamp(raw.created_at, "created_at")?,
        delivered_at: (state == status::DELIVERED)
            .then(|| updated_at.clone())
            .flatten(),
        cancelled_at: (state == status::CANCELLED)
            .then(|| updated_at.clone())
            .flatten(),
        carrier: take_trimmed(raw.tracking_company).map(|name| Carrier {
            name: Some(name),
            ..Default::default()
        }),
        tracking,
        packages: vec![Package {
            items,
            ..Default::default()
        }],
        source,
        ..Default::default()
    };
    let message_id = match &updated_at {
        Some(at) => format!("{CHANNEL}:fulfillment:{id}:{state}:{at}"),
        None => format!("{CHANNEL}:fulfillment:{id}:{state}"),
    };
    Message::json(message_id, correlation_id, DISPATCHED, &shipment).map(Outcome::Emit)
}

/// Line item `index` of the fulfillment as a shipped item of `order_id`.
fn item(
    subject: &Subject,
    index: usize,
    raw: RawShippedLine,
    order_id: &str,
) -> Result<ShippedItem, PluginError> {
    let line_id = take_trimmed(raw.id);
    let at = match &line_id {
        Some(id) => format!("line_items[{index}] (id {id})"),
        None => format!("line_items[{index}]"),
    };
    let quantity = match raw.quantity.as_ref().map(Scalar::as_str) {
        Some(q) if !q.trim().is_empty() => money::parse(q).ok_or_else(|| {
            subject.err(format_args!(
                "{at} has quantity `{q}`, which is not a decimal"
            ))
        })?,
        _ => return Err(subject.err(format_args!("{at} has no quantity"))),
    };
    Ok(ShippedItem {
        item: ItemIds {
            sku: take_trimmed(raw.sku),
            ..Default::default()
        },
        quantity: money::format_qty(quantity),
        order_id: Some(order_id.to_string()),
        line_id,
        ..Default::default()
    })
}
