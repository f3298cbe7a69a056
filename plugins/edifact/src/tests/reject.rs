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
