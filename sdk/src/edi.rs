//! What the EDI sources (`x12`, `edifact`) and the X12 writer share: the
//! fatal parse [`Defect`], the input size limit, id parts, the warnings
//! header, one message per id in a file, and X12 control numbers from the
//! host counters.

use std::fmt;

use crate::{host, Message, PluginError};

/// A fatal defect found reading an EDI file: where (1-based segment
/// position in the file, and the segment id or tag) and why. Displays as
/// `segment <position> (<segment>): <reason>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defect {
    /// 1-based position of the segment in the file.
    pub position: usize,
    /// Segment id or tag (`ISA`, `UNB`, `SE`, …), or the text found where
    /// one was expected.
    pub segment: String,
    /// What is wrong.
    pub reason: String,
}

impl Defect {
    /// A defect at `position` in segment `segment`.
    pub fn new(position: usize, segment: &str, reason: impl Into<String>) -> Defect {
        Defect {
            position,
            segment: segment.to_string(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "segment {} ({}): {}",
            self.position, self.segment, self.reason
        )
    }
}

impl std::error::Error for Defect {}

/// Longest warnings header value; longer lists are clipped with `…`.
const MAX_WARNINGS: usize = 4000;

/// Refuses an input larger than `max` bytes (`max_bytes` setting).
pub fn check_size(input: &[u8], max: usize) -> Result<(), PluginError> {
    if input.len() > max {
        return Err(PluginError::invalid(format!(
            "input is {} bytes, more than max_bytes = {max}",
            input.len()
        )));
    }
    Ok(())
}

/// A value as part of a message or correlation id: control characters
/// escaped and at most 64 characters, so a damaged envelope or reference
/// can never produce an id the host refuses.
pub fn id_part(s: &str) -> String {
    crate::text::clip(s, 64)
}

/// Appends `note` to the `; `-separated warnings in `header` of `m`
/// (control characters escaped, clipped to a header-sized length).
pub fn add_warning(m: &mut Message, header: &str, note: &str) {
    let all = match m.header(header) {
        Some(prev) => format!("{prev}; {note}"),
        None => note.to_string(),
    };
    m.set_header(header, crate::text::clip(&all, MAX_WARNINGS));
}

/// Sets the warnings in `header` of `m` to `warnings` (none: unchanged).
pub fn set_warnings<S: AsRef<str>>(m: &mut Message, header: &str, warnings: &[S]) {
    if warnings.is_empty() {
        return;
    }
    let all: Vec<&str> = warnings.iter().map(AsRef::as_ref).collect();
    m.set_header(header, crate::text::clip(&all.join("; "), MAX_WARNINGS));
}

/// Adds `m` unless an identical message with its id is there already (an
/// interchange sent twice in one file: the repeat is deduplicated, as the
/// bus would across files, and logged). A different message under a taken
/// id (a partner reusing a control number or message reference, named by
/// `repeated`) gets the id suffixed with its ordinal and a warning in
/// `header`, so it is never lost.
pub fn push_unique(out: &mut Vec<Message>, mut m: Message, header: &str, repeated: &str) {
    let again = format!("{}:", m.id);
    let same_id = |o: &&Message| o.id == m.id || o.id.starts_with(&again);
    let taken = out.iter().filter(same_id).count();
    if taken == 0 {
        out.push(m);
        return;
    }
    if out.iter().filter(same_id).any(|o| o.payload == m.payload) {
        host::log(
            host::LogLevel::Info,
            &format!(
                "{} is repeated in the file; the repeat is deduplicated",
                m.id
            ),
        );
        return;
    }
    let note = format!(
        "{repeated} repeated: this is document {} with id {}",
        taken + 1,
        m.id
    );
    m.id = format!("{}:{}", m.id, taken + 1);
    add_warning(&mut m, header, &note);
    out.push(m);
}

/// The next X12 control number (ISA13 or GS06, `which` = `isa` or `gs`) we
/// send `partner`: host counter `x12:<partner>:<which>`, wrapped to stay
/// within nine digits. The `x12` source's 997s and `x12-outbound` draw from
/// the same counters, so nothing sent to a partner repeats a number.
pub fn x12_control_number(partner: &str, which: &str) -> Result<u64, PluginError> {
    let n = host::next_sequence(&format!("x12:{}:{which}", partner.trim()))?;
    Ok(n.saturating_sub(1) % 999_999_999 + 1)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn msg(id: &str, payload: &str) -> Message {
        Message {
            id: id.into(),
            correlation_id: String::new(),
            kind: "k".into(),
            content_type: "text/plain".into(),
            headers: Vec::new(),
            payload: payload.as_bytes().to_vec(),
        }
    }

    #[test]
    fn repeats_are_dropped_and_reused_ids_kept_apart() {
        let mut out = Vec::new();
        push_unique(&mut out, msg("x:1", "a"), "w", "control number");
        push_unique(&mut out, msg("x:1", "a"), "w", "control number");
        push_unique(&mut out, msg("x:1", "b"), "w", "control number");
        let ids: Vec<&str> = out.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["x:1", "x:1:2"]);
        assert_eq!(
            out[1].header("w"),
            Some("control number repeated: this is document 2 with id x:1")
        );
    }

    #[test]
    fn warnings_append_and_stay_one_clipped_line() {
        let mut m = msg("x", "");
        set_warnings::<&str>(&mut m, "w", &[]);
        assert_eq!(m.header("w"), None);
        set_warnings(&mut m, "w", &["a\nb", "c"]);
        add_warning(&mut m, "w", "d");
        assert_eq!(m.header("w"), Some("a\\nb; c; d"));
        add_warning(&mut m, "w", &"x".repeat(5000));
        assert!(m
            .header("w")
            .is_some_and(|w| w.chars().count() <= MAX_WARNINGS + 1));
        assert!(check_size(b"abc", 2).is_err() && check_size(b"ab", 2).is_ok());
    }

    #[test]
    fn defects_name_position_segment_and_reason() {
        let d = Defect::new(3, "GS", "GS06 is empty");
        assert_eq!(d.to_string(), "segment 3 (GS): GS06 is empty");
    }

    #[test]
    fn control_numbers_wrap_at_nine_digits() {
        host::reset_sequences();
        assert_eq!(x12_control_number(" ACME ", "isa"), Ok(1));
        host::set_sequence("x12:ACME:isa", 999_999_999);
        assert_eq!(x12_control_number("ACME", "isa"), Ok(1));
    }
}
