//! Assembling segments into interchanges (UNB … UNZ), optional groups
//! (UNG … UNE) and messages (UNH … UNT), with the control checks.
//!
//! Structure errors are fatal (a segment outside a message, a message
//! without UNT, an interchange without UNZ, a missing UNB/UNH reference).
//! Count and reference mismatches in UNT, UNE and UNZ, and an odd UNH
//! version, are warnings of the interchange (hand-edited samples and real
//! senders have them; `strict` makes them fatal).

mod checks;

use super::{Defect, Segment};

/// One interchange (UNB … UNZ).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interchange {
    /// Position of the UNB in the file.
    pub position: usize,
    /// UNB S001 syntax identifier (`UNOC`).
    pub syntax_id: String,
    /// UNB S001 syntax version (`3`).
    pub syntax_version: String,
    /// UNB S002 sender identification.
    pub sender: String,
    /// UNB S002 partner identification code qualifier (`14` GLN, …).
    pub sender_qualifier: String,
    /// UNB S003 recipient identification.
    pub receiver: String,
    /// UNB S003 qualifier.
    pub receiver_qualifier: String,
    /// UNB S004 date (`YYMMDD` or `CCYYMMDD`).
    pub date: String,
    /// UNB S004 time (`HHMM`).
    pub time: String,
    /// UNB 0020 interchange control reference.
    pub control: String,
    /// UNB 0026 application reference.
    pub application_ref: String,
    /// UNB 0035 test indicator `1`.
    pub test: bool,
    /// The groups (UNG … UNE), when the interchange has them.
    pub groups: Vec<Group>,
    /// The messages in file order.
    pub messages: Vec<Message>,
    /// Lenient defects of the interchange, each naming its segment.
    pub warnings: Vec<String>,
}

/// One functional group (UNG … UNE).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Group {
    /// Position of the UNG.
    pub position: usize,
    /// UNG 0038 message group identification (the message type).
    pub group_id: String,
    /// UNG S006 application sender.
    pub sender: String,
    /// UNG S007 application recipient.
    pub receiver: String,
    /// UNG 0048 group reference number.
    pub reference: String,
}

/// One message (UNH … UNT).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// UNH 0062 message reference number.
    pub reference: String,
    /// UNH S009 message type (`ORDERS`).
    pub msg_type: String,
    /// UNH S009 version (`D`).
    pub version: String,
    /// UNH S009 release (`96A`).
    pub release: String,
    /// UNH S009 controlling agency (`UN`).
    pub agency: String,
    /// UNH S009 association assigned code (`EAN008`).
    pub association: String,
    /// Index of the message's group in [`Interchange::groups`].
    pub group: Option<usize>,
    /// The segments, UNH and UNT included.
    pub segments: Vec<Segment>,
}

impl Message {
    /// The segments between UNH and UNT.
    pub fn body(&self) -> &[Segment] {
        let n = self.segments.len();
        if n < 2 {
            return &[];
        }
        self.segments.get(1..n - 1).unwrap_or(&[])
    }
}

/// Groups the segments into interchanges.
pub fn assemble(segments: Vec<Segment>) -> Result<Vec<Interchange>, Defect> {
    let mut out = Vec::new();
    let mut it = segments.into_iter().peekable();
    while let Some(unb) = it.next() {
        if unb.tag != "UNB" {
            return Err(Defect::new(
                unb.position,
                &unb.tag,
                format!(
                    "expected UNB (interchange header), found {}{}",
                    unb.tag,
                    if out.is_empty() {
                        ""
                    } else {
                        " after the UNZ of the previous interchange"
                    }
                ),
            ));
        }
        let mut ic = checks::header(&unb)?;
        let mut group: Option<usize> = None;
        let mut group_messages = 0usize;
        loop {
            let Some(seg) = it.next() else {
                return Err(Defect::new(
                    unb.position,
                    "UNB",
                    format!(
                        "interchange {} is not closed: the input ends without UNZ (truncated file?)",
                        ic.control
                    ),
                ));
            };
            match seg.tag.as_str() {
                "UNG" => {
                    if group.is_some() {
                        return Err(Defect::new(
                            seg.position,
                            "UNG",
                            "a group starts inside another group (UNE missing)",
                        ));
                    }
                    ic.groups.push(checks::group(&seg)?);
                    group = Some(ic.groups.len() - 1);
                    group_messages = 0;
                }
                "UNE" => {
                    let Some(g) = group.and_then(|g| ic.groups.get(g)) else {
                        return Err(Defect::new(
                            seg.position,
                            "UNE",
                            "group trailer without a UNG",
                        ));
                    };
                    let w = checks::group_trailer(&seg, g, group_messages);
                    ic.warnings.extend(w);
                    group = None;
                }
                "UNH" => {
                    let mut msg = checks::message_header(&seg, &mut ic.warnings)?;
                    msg.group = group;
                    msg.segments.push(seg);
                    loop {
                        let Some(s) = it.next() else {
                            return Err(checks::no_unt(&msg, None));
                        };
                        match s.tag.as_str() {
                            "UNT" => {
                                msg.segments.push(s);
                                break;
                            }
                            "UNH" | "UNB" | "UNZ" | "UNG" | "UNE" => {
                                return Err(checks::no_unt(&msg, Some(&s)))
                            }
                            _ => msg.segments.push(s),
                        }
                    }
                    checks::message_trailer(&msg, &mut ic.warnings);
                    ic.messages.push(msg);
                    group_messages += 1;
                }
                "UNZ" => {
                    if let Some(g) = group.and_then(|g| ic.groups.get(g)) {
                        return Err(Defect::new(
                            seg.position,
                            "UNZ",
                            format!("group {} (UNG at segment {}) is not closed: UNE missing before UNZ", g.reference, g.position),
                        ));
                    }
                    let w = checks::interchange_trailer(&seg, &ic);
                    ic.warnings.extend(w);
                    break;
                }
                "UNB" => {
                    return Err(Defect::new(
                        seg.position,
                        "UNB",
                        format!(
                            "a new interchange starts before interchange {} (UNB at segment {}) ends: UNZ missing",
                            ic.control, ic.position
                        ),
                    ))
                }
                other => {
                    return Err(Defect::new(
                        seg.position,
                        other,
                        "segment outside a message: only UNG, UNE, UNH … UNT and UNZ may follow UNB",
                    ))
                }
            }
        }
        checks::charset(&mut ic);
        out.push(ic);
    }
    Ok(out)
}
