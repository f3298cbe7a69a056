//! The ledger's pure functions on hand-made events: service levels open
//! and clear exceptions, the fold is order-independent (random orders and
//! duplicates), revisions and cancellations are facts, not overwrites.

use proptest::prelude::*;

use super::facts::{from_message, Event};
use super::{exceptions, report, snapshot};
use crate::config::ledger::SlaConfig;
use crate::Message;

fn ev(id: &str, kind: &str, doc: serde_json::Value, seen: i64) -> Event {
    let m = Message {
        id: id.into(),
        kind: kind.into(),
        content_type: "application/json".into(),
        payload: doc.to_string().into_bytes(),
        ..Default::default()
    };
    from_message(&m, seen).expect("a canonical document")
}

fn order(id: &str, at: &str, qty: &str) -> Event {
    ev(
        &format!("o-{id}-{qty}"),
        "order.created",
        serde_json::json!({"schema":"weft.order/1","order_id":id,"channel":"x12:ACME","correlation_id":format!("x12:{id}"),
            "purpose":"original","ordered_at":at,"currency":"USD","totals":{"total":"100.00"},
            "lines":[{"line_id":"1","sku":"A","quantity":qty,"unit_price":"10.00"}]}),
        0,
    )
}

fn shipment(id: &str, po: &str, at: &str, qty: &str, status: &str) -> Event {
    ev(
        &format!("s-{id}-{status}"),
        "shipment.dispatched",
        serde_json::json!({"schema":"weft.shipment/1","shipment_id":id,"channel":"x12:ACME","status":status,
            "order_refs":[po],"shipped_at":at,"packages":[{"items":[{"sku":"A","quantity":qty,"order_id":po}]}]}),
        1,
    )
}

fn ack(po: &str, at: &str) -> Event {
    ev(
        &format!("a-{po}"),
        "order.acknowledged",
        serde_json::json!({"schema":"weft.order_ack/1","order_id":po,"channel":"x12:ACME","acknowledged_at":at}),
        2,
    )
}

fn kinds(events: &[Event], as_of: &str) -> Vec<String> {
    let snap = snapshot(events, &Default::default());
    let t = super::facts::parse_time(as_of).unwrap();
    exceptions::open(&snap, &SlaConfig::default(), t)
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[test]
fn an_exception_opens_after_its_service_level_and_clears_when_the_event_arrives() {
    let o = order("PO1", "2026-11-30T10:00:00Z", "5");
    // Acknowledge: 24 h by default.
    assert!(!kinds(std::slice::from_ref(&o), "2026-12-01T09:59:59Z")
        .contains(&"acknowledgement_overdue".into()));
    assert!(kinds(std::slice::from_ref(&o), "2026-12-01T10:00:00Z")
        .contains(&"acknowledgement_overdue".into()));
    let acked = [o.clone(), ack("PO1", "2026-12-01T12:00:00Z")];
    assert!(!kinds(&acked, "2026-12-01T13:00:00Z").contains(&"acknowledgement_overdue".into()));
    // Ship in full: 72 h. A partial shipment keeps it open; the rest clears it.
    let part = [
        o.clone(),
        ack("PO1", "2026-12-01T12:00:00Z"),
        shipment("S1", "PO1", "2026-12-02T10:00:00Z", "3", "shipped"),
    ];
    assert!(kinds(&part, "2026-12-03T10:00:00Z").contains(&"shipment_overdue".into()));
    let mut full = part.to_vec();
    full.push(shipment(
        "S2",
        "PO1",
        "2026-12-03T11:00:00Z",
        "2",
        "shipped",
    ));
    let k = kinds(&full, "2026-12-03T12:00:00Z");
    assert!(!k.contains(&"shipment_overdue".into()), "{k:?}");
    // Shipped, not invoiced within 24 h of the first shipment.
    assert!(k.contains(&"shipped_not_invoiced".into()), "{k:?}");
}

#[test]
fn a_shipment_before_its_acknowledgement_counts_and_raises_acknowledgement_missing() {
    let evs = [
        shipment("S1", "PO1", "2026-12-02T10:00:00Z", "5", "shipped"),
        order("PO1", "2026-11-30T10:00:00Z", "5"),
    ];
    let snap = snapshot(&evs, &Default::default());
    assert_eq!(snap.orders[0].status, "shipped");
    assert!(kinds(&evs, "2026-12-02T11:00:00Z").contains(&"acknowledgement_missing".into()));
}

#[test]
fn a_cancelled_shipment_never_counts_and_an_orphan_waits_for_its_order() {
    let evs = [
        order("PO1", "2026-11-30T10:00:00Z", "5"),
        shipment("S1", "PO1", "2026-12-02T10:00:00Z", "5", "shipped"),
        shipment("S1", "PO1", "2026-12-02T10:00:00Z", "5", "cancelled"),
    ];
    let snap = snapshot(&evs, &Default::default());
    assert_eq!(snap.orders[0].shipped_units.to_string(), "0");
    assert_eq!(snap.orders[0].cancelled_shipments, 1);
    let orphan = [shipment(
        "S9",
        "PO9",
        "2026-12-02T10:00:00Z",
        "1",
        "shipped",
    )];
    let snap = snapshot(&orphan, &Default::default());
    assert_eq!((snap.orders.len(), snap.orphans.len()), (0, 1));
}

#[test]
fn shipped_fill_and_net_sales_are_sums_over_distinct_documents() {
    let evs = [
        order("PO1", "2026-11-30T10:00:00Z", "4"),
        shipment("S1", "PO1", "2026-12-01T10:00:00Z", "1", "shipped"),
        shipment("S2", "PO1", "2026-12-02T10:00:00Z", "2", "shipped"),
    ];
    let snap = snapshot(&evs, &Default::default());
    let r = &report::channels(&snap.orders, report::Period::default())[0];
    assert_eq!(r.shipped_units.to_string(), "3");
    assert_eq!(r.shipped_value.to_string(), "30.00");
    assert_eq!(
        r.fill_original.units.map(|d| d.to_string()).as_deref(),
        Some("0.75")
    );
    assert_eq!(
        r.fill_original.lines.map(|d| d.to_string()).as_deref(),
        Some("0")
    );
    assert_eq!(r.partner.as_deref(), Some("ACME"));
}

fn day() -> Vec<Event> {
    vec![
        order("PO1", "2026-11-30T10:00:00Z", "4"),
        order("PO2", "2026-11-30T11:00:00Z", "2"),
        ack("PO1", "2026-11-30T12:00:00Z"),
        shipment("S1", "PO1", "2026-12-01T10:00:00Z", "1", "shipped"),
        shipment("S1", "PO1", "2026-12-01T10:00:00Z", "1", "cancelled"),
        shipment("S2", "PO1", "2026-12-02T10:00:00Z", "4", "shipped"),
        shipment("S3", "PO2", "2026-12-02T10:00:00Z", "3", "shipped"),
        shipment("S4", "PO7", "2026-12-02T10:00:00Z", "3", "shipped"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn folding_any_order_with_duplicates_equals_folding_the_set(
        order in Just(day()).prop_shuffle(),
        dups in proptest::collection::vec(0usize..8, 0..6),
    ) {
        let mut evs = order.clone();
        for d in dups {
            evs.push(order[d].clone());
        }
        let want = snapshot(&day(), &Default::default());
        let got = snapshot(&evs, &Default::default());
        prop_assert_eq!(&got, &want);
        let as_of = super::facts::parse_time("2026-12-10").unwrap();
        prop_assert_eq!(
            exceptions::open(&got, &SlaConfig::default(), as_of),
            exceptions::open(&want, &SlaConfig::default(), as_of)
        );
    }
}

#[test]
fn an_order_known_only_by_its_cancellation_is_a_cancelled_order() {
    let c = ev(
        "c1",
        "order.cancelled",
        serde_json::json!({"schema":"weft.order/1","order_id":"PO5","channel":"x12:ACME","correlation_id":"x12:PO5",
            "purpose":"cancel","ordered_at":"2026-11-30T10:00:00Z","lines":[]}),
        0,
    );
    let snap = snapshot(&[c], &Default::default());
    assert_eq!(snap.orders.len(), 1);
    assert_eq!(snap.orders[0].status, "cancelled");
    assert!(snap.orders[0].placeholder);
}

#[test]
fn a_delivery_scan_without_items_keeps_the_shipped_goods_and_dates_the_delivery() {
    let o = order("PO1", "2026-11-30T10:00:00Z", "5");
    let shipped = shipment("S1", "PO1", "2026-12-01T10:00:00Z", "5", "shipped");
    let scan = ev(
        "s-S1-scan",
        "shipment.dispatched",
        serde_json::json!({"schema":"weft.shipment/1","shipment_id":"S1","channel":"x12:ACME","status":"delivered",
            "order_refs":["PO1"],"shipped_at":"2026-12-01T10:00:00Z","delivered_at":"2026-12-03T09:00:00Z"}),
        3,
    );
    for evs in [
        vec![o.clone(), shipped.clone(), scan.clone()],
        vec![scan, shipped, o],
    ] {
        let v = &snapshot(&evs, &Default::default()).orders[0];
        assert_eq!(v.shipped_units.to_string(), "5");
        assert_eq!(
            v.delivered_at,
            super::facts::parse_time("2026-12-03T09:00:00Z")
        );
        assert_eq!(v.shipments, 1);
    }
}

#[test]
fn a_channel_without_acknowledgements_raises_none() {
    let o = order("PO1", "2026-11-30T10:00:00Z", "5");
    let sla: SlaConfig =
        toml::from_str("[channels.\"x12:ACME\"]\nacknowledge_hours = 0\n").unwrap();
    let snap = snapshot(&[o], &Default::default());
    let t = super::facts::parse_time("2027-01-01").unwrap();
    let kinds: Vec<String> = exceptions::open(&snap, &sla, t)
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(
        !kinds.iter().any(|k| k.starts_with("acknowledgement")),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"shipment_overdue".to_string()));
}

fn view(events: &[Event]) -> super::fold::OrderView {
    let snap = snapshot(events, &Default::default());
    assert_eq!(snap.orders.len(), 1, "one order");
    snap.orders[0].clone()
}

#[test]
fn an_allocation_is_a_milestone_of_its_own_not_an_acknowledgement() {
    let o = order("PO7", "2026-11-30T10:00:00Z", "5");
    let alloc = ev(
        "al-PO7",
        "order.allocated",
        serde_json::json!({"schema":"weft.order_ack/1","order_id":"PO7","channel":"x12:ACME","ack_type":"accepted",
            "acknowledged_at":"2026-11-30T11:00:00Z","location":"WH1",
            "lines":[{"line_id":"1","sku":"A","quantity":"5","status":"accepted"}]}),
        1,
    );
    let v = view(&[o.clone(), alloc.clone()]);
    assert_eq!(
        v.allocated_at,
        super::facts::parse_time("2026-11-30T11:00:00Z")
    );
    assert_eq!(v.acknowledged_at, None);
    assert_eq!(v.status, "captured");
    assert!(kinds(&[o, alloc], "2026-12-02T00:00:00Z").contains(&"acknowledgement_overdue".into()));
}

fn fulfilled(po: &str, at: &str) -> Event {
    ev(
        &format!("f-{po}"),
        "shipment.dispatched",
        serde_json::json!({"schema":"weft.shipment/1","shipment_id":format!("{po}:fulfilled"),"channel":"x12:ACME",
            "status":"fulfilled","order_refs":[po],"shipped_at":at,"packages":[]}),
        1,
    )
}

#[test]
fn fulfilled_without_quantities_counts_in_full_until_a_real_shipment_replaces_it() {
    let o = order("PO8", "2026-11-30T10:00:00Z", "5");
    let f = fulfilled("PO8", "2026-12-01T10:00:00Z");
    let v = view(&[o.clone(), f.clone()]);
    assert_eq!((v.shipments, v.shipped_units.to_string()), (1, "5".into()));
    assert!(v.fill.order_filled_revised());
    assert_eq!(v.first_shipped_at, v.fulfilled_at);
    assert_eq!(v.status, "shipped");
    // A real partial shipment replaces the milestone, never adds to it.
    let s = shipment("S8", "PO8", "2026-12-01T09:00:00Z", "3", "shipped");
    let v = view(&[o, f, s]);
    assert_eq!((v.shipments, v.shipped_units.to_string()), (1, "3".into()));
    assert!(!v.fill.order_filled_revised());
    assert_eq!(v.status, "partially_shipped");
    assert_eq!(
        v.fulfilled_at,
        super::facts::parse_time("2026-12-01T10:00:00Z")
    );
}

#[test]
fn an_authorised_return_returns_nothing() {
    let o = order("PO9", "2026-11-30T10:00:00Z", "5");
    let ret = |id: &str, kind: &str, status: Option<&str>| {
        let mut doc = serde_json::json!({"schema":"weft.return/1","return_id":"R9","order_id":"PO9","channel":"x12:ACME",
            "correlation_id":"x12:PO9","authorized_at":"2026-12-03T10:00:00Z","returned_at":"2026-12-05T10:00:00Z",
            "currency":"USD","lines":[{"line_id":"1","sku":"A","quantity":"2","amount":"20.00"}],"totals":{"total":"20.00"}});
        if let Some(s) = status {
            doc["status"] = s.into();
        }
        ev(id, kind, doc, 3)
    };
    let auth = ret("r-auth", "return.authorized", Some("authorized"));
    let v = view(&[o.clone(), auth.clone()]);
    assert_eq!(
        v.return_authorized_at,
        super::facts::parse_time("2026-12-03T10:00:00Z")
    );
    assert_eq!(
        (v.returned_value.to_string(), v.returned_at),
        ("0".into(), None)
    );
    assert_ne!(v.status, "returned");
    // The goods received: a return.completed of the same return counts.
    let done = ret("r-done", "return.completed", None);
    let v = view(&[o, auth, done]);
    assert_eq!(v.returned_value.to_string(), "20.00");
    assert_eq!(
        v.returned_at,
        super::facts::parse_time("2026-12-05T10:00:00Z")
    );
    assert_eq!(
        v.return_authorized_at,
        super::facts::parse_time("2026-12-03T10:00:00Z")
    );
}

mod edi;
