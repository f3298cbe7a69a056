//! weft source `woocommerce-orders`: WooCommerce orders, order refunds and
//! order notes (REST v3 `/wp-json/wc/v3`, the legacy REST API
//! `/wc-api/v2|v3`, and `order.*` webhook bodies) → canonical documents.
//!
//! | input | output |
//! |---|---|
//! | order: bare (`GET /orders/{id}`, `order.*` webhook), an array (`GET /orders`), legacy `{"order": {…}}` / `{"orders": […]}` | per order one `order.created` / `order.updated` / `order.cancelled` (`weft.order/1`); a `completed` order also a `shipment.dispatched` (`weft.shipment/1`, `status: fulfilled`) |
//! | refund: bare, an array (`GET /orders/{id}/refunds`), legacy `{"order_refund": {…}}` / `{"order_refunds": […]}` | per refund one `return.completed` (`weft.return/1`, line items with a quantity came back) or `credit.issued` (`weft.credit/1`, money only) |
//! | order note: bare, an array (`GET /orders/{id}/notes`), legacy `{"order_note": {…}}` / `{"order_notes": […]}` | per note saying the status changed to Completed a `shipment.dispatched` (`status: fulfilled`); nothing for other notes |
//!
//! The kind of an order: status `cancelled` is `order.cancelled`;
//! otherwise the `x-wc-webhook-topic` header when the host passes it on
//! (`order.created`, `order.updated` and `order.restored` → `order.updated`,
//! `order.deleted` → `order.cancelled`; a deleted order's body may be just
//! `{"id": …}`), else the `event` setting (`created`, the default, or
//! `updated`).
//!
//! The order of a refund or note: a v3 refund or note body does not name
//! it, so it is the body's `order_id` when present, else the order its
//! REST `_links.up` (else `_links.collection`) `href` points to
//! (`…/orders/723`), else the `x-wc-order-id` header, else the `order_id`
//! setting; sources that disagree, or none at all, are refused.
//!
//! Output ids are derived from the document, so replaying one yields the
//! same ids, and change with the content they announce: orders
//! `{channel}:{id}:{kind}:{modification time}` (see [`orders`]), fulfilled
//! milestones `{channel}:{id}:fulfilled:{completion time}`, refunds
//! `{channel}:refund:{id}:{digest}`. Every document of an order carries
//! the order's correlation id, `{channel}:{order id}`.
//!
//! Settings: `channel` (default `woocommerce`), `event`, `order_id`.

mod common;
mod fulfilled;
pub mod map;
mod note;
pub mod orders;
mod raw;
mod refund;
mod shape;

use weft_sdk::order::kinds;
use weft_sdk::order_map::{self, FoundOrder};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

use common::{gather, OrderHint, Outcome};
use map::Event;
use shape::Kind;

pub use common::{ORDER_ID_HEADER, ORDER_ID_SETTING};

/// The `woocommerce-orders` source plugin.
pub struct WooCommerceOrders;

/// Header carrying the webhook topic (`order.created`, …).
pub const TOPIC_HEADER: &str = "x-wc-webhook-topic";

/// Channel code when the `channel` setting is unset.
pub const DEFAULT_CHANNEL: &str = "woocommerce";

impl Plugin for WooCommerceOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info(
            "woocommerce-orders",
            env!("CARGO_PKG_VERSION"),
            Role::Source,
        )
        .summary("WooCommerce REST v3 and legacy orders, refunds and order notes -> canonical weft.order/1, weft.shipment/1 (fulfilled), weft.return/1, weft.credit/1")
        .accepts(["raw"])
        .emits([
            kinds::CREATED,
            kinds::UPDATED,
            kinds::CANCELLED,
            weft_sdk::shipment::DISPATCHED,
            weft_sdk::returns::COMPLETED,
            weft_sdk::credit::ISSUED,
        ])
        .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let channel = weft_sdk::settings::channel(DEFAULT_CHANNEL);
        let doc = shape::read(&msg.payload).map_err(PluginError::one_line)?;
        match doc.kind {
            Kind::Order => {
                let announced = order_map::announced(msg.header(TOPIC_HEADER), topic_event)?;
                orders::messages(doc.found, announced, &channel)
            }
            Kind::Refund => {
                let hint = OrderHint::of(&msg);
                let outcomes = each(doc.found, |raw: refund::RawRefund| {
                    refund::map(raw, &hint, &channel)
                })?;
                gather(outcomes, doc.listed)
            }
            Kind::Note => {
                let hint = OrderHint::of(&msg);
                let outcomes = each(doc.found, |raw: note::RawNote| {
                    note::map(raw, &hint, &channel)
                })?;
                gather(outcomes, doc.listed)
            }
        }
    }
}

/// Deserialises and maps every object of a payload with `map`, in order,
/// errors prefixed with the object's place; the first error ends the loop.
fn each<R: serde::de::DeserializeOwned>(
    found: Vec<FoundOrder>,
    mut map: impl FnMut(R) -> Result<Outcome, PluginError>,
) -> Result<Vec<Outcome>, PluginError> {
    found
        .into_iter()
        .map(|f| {
            let place = f.place;
            let raw: R =
                serde_json::from_value(serde_json::Value::Object(f.object)).map_err(|e| {
                    PluginError::invalid(format!(
                        "{place}payload is not of the expected shape: {e}"
                    ))
                })?;
            map(raw)
                .map_err(|e| e.prefixed(&place))
                .map_err(PluginError::one_line)
        })
        .collect()
}

/// The event named by a webhook topic.
fn topic_event(topic: &str) -> Result<Event, PluginError> {
    match topic.trim().to_ascii_lowercase().as_str() {
        "order.created" => Ok(Event::Created),
        "order.updated" | "order.restored" => Ok(Event::Updated),
        "order.deleted" => Ok(Event::Cancelled),
        _ => Err(PluginError::invalid(format!(
            "header `{TOPIC_HEADER}` is `{topic}`, which is not an order topic (expected order.created, order.updated, order.restored or order.deleted)"
        )).one_line()),
    }
}

weft_sdk::export_source!(WooCommerceOrders);

#[cfg(test)]
mod tests;
