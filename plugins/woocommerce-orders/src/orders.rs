//! The messages of the orders of one payload: per order its
//! `weft.order/1` and, for a completed order, its fulfilled milestone
//! ([`crate::fulfilled`]).
//!
//! Message ids: `{channel}:{id}:{kind}:{modification time}`
//! (`date_modified_gmt`, else `date_modified` with its offset, else the
//! legacy `updated_at`): the same body sent or polled again is a
//! duplicate, a changed order a new message. A body without a
//! modification time (a deleted order's `{"id": …}`) gets
//! `{channel}:{id}:{kind}`.

use std::collections::HashSet;

use weft_sdk::order::Event;
use weft_sdk::order_map::{self, FoundOrder, Placed};
use weft_sdk::scalar;
use weft_sdk::{Message, PluginError};

use crate::raw::RawOrder;
use crate::{fulfilled, map};

/// The messages of `found`, in order; `announced` is the event a header or
/// setting names. An order repeated in the payload is sent once.
pub fn messages(
    found: Vec<FoundOrder>,
    announced: Option<Event>,
    channel: &str,
) -> Result<Vec<Message>, PluginError> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for f in found {
        let Placed { place, raw } = f.read::<RawOrder>().map_err(PluginError::one_line)?;
        let Some(order_id) = scalar::text(&raw.id).map(|id| id.trim().to_string()) else {
            return Err(
                PluginError::invalid(format!("{place}WooCommerce order has no `id`")).one_line(),
            );
        };
        let event = order_map::event_of(map::is_cancelled(&raw), announced);
        let order = map::order(raw, order_id, event, channel)
            .map_err(|e| e.prefixed(&place))
            .map_err(PluginError::one_line)?;
        let id = match &order.updated_at {
            Some(at) => format!("{}:{}:{at}", order.correlation_id, event.kind()),
            None => event.message_id(&order.correlation_id, None),
        };
        let msg = Message::json(id, order.correlation_id.as_str(), event.kind(), &order)?;
        let milestone = match event {
            Event::Cancelled => None,
            _ => fulfilled::of_order(&order)?,
        };
        for m in [Some(msg), milestone].into_iter().flatten() {
            if seen.insert(m.id.clone()) {
                out.push(m);
            }
        }
    }
    Ok(out)
}
