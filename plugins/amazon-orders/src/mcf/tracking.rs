//! `getPackageTrackingDetails` (MCF) → the delivery of the package's
//! shipment: `shipment.dispatched` with `status: "delivered"` and the same
//! `shipment_id` as the shipped package (its `packageNumber`, see
//! [`crate::mcf`]), no items (a delivery scan states a status, not the
//! goods).
//!
//! Only `currentStatus` `DELIVERED` is mapped; `delivered_at` is the date
//! of the `EVENT_301` ("Delivered") tracking event, absent when there is
//! none (never the time of another event). Other statuses (`IN_TRANSIT`,
//! `RETURNING`, …) are refused: the shipment itself comes from
//! `getFulfillmentOrder`.
//!
//! The response names neither the fulfillment order nor the fulfillment
//! shipment. The caller may add the order as a top-level
//! `"sellerFulfillmentOrderId"` next to `payload`; then the correlation id
//! is `amazon:{sellerFulfillmentOrderId}` and `order_refs` names it.
//! Without it the correlation id is `amazon:package:{packageNumber}` and
//! `order_refs` is empty, so the ledger holds the delivery as an orphan.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::order::Address;
use weft_sdk::shipment::{status, Carrier, Package, Shipment, DISPATCHED, SHIPMENT_SCHEMA};
use weft_sdk::{Message, PluginError};

use crate::json::text;
use crate::lifecycle::{correlation, digest, emit, gather, list, obj, required, ts, Outcome};
use crate::CHANNEL;

/// Maps a `getPackageTrackingDetails` response (`doc`, its `payload`).
pub fn map(
    doc: &Map<String, Value>,
    payload: &Map<String, Value>,
) -> Result<Vec<Message>, PluginError> {
    let number = required(payload, "packageNumber", "payload.packageNumber")?;
    let what = format!("the getPackageTrackingDetails response for package {number}");
    let err = |e: PluginError| e.prefixed(&format!("package {number}: "));
    let current = text(payload.get("currentStatus")).unwrap_or_default();
    if !current.eq_ignore_ascii_case("DELIVERED") {
        let why = if current.is_empty() {
            "it has no currentStatus".to_string()
        } else {
            format!(
                "its currentStatus is {}; only a DELIVERED package is mapped",
                crate::json::clip(&current)
            )
        };
        return gather(vec![Outcome::Skip(why)], &what);
    }
    let mut delivered_at = None;
    for (i, event) in list(payload.get("trackingEvents")).iter().enumerate() {
        let at = format!("trackingEvents[{i}].eventDate");
        if text(event.get("eventCode")).as_deref() == Some("EVENT_301") {
            let date = ts(event.get("eventDate"), &at).map_err(err)?;
            delivered_at = delivered_at.max(date);
        }
    }
    let order_id = text(doc.get("sellerFulfillmentOrderId"));
    let correlation_id = match &order_id {
        Some(id) => correlation(id),
        None => format!("{CHANNEL}:package:{number}"),
    };
    let tracking = text(payload.get("trackingNumber"));
    let ship_to = obj(payload.get("shipToAddress")).and_then(|a| {
        let address = Address {
            city: text(a.get("city")),
            region: text(a.get("state")),
            country: text(a.get("country")),
            ..Default::default()
        };
        (address != Address::default()).then_some(address)
    });
    let mut source = BTreeMap::new();
    source.insert(
        "document".into(),
        Value::from("amazon.mcf_package_tracking"),
    );
    source.insert("api".into(), Value::from("fulfillmentOutbound/2020-07-01"));
    source.insert("current_status".into(), Value::from(current.clone()));
    for (key, field) in [
        ("additional_location_info", "additionalLocationInfo"),
        ("signed_for_by", "signedForBy"),
        ("carrier_url", "carrierURL"),
    ] {
        if let Some(v) = text(payload.get(field)) {
            source.insert(key.into(), Value::from(v));
        }
    }
    let shipment = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: number.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: order_id.into_iter().collect(),
        status: Some(status::DELIVERED.to_string()),
        shipped_at: ts(payload.get("shipDate"), "payload.shipDate").map_err(err)?,
        delivered_at: delivered_at.clone(),
        expected_at: ts(
            payload.get("estimatedArrivalDate"),
            "payload.estimatedArrivalDate",
        )
        .map_err(err)?,
        carrier: text(payload.get("carrierCode")).map(|code| Carrier {
            code: Some(code),
            ..Default::default()
        }),
        tracking: tracking.clone().into_iter().collect(),
        ship_to,
        packages: vec![Package {
            package_id: Some(number.clone()),
            tracking,
            items: Vec::new(),
        }],
        source,
        ..Default::default()
    };
    let stamp = delivered_at.unwrap_or_else(|| digest(&Value::Object(payload.clone())));
    let id = format!("{CHANNEL}:shipment:{number}:delivered:{stamp}");
    gather(
        vec![emit(id, &correlation_id, DISPATCHED, &shipment)?],
        &what,
    )
}
