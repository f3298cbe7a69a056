//! Syntax and envelope on small synthetic interchanges: UNA, release
//! characters, whitespace, counts and references, fatal framing defects.

use super::*;
use crate::parse::parse;

const ORDER: &str = "UNB+UNOC:3+SENDER:14+RECEIVER:14+200101:1200+REF1'UNH+M1+ORDERS:D:96A:UN'BGM+220+PO-1+9'LIN+1++4000862141404:EN'QTY+21:2'UNT+5+M1'UNZ+1+REF1'";

fn err(input: &str) -> String {
    run(input.as_bytes()).expect_err(input)
}

#[test]
fn defaults_without_una_and_one_message() {
    let out = run(ORDER.as_bytes()).expect("valid");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].id, "edifact:SENDER:REF1:M1");
    assert_eq!(out[0].correlation_id, "edifact:PO-1");
    assert_eq!(out[0].kind, "order.created");
    assert_eq!(out[0].header(crate::WARNINGS_HEADER), None);
    let o = json(&out[0]);
    assert_eq!(o["lines"][0]["gtin"], "4000862141404");
    assert_eq!(o["lines"][0]["quantity"], "2");
}

#[test]
fn una_declares_other_delimiters_and_decimal_comma() {
    let input = "UNA*|,! ~\nUNB|UNOC*3|S|R|200101*1200|9~\nUNH|1|ORDERS*D*96A*UN~BGM|220|A!|B|5~LIN|1||X1*SA~QTY|21*2,5~PRI|AAA*1,25~UNT|6|1~UNZ|1|9~";
    let out = run(input.as_bytes()).expect("valid");
    let o = json(&out[0]);
    assert_eq!(o["order_id"], "A|B");
    assert_eq!(out[0].kind, "order.updated");
    assert_eq!(o["lines"][0]["vendor_part"], "X1");
    assert_eq!(o["lines"][0]["quantity"], "2.5");
    assert_eq!(o["lines"][0]["unit_price"], "1.25");
    assert_eq!(o["lines"][0]["total"], "3.125");
}

#[test]
fn release_character_escapes_service_characters_only() {
    let p = parse(
        b"UNB+UNOC:3+S+R+200101:1200+1'UNH+1+X:D:96A:UN'FTX+AAI+++a?+b?:c?'d??e'UNT+3+1'UNZ+1+1'",
    )
    .expect("valid");
    let ftx = &p.interchanges[0].messages[0].segments[1];
    assert_eq!(ftx.comp(4, 1), "a+b:c'd?e");
    let e = err("UNB+UNOC:3+S+R+200101:1200+1'UNH+1+X:D:96A:UN'FTX+AAI+++a?*b'UNT+3+1'UNZ+1+1'");
    assert!(
        e.starts_with("segment 3 (FTX): release character `?` before `*`"),
        "{e}"
    );
    let e = err("UNB+UNOC:3+S+R+200101:1200+1'UNH+1+X:D:96A:UN'FTX+AAI+++a?");
    assert!(e.contains("ends right after the release character"), "{e}");
}

#[test]
fn whitespace_between_segments_and_bom_are_skipped() {
    let pretty = format!(
        "\u{feff}UNA:+.? '\r\n  {}\r\n",
        ORDER.replace('\'', "'\r\n    ")
    );
    let out = run(pretty.as_bytes()).expect("valid");
    assert_eq!(
        json(&out[0]),
        json(&run(ORDER.as_bytes()).expect("valid")[0])
    );
}

#[test]
fn counts_and_references_are_warnings_or_fatal_when_strict() {
    let bad = ORDER
        .replace("UNT+5+M1", "UNT+9+M2")
        .replace("UNZ+1+REF1", "UNZ+2+REF9");
    let out = run(bad.as_bytes()).expect("lenient");
    let w = out[0].header(crate::WARNINGS_HEADER).expect("warnings");
    assert!(
        w.contains("segment 6 (UNT): UNT01 segment count `9` does not match the 5 segments"),
        "{w}"
    );
    assert!(
        w.contains("UNT02 `M2` does not match the UNH message reference `M1`"),
        "{w}"
    );
    assert!(
        w.contains("segment 7 (UNZ): UNZ01 count `2` does not match the 1 messages"),
        "{w}"
    );
    assert!(w.contains("UNZ02 `REF9` does not match"), "{w}");
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    let e = run_with(bad.as_bytes(), &strict).expect_err("strict");
    assert!(
        e.starts_with("segment 6 (UNT): UNT01") && e.ends_with("(fatal because strict = true)"),
        "{e}"
    );
}

#[test]
fn groups_are_checked() {
    let g = "UNB+UNOC:3+S+R+200101:1200+1'UNG+ORDERS+S+R+200101:1200+G1+UN+D:96A'UNH+1+ORDERS:D:96A:UN'BGM+220+P+9'LIN+1'QTY+21:1'UNT+5+1'UNE+2+G2'UNZ+1+1'";
    let out = run(g.as_bytes()).expect("lenient");
    let w = out[0].header(crate::WARNINGS_HEADER).expect("warnings");
    assert!(
        w.contains(
            "segment 8 (UNE): UNE01 message count `2` does not match the 1 messages of group G1"
        ),
        "{w}"
    );
    assert!(
        w.contains("UNE02 `G2` does not match the UNG group reference `G1`"),
        "{w}"
    );
    assert_eq!(json(&out[0])["source"]["group_reference"], "G1");
    let e = err(&g.replace("UNE+2+G2'", ""));
    assert!(
        e.starts_with("segment 8 (UNZ): group G1 (UNG at segment 2) is not closed"),
        "{e}"
    );
}

#[test]
fn framing_defects_are_fatal_and_located() {
    let cases = [
        ("", "no interchange"),
        ("UNH+1+ORDERS:D:96A:UN'", "segment 1 (UNH): expected UNB"),
        (
            "UNB+UNOC:3+S+R+200101:1200+1'BGM+220+1'",
            "segment 2 (BGM): segment outside a message",
        ),
        (
            "UNB+UNOC:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+1'UNZ+1+1'",
            "segment 4 (UNZ): message 1 (UNH at segment 2) is not closed",
        ),
        (
            "UNB+UNOC:3+S+R+200101:1200+1'UNH+1+ORDERS:D:96A:UN'",
            "segment 2 (UNH): message 1 is not closed: the input ends without UNT",
        ),
        (
            "UNB+UNOC:3+S+R+200101:1200+1'UNH+1+X:D:96A:UN'UNT+2+1'",
            "segment 1 (UNB): interchange 1 is not closed",
        ),
        (
            "UNB+UNOC:3+S+R+200101:1200+1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+1",
            "segment 4 (UNZ): the input ends inside this segment",
        ),
        (
            "UNB+UNOC:3+S+R+200101:1200+1'bgm+1'",
            "segment 2 (bgm): `bgm` is not a segment tag",
        ),
        (
            "UNB+UNOC:3+S+R+200101:1200'",
            "segment 1 (UNB): UNB05 (interchange control reference) is missing",
        ),
        (
            "UNB+UNOC:3+S+R+200101:1200+1'UNH++X:D:96A:UN'",
            "segment 2 (UNH): UNH01 (message reference number) is missing",
        ),
        (
            "UNA:+",
            "segment 1 (UNA): service string advice is cut short",
        ),
        ("UNA:+.?+'", "segment 1 (UNA): service string advice"),
        ("UNA:+;? 'UNB'", "UNA3 decimal mark"),
    ];
    for (input, want) in cases {
        let e = err(input);
        assert!(e.contains(want), "{input}: {e}");
    }
}

#[test]
fn two_interchanges_a_repeat_and_a_reused_reference() {
    let twice = format!("{ORDER}{ORDER}");
    let out = run(twice.as_bytes()).expect("valid");
    assert_eq!(out.len(), 1, "the repeat is deduplicated");
    let other = ORDER.replace("PO-1", "PO-2");
    let out = run(format!("{ORDER}{other}").as_bytes()).expect("valid");
    assert_eq!(out.len(), 2);
    assert_eq!(out[1].id, "edifact:SENDER:REF1:M1:2");
    assert!(out[1]
        .header(crate::WARNINGS_HEADER)
        .unwrap_or("")
        .contains("message reference repeated"));
}

#[test]
fn other_message_types_are_generic() {
    let input = "UNB+UNOC:3+S+R+200101:1200+7'UNH+9+PRICAT:D:96A:UN'BGM+9+X'PRI+AAA:1.5:CT'UNT+4+9'UNZ+1+7'";
    let out = run(input.as_bytes()).expect("valid");
    assert_eq!(out[0].kind, crate::MESSAGE);
    let p = json(&out[0]);
    assert_eq!(p["type"], "PRICAT");
    assert_eq!(p["control_number"], "9");
    assert_eq!(p["segments"][1], serde_json::json!(["BGM", "9", "X"]));
    assert_eq!(
        p["segments"][2],
        serde_json::json!(["PRI", ["AAA", "1.5", "CT"]])
    );
}

#[test]
fn latin1_input_max_bytes_and_process() {
    let bytes: Vec<u8> = ORDER
        .replace("PO-1", "PO-#")
        .bytes()
        .map(|b| if b == b'#' { 0xE4 } else { b })
        .collect();
    let out = run(&bytes).expect("latin-1");
    assert_eq!(json(&out[0])["order_id"], "PO-ä");
    assert!(out[0]
        .header(crate::WARNINGS_HEADER)
        .unwrap_or("")
        .contains("read as ISO 8859-1"));
    let small = Config {
        max_bytes: 10,
        ..Config::default()
    };
    assert!(run_with(ORDER.as_bytes(), &small)
        .expect_err("too big")
        .contains("max_bytes = 10"));
    assert_eq!(process(ORDER.as_bytes()).expect("process").len(), 1);
}
