//! Envelope, delimiter and defect-policy tests on the real files.

use super::*;

/// Files of `x12/` (strict-valid envelopes) whose content is refused,
/// each with its exact reason: an 856 whose mandatory BSN02 is empty
/// (`x12.rejected`, rejected in the 997).
const VALID_ENVELOPE_REFUSED: [(&str, &str); 1] = [(
    "856_oopfactory_ex2_empty-bsn02_two-po-items.edi",
    "segment 4 (BSN): BSN02 (shipment identification) is missing",
)];

/// Files of `x12/` whose envelope is consistent but whose TA1s are written
/// loosely (4-digit TA101, 8-digit TA102, no TA105): accepted with
/// warnings, checked in `tests::framing`.
const VALID_WITH_WARNINGS: [&str; 1] = ["ta1_oopfactory_two-ta1-accepted_no-gs.edi"];

/// Every strict-valid file parses without warnings, also in strict mode
/// (those of [`VALID_ENVELOPE_REFUSED`] are checked by
/// [`valid_envelopes_with_refused_content`]).
#[test]
fn valid_files_parse_cleanly_even_when_strict() {
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    for (name, bytes) in files("x12") {
        if VALID_ENVELOPE_REFUSED.iter().any(|(n, _)| *n == name)
            || VALID_WITH_WARNINGS.contains(&name.as_str())
        {
            continue;
        }
        let msgs = run_with(&bytes, &strict).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!msgs.is_empty(), "{name}");
        for m in &msgs {
            assert_eq!(m.header("x12-warnings"), None, "{name}: {}", m.id);
            assert!(m.kind != "x12.rejected", "{name}: {}", m.id);
        }
    }
}

/// The files of [`VALID_ENVELOPE_REFUSED`]: a set with an empty mandatory
/// element is `x12.rejected` (the envelope is clean: no warnings, strict
/// mode accepts it) and rejected in the 997 with the element named.
#[test]
fn valid_envelopes_with_refused_content() {
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    let (name, want) = VALID_ENVELOPE_REFUSED[0];
    if let Some(bytes) = file("x12", name) {
        let msgs = run_with(&bytes, &strict).unwrap_or_else(|e| panic!("{name}: {e}"));
        let kinds: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["x12.rejected", "x12.997"], "{name}");
        for m in &msgs {
            assert_eq!(m.header("x12-warnings"), None, "{name}: {}", m.id);
        }
        let v = json(&msgs[0]);
        assert_eq!(v["set"], "856", "{name}");
        assert_eq!(v["reason"], want, "{name}");
        let ack = String::from_utf8_lossy(&msgs[1].payload).into_owned();
        for seg in ["AK2*856*0001~", "AK3*BSN*2**8~", "AK4*2**1~", "AK5*R*5~"] {
            assert!(ack.contains(seg), "{name}: {seg} in {ack}");
        }
    }
}

#[test]
fn delimiters_are_detected_from_the_isa() {
    type Case<'a> = (&'a str, u8, u8, &'a [u8], Option<u8>);
    let cases: [Case; 8] = [
        ("850_ediengine_newline-term.edi", b'*', b'>', b"", None),
        (
            "850_oopfactory_pgwglass_pipe-term.edi",
            b'*',
            b'~',
            b"|",
            None,
        ),
        ("846_oopfactory_ex1_brace-term.edi", b'~', b'>', b"}", None),
        ("846_oopfactory_ex2_star-term.edi", b'~', b'>', b"*", None),
        (
            "856_oopfactory_ex3_ellipsis-term.edi",
            b'*',
            b':',
            "\u{2026}".as_bytes(),
            None,
        ),
        ("810_stupidedi_pipe-elem.edi", b'|', b'>', b"~", None),
        (
            "810_oopfactory_multi-invoice_00403.edi",
            b'*',
            b':',
            b"~",
            Some(b'^'),
        ),
        ("856_nodex12_004060.edi", b'*', b'>', b"~", Some(b'-')),
    ];
    for (name, e, c, t, r) in cases {
        let Some(bytes) = file("x12", name) else {
            continue;
        };
        let p = crate::parse::parse(&bytes).unwrap_or_else(|d| panic!("{name}: {d}"));
        let d = &p.delimiters;
        assert_eq!(
            (
                d.element,
                d.component,
                d.terminator.as_slice(),
                d.repetition
            ),
            (e, c, t, r),
            "{name}"
        );
    }
}

#[test]
fn envelope_values_and_message_ids() {
    let Some(bytes) = file("x12", "810-850_staedi_two-groups-mixed-versions.edi") else {
        return;
    };
    let p = crate::parse::parse(&bytes).expect("parses");
    let ic = &p.interchanges[0];
    assert_eq!(
        (
            ic.sender.as_str(),
            ic.receiver.as_str(),
            ic.control.as_str()
        ),
        ("SENDERISA", "RECEIVERISA", "000000020")
    );
    assert_eq!(ic.groups.len(), 2);
    assert_eq!(
        (
            ic.groups[0].functional_id.as_str(),
            ic.groups[0].version.as_str()
        ),
        ("IN", "004010")
    );
    assert_eq!(
        (ic.groups[1].control.as_str(), ic.groups[1].version.as_str()),
        ("165", "003010")
    );
    assert_eq!(ic.groups[0].sets.len(), 2);
    assert_eq!(ic.groups[0].sets[1].segments.len(), 22);
    let ids: Vec<String> = run(&bytes)
        .expect("maps")
        .into_iter()
        .map(|m| format!("{} {}", m.id, m.kind))
        .collect();
    assert_eq!(
        ids,
        [
            "x12:SENDERISA:000000020:1:000000001:dd587bfacf08 invoice.posted",
            "x12:SENDERISA:000000020:1:000000002:d29549117500 invoice.posted",
            "x12:SENDERISA:000000020:1:997:92e972498a78 x12.997",
            "x12:SENDERISA:000000020:165:000191240:29f2d1be9a4c order.created",
            "x12:SENDERISA:000000020:165:997:cd7c9d0897d5 x12.997",
        ]
    );
}

/// The same interchange sent twice yields the same ids (deduplication):
/// this file holds one interchange twice, so it yields one order and one
/// 997. A different document under the same control numbers gets an id of
/// its own (the content digest differs), its own 997, and a warning; it is
/// never dropped as a repeat.
#[test]
fn resent_interchange_has_the_same_ids() {
    let Some(bytes) = file("x12", "850_nodex12_fat.edi") else {
        return;
    };
    let msgs = run(&bytes).expect("maps");
    let ids: Vec<&str> = msgs.iter().map(|m| m.id.as_str()).collect();
    let order_id = "x12:4405197800:000003438:1421:000000010:5c1e2e5aa1bf";
    assert_eq!(
        ids,
        [order_id, "x12:4405197800:000003438:1421:997:2b9de8dd7b7e"]
    );
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let changed = text.replacen("SMALL WIDGET", "SMALL GADGET", 1);
    let msgs = run(changed.as_bytes()).expect("maps");
    let kinds: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["order.created", "x12.997", "order.created", "x12.997"]
    );
    let prefix = "x12:4405197800:000003438:1421:000000010:";
    assert!(msgs[0].id.starts_with(prefix) && msgs[0].id != order_id);
    assert_eq!(msgs[2].id, order_id, "the unchanged copy keeps its id");
    assert_ne!(msgs[1].id, msgs[3].id, "each content has its own 997");
    assert_eq!(msgs[0].header("x12-warnings"), None);
    let w = msgs[2].header("x12-warnings").expect("reuse warning");
    assert!(
        w.starts_with("segment 40 (ST): control numbers reused: ISA13 `000003438`, GS06 `1421` and ST02 `000000010` are those of the transaction set at segment 3, with other content"),
        "{w}"
    );
}

#[test]
fn multiple_interchanges_and_groups() {
    let Some(bytes) = file(
        "x12-lenient",
        "940_ediengine_multi-isa-multi-gs_unpadded-iea02.edi",
    ) else {
        return;
    };
    let msgs = run(&bytes).expect("maps");
    let sets = msgs.iter().filter(|m| m.kind == "order.allocated").count();
    let acks = msgs.iter().filter(|m| m.kind == "x12.997").count();
    assert_eq!((sets, acks), (6, 4));
    assert_eq!(
        msgs[5].id,
        "x12:ABCDEFGHIJKLMNO:000003439:3315:0001:30f265d68186"
    );
}

#[test]
fn wrapped_file_is_joined() {
    let Some(bytes) = file("x12-lenient", "210_staedi_wrapped-80-columns.edi") else {
        return;
    };
    let msgs = run(&bytes).expect("maps");
    let v = json(&msgs[0]);
    assert_eq!(v["set"], "210");
    assert_eq!(v["control_number"], "1305");
    let segs = v["segments"].as_array().expect("segments");
    assert_eq!(segs.len(), 31);
    assert_eq!(
        segs[1],
        serde_json::json!([
            "B3",
            "",
            "699751522",
            "134982",
            "PP",
            "",
            "20180914",
            "12417",
            "",
            "20180915",
            "035",
            "DDDD",
            "20180914"
        ])
    );
    assert!(
        segs.iter().any(|s| s[2] == "FSC FUEL SURCHARGE 10.50%"),
        "a wrap inside an element is removed"
    );
}

#[test]
fn max_bytes_and_config_errors() {
    let cfg = Config {
        max_bytes: 10,
        ..Config::default()
    };
    let err = run_with(b"ISA*00*          *00*", &cfg).expect_err("too big");
    assert!(err.contains("more than max_bytes = 10"), "{err}");
    weft_sdk::host::set_config("utc_offset", Some("0500"));
    let err = process(b"ISA").expect_err("bad config");
    assert!(
        matches!(err, PluginError::Invalid(ref r) if r.contains("config `utc_offset`")),
        "{err:?}"
    );
    weft_sdk::host::set_config("utc_offset", None);
    weft_sdk::host::set_config("ack", Some("maybe"));
    assert!(process(b"ISA").is_err());
    weft_sdk::host::set_config("ack", None);
}

#[test]
fn truncated_and_empty_inputs_are_invalid() {
    for (input, want) in [
        (&b""[..], "segment 1 (ISA): not an X12 interchange"),
        (b"ISA", "no element separator"),
        (b"ISA*00*", "only 2 of the 16 element separators"),
        (b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>GS*PO", "missing segment terminator"),
        (b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>~GS*PO*A*B*20200101*1200*1*X*004010~", "GE missing"),
        (b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>~TA1*000000007*200101*1200*X*000~IEA*0*000000001~", "segment 2 (TA1): TA104 `X` is not an interchange acknowledgement code (A, E or R)"),
        (b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>~TA1*000000007*200101*1200*A*000~IEA*2*000000001~", "segment 3 (IEA): IEA01 says 2 functional groups, the interchange has 0"),
        (b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>~IEA*0*000000001~GS*PO", "segment 3 (GS): `GS` after the IEA that closed the interchange opened at segment 1 (expected ISA or the end)"),
    ] {
        let err = run(input).expect_err("invalid");
        assert!(err.contains(want), "{err}");
    }
}

/// `{sender}` in the channel makes each trading partner its own channel.
#[test]
fn channel_can_name_the_partner() {
    let Some(bytes) = file("x12", "850_nodex12_fat.edi") else {
        return;
    };
    let cfg = Config {
        channel: "x12:{sender}".into(),
        ..Config::default()
    };
    let msgs = run_with(&bytes, &cfg).expect("maps");
    assert_eq!(msgs[0].correlation_id, "x12:4405197800:08292233294");
    let doc: serde_json::Value = serde_json::from_slice(&msgs[0].payload).expect("json");
    assert_eq!(doc["channel"], "x12:4405197800");
    assert_eq!(doc["correlation_id"], "x12:4405197800:08292233294");
}

/// Non-ASCII characters in an ISA field (the fixed-width ISA is ASCII) are
/// a warning naming the field and the code points; fatal when strict.
#[test]
fn non_ascii_isa_fields_are_a_warning() {
    let input = "ISA*00*          *00*          *ZZ*ACMÉ ’S        *ZZ*B\u{a0}             *200101*1200*U*00401*000000001*0*P*>~GS*PO*A*B*20200101*1200*1*X*004010~ST*850*0001~BEG*00*SA*1**20200101~PO1*1*1*EA*1~SE*4*0001~GE*1*1~IEA*1*000000001~";
    let msgs = run(input.as_bytes()).expect("maps");
    let w = msgs[0].header("x12-warnings").expect("warnings");
    assert!(
        w.contains("segment 1 (ISA): non-ASCII characters in ISA06 (U+00C9, U+2019): the fixed-width ISA is longer in bytes than in characters"),
        "{w}"
    );
    assert!(w.contains("ISA08 padded with no-break spaces"), "{w}");
    assert!(
        !w.contains("ISA08 ("),
        "a no-break space is reported once: {w}"
    );
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    let err = run_with(input.as_bytes(), &strict).expect_err("strict");
    assert!(err.ends_with("(fatal because strict = true)"), "{err}");
}
