//! Adobe Commerce refund request (the body of
//! `POST /V1/order/{orderId}/refund`, which creates a credit memo) →
//! canonical `weft.return/1` (`return.completed`) or `weft.credit/1`
//! (`credit.issued`), never both.
//!
//! - With `items` of a quantity above zero the refund takes goods back: a
//!   return, its lines those items (`line_id` the `order_item_id`,
//!   `restock` whether `arguments.extension_attributes.return_to_stock_items`
//!   lists the item; unset when the body has no such list). The body states
//!   no item amounts (Magento computes them from the order), so the lines
//!   have none and `totals.total` is left out; `totals.shipping` is
//!   `arguments.shipping_amount`.
//! - Without such items it is money only: a credit of
//!   `shipping_amount + adjustment_positive − adjustment_negative` (what
//!   the credit memo refunds when it has no items), refused when that is
//!   not above zero. `issued_at` is required by the credit, so a credit
//!   needs the `x-adobe-commerce-requested-at` header.
//! - `source.adjustment_positive` (an extra refund, money back) and
//!   `source.adjustment_negative` (a fee kept) are the body's amounts as
//!   written (both positive in Magento); `source.adjustment` is their net,
//!   signed as money back to the customer (`positive − negative`).
//! - Ids: the order's from the request headers ([`crate::request`]); the
//!   document's `return_id` / `credit_id` is the returned credit memo id
//!   when passed on (also `refund_id`), else `{orderId}-{digest of the
//!   body}`. Message id `{channel}:creditmemo:{id}`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use weft_sdk::credit::{Credit, CREDIT_SCHEMA, ISSUED};
use weft_sdk::document::ItemIds;
use weft_sdk::money::{format_qty, money_str, Decimal};
use weft_sdk::returns::{Return, ReturnLine, ReturnTotals, COMPLETED, RETURN_SCHEMA};
use weft_sdk::scalar::{text, Scalar};
use weft_sdk::{Message, PluginError};

use crate::body::{self, RawRequest, Subject};
use crate::map::Settings;
use crate::request::{digest, Request, AT_HEADER};

/// Maps a refund request body.
pub fn map(
    object: Map<String, Value>,
    request: &Request,
    settings: &Settings,
) -> Result<Message, PluginError> {
    let order_id =
        request.order_id("a refund request (the body of POST /V1/order/{orderId}/refund)")?;
    let memo_id = request
        .entity_id
        .clone()
        .unwrap_or_else(|| format!("{order_id}-{}", digest(&Value::Object(object.clone()))));
    let name = format!("refund request for order {order_id}");
    let subject = Subject { name: &name };
    let raw: RawRequest = body::read(object, "", "an Adobe Commerce refund request")?;
    let items = body::items(&subject, raw.items.unwrap_or_default())?;
    let arguments = raw.arguments.unwrap_or_default();
    let amount =
        |v: &Option<Scalar>, at: &str| subject.decimal(v.as_ref(), format_args!("arguments.{at}"));
    let shipping = amount(&arguments.shipping_amount, "shipping_amount")?;
    let positive = amount(&arguments.adjustment_positive, "adjustment_positive")?;
    let negative = amount(&arguments.adjustment_negative, "adjustment_negative")?;
    let restocked: Option<Vec<String>> = arguments
        .extension_attributes
        .and_then(|e| e.return_to_stock_items)
        .map(|ids| {
            ids.iter()
                .filter_map(|i| text(i).map(|s| s.trim().to_string()))
                .collect()
        });
    let net = match (positive, negative) {
        (None, None) => None,
        (p, n) => Some(
            p.unwrap_or_default()
                .checked_sub(n.unwrap_or_default())
                .ok_or_else(|| subject.err("amounts in arguments are too large to compute"))?,
        ),
    };

    let mut source = BTreeMap::new();
    source.insert(
        "document".to_string(),
        Value::from("adobe-commerce.refund_request"),
    );
    for (key, value) in [
        ("shipping_amount", shipping),
        ("adjustment_positive", positive),
        ("adjustment_negative", negative),
        ("adjustment", net),
    ] {
        if let Some(v) = value {
            source.insert(key.to_string(), Value::from(money_str(v)));
        }
    }
    if let Some(c) = body::comment(raw.comment) {
        source.insert("comment".to_string(), Value::from(c));
    }
    if let Some(n) = raw.notify.as_ref().and_then(Scalar::as_bool) {
        source.insert("notify".to_string(), Value::from(n));
    }
    if let Some(r) = &restocked {
        let ids = r.iter().map(|s| Value::from(s.as_str())).collect();
        source.insert("return_to_stock_items".to_string(), Value::Array(ids));
    }

    let channel = &settings.channel;
    let correlation_id = format!("{channel}:{order_id}");
    let message_id = format!("{channel}:creditmemo:{memo_id}");
    if !items.is_empty() {
        let doc = Return {
            schema: RETURN_SCHEMA.to_string(),
            return_id: memo_id.clone(),
            refund_id: request.entity_id.clone(),
            order_id,
            channel: channel.clone(),
            correlation_id: correlation_id.clone(),
            returned_at: request.at.clone(),
            lines: items
                .into_iter()
                .map(|i| ReturnLine {
                    restock: restocked.as_ref().map(|r| r.contains(&i.line_id)),
                    line_id: i.line_id,
                    item: ItemIds::default(),
                    quantity: format_qty(i.quantity),
                    amount: None,
                    reason: None,
                })
                .collect(),
            totals: ReturnTotals {
                shipping: shipping.map(money_str),
                ..Default::default()
            },
            source,
            ..Default::default()
        };
        return Message::json(message_id, correlation_id, COMPLETED, &doc);
    }

    let credited = subject.add(
        shipping.unwrap_or_default(),
        net.unwrap_or_default(),
        "arguments",
    )?;
    if credited <= Decimal::ZERO {
        return Err(subject.err(format_args!(
            "returns no goods (no `items` with a quantity) and refunds no money (shipping_amount + adjustment_positive − adjustment_negative is {})",
            money_str(credited)
        )));
    }
    let issued_at = request.at.clone().ok_or_else(|| {
        subject.err(format_args!(
            "a refund without items is a credit, which needs the time it was issued: pass it in header `{AT_HEADER}`"
        ))
    })?;
    let doc = Credit {
        schema: CREDIT_SCHEMA.to_string(),
        credit_id: memo_id,
        channel: channel.clone(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![order_id.clone()],
        order_id: Some(order_id),
        issued_at,
        currency: None,
        amount: money_str(credited),
        reason: None,
        lines: Vec::new(),
        source,
    };
    Message::json(message_id, correlation_id, ISSUED, &doc)
}
