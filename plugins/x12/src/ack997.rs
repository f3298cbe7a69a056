//! The 997 functional acknowledgement of one functional group, written as
//! its own interchange with the input's delimiters, sender and receiver
//! swapped.
//!
//! The 997 is an interchange we send, so by default its ISA13 and GS06 are
//! our own control numbers towards that partner, drawn from the host
//! counters `x12:<partner>:isa` and `x12:<partner>:gs` — the same counters
//! `x12-outbound` numbers its 855/856/810 with, so nothing we send a
//! partner repeats a control number. With `ack_control = "echo"` they are
//! the acknowledged interchange's ISA13 and group's GS06 instead (no
//! counters; a replay gives the same bytes). Dates are always the
//! acknowledged interchange's and group's (ISA09/ISA10, GS04/GS05), never
//! the clock; ST02 is `0001`.

use crate::map::Reject;
use crate::parse::{Delimiters, Group, Interchange, TransactionSet};

/// True for a group that is itself an acknowledgement (GS01 `FA`, or only
/// 997/999 sets): it is never acknowledged.
pub fn is_acknowledgement(g: &Group) -> bool {
    g.functional_id == "FA"
        || (!g.sets.is_empty()
            && g.sets
                .iter()
                .all(|s| matches!(s.id.as_str(), "997" | "999")))
}

fn pad(s: &str, width: usize) -> String {
    format!("{s:<width$}")
}

/// Drops delimiter characters from a copied bad value (AK404).
fn clean(s: &str, d: &Delimiters) -> String {
    let bad = |c: char| {
        c.is_control()
            || c == char::from(d.element)
            || c == char::from(d.component)
            || d.repetition.is_some_and(|r| c == char::from(r))
            || d.terminator.contains(&(c as u32 as u8)) && c.is_ascii()
    };
    s.chars().filter(|c| !bad(*c)).take(99).collect()
}

/// Our control numbers for one 997 interchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// ISA13 / IEA02.
    pub isa: u64,
    /// GS06 / GE02.
    pub gs: u64,
}

/// The 997 for `group`: one AK2/AK5 per set, `outcomes[i]` the rejection of
/// set `i` if any; `control` our numbers (`None`: echo the input's).
pub fn build(
    d: &Delimiters,
    ic: &Interchange,
    group: &Group,
    outcomes: &[Option<Reject>],
    control: Option<Control>,
) -> Vec<u8> {
    let isa13 = match control {
        Some(c) => format!("{:09}", c.isa),
        None => format!("{:0>9}", ic.control),
    };
    let gs06 = match control {
        Some(c) => c.gs.to_string(),
        None => group.control.clone(),
    };
    let e = char::from(d.element).to_string();
    let comp = char::from(d.component);
    let rep = d.repetition.map(char::from).unwrap_or('U');
    let mut segs: Vec<Vec<String>> = Vec::new();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    segs.push(vec![
        "ISA".into(),
        "00".into(),
        pad("", 10),
        "00".into(),
        pad("", 10),
        pad(&ic.receiver_qualifier, 2),
        pad(&ic.receiver, 15),
        pad(&ic.sender_qualifier, 2),
        pad(&ic.sender, 15),
        ic.date.clone(),
        ic.time.clone(),
        rep.to_string(),
        ic.version.clone(),
        isa13.clone(),
        "0".into(),
        ic.usage.clone(),
        comp.to_string(),
    ]);
    segs.push(s(&[
        "GS",
        "FA",
        &group.receiver,
        &group.sender,
        &group.date,
        &group.time,
        &gs06,
        "X",
        &group.version,
    ]));
    let st_at = segs.len();
    segs.push(s(&["ST", "997", "0001"]));
    segs.push(s(&["AK1", &group.functional_id, &group.control]));
    let mut accepted = 0;
    for (i, set) in group.sets.iter().enumerate() {
        let reject = outcomes.get(i).and_then(Option::as_ref);
        ack_set(&mut segs, set, reject, d);
        if reject.is_none() {
            accepted += 1;
        }
    }
    let n = group.sets.len();
    let status = if accepted == n {
        if group.control_mismatch {
            "E"
        } else {
            "A"
        }
    } else if accepted == 0 {
        "R"
    } else {
        "P"
    };
    let (n, accepted) = (n.to_string(), accepted.to_string());
    let mut ak9 = s(&["AK9", status, &n, &n, &accepted]);
    if group.control_mismatch {
        ak9.push("4".into());
    }
    segs.push(ak9);
    let count = segs.len() - st_at + 1;
    segs.push(s(&["SE", &count.to_string(), "0001"]));
    segs.push(s(&["GE", "1", &gs06]));
    segs.push(s(&["IEA", "1", &isa13]));
    let mut end = d.terminator.clone();
    end.extend_from_slice(&d.line_break);
    if end.is_empty() {
        end.push(b'\n');
    }
    let mut out = Vec::new();
    for seg in segs {
        out.extend_from_slice(seg.join(&e).as_bytes());
        out.extend_from_slice(&end);
    }
    out
}

fn ack_set(
    segs: &mut Vec<Vec<String>>,
    set: &TransactionSet,
    reject: Option<&Reject>,
    d: &Delimiters,
) {
    segs.push(vec!["AK2".into(), set.id.clone(), set.control.clone()]);
    match reject {
        None => segs.push(vec!["AK5".into(), "A".into()]),
        Some(r) => {
            segs.push(vec![
                "AK3".into(),
                r.segment.clone(),
                r.set_position.to_string(),
                String::new(),
                r.segment_code.into(),
            ]);
            if let Some((n, code)) = r.element {
                let mut ak4 = vec!["AK4".into(), n.to_string(), String::new(), code.to_string()];
                if let Some(v) = r
                    .value
                    .as_deref()
                    .map(|v| clean(v, d))
                    .filter(|v| !v.is_empty())
                {
                    ak4.push(v);
                }
                segs.push(ak4);
            }
            segs.push(vec!["AK5".into(), "R".into(), "5".into()]);
        }
    }
}
