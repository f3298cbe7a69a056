//! The CONTRL (syntax and service report) of one received interchange,
//! written when the config `contrl = "true"`: its own interchange in the
//! input's delimiters, sender and recipient swapped, dated with the
//! received UNB's date and time (never the clock).
//!
//! `UCI` acknowledges the interchange (action `7`: acknowledged, and every
//! message not listed is acknowledged too); each rejected message gets a
//! `UCM` with action `4` (rejected) and error `12` (invalid value) and a
//! `UCS` naming the segment's position in the message (UNH = 1). The UNB
//! reference is our own number towards the partner, from the host counter
//! `edifact:<UNB sender>:unb`.

use crate::map::Reject;
use crate::parse::{Interchange, Message, Syntax};

/// Escapes the service characters in `v` with the release character (they
/// are dropped when there is none).
fn esc(v: &str, s: &Syntax) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if s.is_service(c) {
            match s.release {
                Some(r) => {
                    out.push(r);
                    out.push(c);
                }
                None => continue,
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One segment: the tag, then elements of components.
fn segment(s: &Syntax, tag: &str, elements: &[&[&str]]) -> String {
    let mut out = tag.to_string();
    for el in elements {
        out.push(s.element);
        let comps: Vec<String> = el.iter().map(|c| esc(c, s)).collect();
        let mut comps = comps.as_slice();
        while let Some((last, head)) = comps.split_last() {
            if last.is_empty() && !head.is_empty() {
                comps = head;
            } else {
                break;
            }
        }
        out.push_str(&comps.join(&s.component.to_string()));
    }
    out.push(s.terminator);
    out
}

/// The CONTRL for `ic`: `outcomes` pairs each message with its rejection,
/// if any; `reference` is our UNB 0020.
pub fn build(
    s: &Syntax,
    ic: &Interchange,
    outcomes: &[(&Message, Option<&Reject>)],
    reference: u64,
) -> Vec<u8> {
    let ours = reference.to_string();
    let version = if ic.syntax_version.is_empty() {
        "3"
    } else {
        ic.syntax_version.as_str()
    };
    let (msg_version, msg_release) = if version == "4" {
        ("4", "1")
    } else {
        ("D", "3")
    };
    let sender = [ic.sender.as_str(), ic.sender_qualifier.as_str()];
    let receiver = [ic.receiver.as_str(), ic.receiver_qualifier.as_str()];
    let mut body = vec![
        segment(
            s,
            "UNH",
            &[&["1"], &["CONTRL", msg_version, msg_release, "UN"]],
        ),
        segment(s, "UCI", &[&[&ic.control], &sender, &receiver, &["7"]]),
    ];
    for (m, reject) in outcomes {
        let Some(r) = reject else {
            continue;
        };
        let unh = m.segments.first().map(|s| s.position).unwrap_or(0);
        let in_message = (r.position.saturating_sub(unh) + 1).to_string();
        body.push(segment(
            s,
            "UCM",
            &[
                &[&m.reference],
                &[
                    &m.msg_type,
                    &m.version,
                    &m.release,
                    &m.agency,
                    &m.association,
                ],
                &["4"],
                &["12"],
            ],
        ));
        body.push(segment(s, "UCS", &[&[&in_message], &["12"]]));
    }
    let count = (body.len() + 1).to_string();
    body.push(segment(s, "UNT", &[&[&count], &["1"]]));
    let syntax_id = if ic.syntax_id.is_empty() {
        "UNOA"
    } else {
        ic.syntax_id.as_str()
    };
    let mut out = String::new();
    if s.from_una {
        out.push_str("UNA");
        out.push(s.component);
        out.push(s.element);
        out.push(s.decimal);
        out.push(s.release.unwrap_or(' '));
        out.push(s.repetition.unwrap_or(' '));
        out.push(s.terminator);
    }
    out += &segment(
        s,
        "UNB",
        &[
            &[syntax_id, version],
            &receiver,
            &sender,
            &[&ic.date, &ic.time],
            &[&ours],
        ],
    );
    for seg in body {
        out.push_str(&seg);
    }
    out.push_str(&segment(s, "UNZ", &[&["1"], &[&ours]]));
    out.into_bytes()
}
