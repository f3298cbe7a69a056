//! Field checks of the envelope segments.

use super::{Group, Interchange, TransactionSet};
use crate::parse::{show, trim, Defect, Delimiters, Segment};

const ISA_WIDTHS: [usize; 16] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Reads and checks an ISA.
pub(super) fn isa(seg: Segment, delims: &Delimiters) -> Result<Interchange, Defect> {
    let component = delims.component;
    let pos = seg.position;
    let fail = |reason: String| Defect::new(pos, "ISA", reason);
    if seg.elements.len() != 16 {
        return Err(fail(format!(
            "the ISA has {} elements, expected 16",
            seg.elements.len()
        )));
    }
    let mut warnings = Vec::new();
    let raw = |n: usize| seg.elements.get(n - 1).map(String::as_str).unwrap_or("");
    let isa16 = raw(16);
    if isa16.as_bytes() != [component] {
        return Err(fail(format!(
            "ISA16 `{}` differs from the component separator `{}` found after the 16th element separator",
            show(isa16.as_bytes(), 4),
            show(&[component], 4)
        )));
    }
    let mut short = Vec::new();
    let mut nbsp = Vec::new();
    let mut non_ascii = Vec::new();
    for (i, width) in ISA_WIDTHS.iter().enumerate() {
        let v = raw(i + 1);
        let chars = v.chars().count();
        if chars != *width {
            short.push(format!("ISA{:02} has {chars} (expected {width})", i + 1));
        }
        if v.contains('\u{a0}') {
            nbsp.push(format!("ISA{:02}", i + 1));
        }
        let mut other: Vec<String> = Vec::new();
        for c in v.chars().filter(|c| !c.is_ascii() && *c != '\u{a0}') {
            let code = format!("U+{:04X}", u32::from(c));
            if !other.contains(&code) {
                other.push(code);
            }
        }
        if !other.is_empty() {
            non_ascii.push(format!("ISA{:02} ({})", i + 1, other.join(", ")));
        }
    }
    if !short.is_empty() {
        warnings.push(format!(
            "segment {pos} (ISA): fields not padded to their fixed widths: {}",
            short.join(", ")
        ));
    }
    if !nbsp.is_empty() {
        warnings.push(format!(
            "segment {pos} (ISA): {} padded with no-break spaces (U+00A0) instead of spaces",
            nbsp.join(", ")
        ));
    }
    if !non_ascii.is_empty() {
        // Widths are counted in characters above; the ISA is fixed-width
        // ASCII, so readers that find the delimiters by byte offset fail.
        warnings.push(format!(
            "segment {pos} (ISA): non-ASCII characters in {}: the fixed-width ISA is longer in bytes than in characters",
            non_ascii.join(", ")
        ));
    }
    for (n, what) in [(6, "interchange sender id"), (8, "interchange receiver id")] {
        if seg.el(n).is_empty() {
            warnings.push(format!(
                "segment {pos} (ISA): ISA{n:02} ({what}) is blank (spaces only); ids built from it have an empty part"
            ));
        }
    }
    let date = seg.el(9).to_string();
    let time = seg.el(10).to_string();
    if date.len() != 6 || !digits(&date) {
        return Err(fail(format!("ISA09 `{date}` is not a YYMMDD date")));
    }
    if time.len() != 4 || !digits(&time) {
        return Err(fail(format!("ISA10 `{time}` is not an HHMM time")));
    }
    let version = seg.el(12).to_string();
    if version.len() != 5 || !digits(&version) {
        return Err(fail(format!(
            "ISA12 `{version}` is not a 5-digit interchange control version"
        )));
    }
    if !("00200"..="00899").contains(&version.as_str()) {
        warnings.push(format!(
            "segment {pos} (ISA): ISA12 `{version}` is not a known interchange control version (00200 to 00801 expected)"
        ));
    }
    let control = seg.el(13).to_string();
    if !digits(&control) || control.len() > 9 {
        return Err(fail(format!(
            "ISA13 `{control}` is not a numeric interchange control number"
        )));
    }
    if !matches!(seg.el(14), "0" | "1") {
        warnings.push(format!(
            "segment {pos} (ISA): ISA14 `{}` is not 0 or 1",
            seg.el(14)
        ));
    }
    let usage = seg.el(15).to_string();
    if !matches!(usage.as_str(), "P" | "T" | "I") {
        warnings.push(format!(
            "segment {pos} (ISA): ISA15 `{usage}` is not P, T or I"
        ));
    }
    let isa11 = raw(11).as_bytes();
    let repetition = match isa11 {
        [b] if version.as_str() >= "00402"
            && version.as_str() <= "00899"
            && !b.is_ascii_alphanumeric()
            && *b != b' '
            && *b != component =>
        {
            Some(*b)
        }
        _ => None,
    };
    Ok(Interchange {
        position: pos,
        sender_qualifier: seg.el(5).to_string(),
        sender: seg.el(6).to_string(),
        receiver_qualifier: seg.el(7).to_string(),
        receiver: seg.el(8).to_string(),
        date,
        time,
        version,
        control,
        usage,
        repetition,
        delimiters: Delimiters {
            repetition,
            ..delims.clone()
        },
        groups: Vec::new(),
        ta1: Vec::new(),
        warnings,
        isa: seg,
    })
}

fn is_date(s: &str) -> bool {
    (s.len() == 6 || s.len() == 8) && digits(s)
}

/// Reads and checks a GS; blank (spaces-only) GS02/GS03 are a warning in
/// `warnings`.
pub(super) fn gs(seg: &Segment, warnings: &mut Vec<String>) -> Result<Group, Defect> {
    let mut problems = Vec::new();
    if seg.elements.len() != 8 {
        problems.push(format!(
            "it has {} elements, expected 8",
            seg.elements.len()
        ));
    }
    let fid = seg.el(1);
    if fid.is_empty() || fid.len() > 2 || !fid.bytes().all(|b| b.is_ascii_alphanumeric()) {
        problems.push(format!("GS01 `{fid}` is not a functional identifier code"));
    }
    for (n, what) in [(2, "application sender"), (3, "application receiver")] {
        let raw = seg.elements.get(n - 1).map(String::as_str).unwrap_or("");
        if !seg.el(n).is_empty() {
        } else if raw.is_empty() {
            problems.push(format!("GS{n:02} ({what}) is empty"));
        } else {
            warnings.push(format!(
                "segment {} (GS): GS{n:02} ({what}) is blank (spaces only)",
                seg.position
            ));
        }
    }
    if !is_date(seg.el(4)) {
        problems.push(format!("GS04 `{}` is not a date", seg.el(4)));
    }
    let time = seg.el(5);
    if !(4..=8).contains(&time.len()) || !digits(time) {
        problems.push(format!("GS05 `{time}` is not a time"));
    }
    let control = seg.el(6);
    if !digits(control) || control.len() > 9 {
        problems.push(format!(
            "GS06 `{control}` is not a numeric group control number"
        ));
    }
    if !matches!(seg.el(7), "X" | "T") {
        problems.push(format!("GS07 `{}` is not X or T", seg.el(7)));
    }
    if seg.el(8).is_empty() {
        problems.push("GS08 (version) is empty".into());
    }
    if !problems.is_empty() {
        return Err(Defect::new(
            seg.position,
            "GS",
            format!("malformed functional group header: {}", problems.join("; ")),
        ));
    }
    Ok(Group {
        position: seg.position,
        functional_id: fid.to_string(),
        sender: seg.el(2).to_string(),
        receiver: seg.el(3).to_string(),
        date: seg.el(4).to_string(),
        time: time.to_string(),
        control: control.to_string(),
        agency: seg.el(7).to_string(),
        version: seg.el(8).to_string(),
        control_mismatch: false,
        sets: Vec::new(),
    })
}

/// Compares a trailer's control number with its header's: `Ok(true)` when
/// equal as written, `Ok(false)` when only numerically equal.
fn echo(header: &str, trailer: &str) -> Option<bool> {
    if header == trailer {
        return Some(true);
    }
    let h = header.trim_start_matches('0');
    let t = trailer.trim_start_matches('0');
    (digits(trailer) && h == t).then_some(false)
}

/// Checks a GE against its group.
pub(super) fn ge(seg: &Segment, g: &mut Group, warnings: &mut Vec<String>) -> Result<(), Defect> {
    let pos = seg.position;
    let count = seg.el(1);
    if count != g.sets.len().to_string() {
        let n: Option<usize> = count.parse().ok();
        if n != Some(g.sets.len()) {
            return Err(Defect::new(
                pos,
                "GE",
                format!(
                    "GE01 says {count} transaction sets, the group has {}",
                    g.sets.len()
                ),
            ));
        }
    }
    match echo(&g.control, seg.el(2)) {
        Some(true) => {}
        Some(false) => warnings.push(format!(
            "segment {pos} (GE): GE02 `{}` is not written like GS06 `{}` (same number, different padding)",
            seg.el(2),
            g.control
        )),
        None => {
            g.control_mismatch = true;
            warnings.push(format!(
                "segment {pos} (GE): GE02 `{}` does not match GS06 `{}` of segment {}",
                seg.el(2),
                g.control,
                g.position
            ))
        }
    }
    Ok(())
}

/// Checks an IEA against its interchange.
pub(super) fn iea(seg: &Segment, ic: &mut Interchange) -> Result<(), Defect> {
    let pos = seg.position;
    let count = seg.el(1);
    let n: Option<usize> = count.parse().ok();
    let (groups, ta1) = (ic.groups.len(), ic.ta1.len());
    if ta1 > 0 && n == Some(groups + ta1) {
        ic.warnings.push(format!(
            "segment {pos} (IEA): IEA01 says {count} functional groups, the interchange has {groups} and {ta1} TA1 (the TA1 are counted as groups)"
        ));
    } else if n != Some(groups) {
        return Err(Defect::new(
            pos,
            "IEA",
            format!(
                "IEA01 says {count} functional groups, the interchange has {}",
                ic.groups.len()
            ),
        ));
    }
    match echo(&ic.control, seg.el(2)) {
        Some(true) => {}
        Some(false) => ic.warnings.push(format!(
            "segment {pos} (IEA): IEA02 `{}` is not zero-padded like ISA13 `{}`",
            seg.el(2),
            ic.control
        )),
        None => ic.warnings.push(format!(
            "segment {pos} (IEA): IEA02 `{}` does not match ISA13 `{}` of segment {}",
            seg.el(2),
            ic.control,
            ic.position
        )),
    }
    Ok(())
}

/// Checks a TA1 interchange acknowledgement: TA101 the acknowledged
/// interchange's control number, TA102/TA103 its date and time, TA104 the
/// code (`A`, `E`, `R`), TA105 the note code. Defects real senders write (a
/// TA101 not 9 digits, an 8-digit TA102) are warnings.
pub(super) fn ta1(seg: &Segment, warnings: &mut Vec<String>) -> Result<(), Defect> {
    let pos = seg.position;
    let fail = |reason: String| Defect::new(pos, "TA1", reason);
    let control = seg.el(1);
    if !digits(control) || control.len() > 9 {
        return Err(fail(format!(
            "TA101 `{control}` is not an interchange control number"
        )));
    }
    if control.len() != 9 {
        warnings.push(format!(
            "segment {pos} (TA1): TA101 `{control}` is not 9 digits like an ISA13"
        ));
    }
    let date = seg.el(2);
    if !is_date(date) {
        return Err(fail(format!("TA102 `{date}` is not a date")));
    }
    if date.len() == 8 {
        warnings.push(format!(
            "segment {pos} (TA1): TA102 `{date}` is an 8-digit date (YYMMDD expected)"
        ));
    }
    let time = seg.el(3);
    if time.len() != 4 || !digits(time) {
        return Err(fail(format!("TA103 `{time}` is not an HHMM time")));
    }
    if !matches!(seg.el(4), "A" | "E" | "R") {
        return Err(fail(format!(
            "TA104 `{}` is not an interchange acknowledgement code (A, E or R)",
            seg.el(4)
        )));
    }
    let note = seg.el(5);
    if note.is_empty() {
        warnings.push(format!(
            "segment {pos} (TA1): TA105 (interchange note code) is missing"
        ));
    } else if !(note.len() == 3 && digits(note)) {
        return Err(fail(format!(
            "TA105 `{note}` is not a 3-digit interchange note code"
        )));
    }
    Ok(())
}

/// Reads an ST.
pub(super) fn st(seg: Segment) -> Result<TransactionSet, Defect> {
    let id = seg.el(1).to_string();
    let control = seg.el(2).to_string();
    if id.len() != 3 || !digits(&id) {
        return Err(Defect::new(
            seg.position,
            "ST",
            format!("ST01 `{id}` is not a transaction set identifier"),
        ));
    }
    if control.is_empty() || control.len() > 9 {
        return Err(Defect::new(
            seg.position,
            "ST",
            format!("ST02 `{control}` is not a transaction set control number (1 to 9 characters)"),
        ));
    }
    Ok(TransactionSet {
        id,
        control,
        segments: vec![seg],
    })
}

/// Checks an SE (the last segment of `set`) against its ST.
pub(super) fn se(set: &TransactionSet) -> Result<(), Defect> {
    let Some(se) = set.segments.last() else {
        return Ok(());
    };
    let count = se.el(1);
    let actual = set.segments.len();
    if count.parse::<usize>().ok() != Some(actual) {
        return Err(Defect::new(
            se.position,
            "SE",
            format!("SE01 says {count} segments, the set has {actual} (ST to SE)"),
        ));
    }
    if trim(se.el(2)) != set.control {
        return Err(Defect::new(
            se.position,
            "SE",
            format!("SE02 `{}` does not match ST02 `{}`", se.el(2), set.control),
        ));
    }
    Ok(())
}
