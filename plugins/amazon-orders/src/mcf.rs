//! FBA Multi-Channel Fulfillment (Fulfillment Outbound API 2020-07-01):
//! `getFulfillmentOrder` responses, `getPackageTrackingDetails` responses
//! ([`tracking`]) and `FULFILLMENT_ORDER_STATUS` notifications
//! ([`notification`]).
//!
//! An MCF fulfillment order is the seller's own order (often one sold on
//! another channel) that Amazon ships from its warehouses; it is known by
//! `sellerFulfillmentOrderId`, the id the seller gave it, so every document
//! of it carries the correlation id `amazon:{sellerFulfillmentOrderId}`.
//!
//! **One canonical shipment per package.** Amazon tracks and delivers
//! packages (`getPackageTrackingDetails` takes a `packageNumber` and names
//! neither the fulfillment shipment nor the order), so a delivery can only
//! be a fact about a package. Each package of a fulfillment shipment is
//! therefore one `weft.shipment/1` whose `shipment_id` is the
//! `packageNumber` (a fulfillment shipment with one package, the usual
//! case, gives one), holding the shipment items with that `packageNumber`;
//! the fulfillment shipment's `amazonShipmentId` is in
//! `references.amazon_shipment_id`. A fulfillment shipment without packages
//! is one shipment with `shipment_id` = `amazonShipmentId`. An item naming
//! no package is put in the only package; with several packages it is
//! refused, as is an item naming a package the shipment does not have.
//!
//! Shipment status (`fulfillmentShipmentStatus`): `SHIPPED` → `shipped`
//! (`shipped_at` = `shippingDate`); `CANCELLED_BY_FULFILLER` /
//! `CANCELLED_BY_SELLER` → `cancelled`; `PENDING` → not shipped, nothing.
//! A fulfillment order whose `fulfillmentOrderStatus` is `Cancelled` is
//! also the order's cancellation: `order.cancelled` (`weft.order/1`) with
//! the `fulfillmentOrderItems` as lines (`quantity`; no prices).
//! A response that gives neither (a `Processing` order with no shipped
//! shipment) is refused, saying so. The `returnItems` are returns
//! ([`returns`]).

pub mod notification;
pub mod returns;
pub mod tracking;

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::order::{Address, Order, OrderLine, ORDER_SCHEMA};
use weft_sdk::shipment::{
    status, Carrier, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};
use weft_sdk::{Message, PluginError};

use crate::json::text;
use crate::lifecycle::{correlation, digest, emit, gather, list, obj, qty, required, ts, Outcome};
use crate::{Event, CHANNEL};

/// A package of a fulfillment shipment.
pub struct Pkg {
    /// `packageNumber`.
    pub number: String,
    /// `carrierCode`.
    pub carrier: Option<String>,
    /// `trackingNumber`.
    pub tracking: Option<String>,
}

/// A fulfillment shipment read from either document shape.
pub struct FulfillmentShipment {
    /// The seller's fulfillment order id.
    pub order_id: String,
    /// `amazonShipmentId`.
    pub amazon_shipment_id: String,
    /// The canonical status ([`status`]).
    pub state: &'static str,
    /// When the goods left.
    pub shipped_at: Option<String>,
    /// Expected arrival.
    pub expected_at: Option<String>,
    /// When the status was set (`cancelled_at` of a cancelled shipment).
    pub status_at: Option<String>,
    /// The time of the status (else a digest of the document), for the
    /// message id.
    pub stamp: String,
    /// Where it goes.
    pub ship_to: Option<Address>,
    /// The packages.
    pub packages: Vec<Pkg>,
    /// The items, each with the package number it names.
    pub items: Vec<(Option<String>, ShippedItem)>,
    /// Identifiers for `references`.
    pub references: BTreeMap<String, String>,
    /// `source` of every shipment made.
    pub source: BTreeMap<String, Value>,
    /// Where the shipment is in the document, for errors.
    pub at: String,
}

/// The canonical status of an MCF shipment status word (the SP-API's
/// `CANCELLED_BY_SELLER` or the older `CancelledByMerchant` spelling; case
/// and underscores do not matter); `Ok(None)` for `PENDING`; an error
/// naming `path` for a word that is none of the documented ones.
pub fn shipment_state(word: &str, path: &str) -> Result<Option<&'static str>, PluginError> {
    let folded: String = word
        .trim()
        .chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match folded.as_str() {
        "SHIPPED" => Ok(Some(status::SHIPPED)),
        "CANCELLEDBYFULFILLER" | "CANCELLEDBYSELLER" | "CANCELLEDBYMERCHANT" => {
            Ok(Some(status::CANCELLED))
        }
        "PENDING" => Ok(None),
        _ => Err(PluginError::invalid(format!(
            "{path} `{}` is not an MCF shipment status (PENDING, SHIPPED, CANCELLED_BY_FULFILLER, CANCELLED_BY_SELLER)",
            crate::json::clip(word)
        ))),
    }
}

/// The canonical shipments of one fulfillment shipment: one per package.
pub fn package_shipments(s: FulfillmentShipment) -> Result<Vec<Outcome>, PluginError> {
    let mut by_package: Vec<(Option<&Pkg>, Vec<ShippedItem>)> = if s.packages.is_empty() {
        vec![(None, Vec::new())]
    } else {
        s.packages.iter().map(|p| (Some(p), Vec::new())).collect()
    };
    let only = by_package.len() == 1;
    for (number, item) in s.items {
        let slot = match &number {
            None if only => 0,
            None => {
                return Err(PluginError::invalid(format!(
                    "{}: item {} names no packageNumber and the shipment has {} packages",
                    s.at,
                    item.item.sku.as_deref().unwrap_or("?"),
                    s.packages.len()
                )))
            }
            Some(n) => by_package
                .iter()
                .position(|(p, _)| p.is_some_and(|p| p.number == *n))
                .or(if s.packages.is_empty() { Some(0) } else { None })
                .ok_or_else(|| {
                    PluginError::invalid(format!(
                        "{}: item {} names package {n}, which the shipment does not list",
                        s.at,
                        item.item.sku.as_deref().unwrap_or("?")
                    ))
                })?,
        };
        by_package[slot].1.push(item);
    }
    let correlation_id = correlation(&s.order_id);
    let mut out = Vec::with_capacity(by_package.len());
    for (package, items) in by_package {
        let shipment_id =
            package.map_or_else(|| s.amazon_shipment_id.clone(), |p| p.number.clone());
        let shipment = Shipment {
            schema: SHIPMENT_SCHEMA.to_string(),
            shipment_id: shipment_id.clone(),
            channel: CHANNEL.to_string(),
            correlation_id: correlation_id.clone(),
            order_refs: vec![s.order_id.clone()],
            status: Some(s.state.to_string()),
            shipped_at: s.shipped_at.clone(),
            cancelled_at: (s.state == status::CANCELLED)
                .then(|| s.status_at.clone())
                .flatten(),
            expected_at: s.expected_at.clone(),
            carrier: package.and_then(|p| p.carrier.clone()).map(|code| Carrier {
                code: Some(code),
                ..Default::default()
            }),
            tracking: package
                .and_then(|p| p.tracking.clone())
                .into_iter()
                .collect(),
            ship_to: s.ship_to.clone(),
            packages: vec![Package {
                package_id: package.map(|p| p.number.clone()),
                tracking: package.and_then(|p| p.tracking.clone()),
                items,
            }],
            references: s.references.clone(),
            source: s.source.clone(),
            ..Default::default()
        };
        let id = format!("{CHANNEL}:shipment:{shipment_id}:{}:{}", s.state, s.stamp);
        out.push(emit(id, &correlation_id, DISPATCHED, &shipment)?);
    }
    Ok(out)
}

/// A package of `fulfillmentShipmentPackage` / `FulfillmentShipmentPackages`.
pub fn package(p: &Value, at: &str, keys: [&str; 3]) -> Result<Pkg, PluginError> {
    let [number, carrier, tracking] = keys;
    let o = p
        .as_object()
        .ok_or_else(|| PluginError::invalid(format!("{at} must be an object")))?;
    Ok(Pkg {
        number: required(o, number, &format!("{at}.{number}"))?,
        carrier: text(o.get(carrier)),
        tracking: text(o.get(tracking)),
    })
}

/// Maps a `getFulfillmentOrder` response's `payload`.
pub fn map_order(payload: &Map<String, Value>) -> Result<Vec<Message>, PluginError> {
    let order = obj(payload.get("fulfillmentOrder"))
        .ok_or_else(|| PluginError::invalid("payload.fulfillmentOrder must be an object"))?;
    let order_id = required(
        order,
        "sellerFulfillmentOrderId",
        "payload.fulfillmentOrder.sellerFulfillmentOrderId",
    )?;
    let what = format!("fulfillment order {order_id}");
    let err = |e: PluginError| e.prefixed(&format!("{what}: "));
    let order_status = text(order.get("fulfillmentOrderStatus"));
    let updated = ts(
        order.get("statusUpdatedDate"),
        "fulfillmentOrder.statusUpdatedDate",
    )
    .map_err(err)?;
    let stamp = updated
        .clone()
        .unwrap_or_else(|| digest(&Value::Object(payload.clone())));
    let ship_to = obj(order.get("destinationAddress")).and_then(crate::v2026::address);

    let mut references = BTreeMap::new();
    references.insert("seller_fulfillment_order_id".to_string(), order_id.clone());
    if let Some(d) = text(order.get("displayableOrderId")) {
        references.insert("displayable_order_id".to_string(), d);
    }
    let mut source = BTreeMap::new();
    source.insert(
        "document".into(),
        Value::from("amazon.mcf_fulfillment_order"),
    );
    source.insert("api".into(), Value::from("fulfillmentOutbound/2020-07-01"));
    for (key, field) in [
        ("fulfillment_order_status", "fulfillmentOrderStatus"),
        ("marketplace_id", "marketplaceId"),
        ("shipping_speed_category", "shippingSpeedCategory"),
        ("fulfillment_action", "fulfillmentAction"),
    ] {
        if let Some(v) = text(order.get(field)) {
            source.insert(key.into(), Value::from(v));
        }
    }

    let mut outcomes = Vec::new();
    for (i, s) in list(payload.get("fulfillmentShipments")).iter().enumerate() {
        let at = format!("fulfillmentShipments[{i}]");
        let o = s
            .as_object()
            .ok_or_else(|| err(PluginError::invalid(format!("{at} must be an object"))))?;
        let sid =
            required(o, "amazonShipmentId", &format!("{at}.amazonShipmentId")).map_err(err)?;
        let at = format!("{at} (amazonShipmentId {sid})");
        let word = required(
            o,
            "fulfillmentShipmentStatus",
            &format!("{at}.fulfillmentShipmentStatus"),
        )
        .map_err(err)?;
        let Some(state) =
            shipment_state(&word, &format!("{at}.fulfillmentShipmentStatus")).map_err(err)?
        else {
            outcomes.push(Outcome::Skip(format!("{at} is {word}, not shipped")));
            continue;
        };
        let mut packages = Vec::new();
        for (p, pkg) in list(o.get("fulfillmentShipmentPackage")).iter().enumerate() {
            let keys = ["packageNumber", "carrierCode", "trackingNumber"];
            packages.push(
                package(pkg, &format!("{at}.fulfillmentShipmentPackage[{p}]"), keys)
                    .map_err(err)?,
            );
        }
        let mut items = Vec::new();
        for (n, item) in list(o.get("fulfillmentShipmentItem")).iter().enumerate() {
            let path = format!("{at}.fulfillmentShipmentItem[{n}]");
            let io = item
                .as_object()
                .ok_or_else(|| err(PluginError::invalid(format!("{path} must be an object"))))?;
            let quantity = qty(io.get("quantity"), &format!("{path}.quantity"))
                .map_err(err)?
                .ok_or_else(|| err(PluginError::invalid(format!("{path}.quantity is missing"))))?;
            items.push((
                text(io.get("packageNumber")),
                ShippedItem {
                    item: ItemIds {
                        sku: text(io.get("sellerSku")),
                        ..Default::default()
                    },
                    quantity,
                    order_id: Some(order_id.clone()),
                    line_id: text(io.get("sellerFulfillmentOrderItemId")),
                    ..Default::default()
                },
            ));
        }
        let mut refs = references.clone();
        refs.insert("amazon_shipment_id".to_string(), sid.clone());
        if let Some(fc) = text(o.get("fulfillmentCenterId")) {
            refs.insert("fulfillment_center_id".to_string(), fc);
        }
        let mut src = source.clone();
        src.insert("fulfillment_shipment_status".into(), Value::from(word));
        outcomes.extend(
            package_shipments(FulfillmentShipment {
                order_id: order_id.clone(),
                amazon_shipment_id: sid,
                state,
                shipped_at: ts(o.get("shippingDate"), &format!("{at}.shippingDate"))
                    .map_err(err)?,
                expected_at: ts(
                    o.get("estimatedArrivalDate"),
                    &format!("{at}.estimatedArrivalDate"),
                )
                .map_err(err)?,
                status_at: updated.clone(),
                stamp: stamp.clone(),
                ship_to: ship_to.clone(),
                packages,
                items,
                references: refs,
                source: src,
                at,
            })
            .map_err(err)?,
        );
    }
    outcomes.extend(returns::map(payload, &order_id).map_err(err)?);
    if order_status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("Cancelled"))
    {
        let lines = order_lines(payload).map_err(err)?;
        let cancelled = Order {
            schema: ORDER_SCHEMA.to_string(),
            order_number: text(order.get("displayableOrderId")),
            channel: CHANNEL.to_string(),
            correlation_id: correlation(&order_id),
            purpose: Event::Cancelled.purpose().to_string(),
            status: order_status.clone(),
            ordered_at: ts(
                order.get("displayableOrderDate"),
                "fulfillmentOrder.displayableOrderDate",
            )
            .map_err(err)?,
            updated_at: updated.clone(),
            cancelled_at: updated,
            ship_to,
            lines,
            references: references.clone(),
            source,
            order_id: order_id.clone(),
            ..Default::default()
        };
        outcomes.push(Outcome::Emit(Event::Cancelled.message(&cancelled, None)?));
    } else if outcomes.is_empty() {
        outcomes.push(Outcome::Skip(format!(
            "its status is {} and it has no shipped or cancelled shipment",
            order_status.as_deref().unwrap_or("not given")
        )));
    }
    gather(
        outcomes,
        &format!("the getFulfillmentOrder response for {what}"),
    )
}

/// The `fulfillmentOrderItems` as order lines: line id
/// `sellerFulfillmentOrderItemId`, `sellerSku`, the ordered `quantity`.
fn order_lines(payload: &Map<String, Value>) -> Result<Vec<OrderLine>, PluginError> {
    let mut lines = Vec::new();
    for (i, item) in list(payload.get("fulfillmentOrderItems"))
        .iter()
        .enumerate()
    {
        let at = format!("fulfillmentOrderItems[{i}]");
        let o = item
            .as_object()
            .ok_or_else(|| PluginError::invalid(format!("{at} must be an object")))?;
        let line_id = required(
            o,
            "sellerFulfillmentOrderItemId",
            &format!("{at}.sellerFulfillmentOrderItemId"),
        )?;
        let quantity = qty(o.get("quantity"), &format!("{at}.quantity"))?
            .ok_or_else(|| PluginError::invalid(format!("{at}.quantity is missing")))?;
        lines.push(OrderLine {
            line_id,
            sku: text(o.get("sellerSku")),
            quantity,
            ..Default::default()
        });
    }
    Ok(lines)
}
