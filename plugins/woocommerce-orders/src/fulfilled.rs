//! The "order fulfilled" milestone: WooCommerce says an order is
//! `completed` without saying what was shipped, so it becomes a
//! `weft.shipment/1` (`shipment.dispatched`) with `status: fulfilled` and
//! no packages or quantities (the ledger counts the order shipped in full
//! only while no real shipment does).
//!
//! `shipment_id` is `{order id}:fulfilled`, so every report of the same
//! completion (the completed order, polled again; its status-history note)
//! is the same shipment; the message id is
//! `{channel}:{order id}:fulfilled:{shipped_at}` (without the time when
//! none is known), so the same completion reported twice is one message.

use std::collections::BTreeMap;

use serde_json::Value;
use weft_sdk::order::{Address, Order};
use weft_sdk::shipment::{status, Shipment, DISPATCHED, SHIPMENT_SCHEMA};
use weft_sdk::{Message, PluginError};

/// What is known of one completion.
pub struct Completion<'a> {
    /// The channel code.
    pub channel: &'a str,
    /// The order's id.
    pub order_id: &'a str,
    /// When it was completed.
    pub at: Option<String>,
    /// Where the goods went, when the document says.
    pub ship_to: Option<Address>,
    /// `source` of the shipment (`document`, …).
    pub source: BTreeMap<String, Value>,
}

/// The fulfilled milestone of a mapped order whose status is `completed`
/// (`shipped_at` ← its `source.date_completed`); `None` for other orders.
pub fn of_order(order: &Order) -> Result<Option<Message>, PluginError> {
    let completed = order
        .status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("completed"));
    if !completed {
        return Ok(None);
    }
    let mut source = BTreeMap::new();
    source.insert("document".to_string(), Value::from("woocommerce.order"));
    source.insert("order_status".to_string(), Value::from("completed"));
    let at = order
        .source
        .get("date_completed")
        .and_then(Value::as_str)
        .map(str::to_string);
    let c = Completion {
        channel: &order.channel,
        order_id: &order.order_id,
        at,
        ship_to: order.ship_to.clone(),
        source,
    };
    message(c).map(Some)
}

/// The fulfilled shipment message of a completion.
pub fn message(c: Completion) -> Result<Message, PluginError> {
    let correlation_id = format!("{}:{}", c.channel, c.order_id);
    let id = match &c.at {
        Some(at) => format!("{correlation_id}:fulfilled:{at}"),
        None => format!("{correlation_id}:fulfilled"),
    };
    let shipment = Shipment {
        schema: SHIPMENT_SCHEMA.to_string(),
        shipment_id: format!("{}:fulfilled", c.order_id),
        channel: c.channel.to_string(),
        correlation_id: correlation_id.clone(),
        order_refs: vec![c.order_id.to_string()],
        status: Some(status::FULFILLED.to_string()),
        shipped_at: c.at,
        ship_to: c.ship_to,
        source: c.source,
        ..Default::default()
    };
    Message::json(id, correlation_id, DISPATCHED, &shipment)
}
