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
//! Non-ASCII characters in ISA fields are a warning too. TA1 segments
//! (interchange acknowledgements) are not read: an interchange holding one
//! is refused, naming the TA1.

use super::{Defect, Segment};

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
    /// The functional groups.
    pub groups: Vec<Group>,
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

enum State {
    Outside,
    Interchange(Interchange),
    Group(Interchange, Group),
    Set(Interchange, Group, TransactionSet),
}

/// Builds the envelopes from the segments and checks them.
pub(crate) fn assemble(segments: Vec<Segment>, component: u8) -> Result<Vec<Interchange>, Defect> {
    let mut done = Vec::new();
    let mut state = State::Outside;
    let mut last_pos = 0;
    for seg in segments {
        last_pos = seg.position;
        state = match (state, seg.id.as_str()) {
            (State::Outside, "ISA") => State::Interchange(checks::isa(seg, component)?),
            (State::Outside, id) => {
                let reason = if done.is_empty() {
                    format!("`{id}` before any ISA")
                } else {
                    format!("`{id}` after the IEA that closed the interchange (expected ISA or the end)")
                };
                return Err(Defect::new(seg.position, id, reason));
            }
            (State::Interchange(ic), "GS") => {
                let g = checks::gs(&seg)?;
                State::Group(ic, g)
            }
            (State::Interchange(mut ic), "IEA") => {
                checks::iea(&seg, &mut ic)?;
                done.push(ic);
                State::Outside
            }
            (State::Interchange(ic), "TA1") => {
                return Err(Defect::new(
                    seg.position,
                    "TA1",
                    format!("TA1 interchange acknowledgements are not supported: only functional groups (GS to GE) are read in the interchange opened at segment {}", ic.position),
                ))
            }
            (State::Interchange(ic), id) => {
                return Err(Defect::new(
                    seg.position,
                    id,
                    format!("expected GS or IEA in the interchange opened at segment {}, found `{id}`", ic.position),
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
        State::Outside => Ok(done),
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
