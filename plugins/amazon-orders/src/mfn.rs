//! Merchant Fulfillment v0 (Buy Shipping) `getShipment` /
//! `createShipment` responses → `shipment.dispatched` (`weft.shipment/1`).
//!
//! A Merchant Fulfillment shipment is one package with a purchased label.
//! Is a purchased label a shipment? Amazon's model documents `Status`
//! `Purchased` as "the seller purchased a label by calling
//! createShipment", and says that after a label refund is requested "the
//! status of the order remains `Shipped`": buying the label is what marks
//! the Amazon order shipped. So:
//!
//! - `Purchased` → `shipped`; `RefundRejected` (the carrier refused the
//!   refund, typically because it already accepted the package) →
//!   `shipped`;
//! - `RefundPending` (the seller cancelled the label with
//!   `cancelShipment`) and `RefundApplied` → `cancelled`, a fact about the
//!   same `shipment_id` (`cancelled_at` = `LastUpdatedDate`);
//! - any other `Status` is refused.
//!
//! `shipment_id` is `ShipmentId`; the order `AmazonOrderId` (correlation
//! `amazon:{AmazonOrderId}`); items the `ItemList` (`OrderItemId` as
//! `line_id`, `Quantity`); `shipped_at` the label's
//! `ShippingService.ShipDate` (the date the carrier takes it, as given),
//! `created_at` `CreatedDate`; carrier `CarrierName` with service
//! `ShippingServiceName`; tracking `TrackingId`; weight `Weight`. The
//! label rate (what the seller pays the carrier) is in `source.label_rate`,
//! never in an order amount. An order that also sends `ORDER_CHANGE`
//! Shipped notifications gets a second shipment record from them (their
//! `shipment_id` is the order id): feed one of the two.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::money;
use weft_sdk::order::Address;
use weft_sdk::shipment::{
    status, Carrier, Measure, Package, Shipment, ShippedItem, DISPATCHED, SHIPMENT_SCHEMA,
};
use weft_sdk::{Message, PluginError};

use crate::json::{self, text};
use crate::lifecycle::{correlation, digest, emit, gather, list, obj, qty, required, ts};
use crate::CHANNEL;

/// Maps a Merchant Fulfillment shipment (`payload` of `getShipment`).
pub fn map(p: &Map<String, Value>) -> Result<Vec<Message>, PluginError> {
    let id = required(p, "ShipmentId", "payload.ShipmentId")?;
    let order_id = required(p, "AmazonOrderId", "payload.AmazonOrderId")?;
    let err = |e: PluginError| e.prefixed(&format!("Merchant Fulfillment shipment {id}: "));
    let label = required(p, "Status", "payload.Status").map_err(err)?;
    let state = match label.to_ascii_lowercase().as_str() {
        "purchased" | "refundrejected" => status::SHIPPED,
        "refundpending" | "refundapplied" => status::CANCELLED,
        _ => {
            return Err(err(PluginError::invalid(format!(
                "payload.Status `{}` is not a Merchant Fulfillment shipment status (Purchased, RefundPending, RefundRejected, RefundApplied)",
                json::clip(&label)
            ))))
        }
    };
    let mut items = Vec::new();
    for (i, item) in list(p.get("ItemList")).iter().enumerate() {
        let at = format!("ItemList[{i}]");
        let o = item
            .as_object()
            .ok_or_else(|| err(PluginError::invalid(format!("{at} must be an object"))))?;
        let quantity = qty(o.get("Quantity"), &format!("{at}.Quantity"))
            .map_err(err)?
            .ok_or_else(|| err(PluginError::invalid(format!("{at}.Quantity is missing"))))?;
        items.push(ShippedItem {
            item: ItemIds::default(),
            quantity,
            order_id: Some(order_id.clone()),
            line_id: text(o.get("OrderItemId")),
            ..Default::default()
        });
    }
    if items.is_empty() {
        return Err(err(PluginError::invalid("payload.ItemList lists no items")));
    }
    let service = obj(p.get("ShippingService"));
    let tracking = text(p.get("TrackingId"));
    let updated = ts(p.get("LastUpdatedDate"), "payload.LastUpdatedDate").map_err(err)?;
    let weight = match obj(p.get("Weight")) {
        Some(w) => qty(w.get("Value"), "payload.Weight.Value")
            .map_err(err)?
            .map(|value| Measure {
                value,
                unit: text(w.get("Unit")),
            }),
        None => None,
    };
    let mut source = BTreeMap::new();
    source.insert("document".into(), Value::from("amazon.mfn_shipment"));
    source.insert("api".into(), Value::from("merchantFulfillment/v0"));
    source.insert("label_status".into(), Value::from(label));
    if let Some(s) = service.and_then(|s| text(s.get("ShippingServiceId"))) {
        source.insert("shipping_service_id".into(), Value::from(s));
    }
    for (key, field) in [
        ("label_rate", "Rate"),
        ("label_rate_with_adjustments", "RateWithAdjustments"),
    ] {
        let money_obj = service.and_then(|s| obj(s.get(field)));
        if let Some(m) = money_obj {
            let amount = m.get("Amount").and_then(money::from_json);
            if let Some(a) = amount {
                let mut entry = json!({ "amount": money::money_str(a) });
                if let Some(c) = text(m.get("CurrencyCode")) {
                    entry["currency"] = Value::from(c);
                }
                source.insert(key.into(), entry);
            }
        }
    }
    let mut references = BTreeMap::new();
    if let Some(s) = text(p.get("SellerOrderId")) {
        references.insert("seller_order_id".to_string(), s);
    }
    let correlation_id = correlation(&order_id);
    let shipment = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: id.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id],
        status: Some(state.to_string()),
        shipped_at: service
            .map(|s| ts(s.get("ShipDate"), "payload.ShippingService.ShipDate"))
            .transpose()
            .map_err(err)?
            .flatten(),
        cancelled_at: updated.clone().filter(|_| state == status::CANCELLED),
        created_at: ts(p.get("CreatedDate"), "payload.CreatedDate").map_err(err)?,
        carrier: service
            .map(|s| Carrier {
                name: text(s.get("CarrierName")),
                service: text(s.get("ShippingServiceName")),
                ..Default::default()
            })
            .filter(|c| *c != Carrier::default()),
        tracking: tracking.clone().into_iter().collect(),
        ship_to: obj(p.get("ShipToAddress")).and_then(address),
        ship_from: obj(p.get("ShipFromAddress")).and_then(address),
        weight,
        packages: vec![Package {
            package_id: None,
            tracking,
            items,
        }],
        references,
        source,
        ..Default::default()
    };
    let stamp = updated.unwrap_or_else(|| digest(&Value::Object(p.clone())));
    let msg_id = format!("{CHANNEL}:shipment:{id}:{state}:{stamp}");
    let what = format!("the Merchant Fulfillment shipment {id}");
    gather(
        vec![emit(msg_id, &correlation_id, DISPATCHED, &shipment)?],
        &what,
    )
}

/// A Merchant Fulfillment address (`StateOrProvinceCode`, blank `Email`
/// and `Phone` left out).
fn address(a: &Map<String, Value>) -> Option<Address> {
    let address = Address {
        name: text(a.get("Name")),
        address_lines: ["AddressLine1", "AddressLine2", "AddressLine3"]
            .iter()
            .filter_map(|k| text(a.get(*k)))
            .collect(),
        city: text(a.get("City")),
        region: text(a.get("StateOrProvinceCode")),
        postal_code: text(a.get("PostalCode")),
        country: text(a.get("CountryCode")),
        phone: text(a.get("Phone")),
        ..Default::default()
    };
    (address != Address::default()).then_some(address)
}
