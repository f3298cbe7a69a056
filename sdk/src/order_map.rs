//! What the JSON order sources (`shopify-orders`, `woocommerce-orders`,
//! `adobe-commerce-orders`) share when mapping a channel's orders to
//! `weft.order/1`: the per-order context ([`OrderCtx`]: errors naming the
//! order, money, timestamps, checked sums), the orders found in a payload
//! ([`FoundOrder`], [`Placed`]) and the per-document loop
//! ([`order_messages`]) that turns them into one message each.

use std::collections::HashSet;
use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::datetime::to_rfc3339;
use crate::money::Decimal;
use crate::order::{Event, Order};
use crate::scalar::{self, take_text, take_trimmed, Field, Scalar};
use crate::{Message, PluginError};

/// The order being mapped: errors about it name it (`order 727: …`).
#[derive(Debug, Clone, Copy)]
pub struct OrderCtx<'a> {
    order_id: &'a str,
}

impl<'a> OrderCtx<'a> {
    /// The context of order `order_id`.
    pub fn new(order_id: &'a str) -> OrderCtx<'a> {
        OrderCtx { order_id }
    }

    /// The order's id.
    pub fn order_id(&self) -> &'a str {
        self.order_id
    }

    /// An `invalid` error about this order: `order <id>: <reason>`.
    pub fn err(&self, reason: fmt::Arguments) -> PluginError {
        PluginError::invalid(format!("order {}: {reason}", self.order_id))
    }

    /// An optional money value: `None` when absent, null or blank; an error
    /// naming where it is (`at`) and the value when it is not a decimal.
    pub fn money(
        &self,
        value: Option<&Scalar>,
        at: impl fmt::Display,
    ) -> Result<Option<Decimal>, PluginError> {
        scalar::decimal(value, at).map_err(|reason| self.err(format_args!("{reason}")))
    }

    /// An optional timestamp `field` as RFC 3339; an error saying the
    /// `expected` form (`YYYY-MM-DD HH:MM:SS`) when it is not one.
    pub fn timestamp(
        &self,
        value: Field,
        field: &str,
        expected: &str,
    ) -> Result<Option<String>, PluginError> {
        match take_trimmed(value) {
            None => Ok(None),
            Some(s) => to_rfc3339(&s).map(Some).ok_or_else(|| {
                self.err(format_args!(
                    "{field} `{s}` is not a `{expected}` timestamp"
                ))
            }),
        }
    }

    /// `a + b`, or an error saying the amounts in `at` are too large.
    pub fn add(
        &self,
        a: Decimal,
        b: Decimal,
        at: impl fmt::Display,
    ) -> Result<Decimal, PluginError> {
        a.checked_add(b).ok_or_else(|| self.overflow(at))
    }

    /// The error for amounts in `at` too large to compute with.
    pub fn overflow(&self, at: impl fmt::Display) -> PluginError {
        self.err(format_args!("amounts in {at} are too large to compute"))
    }
}

/// A payload parsed as JSON; the error is `payload is not JSON: …`.
pub fn json_payload(payload: &[u8]) -> Result<Value, PluginError> {
    serde_json::from_slice(payload)
        .map_err(|e| PluginError::invalid(format!("payload is not JSON: {e}")))
}

/// Name parts (first, middle, last, …) joined with spaces, HTML references
/// decoded, blank parts left out; `None` when all are blank.
pub fn full_name(parts: impl IntoIterator<Item = Field>) -> Option<String> {
    let name = parts
        .into_iter()
        .filter_map(take_text)
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

/// The event a document is announced as: the one its header names (read
/// with `parse`) when the host passes the header on, else the `event`
/// setting's ([`Event::from_setting`]); `None` when neither says.
pub fn announced(
    header: Option<&str>,
    parse: impl FnOnce(&str) -> Result<Event, PluginError>,
) -> Result<Option<Event>, PluginError> {
    match header {
        Some(h) => parse(h).map(Some),
        None => Event::from_setting(crate::host::config("event").as_deref()),
    }
}

/// The event of one order: a cancellation when the channel calls it
/// cancelled, whatever was announced; else the announced event, or
/// `Created` when nothing was.
pub fn event_of(cancelled: bool, announced: Option<Event>) -> Event {
    if cancelled {
        Event::Cancelled
    } else {
        announced.unwrap_or(Event::Created)
    }
}

/// A channel's raw order, as [`order_messages`] reads it.
pub trait ChannelOrder {
    /// What errors call such an order (`WooCommerce order`).
    const NAME: &'static str;
    /// What an object that does not deserialise should have been (`a
    /// WooCommerce order`).
    const SHAPE: &'static str = "an order";
    /// The field holding its id (`id`, `entity_id`).
    const ID_FIELD: &'static str;
    /// That field.
    fn id(&self) -> &Field;
}

/// An order object found in a payload, not yet deserialised.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundOrder {
    /// Where it sits, as a prefix for errors (`[1]: `, `items[2]: `);
    /// empty for a payload that is one order.
    pub place: String,
    /// The order object.
    pub object: Map<String, Value>,
}

impl FoundOrder {
    /// Deserialises the order; the error says what it should have been
    /// ([`ChannelOrder::SHAPE`]).
    pub fn read<R: ChannelOrder + DeserializeOwned>(self) -> Result<Placed<R>, PluginError> {
        let (place, shape) = (self.place, R::SHAPE);
        match serde_json::from_value(Value::Object(self.object)) {
            Ok(raw) => Ok(Placed { place, raw }),
            Err(e) => Err(PluginError::invalid(format!(
                "{place}payload is not {shape} of the expected shape: {e}"
            ))),
        }
    }
}

/// A deserialised order and where it sits in its payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed<R> {
    /// Prefix for errors about it (see [`FoundOrder::place`]).
    pub place: String,
    /// The channel's order.
    pub raw: R,
}

/// The per-document loop: for each order in turn, its id (required and
/// trimmed: `{place}{NAME} has no `{ID_FIELD}`` otherwise), the mapped
/// order and its event (`map`, given the raw order and its id; errors get
/// the place in front), and the message announcing it (an update's id
/// stamped with `updated_at`, so later updates are not dropped as
/// duplicates while a re-sent document still deduplicates). An order
/// repeated in one payload is one message. Every reason is kept on one
/// line; the first error ends the loop.
pub fn order_messages<R: ChannelOrder>(
    orders: impl IntoIterator<Item = Result<Placed<R>, PluginError>>,
    mut map: impl FnMut(R, String) -> Result<(Order, Event), PluginError>,
) -> Result<Vec<Message>, PluginError> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for placed in orders {
        let Placed { place, raw } = placed.map_err(PluginError::one_line)?;
        let Some(order_id) = scalar::text(raw.id()).map(|id| id.trim().to_string()) else {
            return Err(PluginError::invalid(format!(
                "{place}{} has no `{}`",
                R::NAME,
                R::ID_FIELD
            ))
            .one_line());
        };
        let (order, event) = map(raw, order_id)
            .map_err(|e| e.prefixed(&place))
            .map_err(PluginError::one_line)?;
        let msg = event.message(&order, order.updated_at.as_deref())?;
        if seen.insert(msg.id.clone()) {
            out.push(msg);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::ORDER_SCHEMA;

    #[derive(serde::Deserialize)]
    struct Raw {
        id: Field,
        updated_at: Field,
    }

    impl ChannelOrder for Raw {
        const NAME: &'static str = "Test order";
        const SHAPE: &'static str = "a test order";
        const ID_FIELD: &'static str = "id";
        fn id(&self) -> &Field {
            &self.id
        }
    }

    fn found(place: &str, v: serde_json::Value) -> Result<Placed<Raw>, PluginError> {
        let serde_json::Value::Object(object) = v else {
            panic!("object")
        };
        FoundOrder {
            place: place.into(),
            object,
        }
        .read()
    }

    fn map(raw: Raw, order_id: String) -> Result<(Order, Event), PluginError> {
        if order_id == "bad" {
            return Err(OrderCtx::new(&order_id).err(format_args!("line\n1 is bad")));
        }
        let updated_at = scalar::take(raw.updated_at);
        let event = if updated_at.is_some() {
            Event::Updated
        } else {
            Event::Created
        };
        let order = Order {
            schema: ORDER_SCHEMA.into(),
            correlation_id: format!("test:{order_id}"),
            order_id,
            updated_at,
            ..Default::default()
        };
        Ok((order, event))
    }

    #[test]
    fn one_message_per_order_repeats_dropped_errors_placed() {
        let docs = vec![
            found("[0]: ", serde_json::json!({"id": " 7 "})),
            found("[1]: ", serde_json::json!({"id": 7})),
            found("[2]: ", serde_json::json!({"id": 8, "updated_at": "t"})),
        ];
        let out = order_messages(docs, map).unwrap();
        let ids: Vec<&str> = out.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["test:7:order.created", "test:8:order.updated:t"]);

        let no_id = order_messages(vec![found("[3]: ", serde_json::json!({}))], map);
        assert_eq!(
            no_id.unwrap_err(),
            PluginError::Invalid("[3]: Test order has no `id`".into())
        );
        let bad = order_messages(vec![found("", serde_json::json!({"id": "bad"}))], map);
        assert_eq!(
            bad.unwrap_err(),
            PluginError::Invalid("order bad: line\\n1 is bad".into())
        );
        let shape = found("[4]: ", serde_json::json!({"id": {"a": 1}})).err();
        assert!(
            matches!(&shape, Some(PluginError::Invalid(r))
                if r.starts_with("[4]: payload is not a test order of the expected shape")),
            "{shape:?}"
        );
    }

    #[test]
    fn context_names_the_order() {
        let ctx = OrderCtx::new("9");
        let max = Decimal::MAX;
        assert_eq!(
            ctx.add(max, max, "totals").unwrap_err(),
            PluginError::Invalid("order 9: amounts in totals are too large to compute".into())
        );
        assert_eq!(
            ctx.timestamp(Some(Scalar::Str("x".into())), "created_at", "YYYY-MM-DD")
                .unwrap_err(),
            PluginError::Invalid("order 9: created_at `x` is not a `YYYY-MM-DD` timestamp".into())
        );
        assert_eq!(ctx.money(None, "total"), Ok(None));
        assert_eq!(
            full_name([
                None,
                Some(Scalar::Str(" Ann ".into())),
                Some(Scalar::Str("Lee".into()))
            ]),
            Some("Ann Lee".into())
        );
        assert_eq!(full_name([None, None]), None);
        assert!(json_payload(b"{").is_err_and(
            |e| matches!(e, PluginError::Invalid(r) if r.starts_with("payload is not JSON: "))
        ));
        assert_eq!(event_of(true, Some(Event::Updated)), Event::Cancelled);
        assert_eq!(event_of(false, None), Event::Created);
        crate::host::set_config("event", Some("updated"));
        assert_eq!(
            announced(None, |_| Ok(Event::Created)),
            Ok(Some(Event::Updated))
        );
        assert_eq!(
            announced(Some("x"), |_| Ok(Event::Cancelled)),
            Ok(Some(Event::Cancelled))
        );
    }
}
