//! Reading the service segments and checking counts and references.

use super::{Defect, Group, Interchange, Message, Segment};
use crate::parse::show;

/// Reads a UNB.
pub fn header(unb: &Segment) -> Result<Interchange, Defect> {
    let need = |n: usize, k: usize, what: &str| -> Result<String, Defect> {
        unb.copt(n, k).map(str::to_string).ok_or_else(|| {
            Defect::new(
                unb.position,
                "UNB",
                format!("UNB{n:02} ({what}) is missing"),
            )
        })
    };
    Ok(Interchange {
        position: unb.position,
        syntax_id: unb.comp(1, 1).to_string(),
        syntax_version: unb.comp(1, 2).to_string(),
        sender: need(2, 1, "interchange sender identification")?,
        sender_qualifier: unb.comp(2, 2).to_string(),
        receiver: unb.comp(3, 1).to_string(),
        receiver_qualifier: unb.comp(3, 2).to_string(),
        date: unb.comp(4, 1).to_string(),
        time: unb.comp(4, 2).to_string(),
        control: need(5, 1, "interchange control reference")?,
        application_ref: unb.el(7).to_string(),
        test: unb.el(11) == "1",
        ..Interchange::default()
    })
}

/// Reads a UNG.
pub fn group(ung: &Segment) -> Result<Group, Defect> {
    let reference = ung.opt(5).ok_or_else(|| {
        Defect::new(
            ung.position,
            "UNG",
            "UNG05 (group reference number) is missing",
        )
    })?;
    Ok(Group {
        position: ung.position,
        group_id: ung.el(1).to_string(),
        sender: ung.el(2).to_string(),
        receiver: ung.el(3).to_string(),
        reference: reference.to_string(),
    })
}

/// Checks a UNE against its group.
pub fn group_trailer(une: &Segment, g: &Group, messages: usize) -> Vec<String> {
    let mut w = Vec::new();
    if une.el(1).parse::<usize>().ok() != Some(messages) {
        w.push(format!(
            "segment {} (UNE): UNE01 message count `{}` does not match the {messages} messages of group {}",
            une.position,
            show(une.el(1), 20),
            g.reference
        ));
    }
    if une.el(2) != g.reference {
        w.push(format!(
            "segment {} (UNE): UNE02 `{}` does not match the UNG group reference `{}`",
            une.position,
            show(une.el(2), 20),
            g.reference
        ));
    }
    w
}

/// Reads a UNH; an unusual version is a warning.
pub fn message_header(unh: &Segment, warnings: &mut Vec<String>) -> Result<Message, Defect> {
    let reference = unh.opt(1).ok_or_else(|| {
        Defect::new(
            unh.position,
            "UNH",
            "UNH01 (message reference number) is missing",
        )
    })?;
    let msg_type = unh.copt(2, 1).ok_or_else(|| {
        Defect::new(
            unh.position,
            "UNH",
            format!("UNH02 (message identifier) has no message type in message {reference}"),
        )
    })?;
    let version = unh.comp(2, 2);
    if !matches!(version, "D" | "S") {
        warnings.push(format!(
            "segment {} (UNH): message {reference} version `{}` is not `D` (directory) or `S`",
            unh.position,
            show(version, 10)
        ));
    }
    Ok(Message {
        reference: reference.to_string(),
        msg_type: msg_type.to_string(),
        version: version.to_string(),
        release: unh.comp(2, 3).to_string(),
        agency: unh.comp(2, 4).to_string(),
        association: unh.comp(2, 5).to_string(),
        group: None,
        segments: Vec::new(),
    })
}

/// The defect of a message whose UNT is missing (`found` is the segment
/// met instead, `None` at the end of the input).
pub fn no_unt(msg: &Message, found: Option<&Segment>) -> Defect {
    let at = msg.segments.first().map(|s| s.position).unwrap_or(0);
    match found {
        Some(s) => Defect::new(
            s.position,
            &s.tag,
            format!(
                "message {} (UNH at segment {at}) is not closed: {} found before its UNT",
                msg.reference, s.tag
            ),
        ),
        None => Defect::new(
            at,
            "UNH",
            format!(
                "message {} is not closed: the input ends without UNT (truncated file?)",
                msg.reference
            ),
        ),
    }
}

/// Checks UNT01 (segment count, UNH and UNT included) and UNT02 (= UNH01).
pub fn message_trailer(msg: &Message, warnings: &mut Vec<String>) {
    let Some(unt) = msg.segments.last() else {
        return;
    };
    let count = msg.segments.len();
    if unt.el(1).parse::<usize>().ok() != Some(count) {
        warnings.push(format!(
            "segment {} (UNT): UNT01 segment count `{}` does not match the {count} segments of message {} (UNH to UNT)",
            unt.position,
            show(unt.el(1), 20),
            msg.reference
        ));
    }
    if unt.el(2) != msg.reference {
        warnings.push(format!(
            "segment {} (UNT): UNT02 `{}` does not match the UNH message reference `{}`",
            unt.position,
            show(unt.el(2), 40),
            msg.reference
        ));
    }
}

/// Checks UNZ01 (number of messages, or of groups when there are groups)
/// and UNZ02 (= UNB 0020).
pub fn interchange_trailer(unz: &Segment, ic: &Interchange) -> Vec<String> {
    let mut w = Vec::new();
    let (count, what) = if ic.groups.is_empty() {
        (ic.messages.len(), "messages")
    } else {
        (ic.groups.len(), "groups")
    };
    if unz.el(1).parse::<usize>().ok() != Some(count) {
        w.push(format!(
            "segment {} (UNZ): UNZ01 count `{}` does not match the {count} {what} of interchange {}",
            unz.position,
            show(unz.el(1), 20),
            ic.control
        ));
    }
    if unz.el(2) != ic.control {
        w.push(format!(
            "segment {} (UNZ): UNZ02 `{}` does not match the UNB interchange control reference `{}`",
            unz.position,
            show(unz.el(2), 40),
            ic.control
        ));
    }
    w
}

/// Text warnings of an interchange: characters outside a UNOA/UNOB
/// character set (non-ASCII), and U+FFFD replacement characters (text
/// already damaged before the file was written). Each names the first
/// segment and how many segments are affected.
pub fn charset(ic: &mut Interchange) {
    let segs = || ic.messages.iter().flat_map(|m| m.segments.iter());
    let has = |s: &Segment, f: &dyn Fn(char) -> bool| {
        s.elements.iter().flatten().any(|c| c.chars().any(f))
    };
    let mut w = Vec::new();
    if matches!(ic.syntax_id.as_str(), "UNOA" | "UNOB") {
        let bad: Vec<&Segment> = segs().filter(|s| has(s, &|c| !c.is_ascii())).collect();
        if let Some(first) = bad.first() {
            w.push(format!(
                "segment {} ({}): non-ASCII text outside the {} character set declared in UNB (segments affected: {}; kept as read)",
                first.position,
                first.tag,
                ic.syntax_id,
                bad.len()
            ));
        }
    }
    let lost: Vec<&Segment> = segs().filter(|s| has(s, &|c| c == '\u{fffd}')).collect();
    if let Some(first) = lost.first() {
        w.push(format!(
            "segment {} ({}): text contains U+FFFD replacement characters, characters lost before the file was written (segments affected: {})",
            first.position,
            first.tag,
            lost.len()
        ));
    }
    ic.warnings.extend(w);
}
