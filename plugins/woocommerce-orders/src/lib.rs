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

mod entities;
pub mod map;
mod raw;
mod scalar;

use std::collections::HashSet;

use weft_sdk::{host, Message, Plugin, PluginError, PluginInfo, Role};

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
        .emits(["order.created", "order.updated", "order.cancelled"])
        .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let channel = match host::config("channel") {
            Some(c) if !c.trim().is_empty() => c.trim().to_string(),
            _ => DEFAULT_CHANNEL.to_string(),
        };
        let announced = match msg.header(TOPIC_HEADER) {
            Some(topic) => Some(topic_event(topic)?),
            None => config_event()?,
        };
        let found = raw::read(&msg.payload).map_err(one_line)?;
        let mut out = Vec::with_capacity(found.len());
        let mut seen = HashSet::new();
        for f in found {
            let place = f.place();
            let raw = f.read().map_err(one_line)?;
            let order_id = match scalar::text(&raw.id) {
                Some(id) => id.trim().to_string(),
                None => {
                    return Err(PluginError::invalid(format!(
                        "{place}WooCommerce order has no `id`"
                    )))
                }
            };
            let event = if map::is_cancelled(&raw) {
                Event::Cancelled
            } else {
                announced.unwrap_or(Event::Created)
            };
            let order = map::order(raw, order_id, event, &channel)
                .map_err(|e| prefixed(&place, e))
                .map_err(one_line)?;
            // Every update is a distinct event: its id carries the
            // modification time.
            let id = match (event, order.updated_at.as_deref()) {
                (Event::Updated, Some(at)) => {
                    format!("{}:{}:{at}", order.correlation_id, event.kind())
                }
                _ => format!("{}:{}", order.correlation_id, event.kind()),
            };
            // The same order twice in one list is one event.
            if seen.insert(id.clone()) {
                out.push(Message::json(
                    id,
                    order.correlation_id.as_str(),
                    event.kind(),
                    &order,
                )?);
            }
        }
        Ok(out)
    }
}

/// The `event` setting: `created` (default) or `updated`.
fn config_event() -> Result<Option<Event>, PluginError> {
    match host::config("event").map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) => match v.as_str() {
            "" | "created" | "order.created" => Ok(Some(Event::Created)),
            "updated" | "order.updated" => Ok(Some(Event::Updated)),
            other => Err(PluginError::invalid(format!(
                "config `event`: expected `created` or `updated`, got `{other}`"
            ))),
        },
    }
}

/// The event named by a webhook topic.
fn topic_event(topic: &str) -> Result<Event, PluginError> {
    match topic.trim().to_ascii_lowercase().as_str() {
        "order.created" => Ok(Event::Created),
        "order.updated" | "order.restored" => Ok(Event::Updated),
        "order.deleted" => Ok(Event::Cancelled),
        _ => Err(one_line(PluginError::invalid(format!(
            "header `{TOPIC_HEADER}` is `{topic}`, which is not an order topic (expected order.created, order.updated, order.restored or order.deleted)"
        )))),
    }
}

/// Puts a list position (`[1]: `) in front of a reason.
fn prefixed(place: &str, e: PluginError) -> PluginError {
    match e {
        PluginError::Invalid(reason) if !place.is_empty() => {
            PluginError::Invalid(format!("{place}{reason}"))
        }
        other => other,
    }
}

/// Keeps a reason on one line whatever the document held: control
/// characters are escaped.
fn one_line(e: PluginError) -> PluginError {
    match e {
        PluginError::Invalid(reason) if reason.contains(char::is_control) => {
            let mut clean = String::with_capacity(reason.len() + 8);
            for c in reason.chars() {
                if c.is_control() {
                    clean.extend(c.escape_default());
                } else {
                    clean.push(c);
                }
            }
            PluginError::Invalid(clean)
        }
        other => other,
    }
}

weft_sdk::export_source!(WooCommerceOrders);

#[cfg(test)]
mod tests;
