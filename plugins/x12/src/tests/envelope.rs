//! Envelope, delimiter and defect-policy tests on the real files.

use super::*;

/// Every malformed file is rejected `invalid` with the segment named.
#[test]
fn malformed_files_are_rejected_with_position_and_reason() {
    let expect = [
        ("850_edinet_issue135_no-isa16_ambiguous-term.edi", "segment 2 (GS): the segment ends with `~`, the component separator declared in ISA16"),
        ("850_stupidedi_003050_bang-term_isa-split.edi", "segment 1 (ISA): the ISA is split across lines (a line break inside ISA08)"),
        ("855_stupidedi_isa-split-across-lines.edi", "segment 1 (ISA): the ISA is split across lines (a line break inside ISA10)"),
        ("856_stupidedi_mixed-dollar-tilde-term.edi", "segment 13 (N1): mixed segment terminators: the line ends with `~` but the terminator declared after ISA16 is `$`"),
        ("860_oopfactory_missing-terminator.edi", "segment 6 (N1): missing segment terminator `~` before the line break"),
        ("940_ediengine_bad-se01.edi", "segment 11 (SE): SE01 says 12 segments, the set has 9"),
        ("940_ediengine_control-number-mismatch.edi", "segment 7 (SE): SE02 `0002` does not match ST02 `0001`"),
        ("940_ediengine_wrong-group-and-set-counts.edi", "segment 8 (GE): GE01 says 2 transaction sets, the group has 1"),
        ("945_oopfactory_bad-gs.edi", "segment 2 (GS): malformed functional group header: it has 10 elements, expected 8"),
        ("nonedi_ediengine_garbage.edi", "segment 1 (ISA): not an X12 interchange: the input must start with an ISA segment, found `Tk9OIE"),
        // An implementation-guide template: placeholders instead of values.
        ("820_oopfactory_homedepot_template-placeholders.edi", "segment 2 (GS): malformed functional group header: GS06 `44 (Group Control Number)` is not a numeric group control number"),
    ];
    let all = files("x12-malformed");
    if all.is_empty() {
        return;
    }
    assert_eq!(
        all.len(),
        expect.len(),
        "every malformed file has an expectation"
    );
    for (name, _) in &all {
        assert!(
            expect.iter().any(|(n, _)| n == name),
            "{name} has no expectation"
        );
    }
    for (name, want) in expect {
        let bytes = file("x12-malformed", name).expect("file");
        match process(&bytes) {
            Err(PluginError::Invalid(reason)) => {
                assert!(reason.contains(want), "{name}: {reason}");
                assert!(!reason.contains('\n'), "{name}: one line: {reason}");
            }
            other => panic!("{name}: expected invalid, got {other:?}"),
        }
    }
}

/// The reason an interchange mixing TA1 acknowledgements with functional
/// groups is refused with (TA1-only interchanges are read: `map::ta1`).
const TA1_REFUSED: &str = "segment 2 (TA1): TA1 interchange acknowledgements are not supported: only functional groups (GS to GE) are read in the interchange opened at segment 1";

/// Files of `x12/` (strict-valid envelopes) whose content is refused,
/// each with its exact reason: an 856 whose mandatory BSN02 is empty
/// (`x12.rejected`, rejected in the 997).
const VALID_ENVELOPE_REFUSED: [(&str, &str); 1] = [(
    "856_oopfactory_ex2_empty-bsn02_two-po-items.edi",
    "segment 4 (BSN): BSN02 (shipment identification) is missing",
)];

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
        if VALID_ENVELOPE_REFUSED.iter().any(|(n, _)| *n == name) {
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

/// Files of `x12-lenient/` refused as a whole, with the exact reason.
/// None since TA1-only interchanges are read (the OBOE TA1 file's IEA01 1
/// is a warning).
const LENIENT_REFUSED: [(&str, &str); 0] = [];

/// Every lenient file parses, each output carries warnings naming the
/// segment, and strict mode turns the first warning into the error (but
/// those of [`LENIENT_REFUSED`], which are refused with their reason).
#[test]
fn lenient_files_parse_with_warnings_and_fail_when_strict() {
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    for (name, bytes) in files("x12-lenient") {
        if let Some((_, want)) = LENIENT_REFUSED.iter().find(|(n, _)| *n == name) {
            for cfg in [Config::default(), strict.clone()] {
                let err = run_with(&bytes, &cfg).expect_err(&name);
                assert_eq!(err, *want, "{name}");
            }
            continue;
        }
        let msgs = run(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        // A document and its 997; a TA1 file has no group to acknowledge.
        let min = if name.starts_with("ta1_") { 1 } else { 2 };
        assert!(msgs.len() >= min, "{name}");
        for m in &msgs {
            let w = m
                .header("x12-warnings")
                .unwrap_or_else(|| panic!("{name}: {} has no warnings", m.id));
            assert!(w.starts_with("segment "), "{name}: {w}");
            assert!(m.kind != "x12.rejected", "{name}: {}", m.id);
        }
        let err = run_with(&bytes, &strict).expect_err(&name);
        assert!(
            err.starts_with("segment ") && err.ends_with("(fatal because strict = true)"),
            "{name}: {err}"
        );
    }
}

fn warnings_of(dir: &str, name: &str) -> Option<String> {
    let bytes = file(dir, name)?;
    let msgs = run(&bytes).expect("parses");
    Some(
        msgs.first()
            .and_then(|m| m.header("x12-warnings"))
            .unwrap_or("")
            .to_string(),
    )
}

#[test]
fn lenient_defects_are_named() {
    let cases = [
        ("210_staedi_wrapped-80-columns.edi", "segment 1 (ISA): lines are hard-wrapped at 80 columns"),
        ("810_edinet_ariba_unpadded-isa.edi", "ISA02 has 1 (expected 10), ISA04 has 1 (expected 10), ISA08 has 8 (expected 15)"),
        ("810_oopfactory_adobe_isa12-00040.edi", "segment 1 (ISA): ISA12 `00040` is not a known interchange control version"),
        ("850_edinet_bom-nbsp-short-isa.edi", "segment 15 (IEA): IEA02 `000000001` does not match ISA13 `000000055`"),
        ("850_edinet_tabs-indented_nbsp-isa.edi", "ISA02, ISA04, ISA06, ISA08 padded with no-break spaces (U+00A0)"),
        ("850_oopfactory_adobe_clp_short-isa.edi", "ISA06 has 14 (expected 15)"),
        ("850_oopfactory_adobe_shrinkwrapped_space-term.edi", "segment 1 (ISA): the segment terminator after ISA16 `>` is a space before the line break"),
        ("940_ediengine_multi-isa-multi-gs_unpadded-iea02.edi", "segment 21 (IEA): IEA02 `3438` is not zero-padded like ISA13 `000003438`"),
        ("940_oopfactory_simplot_ctl-mismatch.edi", "segment 30 (GE): GE02 `940001777` does not match GS06 `177818711` of segment 2; segment 31 (IEA)"),
        ("180_oopfactory_lowes_curly-apostrophe-isa08_backslash-term.edi", "segment 1 (ISA): non-ASCII characters in ISA08 (U+2019): the fixed-width ISA is longer in bytes than in characters"),
    ];
    for (name, want) in cases {
        if let Some(w) = warnings_of("x12-lenient", name) {
            assert!(w.contains(want), "{name}: {w}");
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
            "x12:SENDERISA:000000020:1:000000001 invoice.posted",
            "x12:SENDERISA:000000020:1:000000002 invoice.posted",
            "x12:SENDERISA:000000020:1:997 x12.997",
            "x12:SENDERISA:000000020:165:000191240 order.created",
            "x12:SENDERISA:000000020:165:997 x12.997",
        ]
    );
}

/// The same interchange sent twice yields the same ids (deduplication):
/// this file holds one interchange twice, so it yields one order and one
/// 997, and a different document under a repeated ST02 keeps its own id.
#[test]
fn resent_interchange_has_the_same_ids() {
    let Some(bytes) = file("x12", "850_nodex12_fat.edi") else {
        return;
    };
    let msgs = run(&bytes).expect("maps");
    let ids: Vec<&str> = msgs.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "x12:4405197800:000003438:1421:000000010",
            "x12:4405197800:000003438:1421:997"
        ]
    );
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let changed = text.replacen("SMALL WIDGET", "SMALL GADGET", 1);
    let msgs = run(changed.as_bytes()).expect("maps");
    let ids: Vec<&str> = msgs.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "x12:4405197800:000003438:1421:000000010",
            "x12:4405197800:000003438:1421:997",
            "x12:4405197800:000003438:1421:000000010:2",
        ]
    );
    assert!(msgs[2]
        .header("x12-warnings")
        .is_some_and(|w| w.contains("control number repeated")));
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
    // The 940's id carries the digest of its content.
    assert!(msgs[5]
        .id
        .starts_with("x12:ABCDEFGHIJKLMNO:000003439:3315:0001:"));
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
        (b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *200101*1200*U*00401*000000001*0*P*>~TA1*000000007*200101*1200*A*000~GS*PO*A*B*20200101*1200*1*X*004010~GE*0*1~IEA*1*000000001~", TA1_REFUSED),
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
