//! Inbound 997 and 999 acknowledgements → `weft.edi_ack/1`: statuses,
//! error texts and match keys, built at test time from the standard's
//! layouts (the real samples are checked in `cases/`), and the sets that
//! cannot be read (`x12.rejected`, never acknowledged).

use super::warehouse::interchange;
use super::*;
use weft_sdk::edi_ack::{AckGroup, AckSet, EdiAck};

/// A 997 rejecting one 855 of two (AK3/AK4 naming the bad element).
pub(super) const REJECTING_997: &str = "AK1*PR*000123~AK2*855*0001~AK3*PO1*3*ZZ*8~AK4*2*330*6*1X~AK5*R*5~AK2*855*0002~AK5*A~AK9*P*2*2*1~";

/// A 999 rejecting its one 855 (IK3/IK4 with a composite position, IK5 R).
pub(super) const REJECTING_999: &str =
    "AK1*PR*7*005010~AK2*855*0001*005010~IK3*N1*4**8~CTX*N101:ST~IK4*2>1*98*I12*XX~IK5*R*I5~AK9*R*1*1*0*1~";

fn ack(msgs: &[Message]) -> EdiAck {
    assert_eq!(msgs.len(), 1, "one document, no 997 for an FA group");
    assert_eq!(msgs[0].kind, "edi_ack.received");
    msgs[0].payload_json().expect("weft.edi_ack/1")
}

fn set(set: &str, control: &str, status: &str, errors: &[&str]) -> AckSet {
    AckSet {
        set: set.into(),
        control: control.into(),
        status: status.into(),
        errors: errors.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn ack997_rejecting_a_set() {
    let cfg = Config {
        utc_offset: Some("-05:00".into()),
        ..Config::default()
    };
    let msgs = run_with(&interchange("FA", "997", REJECTING_997), &cfg).expect("maps");
    let digest = msgs[0].id.strip_prefix("x12:SELLER:000000101:101:0001:");
    assert!(digest.is_some_and(|d| d.len() == 12), "{}", msgs[0].id);
    let a = ack(&msgs);
    assert_eq!(
        (
            a.ack_id.as_str(),
            a.correlation_id.as_str(),
            a.ack_type.as_str(),
            a.sender.as_str(),
            a.receiver.as_deref(),
            a.acknowledged_at.as_deref()
        ),
        (
            "SELLER:000000101:101:0001",
            "x12:SELLER:000000101:101:0001",
            "997",
            "SELLER",
            Some("BUYER"),
            Some("2024-01-05T12:00:00-05:00")
        )
    );
    assert_eq!(
        a.groups,
        [AckGroup {
            functional_id: Some("PR".into()),
            control: "000123".into(),
            key: "x12:SELLER:123".into(),
            status: "partially_accepted".into(),
            sets: vec![
                set(
                    "855",
                    "0001",
                    "rejected",
                    &[
                        "segment PO1 at position 3 (loop ZZ): segment has data element errors (8)",
                        "segment PO1 at position 3 (loop ZZ), element 2 (data element 330): invalid character in data element (6), value `1X`",
                        "transaction set: one or more segments in error (5)",
                    ]
                ),
                set("855", "0002", "accepted", &[]),
            ],
            included_sets: Some(2),
            received_sets: Some(2),
            accepted_sets: Some(1),
            errors: Vec::new(),
        }]
    );
    assert_eq!(a.source["set"], "997");
    assert_eq!(a.source["interchange_control"], "000000101");
}

#[test]
fn ack999_rejecting_its_set() {
    let msgs = run(&interchange("FA", "999", REJECTING_999)).expect("maps");
    assert!(msgs[0].id.starts_with("x12:SELLER:000000101:101:0001:"));
    let a = ack(&msgs);
    assert_eq!(a.ack_type, "999");
    assert_eq!(a.acknowledged_at.as_deref(), Some("2024-01-05"));
    assert_eq!(
        a.groups,
        [AckGroup {
            functional_id: Some("PR".into()),
            control: "7".into(),
            key: "x12:SELLER:7".into(),
            status: "rejected".into(),
            sets: vec![set(
                "855",
                "0001",
                "rejected",
                &[
                    "segment N1 at position 4: segment has data element errors (8)",
                    "segment N1 at position 4, element 2, component 1 (data element 98): implementation pattern match failure (I12), value `XX`",
                    "transaction set: implementation one or more segments in error (I5)",
                ]
            )],
            included_sets: Some(1),
            received_sets: Some(1),
            accepted_sets: Some(0),
            errors: vec!["functional group: functional group not supported (1)".into()],
        }]
    );
}

#[test]
fn statuses_of_every_code() {
    let cases = [
        (
            "AK5*E",
            "AK9*E*1*1*1",
            "accepted_with_errors",
            "accepted_with_errors",
        ),
        ("AK5*M", "AK9*M*1*1*0", "rejected", "rejected"),
        ("AK5*W", "AK9*W*1*1*0", "rejected", "rejected"),
        ("AK5*X", "AK9*X*1*1*0", "rejected", "rejected"),
        ("AK5*Q*99", "AK9*Q*1*1*0*77", "rejected", "rejected"),
    ];
    for (ak5, ak9, set_status, group_status) in cases {
        let body = format!("AK1*IN*0~AK2*810*0001~{ak5}~{ak9}~");
        let a = ack(&run(&interchange("FA", "997", &body)).expect("maps"));
        let g = &a.groups[0];
        assert_eq!(
            (g.status.as_str(), g.key.as_str()),
            (group_status, "x12:SELLER:0")
        );
        assert_eq!(g.sets[0].status, set_status, "{ak5}");
    }
    let odd = "AK1*IN*0~AK2*810*0001~AK5*Q*99~AK9*Q*1*1*0*77~";
    let a = ack(&run(&interchange("FA", "997", odd)).expect("maps"));
    assert_eq!(
        a.groups[0].sets[0].errors,
        ["transaction set: error code 99"]
    );
    assert_eq!(a.groups[0].errors, ["functional group: error code 77"]);
    // A whole group accepted without AK2 loops.
    let a = ack(&run(&interchange("FA", "997", "AK1*SH*0042~AK9*A*3*3*3~")).expect("maps"));
    assert_eq!(
        (
            a.groups[0].status.as_str(),
            a.groups[0].sets.len(),
            a.groups[0].key.as_str()
        ),
        ("accepted", 0, "x12:SELLER:42")
    );
}

#[test]
fn unreadable_acknowledgements_are_rejected() {
    let cases = [
        (
            "AK9*A*1*1*1~",
            "mandatory segment AK1 (functional group response header) is missing",
        ),
        (
            "AK2*855*1~AK5*A~",
            "mandatory segment AK1 (functional group response header) is missing",
        ),
        (
            "AK1*PR*5~AK2*855*0001~AK5*A~",
            "the AK1 at segment 4 has no AK9",
        ),
        (
            "AK1*PR*5~AK1*PR*6~AK9*A*0*0*0~",
            "the AK1 at segment 4 has no AK9",
        ),
        (
            "AK1*PR*5~AK2*855*0001~AK9*A*1*1*1~",
            "the AK2 at segment 5 has no AK5",
        ),
        (
            "AK1*PR~AK9*A*1*1*1~",
            "AK102 (group control number) is missing",
        ),
        (
            "AK1**5~AK9*A*1*1*1~",
            "AK101 (functional identifier code) is missing",
        ),
        (
            "AK1*PR*5~AK2*855~AK5*A~AK9*A*1*1*1~",
            "AK202 (set control number) is missing",
        ),
        (
            "AK1*PR*5~AK2*855*1~AK5~AK9*A*1*1*1~",
            "AK501 (acknowledgment code) is missing",
        ),
        (
            "AK1*PR*5~AK9~",
            "AK901 (functional group acknowledge code) is missing",
        ),
        (
            "AK1*PR*5~AK9*A*one*1*1~",
            "AK902 (number of transaction sets included) `one` is not a number",
        ),
    ];
    for (body, reason) in cases {
        let msgs = run(&interchange("FA", "997", body)).expect("maps");
        assert_eq!(msgs.len(), 1, "{body}: no 997 for an FA group");
        assert_eq!(msgs[0].kind, "x12.rejected", "{body}");
        let v = json(&msgs[0]);
        let got = v["reason"].as_str().unwrap_or_default();
        assert!(got.contains(reason), "{body}: {got}");
    }
    // No partner id, no match key.
    let blank = String::from_utf8_lossy(&interchange("FA", "997", "AK1*PR*5~AK9*A*0*0*0~"))
        .replacen("*ZZ*SELLER         *", "*ZZ*               *", 1)
        .into_bytes();
    let msgs = run(&blank).expect("maps");
    assert_eq!(msgs[0].kind, "x12.rejected");
    assert!(json(&msgs[0])["reason"]
        .as_str()
        .is_some_and(|r| r.contains("ISA06 (interchange sender id) is blank")));
    // A 999 needs its IK5.
    let msgs = run(&interchange(
        "FA",
        "999",
        "AK1*PR*5~AK2*855*0001~AK5*A~AK9*A*1*1*1~",
    ))
    .expect("maps");
    assert_eq!(msgs[0].kind, "x12.rejected");
    assert!(json(&msgs[0])["reason"]
        .as_str()
        .is_some_and(|r| r.contains("has no IK5")));
}
