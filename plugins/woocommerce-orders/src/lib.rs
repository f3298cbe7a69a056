//! weft source `woocommerce-orders`: a WooCommerce REST v3 order
//! (`GET /wc/v3/orders/{id}`, or an `order.*` webhook body) or a list of
//! them (`GET /wc/v3/orders`) → one canonical `weft.order/1` message per
//! order.
//!
//! The kind: an order with status `cancelled` is `order.cancelled`;
//! otherwise the `x-wc-webhook-topic` header when the host passes it on
//! (`order.created`, `order.updated` and `order.restored` → `order.updated`,
//! `order.deleted` → `order.cancelled`; a deleted order's body may be just
//! `{"id": …}`), else the `event` setting (`created`, the default, or
//! `updated`). Output ids are derived from the order id and kind
//! (`woocommerce:727:order.created`; updates add the modification time),
//! so replaying a document yields the same ids.
//!
//! Settings: `channel` (default `woocommerce`), `event`.

pub mod map;
mod raw;

use weft_sdk::order::kinds;
use weft_sdk::order_map::{self, FoundOrder};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

use map::Event;

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
        .summary("WooCommerce REST v3 orders -> canonical weft.order/1")
        .accepts(["raw"])
        .emits([kinds::CREATED, kinds::UPDATED, kinds::CANCELLED])
        .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let channel = weft_sdk::settings::channel(DEFAULT_CHANNEL);
        let announced = order_map::announced(msg.header(TOPIC_HEADER), topic_event)?;
        let found = raw::read(&msg.payload).map_err(PluginError::one_line)?;
        let orders = found.into_iter().map(FoundOrder::read::<raw::RawOrder>);
        order_map::order_messages(orders, |raw, order_id| {
            let event = order_map::event_of(map::is_cancelled(&raw), announced);
            Ok((map::order(raw, order_id, event, &channel)?, event))
        })
    }
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
