//! WooCommerce order note → the order's fulfilled milestone
//! ([`crate::fulfilled`]) when the note records a status change to
//! completed.
//!
//! WooCommerce records status changes only as note text: `Order status
//! changed from On hold to Completed.` (REST v3: display labels; older
//! stores: slugs, `from processing to completed`), sometimes after other
//! text (`Awaiting BACS payment Order status changed from …`). A note whose
//! last `status changed from X to Y` has `Y` = `Completed` (any case, or
//! `wc-completed`) is the fulfilled milestone, timed by the note
//! (`date_created_gmt`, else `date_created` with its offset, else the
//! legacy `created_at`). Every other note (free text, changes to other
//! statuses, notes to the customer, notes in another language) is no
//! fact: a payload holding only it is refused, saying what it is; a list
//! skips it, so a status history without a completion maps to nothing.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use weft_sdk::scalar::{take_trimmed, Field, Scalar};
use weft_sdk::text::decode_entities;
use weft_sdk::PluginError;

use crate::common::{id_of, parent_order, OrderHint, Outcome, Subject};
use crate::fulfilled::{self, Completion};

/// The parts of a WooCommerce order note the mapping reads.
#[derive(Deserialize, Default, Debug)]
#[serde(default, expecting = "a WooCommerce order note object")]
pub struct RawNote {
    pub id: Field,
    pub order_id: Field,
    pub date_created: Field,
    pub date_created_gmt: Field,
    /// Legacy creation time (UTC, `…Z`).
    pub created_at: Field,
    pub note: Field,
    pub customer_note: Field,
    #[serde(rename = "_links")]
    pub links: Option<Value>,
}

/// Maps one note (the caller puts its place in front of errors).
pub fn map(raw: RawNote, hint: &OrderHint, channel: &str) -> Result<Outcome, PluginError> {
    let id = id_of(&raw.id, "order note")?;
    let subject = Subject {
        what: "order note",
        id: &id,
    };
    let text = take_trimmed(raw.note)
        .map(|t| decode_entities(&t).into_owned())
        .unwrap_or_default();
    let to_customer = raw
        .customer_note
        .as_ref()
        .and_then(Scalar::as_bool)
        .unwrap_or(false);
    if to_customer {
        return Ok(Outcome::NotAFact(format!(
            "order note {id} is a note to the customer, not a status change"
        )));
    }
    let Some((from, to)) = status_change(&text) else {
        return Ok(Outcome::NotAFact(format!(
            "order note {id} is not a status change (`{}`)",
            weft_sdk::text::clip(&text, 80)
        )));
    };
    let to_completed =
        to.eq_ignore_ascii_case("completed") || to.eq_ignore_ascii_case("wc-completed");
    if !to_completed {
        return Ok(Outcome::NotAFact(format!(
            "order note {id} changes the status to {to}, not to Completed"
        )));
    }
    let order_id = parent_order(&subject, &raw.order_id, &None, raw.links.as_ref(), hint)?;
    let at = subject.created(raw.date_created_gmt, raw.date_created, raw.created_at)?;
    let mut source = BTreeMap::new();
    source.insert(
        "document".to_string(),
        Value::from("woocommerce.order_note"),
    );
    source.insert("note_id".to_string(), Value::from(id.clone()));
    source.insert("status_from".to_string(), Value::from(from));
    source.insert("status_to".to_string(), Value::from(to));
    let c = Completion {
        channel,
        order_id: &order_id,
        at: Some(at),
        ship_to: None,
        source,
    };
    fulfilled::message(c).map(Outcome::Emit)
}

/// The last `status changed from X to Y` of a note (up to the sentence's
/// full stop): `(X, Y)`, trimmed.
pub fn status_change(note: &str) -> Option<(String, String)> {
    const MARK: &str = "status changed from ";
    let lower = note.to_ascii_lowercase();
    let start = lower.rfind(MARK)? + MARK.len();
    // The sentence: up to its full stop (status labels have none).
    let end = note
        .get(start..)?
        .find('.')
        .map_or(note.len(), |e| start + e);
    let rest = note.get(start..end)?;
    let split = lower.get(start..end)?.rfind(" to ")?;
    let from = rest.get(..split)?.trim();
    let to = rest.get(split + 4..)?.trim();
    (!from.is_empty() && !to.is_empty()).then(|| (from.to_string(), to.to_string()))
}
