//! EDI exchanges: a delivery that expects a functional acknowledgement
//! (its `ack_key`) and the partner's `weft.edi_ack/1` naming it.

use super::{ack, ev, order, shipment};
use crate::bus::{DeliveryRecord, Entry};
use crate::config::ledger::SlaConfig;
use crate::ledger::consumer::{event_of, Source, StreamKind};
use crate::ledger::facts::{parse_time, Event};
use crate::ledger::{exceptions, snapshot};

/// The delivery record of an 855 sent for order `po` at `at`, through the
/// real stream entry decoding.
fn sent(po: &str, key: &str, at: &str) -> Event {
    let r = DeliveryRecord {
        id: format!("ack-{po}/x12-855@{key}"),
        correlation_id: format!("x12:{po}"),
        kind: "file".into(),
        sink: "partner-out".into(),
        flow: "edi".into(),
        status: crate::bus::delivery::WRITTEN.into(),
        at_ms: parse_time(at).unwrap() as u64,
        ack_key: key.into(),
        ack_doc: "X12 855".into(),
        ..DeliveryRecord::default()
    };
    let entry = Entry {
        id: format!("{}-0", r.at_ms),
        fields: r
            .to_fields()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    };
    let source = Source {
        stream: "weft:{edi}:deliveries".into(),
        kind: StreamKind::Deliveries,
        unit: "edi".into(),
        booking: Vec::new(),
    };
    event_of(&source, &entry).expect("a delivery event")
}

/// The partner's 997 for the groups `(key, status, errors)`.
fn answered(id: &str, at: &str, groups: &[(&str, &str, &[&str])]) -> Event {
    let groups: Vec<serde_json::Value> = groups
        .iter()
        .map(|(key, status, errors)| {
            serde_json::json!({"functional_id":"PR","control":key.rsplit(':').next(),"key":key,"status":status,
                "sets":[{"set":"855","control":"0001","status":status,"errors":errors}]})
        })
        .collect();
    ev(
        id,
        "edi_ack.received",
        serde_json::json!({"schema":"weft.edi_ack/1","ack_id":id,"channel":"x12:ACME","correlation_id":format!("x12:ACME:{id}"),
            "standard":"x12","ack_type":"997","acknowledged_at":at,"sender":"ACME","groups":groups}),
        5,
    )
}

fn open_kinds(events: &[Event], at: &str) -> Vec<(String, String)> {
    let snap = snapshot(events, &Default::default());
    exceptions::open(&snap, &SlaConfig::default(), parse_time(at).unwrap())
        .into_iter()
        .filter(|e| e.kind.starts_with("edi_") || e.kind.starts_with("orphan"))
        .map(|e| (e.kind, e.cause))
        .collect()
}

/// An order acknowledged, shipped in full: nothing else is open.
fn complete(po: &str) -> Vec<Event> {
    vec![
        order(po, "2026-03-01T10:00:00Z", "1"),
        ack(po, "2026-03-01T11:00:00Z"),
        shipment(
            &format!("S-{po}"),
            po,
            "2026-03-01T12:00:00Z",
            "1",
            "shipped",
        ),
    ]
}

#[test]
fn a_sent_document_without_acknowledgement_is_an_exception_after_its_sla() {
    let mut evs = complete("PO1");
    evs.push(sent("PO1", "x12:ACME:17", "2026-03-01T11:00:00Z"));
    let snap = snapshot(&evs, &Default::default());
    let x = &snap.orders[0].edi;
    assert_eq!(x.len(), 1);
    assert_eq!(
        (
            x[0].key.as_str(),
            x[0].status.as_str(),
            x[0].document.as_str()
        ),
        ("x12:ACME:17", "pending", "X12 855")
    );
    assert!(
        open_kinds(&evs, "2026-03-02T10:59:59Z").is_empty(),
        "within 24 h"
    );
    assert_eq!(
        open_kinds(&evs, "2026-03-02T11:00:00Z"),
        [("edi_ack_missing".to_string(), "x12:ACME:17".to_string())]
    );
    // The 997 clears it; arrival order does not matter.
    evs.insert(
        0,
        answered(
            "997-1",
            "2026-03-03T08:00:00Z",
            &[("x12:ACME:17", "accepted", &[])],
        ),
    );
    assert!(open_kinds(&evs, "2026-03-09T00:00:00Z").is_empty());
    let snap = snapshot(&evs, &Default::default());
    let x = &snap.orders[0].edi[0];
    assert_eq!(x.status, "accepted");
    assert_eq!(x.acknowledged_at, parse_time("2026-03-03T08:00:00Z"));
    assert_eq!(x.ack.as_deref(), Some("997-1"));
}

#[test]
fn a_rejection_stays_open_until_the_document_is_sent_again_and_accepted() {
    let mut evs = complete("PO2");
    evs.push(sent("PO2", "x12:ACME:20", "2026-03-01T11:00:00Z"));
    evs.push(answered(
        "997-2",
        "2026-03-01T12:00:00Z",
        &[(
            "x12:ACME:20",
            "rejected",
            &["N1 at 7: element 4 missing (1)"],
        )],
    ));
    let open = exceptions::open(
        &snapshot(&evs, &Default::default()),
        &SlaConfig::default(),
        parse_time("2026-03-01T12:00:00Z").unwrap(),
    );
    let rejected: Vec<_> = open.iter().filter(|e| e.kind == "edi_rejected").collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejected[0].since,
        parse_time("2026-03-01T12:00:00Z").unwrap()
    );
    assert!(
        rejected[0]
            .detail
            .contains("855 0001: N1 at 7: element 4 missing (1)"),
        "{}",
        rejected[0].detail
    );
    // Sent again under new control numbers: pending, then accepted.
    evs.push(sent("PO2", "x12:ACME:21", "2026-03-01T13:00:00Z"));
    assert_eq!(
        open_kinds(&evs, "2026-03-05T00:00:00Z"),
        [
            ("edi_rejected".to_string(), "x12:ACME:20".to_string()),
            ("edi_ack_missing".to_string(), "x12:ACME:21".to_string())
        ]
    );
    evs.push(answered(
        "997-3",
        "2026-03-01T14:00:00Z",
        &[("x12:ACME:21", "accepted", &[])],
    ));
    assert!(open_kinds(&evs, "2026-03-05T00:00:00Z").is_empty());
    let snap = snapshot(&evs, &Default::default());
    let states: Vec<&str> = snap.orders[0]
        .edi
        .iter()
        .map(|x| x.status.as_str())
        .collect();
    assert_eq!(states, ["superseded", "accepted"]);
}

#[test]
fn one_acknowledgement_of_two_orders_documents_reaches_both_and_a_stranger_is_an_orphan() {
    let mut evs = complete("PO3");
    evs.extend(complete("PO4"));
    evs.push(sent("PO3", "x12:ACME:30", "2026-03-01T11:00:00Z"));
    evs.push(sent("PO4", "x12:ACME:31", "2026-03-01T11:00:00Z"));
    evs.push(answered(
        "997-4",
        "2026-03-01T15:00:00Z",
        &[
            ("x12:ACME:30", "accepted", &[]),
            ("x12:ACME:31", "rejected", &[]),
        ],
    ));
    evs.push(answered(
        "997-5",
        "2026-03-01T15:00:00Z",
        &[("x12:ACME:99", "accepted", &[])],
    ));
    let snap = snapshot(&evs, &Default::default());
    let by_order: Vec<(&str, &str)> = snap
        .orders
        .iter()
        .map(|o| (o.order_key.as_str(), o.edi[0].status.as_str()))
        .collect();
    assert_eq!(by_order, [("x12:PO3", "accepted"), ("x12:PO4", "rejected")]);
    assert_eq!(
        open_kinds(&evs, "2026-03-03T00:00:00Z"),
        [
            ("orphan_edi_ack".to_string(), "997-5".to_string()),
            ("edi_rejected".to_string(), "x12:ACME:31".to_string())
        ]
    );
    // A later 997 for the same group restates it.
    evs.push(answered(
        "997-6",
        "2026-03-02T09:00:00Z",
        &[("x12:ACME:31", "accepted", &[])],
    ));
    let kinds = open_kinds(&evs, "2026-03-03T00:00:00Z");
    assert_eq!(kinds, [("orphan_edi_ack".to_string(), "997-5".to_string())]);
}
