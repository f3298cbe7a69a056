//! Exceptions: what needs a person, as a pure function of the ledger
//! snapshot, the service levels and the as-of time. Ids are deterministic
//! (type + order + cause), so an exception keeps its id while it is open
//! and is gone once the event that clears it is seen.

use serde::{Deserialize, Serialize};

use super::facts::Doc;
use super::fold;
use super::Snapshot;
use crate::config::ledger::SlaConfig;

/// One open exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Exception {
    /// Deterministic id: 16 hex digits of sha256(type, order, cause).
    pub id: String,
    /// What kind (see `docs/reports.md` for each).
    #[serde(rename = "type")]
    pub kind: String,
    /// The order key, when it concerns a known order.
    pub order: Option<String>,
    /// The channel.
    pub channel: String,
    /// What it is about (an event id, a line, an alias).
    pub cause: String,
    /// Since when (ms since the epoch).
    pub since: i64,
    /// One line for a person.
    pub detail: String,
}

const HOUR: i64 = 3_600_000;

fn exception(
    kind: &str,
    order: Option<&str>,
    channel: &str,
    cause: &str,
    since: i64,
    detail: String,
) -> Exception {
    let id =
        crate::stamp::sha256_hex(format!("{kind}\n{}\n{cause}", order.unwrap_or("")).as_bytes());
    Exception {
        id: id[..16].to_string(),
        kind: kind.to_string(),
        order: order.map(String::from),
        channel: channel.to_string(),
        cause: cause.to_string(),
        since,
        detail,
    }
}

/// The exceptions open at `as_of` (ms), sorted by (since, id).
pub fn open(snap: &Snapshot, sla: &SlaConfig, as_of: i64) -> Vec<Exception> {
    let mut out = Vec::new();
    for o in &snap.orders {
        let s = sla.of(&o.channel);
        let key = Some(o.order_key.as_str());
        let ch = o.channel.as_str();
        let live = o.cancelled_at.is_none();
        let mut due = |kind: &str, since: Option<i64>, cause: &str, detail: String| {
            if let Some(t) = since.filter(|t| *t <= as_of) {
                out.push(exception(kind, key, ch, cause, t, detail));
            }
        };
        // `acknowledge_hours = 0`: the channel does not acknowledge orders.
        if live && o.acknowledged_at.is_none() && s.acknowledge_hours > 0 {
            if let Some(shipped) = o.first_shipped_at {
                due(
                    "acknowledgement_missing",
                    Some(shipped),
                    "",
                    "shipped before any acknowledgement was seen".into(),
                );
            } else {
                let t = o
                    .ordered_at
                    .map(|t| t + i64::from(s.acknowledge_hours) * HOUR);
                due(
                    "acknowledgement_overdue",
                    t,
                    "",
                    format!("not acknowledged within {} h", s.acknowledge_hours),
                );
            }
        }
        // An order without lines is shipped once anything shipped for it.
        let shipped_in_full =
            o.fill.order_filled_revised() || (o.fill.lines_revised == 0 && o.shipments > 0);
        if live && !shipped_in_full {
            let t = o
                .requested_ship_at
                .map(|r| r - r.rem_euclid(86_400_000) + 86_400_000)
                .or_else(|| o.ordered_at.map(|t| t + i64::from(s.ship_hours) * HOUR));
            let why = match o.requested_ship_at {
                Some(_) => "not shipped in full by the requested ship date".to_string(),
                None => format!("not shipped in full within {} h", s.ship_hours),
            };
            due("shipment_overdue", t, "", why);
        }
        if live && o.billed_at.is_none() {
            let t = o
                .first_shipped_at
                .map(|t| t + i64::from(s.invoice_hours) * HOUR);
            due(
                "shipped_not_invoiced",
                t,
                "",
                format!("shipped, not invoiced within {} h", s.invoice_hours),
            );
        }
        if live && o.invoiced_at.is_some() && o.shipments == 0 {
            due(
                "invoiced_not_shipped",
                o.invoiced_at,
                "",
                "invoiced, nothing shipped".into(),
            );
        }
        for i in &o.issues {
            due(&i.kind, Some(i.since), &i.cause, i.detail.clone());
        }
        // Documents sent to the partner: acknowledged in time, and accepted.
        for x in &o.edi {
            if x.status == fold::edi::PENDING && s.edi_ack_hours > 0 {
                due(
                    "edi_ack_missing",
                    Some(x.delivered_at + i64::from(s.edi_ack_hours) * HOUR),
                    &x.key,
                    format!(
                        "{} sent through {} ({}) not acknowledged within {} h",
                        x.document, x.sink, x.key, s.edi_ack_hours
                    ),
                );
            } else if x.is_refused() {
                due(
                    "edi_rejected",
                    x.acknowledged_at,
                    &x.key,
                    format!(
                        "{} ({}) {} by the partner: {}",
                        x.document,
                        x.key,
                        x.status.replace('_', " "),
                        x.errors.as_deref().unwrap_or("no reason given")
                    ),
                );
            }
        }
    }
    for e in &snap.orphans {
        let grace = i64::from(sla.of(&e.channel).orphan_grace_hours) * HOUR;
        let kind = match e.doc {
            Doc::DeadLetter => "dead_lettered",
            Doc::Delivery => "orphan_delivery",
            Doc::Shipment => "orphan_shipment",
            Doc::Invoice => "orphan_invoice",
            Doc::Payment => "orphan_payment",
            Doc::Return => "orphan_return",
            Doc::Credit => "orphan_credit",
            Doc::Ack => "orphan_acknowledgement",
            Doc::EdiAck => "orphan_edi_ack",
            Doc::Order | Doc::Inventory => continue,
        };
        let since = if e.doc == Doc::DeadLetter {
            e.seen_at
        } else {
            e.seen_at + grace
        };
        if since <= as_of {
            let detail = match e.doc {
                Doc::DeadLetter => format!(
                    "a message of no known order failed in {}: {}",
                    e.extra("unit").unwrap_or("?"),
                    e.extra("error").unwrap_or("")
                ),
                _ => format!(
                    "{} {} names no known order ({})",
                    e.doc.as_str(),
                    e.doc_id,
                    if e.refs.is_empty() {
                        e.correlation_id.clone()
                    } else {
                        e.refs.join(", ")
                    }
                ),
            };
            out.push(exception(
                kind,
                None,
                &e.channel,
                &e.event_id,
                since,
                detail,
            ));
        }
    }
    for c in &snap.conflicts {
        let (scope, alias, orders) = (&c.scope, &c.alias, &c.orders);
        for o in orders {
            out.push(exception(
                "alias_conflict",
                Some(o),
                scope,
                &format!("{scope}:{alias}"),
                c.since,
                format!(
                    "{alias} in {scope} names {} orders: {}",
                    orders.len(),
                    orders.join(", ")
                ),
            ));
        }
    }
    out.sort_by(|a, b| (a.since, &a.id).cmp(&(b.since, &b.id)));
    out
}
