//! weft source `adobe-commerce-orders`: an Adobe Commerce (Magento 2) REST
//! order (`GET /V1/orders/{id}`) or order search result
//! (`GET /V1/orders?searchCriteria…`, `{"items": […], …}`) → one canonical
//! `weft.order/1` message per order.
//!
//! The kind: an order whose `state` or `status` is `canceled` is
//! `order.cancelled`; otherwise the `x-adobe-commerce-event` header when the
//! host passes one on (`order.created`, `order.updated`, or a Magento event
//! name such as `observer.sales_order_save_after`), else the `event` setting
//! (`created`, the default, or `updated`). Output ids are derived from the
//! order's `entity_id` and kind (`adobe-commerce:3:order.created`; updates
//! add `updated_at`), so replaying a document yields the same ids.
//!
//! Settings: `channel` (default `adobe-commerce`), `event`, `bundle_lines`
//! (`parent`, the default, or `children`; see [`map::BundleLines`]).

pub mod map;
mod raw;

use weft_sdk::order::kinds;
use weft_sdk::order_map::{self, FoundOrder};
use weft_sdk::{host, Message, Plugin, PluginError, PluginInfo, Role};

use map::{BundleLines, Event, Settings};

/// The `adobe-commerce-orders` source plugin.
pub struct AdobeCommerceOrders;

/// Header naming the event that sent the order.
pub const EVENT_HEADER: &str = "x-adobe-commerce-event";

/// Channel code when the `channel` setting is unset.
pub const DEFAULT_CHANNEL: &str = "adobe-commerce";

impl Plugin for AdobeCommerceOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info(
            "adobe-commerce-orders",
            env!("CARGO_PKG_VERSION"),
            Role::Source,
        )
        .summary("Adobe Commerce (Magento 2) REST orders -> canonical weft.order/1")
        .accepts(["raw"])
        .emits([kinds::CREATED, kinds::UPDATED, kinds::CANCELLED])
        .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let settings = settings()?;
        let announced = order_map::announced(msg.header(EVENT_HEADER), header_event)?;
        let found = raw::read(&msg.payload).map_err(PluginError::one_line)?;
        let orders = found.into_iter().map(FoundOrder::read::<raw::RawOrder>);
        order_map::order_messages(orders, |raw, order_id| {
            let event = order_map::event_of(map::is_cancelled(&raw), announced);
            Ok((map::order(raw, order_id, event, &settings)?, event))
        })
    }
}

/// The deployment's settings.
fn settings() -> Result<Settings, PluginError> {
    Ok(Settings {
        channel: weft_sdk::settings::channel(DEFAULT_CHANNEL),
        bundle_lines: BundleLines::from_config(host::config("bundle_lines").as_deref())?,
    })
}

/// The event named by the `x-adobe-commerce-event` header: a weft kind or
/// a Magento event name (with or without the `com.adobe.commerce.` and
/// `observer.` prefixes of Adobe I/O Events and webhooks).
fn header_event(value: &str) -> Result<Event, PluginError> {
    let v = value.trim().to_ascii_lowercase();
    let name = v.strip_prefix("com.adobe.commerce.").unwrap_or(&v);
    let name = name
        .strip_prefix("observer.")
        .or_else(|| name.strip_prefix("plugin."))
        .unwrap_or(name);
    match name {
        "order.created" | "created" | "sales_order_place_after" | "sales_order_place_before"
        | "checkout_submit_all_after" => Ok(Event::Created),
        "order.updated" | "updated" | "sales_order_save_after"
        | "sales_order_save_commit_after" | "sales_order_save_before" => Ok(Event::Updated),
        "order.cancelled" | "cancelled" | "order_cancel_after" => Ok(Event::Cancelled),
        _ => Err(PluginError::invalid(format!(
            "header `{EVENT_HEADER}` is `{value}`, which is not an order event (expected order.created, order.updated, order.cancelled or sales_order_place_after, sales_order_save_after, order_cancel_after)"
        )).one_line()),
    }
}

weft_sdk::export_source!(AdobeCommerceOrders);

#[cfg(test)]
mod tests;
