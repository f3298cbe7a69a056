//! weft source `adobe-commerce-orders`: Adobe Commerce (Magento 2) REST
//! documents of an order's lifecycle → canonical documents.
//!
//! | input | output |
//! |---|---|
//! | order (`GET /V1/orders/{id}`) or order search result (`{"items": […], "search_criteria": …}`) | one `order.created` / `order.updated` / `order.cancelled` (`weft.order/1`) per order |
//! | invoice (`GET /V1/invoices/{id}`) or invoice search result | one `invoice.posted` (`weft.invoice/1`) per invoice (see `invoice.rs`) |
//! | ship request body (`POST /V1/order/{orderId}/ship`) | one `shipment.dispatched` (`weft.shipment/1`) (`ship.rs`) |
//! | refund request body (`POST /V1/order/{orderId}/refund`) | one `return.completed` (`weft.return/1`, items taken back) or `credit.issued` (`weft.credit/1`, money only) (`refund.rs`) |
//! | MSI source selection result (`POST /V1/inventory/source-selection-algorithm-result`) | one `order.allocated` (`weft.order_ack/1`) per source with a quantity to deduct (`allocation.rs`) |
//!
//! Which document a payload is comes from its shape (`shape.rs`); anything
//! else (shipments and credit memos read back, invoice requests, other
//! JSON) is refused, saying what it looks like. The request bodies and the
//! source selection carry no order id: the host passes it on in headers
//! (`request.rs`, [`ORDER_ID_HEADER`], [`REQUEST_HEADER`], [`ENTITY_ID_HEADER`], [`AT_HEADER`]).
//!
//! An order's kind: an order whose `state` or `status` is `canceled` is
//! `order.cancelled`; otherwise the `x-adobe-commerce-event` header when the
//! host passes one on (`order.created`, `order.updated`, or a Magento event
//! name such as `observer.sales_order_save_after`), else the `event` setting
//! (`created`, the default, or `updated`). Order message ids are derived
//! from the order's `entity_id` and kind (`adobe-commerce:3:order.created`;
//! updates add `updated_at`), so replaying a document yields the same ids.
//! Every document of an order carries the order's correlation id,
//! `{channel}:{entity_id}`.
//!
//! Money and quantities are JSON numbers in Magento; they are read as
//! decimals from the number's text, never computed in floating point.
//!
//! Settings: `channel` (default `adobe-commerce`), `event`, `bundle_lines`
//! (`parent`, the default, or `children`; see [`map::BundleLines`]).

mod allocation;
mod body;
mod invoice;
pub mod map;
mod raw;
mod refund;
mod request;
mod shape;
mod ship;

use weft_sdk::order::kinds;
use weft_sdk::order_map::{self, FoundOrder};
use weft_sdk::{host, Message, Plugin, PluginError, PluginInfo, Role};

use map::{BundleLines, Event, Settings};
use request::Request;

pub use request::{AT_HEADER, ENTITY_ID_HEADER, ORDER_ID_HEADER, REQUEST_HEADER};
use shape::Doc;

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
        .summary("Adobe Commerce (Magento 2) REST orders, invoices, ship and refund requests and MSI source selections -> canonical weft.order/1, weft.invoice/1, weft.shipment/1, weft.return/1, weft.credit/1, weft.order_ack/1")
        .accepts(["raw"])
        .emits([
            kinds::CREATED,
            kinds::UPDATED,
            kinds::CANCELLED,
            weft_sdk::invoice::POSTED,
            weft_sdk::shipment::DISPATCHED,
            weft_sdk::returns::COMPLETED,
            weft_sdk::credit::ISSUED,
            weft_sdk::order_ack::ALLOCATED,
        ])
        .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let settings = settings()?;
        let request = Request::read(&msg).map_err(PluginError::one_line)?;
        let found = match shape::classify(&msg.payload, request.action)
            .map_err(PluginError::one_line)?
        {
            Doc::Orders(found) => found,
            Doc::Invoices(found) => return invoice::messages(found, &settings),
            Doc::Ship(body) => {
                return ship::map(body, &request, &settings)
                    .map(|m| vec![m])
                    .map_err(PluginError::one_line)
            }
            Doc::Refund(body) => {
                return refund::map(body, &request, &settings)
                    .map(|m| vec![m])
                    .map_err(PluginError::one_line)
            }
            Doc::Selection(body) => {
                return allocation::map(body, &request, &settings).map_err(PluginError::one_line)
            }
        };
        let announced = order_map::announced(msg.header(EVENT_HEADER), header_event)?;
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
