//! Adobe Commerce (MSI) source selection result (the response of `POST
//! /V1/inventory/source-selection-algorithm-result`) → canonical
//! `weft.order_ack/1` (`order.allocated`), one document per source.
//!
//! The result says how much of each SKU to take from which source
//! (`source_selection_items[]`: `source_code`, `sku`, `qty_to_deduct`,
//! `qty_available`). Rows with a `qty_to_deduct` above zero are the
//! allocation; each source with any becomes one document (`location` the
//! `source_code`, `ack_type` `accepted`, lines `line_id` = `sku` with the
//! quantity to deduct, `source.qty_available` what the source had), since
//! an allocation has one location. A result with `shippable: false` (the
//! sources cannot cover the request) allocates nothing and is refused, as
//! is one with no quantity to deduct.
//!
//! The result names no order (the request carried only a stock id and
//! SKUs): the order id comes from the request headers
//! ([`crate::request`]), refused without one. `ack_id` is
//! `{orderId}:{source_code}` (a later selection for the same source
//! replaces it); the message id `{channel}:allocation:{orderId}:
//! {source_code}:{digest of the result}`, so a replayed result is a
//! duplicate and a changed one an update.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::money::{format_qty, Decimal};
use weft_sdk::order_ack::{AckLine, OrderAck, ALLOCATED, ORDER_ACK_SCHEMA};
use weft_sdk::scalar::{text, Field, Scalar};
use weft_sdk::{Message, PluginError};

use crate::body::{self, Subject};
use crate::map::Settings;
use crate::request::{digest, Request};

/// A source selection result (`SourceSelectionResultInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(
    default,
    expecting = "an Adobe Commerce source selection result object"
)]
pub struct RawSelection {
    pub source_selection_items: Option<Vec<RawSelectionItem>>,
    pub shippable: Field,
}

/// One row (`SourceSelectionItemInterface`).
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a source selection item object")]
pub struct RawSelectionItem {
    pub source_code: Field,
    pub sku: Field,
    pub qty_to_deduct: Field,
    pub qty_available: Field,
}

/// The lines allocated from one source.
struct Allocation {
    source_code: String,
    lines: Vec<AckLine>,
    available: Map<String, Value>,
}

/// Maps a source selection result.
pub fn map(
    object: Map<String, Value>,
    request: &Request,
    settings: &Settings,
) -> Result<Vec<Message>, PluginError> {
    let order_id = request.order_id("a source selection result")?;
    let digest = digest(&Value::Object(object.clone()));
    let name = format!("source selection for order {order_id}");
    let subject = Subject { name: &name };
    let raw: RawSelection = body::read(object, "", "an Adobe Commerce source selection result")?;
    if raw.shippable.as_ref().and_then(Scalar::as_bool) == Some(false) {
        return Err(subject.err(
            "`shippable` is false: the sources cannot ship the requested quantities, so nothing is allocated",
        ));
    }
    let mut by_source: Vec<Allocation> = Vec::new();
    for (index, row) in raw
        .source_selection_items
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let at = format!("source_selection_items[{index}]");
        let source_code = text(&row.source_code)
            .map(|s| s.trim().to_string())
            .ok_or_else(|| subject.err(format_args!("{at} has no `source_code`")))?;
        let sku = text(&row.sku)
            .map(|s| s.trim().to_string())
            .ok_or_else(|| subject.err(format_args!("{at} has no `sku`")))?;
        let at = format!("{at} ({source_code} {sku})");
        let quantity = subject.required(
            row.qty_to_deduct.as_ref(),
            format_args!("{at} qty_to_deduct"),
        )?;
        if quantity < Decimal::ZERO {
            return Err(subject.err(format_args!("{at} qty_to_deduct `{quantity}` is negative")));
        }
        if quantity.is_zero() {
            continue;
        }
        let available = subject.decimal(
            row.qty_available.as_ref(),
            format_args!("{at} qty_available"),
        )?;
        let i = match by_source.iter().position(|a| a.source_code == source_code) {
            Some(i) => i,
            None => {
                by_source.push(Allocation {
                    source_code: source_code.clone(),
                    lines: Vec::new(),
                    available: Map::new(),
                });
                by_source.len() - 1
            }
        };
        let alloc = &mut by_source[i];
        if alloc.lines.iter().any(|l| l.line_id == sku) {
            return Err(subject.err(format_args!(
                "{at}: source {source_code} lists SKU {sku} twice"
            )));
        }
        if let Some(a) = available {
            alloc
                .available
                .insert(sku.clone(), Value::from(format_qty(a)));
        }
        alloc.lines.push(AckLine {
            item: ItemIds {
                sku: Some(sku.clone()),
                ..Default::default()
            },
            line_id: sku,
            quantity: Some(format_qty(quantity)),
            status: "accepted".to_string(),
            ..Default::default()
        });
    }
    if by_source.is_empty() {
        return Err(subject.err(
            "allocates nothing (no `source_selection_items` row with a `qty_to_deduct` above 0)",
        ));
    }

    let channel = &settings.channel;
    let correlation_id = format!("{channel}:{order_id}");
    by_source
        .into_iter()
        .map(|a| {
            let mut source = BTreeMap::new();
            source.insert(
                "document".to_string(),
                Value::from("adobe-commerce.source_selection"),
            );
            if !a.available.is_empty() {
                source.insert("qty_available".to_string(), Value::Object(a.available));
            }
            let doc = OrderAck {
                schema: ORDER_ACK_SCHEMA.to_string(),
                order_id: order_id.clone(),
                channel: channel.clone(),
                correlation_id: correlation_id.clone(),
                ack_id: Some(format!("{order_id}:{}", a.source_code)),
                ack_type: "accepted".to_string(),
                acknowledged_at: request.at.clone(),
                location: Some(a.source_code.clone()),
                lines: a.lines,
                source,
                ..Default::default()
            };
            let id = format!("{channel}:allocation:{order_id}:{}:{digest}", a.source_code);
            Message::json(id, correlation_id.clone(), ALLOCATED, &doc)
        })
        .collect()
}
