//! weft source `shopify-orders`: Shopify Admin REST resources and webhook
//! bodies of an order's lifecycle → canonical documents.
//!
//! | input | output |
//! |---|---|
//! | order: `{"order": {…}}`, or an `orders/*` webhook body (the bare order) | one `order.created` / `order.updated` / `order.cancelled` (`weft.order/1`) |
//! | fulfillment: bare (`fulfillments/create`, `fulfillments/update`), `{"fulfillment": {…}}`, `{"fulfillments": […]}` | one `shipment.dispatched` (`weft.shipment/1`) per fulfillment |
//! | refund: bare (`refunds/create`), `{"refund": {…}}`, `{"refunds": […]}` | per refund one `return.completed` (`weft.return/1`, goods came back) or `credit.issued` (`weft.credit/1`, money only) |
//! | order transaction: bare, `{"transaction": {…}}`, `{"transactions": […]}` | one `payment.received` (`weft.payment/1`) per successful capture or sale; nothing for the others |
//! | tender transaction: bare, `{"tender_transactions": […]}` | one `payment.received` per positive tender transaction |
//! | order list page: `{"orders": […]}` (a reconciliation poll) | one `order.updated` (or `order.cancelled`) per order, its id stamped with `updated_at` |
//! | fulfillment order: bare, `{"fulfillment_order": {…}}`, `{"fulfillment_orders": […]}`, or a bare array | one `order.allocated` (`weft.order_ack/1`) per fulfillment order |
//!
//! An order's kind comes from the `x-shopify-topic` header when the host
//! passes it on (`orders/updated` → `order.updated`, `orders/cancelled` →
//! `order.cancelled`) and from the order itself (`cancelled_at` set →
//! `order.cancelled`); anything else is `order.created`. A bare
//! sub-resource is told apart by the topic (`fulfillments/*`,
//! `refunds/*`, `order_transactions/*`, `tender_transactions/*`), else by
//! its keys. An order maps to its order document only: the fulfillments,
//! refunds and transactions it embeds are mapped when they arrive as
//! resources of their own.
//!
//! Output ids are derived from the document, so replaying one yields the
//! same ids, and change with the state they announce: orders
//! `shopify:{id}:order.created` (updates add `updated_at`), fulfillments
//! `shopify:fulfillment:{id}:{status}:{updated_at}`, refunds
//! `shopify:refund:{id}`, transactions `shopify:transaction:{id}`, tender
//! transactions `shopify:tender_transaction:{id}`, fulfillment orders
//! `shopify:fulfillment_order:{id}:{status}:{request_status}:{updated_at or
//! digest}`; an order of a list page is an update
//! (`shopify:{id}:order.updated:{updated_at}`, whatever the topic header
//! says), so polling an unchanged order again is a duplicate and a changed
//! one a new update. Every document of an
//! order carries the order's correlation id, `shopify:{order_id}`.
//!
//! The mapping makes no host calls, so it runs the same natively (tests,
//! benchmarks) and as a component.

mod common;
mod fulfillment;
mod fulfillment_order;
mod map;
mod orders;
mod raw;
mod refund;
mod shape;
mod transaction;

use weft_sdk::order_map::{self, Placed};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

use common::{gather, place, Outcome};
use shape::{Form, Resource};

pub use map::Event;

/// The `shopify-orders` source plugin.
pub struct ShopifyOrders;

/// Header carrying the webhook topic (`orders/create`, `orders/updated`,
/// `fulfillments/create`, `refunds/create`, …).
pub const TOPIC_HEADER: &str = "x-shopify-topic";

impl Plugin for ShopifyOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info("shopify-orders", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary(
                "Shopify Admin REST orders (single and list pages), fulfillments, refunds, transactions and fulfillment orders (and their webhook bodies) -> canonical weft.order/1, weft.shipment/1, weft.return/1, weft.credit/1, weft.payment/1, weft.order_ack/1",
            )
            .accepts(["raw"])
            .emits([
                "order.created",
                "order.updated",
                "order.cancelled",
                "shipment.dispatched",
                "return.completed",
                "credit.issued",
                "payment.received",
                "order.allocated",
            ])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let topic = msg.header(TOPIC_HEADER);
        let payload = &msg.payload;
        let (resource, form) = shape::classify(payload, topic).map_err(PluginError::one_line)?;
        let single = form != Form::List;
        match resource {
            Resource::Order if form == Form::List => orders::list_messages(payload),
            Resource::Order => match raw::read(payload).map_err(PluginError::one_line)? {
                raw::Read::Wrapped(raw) => order_messages(raw, topic),
                raw::Read::Bare(raw) => order_messages(raw, topic),
            },
            Resource::FulfillmentOrder => {
                let keys = ("fulfillment_order", "fulfillment_orders");
                let all = shape::read(payload, form, keys)?;
                let outcomes = each(all, single, keys, fulfillment_order::map)?;
                gather(outcomes, single, true)
            }
            Resource::Fulfillment => {
                let all = shape::read(payload, form, ("fulfillment", "fulfillments"))?;
                let outcomes = each(all, single, ("fulfillment", "fulfillments"), |raw, at| {
                    fulfillment::map(raw, at)
                })?;
                gather(outcomes, single, true)
            }
            Resource::Refund => {
                let all = shape::read(payload, form, ("refund", "refunds"))?;
                let outcomes = each(all, single, ("refund", "refunds"), refund::map)?;
                gather(outcomes, single, true)
            }
            Resource::Transaction => {
                let all = shape::read(payload, form, ("transaction", "transactions"))?;
                let voided = transaction::voided(&all);
                let outcomes = each(all, single, ("transaction", "transactions"), |raw, at| {
                    transaction::map(raw, at, &voided)
                })?;
                gather(outcomes, single, false)
            }
            Resource::Tender => {
                let keys = ("tender_transaction", "tender_transactions");
                let all = shape::read(payload, form, keys)?;
                let outcomes = each(all, single, keys, transaction::map_tender)?;
                gather(outcomes, single, false)
            }
        }
    }
}

/// Maps every resource of a document with `map` (given it and its place
/// for errors), in order; the first error ends the loop.
fn each<T>(
    all: Vec<T>,
    single: bool,
    (what, list_key): (&str, &str),
    mut map: impl FnMut(T, &str) -> Result<Outcome, PluginError>,
) -> Result<Vec<Outcome>, PluginError> {
    all.into_iter()
        .enumerate()
        .map(|(index, raw)| {
            let at = place(what, list_key, index, single);
            map(raw, &at).map_err(PluginError::one_line)
        })
        .collect()
}

/// The message of a read order (see [`order_map::order_messages`]: the
/// order must have an id; an update's id carries its `updated_at`).
fn order_messages<W>(
    raw: raw::RawOrder<W>,
    topic: Option<&str>,
) -> Result<Vec<Message>, PluginError> {
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
