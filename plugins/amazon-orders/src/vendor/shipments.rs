//! Vendor Shipments `getShipmentDetails` → one `shipment.dispatched` per
//! entry of `payload.shipments`.
//!
//! `shipment_id` is `vendorShipmentIdentifier`; `order_refs` the
//! `purchaseOrders[].purchaseOrderNumber` (the correlation id is the first
//! one's); the items are every `purchaseOrders[].items[]` (`shippedQuantity`,
//! `itemSequenceNumber` as `line_id`, ASIN `buyerProductIdentifier` as
//! `buyer_part`, `vendorProductIdentifier` as `vendor_part`, `order_id` its
//! purchase order) in one package without id; each of `containers` is a
//! package of its own with its SSCC (else first identifier) and tracking
//! number but no items, so no unit is counted twice.
//!
//! Status: `transactionType` `Cancel` → `cancelled`; else
//! `currentShipmentStatus` `Shipped` → `shipped`; `Created`,
//! `TransportationRequested`, `CarrierAssigned` → not shipped yet: skipped
//! (a response holding only such shipments is refused). `shipped_at` is
//! `transportationDetails.shippedDate`, else `shipmentConfirmDate` (the
//! departure from the vendor). The carrier is `carrierDetails.code` /
//! `name` (or the `carrierScac` of Amazon's code samples); tracking numbers
//! are `carrierDetails.shipmentReferenceNumber` (or
//! `carrierShipmentReferenceNumber`) and the containers'.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::money;
use weft_sdk::shipment::{
    status, Carrier, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};
use weft_sdk::{Message, PluginError};

use super::party;
use crate::json::text;
use crate::lifecycle::{
    correlation, digest, emit, gather, list, obj, qty_dec, required, ts, Outcome,
};
use crate::CHANNEL;

/// Maps a `getShipmentDetails` response's `payload.shipments`.
pub fn map(shipments: &[Value]) -> Result<Vec<Message>, PluginError> {
    let mut outcomes = Vec::with_capacity(shipments.len());
    for (i, s) in shipments.iter().enumerate() {
        let at = format!("shipments[{i}]");
        let s = s
            .as_object()
            .ok_or_else(|| PluginError::invalid(format!("{at} must be an object")))?;
        outcomes.push(shipment(s, &at)?);
    }
    gather(outcomes, "the getShipmentDetails response")
}

/// One vendor shipment.
fn shipment(s: &Map<String, Value>, at: &str) -> Result<Outcome, PluginError> {
    let id = required(
        s,
        "vendorShipmentIdentifier",
        &format!("{at}.vendorShipmentIdentifier"),
    )?;
    let err = |e: PluginError| e.prefixed(&format!("vendor shipment {id}: "));
    let current = text(s.get("currentShipmentStatus")).unwrap_or_default();
    let cancel = text(s.get("transactionType")).is_some_and(|t| t.eq_ignore_ascii_case("Cancel"));
    let state = if cancel {
        status::CANCELLED
    } else if current.eq_ignore_ascii_case("Shipped") {
        status::SHIPPED
    } else {
        let shown = if current.is_empty() {
            "without a currentShipmentStatus"
        } else {
            &current
        };
        return Ok(Outcome::Skip(format!(
            "vendor shipment {id} is {shown}, not shipped"
        )));
    };

    let mut order_refs: Vec<String> = Vec::new();
    let mut items = Vec::new();
    for (p, po) in list(s.get("purchaseOrders")).iter().enumerate() {
        let path = format!("purchaseOrders[{p}]");
        let po = po
            .as_object()
            .ok_or_else(|| err(PluginError::invalid(format!("{path} must be an object"))))?;
        let number = required(
            po,
            "purchaseOrderNumber",
            &format!("{path}.purchaseOrderNumber"),
        )
        .map_err(err)?;
        if !order_refs.contains(&number) {
            order_refs.push(number.clone());
        }
        for (n, item) in list(po.get("items")).iter().enumerate() {
            let place = format!("{path} (purchaseOrderNumber {number}).items[{n}]");
            let shipped = obj(item.get("shippedQuantity"));
            let quantity = qty_dec(
                shipped.and_then(|q| q.get("amount")),
                &format!("{place}.shippedQuantity.amount"),
            )
            .map_err(err)?
            .ok_or_else(|| {
                err(PluginError::invalid(format!(
                    "{place}.shippedQuantity.amount is missing"
                )))
            })?;
            items.push(ShippedItem {
                item: ItemIds {
                    buyer_part: text(item.get("buyerProductIdentifier")),
                    vendor_part: text(item.get("vendorProductIdentifier")),
                    ..Default::default()
                },
                quantity: money::format_qty(quantity),
                uom: shipped.and_then(|q| text(q.get("unitOfMeasure"))),
                order_id: Some(number.clone()),
                line_id: text(item.get("itemSequenceNumber")),
                ..Default::default()
            });
        }
    }
    let first = order_refs.first().cloned().ok_or_else(|| {
        err(PluginError::invalid(
            "purchaseOrders names no purchase order",
        ))
    })?;

    let transport = obj(s.get("transportationDetails"));
    let details = transport.and_then(|t| obj(t.get("carrierDetails")));
    let pick = |detail: &str, flat: &str| {
        details
            .and_then(|d| text(d.get(detail)))
            .or_else(|| transport.and_then(|t| text(t.get(flat))))
    };
    let carrier = Carrier {
        code: pick("code", "carrierScac"),
        name: details.and_then(|d| text(d.get("name"))),
        mode: transport.and_then(|t| text(t.get("transportationMode"))),
        service: transport.and_then(|t| text(t.get("shipMode"))),
    };
    let mut tracking: Vec<String> = Vec::new();
    let mut add = |t: Option<String>| {
        if let Some(t) = t {
            if !tracking.contains(&t) {
                tracking.push(t);
            }
        }
    };
    add(pick(
        "shipmentReferenceNumber",
        "carrierShipmentReferenceNumber",
    ));
    let mut packages = vec![Package {
        items,
        ..Default::default()
    }];
    for c in list(s.get("containers")) {
        let ids = list(c.get("containerIdentifiers"));
        let sscc = ids
            .iter()
            .find(|i| {
                text(i.get("containerIdentificationType"))
                    .is_some_and(|t| t.eq_ignore_ascii_case("SSCC"))
            })
            .or_else(|| ids.first())
            .and_then(|i| text(i.get("containerIdentificationNumber")));
        let number = text(c.get("trackingNumber"));
        add(number.clone());
        packages.push(Package {
            package_id: sscc,
            tracking: number,
            items: Vec::new(),
        });
    }
    let shipped_at = match transport.map(|t| t.get("shippedDate")) {
        Some(Some(d)) if !d.is_null() => ts(Some(d), "transportationDetails.shippedDate"),
        _ => ts(s.get("shipmentConfirmDate"), "shipmentConfirmDate"),
    }
    .map_err(err)?;
    let status_at = ts(
        s.get("currentshipmentStatusDate"),
        "currentshipmentStatusDate",
    )
    .map_err(err)?
    .or(ts(s.get("transactionDate"), "transactionDate").map_err(err)?);

    let mut references = BTreeMap::new();
    if let Some(b) = text(s.get("buyerReferenceNumber")) {
        references.insert("buyer_reference_number".to_string(), b);
    }
    if let Some(b) = transport.and_then(|t| text(t.get("billOfLadingNumber"))) {
        references.insert("bill_of_lading".to_string(), b);
    }
    let mut source = BTreeMap::new();
    source.insert("document".into(), Value::from("amazon.vendor_shipment"));
    source.insert("api".into(), Value::from("vendorShipments/v1"));
    for (key, field) in [
        ("current_shipment_status", "currentShipmentStatus"),
        ("transaction_type", "transactionType"),
        ("transaction_date", "transactionDate"),
    ] {
        if let Some(v) = text(s.get(field)) {
            source.insert(key.into(), Value::from(v));
        }
    }
    let correlation_id = correlation(&first);
    let doc = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs,
        status: Some(state.to_string()),
        shipped_at: shipped_at.filter(|_| state == status::SHIPPED),
        cancelled_at: status_at.clone().filter(|_| state == status::CANCELLED),
        created_at: ts(s.get("shipmentCreateDate"), "shipmentCreateDate").map_err(err)?,
        expected_at: transport
            .map(|t| {
                ts(
                    t.get("estimatedDeliveryDate"),
                    "transportationDetails.estimatedDeliveryDate",
                )
            })
            .transpose()
            .map_err(err)?
            .flatten(),
        carrier: (carrier != Carrier::default()).then_some(carrier),
        tracking,
        parties: [
            party(s.get("sellingParty"), "seller"),
            party(s.get("shipFromParty"), "ship_from"),
            party(s.get("shipToParty"), "ship_to"),
        ]
        .into_iter()
        .flatten()
        .collect(),
        packages,
        references,
        source,
        ..Default::default()
    };
    let stamp = status_at.unwrap_or_else(|| digest(&Value::Object(s.clone())));
    let msg_id = format!("{CHANNEL}:shipment:{id}:{state}:{stamp}");
    emit(msg_id, &correlation_id, DISPATCHED, &doc)
}
