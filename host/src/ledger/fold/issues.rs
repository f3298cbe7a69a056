//! Issues the fold finds beyond quantities: bookings in the ERP (and
//! deliveries that booked nothing), duplicates suppressed, dead letters.

use std::collections::BTreeMap;

use super::{Issue, OrderView};
use crate::ledger::facts::{Doc, Event, Line};

/// "Booked in ERP": the first delivery that carries the ERP's order number.
pub(super) fn bookings(v: &mut OrderView, evs: &[(&Event, Vec<&Line>, bool)]) {
    let booked = evs
        .iter()
        .filter(|(e, _, _)| e.doc == Doc::Delivery && !e.aliases.is_empty())
        .min_by_key(|(e, _, _)| (e.at.unwrap_or(e.seen_at), e.event_id.clone()));
    if let Some((e, _, _)) = booked {
        v.booked_at = e.at.or(Some(e.seen_at));
        v.erp_ref = e.aliases.first().cloned();
    }
    for (e, _, _) in evs
        .iter()
        .filter(|(e, _, _)| e.doc == Doc::Delivery && e.aliases.is_empty())
    {
        if e.extra("booking").is_some() && v.erp_ref.is_none() {
            v.issues.push(Issue {
                kind: "not_booked".into(),
                cause: e.event_id.clone(),
                since: e.at.unwrap_or(e.seen_at),
                detail: format!(
                    "sink {} delivered the order but its answer had no order number",
                    e.extra("sink").unwrap_or("?")
                ),
            });
        }
    }
}

/// The same document (same kind, id and content) sent again under another
/// message id: counted once, reported as suppressed.
pub(super) fn duplicates(v: &mut OrderView, evs: &[(&Event, Vec<&Line>, bool)]) {
    let mut seen: BTreeMap<(Doc, &str, String), &str> = BTreeMap::new();
    let mut by_id: Vec<&Event> = evs.iter().map(|(e, _, _)| *e).collect();
    by_id.sort_by(|a, b| a.event_id.cmp(&b.event_id));
    // Only documents whose (kind, id) occurs twice can be duplicates: the
    // content digest (a serialisation and a SHA-256) is taken of those only.
    let mut ids: BTreeMap<(Doc, &str), usize> = BTreeMap::new();
    for e in &by_id {
        *ids.entry((e.doc, e.doc_id.as_str())).or_default() += 1;
    }
    for e in by_id {
        if matches!(e.doc, Doc::Delivery | Doc::DeadLetter)
            || ids.get(&(e.doc, e.doc_id.as_str())).is_none_or(|n| *n < 2)
        {
            continue;
        }
        let k = (e.doc, e.doc_id.as_str(), e.content_digest());
        match seen.get(&k) {
            Some(kept) => v.issues.push(Issue {
                kind: "duplicate_suppressed".into(),
                cause: e.event_id.clone(),
                since: e.at.unwrap_or(e.seen_at),
                detail: format!(
                    "{} {} arrived again as {} (kept {kept})",
                    e.doc.as_str(),
                    e.doc_id,
                    e.event_id
                ),
            }),
            None => {
                seen.insert(k, &e.event_id);
            }
        }
    }
}

/// Dead letters of the order, unless the message later went through.
pub(super) fn dead_letters(v: &mut OrderView, evs: &[(&Event, Vec<&Line>, bool)]) {
    for (e, _, _) in evs.iter().filter(|(e, _, _)| e.doc == Doc::DeadLetter) {
        let message = e.extra("message_id").unwrap_or_default();
        let through = !message.is_empty()
            && evs.iter().any(|(o, _, _)| {
                o.doc != Doc::DeadLetter
                    && (o.event_id == message || o.extra("message_id") == Some(message))
            });
        if !through {
            v.issues.push(Issue {
                kind: "dead_lettered".into(),
                cause: e.event_id.clone(),
                since: e.at.unwrap_or(e.seen_at),
                detail: format!(
                    "{} failed in {}: {}",
                    if message.is_empty() {
                        "a message"
                    } else {
                        message
                    },
                    e.extra("unit").unwrap_or("?"),
                    e.extra("error").unwrap_or("")
                ),
            });
        }
    }
}
