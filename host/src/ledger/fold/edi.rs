//! EDI documents weft sent for an order and the trading partner's
//! functional acknowledgements of them: a delivery whose message carried a
//! `weft-ack-key` (written by `x12-outbound`) is an exchange; a
//! `weft.edi_ack/1` naming that key acknowledges it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::OrderView;
use crate::ledger::facts::{Doc, Event, Line};

/// [`EdiExchange::status`] before any acknowledgement.
pub const PENDING: &str = "pending";
/// [`EdiExchange::status`] of a rejection a later accepted exchange of the
/// same document replaced.
pub const SUPERSEDED: &str = "superseded";
/// The acknowledgement status of a rejection.
pub const REJECTED: &str = "rejected";

/// One document sent to a trading partner that expects an acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EdiExchange {
    /// The key the acknowledgement names (`x12:<partner>:<GS06>`).
    pub key: String,
    /// What was sent (`X12 855`).
    pub document: String,
    /// The sink that delivered it.
    pub sink: String,
    /// When it was delivered (ms; the earliest delivery under the key).
    pub delivered_at: i64,
    /// `pending` (no acknowledgement yet), the acknowledgement's status
    /// (`accepted`, `accepted_with_errors`, `partially_accepted`,
    /// `rejected`), or `superseded` (rejected, then the same document was
    /// sent again and accepted).
    pub status: String,
    /// When it was acknowledged (the acknowledgement's business time, ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<i64>,
    /// The acknowledgement's event id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack: Option<String>,
    /// What the acknowledgement says is wrong, when anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<String>,
}

/// The acknowledgement status of a group accepted only in part.
pub const PARTIAL: &str = "partially_accepted";

impl EdiExchange {
    /// Whether it still needs a person: not acknowledged, or refused and
    /// not sent again since.
    pub fn is_open(&self) -> bool {
        self.status == PENDING || self.is_refused()
    }

    /// Whether the partner refused it (in whole or in part).
    pub fn is_refused(&self) -> bool {
        self.status == REJECTED || self.status == PARTIAL
    }
}

/// The order's exchanges, sorted by (delivered, key). Of several
/// acknowledgements of one key the latest by (business time, event id)
/// counts: a partner that re-sends its 997 restates it.
pub(super) fn exchanges(v: &mut OrderView, evs: &[(&Event, Vec<&Line>, bool)]) {
    let mut by_key: BTreeMap<&str, EdiExchange> = BTreeMap::new();
    for (e, _, _) in evs.iter().filter(|(e, _, _)| e.doc == Doc::Delivery) {
        let Some(key) = e.extra("ack_key") else {
            continue;
        };
        let at = e.at.unwrap_or(e.seen_at);
        let x = by_key.entry(key).or_insert_with(|| EdiExchange {
            key: key.to_string(),
            document: e.extra("ack_doc").unwrap_or_default().to_string(),
            sink: e.extra("sink").unwrap_or_default().to_string(),
            delivered_at: at,
            status: PENDING.into(),
            acknowledged_at: None,
            ack: None,
            errors: None,
        });
        if at < x.delivered_at {
            x.delivered_at = at;
            x.sink = e.extra("sink").unwrap_or_default().to_string();
        }
    }
    let mut acks: Vec<&Event> = evs
        .iter()
        .map(|(e, _, _)| *e)
        .filter(|e| e.doc == Doc::EdiAck)
        .collect();
    acks.sort_by(|a, b| {
        (a.at.unwrap_or(a.seen_at), &a.event_id).cmp(&(b.at.unwrap_or(b.seen_at), &b.event_id))
    });
    for a in acks {
        for (key, x) in by_key.iter_mut() {
            if let Some(status) = a.extra(&format!("ack:{key}")) {
                x.status = status.to_string();
                x.acknowledged_at = Some(a.at.unwrap_or(a.seen_at));
                x.ack = Some(a.event_id.clone());
                x.errors = a.extra(&format!("ack_errors:{key}")).map(String::from);
            }
        }
    }
    let mut out: Vec<EdiExchange> = by_key.into_values().collect();
    out.sort_by(|a, b| (a.delivered_at, &a.key).cmp(&(b.delivered_at, &b.key)));
    // A rejected document sent again later and accepted is resolved.
    let accepted: Vec<(String, i64)> = out
        .iter()
        .filter(|x| x.status != PENDING && !x.is_refused())
        .map(|x| (x.document.clone(), x.delivered_at))
        .collect();
    for x in out.iter_mut().filter(|x| x.is_refused()) {
        if accepted
            .iter()
            .any(|(d, at)| *d == x.document && *at > x.delivered_at)
        {
            x.status = SUPERSEDED.into();
        }
    }
    v.edi = out;
}
