//! Real-world framing: several interchanges with their own delimiters in
//! one file, long segments hard-wrapped at 80 columns, TA1 interchange
//! acknowledgements, blank sender/receiver ids, and control numbers reused
//! for other content (copied envelopes). The multi-partner and wrapped
//! inputs are derived at test time from the real files named.

use super::*;

/// Echoed 997 control numbers: outputs do not depend on the counters.
fn echo() -> Config {
    Config {
        ack_sequence: false,
        ..Config::default()
    }
}

fn summary(msgs: &[Message]) -> Vec<(String, String, Vec<u8>)> {
    msgs.iter()
        .map(|m| (m.id.clone(), m.kind.clone(), m.payload.clone()))
        .collect()
}

/// Three real files with different element separators, terminators and
/// component separators (`*` / line breaks / `>`, `|` / `~` / `>`, `~` /
/// `}` / `>`, with a BOM) concatenated into one file: each interchange is
/// read with its own ISA's delimiters, and yields exactly what the file
/// alone yields.
#[test]
fn each_interchange_is_read_with_its_own_delimiters() {
    let names = [
        "850_ediengine_newline-term.edi",
        "810_stupidedi_pipe-elem.edi",
        "846_oopfactory_ex1_brace-term.edi",
    ];
    let mut joined = Vec::new();
    let mut alone = Vec::new();
    for name in names {
        let Some(bytes) = file("x12", name) else {
            return;
        };
        alone.extend(summary(&run_with(&bytes, &echo()).expect(name)));
        joined.extend_from_slice(&bytes);
        joined.push(b'\n');
    }
    let p = crate::parse::parse(&joined).expect("parses");
    let delims: Vec<(u8, u8, &[u8])> = p
        .interchanges
        .iter()
        .map(|ic| {
            let d = &ic.delimiters;
            (d.element, d.component, d.terminator.as_slice())
        })
        .collect();
    assert_eq!(
        delims,
        [
            (b'*', b'>', &b""[..]),
            (b'|', b'>', b"~"),
            (b'~', b'>', b"}")
        ]
    );
    let msgs = run_with(&joined, &echo()).expect("maps");
    assert_eq!(summary(&msgs), alone);
    let kinds: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "order.created",
            "x12.997",
            "invoice.posted",
            "x12.997",
            "inventory.advised",
            "x12.997"
        ]
    );
    // The 997 of the second interchange is written with its delimiters.
    let ack = String::from_utf8_lossy(&msgs[3].payload).into_owned();
    assert!(ack.starts_with("ISA|00|"), "{ack}");
    // Positions run on through the file: a defect in the second
    // interchange names its segment in the whole file.
    let text = String::from_utf8_lossy(&joined).into_owned();
    let broken = text.replacen(
        "GS|IN|111111|2222222|20211118",
        "GS|IN|111111|2222222|2021111",
        1,
    );
    let err = run(broken.as_bytes()).expect_err("bad GS04");
    let first_len = p.interchanges[0].groups[0].sets[0].segments.len() + 4;
    assert!(
        err.starts_with(&format!(
            "segment {} (GS): malformed functional group header: GS04 `2021111` is not a date",
            first_len + 2
        )),
        "{err}"
    );
}

/// The 210 of `x12-lenient/210_staedi_wrapped-80-columns.edi` rewritten
/// the other common way: one segment per line after its `~`, only the
/// lines longer than 80 columns (the ISA, the long L5) wrapped at column
/// 80. It reads as the fully wrapped original, with a warning.
#[test]
fn only_long_segments_wrapped_at_80_columns() {
    let Some(bytes) = file("x12-lenient", "210_staedi_wrapped-80-columns.edi") else {
        return;
    };
    let flat: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| *b != b'\n' && *b != b'\r')
        .collect();
    let mut rewrapped = Vec::new();
    let mut long_lines = 0;
    for seg in flat.split_inclusive(|b| *b == b'~') {
        let chunks: Vec<&[u8]> = seg.chunks(80).collect();
        long_lines += chunks.len() - 1;
        for c in chunks {
            rewrapped.extend_from_slice(c);
            rewrapped.extend_from_slice(b"\r\n");
        }
    }
    assert!(long_lines >= 1, "the ISA is longer than 80");
    let want = run_with(&bytes, &echo()).expect("original");
    let msgs = run_with(&rewrapped, &echo()).expect("rewrapped");
    assert_eq!(msgs.len(), want.len());
    for (a, b) in msgs.iter().zip(&want) {
        assert_eq!((&a.id, &a.kind), (&b.id, &b.kind));
        if a.kind != "x12.997" {
            // (the 997 ends its segments with the CRLF of the rewrap)
            assert_eq!(a.payload, b.payload, "{}", a.id);
        }
    }
    let w = msgs[0].header("x12-warnings").expect("warning");
    assert!(
        w.starts_with("segment 1 (ISA): lines are hard-wrapped at 80 columns, segments longer than 80 characters continue on the next line"),
        "{w}"
    );
    // A short line without its terminator is still a missing terminator.
    let text = String::from_utf8_lossy(&rewrapped).into_owned();
    let broken = text.replacen("N3*791 PECAN ST~", "N3*791 PECAN ST", 1);
    let err = run(broken.as_bytes()).expect_err("missing terminator");
    assert!(
        err.contains("(N3): missing segment terminator `~` before the line break"),
        "{err}"
    );
}

/// TA1 interchange acknowledgements directly inside an interchange, with
/// or without groups: one `x12.ta1` each, correlated with the acknowledged
/// interchange (which the receiver of this one sent).
#[test]
fn ta1_interchanges_are_read() {
    if let Some(bytes) = file("x12", "ta1_oopfactory_two-ta1-accepted_no-gs.edi") {
        let msgs = run(&bytes).expect("TA1 file");
        let rows: Vec<(&str, &str)> = msgs
            .iter()
            .map(|m| (m.kind.as_str(), m.correlation_id.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("x12.ta1", "x12:SCMEDICAID:0659"),
                ("x12.ta1", "x12:SCMEDICAID:0660")
            ]
        );
        assert!(msgs[0].id.starts_with("x12:SenderID:000000001:TA1:0659:"));
        let v = json(&msgs[1]);
        assert_eq!(
            (&v["status"], &v["ack_code"], &v["note_code"]),
            (
                &serde_json::json!("accepted"),
                &serde_json::json!("A"),
                &serde_json::Value::Null
            )
        );
        assert_eq!(v["acknowledged_interchange"]["control"], "0660");
        assert_eq!(v["acknowledged_interchange"]["date"], "20110922");
        let w = msgs[0].header("x12-warnings").expect("warnings");
        assert!(
            w.contains("segment 2 (TA1): TA101 `0659` is not 9 digits like an ISA13"),
            "{w}"
        );
        assert!(
            w.contains("segment 3 (TA1): TA105 (interchange note code) is missing"),
            "{w}"
        );
    }
    if let Some(bytes) = file("x12-lenient", "ta1_oboe_rejected_iea01-1-no-gs.edi") {
        let msgs = run(&bytes).expect("TA1 file");
        assert_eq!(msgs.len(), 1);
        let v = json(&msgs[0]);
        assert_eq!(v["status"], "rejected");
        assert_eq!(v["note_code"], "024");
        assert_eq!(v["note"], "invalid interchange content");
        assert_eq!(v["acknowledged_interchange"]["control"], "723010635");
        assert_eq!(msgs[0].correlation_id, "x12:PUBLIC:723010635");
    }
    // A TA1 before the groups of an interchange: both are read.
    if let Some(bytes) = file("x12", "850_ediengine_newline-term.edi") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let with_ta1 = text.replacen("\nGS*", "\nTA1*000000077*101127*1719*E*022\nGS*", 1);
        let msgs = run(with_ta1.as_bytes()).expect("TA1 and a group");
        let kinds: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["x12.ta1", "order.created", "x12.997"]);
        assert_eq!(json(&msgs[0])["status"], "accepted_with_errors");
        assert_eq!(msgs[0].header("x12-warnings"), None);
    }
}

/// Sender and receiver ids written as spaces only (ISA06/ISA08 padded
/// blanks, GS02/GS03 blanks) are accepted with a warning naming the
/// element; an absent GS02 (no characters at all) is still refused.
#[test]
fn blank_sender_and_receiver_ids_are_a_warning() {
    let Some(bytes) = file("x12", "850_ediengine_newline-term.edi") else {
        return;
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let blank = text
        .replacen(
            "*ZZ*ABCDEFGHIJKLMNO*ZZ*123456789012345*",
            "*ZZ*               *ZZ*               *",
            1,
        )
        .replacen("GS*PO*4405197800*999999999*", "GS*PO*  *   *", 1);
    let msgs = run(blank.as_bytes()).expect("blank ids");
    let kinds: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["order.created", "x12.997"]);
    let w = msgs[0].header("x12-warnings").expect("warnings");
    for want in [
        "segment 1 (ISA): ISA06 (interchange sender id) is blank (spaces only)",
        "segment 1 (ISA): ISA08 (interchange receiver id) is blank (spaces only)",
        "segment 2 (GS): GS02 (application sender) is blank (spaces only)",
        "segment 2 (GS): GS03 (application receiver) is blank (spaces only)",
    ] {
        assert!(w.contains(want), "{want} in {w}");
    }
    assert!(
        msgs[0].id.starts_with("x12::000003438:1421:000000010:"),
        "{}",
        msgs[0].id
    );
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    assert!(run_with(blank.as_bytes(), &strict).is_err());
    let absent = text.replacen("GS*PO*4405197800*", "GS*PO**", 1);
    let err = run(absent.as_bytes()).expect_err("absent GS02");
    assert!(err.contains("GS02 (application sender) is empty"), "{err}");
}

/// Copied envelopes: both Kroger 857s and the 180 carry ISA13 000007023
/// and GS06 1225 (the 857s also ST02 0001). Every document (the first 857
/// gives a shipment and an invoice) keeps its own id and each set its 997, in separate files (the bus never drops one as a
/// duplicate of another) and in one file (with a warning on the reuse).
#[test]
fn reused_control_numbers_never_drop_a_document() {
    let names = [
        "857_oopfactory_kroger_ship-and-bill.edi",
        "857_oopfactory_kroger_credit-return_negative-tds.edi",
        "180_oopfactory_easistandards_b-for-blank-isa.edi",
    ];
    let mut ids = std::collections::BTreeSet::new();
    let mut joined = Vec::new();
    for name in names {
        let Some(bytes) = file("x12", name) else {
            return;
        };
        for m in run(&bytes).expect(name) {
            assert!(ids.insert(m.id.clone()), "{name}: {} repeats", m.id);
        }
        joined.extend_from_slice(&bytes);
    }
    assert_eq!(ids.len(), 7, "four documents and three 997s: {ids:?}");
    let msgs = run(&joined).expect("joined");
    let got: std::collections::BTreeSet<String> = msgs.iter().map(|m| m.id.clone()).collect();
    assert_eq!(got, ids, "the same ids in one file");
    let warned: Vec<&str> = msgs
        .iter()
        .filter(|m| {
            m.header("x12-warnings")
                .is_some_and(|w| w.contains("control numbers reused"))
        })
        .map(|m| m.kind.as_str())
        .collect();
    assert_eq!(warned, ["credit.issued"], "the second 857 (same ST02)");
    // 820 EDI.Net: ISA13 and GS06 are the same number.
    if let Some(bytes) = file("x12", "820_edinet_mart-remittance_newline-term.edi") {
        let msgs = run(&bytes).expect("820");
        assert!(msgs[0].id.starts_with("x12:"), "{}", msgs[0].id);
    }
}

/// NUL or SUB (DOS end-of-file) padding after the last IEA is ignored with
/// a warning; other bytes there are refused, naming them.
#[test]
fn end_of_file_padding_is_a_warning() {
    let Some(bytes) = file("x12", "850_ediengine_newline-term.edi") else {
        return;
    };
    let mut padded = bytes.clone();
    padded.extend_from_slice(b"\r\n\x1a\x00\x00");
    let msgs = run(&padded).expect("padded");
    let w = msgs[0].header("x12-warnings").expect("warning");
    assert!(
        w.ends_with("padding bytes (NUL or SUB, U+001A) after the last IEA were ignored"),
        "{w}"
    );
    let mut junk = bytes;
    junk.extend_from_slice(b"\nXYZ*1~");
    let err = run(&junk).expect_err("junk");
    assert!(
        err.contains("(XYZ): `XYZ` after the IEA that closed the interchange opened at segment 1"),
        "{err}"
    );
}
