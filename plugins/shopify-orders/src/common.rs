//! What the lifecycle mappings (fulfillments, refunds, transactions) share:
//! the resource being mapped (errors name it), its ids, timestamps and
//! amounts, and the gathering of the messages of one input.

use std::fmt;

use weft_sdk::datetime::to_rfc3339;
use weft_sdk::money::Decimal;
use weft_sdk::scalar::{self, take_trimmed, text, Field, Scalar};
use weft_sdk::{Distinct, Message, PluginError};

/// The channel code of every document this plugin emits.
pub const CHANNEL: &str = "shopify";

/// The correlation id of Shopify order `order_id`: `shopify:{order_id}`,
/// exactly as the order itself carries it, so every later event of the
/// order joins it.
pub fn correlation(order_id: &str) -> String {
    format!("{CHANNEL}:{order_id}")
}

/// The Shopify resource being mapped (`fulfillment 255858046`): errors
/// about it name it.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// What it is (`fulfillment`, `refund`, `transaction`).
    pub what: &'static str,
    /// Its id.
    pub id: &'a str,
}

impl Subject<'_> {
    /// An `invalid` error about it: `{what} {id}: {reason}`.
    pub fn err(&self, reason: impl fmt::Display) -> PluginError {
        PluginError::invalid(format!("{} {}: {reason}", self.what, self.id))
    }

    /// An `invalid` error saying it lacks `thing`: `{what} {id} has no
    /// {thing}`.
    pub fn lacks(&self, thing: impl fmt::Display) -> PluginError {
        PluginError::invalid(format!("{} {} has no {thing}", self.what, self.id))
    }

    /// The id of the order it belongs to (`order_id`, required: the
    /// correlation id is made from it).
    pub fn order_id(&self, field: &Field) -> Result<String, PluginError> {
        text(field)
            .map(|s| s.trim().to_string())
            .ok_or_else(|| self.lacks("`order_id`"))
    }

    /// An optional timestamp `field` (`name`), as RFC 3339.
    pub fn timestamp(&self, field: Field, name: &str) -> Result<Option<String>, PluginError> {
        match take_trimmed(field) {
            None => Ok(None),
            Some(s) => to_rfc3339(&s)
                .map(Some)
                .ok_or_else(|| self.err(format_args!("{name} `{s}` is not an RFC 3339 timestamp"))),
        }
    }

    /// The first present of two timestamps (`processed_at`, else
    /// `created_at`), as RFC 3339; an error naming both when neither is.
    pub fn business_time(
        &self,
        first: (Field, &str),
        second: (Field, &str),
    ) -> Result<String, PluginError> {
        let (a, b) = (first.1, second.1);
        match self.timestamp(first.0, a)? {
            Some(t) => Ok(t),
            None => self
                .timestamp(second.0, b)?
                .ok_or_else(|| self.lacks(format_args!("`{a}` or `{b}`"))),
        }
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
}

/// The id of the resource at `place` (`fulfillments[1]`, or `fulfillment`
/// for a document holding one), trimmed; required.
pub fn id_of(field: &Field, place: &str) -> Result<String, PluginError> {
    text(field)
        .map(|s| s.trim().to_string())
        .ok_or_else(|| PluginError::invalid(format!("{place} has no `id`")))
}

/// Where resource `index` of a document sits, for errors: `{key}[{index}]`
/// in a list, the resource's name for a document holding only one.
pub fn place(what: &str, list_key: &str, index: usize, single: bool) -> String {
    if single {
        what.to_string()
    } else {
        format!("{list_key}[{index}]")
    }
}

/// What mapping one resource gave.
pub enum Outcome {
    /// A canonical message.
    Emit(Message),
    /// Nothing: the resource is not a lifecycle fact (a pending
    /// fulfillment, an authorisation), for the reason given.
    NotAFact(String),
}

/// The messages of one input, in order. `refuse_single`: a document
/// holding one resource that is not a fact fails `invalid` with its reason
/// (in a list such resources are skipped). The same message twice is sent
/// once; the same id with different content is an error.
pub fn gather(
    outcomes: Vec<Outcome>,
    single: bool,
    refuse_single: bool,
) -> Result<Vec<Message>, PluginError> {
    let mut out = Distinct::default();
    for outcome in outcomes {
        match outcome {
            Outcome::NotAFact(reason) if single && refuse_single => {
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
