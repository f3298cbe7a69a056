//! One bad message rejects that message only. The interchange is derived
//! at test time from the real `edifact/INVOIC_D97B_staedi.edi`: its one
//! INVOIC is written twice (the copy with message reference
//! `00000000000118` and UNZ01 2), and one of the two is broken (QTY 6060
//! `20X`, not a number).

use super::*;

/// The real interchange with a second copy of its message; the copy (or
/// the original, `break_first`) has a non-numeric quantity.
fn two_messages(bytes: &[u8], break_first: bool) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let start = text.find("UNH+").expect("UNH");
    let end = text.find("UNZ+").expect("UNZ");
    let message = &text[start..end];
    let copy = message.replace("00000000000117", "00000000000118");
    let broken = |m: &str| m.replacen("QTY+47:20:EA", "QTY+47:20X:EA", 1);
    let (first, second) = if break_first {
        (broken(message), copy)
    } else {
        (message.to_string(), broken(&copy))
    };
    format!(
        "{}{first}{second}{}",
        &text[..start],
        text[end..].replacen("UNZ+1+", "UNZ+2+", 1)
    )
}

#[test]
fn one_bad_message_rejects_that_message_only() {
    let Some(bytes) = file("INVOIC_D97B_staedi.edi") else {
        return;
    };
    let alone = run(&bytes).expect("the real file");
    assert_eq!(alone.len(), 1);
    for break_first in [false, true] {
        let input = two_messages(&bytes, break_first);
        let out = run(input.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let rows: Vec<(&str, &str)> = out
            .iter()
            .map(|m| (m.kind.as_str(), m.id.as_str()))
            .collect();
        let (good, bad) = if break_first { (1, 0) } else { (0, 1) };
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[good].0, "invoice.posted");
        assert_eq!(rows[bad].0, crate::REJECTED);
        let good_ref = if break_first { "118" } else { "117" };
        assert!(rows[good].1.ends_with(good_ref), "{rows:?}");
        if !break_first {
            // The good message maps exactly as in the real file.
            assert_eq!(out[0].id, alone[0].id);
            assert_eq!(out[0].payload, alone[0].payload);
        }
        let v = json(&out[bad]);
        let bad_ref = if break_first {
            "00000000000117"
        } else {
            "00000000000118"
        };
        assert_eq!(v["reference"], bad_ref);
        assert_eq!(v["message_type"], "INVOIC");
        assert_eq!(v["segment"], "QTY");
        assert_eq!(out[bad].correlation_id, out[bad].id);
        let position = if break_first { 17 } else { 17 + 24 };
        assert_eq!(v["position"], position);
        assert_eq!(
            v["reason"],
            format!("segment {position} (QTY): QTY01 component 2 (quantity) `20X` is not a number")
        );
    }
}

/// With `contrl = "true"` the interchange is answered with a CONTRL that
/// rejects the broken message (UCM action 4, the QTY's position in the
/// message in UCS) and acknowledges the rest (UCI action 7).
#[test]
fn contrl_lists_the_rejected_message() {
    let Some(bytes) = file("INVOIC_D97B_staedi.edi") else {
        return;
    };
    let cfg = Config {
        contrl: true,
        ..Config::default()
    };
    weft_sdk::host::reset();
    let input = two_messages(&bytes, false);
    let out = run_with(input.as_bytes(), &cfg).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<&str> = out.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["invoice.posted", crate::REJECTED, crate::CONTRL]);
    let c = &out[2];
    assert_eq!(c.id, "edifact:005435656:00000000000778:CONTRL");
    assert_eq!(c.correlation_id, "edifact:005435656:00000000000778");
    assert_eq!(c.content_type, "application/edifact");
    assert_eq!(
        String::from_utf8_lossy(&c.payload),
        "UNB+UNOA:3+006415160:1+005435656:1+060515:1434+1'UNH+1+CONTRL:D:3:UN'UCI+00000000000778+005435656:1+006415160:1+7'UCM+00000000000118+INVOIC:D:97B:UN+4+12'UCS+16+12'UNT+5+1'UNZ+1+1'"
    );
    // The CONTRL is itself a readable interchange.
    let back = run(&c.payload).expect("the CONTRL parses");
    assert_eq!(back[0].kind, crate::MESSAGE);
    // Without rejections it only acknowledges; a UNA is written back.
    let ok = run_with(&bytes, &cfg).expect("real file");
    let text = String::from_utf8_lossy(&ok[1].payload).into_owned();
    assert!(
        text.contains("UCI+00000000000778+005435656:1+006415160:1+7'UNT+3+1'"),
        "{text}"
    );
    if let Some(una) = file("INVOIC_D93A_staedi_una-decimal-comma.edi") {
        let out = run_with(&una, &cfg).expect("UNA file");
        let last = out.last().expect("CONTRL");
        assert_eq!(last.kind, crate::CONTRL);
        assert!(
            last.payload.starts_with(b"UNA"),
            "{:?}",
            String::from_utf8_lossy(&last.payload)
        );
    }
}
