//! weft source `shopify-orders`: a Shopify Admin REST order
//! (`{"order": {…}}`) or an `orders/*` webhook body (the bare order) →
//! one canonical `weft.order/1` message.
//!
//! The kind comes from the `x-shopify-topic` header when the host passes it
//! on (`orders/updated` → `order.updated`, `orders/cancelled` →
//! `order.cancelled`) and from the order itself (`cancelled_at` set →
//! `order.cancelled`); anything else is `order.created`. Output ids are
//! derived from the order id and kind (`shopify:450789469:order.created`;
//! updates add `updated_at`), so replaying a document yields the same ids.
//!
//! The mapping makes no host calls, so it runs the same natively (tests,
//! benchmarks) and as a component.

mod map;
mod raw;

use weft_sdk::order_map::{self, Placed};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

pub use map::Event;

/// The `shopify-orders` source plugin.
pub struct ShopifyOrders;

/// Header carrying the webhook topic (`orders/create`, `orders/updated`, …).
pub const TOPIC_HEADER: &str = "x-shopify-topic";

impl Plugin for ShopifyOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info("shopify-orders", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary(
                "Shopify Admin REST orders and orders/* webhook bodies -> canonical weft.order/1",
            )
            .accepts(["raw"])
            .emits(["order.created", "order.updated", "order.cancelled"])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let topic = msg.header(TOPIC_HEADER);
        match raw::read(&msg.payload).map_err(PluginError::one_line)? {
            raw::Read::Wrapped(raw) => messages(raw, topic),
            raw::Read::Bare(raw) => messages(raw, topic),
        }
    }
}

/// The message of a read order (see [`order_map::order_messages`]: the
/// order must have an id; an update's id carries its `updated_at`).
fn messages<W>(raw: raw::RawOrder<W>, topic: Option<&str>) -> Result<Vec<Message>, PluginError> {
    let placed = Placed {
        place: String::new(),
        raw,
    };
    order_map::order_messages([Ok(placed)], |raw, order_id| {
        let event = map::event_of(topic, &raw);
        Ok((map::order(raw, order_id, event)?, event))
    })
}

weft_sdk::export_source!(ShopifyOrders);

#[cfg(test)]
mod tests;
