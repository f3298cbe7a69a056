//! The fold: the events of one order → its [`OrderView`] (the derived
//! `ledger_orders` row and its lines). A pure function of the event *set*:
//! events are deduplicated by id and sorted by (business time, id) first,
//! quantities and amounts are sums over distinct documents (the latest
//! revision of each document by business time), a cancellation is a
//! permanent fact, and nothing depends on arrival order.

pub mod edi;
mod issues;
mod lines;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::facts::{Doc, Event, Line};
use super::identity::Portion;

/// The message kind of an allocation (`weft.order_ack/1`).
const ALLOCATED: &str = "order.allocated";
/// The shipment status of a channel's "fulfilled" without quantities.
const FULFILLED: &str = "fulfilled";

pub use edi::EdiExchange;
pub use lines::{Fill, OrderLine};

/// Something the fold found wrong with an order; becomes an exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// `over_shipped`, `invoice_quantity_mismatch`, `currency_mismatch`,
    /// `duplicate_suppressed`, `dead_lettered`, `not_booked`.
    pub kind: String,
    /// What it is about (a line key, an event id, a currency).
    pub cause: String,
    /// Since when (ms): the business time of the event that caused it.
    pub since: i64,
    /// One line for a person.
    pub detail: String,
}

/// One order's lifecycle, derived from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// The order key (its correlation id).
    pub order_key: String,
    /// The channel that issued the order.
    pub channel: String,
    /// The trading partner, for EDI channels (`x12:ACME` → `ACME`).
    pub partner: Option<String>,
    /// The order's currency.
    pub currency: Option<String>,
    /// The channel's order id.
    pub order_id: String,
    /// Order number, when the channel has one apart from the id.
    pub order_number: Option<String>,
    /// Purchase order number.
    pub po_number: Option<String>,
    /// True while only updates or a cancellation were seen (no `order.created`).
    pub placeholder: bool,
    /// Derived status, the first that holds: `cancelled`; `returned`; fully
    /// shipped and `paid` (payments ≥ billed), `invoiced` (billed) or
    /// `shipped`; `partially_shipped`; `invoiced` (nothing shipped);
    /// `acknowledged`; `captured`.
    pub status: String,
    /// When the order was placed (ms).
    pub ordered_at: Option<i64>,
    /// Requested ship date (ms), where the document has one.
    pub requested_ship_at: Option<i64>,
    /// When it was cancelled (ms).
    pub cancelled_at: Option<i64>,
    /// When weft first saw an order document of it (ms).
    pub seen_at: i64,
    /// Order documents (created, updated, cancelled) seen.
    pub revisions: u32,
    /// Total of the original order.
    pub original_total: Option<Decimal>,
    /// Total of the latest revision (by business time).
    pub revised_total: Option<Decimal>,
    /// First acknowledgement (ms).
    pub acknowledged_at: Option<i64>,
    /// Type of the latest acknowledgement.
    pub ack_status: Option<String>,
    /// First allocation of its lines to a location (ms): `order.allocated`
    /// (Shopify fulfillment orders, Adobe Commerce source selection, an
    /// X12 940 to a warehouse). Not an acknowledgement.
    #[serde(default)]
    pub allocated_at: Option<i64>,
    /// When the channel said the order was fulfilled without quantities
    /// (ms; a WooCommerce order completed): counts as shipped in full only
    /// while no real shipment does.
    #[serde(default)]
    pub fulfilled_at: Option<i64>,
    /// First return authorisation (ms): `return.authorized`, nothing
    /// received yet, so nothing counts as returned.
    #[serde(default)]
    pub return_authorized_at: Option<i64>,
    /// First and last shipment (ms), first delivery scan (ms).
    pub first_shipped_at: Option<i64>,
    /// Last shipment (ms).
    pub last_shipped_at: Option<i64>,
    /// First delivery (ms).
    pub delivered_at: Option<i64>,
    /// Distinct shipments that count (not cancelled).
    pub shipments: u32,
    /// Distinct shipments cancelled.
    pub cancelled_shipments: u32,
    /// Units shipped (all lines).
    pub shipped_units: Decimal,
    /// Value shipped: units × the order line's unit price.
    pub shipped_value: Decimal,
    /// First invoice (ms).
    pub invoiced_at: Option<i64>,
    /// Sum of distinct invoices' totals.
    pub invoiced_value: Decimal,
    /// Units invoiced.
    pub invoiced_units: Decimal,
    /// Last payment (ms).
    pub paid_at: Option<i64>,
    /// When it was billed (ms): the first invoice; for an order with no
    /// invoice document (a web store bills at capture), the first payment.
    pub billed_at: Option<i64>,
    /// Billed value: the invoices' sum; with no invoice document, the payments'.
    pub billed_value: Decimal,
    /// Sum of distinct payments.
    pub paid_value: Decimal,
    /// First return (ms).
    pub returned_at: Option<i64>,
    /// Money refunded for returned goods.
    pub returned_value: Decimal,
    /// Units returned.
    pub returned_units: Decimal,
    /// First credit (ms).
    pub credited_at: Option<i64>,
    /// Money credited without returned goods.
    pub credited_value: Decimal,
    /// When the ERP booked it (first delivery with its order number, ms).
    pub booked_at: Option<i64>,
    /// The ERP's order number.
    pub erp_ref: Option<String>,
    /// Fill against the original and the revised order.
    pub fill: Fill,
    /// Lines with ordered, shipped, invoiced and returned quantities
    /// (not stored in the `view` column: `ledger_order_lines` has them).
    #[serde(default)]
    pub lines: Vec<OrderLine>,
    /// What is wrong with it (becomes exceptions).
    pub issues: Vec<Issue>,
    /// EDI documents sent for it that the partner acknowledges (997/999).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edi: Vec<EdiExchange>,
    /// Distinct events folded.
    pub events: u32,
}

/// The milestones and quantities of `key` from its events and their shares.
/// `None` when no order document is among them (the events are orphans).
pub fn fold(key: &str, events: &[(&Event, &Portion)]) -> Option<OrderView> {
    // Dedupe by event identity, then a total order independent of arrival.
    let mut set: BTreeMap<&str, (&Event, &Portion)> = BTreeMap::new();
    for (e, p) in events {
        set.entry(e.event_id.as_str()).or_insert((e, p));
    }
    let mut evs: Vec<(&Event, Vec<&Line>, bool)> = set
        .values()
        .map(|(e, p)| {
            let lines = p.lines.iter().filter_map(|i| e.lines.get(*i)).collect();
            (*e, lines, p.primary)
        })
        .collect();
    evs.sort_by(|a, b| {
        (a.0.revised_at.unwrap_or(i64::MIN), &a.0.event_id)
            .cmp(&(b.0.revised_at.unwrap_or(i64::MIN), &b.0.event_id))
    });
    let orders: Vec<&(&Event, Vec<&Line>, bool)> =
        evs.iter().filter(|(e, _, _)| e.doc == Doc::Order).collect();
    // The latest revision that is not a cancellation; an order known only
    // by its cancellation is still an order (cancelled).
    let latest = orders
        .iter()
        .rev()
        .find(|(e, _, _)| !is_cancel(e))
        .or_else(|| orders.last())?;
    let first = orders
        .iter()
        .find(|(e, _, _)| e.kind == "order.created")
        .copied();
    let original = first.unwrap_or(orders[0]);
    let cancelled_at = orders
        .iter()
        .filter(|(e, _, _)| is_cancel(e))
        .filter_map(|(e, _, _)| e.extra_ms("cancelled_at").or(e.revised_at))
        .min();
    let any_cancel = orders.iter().any(|(e, _, _)| is_cancel(e));
    let o = latest.0;
    let currency = o
        .currency
        .clone()
        .or_else(|| orders.iter().find_map(|(e, _, _)| e.currency.clone()));
    let mut v = OrderView {
        order_key: key.to_string(),
        channel: original.0.channel.clone(),
        partner: partner(&original.0.channel),
        currency,
        order_id: original.0.doc_id.clone(),
        order_number: o.extra("order_number").map(String::from),
        po_number: o.extra("po_number").map(String::from),
        placeholder: first.is_none(),
        status: String::new(),
        ordered_at: original.0.at.or(o.at),
        requested_ship_at: o
            .extra_ms("requested_ship_at")
            .or_else(|| original.0.extra_ms("requested_ship_at")),
        cancelled_at: if any_cancel {
            cancelled_at.or(Some(o.seen_at))
        } else {
            None
        },
        seen_at: orders.iter().map(|(e, _, _)| e.seen_at).min().unwrap_or(0),
        revisions: orders.len() as u32,
        original_total: original.0.amount,
        revised_total: o.amount,
        acknowledged_at: None,
        ack_status: None,
        allocated_at: None,
        fulfilled_at: None,
        return_authorized_at: None,
        first_shipped_at: None,
        last_shipped_at: None,
        delivered_at: None,
        shipments: 0,
        cancelled_shipments: 0,
        shipped_units: Decimal::ZERO,
        shipped_value: Decimal::ZERO,
        invoiced_at: None,
        invoiced_value: Decimal::ZERO,
        invoiced_units: Decimal::ZERO,
        paid_at: None,
        billed_at: None,
        billed_value: Decimal::ZERO,
        paid_value: Decimal::ZERO,
        returned_at: None,
        returned_value: Decimal::ZERO,
        returned_units: Decimal::ZERO,
        credited_at: None,
        credited_value: Decimal::ZERO,
        booked_at: None,
        erp_ref: None,
        fill: Fill::default(),
        lines: Vec::new(),
        issues: Vec::new(),
        edi: Vec::new(),
        events: evs.len() as u32,
    };
    let mut book = lines::Book::new(&original.1, &latest.1);
    milestones(&mut v, &evs, &mut book);
    v.lines = book.finish(&mut v);
    v.status = status(&v).to_string();
    Some(v)
}

fn is_cancel(e: &Event) -> bool {
    e.doc == Doc::Order && e.status.as_deref() == Some("cancelled")
}

/// `x12:ACME` → `ACME` for EDI channels.
fn partner(channel: &str) -> Option<String> {
    let (kind, rest) = channel.split_once(':')?;
    matches!(kind, "x12" | "edifact").then(|| rest.to_string())
}

/// An event, the lines of it that belong to this order, and whether its
/// amounts are this order's.
type Share<'a> = (&'a Event, Vec<&'a Line>, bool);

/// The latest revision (by business time, then id) of each distinct
/// document of `doc`, with whether any revision cancelled it. A revision
/// that carries lines wins over one that carries none (a delivery scan
/// states a status, not the goods).
fn documents<'a>(
    evs: &'a [(&'a Event, Vec<&'a Line>, bool)],
    doc: Doc,
) -> Vec<(&'a Share<'a>, bool)> {
    let mut by_id: BTreeMap<&str, (&Share, bool)> = BTreeMap::new();
    for item in evs.iter().filter(|(e, _, _)| e.doc == doc) {
        let cancelled = item.0.status.as_deref() == Some("cancelled");
        let slot = by_id.entry(item.0.doc_id.as_str()).or_insert((item, false));
        // evs is sorted: a later one is the latest, unless it drops the lines.
        if !cancelled && (!item.1.is_empty() || slot.0 .1.is_empty()) {
            slot.0 = item;
        }
        slot.1 |= cancelled;
    }
    by_id.into_values().collect()
}

fn milestones(v: &mut OrderView, evs: &[(&Event, Vec<&Line>, bool)], book: &mut lines::Book) {
    let cur = v.currency.clone();
    let money = |v: &mut OrderView, e: &Event| -> Option<Decimal> {
        match (&e.currency, &cur) {
            (Some(c), Some(o)) if c != o => {
                v.issues.push(Issue {
                    kind: "currency_mismatch".into(),
                    cause: e.event_id.clone(),
                    since: e.at.unwrap_or(e.seen_at),
                    detail: format!(
                        "{} {} is in {c}, the order in {o}",
                        e.doc.as_str(),
                        e.doc_id
                    ),
                });
                None
            }
            _ => e.amount,
        }
    };
    let min = |a: Option<i64>, b: Option<i64>| match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    let max = |a: Option<i64>, b: Option<i64>| a.max(b);
    for (e, _, _) in evs.iter().filter(|(e, _, _)| e.doc == Doc::Ack) {
        let at = e.at.or(Some(e.seen_at));
        // An allocation to a location is not an acknowledgement of the order.
        if e.kind == ALLOCATED {
            v.allocated_at = min(v.allocated_at, at);
            continue;
        }
        v.acknowledged_at = min(v.acknowledged_at, at);
        v.ack_status = e.status.clone().or(v.ack_status.take());
    }
    // A channel's "fulfilled" (no quantities) counts only while no real
    // shipment does: a real shipment replaces it, never adds to it.
    let (fulfilled, shipments): (Vec<_>, Vec<_>) = documents(evs, Doc::Shipment)
        .into_iter()
        .partition(|((e, _, _), _)| e.status.as_deref() == Some(FULFILLED));
    for ((e, _, _), cancelled) in &fulfilled {
        if !cancelled {
            v.fulfilled_at = min(v.fulfilled_at, e.at.or(Some(e.seen_at)));
        }
    }
    for ((e, lines, primary), cancelled) in shipments {
        if cancelled {
            v.cancelled_shipments += 1;
            continue;
        }
        v.shipments += 1;
        let at = e.at.or(Some(e.seen_at));
        v.first_shipped_at = min(v.first_shipped_at, at);
        v.last_shipped_at = max(v.last_shipped_at, at);
        // Delivery: the earliest any revision of this shipment states.
        let delivered = evs
            .iter()
            .filter(|(x, _, _)| x.doc == Doc::Shipment && x.doc_id == e.doc_id)
            .filter_map(|(x, _, _)| {
                x.extra_ms("delivered_at").or_else(|| {
                    (x.status.as_deref() == Some("delivered"))
                        .then_some(x.at)
                        .flatten()
                })
            })
            .min();
        v.delivered_at = min(v.delivered_at, delivered);
        let _ = primary;
        for l in lines {
            book.ship(l);
        }
    }
    if v.shipments == 0 && v.fulfilled_at.is_some() {
        v.shipments = 1;
        (v.first_shipped_at, v.last_shipped_at) = (v.fulfilled_at, v.fulfilled_at);
        book.ship_in_full();
    }
    for ((e, lines, primary), cancelled) in documents(evs, Doc::Invoice) {
        if cancelled {
            continue;
        }
        v.invoiced_at = min(v.invoiced_at, e.at.or(Some(e.seen_at)));
        for l in lines {
            book.invoice(l);
        }
        if *primary {
            let m = money(v, e).unwrap_or_default();
            v.invoiced_value += m;
        }
    }
    let mut first_paid = None;
    for ((e, _, primary), _) in documents(evs, Doc::Payment) {
        if *primary {
            v.paid_at = max(v.paid_at, e.at.or(Some(e.seen_at)));
            first_paid = min(first_paid, e.at.or(Some(e.seen_at)));
            let m = money(v, e).unwrap_or_default();
            v.paid_value += m;
        }
    }
    if v.invoiced_at.is_some() {
        (v.billed_at, v.billed_value) = (v.invoiced_at, v.invoiced_value);
    } else {
        (v.billed_at, v.billed_value) = (first_paid, v.paid_value);
    }
    let authorized = |e: &Event| e.status.as_deref() == Some("authorized");
    for (e, _, _) in evs
        .iter()
        .filter(|(e, _, _)| e.doc == Doc::Return && authorized(e))
    {
        v.return_authorized_at = min(v.return_authorized_at, e.at.or(Some(e.seen_at)));
    }
    for ((e, lines, primary), _) in documents(evs, Doc::Return) {
        if authorized(e) {
            continue;
        }
        v.returned_at = min(v.returned_at, e.at.or(Some(e.seen_at)));
        for l in lines {
            book.ret(l);
        }
        if *primary {
            let m = money(v, e).unwrap_or_default();
            v.returned_value += m;
        }
    }
    for ((e, _, primary), _) in documents(evs, Doc::Credit) {
        if *primary {
            v.credited_at = min(v.credited_at, e.at.or(Some(e.seen_at)));
            let m = money(v, e).unwrap_or_default();
            v.credited_value += m;
        }
    }
    issues::bookings(v, evs);
    edi::exchanges(v, evs);
    issues::duplicates(v, evs);
    issues::dead_letters(v, evs);
}

fn status(v: &OrderView) -> &'static str {
    let billed = v.billed_value > Decimal::ZERO;
    if v.cancelled_at.is_some() {
        "cancelled"
    } else if v.returned_units > Decimal::ZERO || v.returned_value > Decimal::ZERO {
        "returned"
    } else if v.fill.order_filled_revised() {
        if billed && v.paid_value >= v.billed_value {
            "paid"
        } else if v.billed_at.is_some() {
            "invoiced"
        } else {
            "shipped"
        }
    } else if v.shipped_units > Decimal::ZERO {
        "partially_shipped"
    } else if v.invoiced_at.is_some() {
        "invoiced"
    } else if v.acknowledged_at.is_some() {
        "acknowledged"
    } else {
        "captured"
    }
}
