//! An order list page (`GET /admin/api/{version}/orders.json`:
//! `{"orders": […]}`) → one `weft.order/1` message per order: a
//! reconciliation poll, not a webhook.
//!
//! A polled order is not announced as created: every order of a page is an
//! `order.updated` (an `order.cancelled` when `cancelled_at` is set), so
//! its message id is `shopify:{id}:order.updated:{updated_at}` and polling
//! an unchanged order again yields the same id (a duplicate the bus drops)
//! while a changed order (new `updated_at`) is a new update. The mapping of
//! each order is the single-order mapping; the webhook rules (the
//! `x-shopify-topic` header) do not apply to a page. An order without
//! `updated_at` is refused (its changes would be dropped as duplicates), so
//! is one without `line_items` (a page fetched with a `fields` filter that
//! leaves them out): the page names the first such order. An empty page
//! gives no message.

use serde::Deserialize;
use weft_sdk::order_map::{self, Placed};
use weft_sdk::{Message, PluginError};

use crate::map::{self, Event};
use crate::raw::{text, RawOrder};

/// `{"orders": […]}`.
#[derive(Deserialize, Default)]
#[serde(default, expecting = "a Shopify order list page object")]
struct Page {
    orders: Option<Vec<RawOrder>>,
}

/// The messages of a list page, one per order, in order.
pub fn list_messages(payload: &[u8]) -> Result<Vec<Message>, PluginError> {
    let page: Page = serde_json::from_slice(payload).map_err(|e| {
        PluginError::invalid(format!(
            "payload is not a Shopify order list page (`{{\"orders\": […]}}`) of the expected shape: {e}"
        ))
        .one_line()
    })?;
    let placed = page
        .orders
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            Ok(Placed {
                place: format!("orders[{index}]: "),
                raw,
            })
        });
    order_map::order_messages(placed, |raw, order_id| {
        if text(&raw.updated_at).is_none() {
            return Err(PluginError::invalid(format!(
                "order {order_id} has no `updated_at`: a polled order needs it, or its changes would be dropped as duplicates"
            )));
        }
        if raw.line_items.as_ref().is_none_or(Vec::is_empty) {
            return Err(PluginError::invalid(format!(
                "order {order_id} has no line_items (a list page fetched with a `fields` filter that leaves them out cannot be mapped: poll with line_items, or fetch GET /orders/{order_id}.json)"
            )));
        }
        let event = if text(&raw.cancelled_at).is_some() {
            Event::Cancelled
        } else {
            Event::Updated
        };
        Ok((map::order(raw, order_id, event)?, event))
    })
}
