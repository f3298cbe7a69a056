//! Adobe Commerce ship request (the body of `POST /V1/order/{orderId}/ship`)
//! → canonical `weft.shipment/1` (`shipment.dispatched`, status `shipped`).
//!
//! The body says what leaves: `items` (`order_item_id` + `qty`) become the
//! items of one package (`line_id` the order item id, the order's line id),
//! `tracks` the tracking numbers and the carrier (`carrier_code`, `title`
//! of the first track), the MSI `arguments.extension_attributes.source_code`
//! the ship-from party (`parties[role=ship_from].id`, also
//! `references.source_code`). The order and the shipment's own id are not
//! in the body ([`crate::request`]): the order id comes from the request
//! headers (refused without one), `shipment_id` is the returned id when the
//! host passes it on, else `{orderId}-{digest of the body}`; `shipped_at`
//! is the request time when passed on. Message id
//! `{channel}:shipment:{shipment_id}`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::document::{ItemIds, Party};
use weft_sdk::money::format_qty;
use weft_sdk::scalar::{take_trimmed, Scalar};
use weft_sdk::shipment::{
    status, Carrier, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};
use weft_sdk::{Message, PluginError};

use crate::body::{self, RawRequest, Subject};
use crate::map::Settings;
use crate::request::{digest, Request};

/// Maps a ship request body.
pub fn map(
    object: Map<String, Value>,
    request: &Request,
    settings: &Settings,
) -> Result<Message, PluginError> {
    let order_id =
        request.order_id("a ship request (the body of POST /V1/order/{orderId}/ship)")?;
    let shipment_id = request
        .entity_id
        .clone()
        .unwrap_or_else(|| format!("{order_id}-{}", digest(&Value::Object(object.clone()))));
    let name = format!("ship request for order {order_id}");
    let subject = Subject { name: &name };
    let raw: RawRequest = body::read(object, "", "an Adobe Commerce ship request")?;
    let items = body::items(&subject, raw.items.unwrap_or_default())?;
    if items.is_empty() {
        return Err(subject.err("no `items` with a quantity (`order_item_id` and `qty` above 0)"));
    }

    let mut tracking: Vec<String> = Vec::new();
    let mut carrier = None;
    for track in raw.tracks.unwrap_or_default() {
        let code = take_trimmed(track.carrier_code);
        let title = take_trimmed(track.title);
        if carrier.is_none() && (code.is_some() || title.is_some()) {
            carrier = Some(Carrier {
                code,
                name: title,
                ..Default::default()
            });
        }
        if let Some(n) = take_trimmed(track.track_number) {
            if !tracking.contains(&n) {
                tracking.push(n);
            }
        }
    }
    let source_code = raw
        .arguments
        .and_then(|a| a.extension_attributes)
        .and_then(|e| take_trimmed(e.source_code));

    let mut source = BTreeMap::new();
    source.insert(
        "document".to_string(),
        Value::from("adobe-commerce.ship_request"),
    );
    if let Some(c) = body::comment(raw.comment) {
        source.insert("comment".to_string(), Value::from(c));
    }
    if let Some(n) = raw.notify.as_ref().and_then(Scalar::as_bool) {
        source.insert("notify".to_string(), Value::from(n));
    }
    if let Some(p) = raw.packages.filter(|p| !p.is_empty()) {
        source.insert("packages".to_string(), Value::from(p.len()));
    }
    let mut references = BTreeMap::new();
    if let Some(entity) = &request.entity_id {
        references.insert("entity_id".to_string(), entity.clone());
    }
    let parties = match &source_code {
        Some(code) => {
            references.insert("source_code".to_string(), code.clone());
            vec![Party {
                role: "ship_from".to_string(),
                id: Some(code.clone()),
                id_qualifier: Some("source_code".to_string()),
                address: None,
            }]
        }
        None => Vec::new(),
    };

    let channel = &settings.channel;
    let correlation_id = format!("{channel}:{order_id}");
    let doc = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: shipment_id.clone(),
        channel: channel.clone(),
        correlation_id: correlation_id.clone(),
        purpose: Some("original".to_string()),
        order_refs: vec![order_id.clone()],
        status: Some(status::SHIPPED.to_string()),
        shipped_at: request.at.clone(),
        carrier,
        tracking,
        parties,
        packages: vec![Package {
            items: items
                .into_iter()
                .map(|i| ShippedItem {
                    item: ItemIds::default(),
                    quantity: format_qty(i.quantity),
                    order_id: Some(order_id.clone()),
                    line_id: Some(i.line_id),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }],
        references,
        source,
        ..Default::default()
    };
    let id = format!("{channel}:shipment:{shipment_id}");
    Message::json(id, correlation_id, DISPATCHED, &doc)
}
