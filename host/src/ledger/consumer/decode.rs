//! Stream entries → ledger events: canonical documents from unit inputs,
//! dead letters from DLQs, delivery records from `weft:{flow}:deliveries`.

use std::collections::BTreeMap;

use super::{Source, StreamKind};
use crate::bus::{codec, DlqRecord, Entry};
use crate::ledger::facts::{self, Doc, Event};

/// The ms part of a stream entry id: when the entry was written.
pub fn entry_ms(id: &str) -> i64 {
    id.split('-')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

/// The event an entry of `s` records; `None` for what the ledger does not
/// keep (non-canonical messages) and for entries that do not decode
/// (logged: the pipeline that wrote them reports them itself).
pub fn event_of(s: &Source, e: &Entry) -> Option<Event> {
    let seen = entry_ms(&e.id);
    match s.kind {
        StreamKind::Input => match codec::decode(e) {
            Ok(m) => facts::from_message(&m, seen),
            Err(why) => {
                tracing::debug!(stream = %s.stream, entry = %e.id, "ledger: entry does not decode: {why}");
                None
            }
        },
        StreamKind::DeadLetters => {
            let r = DlqRecord::decode(e).ok()?;
            let m = &r.message;
            let doc: Option<serde_json::Value> = m
                .is_json()
                .then(|| serde_json::from_slice(&m.payload).ok())
                .flatten();
            let channel = doc
                .as_ref()
                .and_then(|d| d.get("channel"))
                .and_then(|c| c.as_str())
                .unwrap_or_default()
                .to_string();
            let corr = if r.correlation_id.is_empty() {
                m.correlation_id.clone()
            } else {
                r.correlation_id.clone()
            };
            let mut extra = BTreeMap::new();
            extra.insert("unit".to_string(), s.unit.clone());
            extra.insert("error".to_string(), r.error.clone());
            extra.insert("class".to_string(), r.error_class.clone());
            extra.insert("stage".to_string(), r.stage.clone());
            extra.insert("message_id".to_string(), m.id.clone());
            Some(Event {
                event_id: format!("dead_letter:{}:{}", s.stream, e.id),
                doc: Doc::DeadLetter,
                kind: m.kind.clone(),
                doc_id: m.id.clone(),
                channel,
                correlation_id: corr,
                refs: Vec::new(),
                aliases: Vec::new(),
                at: facts::parse_time(&r.first_failure),
                revised_at: facts::parse_time(&r.first_failure),
                seen_at: seen,
                currency: None,
                amount: None,
                status: Some(r.error_class),
                lines: Vec::new(),
                extra,
            })
        }
        StreamKind::Deliveries => {
            let d = crate::bus::DeliveryRecord::from_entry(e).ok()?;
            let mut extra = BTreeMap::new();
            extra.insert("sink".to_string(), d.sink.clone());
            extra.insert("message_id".to_string(), d.id.clone());
            if !d.ack_key.is_empty() {
                extra.insert("ack_key".to_string(), d.ack_key.clone());
                extra.insert("ack_doc".to_string(), d.ack_doc.clone());
            }
            if s.booking.contains(&d.sink) {
                // The sink reads the ERP's order number from its answers.
                extra.insert("booking".to_string(), "1".to_string());
            }
            let at = Some(i64::try_from(d.at_ms).unwrap_or(seen));
            Some(Event {
                event_id: format!("delivery:{}:{}", d.sink, d.id),
                doc: Doc::Delivery,
                kind: d.kind,
                doc_id: d.id,
                channel: d.sink,
                correlation_id: d.correlation_id,
                refs: Vec::new(),
                aliases: if d.reference.is_empty() {
                    Vec::new()
                } else {
                    vec![d.reference]
                },
                at,
                revised_at: at,
                seen_at: seen,
                currency: None,
                amount: None,
                status: Some(d.status),
                lines: Vec::new(),
                extra,
            })
        }
    }
}
