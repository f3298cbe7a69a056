//! The `returnItems` of a `getFulfillmentOrder` response → one return per
//! return item.
//!
//! An MCF return item is one returned unit (the API gives it no quantity:
//! `createFulfillmentReturn` takes one item per unit), so each is a return
//! of quantity 1 of the fulfillment order line
//! `sellerFulfillmentOrderItemId` (its `sellerSku` from
//! `fulfillmentOrderItems`), `return_id` its `sellerReturnItemId`.
//! `status` `Processed` (the fulfillment center processed the returned
//! unit) → `return.completed`, `returned_at` = `statusChangedDate`; `New`
//! (not processed yet) → `return.authorized`, `authorized_at` =
//! `statusChangedDate`. The response carries no refund amount, so a
//! return has no totals. `returnAuthorizationId` (with the authorization's
//! `amazonRmaId`) goes to `references`, the reason codes and the received
//! condition to `reason` / `source`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::document::ItemIds;
use weft_sdk::returns::{self, Return, ReturnLine, RETURN_SCHEMA};
use weft_sdk::PluginError;

use crate::json::{clip, text};
use crate::lifecycle::{correlation, emit, list, required, ts, Outcome};
use crate::CHANNEL;

/// The returns of `payload.returnItems` of fulfillment order `order_id`.
pub fn map(payload: &Map<String, Value>, order_id: &str) -> Result<Vec<Outcome>, PluginError> {
    let rma_of = |auth: &str| {
        list(payload.get("returnAuthorizations"))
            .iter()
            .find(|a| text(a.get("returnAuthorizationId")).as_deref() == Some(auth))
            .and_then(|a| text(a.get("amazonRmaId")))
    };
    // The SKU of a fulfillment order line.
    let sku_of = |line: &str| {
        list(payload.get("fulfillmentOrderItems"))
            .iter()
            .find(|i| text(i.get("sellerFulfillmentOrderItemId")).as_deref() == Some(line))
            .and_then(|i| text(i.get("sellerSku")))
    };
    let mut out = Vec::new();
    for (i, item) in list(payload.get("returnItems")).iter().enumerate() {
        let at = format!("returnItems[{i}]");
        let o = item
            .as_object()
            .ok_or_else(|| PluginError::invalid(format!("{at} must be an object")))?;
        let id = required(o, "sellerReturnItemId", &format!("{at}.sellerReturnItemId"))?;
        let at = format!("{at} (sellerReturnItemId {id})");
        let line_id = required(
            o,
            "sellerFulfillmentOrderItemId",
            &format!("{at}.sellerFulfillmentOrderItemId"),
        )?;
        let word = required(o, "status", &format!("{at}.status"))?;
        let changed = ts(
            o.get("statusChangedDate"),
            &format!("{at}.statusChangedDate"),
        )?;
        let (kind, state, returned_at, authorized_at) = match word.to_ascii_lowercase().as_str() {
            "processed" => (returns::COMPLETED, "completed", changed, None),
            "new" => (returns::AUTHORIZED, "authorized", None, changed),
            _ => {
                return Err(PluginError::invalid(format!(
                    "{at}.status `{}` is not an MCF return item status (New, Processed)",
                    clip(&word)
                )))
            }
        };
        let mut references = BTreeMap::new();
        references.insert(
            "seller_fulfillment_order_id".to_string(),
            order_id.to_string(),
        );
        if let Some(s) = text(o.get("amazonShipmentId")) {
            references.insert("amazon_shipment_id".to_string(), s);
        }
        if let Some(auth) = text(o.get("returnAuthorizationId")) {
            if let Some(rma) = rma_of(&auth) {
                references.insert("amazon_rma_id".to_string(), rma);
            }
            references.insert("return_authorization_id".to_string(), auth);
        }
        let mut source = BTreeMap::new();
        source.insert(
            "document".into(),
            Value::from("amazon.mcf_fulfillment_order"),
        );
        source.insert("api".into(), Value::from("fulfillmentOutbound/2020-07-01"));
        source.insert("return_item_status".into(), Value::from(word));
        for (key, field) in [
            ("amazon_return_reason_code", "amazonReturnReasonCode"),
            ("return_received_condition", "returnReceivedCondition"),
            ("return_comment", "returnComment"),
            ("fulfillment_center_id", "fulfillmentCenterId"),
        ] {
            if let Some(v) = text(o.get(field)) {
                source.insert(key.into(), Value::from(v));
            }
        }
        let correlation_id = correlation(order_id);
        let doc = Return {
            schema: RETURN_SCHEMA.to_string(),
            return_id: id.clone(),
            order_id: order_id.to_string(),
            channel: CHANNEL.to_string(),
            correlation_id: correlation_id.clone(),
            returned_at,
            status: Some(state.to_string()),
            authorized_at,
            reason: text(o.get("sellerReturnReasonCode")),
            lines: vec![ReturnLine {
                item: ItemIds {
                    sku: sku_of(&line_id),
                    ..Default::default()
                },
                line_id,
                quantity: "1".to_string(),
                ..Default::default()
            }],
            references,
            source,
            ..Default::default()
        };
        out.push(emit(
            format!("{CHANNEL}:return:{id}:{state}"),
            &correlation_id,
            kind,
            &doc,
        )?);
    }
    Ok(out)
}
