//! The outcome of every file of `x12-lenient/` and `x12-malformed/`: each
//! is either accepted (with the kinds of its outputs and a warning naming a
//! segment, fatal when `strict`) or refused `invalid` with a reason naming
//! the segment (and element, where one is at fault). The test fails on a
//! file of those folders without an entry, and on an entry without a file.

use super::*;

/// What a file yields.
enum Outcome {
    /// Accepted: the output kinds in order, and a warning the first output
    /// carries (every output carries those of its interchange).
    Accepted(&'static [&'static str], &'static str),
    /// Refused: the start of the `invalid` reason.
    Refused(&'static str),
}

use Outcome::{Accepted, Refused};

const TX_997: &[&str] = &["x12.transaction", "x12.997"];
const INV_997: &[&str] = &["invoice.posted", "x12.997"];
const PO_997: &[&str] = &["order.created", "x12.997"];
const RET_997: &[&str] = &["return.authorized", "x12.997"];
const ALLOC_997: &[&str] = &["order.allocated", "x12.997"];

const LENIENT: [(&str, Outcome); 12] = [
    ("180_oopfactory_lowes_curly-apostrophe-isa08_backslash-term.edi", Accepted(RET_997, "segment 1 (ISA): non-ASCII characters in ISA08 (U+2019): the fixed-width ISA is longer in bytes than in characters")),
    ("210_staedi_wrapped-80-columns.edi", Accepted(TX_997, "segment 1 (ISA): lines are hard-wrapped at 80 columns, inside segments; every line break was removed before reading")),
    ("810_edinet_ariba_unpadded-isa.edi", Accepted(INV_997, "segment 1 (ISA): fields not padded to their fixed widths: ISA02 has 1 (expected 10), ISA04 has 1 (expected 10), ISA08 has 8 (expected 15)")),
    ("810_oopfactory_adobe_isa12-00040.edi", Accepted(INV_997, "segment 1 (ISA): ISA12 `00040` is not a known interchange control version")),
    ("810_oopfactory_walmart_isa12-00040.edi", Accepted(INV_997, "segment 1 (ISA): ISA12 `00040` is not a known interchange control version")),
    ("850_edinet_bom-nbsp-short-isa.edi", Accepted(PO_997, "segment 15 (IEA): IEA02 `000000001` does not match ISA13 `000000055` of segment 1")),
    ("850_edinet_tabs-indented_nbsp-isa.edi", Accepted(PO_997, "segment 1 (ISA): ISA02, ISA04, ISA06, ISA08 padded with no-break spaces (U+00A0)")),
    ("850_oopfactory_adobe_clp_short-isa.edi", Accepted(PO_997, "segment 1 (ISA): fields not padded to their fixed widths: ISA06 has 14 (expected 15)")),
    ("850_oopfactory_adobe_shrinkwrapped_space-term.edi", Accepted(PO_997, "segment 1 (ISA): the segment terminator after ISA16 `>` is a space before the line break")),
    ("940_ediengine_multi-isa-multi-gs_unpadded-iea02.edi", Accepted(&["order.allocated", "order.allocated", "x12.997", "order.allocated", "x12.997", "order.allocated", "order.allocated", "x12.997", "order.allocated", "x12.997"], "segment 21 (IEA): IEA02 `3438` is not zero-padded like ISA13 `000003438`")),
    ("940_oopfactory_simplot_ctl-mismatch.edi", Accepted(ALLOC_997, "segment 30 (GE): GE02 `940001777` does not match GS06 `177818711` of segment 2; segment 31 (IEA): IEA02 `940001777` does not match ISA13 `398161180` of segment 1")),
    ("ta1_oboe_rejected_iea01-1-no-gs.edi", Accepted(&["x12.ta1"], "segment 3 (IEA): IEA01 says 1 functional groups, the interchange has 0 and 1 TA1 (the TA1 are counted as groups)")),
];

const MALFORMED: [(&str, Outcome); 11] = [
    // An implementation-guide template: placeholders instead of values.
    ("820_oopfactory_homedepot_template-placeholders.edi", Refused("segment 2 (GS): malformed functional group header: GS06 `44 (Group Control Number)` is not a numeric group control number")),
    ("850_edinet_issue135_no-isa16_ambiguous-term.edi", Refused("segment 2 (GS): the segment ends with `~`, the component separator declared in ISA16")),
    ("850_stupidedi_003050_bang-term_isa-split.edi", Refused("segment 1 (ISA): the ISA is split across lines (a line break inside ISA08)")),
    ("855_stupidedi_isa-split-across-lines.edi", Refused("segment 1 (ISA): the ISA is split across lines (a line break inside ISA10)")),
    ("856_stupidedi_mixed-dollar-tilde-term.edi", Refused("segment 13 (N1): mixed segment terminators: the line ends with `~` but the terminator declared after ISA16 is `$`")),
    ("860_oopfactory_missing-terminator.edi", Refused("segment 6 (N1): missing segment terminator `~` before the line break")),
    ("940_ediengine_bad-se01.edi", Refused("segment 11 (SE): SE01 says 12 segments, the set has 9")),
    ("940_ediengine_control-number-mismatch.edi", Refused("segment 7 (SE): SE02 `0002` does not match ST02 `0001`")),
    ("940_ediengine_wrong-group-and-set-counts.edi", Refused("segment 8 (GE): GE01 says 2 transaction sets, the group has 1")),
    ("945_oopfactory_bad-gs.edi", Refused("segment 2 (GS): malformed functional group header: it has 10 elements, expected 8; GS03 (application receiver) is empty; GS04 `000` is not a date")),
    ("nonedi_ediengine_garbage.edi", Refused("segment 1 (ISA): not an X12 interchange: the input must start with an ISA segment, found `Tk9OIE")),
];

fn check(dir: &str, expect: &[(&str, Outcome)]) {
    let all = files(dir);
    if all.is_empty() {
        return;
    }
    for (name, _) in &all {
        assert!(
            expect.iter().any(|(n, _)| n == name),
            "{dir}/{name} has no expected outcome"
        );
    }
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    for (name, outcome) in expect {
        let bytes = file(dir, name).unwrap_or_else(|| panic!("{dir}/{name} is listed but absent"));
        match outcome {
            Accepted(kinds, warning) => {
                let msgs = run(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
                let got: Vec<&str> = msgs.iter().map(|m| m.kind.as_str()).collect();
                assert_eq!(got, *kinds, "{name}");
                for m in &msgs {
                    let w = m
                        .header("x12-warnings")
                        .unwrap_or_else(|| panic!("{name}: {} has no warnings", m.id));
                    assert!(w.starts_with("segment "), "{name}: {w}");
                }
                let first = msgs.first().and_then(|m| m.header("x12-warnings"));
                assert!(
                    first.is_some_and(|w| w.contains(warning)),
                    "{name}: {first:?}"
                );
                let err = run_with(&bytes, &strict).expect_err(name);
                assert!(
                    err.starts_with("segment ") && err.ends_with("(fatal because strict = true)"),
                    "{name}: {err}"
                );
            }
            Refused(want) => match process(&bytes) {
                Err(PluginError::Invalid(reason)) => {
                    assert!(reason.starts_with(want), "{name}: {reason}");
                    assert!(!reason.contains('\n'), "{name}: one line: {reason}");
                }
                other => panic!("{name}: expected invalid, got {other:?}"),
            },
        }
    }
}

#[test]
fn every_lenient_file_is_accepted_with_warnings_or_refused() {
    check("x12-lenient", &LENIENT);
}

#[test]
fn every_malformed_file_is_refused_naming_segment_and_element() {
    check("x12-malformed", &MALFORMED);
}
