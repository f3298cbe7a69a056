//! Vendor Central (Amazon Retail buying from a vendor): Vendor Orders
//! `getPurchaseOrdersStatus` → `order.acknowledged` (`weft.order_ack/1`)
//! per purchase order, and Vendor Shipments `getShipmentDetails` →
//! `shipment.dispatched` ([`shipments`]).
//!
//! A vendor purchase order is Amazon's order to the vendor, known by its
//! `purchaseOrderNumber`: correlation id `amazon:{purchaseOrderNumber}`,
//! `references.po_number`.
//!
//! Lines come from the acknowledged quantities of each `itemStatus`, read
//! from the documented `acknowledgementStatus` (`acceptedQuantity`,
//! `rejectedQuantity`, `confirmationStatus`) or, as Amazon's code samples
//! write it, `acknowledgedQuantity`; the ordered quantity from
//! `orderedQuantity.orderedQuantity` or a bare `orderedQuantity`. Per
//! item: the accepted units are an `accepted` line, the rejected units a
//! `rejected` line, and units neither accepted nor rejected a `pending`
//! line (all with the item's `itemSequenceNumber` as `line_id`). The
//! status response has no backorder quantity (backordered units are
//! accepted units that ship later), so no line is `backordered`. A line
//! with only a `confirmationStatus` is `accepted`/`rejected` without a
//! quantity. `ack_type`: `accepted` when every unit is accepted,
//! `rejected` when every unit is rejected, else `accepted_with_changes`.
//! A purchase order none of whose items is acknowledged is not an
//! acknowledgement: it is skipped (refused when it is the only one).
//!
//! Receipts (what Amazon's warehouse received) have no canonical field:
//! they are listed in `source.receiving` (`line_id`, `received_quantity`,
//! `uom`, `receive_status`, `last_receive_date`).

pub mod shipments;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use weft_sdk::document::{ItemIds, Party};
use weft_sdk::money::{self, Decimal};
use weft_sdk::order_ack::{AckLine, OrderAck, ACKNOWLEDGED, ORDER_ACK_SCHEMA};
use weft_sdk::{Message, PluginError};

use crate::json::text;
use crate::lifecycle::{
    correlation, digest, emit, gather, list, obj, qty_dec, required, ts, Outcome,
};
use crate::CHANNEL;

/// Maps a `getPurchaseOrdersStatus` response's `payload.ordersStatus`.
pub fn map_status(orders: &[Value]) -> Result<Vec<Message>, PluginError> {
    let mut outcomes = Vec::with_capacity(orders.len());
    for (i, o) in orders.iter().enumerate() {
        let at = format!("ordersStatus[{i}]");
        let o = o
            .as_object()
            .ok_or_else(|| PluginError::invalid(format!("{at} must be an object")))?;
        outcomes.push(ack(o, &at)?);
    }
    gather(outcomes, "the getPurchaseOrdersStatus response")
}

/// The party `role` of `v` (`{"partyId"}`), if it names one.
pub fn party(v: Option<&Value>, role: &str) -> Option<Party> {
    text(obj(v)?.get("partyId")).map(|id| Party {
        role: role.to_string(),
        id: Some(id),
        ..Default::default()
    })
}

/// The `amount` of an `ItemQuantity` at `path`, with its unit.
fn quantity(
    v: Option<&Value>,
    path: &str,
) -> Result<Option<(Decimal, Option<String>)>, PluginError> {
    let Some(o) = obj(v) else { return Ok(None) };
    Ok(qty_dec(o.get("amount"), &format!("{path}.amount"))?
        .map(|q| (q, text(o.get("unitOfMeasure")))))
}

/// The acknowledgement of one purchase order.
fn ack(o: &Map<String, Value>, at: &str) -> Result<Outcome, PluginError> {
    let po = required(
        o,
        "purchaseOrderNumber",
        &format!("{at}.purchaseOrderNumber"),
    )?;
    let err = |e: PluginError| e.prefixed(&format!("purchase order {po}: "));
    let mut lines = Vec::new();
    let mut receiving = Vec::new();
    let mut acknowledged_at: Option<String> = None;
    let (mut all_accepted, mut all_rejected) = (true, true);
    for (i, item) in list(o.get("itemStatus")).iter().enumerate() {
        let path = format!("itemStatus[{i}]");
        let item = item
            .as_object()
            .ok_or_else(|| err(PluginError::invalid(format!("{path} must be an object"))))?;
        let line_id = required(
            item,
            "itemSequenceNumber",
            &format!("{path}.itemSequenceNumber"),
        )
        .map_err(err)?;
        let path = format!("{path} (itemSequenceNumber {line_id})");
        let ids = ItemIds {
            buyer_part: text(item.get("buyerProductIdentifier")),
            vendor_part: text(item.get("vendorProductIdentifier")),
            ..Default::default()
        };
        let ordered_obj = obj(item.get("orderedQuantity"));
        let ordered = match ordered_obj.and_then(|q| q.get("orderedQuantity")) {
            Some(inner) => quantity(
                Some(inner),
                &format!("{path}.orderedQuantity.orderedQuantity"),
            ),
            None => quantity(
                item.get("orderedQuantity"),
                &format!("{path}.orderedQuantity"),
            ),
        }
        .map_err(err)?;
        let (ack_key, ack_obj) = match obj(item.get("acknowledgementStatus")) {
            Some(a) => ("acknowledgementStatus", Some(a)),
            None => (
                "acknowledgedQuantity",
                obj(item.get("acknowledgedQuantity")),
            ),
        };
        let get = |key: &str| ack_obj.and_then(|a| a.get(key));
        let accepted = quantity(
            get("acceptedQuantity"),
            &format!("{path}.{ack_key}.acceptedQuantity"),
        )
        .map_err(err)?;
        let rejected = quantity(
            get("rejectedQuantity"),
            &format!("{path}.{ack_key}.rejectedQuantity"),
        )
        .map_err(err)?;
        let confirmation = text(get("confirmationStatus"));
        for (d, detail) in list(get("acknowledgementStatusDetails")).iter().enumerate() {
            let date = ts(
                detail.get("acknowledgementDate"),
                &format!("{path}.{ack_key}.acknowledgementStatusDetails[{d}].acknowledgementDate"),
            )
            .map_err(err)?;
            acknowledged_at = acknowledged_at.max(date);
        }
        let uom = ordered
            .as_ref()
            .and_then(|q| q.1.clone())
            .or_else(|| accepted.as_ref().and_then(|q| q.1.clone()));
        let ordered_qty = ordered.as_ref().map(|q| q.0);
        let line = |status: &str, quantity: Option<Decimal>| AckLine {
            line_id: line_id.clone(),
            item: ids.clone(),
            ordered_quantity: ordered_qty.map(money::format_qty),
            quantity: quantity.map(money::format_qty),
            uom: uom.clone(),
            status: status.to_string(),
            status_code: confirmation.clone(),
            ..Default::default()
        };
        let acc = accepted.as_ref().map_or(Decimal::ZERO, |q| q.0);
        let rej = rejected.as_ref().map_or(Decimal::ZERO, |q| q.0);
        let word = confirmation
            .as_deref()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let start = lines.len();
        if acc > Decimal::ZERO {
            lines.push(line("accepted", Some(acc)));
        }
        if rej > Decimal::ZERO {
            lines.push(line("rejected", Some(rej)));
        }
        let open = ordered_qty
            .and_then(|q| q.checked_sub(acc)?.checked_sub(rej))
            .filter(|q| *q > Decimal::ZERO);
        match (acc.is_zero() && rej.is_zero(), word.as_str()) {
            (true, "ACCEPTED") => lines.push(line("accepted", None)),
            (true, "REJECTED") => lines.push(line("rejected", None)),
            (true, _) => lines.push(line("pending", ordered_qty)),
            (false, _) => {
                if let Some(q) = open {
                    lines.push(line("pending", Some(q)));
                }
            }
        }
        let mine = &lines[start..];
        all_accepted &= mine.iter().all(|l| l.status == "accepted");
        all_rejected &= mine.iter().all(|l| l.status == "rejected");
        if let Some(r) = obj(item.get("receivingStatus")) {
            let received = quantity(
                r.get("receivedQuantity"),
                &format!("{path}.receivingStatus.receivedQuantity"),
            )
            .map_err(err)?;
            let mut entry = json!({ "line_id": line_id });
            if let Some((q, unit)) = received {
                entry["received_quantity"] = Value::from(money::format_qty(q));
                if let Some(u) = unit {
                    entry["uom"] = Value::from(u);
                }
            }
            for (key, field) in [
                ("receive_status", "receiveStatus"),
                ("last_receive_date", "lastReceiveDate"),
            ] {
                if let Some(v) = text(r.get(field)) {
                    entry[key] = Value::from(v);
                }
            }
            receiving.push(entry);
        }
    }
    if lines.is_empty() {
        return Err(err(PluginError::invalid("itemStatus lists no items")));
    }
    if lines.iter().all(|l| l.status == "pending") {
        return Ok(Outcome::Skip(format!(
            "purchase order {po} is not acknowledged yet (no item has an accepted or rejected quantity)"
        )));
    }
    let ack_type = match (all_accepted, all_rejected) {
        (true, _) => "accepted",
        (_, true) => "rejected",
        _ => "accepted_with_changes",
    };
    let updated = ts(o.get("lastUpdatedDate"), &format!("{at}.lastUpdatedDate")).map_err(err)?;
    let mut source = BTreeMap::new();
    source.insert(
        "document".into(),
        Value::from("amazon.vendor_purchase_order_status"),
    );
    source.insert("api".into(), Value::from("vendorOrders/v1"));
    if let Some(s) = text(o.get("purchaseOrderStatus")) {
        source.insert("purchase_order_status".into(), Value::from(s));
    }
    if let Some(u) = &updated {
        source.insert("last_updated_date".into(), Value::from(u.clone()));
    }
    if !receiving.is_empty() {
        source.insert("receiving".into(), Value::Array(receiving));
    }
    let correlation_id = correlation(&po);
    let doc = OrderAck {
        schema: ORDER_ACK_SCHEMA.to_string(),
        order_id: po.clone(),
        channel: CHANNEL.to_string(),
        correlation_id: correlation_id.clone(),
        ack_type: ack_type.to_string(),
        acknowledged_at,
        ordered_at: ts(
            o.get("purchaseOrderDate"),
            &format!("{at}.purchaseOrderDate"),
        )
        .map_err(err)?,
        parties: [
            party(o.get("sellingParty"), "seller"),
            party(o.get("shipToParty"), "ship_to"),
        ]
        .into_iter()
        .flatten()
        .collect(),
        lines,
        references: BTreeMap::from([("po_number".to_string(), po.clone())]),
        source,
        ..Default::default()
    };
    let stamp = updated.unwrap_or_else(|| digest(&Value::Object(o.clone())));
    let id = format!("{CHANNEL}:vendor-po:{po}:{ACKNOWLEDGED}:{stamp}");
    emit(id, &correlation_id, ACKNOWLEDGED, &doc)
}
