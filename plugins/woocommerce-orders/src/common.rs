//! What the refund and order-note mappings share: the resource being
//! mapped (errors name it), the order it belongs to, its time, and the
//! gathering of the messages of one payload.

use std::fmt;

use serde_json::Value;
use weft_sdk::money::Decimal;
use weft_sdk::scalar::{self, take_trimmed, text, Field, Scalar};
use weft_sdk::{host, Distinct, Message, PluginError};

use crate::map::with_offset;

/// Header naming the order of refunds and notes (whose v3 bodies do not).
pub const ORDER_ID_HEADER: &str = "x-wc-order-id";

/// Setting naming that order, for a deployment that polls one order's
/// refunds or notes.
pub const ORDER_ID_SETTING: &str = "order_id";

/// The WooCommerce resource being mapped (`refund 724`): errors about it
/// name it.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// What it is (`refund`, `order note`).
    pub what: &'static str,
    /// Its id.
    pub id: &'a str,
}

impl Subject<'_> {
    /// An `invalid` error about it: `{what} {id}: {reason}`.
    pub fn err(&self, reason: impl fmt::Display) -> PluginError {
        PluginError::invalid(format!("{} {}: {reason}", self.what, self.id))
    }

    /// An optional decimal at `at`; an error naming it when it is not one.
    pub fn decimal(
        &self,
        value: Option<&Scalar>,
        at: impl fmt::Display,
    ) -> Result<Option<Decimal>, PluginError> {
        scalar::decimal(value, at).map_err(|reason| self.err(reason))
    }

    /// `a + b`, or an error saying the amounts in `at` are too large.
    pub fn add(&self, a: Decimal, b: Decimal, at: &str) -> Result<Decimal, PluginError> {
        a.checked_add(b)
            .ok_or_else(|| self.err(format_args!("amounts in {at} are too large to compute")))
    }

    /// Its creation time: `date_created_gmt` (UTC without a zone), else
    /// `date_created` when it states its offset, else the legacy
    /// `created_at`; required.
    pub fn created(&self, gmt: Field, local: Field, legacy: Field) -> Result<String, PluginError> {
        let bad = |field: &str, s: &str| self.err(format_args!("{field} `{s}` is not a timestamp"));
        if let Some(s) = take_trimmed(gmt) {
            return weft_sdk::datetime::to_rfc3339(&s).ok_or_else(|| bad("date_created_gmt", &s));
        }
        if let Some(t) = with_offset(local.clone()) {
            return Ok(t);
        }
        if let Some(s) = take_trimmed(legacy) {
            return weft_sdk::datetime::to_rfc3339(&s).ok_or_else(|| bad("created_at", &s));
        }
        let local = match take_trimmed(local) {
            Some(s) => format!(" (`date_created` `{s}` has no UTC offset)"),
            None => String::new(),
        };
        Err(PluginError::invalid(format!(
            "{} {} has no `date_created_gmt` or `created_at`{local}",
            self.what, self.id
        )))
    }
}

/// The id of a resource (`what`: `refund`, `order note`), trimmed;
/// required.
pub fn id_of(field: &Field, what: &str) -> Result<String, PluginError> {
    text(field)
        .map(|s| s.trim().to_string())
        .ok_or_else(|| PluginError::invalid(format!("WooCommerce {what} has no `id`")))
}

/// Where the order of a refund or note may be named outside its body: the
/// `x-wc-order-id` header, else the `order_id` setting.
#[derive(Debug, Clone, Default)]
pub struct OrderHint {
    /// Where it came from, for errors.
    pub from: String,
    /// The order id.
    pub id: Option<String>,
}

impl OrderHint {
    /// The hint of a message: its header, else the setting.
    pub fn of(msg: &Message) -> OrderHint {
        let header = msg
            .header(ORDER_ID_HEADER)
            .map(str::trim)
            .filter(|h| !h.is_empty());
        if let Some(h) = header {
            return OrderHint {
                from: format!("header `{ORDER_ID_HEADER}`"),
                id: Some(h.to_string()),
            };
        }
        let setting = host::config(ORDER_ID_SETTING)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        OrderHint {
            from: format!("setting `{ORDER_ID_SETTING}`"),
            id: setting,
        }
    }
}

/// The order a refund or note belongs to: the body's `order_id` (or
/// `parent_id`, unless 0), else the order its REST `_links` (`up`, else
/// `collection`) point to (`…/orders/723`), else the hint. Sources that
/// disagree are an error naming both.
pub fn parent_order(
    subject: &Subject,
    order_id: &Field,
    parent_id: &Field,
    links: Option<&Value>,
    hint: &OrderHint,
) -> Result<String, PluginError> {
    let mut named: Vec<(String, String)> = Vec::new();
    if let Some(id) = text(order_id) {
        named.push(("`order_id`".into(), id.trim().to_string()));
    } else if let Some(id) = text(parent_id).map(str::trim).filter(|p| *p != "0") {
        named.push(("`parent_id`".into(), id.to_string()));
    }
    if let Some((rel, id)) = linked_order(links) {
        named.push((format!("`_links.{rel}`"), id));
    }
    if let Some(id) = &hint.id {
        named.push((hint.from.clone(), id.clone()));
    }
    let Some((first_from, first)) = named.first() else {
        return Err(subject.err(format_args!(
            "the order is unknown: the body has no `order_id` and no `_links.up` to `…/orders/{{id}}`, and neither header `{ORDER_ID_HEADER}` nor setting `{ORDER_ID_SETTING}` is set"
        )));
    };
    if let Some((from, other)) = named.iter().find(|(_, id)| id != first) {
        return Err(subject.err(format_args!(
            "{first_from} names order {first}, but {from} names order {other}"
        )));
    }
    Ok(first.clone())
}

/// The order a REST `_links` object points to: the id after `orders/` in
/// an `up` (else `collection`) link's `href`.
fn linked_order(links: Option<&Value>) -> Option<(&'static str, String)> {
    let links = links?;
    for rel in ["up", "collection"] {
        let Some(Value::Array(list)) = links.get(rel) else {
            continue;
        };
        for link in list {
            let Some(href) = link.get("href").and_then(Value::as_str) else {
                continue;
            };
            let path = href.split(['?', '#']).next().unwrap_or_default();
            let mut parts = path.split('/');
            while let Some(part) = parts.next() {
                if part == "orders" {
                    if let Some(id) = parts
                        .next()
                        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
                    {
                        return Some((rel, id.to_string()));
                    }
                }
            }
        }
    }
    None
}

/// A short digest of a document (FNV-1a, 64 bits, hex): message ids of
/// documents without a modification time carry it, so a re-polled
/// unchanged document is a duplicate and a changed one is not.
pub fn digest(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// What mapping one resource gave.
pub enum Outcome {
    /// Canonical messages.
    Emit(Message),
    /// Nothing: the resource is not a lifecycle fact (a note that is no
    /// status change to completed, a refund of nothing), for the reason
    /// given.
    NotAFact(String),
}

/// The messages of one payload, in order. A payload holding one resource
/// that is not a fact fails `invalid` with its reason; in a list such
/// resources are skipped. The same message twice is sent once; the same
/// id with different content is an error.
pub fn gather(outcomes: Vec<Outcome>, listed: bool) -> Result<Vec<Message>, PluginError> {
    let mut out = Distinct::default();
    for outcome in outcomes {
        match outcome {
            Outcome::NotAFact(reason) if !listed => {
                return Err(PluginError::invalid(reason).one_line())
            }
            Outcome::NotAFact(_) => {}
            Outcome::Emit(m) => out.push(m).map_err(|id| {
                PluginError::invalid(format!(
                    "the document holds message {id} twice with different content"
                ))
                .one_line()
            })?,
        }
    }
    Ok(out.into_vec())
}
