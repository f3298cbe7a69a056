//! What a payload holds: orders, refunds or order notes, of the REST v3
//! API (`/wp-json/wc/v3`: bare objects and arrays) or of the legacy REST
//! API (`/wc-api/v2|v3`: wrapped in `{"order": …}`, `{"orders": […]}`,
//! `{"order_refund": …}`, `{"order_refunds": […]}`, `{"order_note": …}`,
//! `{"order_notes": […]}`). Other WooCommerce resources (products,
//! customers, coupons, webhook pings, REST errors) are recognised and
//! refused, saying what they look like.

use serde_json::{Map, Value};
use weft_sdk::order_map::{self, FoundOrder};
use weft_sdk::PluginError;

/// The resource a payload holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Orders.
    Order,
    /// Order refunds.
    Refund,
    /// Order notes.
    Note,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Order => "an order",
            Kind::Refund => "a refund",
            Kind::Note => "an order note",
        }
    }
}

/// The objects of a payload, all of one kind.
#[derive(Debug)]
pub struct Doc {
    /// What they are.
    pub kind: Kind,
    /// Each with its place for errors (`[1]: `, `orders[1]: `; empty for a
    /// payload holding one).
    pub found: Vec<FoundOrder>,
    /// Whether the payload is a list (a poll) rather than one object.
    pub listed: bool,
}

/// The legacy wrappers: key, kind, whether it holds a list.
const WRAPPERS: [(&str, Kind, bool); 6] = [
    ("order", Kind::Order, false),
    ("orders", Kind::Order, true),
    ("order_refund", Kind::Refund, false),
    ("order_refunds", Kind::Refund, true),
    ("order_note", Kind::Note, false),
    ("order_notes", Kind::Note, true),
];

/// Reads a payload into the objects it holds.
pub fn read(payload: &[u8]) -> Result<Doc, PluginError> {
    let doc = order_map::json_payload(payload)?;
    match doc {
        Value::Object(mut object) => {
            // A wrapper is the legacy API's; an object with an `id` is a
            // resource itself.
            if !object.contains_key("id") {
                if let Some((key, kind, list)) =
                    WRAPPERS.iter().find(|(k, _, _)| object.contains_key(*k))
                {
                    let inner = object.remove(*key).unwrap_or(Value::Null);
                    return unwrap(key, *kind, *list, inner);
                }
            }
            let kind = kind_of(&object, "")?;
            Ok(Doc {
                kind,
                found: vec![FoundOrder {
                    place: String::new(),
                    object,
                }],
                listed: false,
            })
        }
        Value::Array(items) => list(items, "", None),
        other => Err(not_an_order(&other, "")),
    }
}

/// The content of legacy wrapper `key`.
fn unwrap(key: &str, kind: Kind, list_expected: bool, inner: Value) -> Result<Doc, PluginError> {
    match (inner, list_expected) {
        (Value::Array(items), true) => list(items, key, Some(kind)),
        (Value::Object(object), false) => {
            let place = format!("{key}: ");
            let found = kind_of(&object, &place)?;
            if found != kind {
                return Err(PluginError::invalid(format!(
                    "{place}expected {}, but this looks like {}",
                    kind.name(),
                    found.name()
                )));
            }
            Ok(Doc {
                kind,
                found: vec![FoundOrder {
                    place: String::new(),
                    object,
                }],
                listed: false,
            })
        }
        (other, list) => Err(PluginError::invalid(format!(
            "`{key}` holds {}; expected {}",
            weft_sdk::text::json_shape(&other),
            if list { "an array" } else { "an object" }
        ))),
    }
}

/// An array of objects of one kind (`expected`, else the first one's).
fn list(items: Vec<Value>, key: &str, expected: Option<Kind>) -> Result<Doc, PluginError> {
    if items.is_empty() {
        return Err(PluginError::invalid(if key.is_empty() {
            "payload is an empty array: no orders".to_string()
        } else {
            format!("`{key}` is an empty array: nothing to map")
        }));
    }
    let mut kind = expected;
    let mut found = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let place = format!("{key}[{index}]: ");
        let Value::Object(object) = item else {
            return Err(not_an_order(&item, &place));
        };
        let this = kind_of(&object, &place)?;
        match kind {
            Some(k) if k != this => {
                return Err(PluginError::invalid(format!(
                    "{place}expected {} like the rest of the list, but this looks like {}",
                    k.name(),
                    this.name()
                )))
            }
            _ => kind = Some(this),
        }
        found.push(FoundOrder { place, object });
    }
    Ok(Doc {
        kind: kind.unwrap_or(Kind::Order),
        found,
        listed: true,
    })
}

/// What an object is; other resources are refused, saying what they look
/// like.
fn kind_of(o: &Map<String, Value>, place: &str) -> Result<Kind, PluginError> {
    let has = |k: &str| o.contains_key(k);
    if has("code") && has("message") && !has("id") {
        return Err(PluginError::invalid(format!(
            "{place}payload is a WooCommerce REST error, not an order: code `{}`, message `{}`",
            text_of(o.get("code")),
            text_of(o.get("message"))
        )));
    }
    if let Some(Value::Array(errors)) = o.get("errors") {
        let first = errors.first();
        return Err(PluginError::invalid(format!(
            "{place}payload is a WooCommerce legacy REST API error, not an order: code `{}`, message `{}`",
            text_of(first.and_then(|e| e.get("code"))),
            text_of(first.and_then(|e| e.get("message")))
        )));
    }
    if has("refunded_by") || has("refunded_payment") || (has("amount") && !has("total")) {
        return Ok(Kind::Refund);
    }
    if has("note") && !has("line_items") {
        return Ok(Kind::Note);
    }
    let other = if has("webhook_id") {
        Some("a webhook delivery ping (`webhook_id`)")
    } else if has("regular_price") || has("permalink") {
        Some("a product (`regular_price`, `permalink`)")
    } else if has("username") || has("role") {
        Some("a customer (`username`, `role`)")
    } else if has("discount_type") {
        Some("a coupon (`discount_type`)")
    } else {
        None
    };
    if let Some(other) = other {
        return Err(PluginError::invalid(format!(
            "{place}expected a WooCommerce order, refund or order note, but this looks like {other}"
        )));
    }
    let looks_like_order = ["id", "line_items", "order_key", "number"]
        .iter()
        .any(|k| has(k));
    if looks_like_order {
        Ok(Kind::Order)
    } else {
        Err(not_an_order(&Value::Object(o.clone()), place))
    }
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The error for valid JSON that is not an order, saying what was found.
fn not_an_order(found: &Value, place: &str) -> PluginError {
    let found = weft_sdk::text::json_shape(found);
    PluginError::invalid(format!(
        "{place}expected a WooCommerce order, refund or order note (an object with `id`, an array of them, or a legacy `{{\"order\": …}}` / `{{\"orders\": […]}}` / `{{\"order_refunds\": […]}}` / `{{\"order_notes\": […]}}`); found {found}"
    ))
}
