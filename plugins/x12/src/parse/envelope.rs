//! The envelope: interchanges (ISA … IEA) holding functional groups
//! (GS … GE) holding transaction sets (ST … SE), with their counts and
//! control numbers checked.
//!
//! Fatal: segments outside their envelope, unclosed envelopes, a malformed
//! ISA/GS/ST, wrong SE01/GE01/IEA01 counts and SE02 ≠ ST02. Lenient (a
//! warning on the interchange): ISA fields not padded to their widths,
//! no-break-space padding, an unknown ISA12 version, odd ISA14/ISA15, and
//! GE02/IEA02 that differ from GS06/ISA13 (unpadded or mismatching): the
//! set boundaries are still certain, only the trailer echoes are off.
//! Non-ASCII characters in ISA fields are a warning too, and so are
//! sender/receiver ids (ISA06/ISA08, GS02/GS03) written as spaces only.
//! TA1 segments (interchange acknowledgements) directly inside the
//! interchange, before, between or instead of its groups, are read into
//! [`Interchange::ta1`]; an IEA01 that counts them as groups is a warning.

use super::{Defect, Delimiters, Segment};

mod checks;

/// One interchange (ISA … IEA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interchange {
    /// Position of the ISA in the file.
    pub position: usize,
    /// The ISA segment as read.
    pub isa: Segment,
    /// ISA05.
    pub sender_qualifier: String,
    /// ISA06, trimmed.
    pub sender: String,
    /// ISA07.
    pub receiver_qualifier: String,
    /// ISA08, trimmed.
    pub receiver: String,
    /// ISA09 (YYMMDD).
    pub date: String,
    /// ISA10 (HHMM).
    pub time: String,
    /// ISA12 version.
    pub version: String,
    /// ISA13 control number.
    pub control: String,
    /// ISA15 usage (`P`, `T`).
    pub usage: String,
    /// The repetition separator declared in ISA11 (version 00402 on).
    pub repetition: Option<u8>,
    /// The delimiters this interchange's ISA declares.
    pub delimiters: Delimiters,
    /// The functional groups.
    pub groups: Vec<Group>,
    /// The TA1 interchange acknowledgements in the interchange.
    pub ta1: Vec<Segment>,
    /// Lenient defects of this interchange, each naming its segment.
    pub warnings: Vec<String>,
}

/// One functional group (GS … GE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Position of the GS in the file.
    pub position: usize,
    /// GS01 functional identifier (`PO`, `IN`, `FA`, …).
    pub functional_id: String,
    /// GS02 application sender.
    pub sender: String,
    /// GS03 application receiver.
    pub receiver: String,
    /// GS04 date.
    pub date: String,
    /// GS05 time.
    pub time: String,
    /// GS06 group control number.
    pub control: String,
    /// GS07 responsible agency.
    pub agency: String,
    /// GS08 version / release / industry code.
    pub version: String,
    /// True when GE02 does not repeat GS06 exactly.
    pub control_mismatch: bool,
    /// The transaction sets.
    pub sets: Vec<TransactionSet>,
}

/// One transaction set (ST … SE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionSet {
    /// ST01 (`850`, `856`, …).
    pub id: String,
    /// ST02 control number.
    pub control: String,
    /// Every segment from ST to SE inclusive.
    pub segments: Vec<Segment>,
}

impl TransactionSet {
    /// A digest of the set's content (ST to SE, elements as written, with
    /// `d`'s separators normalised, so the same set written with other
    /// delimiters has the same digest): 12 hex digits of its SHA-256.
    /// Message ids end with it, so a partner reusing control numbers for
    /// other content never makes a new document look like a duplicate.
    pub fn digest(&self, d: &Delimiters) -> String {
        digest_segments(&self.segments, d)
    }
}

/// The digest of [`TransactionSet::digest`] over any segments.
pub fn digest_segments(segments: &[Segment], d: &Delimiters) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for seg in segments {
        h.update(seg.id.as_bytes());
        for el in &seg.elements {
            h.update([0x1f]);
            let normal: Vec<u8> = el
                .bytes()
                .map(|b| {
                    if b == d.component {
                        0x1d
                    } else if Some(b) == d.repetition {
                        0x1c
                    } else {
                        b
                    }
                })
                .collect();
            h.update(&normal);
        }
        h.update([0x1e]);
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

enum State {
    Outside,
    Interchange(Interchange),
    Group(Interchange, Group),
    Set(Interchange, Group, TransactionSet),
}

/// Builds the interchange of `segments` (an ISA up to its IEA) and checks
/// it.
pub(crate) fn assemble(segments: Vec<Segment>, delims: &Delimiters) -> Result<Interchange, Defect> {
    let mut done = None;
    let mut state = State::Outside;
    let mut last_pos = 0;
    for seg in segments {
        last_pos = seg.position;
        state = match (state, seg.id.as_str()) {
            (State::Outside, "ISA") if done.is_none() => {
                State::Interchange(checks::isa(seg, delims)?)
            }
            (State::Outside, id) => {
                let reason = if done.is_none() {
                    format!("`{id}` before any ISA")
                } else {
                    format!("`{id}` after the IEA that closed the interchange (expected ISA or the end)")
                };
                return Err(Defect::new(seg.position, id, reason));
            }
            (State::Interchange(mut ic), "GS") => {
                let g = checks::gs(&seg, &mut ic.warnings)?;
                State::Group(ic, g)
            }
            (State::Interchange(mut ic), "IEA") => {
                checks::iea(&seg, &mut ic)?;
                done = Some(ic);
                State::Outside
            }
            (State::Interchange(mut ic), "TA1") => {
                checks::ta1(&seg, &mut ic.warnings)?;
                ic.ta1.push(seg);
                State::Interchange(ic)
            }
            (State::Interchange(ic), id) => {
                return Err(Defect::new(
                    seg.position,
                    id,
                    format!("expected GS, TA1 or IEA in the interchange opened at segment {}, found `{id}`", ic.position),
                ))
            }
            (State::Group(ic, g), "ST") => {
                let set = checks::st(seg)?;
                State::Set(ic, g, set)
            }
            (State::Group(mut ic, mut g), "GE") => {
                checks::ge(&seg, &mut g, &mut ic.warnings)?;
                ic.groups.push(g);
                State::Interchange(ic)
            }
            (State::Group(_, g), id) => {
                return Err(Defect::new(
                    seg.position,
                    id,
                    format!("expected ST or GE in the functional group opened at segment {}, found `{id}` outside a transaction set", g.position),
                ))
            }
            (State::Set(ic, mut g, mut set), "SE") => {
                set.segments.push(seg);
                checks::se(&set)?;
                g.sets.push(set);
                State::Group(ic, g)
            }
            (State::Set(_, _, set), id @ ("ISA" | "IEA" | "GS" | "GE" | "ST")) => {
                let opened = set.segments.first().map(|s| s.position).unwrap_or(0);
                return Err(Defect::new(
                    seg.position,
                    id,
                    format!("`{id}` inside the transaction set opened at segment {opened}: its SE is missing"),
                ));
            }
            (State::Set(ic, g, mut set), _) => {
                set.segments.push(seg);
                State::Set(ic, g, set)
            }
        };
    }
    match state {
        State::Outside => done
            .ok_or_else(|| Defect::new(last_pos, "ISA", "no interchange: the input holds no ISA")),
        State::Interchange(ic) => Err(Defect::new(
            last_pos,
            "IEA",
            format!(
                "the input ends inside the interchange opened at segment {}: IEA missing",
                ic.position
            ),
        )),
        State::Group(_, g) => Err(Defect::new(
            last_pos,
            "GE",
            format!(
                "the input ends inside the functional group opened at segment {}: GE missing",
                g.position
            ),
        )),
        State::Set(_, _, set) => Err(Defect::new(
            last_pos,
            "SE",
            format!(
                "the input ends inside the transaction set opened at segment {}: SE missing",
                set.segments.first().map(|s| s.position).unwrap_or(0)
            ),
        )),
    }
}
